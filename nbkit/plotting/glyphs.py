"""Text stamped from cached glyph bitmaps, for figures that rewrite many numbers on every frame.

matplotlib renders a text glyph by glyph through FreeType, about 2 ms for a short text here; a
stepper writes up to thirty numbers on each step. GlyphText renders each character once (per
size and resolution) and composes each text from them once per position (text_coverage), then
writes it into the Agg buffer with one numpy blend, about a hundredth of the cost. The characters are spaced by their advance widths, without
kerning (what a number needs). On any renderer but Agg (PDF, SVG) it draws an ordinary Text.
"""

import math
from functools import lru_cache

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.text import Text
from matplotlib.transforms import Affine2D


@lru_cache(maxsize=4096)
def glyph(char, size, dpi):
    """Return (coverage, dx, dy, advance) of one character at `size` points and `dpi`.

    coverage: float array (h, w) in [0, 1]; (dx, dy): its top-left pixel relative to the pen on
    the baseline (dy downwards); advance: how far the pen moves, in pixels (float).
    """
    prop = FontProperties(size=size)
    font = get_font(findfont(prop))
    font.set_size(size, dpi)
    advance = font.load_char(ord(char)).linearHoriAdvance / 65536
    pad = int(4 * size * dpi / 72) + 4
    renderer = RendererAgg(2 * pad, 2 * pad, dpi)
    gc = renderer.new_gc()
    gc.set_foreground("k")
    renderer.draw_text(gc, pad, pad, char, prop, 0)
    alpha = np.asarray(renderer.buffer_rgba())[..., 3]
    rows, cols = np.nonzero(alpha)
    if not rows.size:  # a space
        return np.zeros((0, 0)), 0, 0, advance
    top, bottom, left, right = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
    baseline = renderer.height - pad
    return alpha[top:bottom, left:right] / 255.0, int(left - pad), int(top - baseline), advance


@lru_cache(maxsize=64)
def metrics(size, dpi):
    """Return (ascent, descent) in pixels of digits and capitals at `size` and `dpi` (descent ≥ 0)."""
    tops = [glyph(c, size, dpi) for c in "0123456789ALy(∂"]
    ascent = max(-dy for cov, dx, dy, adv in tops if cov.size)
    descent = max(cov.shape[0] + dy for cov, dx, dy, adv in tops if cov.size)
    return ascent, max(descent, 0)


class GlyphText(Artist):
    """A text at data point (x, y) of an axes, like ax.text(x, y, text, ha=…, va=…, color=…, fontsize=…).

    offset: (dx, dy) in points from (x, y); background: a colour for a box behind the text, or None.
    """

    def __init__(self, x, y, text="", color="k", fontsize=8, ha="left", va="baseline", background=None,
                 offset=(0, 0), **kwargs):
        super().__init__()
        self._xy, self._text, self._size, self._offset = (x, y), text, fontsize, offset
        self._background = None if background is None else np.array(to_rgba(background)) * 255
        self._rgb = np.array(to_rgba(color)[:3]) * 255
        self._ha, self._va = ha, va
        self.set(**kwargs)

    def set_text(self, text):
        """Set the text (a str); return None."""
        self._text = text
        self.stale = True

    def get_text(self):
        """Return the text, a str."""
        return self._text

    def draw(self, renderer):
        if not self.get_visible() or not self._text:
            return
        if not isinstance(renderer, RendererAgg):
            text = Text(*self._xy, self._text, color=self._rgb / 255, fontsize=self._size, ha=self._ha, va=self._va,
                        transform=self.axes.transData + Affine2D().translate(*np.asarray(self._offset) * renderer.dpi / 72),
                        figure=self.figure)
            text.draw(renderer)
            return
        dpi = renderer.dpi
        width = sum(glyph(c, self._size, dpi)[3] for c in self._text)
        x, y = self.axes.transData.transform(self._xy) + np.asarray(self._offset) * dpi / 72
        ascent, descent = metrics(self._size, dpi)
        x -= {"left": 0, "center": width / 2, "right": width}[self._ha]
        y += {"baseline": 0, "bottom": descent, "top": -ascent, "center": (descent - ascent) / 2}[self._va]
        buffer = np.asarray(renderer.buffer_rgba())
        baseline = int(round(renderer.height - y))
        if self._background is not None:  # a box behind the text, so it reads over lines
            box = np.ones((ascent + descent + 2, int(np.ceil(width)) + 2))
            _blend(buffer, box * self._background[3] / 255, int(round(x)) - 1, baseline - ascent - 1, self._background[:3])
        column = math.floor(x)
        coverage, left, top = text_coverage(self._text, self._size, dpi, x - column)
        if coverage.size:
            _blend(buffer, coverage, column + left, baseline + top, self._rgb)
        self.stale = False


@lru_cache(maxsize=4096)
def text_coverage(text, size, dpi, frac):
    """Return (coverage, left, top): the glyphs of `text` composed into one array (h, w) in [0, 1].

    The pen starts `frac` (in [0, 1)) pixels past a pixel column; each glyph goes where the pen
    rounds to, and the pen moves by its advance. left, top: the array's top-left pixel relative
    to that column and to the baseline row. Composed once per text and position, a text is then
    one blend into the figure, not one per character.
    """
    placed, pen = [], frac
    for coverage, dx, dy, advance in (glyph(c, size, dpi) for c in text):
        if coverage.size:
            placed.append((coverage, int(round(pen)) + dx, dy))
        pen += advance
    if not placed:
        return np.zeros((0, 0)), 0, 0
    left, top = min(l for _, l, _ in placed), min(t for _, _, t in placed)
    right = max(l + c.shape[1] for c, l, _ in placed)
    bottom = max(t + c.shape[0] for c, _, t in placed)
    out = np.zeros((bottom - top, right - left))
    for coverage, l, t in placed:  # glyphs that touch: 1 − (1 − a)(1 − b), as one painted over the other
        region = out[t - top:t - top + coverage.shape[0], l - left:l - left + coverage.shape[1]]
        region += coverage * (1 - region)
    out.flags.writeable = False
    return out, left, top


def _blend(buffer, coverage, left, top, rgb):
    """Composite colour rgb with `coverage` (h, w) into buffer (H, W, 4) at (left, top), clipped."""
    h, w = coverage.shape
    H, W = buffer.shape[:2]
    r0, c0, r1, c1 = max(top, 0), max(left, 0), min(top + h, H), min(left + w, W)
    if r0 >= r1 or c0 >= c1:
        return
    a = coverage[r0 - top:r1 - top, c0 - left:c1 - left, None]
    region = buffer[r0:r1, c0:c1]
    region[..., :3] = (region[..., :3] * (1 - a) + rgb * a + 0.5).astype(np.uint8)
    region[..., 3] = np.maximum(region[..., 3], (a[..., 0] * 255 + 0.5).astype(np.uint8))
