"""Images of an explorer's figure rendered independently of what the explorer sent.

`render(explorer)` draws the whole figure with plain Agg (FigureCanvasAgg.draw): nothing is sent
to a front end and the explorer's kept background is left alone, so it is an image the explorer
under test did not make. `footprint(explorer, artist)` is the set of pixels where that artist
shows in such a render: those that change when it is hidden.
"""

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg


#: The share of an artist's pixels a correct blit shows as a full draw does. Measured: at least
#: 90% for every moving artist of every explorer (the rest is where a full draw puts a legend,
#: an axes spine or another artist over it and the blit draws it over them, or the reverse);
#: a missing or misplaced artist shows on about 0%.
SHOWN = 0.75


def render(explorer):
    """Return the figure as a full Agg draw would show it now, RGBA (h, w, 4), sending nothing."""
    canvas = explorer.fig.canvas
    FigureCanvasAgg.draw(canvas)
    return np.asarray(canvas.buffer_rgba()).copy()


def footprint(explorer, artist, full=None):
    """Return a boolean mask (h, w) of the pixels a full draw changes when `artist` is hidden."""
    full = render(explorer) if full is None else full
    artist.set_visible(False)
    try:
        hidden = render(explorer)
    finally:
        artist.set_visible(True)
    return (hidden != full).any(axis=2)


def alone(explorer, artist):
    """Return a boolean mask (h, w) of the pixels `artist` covers when drawn alone on a clear canvas.

    One artist's draw, not two whole figures: cheap enough to do for every moving artist after
    every move. Pixels it covers under another artist (a legend, a marker drawn later) count too.
    """
    canvas = explorer.fig.canvas
    renderer = canvas.get_renderer()
    renderer.clear()
    explorer.fig.draw_artist(artist)
    return np.asarray(renderer.buffer_rgba())[..., 3] > 0


def differ(a, b):
    """Return the fraction of pixels where two RGBA images differ."""
    return float(np.mean((a != b).any(axis=2)))


def assert_each_moving_artist_is_shown(explorer, sent, where="", full=None):
    """Every moving artist shows in `sent` as in a full draw: on at least SHOWN of its footprint.

    `full` is render(explorer) of the current state if the caller has it already (rendered here otherwise).

    A frame sent without an artist, or with it in another place, shows the background where
    the artist should be, so it matches the full draw on (almost) none of that artist's pixels.
    Return the indices (into explorer.moving) of the artists that had pixels in view; the caller
    checks that, over its states, every artist was seen.
    """
    full = render(explorer) if full is None else full
    masks = [alone(explorer, artist) for artist in explorer.moving]
    # Leave the canvas as a full draw shows it: alone() drew single artists over a cleared canvas.
    # The same pixels as drawing the figure again (an Agg draw of one state is exact), at a copy's cost.
    np.asarray(explorer.fig.canvas.get_renderer().buffer_rgba())[...] = full
    seen = set()
    for i, (artist, mask) in enumerate(zip(explorer.moving, masks)):
        if not mask.any():  # nothing of it in view in this state (e.g. a bar at the floor)
            continue
        seen.add(i)
        shown = np.mean((sent[mask] == full[mask]).all(axis=1))
        assert shown >= SHOWN, (f"{where}: moving artist {i} ({artist}) shows on only {shown:.1%} of its "
                               f"{mask.sum()} pixels in the sent frame")
    return seen
