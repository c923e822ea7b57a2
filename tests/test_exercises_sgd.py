import numpy as np
import pytest

from nbkit.exercises import sgd as check


@pytest.fixture(scope="module")
def measured():
    return check.measured_ball_factor()


def test_the_ball_prediction_accepts_the_model_and_the_measurement(measured):
    assert check.ball_factor(0.5).correct
    assert check.ball_factor(measured).correct
    assert check.ball_factor(0.25).correct  # size ∝ 1/B, what the measured slopes of about −1 suggest
    assert 0.2 < measured < 0.5  # shuffling without replacement shrinks it more than independent batches would


@pytest.mark.parametrize("answer, hint", [(2.0, "does not shrink"), (1.0, "does not shrink"), (1 / 16, "like 1/B²"), (0.15, "not it"),
                                          (0.05, "not it"), (..., "in place of `...`")])
def test_the_ball_prediction_refuses_wrong_answers_with_a_hint(answer, hint, measured):
    feedback = check.ball_factor(answer)
    assert not feedback.correct and hint in feedback.message


def test_the_cosine_checker():
    assert check.cosine_rate(lambda k, lr0, K: lr0 * (1 + np.cos(np.pi * k / K)) / 2).correct
    assert "goes negative" in check.cosine_rate(lambda k, lr0, K: lr0 * np.cos(np.pi * k / K)).message
    assert "half a period" in check.cosine_rate(lambda k, lr0, K: lr0 * (1 + np.cos(2 * np.pi * k / K)) / 2).message
    assert not check.cosine_rate(lambda k, lr0, K: lr0 * (1 - k / K)).correct
    assert "placeholder" in check.cosine_rate(lambda k, lr0, K: ...).message


def test_the_epoch_cost_checker():
    assert check.epoch_cost((18, 288)).correct
    assert "left over" in check.epoch_cost((18.75, 300)).message
    assert "left over" in check.epoch_cost((21, 336)).message
    assert "how many samples" in check.epoch_cost((18, 18)).message
    assert not check.epoch_cost((6, 96)).correct
    assert "one epoch" in check.epoch_cost((6, 96)).message
    assert "number in place of" in check.epoch_cost((..., ...)).message


def test_the_batch_variance_checker():
    assert check.batch_variance(lambda s, n, B: s / B * (n - B) / (n - 1)).correct
    assert "with replacement" in check.batch_variance(lambda s, n, B: s / B).message
    assert not check.batch_variance(lambda s, n, B: s / B * (n - B) / n).correct
