"""Validate the parameters a learner passes in, with errors that name the parameter and its range.

Every public function calls these first, so a bad value fails at once with a message such as
``lr must be a finite number > 0; got nan`` instead of a NaN-filled plot later. Each message
names the parameter, says what was expected and shows what was got.

    positive, number, count        a float > 0, any finite float, an integer in a range
    in_range                       a number inside a slider's range
    finite_array                   a finite float array, optionally of a given shape
    function, returned             a callable, and what a (learner's) function returned
    index                          an index into a list of `size` items (no negatives)
    TooLarge                       the error of a result beyond the float range
"""

import math
import numbers

import numpy as np

#: The most steps (or epochs) one call may run: a few seconds at most, never minutes.
MAX_STEPS = 100_000


class TooLarge(ValueError):
    """A finite input whose result does not fit in a float (beyond about 1.8e308)."""


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _got(value):
    """Return `value` for a message: its repr, shortened to 80 characters."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _typed(value):
    """Return `value` for a message about its type: its short repr and its type's name."""
    return f"{_got(value)} of type {type(value).__name__}"


def positive(value, name, maximum=None):
    """Return `value` as a float; raise ValueError/TypeError unless it is a finite number > 0 (and <= maximum)."""
    wanted = f"{name} must be a finite number > 0" + (f" and <= {maximum:g}" if maximum is not None else "")
    if not _is_real(value):
        raise TypeError(f"{wanted}; got {_typed(value)}")
    value = float(value)
    if not np.isfinite(value) or value <= 0 or (maximum is not None and value > maximum):
        raise ValueError(f"{wanted}; got {value!r}")
    return value


def fraction(value, name):
    """Return `value` as a float; raise ValueError/TypeError unless it is a finite number with 0 <= value < 1."""
    if not _is_real(value):
        raise TypeError(f"{name} must be a finite number in [0, 1); got {value!r} of type {type(value).__name__}")
    value = float(value)
    if not (0 <= value < 1):
        raise ValueError(f"{name} must be a finite number in [0, 1); got {value!r}")
    return value


def number(value, name):
    """Return `value` as a float; raise ValueError/TypeError unless it is a finite real number."""
    if not _is_real(value) and not (isinstance(value, np.ndarray) and value.shape == ()
                                    and np.issubdtype(value.dtype, np.number)
                                    and not np.issubdtype(value.dtype, np.complexfloating)):
        raise TypeError(f"{name} must be a finite number; got {_typed(value)}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number; got {value!r}")
    return value


def count(value, name, minimum=0, maximum=None):
    """Return `value` as an int; raise unless it is an integer >= `minimum` and <= `maximum` (bools are refused)."""
    wanted = f"{name} must be an integer >= {minimum}" + (f" and <= {maximum}" if maximum is not None else "")
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{wanted}; got {_typed(value)}")
    if value < minimum or (maximum is not None and value > maximum):
        raise ValueError(f"{wanted}; got {value}")
    return int(value)


def in_range(value, name, lo, hi, integer=False):
    """Return `value` (float, or int if `integer`) when it lies in lo…hi; raise naming the slider and its range."""
    wanted = f"{name} must be {'an integer' if integer else 'a number'} in the {name} slider's range {lo:g} … {hi:g}"
    if integer:
        if not isinstance(value, numbers.Integral) or isinstance(value, bool):
            raise TypeError(f"{wanted}; got {_typed(value)}")
    elif not _is_real(value):
        raise TypeError(f"{wanted}; got {_typed(value)}")
    if not (np.isfinite(float(value)) and lo <= value <= hi):
        raise ValueError(f"{wanted}; got {value!r}")
    return int(value) if integer else float(value)


def index(value, name, size):
    """Return `value` as an int in 0 … size − 1; raise naming `name` (negative indices are refused)."""
    wanted = f"{name} must be an integer from 0 to {size - 1}"
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{wanted}; got {_typed(value)}")
    if not 0 <= value < size:
        raise ValueError(f"{wanted}; got {value}")
    return int(value)


