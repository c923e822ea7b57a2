"""Update rules: gradient descent, momentum and Adam, on a point X or on a network's [(W, b), …].

Math → code (g = ∇f(X) or ∂ℓ/∂W; k = 1, 2, … the step number):
    gradient descent  X ← X − lr·g                                  → GradientDescent()
    momentum          v ← β·v + g,  X ← X − lr·v                    → Momentum(beta)
    Adam              v ← β₁·v + (1 − β₁)·g,  s ← β₂·s + (1 − β₂)·g²   → Adam(beta1, beta2, eps)
                      v̂ = v / (1 − β₁^k),  ŝ = s / (1 − β₂^k)
                      X ← X − lr·v̂ / (√ŝ + ε)
These are the conventions of PyTorch's SGD (momentum, dampening 0, not Nesterov) and Adam.

Each rule has `start(x)` (its state for one array: nothing, v, or (k, v, s)) and
`update(x, g, state, lr)` (one step on one array). `init(params)` and `step(params, grads,
state, lr)` apply them to a point (an array) or to every array of a list of (W, b) pairs.
lr is an argument of the step, not of the rule, as in every runner of the course.
"""

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from nbkit import checks


class Rule:
    """An update rule; a subclass supplies start(x) and update(x, g, state, lr) for one array."""

    def init(self, params):
        """Return the state for params: one for an array, a list of (state_W, state_b) for [(W, b), …]."""
        if _is_layers(params):
            return [(self.start(W), self.start(b)) for W, b in params]
        return self.start(np.asarray(params, dtype=float))

    def step(self, params, grads, state, lr):
        """Return (new params, new state) after one update; grads has the structure of params."""
        if not _is_layers(params):
            return self.update(np.asarray(params, dtype=float), np.asarray(grads, dtype=float), state, lr)
        new = [(self.update(W, dW, sW, lr), self.update(b, db, sb, lr))
               for (W, b), (dW, db), (sW, sb) in zip(params, grads, state)]
        return [(W, b) for (W, _), (b, _) in new], [(sW, sb) for (_, sW), (_, sb) in new]


def _is_layers(params):
    return isinstance(params, list) and len(params) > 0 and isinstance(params[0], tuple)


@dataclass(frozen=True)
class GradientDescent(Rule):
    """Plain gradient descent, X ← X − lr·g; it keeps no state."""

    def start(self, x):
        return None

    def update(self, x, g, state, lr):
        return x - lr * g, state


@dataclass(frozen=True)
class Momentum(Rule):
    """Momentum (heavy ball), v ← β·v + g then X ← X − lr·v, from v₀ = 0; beta in [0, 1)."""

    beta: float = 0.9

    def __post_init__(self):
        object.__setattr__(self, "beta", checks.fraction(self.beta, "beta"))

    def start(self, x):
        return np.zeros_like(x, dtype=float)  # v₀ = 0

    def update(self, x, g, v, lr):
        v = self.beta * v + g  # v ← β·v + ∇f
        return x - lr * v, v   # X ← X − lr·v


class AdamState(NamedTuple):
    """Adam's state for one array: the step count k and the running means v (of g) and s (of g²)."""

    k: int
    v: np.ndarray
    s: np.ndarray


@dataclass(frozen=True)
class Adam(Rule):
    """Adam: a step lr·v̂ / (√ŝ + ε) per coordinate; beta1, beta2 in [0, 1), eps > 0.

    bias_correction=False leaves out the division by 1 − β^k, to show what it is for.
    """

    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    bias_correction: bool = True

    def __post_init__(self):
        object.__setattr__(self, "beta1", checks.fraction(self.beta1, "beta1"))
        object.__setattr__(self, "beta2", checks.fraction(self.beta2, "beta2"))
        object.__setattr__(self, "eps", checks.positive(self.eps, "eps"))

    def start(self, x):
        return AdamState(0, np.zeros_like(x, dtype=float), np.zeros_like(x, dtype=float))

    def update(self, x, g, state, lr):
        k = state.k + 1
        v = self.beta1 * state.v + (1 - self.beta1) * g      # running mean of g
        s = self.beta2 * state.s + (1 - self.beta2) * g * g  # running mean of g²
        state = AdamState(k, v, s)
        v_hat = v / (1 - self.beta1**k) if self.bias_correction else v
        return x - self.step_sizes(state, lr) * v_hat, state  # X ← X − lr·v̂ / (√ŝ + ε)

    def step_sizes(self, state, lr):
        """Return each coordinate's step size lr / (√ŝ + ε) for a state after k ≥ 1 steps (shape of x)."""
        if state.k < 1:
            raise ValueError(f"state must count at least one step; got k = {state.k}")
        s_hat = state.s / (1 - self.beta2**state.k) if self.bias_correction else state.s
        return lr / (np.sqrt(s_hat) + self.eps)


