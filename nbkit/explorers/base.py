"""The explorer mechanism: sliders → pure compute → artists moved in place → blit.

A subclass builds its axes and artists once (`build`), and on every slider move
`compute(**values)` (pure), `show(state)` (set_data on the artists), and `describe(state)`
(the readout). Only the artists listed in `moving` are redrawn: the rest of the figure (axes,
ticks, contours) is rendered once and kept as a background bitmap, so a slider move costs one
small draw and one image, not a whole figure. `show` returns True when something outside
`moving` changed (an axis limit), which forces one full draw.
"""

import ipywidgets as widgets
import matplotlib.pyplot as plt
from matplotlib.backends.backend_agg import FigureCanvasAgg


class Explorer:
    """Sliders, one figure built once, and a readout; subclasses supply the lesson.

    Attributes: controls (dict name → slider), fig, readout (HTML widget), state (the last
    compute result), moving (artists redrawn on each update), widget (what the notebook shows).
    """

    def __init__(self, controls, figsize):
        self.controls = controls
        with plt.ioff():
            self.fig = plt.figure(figsize=figsize, layout="constrained")
        canvas = self.fig.canvas
        if not isinstance(canvas, widgets.DOMWidget):
            raise RuntimeError("explorers need the ipympl backend: run `%matplotlib widget` first")
        canvas.toolbar_visible = canvas.header_visible = canvas.footer_visible = False
        canvas.resizable = False
        self.readout = widgets.HTML().add_class("nbkit-readout")
        self.moving = []
        self._background = None
        self.build()
        self.update()
        for name, control in controls.items():
            control.add_class(f"nbkit-{name}")
            control.observe(self.update, names="value")
        sliders = widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([sliders, canvas, self.readout]).add_class("nbkit-explorer")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    @property
    def values(self):
        """Return the current slider values as a dict name → value."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self, change=None):
        """Recompute from the sliders, move the artists, refresh readout and image; return None."""
        self.state = self.compute(**self.values)
        full = self.show(self.state)
        self.readout.value = self.describe(self.state)
        self.redraw(full)

    def redraw(self, full=False):
        """Send a new image: a blit of the moving artists, or a full draw when `full` or resized."""
        canvas = self.fig.canvas
        size = canvas.get_width_height(physical=True)
        if full or self._background is None or self._background_size != size:
            for artist in self.moving:
                artist.set_visible(False)
            FigureCanvasAgg.draw(canvas)  # render without sending: the blit below sends once
            self._background = canvas.copy_from_bbox(self.fig.bbox)
            self._background_size = size
            for artist in self.moving:
                artist.set_visible(True)
        else:
            canvas.restore_region(self._background)
        for artist in self.moving:
            self.fig.draw_artist(artist)
        if getattr(canvas, "syncing_data_url", False):
            # No front end yet: ipympl would store this image as bare base64, without its data: prefix,
            # and JupyterLab, unable to load it, would never size the canvas (a blank figure).
            # The front end asks for a full image itself once the explorer is displayed.
            return
        canvas.blit(self.fig.bbox)

    # The lesson: subclasses implement these four.
    def build(self):
        """Create axes and artists on self.fig and list the changing ones in self.moving."""
        raise NotImplementedError

    def compute(self, **values):
        """Return the state for these slider values (pure: no drawing)."""
        raise NotImplementedError

    def show(self, state):
        """Move the state into the artists; return True if a full redraw is needed."""
        raise NotImplementedError

    def describe(self, state):
        """Return the readout as HTML."""
        raise NotImplementedError
