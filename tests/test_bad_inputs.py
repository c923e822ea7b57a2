"""Bad inputs across nbkit's public API, one row each: a clear error that names the parameter, or
the right verdict. Run with warnings as errors (pyproject's filterwarnings), so an overflow
warning on the way fails the row too.

Each error row is (call, exception type, name): the call must raise that type, with a message
that starts with the parameter's name. Each verdict row is (call, check): the call returns, and
check(result) holds.
"""

import math
import re
import signal
import time

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from nbkit import checks, descent, gradcheck, mlp, neuron, objectives, sampling, sgd, show, walkthrough
from nbkit.exercises import descent as ex_descent
from nbkit.exercises import mlp as ex_mlp
from nbkit.exercises import neuron as ex_neuron
from nbkit.objectives import BOWL, SQUARE, Quadratic, elongated
from nbkit.plotting import descent as plot_descent
from nbkit.plotting import mlp as plot_mlp
from nbkit.plotting import neuron as plot_neuron

nan, inf = math.nan, math.inf

#: Values that are not a finite number > 0, and the error each must give.
NOT_POSITIVE = [(0, ValueError), (-1, ValueError), (nan, ValueError), (inf, ValueError), (-inf, ValueError),
                (None, TypeError), ("0.1", TypeError), (True, TypeError), ([0.1], TypeError), (1j, TypeError)]
#: Values that are not a count in range (10**7 is beyond every step limit).
NOT_COUNT = [(-1, ValueError), (2.5, TypeError), ("3", TypeError), (None, TypeError), (True, TypeError),
             (10**7, ValueError), (np.float64(3.0), TypeError)]
#: Values that are not a finite number or array.
NOT_ARRAY = [(None, TypeError), ("abc", TypeError), ([1.0, nan], ValueError), ([inf], ValueError),
             (1j, TypeError), ([[1.0], [1.0, 2.0]], TypeError), ({}, TypeError), (..., TypeError)]
#: Values that are not one finite number.
NOT_NUMBER = NOT_ARRAY[:2] + [(nan, ValueError), (inf, ValueError), (1j, TypeError), ([1.0, 2.0], ValueError)]

X_DATA, Y_DATA = neuron.make_data()
X_TASK, Y_TASK = mlp.make_task()
PARAMS = mlp.init_params()
CACHE = mlp.forward(PARAMS, X_TASK)
RUN = neuron.train(X_DATA, Y_DATA, (0.0, 0.0), 1.0, 5)


