"""Properties of the numeric functions over any finite input: a result or a named error, never a
warning (pyproject turns warnings into errors) and never NaN.

A named error is a ValueError or TypeError whose message starts with one of the parameter names
the row allows.
"""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nbkit import descent, gradcheck, mlp, neuron
from nbkit.exercises import descent as ex_descent
from nbkit.objectives import BOWL, SQUARE, elongated

FINITE = st.floats(allow_nan=False, allow_infinity=False)
POSITIVE = st.floats(min_value=5e-324, allow_nan=False, allow_infinity=False)
SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, database=None)

X_DATA, Y_DATA = neuron.make_data()
X_TASK, Y_TASK = mlp.make_task(n=16)
PARAMS = mlp.init_params()


def result_or_named_error(call, *names):
    """Return call()'s result, or None when it raised an error whose message starts with one of names."""
    try:
        return call()
    except (ValueError, TypeError) as error:
        assert str(error).startswith(names), f"unnamed error: {error}"
        return None


def first_step_outside(x0, lr, steps):
    """Return the first k with |x_k| = |1 − 2·lr|^k·|x0| > 1e3·max(1, |x0|), or None; and the smallest margin.

    Computed in logs, independently of the runner, so neither overflows. The margin is how close
    to the bound any step comes (in log units): a near-tie is one round-off could tip.
    """
    if x0 == 0 or lr == 0.5:
        return None, math.inf
    # log|1 − 2·lr|; for a huge lr as log 2 + log lr (2·lr itself may be beyond the float range)
    log_r = math.log(abs(1 - 2 * lr)) if lr < 1e300 else math.log(2) + math.log(lr)
    log_bound = math.log(1e3) + max(0.0, math.log(abs(x0)))
    logs = [math.log(abs(x0)) + k * log_r for k in range(1, steps + 1)]
    first = next((k for k, log in enumerate(logs, start=1) if log > log_bound), None)
    return first, min((abs(log - log_bound) for log in logs), default=math.inf)


def check_descent_on_x2(x0, lr, steps):
    run = result_or_named_error(lambda: descent.gradient_descent(SQUARE.gradient, x0, lr, steps), "x0")
    if run is None:
        assert abs(x0) * 1e3 > descent.MAX_BOUND
        return True
    assert np.all(np.isfinite(run.path)) and run.status in descent.STATUSES
    first, margin = first_step_outside(x0, lr, steps)
    if margin < 1e-6:
        return False
    assert run.diverged_at == first
    return True


@SETTINGS
@given(x0=FINITE, lr=POSITIVE, steps=st.integers(0, 60))
def test_descent_on_x2_diverges_exactly_when_and_where_the_closed_form_leaves_the_bound(x0, lr, steps):
    assume(check_descent_on_x2(x0, lr, steps))


@SETTINGS
@given(x0=st.lists(FINITE, min_size=2, max_size=2), lr=POSITIVE, a=POSITIVE, steps=st.integers(0, 40))
def test_descent_on_any_bowl_gives_a_run_or_a_named_error(x0, lr, a, steps):
    objective = result_or_named_error(lambda: elongated(a), "a")
    run = result_or_named_error(lambda: descent.gradient_descent(objective.gradient, x0, lr, steps), "x0")
    if run is not None:
        assert np.all(np.isfinite(run.path)) and run.describe()


@SETTINGS
@given(x=FINITE, lr=POSITIVE, steps=st.integers(0, 3000))
def test_quadratic_values_and_trajectories_are_finite_or_too_large(x, lr, steps):
    for call, names in [(lambda: SQUARE.value(x), ("X",)), (lambda: BOWL.gradient([x, -x]), ("X",)),
                        (lambda: SQUARE.factors(lr), ("lr",)), (lambda: BOWL.regime(lr), ("lr",)),
                        (lambda: SQUARE.closed_form(x, lr, steps), ("steps", "lr")),
                        (lambda: descent.steps_to_reach(SQUARE, x, lr), ("lr",))]:
        value = result_or_named_error(call, *names)
        if value is not None and not isinstance(value, str):
            assert np.all(np.isfinite(value))


