"""The explorer's fast runs give what optimizers.run gives, to the bit: path, losses, state, diverged_at."""

import re

import numpy as np
import pytest

from nbkit import checks, optimizers
from nbkit.explorers import fast_optimizers
from nbkit.explorers.fast_optimizers import covers, run_quadratic, runner
from nbkit.objectives import BOWL, SQUARE, Quadratic, elongated, rotated
from nbkit.optimizers import Adam, AdamState, GradientDescent, Momentum, run


def bits(array):
    """The array's dtype, shape and bytes: equal only if every float is the same bit pattern (−0.0, NaN too)."""
    array = np.asarray(array)
    return array.dtype, array.shape, array.tobytes()


def assert_same_run(got, expected):
    assert bits(got.path) == bits(expected.path)
    assert bits(got.losses) == bits(expected.losses)
    assert got.diverged_at == expected.diverged_at
    assert type(got.state) is type(expected.state)
    if isinstance(expected.state, AdamState):
        assert type(got.state.k) is int and got.state.k == expected.state.k
        assert bits(got.state.v) == bits(expected.state.v) and bits(got.state.s) == bits(expected.state.s)
    elif expected.state is not None:
        assert bits(got.state) == bits(expected.state)


def grid(n, seed):
    """n settings over the explorer's slider ranges and more: lr 1e-3…1.5 (log), β, β₁ 0…0.99, β₂ 0.9…0.9999,
    the bowl x² + a·y² with a 1…100, x0, y0 −10…10, steps 0…300; every fifth a on the slider's integer grid and
    x0, y0 on its 0.1 grid.

    Every other bowl is c₀·x² + a·y² with c₀ 0.5…100 instead (c₀ = 1 hides a wrong order of lr·c·x).
    Every third run has an escape bound of 0.5…1.5 (times max(1, ‖X0‖)) instead of 1000, so that Adam, whose
    step is about lr at most, also leaves it: each rule's cut path is tested.
    """
    rng = np.random.default_rng(seed)
    for i in range(n):
        lr = float(10 ** rng.uniform(-3, np.log10(1.5)))
        a, x0, y0 = float(rng.uniform(1, 100)), float(rng.uniform(-10, 10)), float(rng.uniform(-10, 10))
        if i % 5 == 0:
            a, x0, y0 = float(rng.integers(1, 101)), round(x0, 1), round(y0, 1)
        bowl = elongated(a) if i % 2 == 0 else Quadratic((float(rng.uniform(0.5, 100)), a))
        escape = float(rng.uniform(0.5, 1.5)) if i % 3 == 0 else 1e3
        yield (lr, float(rng.uniform(0, 0.99)), float(rng.uniform(0, 0.99)), float(rng.uniform(0.9, 0.9999)),
               bowl, x0, y0, int(rng.integers(0, 301)), escape)


RULES = {"gradient descent": lambda beta, beta1, beta2: GradientDescent(),
         "momentum": lambda beta, beta1, beta2: Momentum(beta),
         "Adam": lambda beta, beta1, beta2: Adam(beta1, beta2),
         "Adam without bias correction": lambda beta, beta1, beta2: Adam(beta1, beta2, bias_correction=False)}


@pytest.mark.parametrize("name", RULES)
def test_run_quadratic_equals_run_over_the_slider_ranges_diverging_runs_included(name):
    diverged = 0
    for lr, beta, beta1, beta2, bowl, x0, y0, steps, escape in grid(150, seed=sorted(RULES).index(name)):
        rule = RULES[name](beta, beta1, beta2)
        expected = run(rule, bowl, [x0, y0], lr, steps, escape)
        assert_same_run(run_quadratic(rule, bowl, [x0, y0], lr, steps, escape), expected)
        diverged += expected.diverged_at is not None
    assert diverged >= 10, f"only {diverged} of 150 runs diverged: the grid must test the cut path"