@pytest.fixture(autouse=True)
def _no_row_hangs():
    """Fail a row that runs longer than 30 s (an unbounded loop) instead of hanging the suite."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def stop(signum, frame):
        raise TimeoutError("this input ran for more than 30 s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(30)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _ax():
    return Figure().subplots()


def _rows(name, call, bad):
    """Return error rows for one parameter: call(value) with each bad (value, error)."""
    return [pytest.param(lambda v=v: call(v), error, name, id=f"{name}={v!r:.30}") for v, error in bad]


ERRORS = [
    # descent
    # lr may also be a schedule, one rate per update: a list of the wrong length is a ValueError.
    *_rows("lr", lambda v: descent.gradient_descent(SQUARE.gradient, 1.0, v, 5), NOT_POSITIVE[:8] + [([0.1], ValueError), ([0.1] * 4 + [0.0], ValueError), (1j, TypeError)]),
    *_rows("steps", lambda v: descent.gradient_descent(SQUARE.gradient, 1.0, 0.1, v), NOT_COUNT),
    *_rows("x0", lambda v: descent.gradient_descent(SQUARE.gradient, v, 0.1, 5), NOT_ARRAY),
    *_rows("escape", lambda v: descent.gradient_descent(SQUARE.gradient, 1.0, 0.1, 5, escape=v), NOT_POSITIVE[:6]),
    *_rows("gradient", lambda v: descent.gradient_descent(v, 1.0, 0.1, 5), [(SQUARE, TypeError), (None, TypeError),
                                                                             (3.0, TypeError), ("x", TypeError)]),
    *_rows("gradient(x0)", lambda v: descent.gradient_descent(lambda x: v, 1.0, 0.1, 5),
           [(None, TypeError), (..., TypeError), ("grad", TypeError), (nan, ValueError)]),
    *_rows("x0", lambda v: descent.gradient_descent(lambda x: v, 1.0, 0.1, 5), [([1.0, 2.0], ValueError)]),
    *_rows("x0", lambda v: descent.gradient_descent(SQUARE.gradient, v, 0.1, 5),
           [(np.ones((2, 2)), ValueError), (1e306, ValueError), ([1e306, 0.0], ValueError)]),
    *_rows("x0", lambda v: descent.gradient_descent(BOWL.gradient, v, 0.1, 5),
           [([1.0, 2.0, 3.0], ValueError), ([1j, 0.0], TypeError), (np.array([1.0, 2.0 + 1j]), TypeError)]),
    *_rows("path", lambda v: descent.first_below(v), NOT_ARRAY[:5] + [(np.zeros((2, 2, 2)), ValueError)]),
    *_rows("tol", lambda v: descent.first_below([1.0, 0.5], v), NOT_POSITIVE),
    *_rows("max_steps", lambda v: descent.steps_to_reach(SQUARE, 1.0, 0.1, max_steps=v), NOT_COUNT),
    # objectives
    *_rows("c", lambda v: Quadratic(v), [(5, TypeError), ("ab", TypeError), ((), ValueError), (None, TypeError)]),
    *_rows("c[1]", lambda v: Quadratic((1.0, v)), NOT_POSITIVE[:8]),
    *_rows("c[2]", lambda v: Quadratic((1.0, 2.0, v)), [(-3, ValueError)]),
    *_rows("X", lambda v: SQUARE.value(v), NOT_ARRAY + [(1e200, checks.TooLarge), (np.array([1j]), TypeError)]),
    *_rows("X", lambda v: BOWL.gradient(v), NOT_ARRAY + [([1.0, 2.0, 3.0], ValueError), ([1e308, 0.0], checks.TooLarge)]),
    *_rows("lr", lambda v: SQUARE.factors(v), NOT_POSITIVE + [(1e308, checks.TooLarge)]),
    *_rows("lr", lambda v: elongated(1e308).factors(v), [(1.0, checks.TooLarge)]),
    *_rows("steps", lambda v: SQUARE.closed_form(8.0, 1.5, v), NOT_COUNT + [(2000, checks.TooLarge)]),
    *_rows("x0", lambda v: BOWL.closed_form(v, 0.1, 5), NOT_ARRAY + [(1.0, ValueError)]),
    *_rows("a", lambda v: elongated(v), NOT_POSITIVE),
    *_rows("lr", lambda v: SQUARE.regime(v), NOT_POSITIVE[:5]),
    # the rotated bowl of notebook 05
    *_rows("A", objectives.RotatedBowl, [([[1.0, 0.0], [0.0, 0.0]], ValueError), ([[1.0, 2.0], [0.0, 1.0]], ValueError),
                                         ([[-1.0, 0.0], [0.0, 1.0]], ValueError), ([1.0, 2.0], ValueError),
                                         (None, TypeError)]),
    *_rows("lr", lambda v: objectives.rotated(4.0, 30).factors(v), NOT_POSITIVE),
    *_rows("steps", lambda v: objectives.rotated(4.0, 30).closed_form([1.0, 1.0], 0.1, v), NOT_COUNT[:5]),
    *_rows("x0", lambda v: objectives.rotated(4.0, 30).closed_form(v, 0.1, 5),
           NOT_ARRAY + [(1.0, ValueError), ([1.0, 2.0, 3.0], ValueError)]),
    *_rows("a", lambda v: objectives.rotated(v, 30), NOT_POSITIVE[:6]),
    *_rows("degrees", lambda v: objectives.rotated(4.0, v), NOT_NUMBER),
    *_rows("g", lambda v: objectives.directional_derivatives(v, 0.0), NOT_ARRAY + [([1.0], ValueError)]),
    # gradcheck
    *_rows("theta", lambda v: gradcheck.numerical_gradient(SQUARE.value, v), NOT_ARRAY),
    *_rows("h", lambda v: gradcheck.numerical_gradient(SQUARE.value, 1.0, v), NOT_POSITIVE + [(1e-20, ValueError)]),
    *_rows("f", lambda v: gradcheck.numerical_gradient(v, 1.0), [(None, TypeError), (SQUARE, TypeError)]),
    *_rows("f(theta)", lambda v: gradcheck.numerical_gradient(lambda t: v, 1.0),
           [(None, TypeError), (..., TypeError), ("loss", TypeError), (nan, ValueError)]),
    *_rows("f(theta)", lambda v: gradcheck.numerical_gradient(lambda t: t, v), [([1.0, 2.0], ValueError)]),
    *_rows("gradient(theta)", lambda v: gradcheck.check_gradient(SQUARE.value, lambda t: v, 1.0),
           [(None, TypeError), (..., TypeError), ("g", TypeError), ([1.0, 2.0], ValueError), (nan, ValueError)]),
    *_rows("h", lambda v: gradcheck.check_gradient(SQUARE.value, SQUARE.gradient, v), [(1e300, ValueError)]),
    *_rows("X", lambda v: gradcheck.check_gradient(SQUARE.value, SQUARE.gradient, v, h=1e150), [(1e160, checks.TooLarge)]),
    *_rows("analytic", lambda v: gradcheck.relative_error(v, [1.0]), NOT_ARRAY[:5]),
    *_rows("analytic", lambda v: gradcheck.relative_error(v, [1.0]), [([1.0, 2.0], ValueError)]),
    # neuron
    *_rows("z", neuron.sigmoid, [(None, TypeError), ("a", TypeError), (1j, TypeError), ([1.0, nan], ValueError)]),
    *_rows("z", neuron.sigmoid_prime, [(None, TypeError), ("a", TypeError), (1j, TypeError)]),
    *_rows("w", lambda v: neuron.forward(v, 0.0, X_DATA), NOT_NUMBER),
    *_rows("b", lambda v: neuron.forward(1.0, v, X_DATA), NOT_NUMBER),
    *_rows("x", lambda v: neuron.forward(1.0, 0.0, v), NOT_ARRAY + [(np.zeros((2, 2)), ValueError), ([], ValueError)]),
    *_rows("y_hat", lambda v: neuron.mse(v, [1.0, 0.0]), NOT_ARRAY[:4]),
    *_rows("y", lambda v: neuron.mse([1.0, 0.0], v), NOT_ARRAY[:4] + [([1.0, 2.0, 3.0], ValueError)]),
    *_rows("cache", lambda v: neuron.backward(v, Y_DATA), [(None, TypeError), ((1.0, 2.0), TypeError)]),
    *_rows("y", lambda v: neuron.backward(neuron.forward(1.0, 0.0, X_DATA), v), [(Y_DATA[:3], ValueError)]),
    *_rows("theta", lambda v: neuron.loss(v, X_DATA, Y_DATA), NOT_ARRAY[:5] + [([1.0, 2.0, 3.0], ValueError)]),
    *_rows("y", lambda v: neuron.loss((1.0, 0.0), [1.0, 0.0], v), [([0.0, 1.0, 2.0], ValueError)]),
    *_rows("theta", lambda v: neuron.gradient(v, X_DATA, Y_DATA), [(None, TypeError), ([1.0], ValueError)]),
    *_rows("lr", lambda v: neuron.train(X_DATA, Y_DATA, (0.0, 0.0), v, 5), NOT_POSITIVE[:8] + [([0.1], ValueError), (1j, TypeError)]),
    *_rows("steps", lambda v: neuron.train(X_DATA, Y_DATA, (0.0, 0.0), 1.0, v), NOT_COUNT),
    *_rows("theta0", lambda v: neuron.train(X_DATA, Y_DATA, v, 1.0, 5), NOT_ARRAY + [([1.0], ValueError)]),
    *_rows("direction", lambda v: neuron.train(X_DATA, Y_DATA, (0.0, 0.0), 1.0, 5, direction=v),
           [(3, TypeError), ("grad", TypeError)]),
    *_rows("direction(theta0, x, y)", lambda v: neuron.train(X_DATA, Y_DATA, (0.0, 0.0), 1.0, 5, direction=lambda *a: v),
           [(None, TypeError), ([1.0], ValueError), (..., TypeError)]),
    *_rows("n", lambda v: neuron.make_data(n=v), NOT_COUNT[:6] + [(0, ValueError)]),
    *_rows("seed", lambda v: neuron.make_data(seed=v), [(-1, ValueError), (1.5, TypeError), ("s", TypeError)]),
    *_rows("noise", lambda v: neuron.make_data(noise=v), [(-0.1, ValueError), (nan, ValueError), (None, TypeError)]),
    *_rows("run", lambda v: neuron.verdict(v, X_DATA, Y_DATA), [(None, TypeError), ("run", TypeError)]),
    *_rows("path", lambda v: neuron.losses(v, X_DATA, Y_DATA), [(None, TypeError), ([1.0, 2.0, 3.0], ValueError)]),
    *_rows("w", lambda v: neuron.loss_surface(v, [1.0], X_DATA, Y_DATA), [(None, TypeError), ([nan], ValueError)]),
    *_rows("w", lambda v: neuron.loss_surface(v, [1.0], X_DATA, Y_DATA), [([1.0, 2.0], ValueError)]),
    # mlp
    *_rows("sizes", lambda v: mlp.init_params(v), [((3,), ValueError), ("333", ValueError), (None, ValueError),
                                                   ((10**4, 10**4), ValueError)]),
    *_rows("sizes[1]", lambda v: mlp.init_params((3, v)), [(0, ValueError), (2.5, TypeError), (None, TypeError)]),
    *_rows("scale", lambda v: mlp.init_params(scale=v), NOT_POSITIVE + [(1e300, ValueError)]),
    *_rows("seed", lambda v: mlp.init_params(seed=v), NOT_COUNT[:5]),
    *_rows("params", lambda v: mlp.forward(v, X_TASK), [(None, ValueError), ([], ValueError), ("W", ValueError)]),
    *_rows("params[0]", lambda v: mlp.forward([v], X_TASK), [((1.0,), ValueError), (None, ValueError),
                                                             ((np.full((3, 3), 1e308), np.zeros(3)), checks.TooLarge)]),
    *_rows("params[1] W", lambda v: mlp.forward([PARAMS[0], (v, np.zeros(3))], X_TASK),
           [(np.zeros((3, 2)), ValueError), (None, TypeError), (np.full((3, 3), nan), ValueError)]),
    *_rows("X", lambda v: mlp.forward(PARAMS, v), NOT_ARRAY + [(X_TASK[:, :2], ValueError), (X_TASK[0], ValueError),
                                                              (np.full((2, 3), 1e308), checks.TooLarge)]),
    *_rows("y_hat", lambda v: mlp.loss(v, Y_TASK[:2]), [([1.0, 2.0], ValueError), (None, TypeError), ("y", TypeError)]),
    *_rows("Y", lambda v: mlp.loss(CACHE.y_hat, v), [(Y_TASK[:10], ValueError), ([1.0, 2.0, 3.0], ValueError)]),
    *_rows("Y", lambda v: mlp.backward(PARAMS, CACHE, v), [(Y_TASK[:10], ValueError), (None, TypeError)]),
    *_rows("cache", lambda v: mlp.backward(PARAMS, v, Y_TASK), [(None, TypeError), ((X_TASK,), TypeError)]),
    *_rows("cache", lambda v: mlp.deltas(PARAMS, v, Y_TASK), [(None, TypeError)]),
    *_rows("lr", lambda v: mlp.train(PARAMS, X_TASK, Y_TASK, v, 2), NOT_POSITIVE),
    *_rows("epochs", lambda v: mlp.train(PARAMS, X_TASK, Y_TASK, 1.0, v), NOT_COUNT),
    *_rows("Y", lambda v: mlp.train(PARAMS, X_TASK, v, 1.0, 2), [(Y_TASK[:, :2], ValueError), (None, TypeError)]),
    *_rows("l", lambda v: mlp.check_layer(PARAMS, X_TASK, Y_TASK, v), [(-1, ValueError), (4, ValueError),
                                                                        (1.0, TypeError), (None, TypeError)]),
    *_rows("j", lambda v: mlp.paths_to_output(PARAMS, CACHE, Y_TASK, v, 0), [(-1, ValueError), (5, ValueError),
                                                                              (0.5, TypeError)]),
    *_rows("m", lambda v: mlp.paths_to_output(PARAMS, CACHE, Y_TASK, 0, v), [(-1, ValueError), (3, ValueError)]),
    *_rows("n", lambda v: mlp.make_task(n=v), NOT_COUNT[:6] + [(0, ValueError)]),
    *_rows("seed", lambda v: mlp.make_task(seed=v), [(-1, ValueError), ("0", TypeError)]),
    *_rows("history", lambda v: mlp.verdict(v), [(None, TypeError), ([0.1, 0.2], TypeError)]),
    *_rows("theta", lambda v: mlp.unflatten(v, mlp.SIZES), [(np.zeros(47), ValueError), (np.zeros((48, 1)), ValueError)]),
    # sampling and SGD (notebook 06)
    *_rows("n", lambda v: sampling.batch_mean_variance(1.0, v, 1), NOT_COUNT[:5] + [(0, ValueError)]),
    *_rows("x", lambda v: sgd.cost_to_reach(v, Y_DATA, (0.0, 0.0), 1.0, 4, 0.1, 2), NOT_ARRAY[:5]),
    *_rows("max_epochs", lambda v: sgd.cost_to_reach(X_DATA, Y_DATA, (0.0, 0.0), 1.0, 4, 0.1, v),
           NOT_COUNT[:5] + [(0, ValueError)]),
    # exercises
    *_rows("sample", ex_mlp.delta_question, [(-1, ValueError), (10**6, ValueError), (1.5, TypeError), (None, TypeError)]),
    *_rows("sample", ex_mlp.delta_L3_question, [(-1, ValueError)]),
    # the stepper's walks
    *[row for i, name in enumerate("xywb")
      for row in _rows(name, lambda v, i=i: walkthrough.neuron_walk(*[v if k == i else 0.5 for k in range(4)]),
                       NOT_NUMBER)],
    *_rows("by", lambda v: walkthrough.mlp_walk(PARAMS, X_TASK[0], Y_TASK[0], by=v), [("neuron", ValueError)]),
    *_rows("x", lambda v: walkthrough.mlp_walk(PARAMS, v, Y_TASK[0]), [(X_TASK[:2], ValueError), ([nan] * 3, ValueError)]),
    *_rows("y", lambda v: walkthrough.mlp_walk(PARAMS, X_TASK[0], v), [(Y_TASK[:2], ValueError)]),
    # plotting
    *_rows("objective", lambda v: plot_descent.contours_2d(_ax(), v, (-1, 1), (-1, 1)), [(SQUARE, ValueError),
                                                                                          (None, ValueError)]),
    *_rows("objective", lambda v: plot_descent.level_ellipses(_ax(), v, (-1, 1), (-1, 1)), [(SQUARE, ValueError)]),
    *_rows("objective", lambda v: plot_descent.gradient_field(_ax(), v, (-1, 1), (-1, 1)), [(SQUARE, ValueError)]),
    *_rows("objective", lambda v: plot_descent.curve_1d(_ax(), v, (-1, 1)), [(BOWL, ValueError)]),
    *_rows("n", lambda v: plot_descent.gradient_field(_ax(), BOWL, (-1, 1), (-1, 1), n=v),
           [(1, ValueError), (0, ValueError), (10**6, ValueError), (2.0, TypeError)]),
    *_rows("xlim", lambda v: plot_descent.curve_1d(_ax(), SQUARE, v), [((1, -1), ValueError), ((0, nan), ValueError),
                                                                        ((1, 2, 3), ValueError), (None, TypeError)]),
    *_rows("ylim", lambda v: plot_descent.contours_2d(_ax(), BOWL, (-1, 1), v), [((-1e308, 1e308), ValueError)]),
    *_rows("path", lambda v: plot_descent.trajectory_2d(_ax(), v), [([1.0, 2.0, 3.0], ValueError), (None, TypeError)]),
    *_rows("losses", lambda v: plot_descent.loss_curve(_ax(), v), [([1.0, nan], ValueError), (None, TypeError)]),
    *_rows("steps", plot_descent.loss_axis_end, [(None, TypeError), (-1, ValueError), (2.5, TypeError)]),
    *_rows("steps", lambda v: plot_descent.set_loss_xlim(_ax(), v), [("10", TypeError)]),
    *_rows("Y", lambda v: plot_mlp.predictions(_ax(), v, Y_TASK), [(Y_TASK[:, 0], ValueError)]),
    *_rows("y_hat", lambda v: plot_mlp.predictions(_ax(), Y_TASK, v), [(Y_TASK[:5], ValueError)]),
    *_rows("norms", lambda v: plot_mlp.gradient_bars(_ax(), v), [(None, TypeError), (np.ones((2, 2)), ValueError)]),
    *_rows("w", lambda v: plot_neuron.prediction_curve(_ax(), v, 0.0, (-1, 1)), [(None, TypeError), (nan, ValueError)]),
    *_rows("x", lambda v: plot_neuron.data_points(_ax(), v, [0.0, 1.0]), [(None, TypeError)]),
    *_rows("y", lambda v: plot_neuron.data_points(_ax(), [0.0, 1.0], v), [([1.0], ValueError)]),
    # show
    *_rows("obj", show.source, [(None, TypeError), (3, TypeError)]),
    *_rows("fig", show.png, [(None, TypeError)]),
]


def _explorer_rows():
    """Explorer arguments outside a slider's range (refused before any figure is made)."""
    from nbkit.explorers import Descent1DExplorer, Descent2DExplorer, MLPExplorer, NeuronExplorer

    cases = [(Descent1DExplorer, "lr", [0, -1, 5, None]), (Descent1DExplorer, "x0", [100, nan, "1"]),
             (Descent1DExplorer, "steps", [2.5, 0, 201]), (Descent2DExplorer, "a", [0.5, 21]),
             (Descent2DExplorer, "y0", [-11]), (NeuronExplorer, "w0", [-7, 7]), (NeuronExplorer, "lr", [1e4]),
             (NeuronExplorer, "steps", [301]), (MLPExplorer, "lr", [1000]), (MLPExplorer, "epochs", [5, 10**7]),
             (MLPExplorer, "seed", [-1, 0.5]), (MLPExplorer, "scale", [0])]
    rows = [pytest.param(lambda cls=cls, kw={name: v}: cls(**kw), (TypeError, ValueError), name,
                         id=f"{cls.__name__}({name}={v!r})") for cls, name, values in cases for v in values]
    rows.append(pytest.param(lambda: MLPExplorer(sizes=(3, 3, 2)), ValueError, "sizes", id="MLPExplorer(sizes=(3, 3, 2))"))
    rows.append(pytest.param(lambda: NeuronExplorer(None, [0, 1]), ValueError, "x", id="NeuronExplorer(None, [0, 1])"))
    return rows


