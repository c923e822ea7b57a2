import warnings

import numpy as np
import pytest

from nbkit import mlp, optimizers
from nbkit.descent import gradient_descent
from nbkit.objectives import SQUARE, elongated
from nbkit.optimizers import Adam, GradientDescent, Momentum, run


def momentum_by_hand(c, x0, lr, beta, steps):
    """v ← β·v + 2c·x, x ← x − lr·v, one coordinate of c·x² at a time, written out."""
    path = [np.array(x0, dtype=float)]
    x, v = np.array(x0, dtype=float), np.zeros(len(x0))
    for _ in range(steps):
        v = beta * v + 2 * np.asarray(c) * x
        x = x - lr * v
        path.append(x)
    return np.array(path)


def polyak(c, x0, lr, beta, steps):
    """Polyak's heavy ball: X_{k+1} = X_k − lr·∇f(X_k) + β·(X_k − X_{k−1}), with X_{−1} = X_0."""
    path = [np.array(x0, dtype=float)] * 2
    for _ in range(steps):
        x, x_prev = path[-1], path[-2]
        path.append(x - lr * 2 * np.asarray(c) * x + beta * (x - x_prev))
    return np.array(path[1:])


def adam_by_hand(c, x0, lr, beta1, beta2, eps, steps, corrected=True):
    path = [np.array(x0, dtype=float)]
    x, v, s = np.array(x0, dtype=float), 0.0, 0.0
    for k in range(1, steps + 1):
        g = 2 * np.asarray(c) * x
        v = beta1 * v + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g**2
        v_hat = v / (1 - beta1**k) if corrected else v
        s_hat = s / (1 - beta2**k) if corrected else s
        x = x - lr * v_hat / (np.sqrt(s_hat) + eps)
        path.append(x)
    return np.array(path)


@pytest.mark.parametrize("a, lr, beta", [(10.0, 0.05, 0.9), (1.0, 0.3, 0.5), (20.0, 0.02, 0.0), (100.0, 0.0066, 0.67)])
def test_momentum_path_is_the_update_equations_step_by_step(a, lr, beta):
    got = run(Momentum(beta), elongated(a), [-9.0, 6.0], lr, 80)
    np.testing.assert_allclose(got.path, momentum_by_hand((1.0, a), [-9.0, 6.0], lr, beta, 80), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got.losses, elongated(a).value(got.path), rtol=1e-15)


@pytest.mark.parametrize("a, lr, beta", [(10.0, 0.05, 0.9), (3.0, 0.2, 0.3), (50.0, 0.01, 0.8)])
def test_momentum_equals_polyaks_heavy_ball(a, lr, beta):
    ours = run(Momentum(beta), elongated(a), [-9.0, 6.0], lr, 100).path
    # The two forms add the same terms in another order: round-off of a few ulps of the largest |X| per step.
    np.testing.assert_allclose(ours, polyak((1.0, a), [-9.0, 6.0], lr, beta, 100), rtol=0, atol=1e-11)


@pytest.mark.parametrize("corrected", [True, False])
@pytest.mark.parametrize("a, lr, beta1, beta2, eps", [(10.0, 0.1, 0.9, 0.999, 1e-8), (1.0, 0.5, 0.5, 0.9, 1e-3),
                                                     (20.0, 0.01, 0.0, 0.99, 1e-8)])
def test_adam_path_is_the_update_equations_step_by_step(a, lr, beta1, beta2, eps, corrected):
    got = run(Adam(beta1, beta2, eps, bias_correction=corrected), elongated(a), [-9.0, 6.0], lr, 60)
    want = adam_by_hand((1.0, a), [-9.0, 6.0], lr, beta1, beta2, eps, 60, corrected)
    np.testing.assert_allclose(got.path, want, rtol=1e-12, atol=1e-12)


def test_gradient_descent_rule_reproduces_the_course_runner_to_the_bit():
    for a, lr in [(10.0, 0.085), (1.0, 0.5), (10.0, 0.11)]:
        ours = run(GradientDescent(), elongated(a), [-9.0, 6.0], lr, 60)
        theirs = gradient_descent(elongated(a).gradient, [-9.0, 6.0], lr, 60)
        np.testing.assert_array_equal(ours.path, theirs.path)
        assert ours.diverged_at == theirs.diverged_at


@pytest.mark.parametrize("x0", [[-9.0, 6.0], [3.0, -1e-3], [1e-3, 2.0]])
@pytest.mark.parametrize("lr", [0.3, 1e-3])
def test_adams_first_step_is_lr_times_the_sign_of_the_gradient(x0, lr):
    bowl = elongated(50.0)
    step = run(Adam(), bowl, x0, lr, 1).path[1] - np.asarray(x0)
    g = bowl.gradient(np.asarray(x0))
    # lr·g/(|g| + ε) differs from lr·sign(g) by lr·ε/|g| at most, below 1e-4 relative here.
    np.testing.assert_allclose(step, -lr * np.sign(g), rtol=1e-4)
    plain = run(Adam(bias_correction=False), bowl, x0, lr, 1).path[1] - np.asarray(x0)
    # Without the correction: lr·0.1·g/(√0.001·|g| + ε), √10 ≈ 3.16 times larger; ε/(√0.001·|g|) < 2e-4 here.
    np.testing.assert_allclose(plain, -lr * np.sign(g) * 0.1 / np.sqrt(0.001), rtol=1e-3)


