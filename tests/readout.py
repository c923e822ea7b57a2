"""Read the numbers out of an explorer's readout, whatever its wording, to compare with its state.

A readout is HTML text; its numbers are printed rounded (3 significant digits, fewer for a
gradient). `numbers(html)` returns every number in it; `shows(html, value)` says whether one of
them is `value` to the rounding of a readout. Tests pick states in which a wrong value (x0 for
the last x, a ratio inverted) differs from the right one by far more than that rounding.
"""

import html
import math
import re

#: The colours readouts give a verdict in: green for a run that works, amber for one that works
#: badly (it oscillates, crawls, stalls, or its loss rose on some epochs), red for one that fails.
GREEN, AMBER, RED = "#1b7a1b", "#b9770e", "#b03a2e"

_TAG = re.compile(r"<[^>]+>")
# A number not glued to a name (x0, L1, r_x are names, not numbers); − (U+2212) is a minus sign too.
_NUMBER = re.compile(r"(?<![\w.])[-−]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?", re.IGNORECASE)


def text(readout_html):
    """Return the readout as plain text: tags removed, entities decoded."""
    return html.unescape(_TAG.sub("", readout_html))


def numbers(readout_html):
    """Return every number of the readout, in order, as floats."""
    return [float(n.replace("−", "-")) for n in _NUMBER.findall(text(readout_html))]


def shows(readout_html, value, rel=0.006, abs=0.0):
    """Return True when a number of the readout equals `value` to within `rel` or `abs` (its rounding).

    3 significant digits round by at most 0.5% of the value (rel = 0.006); 2 digits by 5%;
    4 decimals by 5e-5 (abs).
    """
    return any(math.isclose(n, value, rel_tol=rel, abs_tol=abs) for n in numbers(readout_html))
