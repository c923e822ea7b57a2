import numpy as np
import pytest

from nbkit import neuron, sgd


@pytest.fixture(scope="module")
def data():
    x, y = neuron.make_data(n=40, noise=0.1)
    return x, y, sgd.minimum(x, y)


def test_the_minimum_has_a_zero_gradient(data):
    x, y, theta_star = data
    assert np.linalg.norm(neuron.gradient(theta_star, x, y)) < 1e-10


def test_the_noise_ball_is_the_rms_distance_over_the_second_half(data):
    x, y, theta_star = data
    run = neuron.train(x, y, theta_star, 1.0, 200, batch_size=2, seed=3)
    tail = run.path[100:]
    assert np.isclose(sgd.noise_ball(x, y, theta_star, 1.0, 2, 200, seed=3),
                      np.sqrt(np.mean(np.sum((tail - theta_star) ** 2, axis=1))), rtol=1e-12)
    assert sgd.noise_ball(x, y, theta_star, 1.0, 40, 200) < 1e-8  # the full batch stays at the minimum


def test_the_cost_counts_updates_epochs_and_samples(data):
    x, y, theta_star = data
    target = 1.5 * neuron.loss(theta_star, x, y)
    cost = sgd.cost_to_reach(x, y, (-1.0, 2.0), 2.0, 8, target, max_epochs=40, seed=1)
    L = neuron.losses(neuron.train(x, y, (-1.0, 2.0), 2.0, 5 * 40, batch_size=8, seed=1).path, x, y)
    k = int(np.flatnonzero(L <= target)[0])
    assert cost == (k, k / 5, k * 8)
    assert sgd.cost_to_reach(x, y, (-1.0, 2.0), 2.0, 8, 0.0, max_epochs=2) == (None, None, None)


def test_first_at_or_below():
    assert sgd.first_at_or_below([3.0, 2.0, 1.0, 0.5], 1.0) == 2
    assert sgd.first_at_or_below([3.0, 2.0], 1.0) is None


def test_cost_to_reach_draws_its_batches_with_seed_0_by_default():
    x, y = neuron.make_data()
    args = (x, y, (-1.0, 2.0), 1.0, 4, 0.2, 30)
    costs = {seed: sgd.cost_to_reach(*args, seed=seed) for seed in range(4)}
    assert len(set(costs.values())) > 1  # the seed matters here
    assert sgd.cost_to_reach(*args) == costs[0]


def test_the_minimum_is_the_last_point_of_full_batch_descent_and_a_diverged_search_is_named():
    x, y = neuron.make_data(n=30, seed=3)
    np.testing.assert_array_equal(sgd.minimum(x, y, steps=50), neuron.train(x, y, (0.0, 0.0), 4.0, 50).path[-1])
    with pytest.raises(ValueError, match=r"^lr = 1e\+300 is too large to find the minimum: diverged at step 1$"):
        sgd.minimum(x, y, lr=1e300)


def test_the_noise_ball_follows_the_draw_and_is_infinite_when_the_run_diverges():
    x, y = neuron.make_data(n=30, seed=3)
    theta_star = sgd.minimum(x, y)
    epochs, fresh = (sgd.noise_ball(x, y, theta_star, 2.0, 4, 200, draw=d) for d in ("epochs", "independent"))
    assert epochs != fresh
    run = neuron.train(x, y, theta_star, 2.0, 200, batch_size=4, draw="independent")
    tail = run.path[100:]
    assert fresh == pytest.approx(np.sqrt(np.mean(np.sum((tail - theta_star) ** 2, axis=1))), rel=1e-12)
    assert sgd.noise_ball(x, y, theta_star, 1e300, 4, 10) == float("inf")


def test_cost_to_reach_may_look_one_epoch_ahead():
    x, y = neuron.make_data(n=30, seed=3)
    loss0 = neuron.loss((0.0, 0.0), x, y)
    cost = sgd.cost_to_reach(x, y, (0.0, 0.0), 2.0, 10, 0.99 * loss0, max_epochs=1)  # reached within the first epoch
    assert cost.updates is not None and cost.epochs <= 1
