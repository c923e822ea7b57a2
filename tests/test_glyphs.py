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
