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


# Notebook 02.

def test_gradient_2d_accepts_the_right_gradient():
    assert check.gradient_2d(lambda x, y, a: (2 * x, 2 * a * y)).correct
    assert check.gradient_2d(lambda x, y, a: np.array([2.0 * x, 2.0 * a * y])).correct


@pytest.mark.parametrize("grad, hint", [
    (lambda x, y, a: (2 * x, 2 * y), "should depend on a"),
    (lambda x, y, a: (-2 * x, -2 * a * y), "points downhill"),
    (lambda x, y, a: (2 * a * y, 2 * x), "swapped"),
    (lambda x, y, a: (x, a * y), "half"),
    (lambda x, y, a: (2 * x, a * y), "check ∂f/∂y"),
    (lambda x, y, a: (x, 2 * a * y), "check ∂f/∂x"),
    (lambda x, y, a: (x * x, a * y * y), "is not (∂f/∂x, ∂f/∂y)"),
    (lambda x, y, a: 2 * x, "return a pair"),
    (lambda x, y, a: (2 * x, 2 * a * y, 0), "return a pair"),
    (lambda x, y, a: ("2x", "2ay"), "two numbers"),
    (lambda x, y, a: ..., "placeholder"),
    (lambda x, y: (2 * x, 2 * y), "raised TypeError"),
    ("2x, 2ay", "pass a function"),
])
def test_gradient_2d_rejects_wrong_gradients_with_a_hint(grad, hint):
    fb = check.gradient_2d(grad)
    assert not fb.correct
    assert hint in fb.message


@pytest.mark.parametrize("answer", [0.1, 1 / 10, "0.1", np.float64(0.1)])
def test_largest_stable_lr_accepts_1_over_a(answer):
    fb = check.largest_stable_lr(answer)
    assert fb.correct and "1/a" in fb.message


@pytest.mark.parametrize("a", [2.0, 5.0, 20.0])
def test_largest_stable_lr_follows_a(a):
    assert check.largest_stable_lr(1 / a, a=a).correct
    assert not check.largest_stable_lr(1 / a * 1.01, a=a).correct
    assert not check.largest_stable_lr(0.1, a=a).correct


@pytest.mark.parametrize("answer, hint", [
    (1.0, "round bowl"), (0.2, "y grows"), (0.11, "y grows"), (0.05, "one step"), (0.03, "both are inside"),
    (0.0999, "both are inside"), (0.0, "must be > 0"), (-0.1, "must be > 0"), (..., "in place of `...`"),
    ("ten", "must be a number"), (float("nan"), "finite"),
])
def test_largest_stable_lr_rejects_wrong_answers_with_a_hint(answer, hint):
    fb = check.largest_stable_lr(answer)
    assert not fb.correct
    assert hint in fb.message
    assert "1/a = " not in fb.message  # a hint never states the limit


def test_same_steps_as_wants_the_other_lr_with_the_same_abs_r():
    assert check.same_steps_as(0.9).correct and check.same_steps_as(0.6, lr=0.4).correct
    fb = check.same_steps_as(0.9)
    assert "the same |r|" in fb.message and "93 steps" in fb.message
    for answer, hint in [(0.1, "itself"), (0.5, "takes 1 steps"), (0.85, "which other lr"), (1.2, "never gets there"),
                         (0.0, "must be > 0"), (..., "in place of"), ("x", "must be a number")]:
        fb = check.same_steps_as(answer)
        assert not fb.correct and hint in fb.message, (answer, fb)
        assert "0.9" not in fb.message  # a hint never states the answer


@pytest.mark.parametrize("answer, hint", [(2.0, "1/a is the limit when y is the steeper"), (1.5, "x grows"),
                                          (0.5, "x reaches 0 in one step"), (0.3, "both are inside")])
def test_largest_stable_lr_of_x2_plus_half_y2_is_1_not_1_over_a(answer, hint):
    assert check.largest_stable_lr(1.0, a=0.5).correct
    assert "steeper direction, x" in check.largest_stable_lr(1.0, a=0.5).message
    fb = check.largest_stable_lr(answer, a=0.5)
    assert not fb.correct and hint in fb.message, fb
