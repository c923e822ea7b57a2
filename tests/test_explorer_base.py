"""The explorer mechanism in base.py: what is sent to the front end, and that it is exact.

Every explorer is checked: the image the front end composes from the sent PNGs must equal a full
draw of the same state, after moves that blit and after moves that redraw one axes. The emulated
front end applies an image-mode change only after the next image, as JupyterLab may (the mode is
a state update, the image a separate message), so an image that is right only in one mode fails.
"""

import asyncio
import io
import math
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

import nbkit.explorers as explorers
import nbkit.steppers as steppers
from nbkit.explorers.base import Explorer, lr_slider, png_rgb

import explorer_pixels as pixels

EXPLORERS = [getattr(explorers, name) for name in explorers.__all__
             if issubclass(getattr(explorers, name), Explorer)]


class FrontEnd:
    """The canvas as ipympl's front end keeps it: images and draw requests received from the kernel."""

    def __init__(self, explorer):
        canvas = explorer.fig.canvas
        canvas.syncing_data_url = False  # as after the front end's "initialized" message
        self.frame, self.draw_requests, self.mode = None, 0, "full"
        canvas.send_binary = self.receive
        self._send_json = canvas.send_json
        canvas.send_json = self.receive_json
        canvas._force_full = True  # the front end's "refresh": the next image is a full one
        explorer.redraw()

    def receive_json(self, content):
        if content["type"] == "draw":
            self.draw_requests += 1
        if content["type"] == "image_mode":
            self.pending_mode = content["mode"]  # applied late: after the next image
        self._send_json(content)

    def receive(self, png):
        image = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
        if self.frame is None:
            self.frame = np.zeros_like(image)
        if self.mode == "full":
            self.frame = np.zeros_like(image)  # ipympl clears the canvas before a "full" image
        h, w, _ = image.shape  # drawn at the top left corner, transparent pixels leave the frame
        opaque = image[..., 3] > 0
        self.frame[:h, :w][opaque] = image[opaque]
        self.mode = getattr(self, "pending_mode", self.mode)


def moves(explorer):
    """Yield (slider, value): each slider to a nearby value and back."""
    for name, control in explorer.controls.items():
        start = control.value
        if hasattr(control, "options"):  # a choice (SelectionSlider): the next option
            other = control.options[(control.index + 1) % len(control.options)]
        elif hasattr(control, "base"):
            other = start * control.base ** (5 * control.step)
        else:
            other = start + 5 * control.step if start + 5 * control.step <= control.max else start - 5 * control.step
        yield name, type(start)(other)
        yield name, start


#: The largest fraction of pixels a correct blit may differ from a full draw by. Measured over
#: these moves: 0.003% (Descent1D), 0.066% (Descent2D), 0.042% (neuron), 0.093% (MLP), where a
#: full draw puts an axes spine or a legend over a moving artist and the blit draws the artist
#: over them. Hiding a whole trajectory changes 0.25% or more; a smaller artist (a start marker,
#: 0.04%) is caught by the check per artist, not by this one.
BLIT_TOLERANCE = 1.5e-3


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda cls: cls.__name__)
def test_the_front_ends_image_equals_a_full_draw_after_every_move(cls):
    explorer = cls()
    front = FrontEnd(explorer)
    seen = pixels.assert_each_moving_artist_is_shown(explorer, front.frame.copy(), "first frame")
    for name, value in moves(explorer):
        explorer.controls[name].value = value
        sent = front.frame.copy()  # what the front end shows, taken before anything else is drawn
        expected = pixels.render(explorer)  # a full draw that sends nothing
        assert sent.shape == expected.shape
        mismatch = pixels.differ(sent, expected)
        assert mismatch <= BLIT_TOLERANCE, f"{name} = {value}: {mismatch:.3%} of the pixels differ from a full draw"
        seen |= pixels.assert_each_moving_artist_is_shown(explorer, sent, f"{name} = {value}", full=expected)
    never = set(range(len(explorer.moving))) - seen
    # An artist drawn only in some states (the MLP's ▼ below the bars' floor) may have nothing to show here.
    assert all(len(explorer.moving[i].get_xydata()) == 0 for i in never if hasattr(explorer.moving[i], "get_xydata")), \
        "some moving artists were never in view"
    assert not [i for i in never if not hasattr(explorer.moving[i], "get_xydata")], "some moving artists were never in view"


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda cls: cls.__name__)
def test_a_move_sends_one_image_and_asks_for_no_draw(cls):
    explorer = cls()
    front = FrontEnd(explorer)
    sent = []
    explorer.fig.canvas.send_binary = lambda png: (sent.append(png), front.receive(png))
    for name, value in moves(explorer):
        explorer.controls[name].value = value
    assert len(sent) == 2 * len(explorer.controls)
    assert front.draw_requests == 0
    assert not explorer.fig.stale  # pyplot's draw_all, run after every comm message, leaves it alone


