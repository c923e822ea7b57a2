"""The message of the error a call raises, for tests that pin what a learner reads, word for word."""

import pytest


def message_of(call, error, *args):
    """Return the text of the `error` that call(*args) raises; the test fails if it raises nothing or another type."""
    with pytest.raises(error) as raised:
        call(*args)
    return str(raised.value)