ERRORS += _explorer_rows()


@pytest.mark.parametrize("call, error, name", ERRORS)
def test_a_bad_input_gets_an_error_that_names_the_parameter(call, error, name):
    with pytest.raises(error) as raised:
        call()
    message = str(raised.value)
    assert message.startswith(name + " ") or message.startswith(name + ","), message


def _feedback_wrong(*words):
    return lambda fb: not fb.correct and all(w in fb.message for w in words)


def _timed(call, seconds):
    def run():
        start = time.perf_counter()
        result = call()
        assert time.perf_counter() - start < seconds, f"took more than {seconds} s"
        return result
    return run


def _stuck_run():
    return neuron.verdict(neuron.train(X_DATA, Y_DATA, (-4.0, 4.0), 1.0, 100), X_DATA, Y_DATA)


VERDICTS = [
    # Divergence judged without overflow, with the right step: |x_k| = 2^k·|x0| leaves 1e3·|x0| at k = 10.
    (lambda: descent.gradient_descent(SQUARE.gradient, 1e200, 1.5, 100).describe(), lambda d: d == "diverged at step 10"),
    (lambda: descent.gradient_descent(SQUARE.gradient, 1e154, 1.5, 100).describe(), lambda d: d == "diverged at step 10"),
    (lambda: descent.gradient_descent(SQUARE.gradient, 1e300, 1.5, 100).describe(), lambda d: d == "diverged at step 10"),
    (lambda: descent.gradient_descent(BOWL.gradient, [1e300, -1e300], 1.5, 100).diverged_at, lambda k: k == 10),
    (lambda: descent.gradient_descent(SQUARE.gradient, 8.0, 1e308, 10).describe(), lambda d: d == "diverged at step 1"),
    (lambda: descent.gradient_descent(SQUARE.gradient, 8.0, 1e160, 10).describe(), lambda d: d == "diverged at step 1"),
    (lambda: descent.gradient_descent(SQUARE.gradient, 1e-300, 1.5, 100).status, lambda s: s == "diverged"),
    (lambda: descent.gradient_descent(SQUARE.gradient, 1e300, 0.1, 50).status, lambda s: s == "converging"),
    (lambda: descent.gradient_descent(SQUARE.gradient, 8.0, 1.5, 0).describe(), lambda d: d.startswith("no steps")),
    (lambda: descent.gradient_descent(SQUARE.gradient, 8.0, 1.5, 0).converges, lambda c: c is False),
    (lambda: descent.steps_to_reach(SQUARE, 1000.0, 1.5), lambda k: k is None),
    (lambda: descent.steps_to_reach(BOWL, [1e-7, 1e-300], 1.5), lambda k: k == 0),
    (lambda: SQUARE.closed_form(8.0, 1.5, 1020)[-1], lambda x: x == 8.0 * 2.0**1020),
    (lambda: neuron.forward(1e300, 0.0, 1e300).y_hat, lambda y: y.tolist() == [1.0]),
    (lambda: neuron.forward(1e300, 0.0, -1e300).y_hat, lambda y: y.tolist() == [0.0]),
    (lambda: neuron.train(X_DATA, Y_DATA, (0.0, 0.0), 1e308, 10).diverged_at, lambda k: k == 1),
    (lambda: neuron.train(X_DATA, Y_DATA, (0.0, 0.0), 1e160, 10).path.shape[1], lambda d: d == 2),
    (lambda: neuron.verdict(neuron.train(X_DATA, Y_DATA, (0.0, 0.0), 1.0, 0), X_DATA, Y_DATA),
     lambda v: v.status == "no steps" and "crawling" not in v.text),
    (_stuck_run, lambda v: v.status == "stuck" and "saturated" in v.text),
    (lambda: mlp.verdict(mlp.train(PARAMS, X_TASK, Y_TASK, 1e3, 100)), lambda v: v.status == "saturated"),
    (lambda: mlp.verdict(mlp.train(PARAMS, X_TASK, Y_TASK, 1e300, 100)), lambda v: v.status == "saturated"),
    (lambda: mlp.verdict(mlp.train(PARAMS, X_TASK, Y_TASK, 100.0, 100)),
     lambda v: v.status == "diverging" and "rose on 51 of 100 epochs" in v.text),
    (lambda: mlp.verdict(mlp.train(PARAMS, X_TASK, Y_TASK, 1.0, 0)), lambda v: v.status == "no epochs"),
    (lambda: mlp.check_layer(PARAMS, X_TASK, Y_TASK, 3)[0].ok(), lambda ok: ok),
    (lambda: SQUARE.value(1e150), lambda f: math.isclose(f, 1e300, rel_tol=1e-15)),
    (lambda: elongated(1.7e308).gradient([0.0, 0.0]), lambda g: g.tolist() == [0.0, 0.0]),
    (lambda: elongated(1.7e308).value([0.0, 0.0]), lambda f: f == 0.0),
    # Exercise checkers: feedback, never a traceback, in closed form for any lr.
    (_timed(lambda: ex_descent.fastest_lr(1e-10), 1.0), _feedback_wrong("steps")),
    (_timed(lambda: ex_descent.fastest_lr(1e-8), 1.0), _feedback_wrong("steps")),
    (lambda: ex_descent.fastest_lr(1e300), _feedback_wrong("never gets small")),
    (lambda: ex_descent.fastest_lr(1.7e308), _feedback_wrong("never gets small")),
    (lambda: ex_descent.fastest_lr(None), _feedback_wrong("lr")),
    (lambda: ex_descent.fastest_lr("fast"), _feedback_wrong("lr")),
    (lambda: ex_descent.fastest_lr(nan), _feedback_wrong("finite")),
    (lambda: ex_descent.fastest_lr(-1), _feedback_wrong("lr must be > 0")),
    (lambda: ex_descent.steps_needed(1e300), lambda fb: not fb.correct and len(fb.message) < 200),
    (lambda: ex_descent.steps_needed(2.5), _feedback_wrong("whole number")),
    (lambda: ex_descent.steps_needed(-3), _feedback_wrong("whole number")),
    (lambda: ex_descent.update_rule(lambda x, lr: None), _feedback_wrong("placeholder")),
    (lambda: ex_descent.update_rule(lambda x, lr: "x"), _feedback_wrong("should return a number")),
    (lambda: ex_descent.update_rule(3), _feedback_wrong("pass a function")),
    (lambda: ex_descent.gradient_2d(lambda x, y, a: (1, 2, 3)), _feedback_wrong("shape")),
    (lambda: ex_descent.largest_stable_lr(1e300), _feedback_wrong("|r_y| ≥ 1")),
    (lambda: ex_neuron.dl_db(lambda *a: [1, 2]), _feedback_wrong("should return a number")),
    (lambda: ex_neuron.dl_db(lambda *a: 1 / 0), _feedback_wrong("ZeroDivisionError")),
    (lambda: ex_neuron.sign_dl_dw(["+"]), _feedback_wrong('"+"')),
    (lambda: ex_neuron.sign_dl_dw(...), _feedback_wrong("in place of")),
    (lambda: ex_mlp.delta_L4("abc"), _feedback_wrong("must be 3 numbers")),
    (lambda: ex_mlp.delta_L4([1, 2]), _feedback_wrong("3 finite numbers")),
]


