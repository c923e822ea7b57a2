import numpy as np
import pytest

from nbkit.exercises import Feedback
from nbkit.exercises import descent as check


def test_update_rule_accepts_the_right_update():
    fb = check.update_rule(lambda x, lr: x - lr * 2 * x)
    assert isinstance(fb, Feedback) and fb.correct
    assert check.update_rule(lambda x, lr: (1 - 2 * lr) * x).correct


@pytest.mark.parametrize("step, hint", [
    (lambda x, lr: x - 2 * x, "learning rate is missing"),
    (lambda x, lr: x + lr * 2 * x, "uphill"),
    (lambda x, lr: x - lr * x, "derivative of x²"),
    (lambda x, lr: x - 0.1 * 2 * x, "not x − lr·f'(x)"),
    (lambda x, lr: ..., "placeholder"),
    (lambda x, lr: 1 / 0, "raised ZeroDivisionError"),
    (lambda x, lr: "x", "should return a number"),
    (42, "pass a function"),
])
def test_update_rule_rejects_wrong_updates_with_a_hint(step, hint):
    fb = check.update_rule(step)
    assert not fb.correct
    assert hint in fb.message


def test_fastest_lr():
    assert check.fastest_lr(0.5).correct
    for answer, hint in [(0.1, "takes 93 steps"), (0.45, "steps"), (0.7, "steps"), (1.0, "never"),
                         (1.3, "never"), (-0.2, "must be > 0"), (..., "in place of"), ("fast", "must be a number")]:
        fb = check.fastest_lr(answer)
        assert not fb.correct and hint in fb.message, (answer, fb)


def test_steps_needed_is_the_first_step_below_the_tolerance():
    want = int(np.ceil(np.log(1e-9) / np.log(0.8)))
    assert check.steps_needed(want).correct
    assert not check.steps_needed(want - 1).correct
    assert "sooner" in check.steps_needed(want + 1).message
    assert "whole number" in check.steps_needed(12.5).message


def test_feedback_never_contains_the_solution_when_wrong():
    assert "0.5" not in check.fastest_lr(0.3).message
    want = str(int(np.ceil(np.log(1e-9) / np.log(0.8))))
    assert want not in check.steps_needed(10).message


def test_feedback_renders_as_text_and_html():
    fb = check.fastest_lr(0.5)
    assert repr(fb).startswith("✅ Correct.")
    assert "nbkit-feedback" in fb._repr_html_()
    assert repr(check.fastest_lr(0.2)).startswith("❌ Not yet.")
