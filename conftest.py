"""How `make test` shares its tests between the two pytest-xdist workers (`-n 2 --dist loadgroup`).

A group goes to one worker, whole and in order; a test outside every group goes alone.
- A notebook's nbval cells run in order in one kernel: one group per notebook.
- The browser suite starts a JupyterLab and a Chromium in each worker that runs part of it: its
  notebooks go in two groups, one per worker, so that each starts them once.
- tests/test_portability.py waits for the runs at other SIMD levels (started once, by the
  controller, see tests/conftest.py): one group, queued last, so that a worker waits for them
  only when nothing else is left.
The groups are made here from the test ids, by the scheduler below: xdist's own `xdist_group`
mark appends the group to `item._nodeid`, which pytest 9.2 no longer reads, so with it every
nbval cell would go alone and a notebook's cells would run in two kernels.

The queue, in order: half the browser suite, the notebooks, the other half, the unit tests one by
one (they keep both workers busy to the end), portability. A run without xdist keeps pytest's order.
"""

import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent
BROWSER_GROUPS = 2


def group(nodeid):
    """Return (rank in the queue, group name) of a test from its id; a test outside every group is its own group."""
    path, _, name = nodeid.partition("::")
    if path.endswith(".ipynb"):
        return 1, path
    if path.startswith("tests/browser/"):
        stems = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
        param = name.partition("[")[2].rstrip("]")
        if param in stems:
            half = stems.index(param) % BROWSER_GROUPS
        elif name.startswith("test_error_detection"):
            half = 1
        else:
            return 3, nodeid
        return (0 if half == 0 else 2), f"browser-{half}"
    if path == "tests/test_portability.py":
        return 4, path
    return 3, nodeid


def pytest_collection_modifyitems(config, items):
    """In an xdist worker, put the tests in the queue's order (both workers collect the same order)."""
    if hasattr(config, "workerinput"):
        order = {item.nodeid: (group(item.nodeid)[0], i) for i, item in enumerate(items)}
        items.sort(key=lambda item: order[item.nodeid])


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class GroupScheduling(LoadScopeScheduling):
        """xdist's scope scheduling, with the groups above as scopes."""

        def _split_scope(self, nodeid):
            return group(nodeid)[1]

    return GroupScheduling(config, log)
