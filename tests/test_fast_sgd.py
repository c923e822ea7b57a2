"""The SGD explorer's fast loop gives what neuron.train gives with a batch size: path, status and step of divergence, to the bit."""

import itertools

import numpy as np
import pytest

from nbkit import descent, neuron, sampling, schedules
from nbkit.explorers import SGDExplorer, fast_sgd
from nbkit.explorers.fast_sgd import numpy_sum, train_sgd

x, y = neuron.make_data(n=SGDExplorer.N, noise=0.1)  # the explorer's data
N = x.size
CORNERS = [(-6.0, -6.0), (-6.0, 6.0), (6.0, -6.0), (6.0, 6.0)]
LRS = [0.01, 0.047, 0.3, 1.0, 4.2, 11.0, 30.0]  # the lr slider's range, log-spaced, its ends included


def explorer_rates(schedule, lr, B, epochs):
    """The explorer's rule: min(epochs·⌊n/B⌋, MAX_UPDATES) updates at the schedule's rates, each at least 1e-12."""
    updates = min(epochs * (N // B), SGDExplorer.MAX_UPDATES)
    return np.maximum(schedules.rates(schedule, lr, updates), 1e-12), updates


def bits(a):
    """The bits of a float array: equal bits are equal numbers, signed zeros told apart."""
    return np.ascontiguousarray(a, dtype=np.float64).view(np.uint64)


def assert_same_run(got, expected):
    assert isinstance(got, descent.Run)
    assert got.path.shape == expected.path.shape
    assert np.array_equal(bits(got.path), bits(expected.path))  # to the bit
    assert (got.status, got.diverged_at) == (expected.status, expected.diverged_at)


def assert_as_teaching(schedule, lr, B, seed, start, epochs):
    rates, updates = explorer_rates(schedule, lr, B, epochs)
    expected = neuron.train(x, y, start, rates, updates, batch_size=B, seed=seed)
    assert_same_run(train_sgd(x, y, start, rates, updates, B, seed), expected)
    return expected


@pytest.mark.parametrize("B", list(range(1, N + 1)))
def test_every_batch_size(B):
    """B = 1 … n, on Python floats below fast_sgd.FLOATS_BELOW and in numpy buffers from there; the other
    sliders turn through their values with B."""
    assert_as_teaching(schedules.SCHEDULES[B % 4], LRS[B % len(LRS)], B, seed=B % 10,
                       start=CORNERS[B % 4], epochs=1 + 7 * B % 40)


@pytest.mark.parametrize("schedule, lr, start", list(itertools.product(schedules.SCHEDULES, LRS, CORNERS)))
def test_each_schedule_rate_and_corner_at_the_cut(schedule, lr, start):
    """B = 1 for 40 epochs: cut at MAX_UPDATES, the explorer's slowest setting; the seed turns with lr."""
    run = assert_as_teaching(schedule, lr, 1, seed=LRS.index(lr), start=start, epochs=40)
    assert len(run.path) - 1 == SGDExplorer.MAX_UPDATES


@pytest.mark.parametrize("epochs", list(range(1, 41)))
def test_every_epoch_count(epochs):
    """B = 7: 14 updates an epoch, so from 15 epochs on the run is cut at MAX_UPDATES."""
    run = assert_as_teaching(schedules.SCHEDULES[epochs % 4], 3.0, 7, seed=epochs % 10, start=(-4.0, 4.0), epochs=epochs)
    assert len(run.path) - 1 == min(14 * epochs, SGDExplorer.MAX_UPDATES)


@pytest.mark.parametrize("seed, B", list(itertools.product(range(10), (1, 3, 30))))
def test_every_seed(seed, B):
    assert_as_teaching("step", 2.0, B, seed, (1.0, -2.0), epochs=40)


def test_statuses_and_a_number_for_lr():
    """The runs above end converging, oscillating, at the edge and diverged; lr as one number works as in neuron.train."""
    statuses = {assert_as_teaching(s, lr, B, 0, start, 40).status
                for s, lr, B, start in itertools.product(("constant", "cosine"), (0.3, 30.0), (1, 50), CORNERS)}
    assert statuses == {"converging", "oscillating", "edge", "diverged"}
    assert_same_run(train_sgd(x, y, (2.0, 3.0), 1.5, 120, 5, 4), neuron.train(x, y, (2.0, 3.0), 1.5, 120, batch_size=5, seed=4))
    assert_same_run(train_sgd(x, y, (2.0, 3.0), 1.5, 0, 5), neuron.train(x, y, (2.0, 3.0), 1.5, 0, batch_size=5))


def transcribed_train(start, rates, updates, B, seed, escape):
    """neuron.train(x, y, start, rates, updates, batch_size=B, seed=seed) written out on gradient_descent, with its bound."""
    batches = sampling.batch_indices(N, B, updates, seed)
    return descent.gradient_descent(lambda theta: neuron.gradient(theta, x, y), start, rates, updates, escape,
                                    direction=lambda theta, k: neuron.gradient(theta, x[batches[k]], y[batches[k]]))


def test_the_transcription_is_neuron_train():
    rates, updates = explorer_rates("1/t", 11.0, 4, 40)
    assert_same_run(transcribed_train((-6.0, 6.0), rates, updates, 4, 2, 1e3),
                    neuron.train(x, y, (-6.0, 6.0), rates, updates, batch_size=4, seed=2))


@pytest.mark.parametrize("schedule, lr, B, start, escape", [
    ("constant", 11.0, 1, (1.0, 1.0), 2.0), ("step", 11.0, 7, (1.0, 1.0), 1.5), ("1/t", 30.0, 1, (-6.0, 2.0), 1.1),
    ("cosine", 30.0, 30, (-6.0, 2.0), 1.1), ("cosine", 11.0, 1, (1.0, 1.0), 2.0)])
def test_a_run_stops_where_the_runner_stops(schedule, lr, B, start, escape):
    """No slider setting leaves neuron.train's bound 1e3·max(1, ‖θ0‖); a smaller bound makes runs leave it, at the same step."""
    rates, updates = explorer_rates(schedule, lr, B, 40)
    expected = transcribed_train(start, rates, updates, B, 0, escape)
    assert expected.diverged_at is not None and expected.diverged_at > 10
    assert_same_run(train_sgd(x, y, start, rates, updates, B, 0, escape), expected)


rng = np.random.default_rng(0)


@pytest.mark.parametrize("n", [*range(1, 300), 1000, 8193, 20001])
def test_numpy_sum_is_np_sum(n):
    """Random magnitudes from 1e-12 to 1e12 of both signs, whose sum depends on the order; and signed zeros."""
    values = rng.uniform(-1, 1, n) * 10.0 ** rng.integers(-12, 13, n)
    zeros = rng.choice([-0.0, 0.0], n)
    for a in (values, zeros, -np.abs(zeros)):
        assert bits(numpy_sum(a.tolist())) == bits(np.sum(a))


def test_the_explorer_trains_with_train_sgd_unless_neuron_train_is_replaced(monkeypatch):
    assert fast_sgd.trainer() is train_sgd
    monkeypatch.setattr(neuron, "train", lambda *args, **kwargs: None)  # a wrapper is called as it is
    assert fast_sgd.trainer() is neuron.train
