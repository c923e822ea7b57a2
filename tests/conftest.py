"""Shared test set-up: explorers need the ipympl backend, as under `%matplotlib widget`."""

import importlib.util
import pathlib
import shutil
import sys
import tempfile

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
    """Note whether this session waits for the portability check's runs at other SIMD levels.

    Not in an xdist worker: there the controller runs them once for both workers (below)."""
    if hasattr(session.config, "workerinput"):
        return
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


class LevelRunsInTheController:
    """Under pytest-xdist: the portability check's runs, started once, in the controller.

    They start as soon as a worker has collected a test that waits for them, and leave their
    results in a file whose path each worker gets in its workerinput."""

    def __init__(self):
        self.folder = pathlib.Path(tempfile.mkdtemp(prefix="nbkit-levels-"))
        self.started = False

    def pytest_configure_node(self, node):
        import test_portability
        node.workerinput[test_portability.SHARED] = str(self.folder / "results.json")

    def pytest_xdist_node_collection_finished(self, node, ids):
        import test_portability
        if not self.started and any(test_portability.waits_for_the_runs(i) for i in ids):
            self.started = True
            test_portability.start_level_runs(out=self.folder / "results.json")

    def pytest_unconfigure(self, config):
        shutil.rmtree(self.folder, ignore_errors=True)


BROWSER_CONFTEST = pathlib.Path(__file__).parent / "browser" / "conftest.py"


def browser_report_plugin(config):
    """Load tests/browser/conftest.py as a plugin of the xdist controller, unless pytest has loaded it
    already (`pytest tests/browser`): it merges the workers' browser reports and prints them."""
    if any(getattr(p, "__file__", None) == str(BROWSER_CONFTEST) for p in config.pluginmanager.get_plugins()):
        return
    sys.path.insert(0, str(BROWSER_CONFTEST.parent))  # for its `from labdriver import …`
    spec = importlib.util.spec_from_file_location("nbkit_browser_report", BROWSER_CONFTEST)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    config.pluginmanager.register(module, "nbkit-browser-report")


@pytest.hookimpl(trylast=True)  # after xdist has made its controller ("dsession")
def pytest_configure(config):
    if config.pluginmanager.hasplugin("dsession"):
        config.pluginmanager.register(LevelRunsInTheController(), "nbkit-level-runs")
        browser_report_plugin(config)