def test_a_changed_axis_limit_redraws_only_that_axes():
    explorer = explorers.Descent1DExplorer(steps=15)
    drawn = []
    for ax in explorer.fig.axes:
        ax.draw = (lambda ax, draw: lambda renderer: (drawn.append(ax), draw(renderer)))(ax, ax.draw)
    explorer.controls["steps"].value = 25  # the loss axis ends at 50 now, not at 20
    assert drawn == [explorer.ax_loss]
    drawn.clear()
    explorer.controls["steps"].value = 40  # still 50: a blit
    explorer.controls["lr"].value = 0.2
    assert drawn == []


def test_a_drawing_that_leaves_its_place_gets_a_new_layout():
    explorer = explorers.Descent1DExplorer()
    layouts = []
    explorer._layout.execute = (lambda execute: lambda fig: (layouts.append(fig), execute(fig)))(
        explorer._layout.execute)
    explorer.ax_loss.set_ylabel("a much longer label for the loss axis", fontsize=20)
    explorer.redraw(full=True)
    assert layouts == [explorer.fig]


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (340, 900)])
def test_png_rgb_decodes_to_the_same_colours(shape):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (*shape, 4), dtype=np.uint8)
    decoded = np.asarray(Image.open(io.BytesIO(png_rgb(pixels))))
    assert decoded.dtype == np.uint8 and decoded.shape == (*shape, 3)
    np.testing.assert_array_equal(decoded, pixels[..., :3])


