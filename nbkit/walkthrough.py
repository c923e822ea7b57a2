"""The forward and backward pass as a walk: one step per node, each with its formula in numbers.

A stepper (nbkit.steppers) shows a Walk one step at a time on a drawn graph. Each Step writes
values (forward) or gradients (backward) on some nodes, with the formula that gives them and its
numbers filled in, so that a learner can redo every step by hand. Every number is read from
nbkit's own passes: neuron.forward, neuron.mse and neuron.chain for one neuron; mlp.forward,
mlp.loss, mlp.loss_gradient, mlp.deltas, mlp.branch_terms and mlp.backward for the network;
central differences from gradcheck and mlp.check_layer. This module orders them and writes them
out; it computes no derivative of its own.

Math → code:
    a node's value (forward pass)        → Step.values[node]
    ∂ℓ/∂(node), its gradient (backward)  → Step.grads[node]
    the edges a value or gradient uses   → Step.edges, pairs (from node, to node)
    the nodes the step is about          → Step.focus
"""

import functools
from typing import NamedTuple

import numpy as np

from nbkit import checks, gradcheck, mlp, neuron

#: The digits every number is written with: the learner recomputes from these.
DIGITS = 4


class Step(NamedTuple):
    """One step of a walk: its phase ("start", "forward", "backward", "check"), a title, the
    formula with its numbers, the values and gradients it writes (dicts node → float), and the
    edges and nodes it is about (tuples)."""

    phase: str
    title: str
    formula: str
    values: dict
    grads: dict
    edges: tuple = ()
    focus: tuple = ()


class Node(NamedTuple):
    """How a node is named: its label in the drawing ("×", "L31"), the name of its value ("w·x",
    "a") and of its gradient ("∂ℓ/∂(w·x)", "δ")."""

    label: str
    value: str
    grad: str


class Walk(NamedTuple):
    """A graph and the steps through it: nodes (dict node → Node, in drawing order), edges
    (tuple of (from, to)), steps (list of Step), and check_parts: functions returning the table of
    the last step in parts (one per layer), in order, each computed when first asked for (central
    differences cost many forward passes) and then kept. check() is the whole table."""

    nodes: dict
    edges: tuple
    steps: list
    check_parts: tuple

    def check(self):
        """Return the rows (parameter name, collected gradient, backward()'s gradient, central difference)."""
        return [row for part in self.check_parts for row in part()]


def _kept(parts):
    """Return the parts as a tuple of functions that each compute once and then return what they kept."""
    return tuple(functools.cache(part) for part in parts)


def num(value):
    """Return value written with DIGITS significant digits and a true minus sign, e.g. "−0.1663"."""
    return f"{float(value):.{DIGITS}g}".replace("-", "−")


def par(value):
    """Return num(value), in parentheses when negative, to stand after an operator: "(−0.5)"."""
    text = num(value)
    return f"({text})" if text.startswith("−") else text


def _check_rows(names, collected, analytic, numeric):
    return [(name, float(c), float(a), float(n)) for name, c, a, n in zip(names, collected, analytic, numeric)]


