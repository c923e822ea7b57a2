"""How `make test` shares its tests between two xdist workers (the root conftest.py's groups)."""

import importlib.util
import pathlib

import pytest

from test_portability import read_shared

_spec = importlib.util.spec_from_file_location("root_conftest", pathlib.Path(__file__).parents[1] / "conftest.py")
root = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(root)


def test_a_notebooks_cells_are_one_group_and_notebooks_differ():
    a = root.group("notebooks/01_gradient_descent_1d.ipynb::Cell 3")
    assert a == root.group("notebooks/01_gradient_descent_1d.ipynb::Cell 40")
    assert a != root.group("notebooks/02_gradient_descent_2d.ipynb::Cell 3")


def test_the_browser_suite_is_two_halves_and_unit_tests_go_alone():
    stems = sorted(p.stem for p in (root.ROOT / "notebooks").glob("*.ipynb"))
    halves = {root.group(f"tests/browser/test_notebooks_in_lab.py::test_notebook_in_lab[{s}]")[1] for s in stems}
    assert halves == {"browser-0", "browser-1"}
    one, two = "tests/test_mlp.py::test_a", "tests/test_mlp.py::test_b"
    assert root.group(one)[1] == one and root.group(two)[1] == two


def test_the_portability_check_is_queued_last():
    ranks = [root.group(n)[0] for n in ("tests/browser/test_notebooks_in_lab.py::test_notebook_in_lab[x]",
                                        "notebooks/01_gradient_descent_1d.ipynb::Cell 0", "tests/test_mlp.py::test_a")]
    assert root.group("tests/test_portability.py::test_x")[0] > max(ranks)


def test_a_worker_stops_waiting_for_runs_never_started(tmp_path):
    with pytest.raises(RuntimeError, match="left no results"):
        read_shared(tmp_path / "results.json", poll=0.01, timeout=0.05)
