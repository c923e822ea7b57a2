"""Text stamped from cached glyphs: a whole text composed once lands where its glyphs, blended one by one, would."""

import numpy as np
import pytest

from nbkit.plotting import glyphs


def one_by_one(text, size, dpi, x, baseline, shape=(60, 200)):
    """Return a white RGBA buffer with `text` blended glyph by glyph, the pen starting at x (float)."""
    buffer = np.full(shape + (4,), 255, np.uint8)
    pen = x
    for coverage, dx, dy, advance in (glyphs.glyph(c, size, dpi) for c in text):
        if coverage.size:
            glyphs._blend(buffer, coverage, int(round(pen)) + dx, baseline + dy, np.zeros(3))
        pen += advance
    return buffer


@pytest.mark.parametrize("text, x", [("a = 0.5878", 10.0), ("δ = −0.02697", 13.37), ("∂ℓ/∂ŷ = −0.6756", 7.5001),
                                     ("W₄[1, 1]", 20.9)])
def test_a_text_composed_once_matches_its_glyphs_blended_one_by_one(text, x):
    size, dpi, baseline = 8, 100, 40
    expected = one_by_one(text, size, dpi, x, baseline)
    buffer = np.full(expected.shape, 255, np.uint8)
    column = int(np.floor(x))
    coverage, left, top = glyphs.text_coverage(text, size, dpi, x - column)
    glyphs._blend(buffer, coverage, column + left, baseline + top, np.zeros(3))
    assert (expected[..., :3] < 200).sum() > 20  # the text is there
    # Where two glyphs touch, one blend of the composed coverage rounds once instead of twice.
    assert np.abs(buffer.astype(int) - expected.astype(int)).max() <= 1


def _render(draw, dpi=100):
    """Return the RGB pixels of a 2 × 1 inch axes-filling figure after draw(ax)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(figsize=(2, 1), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set(xlim=(0, 1), ylim=(0, 1))
    ax.set_axis_off()
    draw(ax)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)


def _ink(pixels, background=255):
    """Return the box (top, left, bottom, right) of the pixels that are not the background."""
    rows, cols = np.nonzero((np.abs(pixels - background) > 40).any(axis=-1))
    return rows.min(), cols.min(), rows.max(), cols.max()


@pytest.mark.parametrize("ha", ["left", "center", "right"])
@pytest.mark.parametrize("va", ["baseline", "bottom", "top", "center"])
def test_a_glyph_text_lands_where_matplotlibs_text_does(ha, va):
    """Same place (within 2 pixels, for each alignment, with an offset in points), same colour as ax.text."""
    from matplotlib.transforms import Affine2D
    words, offset, colour = "δ = −0.25", (6, -4), "#c0392b"
    stamped = _render(lambda ax: ax.add_artist(glyphs.GlyphText(0.5, 0.5, words, color=colour, fontsize=9, ha=ha, va=va,
                                                                offset=offset)))
    drawn = _render(lambda ax: ax.text(0.5, 0.5, words, color=colour, fontsize=9, ha=ha, va=va,
                                       transform=ax.transData + Affine2D().translate(6 * 100 / 72, -4 * 100 / 72)))
    assert np.abs(np.subtract(_ink(stamped), _ink(drawn))).max() <= 2, (_ink(stamped), _ink(drawn))
    darkest = stamped.reshape(-1, 3)[np.argmin(stamped.sum(axis=-1))]
    assert np.abs(darkest - np.array([0xc0, 0x39, 0x2b])).max() <= 12  # the text's own colour where fully covered


def test_a_glyph_text_background_box_covers_its_text_and_empty_text_draws_nothing():
    grey = _render(lambda ax: (ax.axhspan(0, 1, color="0.5"),
                               ax.add_artist(glyphs.GlyphText(0.5, 0.5, "ab", fontsize=9, background=(1, 1, 1, 1), zorder=3))))
    top, left, bottom, right = _ink(grey, background=128)  # the white box on the grey
    box = grey[top:bottom + 1, left:right + 1]
    assert (box == 255).all(axis=-1).mean() > 0.5  # mostly white: the box
    text = _ink(_render(lambda ax: ax.add_artist(glyphs.GlyphText(0.5, 0.5, "ab", fontsize=9))))
    assert top <= text[0] and left <= text[1] and bottom >= text[2] and right >= text[3]
    blank = _render(lambda ax: ax.add_artist(glyphs.GlyphText(0.5, 0.5, "", fontsize=9, background="k")))
    assert (blank == 255).all()
    artist = glyphs.GlyphText(0.5, 0.5, "a")
    artist.set_text("b")
    assert artist.get_text() == "b" and artist.stale