def neuron_walk(x, y, w, b):
    """Return the Walk of one neuron ŷ = S(w·x + b) with loss ℓ = (ŷ − y)² on one sample (x, y).

    Graph: x and w → × → + b → z → S → ŷ → (ŷ − y)² → ℓ. Twelve steps: the start, four forward,
    six backward (from ∂ℓ/∂ℓ = 1 to ∂ℓ/∂w) and the check against backward() and central differences.
    """
    x, y, w, b = (float(checks.finite_array(v, name, shape=())) for v, name in ((x, "x"), (y, "y"), (w, "w"), (b, "b")))
    cache = neuron.forward(w, b, x)
    z, y_hat = float(cache.z[0]), float(cache.y_hat[0])
    loss = neuron.mse(cache.y_hat, [y])
    c = neuron.chain(cache, [y])
    dl_dy_hat, s_prime, delta = float(c.dl_dy_hat[0]), float(c.s_prime[0]), float(c.delta[0])
    nodes = {"x": Node("x", "x", "∂ℓ/∂x"), "w": Node("w", "w", "∂ℓ/∂w"), "wx": Node("×", "w·x", "∂ℓ/∂(w·x)"),
             "b": Node("b", "b", "∂ℓ/∂b"), "z": Node("+", "z", "∂ℓ/∂z"), "y_hat": Node("S", "ŷ", "∂ℓ/∂ŷ"),
             "y": Node("y", "y", "∂ℓ/∂y"), "loss": Node("(−)²", "ℓ", "∂ℓ/∂ℓ")}
    edges = (("x", "wx"), ("w", "wx"), ("wx", "z"), ("b", "z"), ("z", "y_hat"), ("y_hat", "loss"), ("y", "loss"))
    wx = w * x
    steps = [
        Step("start", "the inputs and the parameters",
             f"x = {num(x)}, y = {num(y)} (the target), w = {num(w)}, b = {num(b)}. Next: the forward pass.",
             {"x": x, "y": y, "w": w, "b": b}, {}),
        Step("forward", "forward: w·x", f"w·x = {num(w)}·{par(x)} = {num(wx)}", {"wx": wx}, {},
             (("x", "wx"), ("w", "wx")), ("wx",)),
        Step("forward", "forward: z", f"z = w·x + b = {num(wx)} + {par(b)} = {num(z)}", {"z": z}, {},
             (("wx", "z"), ("b", "z")), ("z",)),
        Step("forward", "forward: ŷ", f"ŷ = S(z) = 1 / (1 + e^(−z)) = S({num(z)}) = {num(y_hat)}", {"y_hat": y_hat}, {},
             (("z", "y_hat"),), ("y_hat",)),
        Step("forward", "forward: ℓ", f"ℓ = (ŷ − y)² = ({num(y_hat)} − {par(y)})² = {num(loss)}", {"loss": loss}, {},
             (("y_hat", "loss"), ("y", "loss")), ("loss",)),
        Step("backward", "backward: ∂ℓ/∂ℓ", "∂ℓ/∂ℓ = 1: the backward pass starts at the loss", {}, {"loss": 1.0},
             (), ("loss",)),
        Step("backward", "backward: ∂ℓ/∂ŷ",
             f"∂ℓ/∂ŷ = ∂ℓ/∂ℓ · 2(ŷ − y) = 1 · 2·({num(y_hat)} − {par(y)}) = {num(dl_dy_hat)}",
             {}, {"y_hat": dl_dy_hat}, (("y_hat", "loss"),), ("y_hat",)),
        Step("backward", "backward: ∂ℓ/∂z",
             f"S′(z) = ŷ(1 − ŷ) = {num(s_prime)};  ∂ℓ/∂z = ∂ℓ/∂ŷ · S′(z) = {par(dl_dy_hat)}·{par(s_prime)} = {num(delta)}",
             {}, {"z": delta}, (("z", "y_hat"),), ("z",)),
        Step("backward", "backward: ∂ℓ/∂b", f"∂ℓ/∂b = ∂ℓ/∂z · ∂z/∂b = {par(delta)}·1 = {num(c.db)}",
             {}, {"b": c.db}, (("b", "z"),), ("b",)),
        Step("backward", "backward: ∂ℓ/∂(w·x)", f"∂ℓ/∂(w·x) = ∂ℓ/∂z · ∂z/∂(w·x) = {par(delta)}·1 = {num(delta)}",
             {}, {"wx": delta}, (("wx", "z"),), ("wx",)),
        Step("backward", "backward: ∂ℓ/∂w",
             f"∂ℓ/∂w = ∂ℓ/∂(w·x) · ∂(w·x)/∂w = ∂ℓ/∂(w·x) · x = {par(delta)}·{par(x)} = {num(c.dw)}",
             {}, {"w": c.dw}, (("w", "wx"),), ("w",)),
    ]

    def check():
        numeric = gradcheck.numerical_gradient(lambda theta: neuron.loss(theta, [x], [y]), [w, b])
        return _check_rows(["∂ℓ/∂w", "∂ℓ/∂b"], [c.dw, c.db], neuron.backward(cache, [y]), numeric)

    steps.append(Step("check", "check", "The gradients collected, backward()'s result and central differences.",
                      {}, {}, (), ("w", "b")))
    return Walk(nodes, edges, steps, _kept([check]))


_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _sub(*indices):
    """Return the indices as subscripts: _sub(3, 1) = "₃₁"."""
    return "".join(str(i) for i in indices).translate(_SUB)


