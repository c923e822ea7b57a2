"""Validate the parameters a learner passes in, with errors that name the parameter and its range.

Every public compute function calls these first, so a bad value fails at once with a message
such as ``lr must be a finite number > 0; got nan`` instead of a NaN-filled plot later.
"""

import numbers

import numpy as np


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def positive(value, name):
    """Return `value` as a float; raise ValueError/TypeError unless it is a finite number > 0."""
    if not _is_real(value):
        raise TypeError(f"{name} must be a finite number > 0; got {value!r} of type {type(value).__name__}")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0; got {value!r}")
    return value


def count(value, name, minimum=0):
    """Return `value` as an int; raise unless it is an integer >= `minimum` (bools are refused)."""
    if not isinstance(value, numbers.Integral) or isinstance(value, bool):
        raise TypeError(f"{name} must be an integer >= {minimum}; got {value!r} of type {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {value}")
    return int(value)


def finite_array(value, name, shape=None, min_size=1):
    """Return `value` as a float ndarray; raise unless it is numeric, finite, and of `shape`.

    `shape` is a tuple in which None matches any length, e.g. (None, 3) for n samples of 3.
    `min_size` is the fewest elements allowed (1: empty data is refused).
    """
    if isinstance(value, (str, bytes)) or (_is_scalar_like(value) and not _is_real(value)):
        raise TypeError(f"{name} must be a finite number or array of numbers; got {value!r}")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a finite number or array of numbers; got {value!r}") from None
    if shape is not None and (array.ndim != len(shape)
                              or any(s is not None and s != n for s, n in zip(shape, array.shape))):
        wanted = "(" + ", ".join("n" if s is None else str(s) for s in shape) + ")"
        raise ValueError(f"{name} must have shape {wanted}; got shape {array.shape}")
    if array.size < min_size:
        raise ValueError(f"{name} must not be empty; got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must contain only finite numbers (no NaN or inf); got {value!r}")
    return array


def _is_scalar_like(value):
    return np.ndim(value) == 0 and not isinstance(value, np.ndarray)


def one_of(value, name, options):
    """Return `value` if it is one of `options`; raise ValueError naming the parameter and the options."""
    if isinstance(value, str) and value in options:
        return value
    raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}; got {value!r}")
