"""Tests for nbkit.walkthrough: every number a step writes is nbkit's own, in the order of the passes."""

import math
import re

import numpy as np
import pytest

from nbkit import mlp, neuron, walkthrough
from nbkit.walkthrough import mlp_walk, neuron_walk, num, par

NUMBER = re.compile(r"−?\d+(?:\.\d+)?(?:e[−+]?\d+)?")


def numbers(text):
    """Return the numbers written in a formula, as floats."""
    return [float(n.replace("−", "-")) for n in NUMBER.findall(text)]


def test_num_and_par_write_a_true_minus_and_four_digits():
    assert num(-0.166299754) == "−0.1663"
    assert num(0.25) == "0.25"
    assert par(-0.5) == "(−0.5)" and par(0.5) == "0.5"


def test_neuron_walk_matches_the_worked_example_computed_by_hand():
    # An independent transcription: x = 1.5, y = 0.9, w = 0.5, b = −0.5, ℓ = (ŷ − y)².
    x, y, w, b = 1.5, 0.9, 0.5, -0.5
    z = w * x + b
    y_hat = 1 / (1 + math.exp(-z))
    dl_dy_hat = 2 * (y_hat - y)
    s_prime = y_hat * (1 - y_hat)
    walk = neuron_walk(x, y, w, b)
    values = {k: v for s in walk.steps for k, v in s.values.items()}
    grads = {k: v for s in walk.steps for k, v in s.grads.items()}
    assert values["z"] == pytest.approx(z, rel=1e-15)
    assert values["y_hat"] == pytest.approx(y_hat, rel=1e-15)
    assert values["loss"] == pytest.approx((y_hat - y) ** 2, rel=1e-14)
    assert grads["y_hat"] == pytest.approx(dl_dy_hat, rel=1e-14)
    assert grads["z"] == pytest.approx(dl_dy_hat * s_prime, rel=1e-14)
    assert grads["w"] == pytest.approx(dl_dy_hat * s_prime * x, rel=1e-14)
    assert grads["b"] == pytest.approx(dl_dy_hat * s_prime, rel=1e-14)
    texts = {s.title: s.formula for s in walk.steps}
    assert "0.5·1.5 + (−0.5)" in texts["forward: z"] or "0.75 + (−0.5) = 0.25" in texts["forward: z"]
    assert "(−0.6756)·0.2461 = −0.1663" in texts["backward: ∂ℓ/∂z"]


@pytest.mark.parametrize("x, y, w, b", [(1.5, 0.9, 0.5, -0.5), (-2.0, 0.1, 1.3, 0.7), (0.3, 1.0, -2.5, 2.9)])
def test_every_neuron_step_writes_nbkits_numbers_and_ends_its_formula_with_them(x, y, w, b):
    walk = neuron_walk(x, y, w, b)
    cache = neuron.forward(w, b, x)
    c = neuron.chain(cache, [y])
    dw, db = neuron.backward(cache, [y])
    want_values = {"x": x, "y": y, "w": w, "b": b, "wx": w * x, "z": cache.z[0], "y_hat": cache.y_hat[0],
                   "loss": neuron.mse(cache.y_hat, [y])}
    want_grads = {"loss": 1.0, "y_hat": c.dl_dy_hat[0], "z": c.delta[0], "b": db, "wx": c.delta[0], "w": dw}
    seen_values, seen_grads = {}, {}
    for step in walk.steps:
        for node, value in step.values.items():
            assert value == want_values[node], (step.title, node)
        for node, grad in step.grads.items():
            assert grad == want_grads[node], (step.title, node)
        written = {**step.values, **step.grads}
        if step.phase in ("forward", "backward") and written:
            (node, value), = written.items()
            assert numbers(step.formula.split("=")[-1].split(",")[0])[0] == float(num(value).replace("−", "-")), step.title
        seen_values.update(step.values)
        seen_grads.update(step.grads)
    assert seen_values.keys() == want_values.keys() and seen_grads.keys() == want_grads.keys()
    # forward before backward, and the backward pass runs from the loss towards the inputs
    phases = [s.phase for s in walk.steps]
    assert phases == sorted(phases, key=["start", "forward", "backward", "check"].index)
    order = [node for s in walk.steps for node in s.grads]
    assert order.index("loss") < order.index("y_hat") < order.index("z") < order.index("wx") < order.index("w")


def test_neuron_check_rows_agree_three_ways():
    rows = neuron_walk(1.5, 0.9, 0.5, -0.5).check()
    assert [r[0] for r in rows] == ["∂ℓ/∂w", "∂ℓ/∂b"]
    for name, collected, analytic, numeric in rows:
        assert collected == analytic
        assert abs(numeric - analytic) <= 1e-8 * abs(analytic)