@pytest.mark.parametrize("name", RULES)
def test_the_escape_bound_is_decided_as_run_decides_it_over_the_grid(name):
    # The bound set to ‖X_k‖ as run computes it (np.linalg.norm of the point), for the farthest X_k (k ≥ 1) of a
    # run that does not escape, then to the float below: run keeps X_k, then cuts there. The run must match twice.
    exact = 0
    for lr, beta, beta1, beta2, bowl, x0, y0, steps, _ in grid(60, seed=10 + sorted(RULES).index(name)):
        rule = RULES[name](beta, beta1, beta2)
        free = run(rule, bowl, [x0, y0], lr, steps, escape=1e100)
        if free.diverged_at is not None or steps == 0:
            continue
        norms = [float(np.linalg.norm(X)) for X in free.path]
        k = 1 + int(np.argmax(norms[1:]))
        scale = max(1.0, norms[0])
        on, below = norms[k] / scale, np.nextafter(norms[k] / scale, 0)
        if on * scale != norms[k] or not below * scale < norms[k]:
            continue  # escape·max(1, ‖X0‖) does not land on ‖X_k‖ exactly here
        for escape, diverged_at in [(on, None), (below, k)]:
            expected = run(rule, bowl, [x0, y0], lr, steps, escape)
            assert expected.diverged_at == diverged_at
            assert_same_run(run_quadratic(rule, bowl, [x0, y0], lr, steps, escape), expected)
        exact += 1
    assert exact >= 20, f"only {exact} runs had an exact bound"


EDGES = [  # (lr, beta, beta1, beta2, a, x0, y0, steps): the ends of every slider, a start on an axis or at 0
    (1e-3, 0.0, 0.0, 0.9, 100.0, 10.0, -10.0, 300), (1.5, 0.99, 0.99, 0.9999, 1.0, -10.0, 10.0, 300),
    (1.5, 0.0, 0.0, 0.9, 100.0, 0.1, 0.0, 300), (0.045, 0.6, 0.9, 0.999, 20.0, 0.0, 0.0, 300),
    (0.045, 0.6, 0.9, 0.999, 20.0, -0.0, 6.0, 300), (1e-3, 0.99, 0.99, 0.9999, 1.0, 10.0, 10.0, 1),
    (0.3, 0.5, 0.5, 0.95, 50.0, 3.0, -4.0, 0), (1.0, 0.9, 0.9, 0.999, 1.0, 10.0, -10.0, 300),
]


@pytest.mark.parametrize("name", RULES)
@pytest.mark.parametrize("lr, beta, beta1, beta2, a, x0, y0, steps", EDGES)
def test_run_quadratic_equals_run_at_the_ends_of_the_ranges(name, lr, beta, beta1, beta2, a, x0, y0, steps):
    rule, bowl = RULES[name](beta, beta1, beta2), elongated(a)
    assert_same_run(run_quadratic(rule, bowl, [x0, y0], lr, steps), run(rule, bowl, [x0, y0], lr, steps))


def test_a_point_exactly_on_the_escape_bound_is_kept_and_the_next_one_out_is_not():
    # lr = 1.5 on x²: x_k = (1 − 3)^k·x0 = (−2)^k exactly, so with escape 8 the point of step 3 is at ‖X‖ = 8 = bound.
    expected = run(GradientDescent(), BOWL, [1.0, 0.0], 1.5, 10, escape=8.0)
    assert expected.diverged_at == 4 and np.linalg.norm(expected.path[3]) == 8.0
    assert_same_run(run_quadratic(GradientDescent(), BOWL, [1.0, 0.0], 1.5, 10, escape=8.0), expected)


@pytest.mark.parametrize("rule, lr, a, x0, y0", [
    (GradientDescent(), 0.36375, 70.0, -0.7, -0.7),  # diverging: the farthest point is the last
    (Momentum(0.8), 0.03, 20.0, 0.6, -0.5),  # ringing: the farthest point is X_2, both coordinates non-zero
    (Momentum(0.95), 0.36375, 70.0, -0.7, -0.7),
    (Adam(0.9, 0.999), 0.36375, 70.0, -0.7, -0.7),  # Adam overshoots: the farthest is X_5
    (Adam(0.13, 0.9031), 0.36375, 70.0, -0.7, -0.7),  # … X_29
    (Adam(0.13, 0.9031, bias_correction=False), 0.36375, 70.0, -0.7, -0.7),  # … X_44
])
def test_the_escape_bound_is_decided_exactly_as_run_decides_it(rule, lr, a, x0, y0):
    # ‖X0‖ ≤ 1, so the bound is escape itself: set it to the largest ‖X_k‖ (k ≥ 1) of a run, and to the float below.
    bowl, steps = elongated(a), 50
    free = run(rule, bowl, [x0, y0], lr, steps, escape=1e100)
    norms = np.linalg.norm(free.path, axis=1)
    k = 1 + int(np.argmax(norms[1:]))
    top = float(norms[k])
    assert free.diverged_at is None and k >= 2
    on_bound = run(rule, bowl, [x0, y0], lr, steps, escape=top)
    outside = run(rule, bowl, [x0, y0], lr, steps, escape=np.nextafter(top, 0))
    assert on_bound.diverged_at is None and outside.diverged_at == k
    assert_same_run(run_quadratic(rule, bowl, [x0, y0], lr, steps, escape=top), on_bound)
    assert_same_run(run_quadratic(rule, bowl, [x0, y0], lr, steps, escape=np.nextafter(top, 0)), outside)


