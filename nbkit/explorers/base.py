"""The explorer mechanism: sliders → pure compute → artists moved in place → blit.

A subclass builds its axes and artists once (`build`), and on every slider move
`compute(**values)` (pure), `show(state)` (set_data on the artists), and `describe(state)`
(the readout). Only the artists listed in `moving` are redrawn: the rest of the figure (axes,
ticks, contours) is rendered once and kept as a background bitmap, so a slider move costs one
small draw and one image, not a whole figure. `show` returns True when something outside
`moving` changed (an axis limit): then only the axes that changed are drawn again into the
background, in the place the layout gave them.

What a move costs, and what is avoided (benchmarks/slider_latency.py measures it):
- the layout (constrained) is computed when the figure is first drawn and again only when its
  size changes or an axes no longer fits its place, never per move;
- the figure never asks the front end for a redraw: neither when an artist changes nor from
  pyplot's draw_all, which runs after every comm message and redraws stale figures (a full
  draw per move, on top of the blit);
- the image sent is the whole figure, opaque, PNG-encoded with fast settings (no row filters,
  zlib level 1): about as cheap as webagg's changed-pixels "diff" images, and never drawn wrong
  when the front end applies the image mode late (see _whole_image).
"""

import math
import struct
import zlib

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg


def png_rgba(pixels):
    """Return PNG bytes for an RGBA uint8 array of shape (h, w, 4): no row filters, zlib level 1.

    The images are mostly flat colours, so this is small and several times faster than PIL's
    default encoding (≈5 ms against ≈20 ms for a 900×400 figure here).
    """
    h, w, _ = pixels.shape
    rows = np.zeros((h, 4 * w + 1), np.uint8)  # each row: filter byte 0 (none), then its pixels
    rows[:, 1:] = pixels.reshape(h, 4 * w)

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)  # 8 bits per channel, RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
            + chunk(b"IEND", b""))


