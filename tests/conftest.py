"""Shared test set-up: explorers need the ipympl backend, as under `%matplotlib widget`."""

import matplotlib
import matplotlib.pyplot as plt
import pytest

matplotlib.use("module://ipympl.backend_nbagg")

# Notebooks under tests/fixtures are inputs for the browser suite (one is broken on purpose).
collect_ignore_glob = ["fixtures/*"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


_start_level_runs = []


def pytest_collection_finish(session):
    """Note whether this session waits for the portability check's runs at other SIMD levels."""
    for item in session.items:
        if "level_runs" in getattr(item, "fixturenames", ()):
            _start_level_runs.append(item.module.start_level_runs)
            return


def pytest_runtest_setup(item):
    """Start those runs with the first test outside the browser suite.

    They then use the core that the single-process unit tests leave idle, beside them, and leave
    the browser suite's timing alone.
    """
    if _start_level_runs and "browser" not in item.path.parts:
        _start_level_runs.pop()()