def png_chunks(data):
    """Return [(tag, payload)] of PNG bytes, after checking the signature, each length and each CRC."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        tag, payload = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length])
        assert len(payload) == length and crc == zlib.crc32(tag + payload), tag
        chunks.append((tag, payload))
        at += 12 + length
    return chunks


def test_png_rgb_is_a_plain_png_by_the_letter_of_the_format():
    # Browsers decode the explorers' frames, and may be stricter than PIL, which reads past an
    # unknown compression method or a misnamed end: every field is checked against the PNG standard.
    pixels = np.random.default_rng(1).integers(0, 256, (3, 5, 4), dtype=np.uint8)
    (ihdr, header), (idat, compressed), (iend, end) = png_chunks(png_rgb(pixels))
    assert (ihdr, idat, iend, end) == (b"IHDR", b"IDAT", b"IEND", b"")
    # width, height, 8 bits a channel, colour type 2 (RGB), compression 0, filter method 0, no interlace
    assert struct.unpack(">IIBBBBB", header) == (5, 3, 8, 2, 0, 0, 0)
    rows = np.frombuffer(zlib.decompress(compressed), np.uint8).reshape(3, 1 + 5 * 3)
    assert (rows[:, 0] == 0).all()  # each row's filter byte: none
    np.testing.assert_array_equal(rows[:, 1:].reshape(3, 5, 3), pixels[..., :3])


def test_the_lr_slider_is_logarithmic_from_lo_to_hi_and_reads_lr_in_3_digits():
    slider = lr_slider(0.1, 1e-3, 1.5, step=0.01)
    assert (slider.description, slider.readout_format, slider.base) == ("lr", ".3g", 10)
    assert (slider.value, slider.min, slider.max, slider.step) == (0.1, -3, math.log10(1.5), 0.01)


STEPPERS = [getattr(steppers, name) for name in steppers.__all__ if issubclass(getattr(steppers, name), Explorer)]


@pytest.mark.parametrize("cls", EXPLORERS + STEPPERS, ids=lambda cls: cls.__name__)
def test_the_canvas_knows_its_size_before_the_front_end_answers(cls):
    # The page sizes the figure's canvas from ipympl's `_size` when it renders it; (0, 0) there, if
    # the handshake's answer comes later, leaves a 0 × 0 canvas: a blank figure.
    explorer = cls()
    width, height = explorer.fig.canvas.get_width_height()  # CSS pixels, as the first image will be shown
    assert explorer.fig.canvas._size == pytest.approx((width, height), abs=0.5)


def test_without_the_ipympl_backend_an_explorer_says_which_to_use(monkeypatch):
    # A figure whose canvas is not a widget (the inline backend's) cannot take slider moves.
    import matplotlib.figure
    import nbkit.explorers.base as base

    monkeypatch.setattr(base.plt, "figure", lambda **kwargs: matplotlib.figure.Figure(**kwargs))
    with pytest.raises(RuntimeError) as refused:
        explorers.Descent1DExplorer()
    assert str(refused.value) == "explorers need the ipympl backend: run `%matplotlib widget` first"


@pytest.mark.parametrize("kind", ["initialized", "refresh", "resize", "set_dpi_ratio", "set_device_pixel_ratio"])
def test_a_front_end_handshake_has_the_background_drawn_again_while_idle(kind):
    # A background drawn before the page was there can come out blank in JupyterLab: the handshake,
    # a refresh, a resize or a new pixel ratio drops it and draws it again from the kernel's event
    # loop, not on the next move. (The message says the figure's own size and ratio: nothing else changes.)
    explorer = explorers.Descent1DExplorer()
    kept, canvas = explorer._background, explorer.fig.canvas
    canvas.syncing_data_url = False
    width, height = explorer._css_size()
    content = {"type": kind, "width": width, "height": height, "dpi_ratio": 1, "device_pixel_ratio": 1}

    async def handshake_then_idle():
        canvas._handle_custom_msg(content, [])
        assert explorer._background is None and explorer.pending()
        for _ in range(300):
            await asyncio.sleep(0.01)
            if not explorer.pending():
                return

    asyncio.run(handshake_then_idle())
    assert not explorer.pending() and explorer._background is not None and explorer._background is not kept
    for artist in explorer.moving:  # the background is the figure without its moving artists
        artist.set_visible(False)
    np.testing.assert_array_equal(explorer._background_pixels, pixels.render(explorer))


def test_other_front_end_messages_keep_the_background():
    explorer = explorers.Descent1DExplorer()
    kept = explorer._background
    explorer.fig.canvas._handle_custom_msg({"type": "ack"}, [])
    assert explorer._background is kept


@pytest.mark.parametrize("cls", EXPLORERS, ids=lambda cls: cls.__name__)
def test_the_widget_shown_is_the_sliders_then_the_figure_then_the_readout(cls, monkeypatch):
    import IPython.display

    explorer = cls()
    sliders, canvas, readout = explorer.widget.children
    assert list(sliders.children) == list(explorer.controls.values())
    assert sliders.layout.flex_flow == "row wrap"  # the sliders wrap on a narrow page
    assert canvas is explorer.fig.canvas and readout is explorer.readout
    assert explorer.widget._dom_classes == ("nbkit-explorer",)
    # the figure alone: no toolbar, title bar or footer, and a fixed size (the layout is drawn for it)
    assert (canvas.toolbar_visible, canvas.header_visible, canvas.footer_visible, canvas.resizable) == (
        False, False, False, False)
    assert [control._dom_classes for control in explorer.controls.values()] == [
        (f"nbkit-{name}",) for name in explorer.controls]
    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects: shown.extend(objects))
    explorer._ipython_display_()
    assert shown == [explorer.widget]


def test_an_explorer_made_in_a_running_kernel_shows_its_whole_run_at_once():
    # A notebook cell runs inside the kernel's event loop; only slider moves get a time budget,
    # so the figure under the cell shows the whole run of the values it was made with.
    async def make():
        return explorers.MLPExplorer(epochs=1000)

    explorer = asyncio.run(make())
    assert explorer.finished(explorer.state) and len(explorer.state.history.losses) == 1001