# Near misses and answers at the checkers' thresholds.

def test_update_rule_rejects_a_near_miss():
    assert not check.update_rule(lambda x, lr: x - lr * 2 * x * (1 + 1e-9)).correct
    assert not check.update_rule(lambda x, lr: x - lr * 2 * x + 1e-9).correct
    assert not check.update_rule(lambda x, lr: x - lr * 2 * x if abs(x) < 100 else x).correct  # right on some trials only


@pytest.mark.parametrize("lr", [0.499995, 0.500005, 0.4999, 0.49, 0.51])
def test_fastest_lr_rejects_an_lr_near_one_half_that_takes_more_than_one_step(lr):
    fb = check.fastest_lr(lr)
    assert not fb.correct, fb
    assert f"takes {check._steps_to_reach(lr)} steps" in fb.message and check._steps_to_reach(lr) > 1


def test_fastest_lr_accepts_any_lr_that_lands_in_one_step():
    # one step lands below 1e-6 from x0 = 1000 when |1 − 2·lr| < 1e-9, i.e. |lr − 1/2| < 5e-10
    assert check._steps_to_reach(0.5 + 4e-10) == 1 and check.fastest_lr(0.5 + 4e-10).correct
    assert check._steps_to_reach(0.5 + 6e-10) == 2 and not check.fastest_lr(0.5 + 6e-10).correct


@pytest.mark.parametrize("lr", [0.01, 0.1, 0.3, 0.45, 0.7, 0.95])
def test_steps_to_reach_is_the_first_step_of_the_exact_trajectory_below_the_tolerance(lr):
    k = np.arange(4000)
    want = int(np.flatnonzero(np.abs(1000.0 * (1 - 2 * lr) ** k) < 1e-6)[0])
    assert check._steps_to_reach(lr) == want
    assert check._steps_to_reach(1.0) is None and check._steps_to_reach(1.2) is None
    assert check._steps_to_reach(0.3, x0=1e-7) == 0


def test_steps_needed_is_right_only_at_the_first_step_below():
    want = int(np.ceil(np.log(1e-9) / np.log(0.8)))
    assert [check.steps_needed(n).correct for n in (want - 1, want, want + 1)] == [False, True, False]
    assert "still not below" in check.steps_needed(want - 1).message
    assert not check.steps_needed(-1).correct and not check.steps_needed(want + 0.5).correct
    assert check.steps_needed(float(want)).correct


def test_gradient_2d_rejects_a_near_miss_and_a_gradient_right_only_where_y_is_zero():
    assert not check.gradient_2d(lambda x, y, a: (2 * x, 2 * a * y * (1 + 1e-9))).correct
    assert not check.gradient_2d(lambda x, y, a: (2 * x * (1 + 1e-9), 2 * a * y)).correct
    assert not check.gradient_2d(lambda x, y, a: (2 * x, 2 * a * y if a < 5 else 2 * y)).correct


@pytest.mark.parametrize("factor, correct", [(1 + 5e-10, True), (1 - 5e-10, True), (1 + 2e-9, False), (1 - 2e-9, False),
                                             (1 + 1e-6, False), (1 - 1e-6, False)])
def test_largest_stable_lr_at_its_tolerance_of_1e_9(factor, correct):
    assert check.largest_stable_lr(0.1 * factor).correct is correct


def test_largest_stable_lr_hints_say_what_the_answer_does():
    assert "bounces" in check.largest_stable_lr(0.1 * (1 + 2e-9)).message or "grows" in check.largest_stable_lr(0.1 * (1 + 2e-9)).message
    assert "both are inside" in check.largest_stable_lr(0.1 * (1 - 2e-9)).message
    assert "one step" in check.largest_stable_lr(0.05).message


