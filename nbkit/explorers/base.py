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
  when the front end applies the image mode late (see _whole_image);
- a background once drawn is kept for its axis limits: a slider that moves an axis end back
  and forth (steps, epochs) restores it instead of drawing the axes again, and the ends a step
  axis can have (`STEP_AXES`) are drawn ahead, while the kernel is idle after the figure appears;
- a compute that grows with a slider (epochs) may show the first part of its run within
  `MOVE_BUDGET` seconds and finish it later, a little at a time, while the kernel is idle: the
  next move is then handled at once. `finished(state)` says whether a state is the whole run.
"""

import asyncio
import math
import struct
import threading
import time
import zlib

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from nbkit.plotting.descent import loss_axis_end


def png_rgb(pixels):
    """Return PNG bytes of the colours of an RGBA uint8 array of shape (h, w, 4), its alpha left out:
    no row filters, zlib level 1.

    An explorer's figure is opaque, so its alpha says nothing and costs a quarter of the bytes to
    compress. The images are mostly flat colours, so this is small and several times faster than
    PIL's default encoding (≈4 ms against ≈20 ms for a 900×400 figure here).
    """
    h, w, _ = pixels.shape
    rows = np.empty((h, 3 * w + 1), np.uint8)  # each row: filter byte 0 (none), then its pixels
    rows[:, 0] = 0
    rgb = rows[:, 1:].reshape(h, w, 3)
    for channel in range(3):  # one channel at a time: ≈0.4 ms, against ≈2.5 ms for pixels[..., :3] at once
        rgb[..., channel] = pixels[..., channel]  # (numpy's inner loop would run over 3 bytes per pixel)

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)  # 8 bits per channel, RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 1))
            + chunk(b"IEND", b""))


def lr_slider(value, lo, hi, step):
    """Return the learning-rate slider every explorer has: log scale from lo to hi, readout in 3 digits."""
    return widgets.FloatLogSlider(value=value, base=10, min=math.log10(lo), max=math.log10(hi), step=step,
                                  description="lr", readout_format=".3g")


#: Idle-time work: after the front end's handshake the background is drawn, the other ends of a
#: step axis are drawn ahead and a long run is finished between messages, while the kernel is idle.
#: Off, every move draws what it needs itself and compute runs to the end on every move.
IDLE_WORK = True


def _running_loop():
    """Return the event loop running this call (the kernel's, in a notebook), or None (a plain script
    or test, or IDLE_WORK off)."""
    if not IDLE_WORK:
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _locked(lock, draw):
    """Return draw(), called with lock held (for the canvas's own draw, which the front end asks for)."""
    def locked_draw(*args, **kwargs):
        with lock:
            return draw(*args, **kwargs)
    return locked_draw


class Explorer:
    """Sliders, one figure built once, and a readout; subclasses supply the lesson.

    Attributes: controls (dict name → slider), fig, readout (HTML widget), state (the last
    compute result), moving (artists redrawn on each update), widget (what the notebook shows),
    budget (seconds compute may spend before it returns a partial state, or None: the whole run).
    """

    #: Seconds of compute a slider move may spend before it shows the run so far (finished later).
    MOVE_BUDGET = 0.003
    #: Seconds of each later piece of that work; a move that arrives meanwhile waits about this.
    STEP_BUDGET = 0.002
    #: Seconds after a move before idle work goes on: the move's image leaves the kernel first (the
    #: thread that sends it needs the interpreter, which a piece of idle work would hold).
    QUIET_AFTER_MOVE = 0.02
    #: {axes attribute: slider name} for loss axes whose x range follows a steps slider (set_loss_xlim).
    STEP_AXES = {}

    def __init__(self, controls, figsize):
        self.controls = controls
        # ipykernel ≥ 7 handles JupyterLab's widget messages on a thread of their own (a subshell),
        # while cells run on the main thread: every use of the figure holds this lock, and idle work
        # runs on the thread that handles the front end's messages (_loop), so two never draw at once.
        self._lock = threading.RLock()
        self._loop = None
        self._quiet_until = 0.0  # perf_counter time before which idle work waits (just after a move)
        with plt.ioff():
            self.fig = plt.figure(figsize=figsize, layout="constrained")
        canvas = self.fig.canvas
        if not isinstance(canvas, widgets.DOMWidget):
            raise RuntimeError("explorers need the ipympl backend: run `%matplotlib widget` first")
        canvas.toolbar_visible = canvas.header_visible = canvas.footer_visible = False
        canvas.resizable = False
        self.fig.stale_callback = None  # the explorer draws the figure itself: no draw request per change
        canvas.get_diff_image = self._whole_image
        canvas.draw = _locked(self._lock, canvas.draw)  # a draw the front end asks for, never during ours
        canvas.on_msg(self._on_front_end_message)
        self.readout = widgets.HTML().add_class("nbkit-readout")
        self.moving = []
        self._background = None
        self._backgrounds = {}  # view key (size, every axes' limits) → (background region, its pixels)
        self._views = []  # (axes, x limits) still to draw ahead into _backgrounds
        self._finishing = False  # the state shown is a part of the run: compute goes on when idle
        self._scheduled = None
        self.budget = None
        self.build()
        self._layout = self.fig.get_layout_engine()
        self.fig.set_layout_engine("none")  # run by _draw_background, when the layout must change
        self.update()
        canvas._size = self._css_size()
        for name, control in controls.items():
            control.add_class(f"nbkit-{name}")
            control.observe(self.update, names="value")
        sliders = widgets.HBox(list(controls.values()), layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([sliders, canvas, self.readout]).add_class("nbkit-explorer")

    def _css_size(self):
        """Return (width, height) of the figure in CSS pixels, as ipympl's `_size` holds it.

        ipympl sets `_size` when a canvas is displayed by itself; an explorer displays it inside a
        box, so without this `_size` stays (0, 0) until the front end's handshake is answered. If
        the page renders the figure before that answer is applied, its canvas stays 0 × 0 pixels
        (a blank figure; seen under load, when the handshake waits for a cell still running).
        """
        width, height = self.fig.bbox.size / self.fig.canvas.device_pixel_ratio
        return (float(width), float(height))

    def _on_front_end_message(self, canvas, content, buffers):
        """Render the background again after the front end's handshake, resize or pixel-ratio change.

        A background kept from before (the figure is built while the notebook runs, with no front
        end) can come out blank in JupyterLab for the panels it covers, until the next full draw;
        drawing it again once the front end is there costs one full draw per handshake.
        """
        if content.get("type") in ("initialized", "refresh", "resize", "set_dpi_ratio", "set_device_pixel_ratio"):
            with self._lock:
                self._loop = _running_loop() or self._loop
                self._background = None
                self._views = []
                self._schedule()  # drawn again while the kernel is idle, not on the first move

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    @property
    def values(self):
        """Return the current slider values as a dict name → value."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self, change=None):
        """Recompute from the sliders, move the artists, send the image, then the readout; return None.

        On a slider move in a running kernel, compute gets `MOVE_BUDGET` seconds; if it returns a
        part of the run, the rest is computed later while the kernel is idle (`_work`), and shown.
        """
        with self._lock:
            loop = _running_loop() if change is not None else None
            self._loop = loop or self._loop
            self.budget = self.MOVE_BUDGET if loop is not None else None
            if loop is not None:
                self._quiet_until = time.perf_counter() + self.QUIET_AFTER_MOVE
            self._show_state(self.compute(**self.values))
            self._finishing = not self.finished(self.state)
            if self._finishing:
                self._schedule()

    def _show_state(self, state):
        self.state = state
        full = self._show_tracked(state)
        self.redraw(full)
        self.readout.value = self.describe(state)

    def finished(self, state):
        """Return True if state is the whole run for the sliders' values (compute may return a part)."""
        return True

    def pending(self):
        """Return True while work is left for idle time: the background, the rest of a run, views ahead."""
        if not IDLE_WORK:
            return False
        return self._background is None or self._finishing or bool(self._views)

    def finish(self):
        """Do now the work left for idle time (the rest of a run shown in part, the views ahead); return the state."""
        with self._lock:
            while self.pending():
                self._scheduled = None
                self._one_piece()
            return self.state

    def _schedule(self):
        """Run _work soon on the event loop of the thread that handles the front end's messages, between
        them; no such loop yet (a plain script or test, a figure not yet shown): never (a move then
        draws what it needs itself, and compute ran with no budget)."""
        loop = self._loop if IDLE_WORK else None
        if loop is not None and self._scheduled is None and not loop.is_closed():
            self._scheduled = True
            loop.call_soon_threadsafe(loop.call_later, 0.001, self._work)

    def _work(self):
        """Do one piece of idle work: the background, else the rest of the run shown, else one view ahead.

        A piece that finds the figure in use (a message being handled on another thread) comes back later.
        """
        wait = self._quiet_until - time.perf_counter()
        if wait > 0:  # a move was just handled: its image goes out first
            asyncio.get_running_loop().call_later(wait, self._work)
            return
        if not self._lock.acquire(blocking=False):
            asyncio.get_running_loop().call_later(0.005, self._work)
            return
        try:
            self._scheduled = None
            self._one_piece()
        finally:
            self._lock.release()

    def _one_piece(self):
        """Do the first piece of idle work left (the caller holds the lock); schedule the next if any is left."""
        if self._background is None:
            for artist in self.moving:
                artist.set_visible(False)
            self._draw_background(layout=True)
            for artist in self.moving:
                artist.set_visible(True)
            self.fig.stale = False
        elif self._finishing:
            self.budget = self.STEP_BUDGET
            state = self.compute(**self.values)
            if self.finished(state):
                self._finishing = False
                self._show_state(state)
        elif self._views:
            self._draw_view_ahead(*self._views.pop())
        if self.pending():
            self._schedule()

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
        elif full and self._view_key() in self._backgrounds:
            self._background, self._background_pixels = self._backgrounds[self._view_key()]
            canvas.restore_region(self._background)
        elif full:
            self._draw_changed_or_all(changed)
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

    def _draw_changed_or_all(self, changed):
        """Draw the changed axes, or the whole figure (in a new layout only if it needs one); return True if relaid."""
        drawn = self._draw_changed_axes(changed)
        if drawn != "drawn":
            self._draw_background(layout=drawn != "overlap")
        return drawn not in ("drawn", "overlap")

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
        size = canvas.get_width_height(physical=True)
        relaid = layout or self._background is None or self._background_size != size
        self._background_size = size
        if relaid:
            self._backgrounds = {}  # drawn in another layout or size
            self._extents = {ax: ax.get_tightbbox(renderer) for ax in self.fig.axes}
            self._views = self._views_ahead()
            if self._views:
                self._schedule()
        self._keep_background()

    def _keep_background(self):
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        self._background_pixels = np.asarray(self.fig.canvas.buffer_rgba()).copy()
        self._backgrounds[self._view_key()] = self._background, self._background_pixels

    def _view_key(self):
        """Return what a kept background depends on: the size, and every axes' limits, labels and title.

        `show` changes nothing else outside `moving` (what it changes there is redrawn on every move).
        """
        return (self._background_size,) + tuple((ax.get_xlim(), ax.get_ylim(), ax.get_xlabel(), ax.get_ylabel(),
                                                  ax.get_title()) for ax in self.fig.axes)

    def _views_ahead(self):
        """Return [(axes, x limits)]: every range 0 … end a STEP_AXES axis can take over its slider, not yet kept."""
        views = []
        for name, slider in self.STEP_AXES.items():
            ax, control = getattr(self, name), self.controls[slider]
            ends = sorted({loss_axis_end(v) for v in range(control.min, control.max + 1, control.step)})
            views += [(ax, (0, end)) for end in ends if ax.get_xlim() != (0, end)]
        return views

    def _draw_view_ahead(self, ax, xlim):
        """Draw and keep the background with ax's x range set to xlim; leave the figure as it was."""
        shown, limits = (self._background, self._background_pixels), ax.get_xlim()
        ax.set_xlim(*xlim)
        relayout = False
        if self._view_key() not in self._backgrounds:
            for artist in self.moving:
                artist.set_visible(False)
            relayout = self._draw_changed_or_all([ax])  # a new layout (wider tick labels): now, not on a move
            ax.set_xlim(*limits)
            drawn = self._draw_changed_axes([ax]) if relayout else "drawn"  # the view shown, in the new layout
            if drawn != "drawn":
                self._draw_background(layout=False)
            if drawn not in ("drawn", "overlap"):
                self._views = []  # the views need different layouts: a move between them draws the figure
            for artist in self.moving:
                artist.set_visible(True)
        ax.set_xlim(*limits)
        if not relayout:
            self._background, self._background_pixels = shown
        for artist in self.fig.get_children():
            artist.stale = False
        self.fig.stale = False

    def _draw_changed_axes(self, stale):
        """Draw again only the `stale` axes, each in its own place; return "drawn", or why that can't be exact.

        Each changed axes is cleared inside its extent at the last full draw, then drawn. It is
        exact if nothing else changed (no figure-level artist), the places overlap nothing else,
        and the new drawing stayed inside them (checked on the pixels); otherwise the caller
        draws the whole figure again: in the same layout if places overlap (a long title over its
        neighbour), with a new layout if the drawing left its place or a figure-level artist changed.
        """
        fig, canvas = self.fig, self.fig.canvas
        changed = [ax for ax in fig.axes if ax in stale]
        others = [a for a in fig.get_children() if a not in fig.axes and a is not fig.patch]
        if not changed or any(a in stale for a in others):
            return "figure"
        places = [self._extents[ax] for ax in changed]
        fixed = [self._extents[ax] for ax in fig.axes if ax not in stale]
        fixed += [a.get_window_extent() for a in others if a.get_visible()]
        if any(p.overlaps(q) for p in places for q in fixed):
            return "overlap"
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
            return "outside"  # something drew outside its place: it needs a new layout
        self._keep_background()
        return "drawn"

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
        return png_rgb(pixels)

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
