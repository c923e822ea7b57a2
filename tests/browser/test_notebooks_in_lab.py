"""Every notebook, as a learner uses it: JupyterLab in Chromium, Run All, every slider moved.

For each notebook in notebooks/ (found by glob, nothing per notebook): all code cells run,
every mermaid diagram renders, the notebook shows at least one explorer (`.nbkit-explorer`), and
every slider of every explorer moves from the keyboard, one step either way and to its minimum
and maximum; each move changes the figure's pixels and the readout, the readout states the
slider's new value where it states that slider's value at all (lr in every explorer), the figure
is never blank, and no error shows anywhere. A broken notebook
under tests/fixtures proves the same checks catch each kind of error.
"""

import json
import time

import pytest

import re

from labdriver import (FIXTURES, NOTEBOOKS, REPORT, Problems, code_cell_count, mermaid_block_count, stored_explorer_count,
                       stored_stepper_count)

PRESSES = 2  # per slider: one step up and back (the opposite way at its maximum): both directions, then the ends
# The step of each stepper pictured in the README: a backward step where a gradient is formed from
# the one upstream (the neuron's ∂ℓ/∂z), or from three branches (δ of L31, whose three paths light up).
STEPPER_SHOTS = ("backward: ∂ℓ/∂z", "backward: δ of L31")


def read(path):
    return json.loads(path.read_text(encoding="utf-8"))


def run_notebook(lab, path, nb, problems):
    """Open, clear, Run All; record missing executions and unrendered mermaid in `problems`."""
    lab.open(path)
    ran, expected = lab.run_all(code_cell_count(nb))
    if ran != expected:
        problems.add("execution", f"{ran} of {expected} code cells ran (prompts: {lab.prompts()})")
    rendered, failed = lab.mermaid(mermaid_block_count(nb))
    for text in failed:
        problems.add("mermaid", f"a diagram did not render: {text}")
    if rendered + len(failed) != mermaid_block_count(nb):
        problems.add("mermaid", f"{rendered} diagram(s) rendered for {mermaid_block_count(nb)} ```mermaid block(s)")


def explorers_made(nb):
    """Return how many code cells make an explorer (call a class named …Explorer)."""
    return sum(1 for c in nb["cells"] if c["cell_type"] == "code"
               and re.search(r"\b\w*Explorer\(", "".join(c["source"])))


def test_there_are_notebooks_to_open():
    assert NOTEBOOKS, "no notebooks/*.ipynb found"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_in_lab(lab, notebook, screenshot_dir):
    nb = read(notebook)
    problems = Problems()
    timings = REPORT["timings"].setdefault(notebook.stem, {})
    t0 = time.monotonic()

    run_notebook(lab, notebook.name, nb, problems)
    timings["open + run all"] = time.monotonic() - t0

    # Every lesson has a live explorer: one made by its code, and shown by its committed outputs.
    expected = max(stored_explorer_count(nb) or 0, explorers_made(nb))
    assert expected >= 1, f"{notebook.name} makes no explorer (no …Explorer( call, no explorer in its outputs)"
    explorers = lab.explorers(expected)
    assert len(explorers) == expected, f"{len(explorers)} explorer(s) on screen, the notebook makes {expected}"
    for i, explorer in enumerate(explorers, 1):
        lab.settle(explorer, problems, f"explorer {i}")
        lab.check_drawn(explorer, problems, f"explorer {i}, as first displayed")
        name = notebook.stem if len(explorers) == 1 else f"{notebook.stem}-{i}"
        shot = screenshot_dir / f"{name}.png"
        lab.screenshot_whole(explorer, shot)
        REPORT["screenshots"].append(str(shot))

    # Steppers first, so their pictures show the notebook's own numbers, not a slider's extreme.
    steppers = lab.page.locator(".nbkit-stepper")
    for i in range(steppers.count()):
        t2 = time.monotonic()
        taken = lab.step_through(steppers.nth(i), problems, f"stepper {i + 1}",
                                 shot=screenshot_dir / f"{notebook.stem}-stepper-{i + 1}.png", shot_at=STEPPER_SHOTS)
        timings[f"stepper {i + 1}: {taken} steps"] = time.monotonic() - t2
    if stored_stepper_count(nb) not in (None, steppers.count()):
        problems.add("stepper", f"{steppers.count()} stepper(s) on screen, the notebook shows {stored_stepper_count(nb)}")

    t1 = time.monotonic()
    results = lab.exercise(explorers, PRESSES, problems)
    timings["sliders"] = time.monotonic() - t1
    for e in range(1, len(explorers) + 1):
        mine = [r for r in results if r.explorer == e]
        if not mine:
            problems.add("slider", f"explorer {e} has no slider")
        elif not any(r.value_checked for r in mine):
            problems.add("readout", f"explorer {e}: the readout states the value of none of its sliders")
    latency = {}
    for r in results:
        names, samples = latency.setdefault(f"{r.explorer}", ([], []))
        names.append(r.name)
        samples.extend(r.latencies_ms)
    if explorers:
        REPORT["latency"][notebook.stem] = {k: v for k, v in latency.items() if v[1]}
    else:
        REPORT["no_explorer"].append(notebook.stem)

    problems.extend(lab.problems())
    timings["total"] = time.monotonic() - t0
    assert not problems, f"{notebook.name} in JupyterLab:\n{problems.report()}"


def test_error_detection_catches_a_broken_notebook(lab):
    """The same checks, on a notebook that fails in every way the suite looks for."""
    fixture = FIXTURES / "broken_on_purpose.ipynb"
    nb = read(fixture)
    problems = Problems()
    run_notebook(lab, f"fixtures/{fixture.name}", nb, problems)
    explorers = lab.explorers(1)
    lab.settle(explorers[0], problems, "explorer 1")
    # The explorer's compute raises once its slider moves: the figure stays, the log console fills.
    lab.exercise(explorers, 1, problems, extremes=False)
    lab.page.wait_for_function(
        "() => { const s = document.querySelector('.jp-LogConsoleStatusItem'); return s && s.offsetParent !== null; }",
        timeout=30_000)
    problems.extend(lab.problems())
    print(problems.report())
    expected = {"stderr", "error output", "widget", "log console", "console", "mermaid", "figure"}
    missing = expected - problems.kinds()
    assert not missing, f"the broken notebook was not flagged for: {sorted(missing)}\nfound:\n{problems.report()}"
    assert any("not fully drawn" in d for k, d in problems if k == "figure"), problems.report()
    assert "broken on purpose" in " ".join(d for k, d in problems if k == "log console"), problems.report()