def test_every_feedback_is_a_sentence_and_hints_state_the_answer_given():
    import readout
    for fb in (check.update_rule(lambda x, lr: x - lr * 2 * x), check.gradient_2d(lambda x, y, a: (2 * x, 2 * a * y)),
               check.fastest_lr(0.5), check.largest_stable_lr(0.1), check.steps_needed(93)):
        assert isinstance(fb.message, str) and len(fb.message.split()) > 3, fb
    hint = check.gradient_2d(lambda x, y, a: (x * x, a * y * y))
    x, y, a = check._POINTS_2D[0]
    for value in (x, y, a, x * x, a * y * y):
        assert readout.shows(hint.message, value), hint.message
    hint = check.update_rule(lambda x, lr: x - 0.1 * 2 * x)  # right at lr = 0.1 only: the second trial fails
    for value in (-2.5, 0.3, -2.5 - 0.1 * 2 * -2.5):
        assert readout.shows(hint.message, value), hint.message


def test_steps_needed_feedback_states_x_after_the_steps_given():
    import readout
    want = int(np.ceil(np.log(1e-9) / np.log(0.8)))
    for n in (want - 1, want, want + 1, 10):
        message = check.steps_needed(n).message
        assert readout.shows(message, 1000.0 * 0.8**n), (n, message)
    assert readout.shows(check.steps_needed(0).message, 1000.0)  # 0 steps: a whole number, x is still x0


def test_the_1d_checkers_say_in_words_what_an_answer_does():
    # update_rule
    assert check.update_rule(lambda x, lr: x - lr * 2 * x).message == (
        "x_new = x − lr·f'(x) = x − lr·2x: a step against the derivative, scaled by lr.")
    assert check.update_rule(lambda x, lr: x - 2 * x).message == (
        "step(3.0, 0.1) = -3.0: the learning rate is missing, so x just flips sign.")
    assert check.update_rule(lambda x, lr: x + lr * 2 * x).message == (
        f"step(3.0, 0.1) = {3.0 + 0.6}: this moves uphill. Which way does the derivative point?")
    assert check.update_rule(lambda x, lr: x - lr * x).message == "step(3.0, 0.1) = 2.7: check the derivative of x²."
    assert check.update_rule(lambda x, lr: 1.0).message == (
        "step(3.0, 0.1) returned 1.0, which is not x − lr·f'(x) at that point.")
    assert check.update_rule(lambda x, lr: "x").message == "step(3.0, 0.1) returned 'x'; it should return a number."
    # fastest_lr
    assert check.fastest_lr(0.5).message == (
        "lr = 0.5 makes the factor 1 − 2·lr = 0: one step lands exactly on the minimum, because x − lr·2x = 0 "
        "when lr = 1/2. Any other lr leaves |x| shrinking by a factor |1 − 2·lr| > 0 per step.")
    steps = min(k for k in range(200) if 1000 * 0.6 ** k < 1e-6)  # |1 − 2·0.2|^k·1000 < 1e-6 first at this k
    assert check.fastest_lr(0.2).message == (
        f"with lr = 0.2 each step multiplies x by 0.6, and it takes {steps} steps. "
        "Which factor would shrink x the most in one step?")
    assert check.fastest_lr(1.5).message == (
        "with lr = 1.5 each step multiplies x by 1 − 2·lr = -2; |-2| ≥ 1, so x never gets small.")
    assert check.fastest_lr(0).message == "lr = 0.0 does not step downhill at all; lr must be > 0."
    assert check.fastest_lr(...).message == "set lr to a number in place of `...`."


def test_steps_needed_says_where_x_is_after_the_steps_given():
    want = min(k for k in range(200) if 1000 * 0.8 ** k < 1e-6)
    assert check.steps_needed(want).message == (
        f"x_k = 0.8^k·1000 first drops below 1e-06 at k = {want} (x = {1000 * 0.8 ** want:.3g}); "
        "k = ⌈ln(1e-9) / ln 0.8⌉.")
    assert check.steps_needed(want - 1).message == (
        f"after {want - 1} steps x = {1000 * 0.8 ** (want - 1):.3g}, still not below 1e-06. "
        "Solve 0.8^k·1000 < 1e-6 for k.")
    for n in (want + 1, 10**6):  # up to a million steps, the x they reach is stated
        assert check.steps_needed(n).message == (
            f"after {n} steps x = {1000 * 0.8 ** n:.3g} is below 1e-06, but it got there sooner. "
            "Look for the first such k.")
    assert check.steps_needed(10**6 + 1).message == (
        "after 1e+06 steps x is far below 1e-06, but it got there long before. Look for the first such k.")
    assert check.steps_needed(2.5).message == "a number of steps is a whole number ≥ 0; got 2.5."
    assert check.steps_needed("k").message == "steps must be a number; got 'k'."
    assert check.steps_needed(1, x0=1e-6).correct  # |x0| = tol is not below it: one step is needed
    assert check.steps_needed(0, x0=1e-7).correct


