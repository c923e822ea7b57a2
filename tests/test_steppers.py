"""Tests for nbkit.steppers: the graph shows exactly the walk's numbers at every step, the buttons
move the step, Back then Next gives back the same view, and a blitted frame equals a full draw."""

import asyncio
import html
import io
import time

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from nbkit import mlp, neuron
from nbkit.steppers import MLPStepper, NeuronStepper
from nbkit.walkthrough import mlp_walk, num

STEPPERS = [NeuronStepper, MLPStepper]


def shown(stepper):
    """Return ({node: value text}, {node: gradient text}) as drawn on the graph, empty texts left out."""
    a = stepper.artists
    return ({n: t.get_text() for n, t in zip(a.order, a.values) if t.get_text()},
            {n: t.get_text() for n, t in zip(a.order, a.grads) if t.get_text()})


def number(text):
    return float(text.rsplit("= ", 1)[1].replace("−", "-"))


def test_the_neuron_graph_shows_forward_then_backward_numbers_of_nbkit_at_every_step():
    stepper = NeuronStepper(x=1.5, y=0.9, w=0.5, b=-0.5)
    cache = neuron.forward(0.5, -0.5, 1.5)
    dw, db = neuron.backward(cache, [0.9])
    c = neuron.chain(cache, [0.9])
    values = {"x": 1.5, "y": 0.9, "w": 0.5, "b": -0.5, "wx": 0.75, "z": cache.z[0], "y_hat": cache.y_hat[0],
              "loss": neuron.mse(cache.y_hat, [0.9])}
    grads = {"loss": 1.0, "y_hat": c.dl_dy_hat[0], "z": c.delta[0], "b": db, "wx": c.delta[0], "w": dw}
    counts = []
    for k in range(stepper.controls["step"].max + 1):
        stepper.controls["step"].value = k
        v, g = shown(stepper)
        for node, text in v.items():
            assert text.endswith(num(values[node])), (k, node, text)
        for node, text in g.items():
            assert text.endswith(num(grads[node])), (k, node, text)
        counts.append((len(v), len(g)))
    assert counts[0] == (4, 0) and counts[-1] == (8, 6)  # leaves first; all written by the end
    assert counts == sorted(counts)  # each step adds, none removes
    assert "Step 11 of 11" in stepper.readout.value and stepper.readout.value.count(">yes<") == 2


def test_the_mlp_graph_shows_every_activation_and_delta():
    stepper = MLPStepper(sample=5, seed=3)
    X, Y = mlp.make_task()
    params = mlp.init_params(seed=3)
    cache = mlp.forward(params, X[5:6])
    deltas = mlp.deltas(params, cache, Y[5:6])
    stepper.controls["step"].value = stepper.controls["step"].max
    v, g = shown(stepper)
    for l in range(1, 5):
        for j in range(1, 4):
            assert number(v[f"L{l}{j}"]) == float(num(cache.a[l - 1][0, j - 1]).replace("−", "-"))
            assert number(g[f"L{l}{j}"]) == float(num(deltas[l - 1][0, j - 1]).replace("−", "-"))
    assert stepper.readout.value.count(">yes<") == 48 and ">NO<" not in stepper.readout.value


@pytest.mark.parametrize("cls", STEPPERS)
def test_buttons_move_the_step_and_stop_at_the_ends(cls):
    stepper = cls()
    step, last = stepper.controls["step"], stepper.controls["step"].max
    stepper.buttons["Back"].click()
    assert step.value == 0
    for k in range(1, last + 3):
        stepper.buttons["Next"].click()
        assert step.value == min(k, last)
    stepper.buttons["Back"].click()
    assert step.value == last - 1
    stepper.buttons["Reset"].click()
    assert step.value == 0


