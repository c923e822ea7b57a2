"""The Feedback an exercise checker returns, and calling a learner's function safely."""

import html
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Feedback:
    """Whether an answer is right, and a message: praise with the reason, or a hint."""

    correct: bool
    message: str

    def __repr__(self):
        return ("✅ Correct. " if self.correct else "❌ Not yet. ") + self.message

    def _repr_html_(self):
        colour, mark = ("#1b7a1b", "✅ Correct.") if self.correct else ("#b03a2e", "❌ Not yet.")
        return (f'<div class="nbkit-feedback" style="border-left: 4px solid {colour}; '
                f'padding: 4px 10px"><b style="color: {colour}">{mark}</b> '
                f"{html.escape(self.message)}</div>")


def right(message):
    """Return Feedback for a correct answer, with `message` saying why it is right."""
    return Feedback(True, message)


def wrong(hint):
    """Return Feedback for a wrong answer, with `hint` pointing the way without the solution."""
    return Feedback(False, hint)


def call(function, *args):
    """Return (value, None) from function(*args), or (None, Feedback) saying what went wrong.

    Learner code can raise or return `...` (the placeholder); neither becomes a traceback.
    """
    if not callable(function):
        return None, wrong(f"pass a function; got {type(function).__name__}.")
    try:
        value = function(*args)
    except Exception as error:  # the learner's code: report it, do not crash the notebook
        return None, wrong(f"your function raised {type(error).__name__}: {error}")
    if value is Ellipsis or value is None:
        return None, wrong("your function still returns the placeholder; replace `...` with your formula.")
    return value, None


def as_number(answer, name="answer"):
    """Return (float, None) for a real number, or (None, Feedback) when it is not one."""
    if answer is Ellipsis or answer is None:
        return None, wrong(f"set {name} to a number in place of `...`.")
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None, wrong(f"{name} must be a number; got {answer!r}.")
    if not math.isfinite(value):
        return None, wrong(f"{name} must be a finite number; got {value}.")
    return value, None