@pytest.mark.parametrize("rule, lr, y0", [
    (GradientDescent(), 1.25e-308, 0.3), (Momentum(0.0), 1.25e-308, 0.3),  # y_k = (−1.5)^k·0.3: 2·c·y overflows at k = 3
    (Momentum(0.9), 0.1, 1.0),  # 2·c·y0 = 2e308 overflows at once
    (Adam(0.9, 0.999), 0.1, 1.0),  # (Adam: (2·c·y)² overflows first, ŝ = inf stops y, so only at once)
])
def test_a_run_whose_gradient_leaves_the_float_range_raises_as_run_does(rule, lr, y0):
    bowl = Quadratic((1.0, 1e308))
    with pytest.raises(checks.TooLarge) as expected:
        run(rule, bowl, [0.5, y0], lr, 20)
    with pytest.raises(checks.TooLarge) as got:
        run_quadratic(rule, bowl, [0.5, y0], lr, 20)
    assert str(got.value) == str(expected.value)


@pytest.mark.parametrize("args", [(0.0, 5, [1.0, 2.0]), (0.1, -1, [1.0, 2.0]), (0.1, 2.5, [1.0, 2.0]),
                                  (0.1, 5, [np.nan, 2.0]), (0.1, 5, [1.0, 2.0, 3.0]), (np.inf, 5, [1.0, 2.0])])
def test_bad_inputs_get_runs_errors(args):
    with pytest.raises((TypeError, ValueError)) as expected:
        run(Adam(), BOWL, args[2], args[0], args[1])
    with pytest.raises(type(expected.value), match=f"^{re.escape(str(expected.value))}$"):
        run_quadratic(Adam(), BOWL, args[2], args[0], args[1])


class Nesterov(Momentum):
    """A subclass with another update: not what run_quadratic does."""

    def update(self, x, g, v, lr):
        return x - lr * (self.beta * v + g), self.beta * v + g


def test_run_quadratic_covers_the_three_rules_on_a_2d_quadratic_and_refuses_the_rest(monkeypatch):
    assert covers(Adam(), elongated(5.0)) and covers(Momentum(), BOWL) and covers(GradientDescent(), elongated(100.0))
    for rule, objective in [(Nesterov(), BOWL), (Momentum(), rotated(5.0, 30.0)), (Adam(), SQUARE)]:
        assert not covers(rule, objective) and runner(rule, objective) is run
        with pytest.raises(ValueError, match="use optimizers.run"):
            run_quadratic(rule, objective, np.zeros(objective.dim), 0.1, 3)
    assert runner(Adam(), BOWL) is run_quadratic
    monkeypatch.setattr(optimizers, "run", lambda *args: None)  # a replaced run is called as it is
    assert runner(Adam(), BOWL) is optimizers.run


def test_the_explorer_runs_every_method_through_run_quadratic(monkeypatch):
    from nbkit.explorers import OptimizerExplorer

    calls = []

    def counted(rule, *args):
        calls.append(type(rule))
        return run_quadratic(rule, *args)

    monkeypatch.setattr(fast_optimizers, "run_quadratic", counted)
    explorer = OptimizerExplorer(lr=0.001, steps=300, a=100.0)
    assert sorted(c.__name__ for c in calls) == ["Adam", "GradientDescent", "Momentum"]
    assert len(explorer.state.gd.path) == 301
