"""Mini-batches: the batches themselves, and the mean and variance of a batch gradient, checked statistically.

The statistical checks use M independent batches (the first batch of each of M epochs: the
batches of one epoch are disjoint, hence dependent). A mean of M independent draws lies within
5 standard errors of its expectation except with probability below 1e-6 (normal approximation,
M in the thousands); the same holds for the sample variance, whose standard error is
√((m₄ − s⁴)/M) with m₄ the fourth central moment of the draws. So a correct sampler fails these
checks for fewer than one seed in 10⁵; with the fixed seeds here they pass or fail the same way
on every run. Sampling with replacement would change the variance by the factor (n − 1)/(n − B),
1.58 for n = 20, B = 8: far outside the bound.
"""

import numpy as np
import pytest

from nbkit import neuron, sampling

M = 20_000  # independent batches per check
Z = 5.0     # standard errors allowed (two-sided probability < 1e-6 under the normal approximation)


@pytest.fixture(scope="module")
def per_sample():
    """Per-sample gradients gᵢ = ∇ℓᵢ of the neuron at one θ, shape (n, 2), n = 20, and the data."""
    x, y = neuron.make_data(n=20, noise=0.1, seed=3)
    theta = np.array([0.5, 0.3])
    G = np.array([neuron.gradient(theta, x[i:i + 1], y[i:i + 1]) for i in range(x.size)])
    return theta, x, y, G


def first_batches(n, B, seed):
    per_epoch = n // B
    return sampling.batch_indices(n, B, per_epoch * M, seed)[::per_epoch]


