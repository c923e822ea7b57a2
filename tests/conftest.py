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