def pixels(stepper):
    stepper.fig.canvas.draw()
    return np.asarray(stepper.fig.canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("cls", STEPPERS)
def test_back_then_next_gives_back_exactly_the_same_view(cls):
    stepper = cls()
    for k in (1, stepper.controls["step"].max // 2, stepper.controls["step"].max):
        stepper.controls["step"].value = k
        view, text = pixels(stepper), stepper.readout.value
        stepper.buttons["Back"].click()
        assert not np.array_equal(pixels(stepper), view)  # the step did change the figure
        stepper.buttons["Next"].click()
        assert np.array_equal(pixels(stepper), view) and stepper.readout.value == text


def test_changing_a_number_keeps_the_step_and_rewrites_the_numbers():
    stepper = NeuronStepper()
    stepper.controls["step"].value = 7
    before = shown(stepper)
    stepper.controls["w"].value = 1.2
    assert stepper.controls["step"].value == 7
    after = shown(stepper)
    assert after[0].keys() == before[0].keys() and after[0]["w"] == "w = 1.2" and after != before


def test_changing_the_step_size_keeps_the_place_in_the_walk():
    stepper = MLPStepper()
    titles = [s.title for s in stepper.first_walk.steps]
    stepper.controls["step"].value = titles.index("backward: δ of L32")
    stepper.controls["by"].value = "layer"
    assert stepper.controls["step"].max == 15
    assert "δ of L3" in stepper.readout.value
    stepper.controls["by"].value = "node"
    assert stepper.controls["step"].max == 39
    assert "δ of L31" in stepper.readout.value  # the first node of that layer's step


@pytest.mark.parametrize("cls", STEPPERS)
def test_a_blitted_frame_equals_a_full_draw(cls):
    stepper = cls()
    canvas = stepper.fig.canvas
    canvas.syncing_data_url = False  # as once a front end is attached
    frames = []
    canvas.send_binary = lambda png: frames.append(np.asarray(Image.open(io.BytesIO(png)).convert("RGBA")))
    for k in (1, 5, 9):
        frames.clear()
        stepper.controls["step"].value = k
        assert len(frames) == 1, f"step {k}: {len(frames)} frames sent"
        sent = frames[-1]
        assert np.array_equal(sent, pixels(stepper)), f"step {k}: the frame sent differs from a full draw"


def test_a_move_at_the_check_step_shows_the_table_once_its_parts_are_done_while_idle():
    # A new sample at the check step: a new walk, whose 96 central differences would take the whole move.
    stepper = MLPStepper()
    stepper.fig.canvas.syncing_data_url = False
    stepper.fig.canvas.send_binary = lambda png: None
    stepper.controls["step"].value = stepper.controls["step"].max
    assert "<table>" in stepper.readout.value  # no budget outside a running kernel: the whole table
    checked = []

    async def move():
        stepper.controls["sample"].value = 5
        checked.append(stepper.finished(stepper.state))
        readouts = [stepper.readout.value]
        deadline = time.monotonic() + 30  # four parts take well under a second: a part never kept would loop
        while stepper.pending():
            assert time.monotonic() < deadline, "the check table was never finished while idle"
            await asyncio.sleep(0.002)
            readouts.append(stepper.readout.value)
        return readouts

    readouts = asyncio.run(move())
    assert checked == [False] and "computing…" in readouts[0] and "<table>" not in readouts[0]
    walk = stepper.cached_walk(**{k: c.value for k, c in stepper.controls.items() if k != "step"})
    assert stepper.state[4] == mlp_walk(mlp.init_params(seed=0), *[a[5] for a in mlp.make_task()]).check()
    assert stepper.state[4] == walk.check() and stepper.readout.value == readouts[-1]
    for name, collected, analytic, numeric in walk.check():
        assert f"<td>{html.escape(name)}</td><td>{num(collected)}</td>" in stepper.readout.value


def test_a_check_table_in_parts_is_the_whole_table():
    stepper = MLPStepper()
    values = {k: c.value for k, c in stepper.controls.items()}
    values["step"], values["seed"] = 10_000, 3  # the last step, of a walk not yet made
    stepper.budget = 1e-3  # a part takes longer: about one part per call, as in idle time
    states, done = [], []
    while not states or states[-1][4] is None:
        stepper.budget = 1.0 if len(states) > 20 else stepper.budget
        states.append(stepper.compute(**values))
        done.append(sum(part.cache_info().currsize for part in states[-1][0].check_parts))
    assert len(states) > 1 and done == sorted(done)  # in parts, kept from call to call
    assert states[-1][4] == mlp_walk(mlp.init_params(seed=3), *[a[values["sample"]] for a in mlp.make_task()]).check()
    assert len(states[-1][0].check_parts) == len(mlp.SIZES) - 1


def test_the_steppers_controls_their_ranges_and_names():
    """What a learner can set and within which range; the buttons and the layout the browser suite finds."""
    neuron_stepper = NeuronStepper()
    ranges = {name: (c.value, c.min, c.max, c.step, c.description, c.layout.width, c.style.description_width)
              for name, c in neuron_stepper.controls.items() if name != "step"}
    assert ranges == {"x": (1.5, -3, 3, 0.1, "x", "230px", "20px"), "y": (0.9, 0, 1, 0.05, "y", "230px", "20px"),
                      "w": (0.5, -3, 3, 0.1, "w", "230px", "20px"), "b": (-0.5, -3, 3, 0.1, "b", "230px", "20px")}
    assert neuron_stepper.positions["loss"] == (4.8, 0.0) and neuron_stepper.positions["b"] == (1.2, -1.3)
    mlp_stepper = MLPStepper()
    c = mlp_stepper.controls
    assert (c["sample"].value, c["sample"].min, c["sample"].max, c["sample"].description) == (0, 0, len(mlp_stepper.X) - 1, "sample")
    assert (c["seed"].value, c["seed"].min, c["seed"].max, c["seed"].description) == (0, 0, 20, "init seed")
    assert (c["by"].options, c["by"].value, c["by"].description) == (
        (("a node at a time", "node"), ("a layer at a time", "layer")), "node", "steps")
    assert (c["by"].style.description_width, c["by"].style.button_width) == ("initial", "130px")
    assert mlp_stepper.positions["x1"] == (0.0, 1.2) and mlp_stepper.positions["loss"] == (5.0, 0.0)
    for stepper in (neuron_stepper, mlp_stepper):
        step = stepper.controls["step"]
        assert (step.value, step.min, step.max, step.description) == (0, 0, len(stepper.first_walk.steps) - 1, "step")
        assert [(b.description, b.layout.width, b._dom_classes) for b in stepper.buttons.values()] == [
            (name, "70px", (f"nbkit-{name.lower()}",)) for name in ("Back", "Next", "Reset")]
        assert stepper.widget._dom_classes == ("nbkit-explorer", "nbkit-stepper")
        plt.close(stepper.fig)


def test_gradients_agree_within_the_relative_error_bound_and_not_at_it():
    from nbkit.steppers.base import AGREE, _agree

    assert AGREE == 1e-6
    assert _agree(2.5, 2.5, 2.5 * (1 + 1e-7)) and _agree(0.0, 0.0, 0.0) and _agree(-1e-3, -1e-3, -1e-3)
    assert not _agree(1e6, 1e6, 1e6 - 1)  # a spread of exactly AGREE times the largest: not within it
    assert not _agree(1.0, 1.0, 1.1) and not _agree(1.0, -1.0, 1.0)
    assert not _agree(3e-13, 0.0, 0.0)  # near zero the spread is measured against 1e-12, not against 1


def test_the_check_table_says_no_in_bold_where_the_three_ways_disagree():
    stepper = NeuronStepper()
    table = stepper.check_table([("∂ℓ/∂w", 0.25, 0.25, 0.25), ("∂ℓ/∂b", 0.5, 0.5, 0.75)])
    assert table == ("<table><tr><th>gradient</th><th>collected here</th><th>backward()</th><th>central differences</th>"
                     "<th>agree (relative error &lt; 1e-06)</th></tr>"
                     f"<tr><td>∂ℓ/∂w</td><td>{num(0.25)}</td><td>{num(0.25)}</td><td>{num(0.25)}</td><td>yes</td></tr>"
                     f"<tr><td>∂ℓ/∂b</td><td>{num(0.5)}</td><td>{num(0.5)}</td><td>{num(0.75)}</td><td><b>NO</b></td></tr>"
                     "</table>")


def test_the_readout_names_the_step_in_its_phases_colour_with_the_learners_numbers():
    # blue for the forward pass, red for the backward pass, dark grey for the start and the check
    stepper = NeuronStepper()
    assert stepper.numbers() == f"x = {num(1.5)}, y = {num(0.9)}, w = {num(0.5)}, b = {num(-0.5)}"
    colours = {"forward": "#1f5fa8", "backward": "#c0392b", "start": "#333", "check": "#333"}
    steps = stepper.first_walk.steps
    seen = set()
    for k, step in enumerate(steps):
        stepper.controls["step"].value = k
        assert stepper.readout.value.startswith(
            f"<b>Step {k} of {len(steps) - 1}</b> · <b style='color: {colours[step.phase]}'>{html.escape(step.title)}</b>"
            f" <div>{html.escape(stepper.numbers())}</div>")
        assert (stepper.state[4] is None) == (step.phase != "check")  # the check table is computed at its step only
        seen.add(step.phase)
    assert seen == set(colours)


def test_each_step_lights_exactly_its_edges_and_rings_its_nodes():
    stepper = NeuronStepper()
    for k, step in enumerate(stepper.first_walk.steps):
        stepper.controls["step"].value = k
        assert len(stepper.artists.lit.get_segments()) == len(step.edges)
        rings = stepper.artists.focus.get_offsets()
        assert [tuple(p) for p in rings] == [stepper.positions[n] for n in step.focus]
        assert stepper.show(stepper.state) is False  # only the moving artists change: a step is a blit


def test_the_stepper_widget_is_buttons_and_step_then_numbers_then_figure_then_readout():
    stepper = MLPStepper()
    top, numbers, canvas, readout = stepper.widget.children
    assert list(top.children) == [*stepper.buttons.values(), stepper.controls["step"]]
    assert list(numbers.children) == [c for name, c in stepper.controls.items() if name != "step"]
    assert numbers.layout.flex_flow == "row wrap"  # the numbers wrap on a narrow page
    assert canvas is stepper.fig.canvas and readout is stepper.readout


def test_walks_are_kept_for_up_to_65_settings_then_the_cache_starts_again():
    stepper = NeuronStepper()
    stepper._walks.clear()
    settings = [dict(x=round(0.01 * i, 2), y=0.9, w=0.5, b=-0.5) for i in range(66)]
    for values in settings[:65]:
        stepper.cached_walk(**values)
    assert len(stepper._walks) == 65
    kept = stepper.cached_walk(**settings[64])
    assert stepper.cached_walk(**settings[64]) is kept  # a setting seen is not walked again
    stepper.cached_walk(**settings[65])  # one more: memory stays bounded, the new walk kept
    assert len(stepper._walks) == 1 and stepper.cached_walk(**settings[65]) is not kept