def test_the_gradient_of_a_batch_is_the_mean_of_its_per_sample_gradients(per_sample):
    theta, x, y, G = per_sample
    for i in sampling.batch_indices(x.size, 7, 6, seed=1):
        assert np.allclose(neuron.gradient(theta, x[i], y[i]), G[i].mean(axis=0), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("B", [1, 3, 8, 19])
def test_a_batch_gradient_is_unbiased(per_sample, B):
    _, _, _, G = per_sample
    n = G.shape[0]
    estimates = G[first_batches(n, B, seed=B)].mean(axis=1)  # (M, 2)
    sigma2 = G.var(axis=0)
    standard_error = np.sqrt([sampling.batch_mean_variance(s, n, B) / M for s in sigma2])
    assert np.all(np.abs(estimates.mean(axis=0) - G.mean(axis=0)) < Z * standard_error)


@pytest.mark.parametrize("B", [1, 3, 8, 19])
def test_a_batch_gradient_has_the_variance_of_sampling_without_replacement(per_sample, B):
    _, _, _, G = per_sample
    n = G.shape[0]
    estimates = G[first_batches(n, B, seed=100 + B)].mean(axis=1)
    for component in range(2):
        draws = estimates[:, component]
        exact = sampling.batch_mean_variance(G[:, component].var(), n, B)
        s2 = draws.var(ddof=1)
        m4 = np.mean((draws - draws.mean()) ** 4)
        assert abs(s2 - exact) < Z * np.sqrt((m4 - s2 ** 2) / M)


def test_the_variance_formula_against_every_batch_of_a_small_population():
    from itertools import combinations
    values = np.array([0.3, -1.2, 2.5, 0.0, 4.1, -0.7])
    for B in range(1, 7):
        means = [values[list(c)].mean() for c in combinations(range(6), B)]  # every batch is equally likely
        assert np.isclose(np.var(means), sampling.batch_mean_variance(values.var(), 6, B), rtol=1e-12, atol=1e-15)


def test_a_full_batch_has_no_spread(per_sample):
    _, _, _, G = per_sample
    assert sampling.batch_mean_variance(1.0, 20, 20) == 0.0
    assert np.all(sampling.batch_indices(20, 20, 5, seed=7) == np.arange(20))


def test_an_epoch_visits_each_sample_at_most_once_and_drops_n_mod_B():
    batches = sampling.batch_indices(23, 5, 12, seed=2)  # 4 batches per epoch, 3 epochs
    assert batches.shape == (12, 5)
    for epoch in batches.reshape(3, 20):
        assert len(set(epoch)) == 20
    assert np.all(np.diff(batches, axis=1) > 0)  # each batch sorted
    assert not np.array_equal(batches[:4], batches[4:8])  # a new shuffle each epoch


def test_the_same_seed_gives_the_same_batches_and_another_seed_others():
    assert np.array_equal(sampling.batch_indices(30, 4, 50, seed=1), sampling.batch_indices(30, 4, 50, seed=1))
    assert not np.array_equal(sampling.batch_indices(30, 4, 50, seed=1), sampling.batch_indices(30, 4, 50, seed=2))


@pytest.mark.parametrize("B, error, message", [
    (0, ValueError, "batch_size must be an integer >= 1; got 0"),
    (21, ValueError, "batch_size must be an integer from 1 to n = 20 \\(the number of samples\\); got 21"),
    (2.5, TypeError, "batch_size must be an integer >= 1; got 2.5"),
])
def test_a_bad_batch_size_is_named(B, error, message):
    with pytest.raises(error, match=message):
        sampling.batch_indices(20, B, 3)


@pytest.mark.parametrize("B", [1, 3, 8, 19])
def test_independent_batches_have_the_mean_and_variance_of_sampling_without_replacement(per_sample, B):
    _, _, _, G = per_sample
    n = G.shape[0]
    estimates = G[sampling.batch_indices(n, B, M, seed=200 + B, draw="independent")].mean(axis=1)  # every batch independent
    for component in range(2):
        draws = estimates[:, component]
        exact = sampling.batch_mean_variance(G[:, component].var(), n, B)
        assert abs(draws.mean() - G[:, component].mean()) < Z * np.sqrt(exact / M)
        s2 = draws.var(ddof=1)
        m4 = np.mean((draws - draws.mean()) ** 4)
        assert abs(s2 - exact) < Z * np.sqrt((m4 - s2 ** 2) / M)


def test_independent_batches_know_no_epochs():
    n, B = 10, 5
    by_epoch = sampling.batch_indices(n, B, 400, seed=4)
    fresh = sampling.batch_indices(n, B, 400, seed=4, draw="independent")
    assert fresh.shape == (400, B) and np.all(np.diff(fresh, axis=1) > 0) and fresh.min() >= 0 and fresh.max() < n
    pairs = lambda batches: [np.union1d(a, b).size for a, b in zip(batches[::2], batches[1::2])]  # noqa: E731
    assert set(pairs(by_epoch)) == {n}  # the two batches of an epoch hold every sample
    # Two fresh batches of 5 of 10 hold every sample with probability 1/252: of 200 pairs, most do not.
    assert sum(size < n for size in pairs(fresh)) > 150
    np.testing.assert_array_equal(fresh, sampling.batch_indices(n, B, 400, seed=4, draw="independent"))


def test_a_bad_draw_is_named():
    with pytest.raises(ValueError, match=r"draw must be one of 'epochs', 'independent'; got 'fresh'"):
        sampling.batch_indices(10, 2, 5, draw="fresh")


def test_training_follows_the_batches_drawn(per_sample):
    _, x, y, _ = per_sample
    theta0, lr = np.array([0.5, 0.3]), 0.7
    for draw in sampling.DRAWS:
        run = neuron.train(x, y, theta0, lr, 3, batch_size=4, seed=5, draw=draw)
        theta = theta0
        for k, batch in enumerate(sampling.batch_indices(x.size, 4, 3, seed=5, draw=draw), 1):
            theta = theta - lr * neuron.gradient(theta, x[batch], y[batch])
            np.testing.assert_allclose(run.path[k], theta, rtol=1e-12)


@pytest.mark.parametrize("n", [1, 2, 3, 5])
def test_batch_mean_variance_is_that_of_every_batch_without_replacement(n):
    # The exact variance over all C(n, B) batches of n fixed values, each batch equally likely.
    import itertools
    values = np.arange(1.0, n + 1) ** 2
    sigma2 = values.var()  # the population variance σ² of the n values
    for B in range(1, n + 1):
        means = [np.mean(values[list(batch)]) for batch in itertools.combinations(range(n), B)]
        assert sampling.batch_mean_variance(sigma2, n, B) == pytest.approx(np.var(means), abs=1e-12)


@pytest.mark.parametrize("call, message", [
    (lambda: sampling.batch_indices(0, 1, 3), "^n must be an integer >= 1; got 0$"),
    (lambda: sampling.batch_indices(5, 2, -1), "^updates must be an integer >= 0; got -1$"),
    (lambda: sampling.batch_indices(5, 2, 3, seed=-1), "^seed must be an integer >= 0; got -1$"),
    (lambda: sampling.updates_per_epoch(0, 1), "^n must be an integer >= 1; got 0$"),
])
def test_bad_sampling_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("draw", ["epochs", "independent"])
def test_no_updates_is_an_empty_table_of_batches_and_one_sample_is_always_drawn(draw):
    none = sampling.batch_indices(5, 2, 0, draw=draw)
    assert none.shape == (0, 2) and none.dtype.kind == "i"
    assert sampling.batch_indices(1, 1, 3, draw=draw).tolist() == [[0], [0], [0]]


def test_updates_per_epoch_is_a_whole_number_of_batches():
    assert sampling.updates_per_epoch(10, 3) == 3 and type(sampling.updates_per_epoch(10, 3)) is int
    assert sampling.updates_per_epoch(1, 1) == 1
