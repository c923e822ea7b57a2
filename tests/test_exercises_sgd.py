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


def test_the_cosine_checker_says_what_the_function_given_computes():
    at = "at k = 25, lr0 = 0.5, K = 100 your function returns "  # k = 0 agrees for each mistake below
    want = 0.5 * (1 + np.cos(np.pi * 25 / 100)) / 2
    assert check.cosine_rate(lambda k, lr0, K: lr0 * np.cos(np.pi * k / K)).message == (
        f"{at}{0.5 * np.cos(np.pi / 4):.6g}, not {want:.6g}: lr0·cos(πk/K) goes negative after K/2; shift and halve the cosine.")
    assert check.cosine_rate(lambda k, lr0, K: lr0 * (1 + np.cos(2 * np.pi * k / K)) / 2).message == (
        f"{at}{0.25:.6g}, not {want:.6g}: with 2π the rate comes back up to lr0 at k = K; half a period is π.")
    assert check.cosine_rate(lambda k, lr0, K: 0.5).message == (
        f"{at}0.5, not {want:.6g}. At k = 0 it should be lr0, at k = K/2 half of it, at k = K zero.")
    assert check.cosine_rate(lambda k, lr0, K: "lr").message == "cosine(0, 0.5, 100) returned 'lr'; it should return a number."
    assert check.cosine_rate(lambda k, lr0, K: lr0 * (1 + np.cos(np.pi * k / K)) / 2).message == (
        "lr_k = lr0·(1 + cos(πk/K))/2: flat at the start, fastest fall in the middle, flat again near 0 at the end.")


def test_the_epoch_cost_checker_says_what_the_pair_given_counts():
    # 100 samples in batches of 16: ⌊100/16⌋ = 6 updates an epoch, 18 in three, on 18·16 = 288 samples.
    assert check.epoch_cost((18, 288)).message == (
        "⌊100/16⌋ = 6 updates per epoch, 18 in all, each on 16 samples: 288 samples. "
        "The last 4 samples of each shuffle are left out of that epoch; the next one shuffles all 100 again.")
    for updates in (3 * 100 / 16, 21):  # the fraction, or the last batch rounded up
        assert check.epoch_cost((updates, 300)).message == (
            "an update uses a full batch of 16; 100 is not a multiple of 16. What happens to the samples left over?")
    assert check.epoch_cost((18, 300)).message == "18 updates is right; each of them computes the gradient on how many samples?"
    assert check.epoch_cost((6, 96)).message == "that is one epoch; the question asks for 3."
    assert check.epoch_cost((5, 5)).message == "how many whole batches of 16 fit in one shuffle of 100 samples?"
    for answer in (..., None, 18, (1, 2, 3)):
        assert check.epoch_cost(answer).message == "answer with a pair (updates, samples) in place of `...`."
    assert check.epoch_cost(("u", 288)).message == "updates must be a number; got 'u'."
    assert check.epoch_cost((18, "s")).message == "samples must be a number; got 's'."


def test_the_batch_variance_checker_says_what_the_function_given_computes():
    assert check.batch_variance(lambda s, n, B: s / B * (n - B) / (n - 1)).message == (
        "σ²/B·(n − B)/(n − 1): σ²/B for a small batch, falling to 0 at B = n, where the batch is all the data.")
    expected = 2.0 / 4 * (10 - 4) / (10 - 1)  # the second trial: the first, B = 1, gives σ² either way
    assert check.batch_variance(lambda s, n, B: s / B).message == (
        f"at σ² = 2.0, n = 10, B = 4 your function returns 0.5, not {expected:.6g}: σ²/B is the variance with "
        "replacement. Without it, what is the variance at B = n?")
    assert check.batch_variance(lambda s, n, B: 0.0).message == (
        "at σ² = 1.0, n = 10, B = 1 your function returns 0, not 1. Check B = 1 (σ²) and B = n (0).")
    assert check.batch_variance(lambda s, n, B: "v").message == "batch_variance(1.0, 10, 1) must be a number; got 'v'."