def mlp_walk(params, x, y, by="node"):
    """Return the Walk of the layered network `params` on one sample, x (n_in,) and y (n_out,).

    Nodes: the inputs x1…, the neurons Llj (layer l, neuron j, counted from 1) and the loss.
    Steps, `by` "node" (one neuron at a time) or "layer" (a layer at a time): the start; the
    forward pass, a = S(z) for each neuron; the loss; ∂ℓ/∂ℓ = 1; δ = ∂ℓ/∂z from the last layer
    back, a hidden neuron's upstream gradient shown arriving along each of its edges and added;
    then each neuron's weight gradients δ·a_prev; and the check of all parameters.
    """
    if by not in ("node", "layer"):
        raise ValueError(f"by must be 'node' or 'layer'; got {by!r}")
    X = checks.finite_array(x, "x", shape=(None,))[None, :]
    Y = checks.finite_array(y, "y", shape=(None,))[None, :]
    cache = mlp.forward(params, X)
    loss = mlp.loss(cache.y_hat, Y)
    deltas = mlp.deltas(params, cache, Y)
    grads = mlp.backward(params, cache, Y)
    dl_dy_hat = mlp.loss_gradient(cache.y_hat, Y)[0]
    depth, sizes = len(params), [X.shape[1]] + [W.shape[0] for W, _ in params]

    def name(l, j):  # layer l (0 for the inputs), neuron j, both from 1 as in the maths
        return f"x{j}" if l == 0 else f"L{l}{j}"

    def a(l):  # the outputs of layer l, a₀ = x
        return X[0] if l == 0 else cache.a[l - 1][0]

    nodes = {name(l, j): Node(name(l, j), "x" if l == 0 else "a", "δ") for l in range(depth + 1)
             for j in range(1, sizes[l] + 1)}
    nodes["loss"] = Node("ℓ", "ℓ", "∂ℓ/∂ℓ")
    incoming = {(l, j): tuple((name(l - 1, m), name(l, j)) for m in range(1, sizes[l - 1] + 1))
                for l in range(1, depth + 1) for j in range(1, sizes[l] + 1)}
    edges = tuple(e for l in range(1, depth + 1) for j in range(1, sizes[l] + 1) for e in incoming[l, j])
    edges += tuple((name(depth, j), "loss") for j in range(1, sizes[depth] + 1))

    def forward(l, j):
        W, b = params[l - 1]
        z, out = cache.z[l - 1][0, j - 1], a(l)[j - 1]
        prev = "x" if l == 1 else "a"
        terms = " + ".join(f"W{_sub(l)}[{j}, {m}]·{prev}{_sub(l - 1, m) if l > 1 else _sub(m)}" for m in range(1, sizes[l - 1] + 1))
        numbers = " + ".join(f"{par(W[j - 1, m])}·{par(a(l - 1)[m])}" for m in range(sizes[l - 1]))
        return (f"z{_sub(l, j)} = {terms} + b{_sub(l)}[{j}] = {numbers} + {par(b[j - 1])} = {num(z)};  "
                f"a{_sub(l, j)} = S(z{_sub(l, j)}) = {num(out)}", {name(l, j): float(out)}, incoming[l, j])

    def delta(l, j):
        d, s_prime = deltas[l - 1][0, j - 1], neuron.sigmoid_prime(cache.z[l - 1][0, j - 1])
        if l == depth:
            formula = (f"δ{_sub(l, j)} = ∂ℓ/∂ŷ{_sub(j)} · S′(z{_sub(l, j)}) = (2/{sizes[l]})(ŷ{_sub(j)} − y{_sub(j)}) · S′(z{_sub(l, j)}) "
                       f"= {par(dl_dy_hat[j - 1])}·{par(s_prime)} = {num(d)}")
            return formula, {name(l, j): float(d)}, ((name(l, j), "loss"),)
        terms = mlp.branch_terms(params, deltas, l - 1)[0, :, j - 1]
        W_next, d_next = params[l][0], deltas[l][0]
        after = range(1, sizes[l + 1] + 1)
        formula = (f"∂ℓ/∂a{_sub(l, j)} = " + " + ".join(f"W{_sub(l + 1)}[{i}, {j}]·δ{_sub(l + 1, i)}" for i in after)
                   + " = " + " + ".join(f"{par(W_next[i - 1, j - 1])}·{par(d_next[i - 1])}" for i in after)
                   + " = " + " + ".join(par(t) for t in terms) + f" = {num(terms.sum())};  "
                   f"δ{_sub(l, j)} = ∂ℓ/∂a{_sub(l, j)} · S′(z{_sub(l, j)}) = {par(terms.sum())}·{par(s_prime)} = {num(d)}")
        return formula, {name(l, j): float(d)}, tuple((name(l, j), name(l + 1, i)) for i in after)

    def weights(l, j):
        dW, db = grads[l - 1]
        d = deltas[l - 1][0, j - 1]
        parts = ", ".join(f"∂ℓ/∂W{_sub(l)}[{j}, {m}] = {par(d)}·{par(a(l - 1)[m - 1])} = {num(dW[j - 1, m - 1])}"
                          for m in range(1, sizes[l - 1] + 1))
        return (f"δ{_sub(l, j)} · a_prev: {parts};  ∂ℓ/∂b{_sub(l)}[{j}] = δ{_sub(l, j)} = {num(db[j - 1])}",
                {}, incoming[l, j])

    def unit_steps(phase, label, make, layers):
        steps = []
        for l in layers:
            made = [(j, *make(l, j)) for j in range(1, sizes[l] + 1)]
            groups = [[m] for m in made] if by == "node" else [made]
            for group in groups:
                focus = tuple(name(l, j) for j, *_ in group)
                written = {k: v for _, _, written, _ in group for k, v in written.items()}
                title = f"{phase}: {label} of " + (focus[0] if len(focus) == 1 else f"L{l}")
                steps.append(Step(phase, title, "\n".join(f for _, f, _, _ in group),
                                  written if phase == "forward" else {},
                                  written if phase == "backward" and label == "δ" else {},
                                  tuple(e for _, _, _, es in group for e in es), focus))
        return steps

    outputs = range(1, sizes[depth] + 1)
    y_hat = cache.y_hat[0]
    steps = [Step("start", "the input and the target",
                  f"x = ({', '.join(num(v) for v in X[0])}), y = ({', '.join(num(v) for v in Y[0])}). "
                  "Next: the forward pass.", {name(0, m): float(X[0, m - 1]) for m in range(1, sizes[0] + 1)}, {})]
    steps += unit_steps("forward", "a = S(z)", forward, range(1, depth + 1))
    steps.append(Step("forward", "forward: ℓ",
                      f"ℓ = (1/{sizes[depth]})·[" + " + ".join(f"(ŷ{_sub(j)} − y{_sub(j)})²" for j in outputs) + "] = "
                      f"(1/{sizes[depth]})·[" + " + ".join(f"({num(y_hat[j - 1])} − {par(Y[0, j - 1])})²" for j in outputs)
                      + f"] = {num(loss)}", {"loss": loss}, {}, tuple((name(depth, j), "loss") for j in outputs), ("loss",)))
    steps.append(Step("backward", "backward: ∂ℓ/∂ℓ", "∂ℓ/∂ℓ = 1: the backward pass starts at the loss",
                      {}, {"loss": 1.0}, (), ("loss",)))
    steps += unit_steps("backward", "δ", delta, range(depth, 0, -1))
    steps += unit_steps("backward", "∂ℓ/∂W", weights, range(depth, 0, -1))
    steps.append(Step("check", "check", "The gradients collected, backward()'s result and central differences.",
                      {}, {}, (), ()))

    def check_layer(l):
        check_W, check_b = mlp.check_layer(params, X, Y, l - 1)
        dW, db = grads[l - 1]
        names = [f"W{_sub(l)}[{j}, {m}]" for j in range(1, sizes[l] + 1) for m in range(1, sizes[l - 1] + 1)]
        names += [f"b{_sub(l)}[{j}]" for j in range(1, sizes[l] + 1)]
        collected = np.concatenate([dW.ravel(), db])
        analytic = np.concatenate([check_W.analytic.ravel(), check_b.analytic])
        numeric = np.concatenate([check_W.numeric.ravel(), check_b.numeric])
        return _check_rows(names, collected, analytic, numeric)

    return Walk(nodes, edges, steps, _kept([functools.partial(check_layer, l) for l in range(1, depth + 1)]))