@pytest.mark.parametrize("call, check", VERDICTS, ids=range(len(VERDICTS)))
def test_an_extreme_input_gets_the_right_answer(call, check):
    assert check(call())


def test_the_table_holds_at_least_250_bad_inputs():
    assert len(ERRORS) + len(VERDICTS) >= 250


def test_the_messages_say_what_was_got():
    # A few messages in full: the parameter, what was expected, and what was got.
    cases = [(lambda: descent.gradient_descent(SQUARE.gradient, 1.0, 0.1, 10**7),
              r"steps must be an integer >= 0 and <= 100000; got 10000000"),
             (lambda: descent.gradient_descent(lambda x: None, 1.0, 0.1, 5),
              r"gradient\(x0\) must return finite numbers; it returned None"),
             (lambda: checks.finite_array([1.0, 2.0, 3.0], "x0", shape=(2,)), r"x0 must have shape \(2,\); got shape \(3,\)"),
             (lambda: Quadratic((1, 2, -3)), r"c\[2\] must be a finite number > 0; got -3.0"),
             (lambda: neuron.mse([1.0, 2.0, 3.0], [1.0]), r"y_hat has 3, y has 1"),
             (lambda: mlp.check_layer(PARAMS, X_TASK, Y_TASK, -1), r"l must be an integer from 0 to 3; got -1")]
    for call, pattern in cases:
        with pytest.raises((TypeError, ValueError), match=pattern):
            call()
    matplotlib.pyplot.close("all")


