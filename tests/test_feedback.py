"""Feedback as the learner sees it: a green tick or a red cross with the message, and learner code
that raises or still returns the placeholder turned into a hint instead of a traceback."""

import html
import re

from nbkit.exercises.feedback import Feedback, as_number, call, right, wrong

GREEN, RED = "#1b7a1b", "#b03a2e"


def shown(feedback):
    """Return (border colour, mark, message) parsed from the HTML the notebook shows."""
    match = re.fullmatch(r'<div class="nbkit-feedback" style="border-left: 4px solid (#[0-9a-f]{6}); padding: 4px 10px">'
                         r'<b style="color: (#[0-9a-f]{6})">(.+?)</b> (.*)</div>', feedback._repr_html_())
    assert match, feedback._repr_html_()
    border, colour, mark, message = match.groups()
    assert border == colour
    return colour, mark, html.unescape(message)


def test_a_right_answer_shows_a_green_tick_and_a_wrong_one_a_red_cross():
    assert shown(right("ŷ < 1 & y > 0")) == (GREEN, "✅ Correct.", "ŷ < 1 & y > 0")
    assert shown(wrong("try <b>")) == (RED, "❌ Not yet.", "try <b>")  # the message is escaped, shown as written
    assert repr(right("why")) == "✅ Correct. why" and repr(wrong("hint")) == "❌ Not yet. hint"
    assert right("m") == Feedback(True, "m") and wrong("m") == Feedback(False, "m")


def test_call_turns_what_learner_code_does_wrong_into_a_hint():
    assert call(lambda x: 2 * x, 3) == (6, None)
    value, feedback = call(3.0, 1)
    assert value is None and feedback == wrong("pass a function; got float.")
    value, feedback = call(lambda x: 1 / x, 0)
    assert value is None and feedback == wrong("your function raised ZeroDivisionError: division by zero")
    for placeholder in (..., None):
        value, feedback = call(lambda x: placeholder, 0)
        assert value is None
        assert feedback == wrong("your function still returns the placeholder; replace `...` with your formula.")


def test_as_number_names_the_answer_it_rejects():
    assert as_number("2.5") == (2.5, None)
    assert as_number(..., "lr")[1] == wrong("set lr to a number in place of `...`.")
    assert as_number("abc", "lr")[1] == wrong("lr must be a number; got 'abc'.")
    assert as_number(float("inf"), "lr")[1] == wrong("lr must be a finite number; got inf.")