def lr_slider(value, lo, hi, step):
    """Return the learning-rate slider every explorer has: log scale from lo to hi, readout in 3 digits."""
    return widgets.FloatLogSlider(value=value, base=10, min=math.log10(lo), max=math.log10(hi), step=step,
                                  description="lr", readout_format=".3g")


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
        self.fig.stale_callback = None  # the explorer draws the figure itself: no draw request per change
        canvas.get_diff_image = self._whole_image
        canvas.on_msg(self._on_front_end_message)
        self.readout = widgets.HTML().add_class("nbkit-readout")
        self.moving = []
        self._background = None
        self.build()
        self._layout = self.fig.get_layout_engine()
        self.fig.set_layout_engine("none")  # run by _draw_background, when the layout must change
        self.update()
        for name, control in controls.items():
            control.add_class(f"nbkit-{name}")
            control.observe(self.update, names="value")
        sliders = widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([sliders, canvas, self.readout]).add_class("nbkit-explorer")

    def _on_front_end_message(self, canvas, content, buffers):
        """Render the background again after the front end's handshake, resize or pixel-ratio change.

        A background kept from before (the figure is built while the notebook runs, with no front
        end) can come out blank in JupyterLab for the panels it covers, until the next full draw;
        drawing it again once the front end is there costs one full draw per handshake.
        """
        if content.get("type") in ("initialized", "refresh", "resize", "set_dpi_ratio", "set_device_pixel_ratio"):
            self._background = None

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    @property
    def values(self):
        """Return the current slider values as a dict name → value."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self, change=None):
        """Recompute from the sliders, move the artists, send the image, then the readout; return None."""
        self.state = self.compute(**self.values)
        full = self._show_tracked(self.state)
        self.redraw(full)
        self.readout.value = self.describe(self.state)

    def _show_tracked(self, state):
        """Call show(state) and leave `stale` set on exactly the axes it changed outside `moving`."""
        callbacks = [artist.stale_callback for artist in self.moving]
        for artist in self.moving:
            artist.stale_callback = None  # moving artists are redrawn anyway: don't mark their axes
        for artist in self.fig.get_children():
            artist.stale = False
        try:
            return self.show(state)
        finally:
            for artist, callback in zip(self.moving, callbacks):
                artist.stale_callback = callback

    def redraw(self, full=False):
        """Send a new image: a blit of the moving artists over the background, after drawing again
        the axes that changed (when `full`), or the whole background (first time, resized)."""
        canvas = self.fig.canvas
        size = canvas.get_width_height(physical=True)
        # Which children show() changed: read before hiding the moving artists stales more; only a full redraw needs it.
        changed = [artist for artist in self.fig.get_children() if artist.stale] if full else []
        for artist in self.moving:
            artist.set_visible(False)
        if self._background is None or self._background_size != size:
            self._draw_background(layout=True)
        elif full and not self._draw_changed_axes(changed):
            self._draw_background(layout=True)
        elif not full:
            canvas.restore_region(self._background)
        for artist in self.moving:
            artist.set_visible(True)
        for artist in self.moving:
            self.fig.draw_artist(artist)
        if getattr(canvas, "syncing_data_url", False):
            # No front end yet: ipympl would store this image as bare base64, without its data: prefix,
            # and JupyterLab, unable to load it, would never size the canvas (a blank figure).
            # The front end asks for a full image itself once the explorer is displayed.
            return
        canvas.blit(self.fig.bbox)
        self.fig.stale = False  # what is sent is current: pyplot's draw_all after each message skips it

    def _draw_background(self, layout):
        """Render the figure without the moving artists (not sent: the blit sends) and keep it."""
        canvas = self.fig.canvas
        if layout and self._layout is not None:
            self._layout.execute(self.fig)
        renderer = canvas.get_renderer()
        renderer.clear()
        self.fig.patch.draw(renderer)
        self._blank = canvas.copy_from_bbox(self.fig.bbox)  # the empty figure, to clear one axes' place
        FigureCanvasAgg.draw(canvas)
        self._keep_background()
        self._extents = {ax: ax.get_tightbbox(renderer) for ax in self.fig.axes}
        self._background_size = canvas.get_width_height(physical=True)

    def _keep_background(self):
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        self._background_pixels = np.asarray(self.fig.canvas.buffer_rgba()).copy()

    def _draw_changed_axes(self, stale):
        """Draw again only the `stale` axes, each in its own place; return False if that can't be exact.

        Each changed axes is cleared inside its extent at the last full draw, then drawn. It is
        exact if nothing else changed (no figure-level artist), the places overlap nothing else,
        and the new drawing stayed inside them (checked on the pixels); otherwise the caller
        draws the whole figure again, with a new layout.
        """
        fig, canvas = self.fig, self.fig.canvas
        changed = [ax for ax in fig.axes if ax in stale]
        others = [a for a in fig.get_children() if a not in fig.axes and a is not fig.patch]
        if not changed or any(a in stale for a in others):
            return False
        places = [self._extents[ax] for ax in changed]
        fixed = [self._extents[ax] for ax in fig.axes if ax not in stale]
        fixed += [a.get_window_extent() for a in others if a.get_visible()]
        if any(p.overlaps(q) for p in places for q in fixed):
            return False
        canvas.restore_region(self._background)
        height = self._background_pixels.shape[0]
        inside = np.zeros(self._background_pixels.shape[:2], bool)
        for place in places:
            x0, y0, x1, y1 = (int(np.floor(place.x0)) - 1, int(np.floor(place.y0)) - 1,
                              int(np.ceil(place.x1)) + 1, int(np.ceil(place.y1)) + 1)
            x0, y0 = max(x0, 0), max(y0, 0)
            canvas.restore_region(self._blank, bbox=(x0, height - y1, x1, height - y0), xy=(0, 0))
            inside[max(height - y1, 0):height - y0, x0:x1] = True
        renderer = canvas.get_renderer()
        for ax in sorted(changed, key=lambda ax: ax.get_zorder()):
            ax.draw(renderer)
        pixels = np.asarray(canvas.buffer_rgba())
        if np.any((pixels != self._background_pixels).any(axis=2) & ~inside):
            return False  # something drew outside its place: it needs a new layout
        self._keep_background()
        return True

    def _whole_image(self):
        """Return the PNG to send: always the whole figure, opaque (replaces ipympl's get_diff_image).

        ipympl can send only the changed pixels ("diff" mode), but the mode reaches the front end
        as a separate state update that may be applied after the next image is drawn: a diff image
        drawn in "full" mode wipes the figure (seen in Chromium as a mostly transparent figure).
        A whole opaque image is right in either mode, and with the fast encoding it costs about
        what a diff costs.
        """
        canvas = self.fig.canvas
        if not canvas._png_is_old:
            return None
        pixels = np.asarray(canvas.get_renderer().buffer_rgba())
        canvas.set_image_mode("full")
        canvas._last_buff = pixels.view(np.uint32).squeeze(2)  # what ipympl keeps as the figure's data URL
        canvas._force_full = False
        canvas._png_is_old = False
        return png_rgba(pixels)

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