def test_direction_errors_name_direction_not_x0():
    with pytest.raises(TypeError) as raised:
        neuron.train(X_DATA, Y_DATA, (0.0, 0.0), 1.0, 5, direction=lambda theta, x, y: None)
    assert "x0" not in str(raised.value) and re.match(r"direction\(theta0, x, y\)", str(raised.value))


# Readouts and figures of the explorers: right for every value.

def test_the_layer_ratio_reads_right_for_every_seed_and_scale():
    from nbkit.explorers.mlp import _ratio_words

    for seed in range(21):
        for scale in np.round(np.arange(0.1, 3.01, 0.1), 1):
            norms = mlp.train(mlp.init_params(scale=float(scale), seed=seed), X_TASK, Y_TASK, 1.0, 0).grad_norms[0]
            words = _ratio_words(norms)
            ratio = float(re.search(r"<b>([0-9.e+]+)×</b>", words).group(1))
            assert ratio >= 1, words  # never "0.577× smaller": the word turns instead
            smaller = norms[0] < norms[-1]
            assert ("smaller" in words) == smaller and ("larger" in words) == (not smaller)
            assert math.isclose(ratio, max(norms[0], norms[-1]) / min(norms[0], norms[-1]), rel_tol=5e-3)
    assert "larger" in _ratio_words(np.array([2.0, 1.0, 1.0, 1.0])) and "<b>2×</b>" in _ratio_words(np.array([2.0, 1, 1, 1.0]))