def test_rules_apply_to_every_array_of_a_network_as_to_a_point():
    params = mlp.init_params(seed=3)
    grads = mlp.init_params(seed=4)
    for rule in (GradientDescent(), Momentum(0.7), Adam()):
        state = rule.init(params)
        new, state = rule.step(params, grads, state, 0.1)
        new, state = rule.step(new, grads, state, 0.1)
        for (W, b), (dW, db), (W2, b2) in zip(params, grads, new):
            for x, g, x2 in ((W, dW, W2), (b, db, b2)):
                s = rule.start(x)
                y, s = rule.update(x, g, s, 0.1)
                y, s = rule.update(y, g, s, 0.1)
                np.testing.assert_array_equal(x2, y)
                assert x2.shape == x.shape
        if isinstance(rule, Adam):
            assert state[0][0].k == 2 and state[0][0].v.shape == params[0][0].shape


def test_divergence_is_a_result_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        huge = run(Momentum(0.9), elongated(10.0), [1.0, 1.0], 1e300, 50)
        fast = run(Momentum(0.9), elongated(10.0), [-9.0, 6.0], 0.2, 200)
    assert huge.diverged_at == 1 and huge.describe() == "diverged at step 1"
    assert fast.diverged_at is not None and fast.describe() == f"diverged at step {fast.diverged_at}"
    assert len(fast.path) == fast.diverged_at and np.all(np.isfinite(fast.path))
    assert np.linalg.norm(fast.path[-1]) <= 1e3 * np.linalg.norm([-9.0, 6.0])


def test_rises_counts_separate_climbs_of_the_loss():
    r = optimizers.Run(np.zeros(8), np.array([5, 4, 4.5, 4.6, 3, 3.5, 1, 1.2]), None)
    assert r.rises == 3
    assert optimizers.Run(np.zeros(3), np.array([1.0, 2.0, 1.0]), None).rises == 1
    assert optimizers.Run(np.zeros(3), np.array([3.0, 2.0, 1.0]), None).rises == 0


def test_verdicts():
    bowl = elongated(10.0)
    for lr in (0.01, 0.05, 0.09):  # gradient descent on a quadratic: the loss only falls
        assert run(GradientDescent(), bowl, [-9.0, 6.0], lr, 200).verdict == "converging"
    ringing = run(Momentum(0.9), bowl, [-9.0, 6.0], 0.05, 200)
    assert ringing.verdict == "ringing" and ringing.rises >= optimizers.RINGING_RISES
    assert ringing.describe().startswith("ringing") and f"rose {ringing.rises} times" in ringing.describe()
    smooth = run(Momentum(0.3), bowl, [-9.0, 6.0], 0.1, 200)
    assert smooth.verdict == "converging" and smooth.rises < optimizers.RINGING_RISES
    stuck = run(GradientDescent(), bowl, [0.0, 6.0], 0.1, 20)  # r_y = 1 − 2·a·lr = −1: y bounces
    assert stuck.verdict == "stuck" and "did not fall" in stuck.describe()


def test_one_coordinate_runs_on_the_square():
    got = run(Momentum(0.5), SQUARE, 4.0, 0.1, 30)
    assert got.path.shape == (31,)
    np.testing.assert_allclose(got.path, momentum_by_hand((1.0,), [4.0], 0.1, 0.5, 30)[:, 0], rtol=1e-12)


@pytest.mark.parametrize("make, name", [
    (lambda: Momentum(beta=1.0), "beta"), (lambda: Momentum(beta=-0.1), "beta"), (lambda: Momentum(beta=np.nan), "beta"),
    (lambda: Adam(beta1=1.0), "beta1"), (lambda: Adam(beta2=1.5), "beta2"), (lambda: Adam(eps=0.0), "eps"),
])
def test_bad_constants_are_named(make, name):
    with pytest.raises(ValueError, match=rf"^{name} must be a finite number"):
        make()


def test_bad_run_arguments_are_named():
    with pytest.raises(ValueError, match="^lr must be a finite number > 0"):
        run(Momentum(), elongated(10.0), [1.0, 1.0], -0.1, 10)
    with pytest.raises(TypeError, match="^beta must be a finite number in"):
        Momentum(beta="0.9")
    with pytest.raises(ValueError, match="^x0 must have shape"):
        run(Adam(), elongated(10.0), [1.0, 1.0, 1.0], 0.1, 10)
    with pytest.raises(TypeError, match="^steps must be an integer"):
        run(Adam(), elongated(10.0), [1.0, 1.0], 0.1, 2.5)