def _shape_text(shape):
    parts = ["n" if s is None else str(s) for s in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def _fits(array, shape):
    return array.ndim == len(shape) and all(s is None or s == n for s, n in zip(shape, array.shape))


def finite_array(value, name, shape=None, min_size=1):
    """Return `value` as a float ndarray; raise unless it is numeric, finite, and of `shape`.

    `shape` is a tuple in which None matches any length, e.g. (None, 3) for n samples of 3.
    `min_size` is the fewest elements allowed (1: empty data is refused). Complex numbers,
    strings, None and ragged lists are refused with a TypeError.
    """
    expected = f"{name} must be a finite number or array of numbers"
    if _is_scalar_like(value) and not _is_real(value):  # None, ..., a string, a bool, a function, a dict
        raise TypeError(f"{expected}; got {_got(value)}")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        raise TypeError(f"{expected} (a number, or nested lists of equal lengths); got {_got(value)}") from None
    if np.issubdtype(array.dtype, np.complexfloating):
        raise TypeError(f"{expected}, not complex; got {_got(value)}")
    try:
        array = array.astype(float, copy=False)
    except (TypeError, ValueError):
        raise TypeError(f"{expected}; got {_got(value)}") from None
    if shape is not None and not _fits(array, shape):
        raise ValueError(f"{name} must have shape {_shape_text(shape)}; got shape {array.shape}")
    if array.size < min_size:
        raise ValueError(f"{name} must not be empty; got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers (no NaN or inf); got {_got(value)}")
    return array


def _is_scalar_like(value):
    """Return True for a value numpy sees as 0-dimensional that is not an array (a number, None, a string, an object)."""
    try:
        return np.ndim(value) == 0 and not isinstance(value, np.ndarray)
    except ValueError:  # a ragged list: not a scalar (asarray refuses it next)
        return False


def one_of(value, name, options):
    """Return `value` if it is one of `options`; raise ValueError naming the parameter and the options."""
    if isinstance(value, str) and value in options:
        return value
    raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}; got {value!r}")


def function(value, name):
    """Return `value` if it is callable; raise TypeError naming `name` (and the fix, for an objective)."""
    if callable(value):
        return value
    hint = ""
    if callable(getattr(value, "gradient", None)):
        hint = f" (an objective was passed: pass its gradient, e.g. {name}=objective.gradient)"
    raise TypeError(f"{name} must be a function{hint}; got {_typed(value)}")


def returned(value, call, shape=None, finite=True):
    """Return what a function returned as a float array; raise naming the call and what it returned.

    `call` is how the call reads in the message, e.g. "gradient(x)"; `shape` as in finite_array.
    A learner's function that returns None, `...`, a string or NaN gets a message that says so.
    With finite=False, inf and NaN (an overflow the caller judges) are let through.
    """
    if type(value) is np.ndarray and value.dtype == np.float64 and (shape is None or value.shape == shape):
        if not finite or np.isfinite(value).all():  # the fast, usual case
            return value
    if type(value) in (float, np.float64) and shape in (None, ()) and (not finite or math.isfinite(value)):
        return np.float64(value)  # a float answer, as a function of one coordinate returns
    wanted = "a finite number" if shape == () else "finite numbers"
    if shape not in (None, ()):
        wanted += f" of shape {_shape_text(shape)}"
    if value is None or value is Ellipsis:
        why = " (does it end with `return`?)" if value is None else " (the placeholder `...`)"
        raise TypeError(f"{call} must return {wanted}; it returned {value!r}{why}")
    try:
        array = finite_array(value if finite else np.nan_to_num(value, nan=0, posinf=0, neginf=0),
                             call, shape=shape, min_size=0)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{call} must return {wanted}; it returned {_got(value)}") from None
    return array if finite else np.asarray(value, dtype=float)