def test_the_mlp_readout_gives_the_verdict_of_the_run_it_shows():
    from nbkit.explorers import MLPExplorer

    explorer = MLPExplorer(lr=100.0, scale=1.0, seed=0, epochs=100)
    verdict = mlp.verdict(explorer.state.history)
    assert verdict.status == "diverging" and "rose on 51 of 100 epochs" in explorer.readout.value
    first, second = map(float, re.findall(r"from ([0-9.]+) to ([0-9.]+)", explorer.readout.value)[0])
    losses = explorer.state.history.losses
    assert (first, second) == (round(losses[0], 4), round(losses[-1], 4))


def test_bars_below_the_axis_floor_reach_it_with_a_marker():
    from nbkit.explorers import MLPExplorer

    explorer = MLPExplorer(lr=10.0, scale=0.1, seed=0, epochs=10)
    floor = explorer.ax_grad.get_ylim()[0]
    norms = explorer.state.history.grad_norms
    for bars, markers, row in zip((explorer.bars_init, explorer.bars_end), explorer.floors, (norms[0], norms[-1])):
        below = row < floor
        assert below.any()  # this setting has norms below the floor, so the test means something
        tops = np.array([bar.get_y() + bar.get_height() for bar in bars])
        np.testing.assert_allclose(tops[below], floor, rtol=1e-12)
        np.testing.assert_allclose(tops[~below], row[~below], rtol=1e-12)
        x, y = markers.get_data()
        centres = np.array([bar.get_x() + bar.get_width() / 2 for bar in bars])
        np.testing.assert_allclose(x, centres[below])
        np.testing.assert_allclose(y, floor)


def test_the_neuron_explorer_start_sliders_stay_within_the_landscape_view():
    from nbkit.explorers import NeuronExplorer

    explorer = NeuronExplorer()
    for name, lim in (("w0", explorer.ax_land.get_xlim()), ("b0", explorer.ax_land.get_ylim())):
        slider = explorer.controls[name]
        assert lim[0] <= slider.min and slider.max <= lim[1], (name, lim, slider.min, slider.max)