@pytest.fixture(scope="module")
def network():
    X, Y = mlp.make_task()
    return mlp.init_params(seed=0), X[0], Y[0]


@pytest.mark.parametrize("by", ["node", "layer"])
def test_every_mlp_step_writes_the_forward_and_backward_numbers(network, by):
    params, x, y = network
    walk = mlp_walk(params, x, y, by)
    cache = mlp.forward(params, x[None])
    deltas = mlp.deltas(params, cache, y[None])
    values, grads = {}, {}
    for step in walk.steps:
        values.update(step.values)
        grads.update(step.grads)
    for l in range(1, 5):
        for j in range(1, 4):
            assert values[f"L{l}{j}"] == cache.a[l - 1][0, j - 1]
            assert grads[f"L{l}{j}"] == deltas[l - 1][0, j - 1]
    assert values["loss"] == mlp.loss(cache.y_hat, y[None])
    assert [values[f"x{m}"] for m in (1, 2, 3)] == list(x)


def test_mlp_node_steps_go_forward_by_layer_then_delta_from_the_loss_back(network):
    walk = mlp_walk(*network)
    forward = [s.focus[0] for s in walk.steps if s.phase == "forward" and s.values and "loss" not in s.values]
    assert forward == [f"L{l}{j}" for l in range(1, 5) for j in range(1, 4)]
    deltas = [s.focus[0] for s in walk.steps if s.phase == "backward" and s.grads and "loss" not in s.grads]
    assert deltas == [f"L{l}{j}" for l in range(4, 0, -1) for j in range(1, 4)]
    assert len(walk.steps) == 1 + 12 + 1 + 1 + 12 + 12 + 1
    assert len(mlp_walk(*network, by="layer").steps) == 1 + 4 + 1 + 1 + 4 + 4 + 1


def test_a_hidden_delta_shows_each_branch_arriving_and_their_sum(network):
    params, x, y = network
    walk = mlp_walk(params, x, y)
    step = next(s for s in walk.steps if s.title == "backward: δ of L31")
    assert set(step.edges) == {("L31", "L41"), ("L31", "L42"), ("L31", "L43")}
    cache = mlp.forward(params, x[None])
    deltas = mlp.deltas(params, cache, y[None])
    W4, d4 = params[3][0], deltas[3][0]
    terms = [W4[i, 0] * d4[i] for i in range(3)]  # independent: each output's share of ∂ℓ/∂a₃₁
    written = numbers(step.formula.split(";")[0].split("=")[3])  # the line "= t1 + t2 + t3"
    assert written == pytest.approx([float(num(t).replace("−", "-")) for t in terms])
    assert sum(terms) * neuron.sigmoid_prime(cache.z[2][0, 0]) == pytest.approx(deltas[2][0, 0], rel=1e-12)


def test_weight_steps_write_backwards_gradients_as_delta_times_the_input(network):
    params, x, y = network
    walk = mlp_walk(params, x, y)
    grads = mlp.backward(params, mlp.forward(params, x[None]), y[None])
    step = next(s for s in walk.steps if s.title == "backward: ∂ℓ/∂W of L32")
    for m in (1, 2, 3):
        shown = re.search(rf"∂ℓ/∂W₃\[2, {m}\] = [^=]+= (−?[\d.e−+]+)", step.formula).group(1)
        assert shown == num(grads[2][0][1, m - 1])
    assert set(step.edges) == {("L21", "L32"), ("L22", "L32"), ("L23", "L32")}


def test_mlp_check_covers_all_48_parameters_and_agrees_with_central_differences(network):
    rows = mlp_walk(*network).check()
    assert len(rows) == 48
    for name, collected, analytic, numeric in rows:
        assert collected == analytic, name
        assert abs(numeric - analytic) <= 1e-6 * max(abs(analytic), 1e-6), name


def test_branch_terms_sum_to_the_matrix_product(network):
    params, x, y = network
    cache = mlp.forward(params, x[None])
    deltas = mlp.deltas(params, cache, y[None])
    for l in range(3):
        terms = mlp.branch_terms(params, deltas, l)
        assert terms.shape == (1, 3, 3)
        assert np.allclose(terms.sum(axis=1), deltas[l + 1] @ params[l + 1][0], rtol=1e-14, atol=0)
    with pytest.raises(ValueError, match="l must be"):
        mlp.branch_terms(params, deltas, 3)