@SETTINGS
@given(z=st.lists(FINITE, min_size=1, max_size=5))
def test_sigmoid_and_its_slope_stay_in_range(z):
    s, slope = neuron.sigmoid(z), neuron.sigmoid_prime(z)
    # S'(0) = e·r² with e = 1, r = 1/2 is 1/4 up to the round-off of three operations
    assert np.all((0 <= s) & (s <= 1)) and np.all((0 <= slope) & (slope <= 0.25 * (1 + 4e-16)))


@SETTINGS
@given(w=FINITE, b=FINITE, x=st.lists(FINITE, min_size=1, max_size=5), y=st.floats(0, 1))
def test_one_neuron_forward_and_backward_never_give_nan(w, b, x, y):
    cache = neuron.forward(w, b, x)
    assert np.all((0 <= cache.y_hat) & (cache.y_hat <= 1))
    dw, db = neuron.backward(cache, [y] * len(x))
    assert not math.isnan(dw) and not math.isnan(db)


@SETTINGS
@given(theta0=st.lists(FINITE, min_size=2, max_size=2), lr=POSITIVE, steps=st.integers(0, 30))
def test_training_one_neuron_gives_a_verdict_for_any_start_and_lr(theta0, lr, steps):
    run = result_or_named_error(lambda: neuron.train(X_DATA, Y_DATA, theta0, lr, steps), "x0")
    if run is not None:
        verdict = neuron.verdict(run, X_DATA, Y_DATA)
        assert verdict.status in neuron.VERDICTS and "nan" not in verdict.text


@SETTINGS
@given(lr=POSITIVE, epochs=st.integers(0, 4))
def test_training_the_network_gives_finite_losses_and_a_verdict_for_any_lr(lr, epochs):
    history = mlp.train(PARAMS, X_TASK, Y_TASK, lr, epochs)
    assert np.all(np.isfinite(history.losses)) and np.all(np.isfinite(history.grad_norms))
    assert mlp.verdict(history).status in mlp.VERDICTS


@SETTINGS
@given(theta=FINITE, h=POSITIVE)
def test_gradient_check_is_a_result_or_a_named_error(theta, h):
    check = result_or_named_error(lambda: gradcheck.check_gradient(SQUARE.value, SQUARE.gradient, theta, h),
                                  "h", "X", "the central differences")
    if check is not None:
        assert np.all(np.isfinite(check.error))


@SETTINGS
@given(a=st.lists(FINITE, min_size=1, max_size=3), n=st.lists(FINITE, min_size=1, max_size=3))
def test_relative_error_is_between_0_and_1_or_the_floor_ratio(a, n):
    assume(len(a) == len(n))
    error = gradcheck.relative_error(a, n)
    assert np.all(np.isfinite(error)) and np.all(error >= 0)


@SETTINGS
@given(path=st.lists(FINITE, min_size=1, max_size=6), tol=POSITIVE)
def test_first_below_is_a_step_or_none(path, tol):
    k = descent.first_below(path, tol)
    assert k is None or (0 <= k < len(path) and abs(path[k]) < tol)


@SETTINGS
@given(answer=st.one_of(FINITE, st.floats(), st.text(max_size=3), st.none()))
def test_the_fastest_lr_checker_always_answers_with_feedback(answer):
    feedback = ex_descent.fastest_lr(answer)
    assert isinstance(feedback.correct, bool) and feedback.message


@pytest.mark.parametrize("x0, lr, step", [(1e200, 1.5, 10), (1e-300, 1e300, 2), (-1e300, 0.75, None),
                                           (3.0, 1e308, 1), (1e304, 1.5, 10)])
def test_the_exact_step_in_logs_agrees_with_the_runner_on_extreme_starts(x0, lr, step):
    # The same property on hand-picked extremes, so these never depend on hypothesis' draw.
    assert first_step_outside(x0, lr, 60)[0] == step
    assert check_descent_on_x2(x0, lr, 60)