# Runs on a quadratic bowl (nbkit.objectives): the path, the loss per step, and a verdict.

#: A converging run whose loss rose again at least this many separate times is "ringing".
RINGING_RISES = 3

#: What a run can end as.
VERDICTS = {
    "converging": "converging",
    "ringing": "ringing: overshoots the minimum and swings back, again and again",
    "stuck": "not converging: the loss did not fall",
    "diverged": "diverging",
}


@dataclass(frozen=True)
class Run:
    """One run of a rule: path (k+1,) or (k+1, d), losses f(X_k) (k+1,), the rule's last state.

    diverged_at: the step whose point left the bound (the run stopped there), else None.
    """

    path: np.ndarray
    losses: np.ndarray
    state: object
    diverged_at: int | None = None

    @property
    def rises(self):
        """Return how many separate times the loss started to rise (0 for a loss that only falls)."""
        up = np.diff(self.losses) > 0
        return int(np.count_nonzero(up[1:] & ~up[:-1]) + (up[0] if up.size else 0))

    @property
    def verdict(self):
        """Return the key of VERDICTS that describes the run."""
        if self.diverged_at is not None:
            return "diverged"
        if len(self.losses) > 1 and self.losses[-1] >= self.losses[0]:
            return "stuck"
        return "ringing" if self.rises >= RINGING_RISES else "converging"

    def describe(self):
        """Return the verdict in words, e.g. "diverged at step 7" or "ringing: … (the loss rose 5 times)"."""
        if self.diverged_at is not None:
            return f"diverged at step {self.diverged_at}"
        text = VERDICTS[self.verdict]
        return f"{text} (the loss rose {self.rises} times)" if self.verdict == "ringing" else text


def run(rule, objective, x0, lr, steps, escape=1e3):
    """Return the Run of `steps` updates of `rule` on a Quadratic from x0 (a number, or a point (dim,)).

    The run stops early, as diverged, at the first step whose point is not finite or lies farther
    than escape·max(1, ‖x0‖) from the minimum, exactly as descent.gradient_descent does.
    """
    lr = checks.positive(lr, "lr")
    steps = checks.count(steps, "steps")
    x = checks.finite_array(x0, "x0", shape=() if objective.dim == 1 else (objective.dim,))
    bound = checks.positive(escape, "escape") * max(1.0, float(np.linalg.norm(x)))
    path = np.empty((steps + 1,) + x.shape)
    path[0] = x
    state = rule.start(x)
    with np.errstate(over="ignore", invalid="ignore"):  # a blow-up is caught by the bound, not warned about
        for k in range(1, steps + 1):
            x, state = rule.update(x, objective.gradient(x), state, lr)
            if not np.linalg.norm(x) <= bound:  # also true for a NaN or infinite point
                return Run(path[:k], objective.value(path[:k]), state, k)
            path[k] = x
    return Run(path, objective.value(path), state)


def rule(value, name):
    """Return value if it is an update rule of this module; raise TypeError naming `name` otherwise."""
    if not isinstance(value, Rule):
        raise TypeError(f"{name} must be an update rule such as GradientDescent(), Momentum(beta=0.9) or Adam(); "
                        f"got {value!r} of type {type(value).__name__}")
    return value