def test_bad_step_size_is_named():
    with pytest.raises(ValueError, match="by must be"):
        mlp_walk(mlp.init_params(), [0.1, 0.2, 0.3], [0.5, 0.5, 0.5], by="edge")
    with pytest.raises((TypeError, ValueError), match="x"):
        neuron_walk("one", 0.5, 1.0, 0.0)


def test_the_check_table_is_computed_once_per_walk(network, monkeypatch):
    # The stepper asks for it on every redraw at the check step; central differences cost ~100 forward passes.
    calls = []
    check_layer = mlp.check_layer
    monkeypatch.setattr(mlp, "check_layer", lambda *args: calls.append(args) or check_layer(*args))
    walk = mlp_walk(*network)
    first = walk.check()
    assert walk.check() == first
    assert len(calls) == len(mlp.SIZES) - 1  # one check per layer, the first time only


def test_the_neuron_graph_names_each_node_its_value_and_its_gradient():
    walk = neuron_walk(1.5, 0.9, 0.5, -0.5)
    # Operations are drawn as their symbols, inputs and parameters by their names.
    assert {n: node.label for n, node in walk.nodes.items()} == {
        "x": "x", "w": "w", "wx": "×", "b": "b", "z": "+", "y_hat": "S", "y": "y", "loss": "(−)²"}
    assert {n: node.value for n, node in walk.nodes.items()} == {
        "x": "x", "w": "w", "wx": "w·x", "b": "b", "z": "z", "y_hat": "ŷ", "y": "y", "loss": "ℓ"}
    for node in walk.nodes.values():
        assert node.grad == (f"∂ℓ/∂{node.value}" if len(node.value) == 1 else f"∂ℓ/∂({node.value})")
    # Each step is titled by what it computes: a forward step by its value, a backward step by its gradient.
    for step in walk.steps:
        if step.phase == "forward":
            assert step.title == f"forward: {walk.nodes[step.focus[0]].value}"
        elif step.phase == "backward":
            assert step.title == f"backward: {walk.nodes[step.focus[0]].grad}"


def test_the_neuron_walk_writes_each_formula_with_its_numbers():
    x, y, w, b = 1.5, -0.9, 0.5, -0.5  # a negative y: its parentheses are part of what is written

    def n(v):  # 4 significant digits, a true minus sign
        return f"{v:.4g}".replace("-", "−")

    def p(v):
        return f"({n(v)})" if v < 0 else n(v)

    wx = w * x
    z = wx + b
    y_hat = 1 / (1 + math.exp(-z))
    dl = 2 * (y_hat - y)
    s = y_hat * (1 - y_hat)
    d = dl * s
    formulas = [step.formula for step in neuron_walk(x, y, w, b).steps]
    assert formulas[1:] == [
        f"w·x = {n(w)}·{p(x)} = {n(wx)}",
        f"z = w·x + b = {n(wx)} + {p(b)} = {n(z)}",
        f"ŷ = S(z) = 1 / (1 + e^(−z)) = S({n(z)}) = {n(y_hat)}",
        f"ℓ = (ŷ − y)² = ({n(y_hat)} − {p(y)})² = {n((y_hat - y) ** 2)}",
        "∂ℓ/∂ℓ = 1: the backward pass starts at the loss",
        f"∂ℓ/∂ŷ = ∂ℓ/∂ℓ · 2(ŷ − y) = 1 · 2·({n(y_hat)} − {p(y)}) = {n(dl)}",
        f"S′(z) = ŷ(1 − ŷ) = {n(s)};  ∂ℓ/∂z = ∂ℓ/∂ŷ · S′(z) = {p(dl)}·{p(s)} = {n(d)}",
        f"∂ℓ/∂b = ∂ℓ/∂z · ∂z/∂b = {p(d)}·1 = {n(d)}",
        f"∂ℓ/∂(w·x) = ∂ℓ/∂z · ∂z/∂(w·x) = {p(d)}·1 = {n(d)}",
        f"∂ℓ/∂w = ∂ℓ/∂(w·x) · ∂(w·x)/∂w = ∂ℓ/∂(w·x) · x = {p(d)}·{p(x)} = {n(d * x)}",
        "The gradients collected, backward()'s result and central differences.",
    ]


def test_the_neuron_walk_starts_with_the_inputs_and_ends_with_the_check():
    walk = neuron_walk(1.5, -0.9, 0.5, -0.5)
    assert (walk.steps[0].title, walk.steps[0].formula) == (
        "the inputs and the parameters", "x = 1.5, y = −0.9 (the target), w = 0.5, b = −0.5. Next: the forward pass.")
    assert (walk.steps[-1].phase, walk.steps[-1].title, walk.steps[-1].focus) == ("check", "check", ("w", "b"))


