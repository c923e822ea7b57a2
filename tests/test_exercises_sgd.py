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


def test_the_measured_ball_factor_is_that_of_the_settings_it_names():
    """(ball at 4·B) / (ball at B) on the data, lr, updates and seed of BALL."""
    from nbkit import neuron, sgd
    s = check.BALL
    x, y = neuron.make_data(n=s["n"], noise=s["noise"])
    sizes = [sgd.noise_ball(x, y, sgd.minimum(x, y), s["lr"], B, s["updates"], s["seed"])
             for B in (s["batch_size"], 4 * s["batch_size"])]
    assert check.measured_ball_factor() == sizes[1] / sizes[0]


def test_the_ball_prediction_says_why_in_full(measured):
    lo, hi = 0.75 * min(0.5, measured), 1.2 * max(0.5, measured)
    assert check.ball_factor(lo).correct and check.ball_factor(hi).correct  # its edges are in
    assert not check.ball_factor(lo * (1 - 1e-9)).correct and not check.ball_factor(hi * (1 + 1e-9)).correct
    assert check.ball_factor(0.5).message == (
        "Independent batches give a variance of the batch gradient 4 times smaller, so a ball of variance ∝ lr/B "
        f"and RMS size ∝ √(lr/B): factor √(1/4) = 0.5. Measured here: {measured:.2f}, smaller still, because within "
        "an epoch every sample is used once, so the batches' errors partly cancel.")
    assert check.ball_factor(2).message == (
        "2 says the ball does not shrink; a batch 4 times larger has a gradient 4 times less variable. "
        "What does that do to the kicks that keep θ from settling?")
    for near_1_16 in (1 / 16, 1.04 / 16, 0.96 / 16):
        assert check.ball_factor(near_1_16).message == (
            "1/16 would shrink the ball's size like 1/B²; the batch gradient's variance falls like 1/B. "
            "How does the size of a ball whose variance falls like 1/B change?")
    assert check.ball_factor("a").message == "factor must be a number; got 'a'."


def test_the_schedule_and_variance_checkers_refuse_an_answer_off_by_round_off_only_of_their_own():
    """Off by 1e-9 (absolute) at every trial: beyond their tolerance of 1e-12 relative and 1e-15 absolute."""
    from nbkit import sampling, schedules
    assert not check.cosine_rate(lambda k, lr0, K: float(schedules.cosine(k, lr0, K)) + 1e-9).correct
    assert not check.batch_variance(lambda s, n, B: sampling.batch_mean_variance(s, n, B) + 1e-9).correct


def test_the_batch_variance_checker_tries_a_large_n_and_b_equal_to_n():
    """A function right at n = 10 is still tried at n = 100, B = 25, and at B = n = 7, where the answer is 0."""
    from nbkit import sampling
    right = sampling.batch_mean_variance
    assert check.batch_variance(lambda s, n, B: right(s, n, B) if n == 10 else 0.0).message == (
        f"at σ² = 0.5, n = 100, B = 25 your function returns 0, not {right(0.5, 100, 25):.6g}. "
        "Check B = 1 (σ²) and B = n (0).")
    assert check.batch_variance(lambda s, n, B: right(s, n, B) if n != 7 else 1.0).message == (
        "at σ² = 3.0, n = 7, B = 7 your function returns 1, not 0. Check B = 1 (σ²) and B = n (0).")
