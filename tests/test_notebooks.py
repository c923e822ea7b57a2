"""The committed notebooks must be executed in order, error-free, and tagged only where widgets are shown.

nbval silently passes a cell that was never executed, so these checks keep the strict comparison honest.
"""

import json
import pathlib
import re

import pytest

NOTEBOOKS = sorted(pathlib.Path(__file__).parent.parent.joinpath("notebooks").glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"


def code_cells(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [c for c in cells if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executed_in_order(path):
    counts = [c["execution_count"] for c in code_cells(path)]
    assert None not in counts, f"{path.name}: unexecuted code cells; run `make notebooks`"
    assert counts == list(range(1, len(counts) + 1)), f"{path.name}: execution counts {counts}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_errors_or_warnings_stored(path):
    for cell in code_cells(path):
        for out in cell["outputs"]:
            assert out["output_type"] != "error", f"{path.name}: stored error {out.get('ename')}"
            if out.get("name") == "stderr":
                text = "".join(out["text"])
                assert not re.search(r"Warning|Traceback|Error", text), f"{path.name}: stderr {text[:200]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_only_widget_cells_ignore_their_output(path):
    for cell in code_cells(path):
        shows_widget = any(WIDGET in out.get("data", {}) for out in cell["outputs"])
        ignored = "nbval-ignore-output" in cell.get("metadata", {}).get("tags", [])
        assert ignored == shows_widget, f"{path.name}: cell {''.join(cell['source'])[:60]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_sets_up_the_widget_backend(path):
    assert "%matplotlib widget" in "".join(code_cells(path)[0]["source"])