def assert_walks_the_graph(walk):
    """The steps follow the graph: a forward step lights exactly the edges into the node it computes, from
    nodes already computed; a backward step lights edges from the node whose gradient it writes to nodes
    whose gradients are already written; every edge joins two nodes and every node is reached."""
    incoming = {}
    for u, v in walk.edges:
        assert u in walk.nodes and v in walk.nodes, (u, v)
        incoming.setdefault(v, set()).add((u, v))
    assert set(walk.nodes) == {n for edge in walk.edges for n in edge}
    known, known_grads = set(walk.steps[0].values), set()
    assert known == set(walk.nodes) - set(incoming)  # the start shows the inputs, and only those
    for step in walk.steps[1:]:
        assert set(step.edges) <= set(walk.edges), step.title
        if step.phase == "forward":
            assert set(step.edges) == set().union(*(incoming[n] for n in step.values)), step.title
            assert {u for u, _ in step.edges} <= known, step.title
            known |= set(step.values)
        elif step.grads:
            for u, v in step.edges:
                assert u in step.grads and v in known_grads, (step.title, u, v)
            known_grads |= set(step.grads)
    assert known == set(walk.nodes)


@pytest.mark.parametrize("by", ["node", "layer"])
def test_the_walks_follow_their_graphs(network, by):
    assert_walks_the_graph(neuron_walk(1.5, 0.9, 0.5, -0.5))
    params, x, y = network
    assert_walks_the_graph(mlp_walk(params, x, y, by=by))


def test_the_mlp_walk_writes_each_kind_of_formula_in_full(network):
    """The start, a forward step of L1 (inputs x) and of L2 (activations a), the loss, the δ of an output and of
    a hidden neuron, and a weight step, each written out independently here, subscripts and numbers."""
    params, x, y = network
    sub = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

    def s(*i):
        return "".join(map(str, i)).translate(sub)

    def n(v):
        return f"{float(v):.4g}".replace("-", "−")

    def p(v):
        return f"({n(v)})" if n(v).startswith("−") else n(v)

    cache = mlp.forward(params, x[None])
    deltas = mlp.deltas(params, cache, y[None])
    grads = mlp.backward(params, cache, y[None])
    a = [x] + [cache.a[l][0] for l in range(4)]
    steps = {step.title: step.formula for step in mlp_walk(params, x, y).steps}

    def forward(l, j):
        W, b = params[l - 1]
        prev = "x" if l == 1 else "a"
        terms = " + ".join(f"W{s(l)}[{j}, {m}]·{prev}{s(l - 1, m) if l > 1 else s(m)}" for m in (1, 2, 3))
        values = " + ".join(f"{p(W[j - 1, m])}·{p(a[l - 1][m])}" for m in range(3))
        return (f"z{s(l, j)} = {terms} + b{s(l)}[{j}] = {values} + {p(b[j - 1])} = {n(cache.z[l - 1][0, j - 1])};  "
                f"a{s(l, j)} = S(z{s(l, j)}) = {n(a[l][j - 1])}")

    assert steps["the input and the target"] == (
        f"x = ({', '.join(n(v) for v in x)}), y = ({', '.join(n(v) for v in y)}). Next: the forward pass.")
    assert steps["forward: a = S(z) of L12"] == forward(1, 2)
    assert steps["forward: a = S(z) of L23"] == forward(2, 3)
    y_hat = cache.y_hat[0]
    assert steps["forward: ℓ"] == (
        "ℓ = (1/3)·[(ŷ₁ − y₁)² + (ŷ₂ − y₂)² + (ŷ₃ − y₃)²] = (1/3)·["
        + " + ".join(f"({n(y_hat[j])} − {p(y[j])})²" for j in range(3)) + f"] = {n(mlp.loss(cache.y_hat, y[None]))}")
    s_prime = neuron.sigmoid_prime(cache.z[3][0, 1])
    assert steps["backward: δ of L42"] == (
        f"δ₄₂ = ∂ℓ/∂ŷ₂ · S′(z₄₂) = (2/3)(ŷ₂ − y₂) · S′(z₄₂) = {p(2 / 3 * (y_hat[1] - y[1]))}·{p(s_prime)} "
        f"= {n(deltas[3][0, 1])}")
    W4, d4 = params[3][0], deltas[3][0]
    terms = [W4[i, 1] * d4[i] for i in range(3)]
    s_prime = neuron.sigmoid_prime(cache.z[2][0, 1])
    assert steps["backward: δ of L32"] == (
        "∂ℓ/∂a₃₂ = W₄[1, 2]·δ₄₁ + W₄[2, 2]·δ₄₂ + W₄[3, 2]·δ₄₃ = "
        + " + ".join(f"{p(W4[i, 1])}·{p(d4[i])}" for i in range(3)) + " = "
        + " + ".join(p(t) for t in terms) + f" = {n(sum(terms))};  "
        f"δ₃₂ = ∂ℓ/∂a₃₂ · S′(z₃₂) = {p(sum(terms))}·{p(s_prime)} = {n(deltas[2][0, 1])}")
    d = deltas[1][0, 2]
    assert steps["backward: ∂ℓ/∂W of L23"] == (
        "δ₂₃ · a_prev: " + ", ".join(f"∂ℓ/∂W₂[3, {m}] = {p(d)}·{p(a[1][m - 1])} = {n(grads[1][0][2, m - 1])}"
                                      for m in (1, 2, 3))
        + f";  ∂ℓ/∂b₂[3] = δ₂₃ = {n(grads[1][1][2])}")