def train_as_before(params, X, Y, lr, epochs):
    """mlp.train as it was before it took an optimizer: W -= lr·dW in place, layer by layer."""
    params = [(W.astype(float), np.array(b, dtype=float)) for W, b in params]
    losses, norms = np.empty(epochs + 1), np.empty((epochs + 1, len(params)))
    for k in range(epochs + 1):
        cache = mlp.forward(params, X)
        losses[k] = mlp.loss(cache.y_hat, Y)
        for l, ((W, b), (dW, db)) in enumerate(zip(params, mlp.backward(params, cache, Y))):
            norms[k, l] = np.vdot(dW, dW)
            if k < epochs:
                W -= lr * dW
                b -= lr * db
    return losses, np.sqrt(norms), params


def test_train_by_default_gives_what_it_gave_before_to_the_bit():
    params, (X, Y) = mlp.init_params(seed=1), mlp.make_task(n=32)
    losses, norms, trained = train_as_before(params, X, Y, 5.0, 60)
    for history in (mlp.train(params, X, Y, 5.0, 60), mlp.train(params, X, Y, 5.0, 60, optimizer=GradientDescent())):
        np.testing.assert_array_equal(history.losses, losses)
        np.testing.assert_array_equal(history.grad_norms, norms)
        for (W, b), (W2, b2) in zip(history.params, trained):
            np.testing.assert_array_equal(W, W2)
            np.testing.assert_array_equal(b, b2)


@pytest.mark.parametrize("rule, lr", [(Momentum(0.9), 2.0), (Adam(), 0.02), (Adam(0.5, 0.9, 1e-6), 0.05)])
def test_train_with_an_optimizer_steps_the_network_by_that_rule(rule, lr):
    params, (X, Y) = mlp.init_params(seed=2), mlp.make_task(n=16)
    history = mlp.train(params, X, Y, lr, 25, optimizer=rule)
    theta, state, losses = params, rule.init(params), []
    for _ in range(26):
        value, grads = mlp.loss_and_grads(theta, X, Y)
        losses.append(value)
        flat = [(rule.update(W, dW, sW, lr), rule.update(b, db, sb, lr))
                for (W, b), (dW, db), (sW, sb) in zip(theta, grads, state)]
        theta, state = [(W, b) for (W, _), (b, _) in flat], [(sW, sb) for (_, sW), (_, sb) in flat]
    np.testing.assert_allclose(history.losses, losses, rtol=1e-13)
    assert history.losses[-1] < history.losses[0]
    for (W, b), (W0, b0) in zip(params, mlp.init_params(seed=2)):  # the starting parameters are left as they were
        assert np.array_equal(W, W0) and np.array_equal(b, b0)


def test_train_names_a_bad_optimizer():
    params, (X, Y) = mlp.init_params(), mlp.make_task(n=8)
    with pytest.raises(TypeError, match="^optimizer must be an update rule"):
        mlp.train(params, X, Y, 1.0, 3, optimizer="adam")


def test_adam_step_sizes_need_a_step():
    with pytest.raises(ValueError, match="^state must count at least one step"):
        Adam().step_sizes(Adam().start(np.zeros(2)), 0.1)


def test_step_on_a_point_given_as_lists_is_the_update_on_arrays():
    rule = Momentum(0.9)
    state = rule.start(np.zeros(2))
    state = rule.update(np.array([1.0, 2.0]), np.array([0.3, 0.1]), state, 0.1)[1]  # a velocity that is not 0
    x, new_state = rule.step([1.0, 2.0], [0.5, -1.0], state, 0.1)
    want_x, want_state = rule.update(np.array([1.0, 2.0]), np.array([0.5, -1.0]), state, 0.1)
    np.testing.assert_array_equal(x, want_x)
    np.testing.assert_array_equal(new_state, want_state)
    assert isinstance(x, np.ndarray)


def test_something_that_is_not_a_rule_is_named_with_its_type():
    with pytest.raises(TypeError, match=r"^optimizer must be an update rule such as .*; got 'adam' of type str$"):
        optimizers.rule("adam", "optimizer")


@pytest.mark.parametrize("rule", [Momentum(0.9), Adam()])  # gradient descent keeps no state
def test_init_gives_a_zero_state_shaped_like_the_point_or_each_layer(rule):
    point = rule.init([1, 2])
    layers = rule.init([(np.ones((2, 3)), np.ones(2)), (np.ones((1, 2)), np.ones(1))])
    for state, shape in [(point, (2,)), (layers[0][0], (2, 3)), (layers[0][1], (2,)), (layers[1][0], (1, 2))]:
        for part in ([state] if isinstance(rule, Momentum) else [state.v, state.s]):  # v; or Adam's two means
            assert part.shape == shape and part.dtype == np.float64 and not part.any()


def test_the_constants_of_a_rule_are_kept_as_floats():
    assert type(Momentum(0).beta) is float
    adam = Adam(beta1=0, beta2=0, eps=1)
    assert (type(adam.beta1), type(adam.beta2), type(adam.eps)) == (float, float, float)


def test_a_bad_escape_bound_is_named():
    with pytest.raises(ValueError, match="^escape must"):
        run(GradientDescent(), SQUARE, 1.0, 0.1, 5, escape=0)