def test_same_steps_as_says_what_the_other_lr_does():
    assert check.same_steps_as(0.9).message == (
        "lr = 0.9 makes r = 1 − 2·lr = -0.8, and lr = 0.1 makes r = +0.8: the same |r|, so |x_k| = |r|^k·|x0| "
        f"is the same at every step and both take {min(k for k in range(200) if 1000 * 0.8 ** k < 1e-6)} steps. "
        "One side of the minimum or the other does not matter to the distance.")
    assert check.same_steps_as(0.1).message.startswith("that is lr = 0.1 itself; find a different lr that needs its ")
    assert check.same_steps_as(1.5).message.startswith("lr = 1.5 makes r = 1 − 2·lr = -2 and never gets there; ")
    assert check.same_steps_as(0.25).message == (
        f"lr = 0.25 makes r = 1 − 2·lr = +0.5 and takes {min(k for k in range(200) if 1000 * 0.5 ** k < 1e-6)} steps; "
        f"lr = 0.1 makes r = +0.8 and takes {min(k for k in range(200) if 1000 * 0.8 ** k < 1e-6)}. "
        "The distance after k steps is |r|^k·|x0|: which other lr gives the same |r|?")
    assert check.same_steps_as("x").message == "lr must be a number; got 'x'."


def test_gradient_2d_says_what_the_gradient_given_is():
    assert check.gradient_2d(lambda x, y, a: (2 * x, 2 * a * y)).message == (
        "∇f = (2x, 2a·y): each partial derivative treats the other variable as a constant, "
        "so a scales only the y component.")
    shown = "grad(1.0, -2.0, 3.0) = "
    assert check.gradient_2d(lambda x, y, a: (-2 * x, -2 * a * y)).message == (
        shown + "(-2, 12) points downhill; the gradient points uphill (descent then steps against it).")
    assert check.gradient_2d(lambda x, y, a: (2 * a * y, 2 * x)).message == (
        shown + "(-12, 2): the two components are swapped; the first is ∂f/∂x.")
    assert check.gradient_2d(lambda x, y, a: (x, a * y)).message == (
        shown + "(1, -6): each component is half what it should be; what is the derivative of x²?")
    assert check.gradient_2d(lambda x, y, a: (2 * x, 2 * y)).message == (
        shown + "(2, -4): ∂f/∂x is right; ∂f/∂y should depend on a, since f has the term a·y².")
    assert check.gradient_2d(lambda x, y, a: (2 * x, a * y * y)).message == (
        shown + "(2, 12): ∂f/∂x is right; check ∂f/∂y, the derivative of a·y² with respect to y.")
    assert check.gradient_2d(lambda x, y, a: (x * x, 2 * a * y)).message == (
        shown + "(1, -12): ∂f/∂y is right; check ∂f/∂x, the derivative of x² with respect to x.")
    assert check.gradient_2d(lambda x, y, a: (0.0, 0.0)).message == (
        shown + "(0, 0) is not (∂f/∂x, ∂f/∂y) of x² + a·y² at that point.")
    assert check.gradient_2d(lambda x, y, a: (1.0, 2.0, 3.0)).message == (
        "grad(1.0, -2.0, 3.0) returned shape (3,); return a pair (∂f/∂x, ∂f/∂y).")
    assert check.gradient_2d(lambda x, y, a: "g").message == (
        "grad(1.0, -2.0, 3.0) returned 'g'; it should return two numbers.")
