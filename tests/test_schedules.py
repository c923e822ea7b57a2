import numpy as np
import pytest

from nbkit import schedules


def test_constant_is_lr0_at_every_step():
    assert np.array_equal(schedules.constant(np.arange(5), 0.3), np.full(5, 0.3))


def test_step_decay_halves_every_block():
    k = np.array([0, 2, 3, 5, 6, 9])
    assert np.allclose(schedules.step_decay(k, 0.8, every=3), [0.8, 0.8, 0.4, 0.4, 0.2, 0.1], rtol=1e-15)


def test_inverse_time_is_half_at_k_half_and_a_third_at_twice_that():
    assert np.allclose(schedules.inverse_time(np.array([0, 10, 20, 90]), 0.6, 10), [0.6, 0.3, 0.2, 0.06], rtol=1e-15)


def test_cosine_runs_from_lr0_through_half_to_zero():
    assert np.allclose(schedules.cosine(np.array([0, 25, 50, 75, 100]), 2.0, 100),
                       [2.0, 1 + np.sqrt(0.5), 1.0, 1 - np.sqrt(0.5), 0.0], rtol=1e-15, atol=1e-15)


@pytest.mark.parametrize("name", schedules.SCHEDULES)
def test_rates_start_at_lr0_and_never_rise(name):
    r = schedules.rates(name, 0.5, 40)
    assert r.shape == (40,) and r[0] == 0.5 and np.all(np.diff(r) <= 0) and np.all(r > 0)


def test_rates_pick_the_constants_from_the_length():
    K = 40
    assert np.array_equal(schedules.rates("step", 1.0, K)[[9, 10, 19, 20, 39]], [1, 0.5, 0.5, 0.25, 0.125])
    assert np.allclose(schedules.rates("1/t", 1.0, K)[[5, 15]], [0.5, 0.25], rtol=1e-15)
    assert np.allclose(schedules.rates("cosine", 1.0, K)[20], 0.5, rtol=1e-15)
    assert np.all(schedules.rates("constant", 1.0, K) == 1.0)


@pytest.mark.parametrize("bad, message", [("linear", "schedule must be one of 'constant', 'step', '1/t', 'cosine'; got 'linear'"),
                                           (None, "schedule must be one of")])
def test_an_unknown_schedule_is_named(bad, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace("/", "/")):
        schedules.rates(bad, 0.1, 10)


def test_bad_steps_and_rates_are_named():
    with pytest.raises(ValueError, match="lr0 must be a finite number > 0"):
        schedules.rates("cosine", 0.0, 10)
    with pytest.raises(ValueError, match="k must be an integer step >= 0"):
        schedules.constant(np.array([-1]), 0.1)
    with pytest.raises(ValueError, match="k must be at most total = 10"):
        schedules.cosine(11, 0.1, 10)
    with pytest.raises(ValueError, match="drop must be a number in \\(0, 1\\)"):
        schedules.step_decay(3, 0.1, 2, drop=2.0)


@pytest.mark.parametrize("call, name", [
    (lambda: schedules.step_decay(3, 0.1, 10, drop=-0.5), "drop"),
    (lambda: schedules.inverse_time(3, -0.1, 10), "lr0"),
    (lambda: schedules.inverse_time(3, 0.1, 0), "k_half"),
    (lambda: schedules.cosine(3, 0.1, 0), "total"),
])
def test_each_constant_of_a_schedule_is_named_when_bad(call, name):
    with pytest.raises(ValueError, match=f"^{name} must"):
        call()


def test_cosine_over_one_step_and_past_its_end():
    np.testing.assert_allclose(schedules.cosine([0, 1], 0.4, 1), [0.4, 0.0], atol=1e-17)  # total = 1 is allowed
    with pytest.raises(ValueError, match="^k must be at most total = 5 for the cosine schedule; got up to 7$"):
        schedules.cosine([0, 7, 3], 0.4, 5)


@pytest.mark.parametrize("call, message", [
    (lambda: schedules.constant([0, 1], -0.1), "^lr0 must"),
    (lambda: schedules.step_decay([0, 1], -0.1, 2), "^lr0 must"),
    (lambda: schedules.step_decay([0, 1], 0.1, 0), "^every must be an integer >= 1"),
    (lambda: schedules.step_decay([0, 1], 0.1, 2, drop=1.0), r"^drop must be a number in \(0, 1\); got 1.0$"),
    (lambda: schedules.step_decay([0, 1], 0.1, 2, drop=1.5), r"^drop must be a number in \(0, 1\); got 1.5$"),
    (lambda: schedules.rates("step", 0.1, -1), "^total must"),
])
def test_bad_constants_of_the_schedules_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_a_short_step_schedule_still_halves_every_quarter_rounded_up():
    np.testing.assert_array_equal(schedules.rates("step", 0.8, 2), [0.8, 0.4])      # ⌈2/4⌉ = 1 step per halving
    np.testing.assert_array_equal(schedules.rates("step", 0.8, 5), [0.8, 0.8, 0.4, 0.4, 0.2])  # ⌈5/4⌉ = 2