def test_a_layer_step_joins_the_node_steps_of_its_layer(network):
    node = {s.title: s for s in mlp_walk(*network).steps}
    layer = {s.title: s for s in mlp_walk(*network, by="layer").steps}
    for phase, label, l in [("forward", "a = S(z)", 2), ("backward", "δ", 3), ("backward", "∂ℓ/∂W", 1)]:
        joined = layer[f"{phase}: {label} of L{l}"]
        parts = [node[f"{phase}: {label} of L{l}{j}"] for j in (1, 2, 3)]
        assert joined.formula == "\n".join(part.formula for part in parts)
        assert joined.focus == tuple(f"L{l}{j}" for j in (1, 2, 3))
        assert joined.edges == tuple(e for part in parts for e in part.edges)
        assert (joined.values, joined.grads) == ({k: v for part in parts for k, v in part.values.items()},
                                                 {k: v for part in parts for k, v in part.grads.items()})


def test_a_network_of_unequal_widths_is_walked_by_its_own_sizes():
    """2 inputs, 4 then 3 neurons: each layer's nodes, edges, formulas and check rows follow its own width."""
    params = mlp.init_params((2, 4, 3), seed=1)
    x, y = np.array([0.3, -0.7]), np.array([0.1, 0.5, 0.9])
    for by in ("node", "layer"):
        walk = mlp_walk(params, x, y, by=by)
        assert_walks_the_graph(walk)
        assert list(walk.nodes) == ["x1", "x2", "L11", "L12", "L13", "L14", "L21", "L22", "L23", "loss"]
        assert {n: tuple(node) for n, node in walk.nodes.items()} == {
            **{f"x{m}": (f"x{m}", "x", "δ") for m in (1, 2)},
            **{f"L{l}{j}": (f"L{l}{j}", "a", "δ") for l, width in ((1, 4), (2, 3)) for j in range(1, width + 1)},
            "loss": ("ℓ", "ℓ", "∂ℓ/∂ℓ")}
        assert walk.steps[0].values == {"x1": 0.3, "x2": -0.7}
        assert [row[0] for row in walk.check()] == (
            [f"W₁[{j}, {m}]" for j in range(1, 5) for m in (1, 2)] + [f"b₁[{j}]" for j in range(1, 5)]
            + [f"W₂[{j}, {m}]" for j in range(1, 4) for m in range(1, 5)] + [f"b₂[{j}]" for j in range(1, 4)])
    steps = {s.title: s for s in mlp_walk(params, x, y).steps}
    assert steps["forward: a = S(z) of L14"].formula.startswith("z₁₄ = W₁[4, 1]·x₁ + W₁[4, 2]·x₂ + b₁[4] = ")
    assert steps["backward: δ of L13"].formula.startswith(
        "∂ℓ/∂a₁₃ = W₂[1, 3]·δ₂₁ + W₂[2, 3]·δ₂₂ + W₂[3, 3]·δ₂₃ = ")
    one = steps["backward: ∂ℓ/∂ℓ"]
    assert (one.phase, one.formula, one.grads, one.edges, one.focus) == (
        "backward", "∂ℓ/∂ℓ = 1: the backward pass starts at the loss", {"loss": 1.0}, (), ("loss",))
    loss = steps["forward: ℓ"]
    assert (loss.phase, loss.focus) == ("forward", ("loss",))
    last = list(steps.values())[-1]
    assert (last.phase, last.title, last.formula, last.values, last.grads, last.edges, last.focus) == (
        "check", "check", "The gradients collected, backward()'s result and central differences.", {}, {}, (), ())
