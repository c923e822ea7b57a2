"""Display nbkit objects in a notebook: the real source of a function, and static figures.

A notebook calls ``show.source(nbkit.descent.gradient_descent)`` instead of copying the code, so
the package stays the one source of truth and the learner still reads what runs.
"""

import inspect
import io

from IPython.display import Code, Image, display


def source(obj):
    """Display the source code of a function or class, syntax highlighted; return None."""
    if not (inspect.isfunction(obj) or inspect.isclass(obj) or inspect.ismethod(obj) or inspect.ismodule(obj)):
        raise TypeError(f"obj must be a function, class or module (e.g. nbkit.descent.gradient_descent); "
                        f"got {obj!r:.60} of type {type(obj).__name__}")
    display(Code(inspect.getsource(obj), language="python"))


def png(fig, dpi=100):
    """Display a matplotlib Figure as a PNG image (kept in the saved notebook); return None.

    Static figures are made with matplotlib.figure.Figure, not pyplot, so that under
    `%matplotlib widget` they become plain images that GitHub and nbviewer show.
    """
    if not callable(getattr(fig, "savefig", None)):
        raise TypeError(f"fig must be a matplotlib Figure; got {type(fig).__name__}")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    display(Image(data=buffer.getvalue(), format="png"))
