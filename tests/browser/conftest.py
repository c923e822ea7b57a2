"""Session fixtures for the browser suite: one JupyterLab server, one Chromium, a page per test.

Results that outlive a test (end-to-end latency, filtered console noise, screenshots) are
gathered in REPORT and printed at the end of the run; the latency table is also written to
benchmarks/BROWSER_LATENCY.md by `make screenshots` (which sets NBKIT_SCREENSHOTS_DIR), when every
notebook was measured, so a plain `make test` leaves the tracked files alone.

Under pytest-xdist each worker that runs browser tests has its own server, Chromium and REPORT;
it hands its REPORT to the controller when it ends, which merges them and prints the report
(tests/conftest.py registers this file as a plugin of the controller for that).
"""

import datetime
import json
import os
import pathlib
import platform
import shutil
import statistics
import subprocess

import pytest
from playwright.sync_api import sync_playwright

from labdriver import CHROMIUM, CHROMIUM_ARGS, FIXTURES, NOTEBOOKS, REPO, REPORT, LabPage, LabServer

LATENCY_FILE = REPO / "benchmarks" / "BROWSER_LATENCY.md"


# Module scope: the server and Playwright's event loop end with the browser tests, so the unit tests
# after them run with no event loop in the thread (an explorer finishes its runs at once then).
@pytest.fixture(scope="module")
def lab_server(tmp_path_factory):
    """JupyterLab serving a temporary copy of notebooks/ (and the test fixtures under fixtures/)."""
    base = tmp_path_factory.mktemp("lab")
    root, home = base / "root", base / "home"
    shutil.copytree(REPO / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (root / "fixtures").mkdir()
    for nb in FIXTURES.glob("*.ipynb"):
        shutil.copy(nb, root / "fixtures" / nb.name)
    home.mkdir()
    server = LabServer(root, home)
    try:
        server.wait_until_up()
        spec = server.get_json("/api/kernelspecs")
        argv = spec["kernelspecs"][spec["default"]]["spec"]["argv"]
        # "python" in a kernelspec means the server's own interpreter: the venv's python.
        assert argv[0] in ("python", "python3"), f"default kernel is not this environment's python: {argv}"
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium. "
                    "Install it with `make browser` (as root: apt-get install chromium).", pytrace=False)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def lab(browser, lab_server):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
    page = LabPage(context, lab_server)
    yield page
    REPORT["filtered"].extend(page.filtered)
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory):
    """Where explorer screenshots go: $NBKIT_SCREENSHOTS_DIR (`make screenshots`) or a temp folder."""
    chosen = os.environ.get("NBKIT_SCREENSHOTS_DIR")
    path = pathlib.Path(chosen).resolve() if chosen else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def latency_rows():
    rows = []
    for notebook, explorers in sorted(REPORT["latency"].items()):
        for explorer, (names, samples) in sorted(explorers.items()):
            rows.append((notebook, explorer, ", ".join(names), len(samples),
                         statistics.median(samples), percentile(samples, 95), max(samples)))
    return rows


def latency_table():
    lines = ["| notebook | explorer | sliders | presses | median ms | p95 ms | max ms |",
             "|---|---|---|---|---|---|---|"]
    for nb, ex, names, n, med, p95, top in latency_rows():
        lines.append(f"| {nb} | {ex} | {names} | {n} | {med:.0f} | {p95:.0f} | {top:.0f} |")
    return "\n".join(lines)


def chromium_version():
    try:
        return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def write_latency_file():
    stamp = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    LATENCY_FILE.parent.mkdir(exist_ok=True)
    LATENCY_FILE.write_text(
        "# End-to-end slider latency in JupyterLab\n\n"
        "Written by the browser suite (`make screenshots`, tests/browser); do not edit by hand.\n\n"
        "Key press on a slider handle (ArrowRight/ArrowLeft, alternating) to the first animation frame "
        "whose ipympl canvas pixels differ, measured in the page (the rAF polling adds up to one frame, "
        "≈16 ms). This includes the comm message to the kernel, the explorer's update, the image back, "
        "and the browser drawing it. Every slider of every explorer is moved.\n\n"
        f"{latency_table()}\n\n"
        f"Measured {stamp} on {platform.machine()}, {os.cpu_count()} CPU core(s) "
        f"(load average {os.getloadavg()[0]:.1f} at the end of the run), "
        f"Python {platform.python_version()}, {chromium_version()} (headless, software rendering).\n",
        encoding="utf-8",
    )


WORKER_REPORT = "nbkit_browser_report"


def pytest_sessionfinish(session):
    """In an xdist worker: hand this worker's REPORT to the controller."""
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput[WORKER_REPORT] = json.dumps(REPORT)


def merge_report(part):
    """Add one worker's REPORT (as handed over, JSON-decoded) to this process's REPORT."""
    REPORT["latency"].update(part["latency"])
    REPORT["timings"].update(part["timings"])
    for key in ("no_explorer", "filtered", "screenshots"):
        REPORT[key].extend(part[key])


def pytest_testnodedown(node, error):
    """In the xdist controller: merge the REPORT of a worker that ended."""
    part = getattr(node, "workeroutput", {}).get(WORKER_REPORT)
    if part:
        merge_report(json.loads(part))


def pytest_terminal_summary(terminalreporter):
    tr = terminalreporter
    if not (REPORT["latency"] or REPORT["filtered"] or REPORT["timings"]):
        return
    tr.section("browser suite")
    for name, phases in REPORT["timings"].items():
        tr.write_line(f"{name}: " + ", ".join(f"{k} {v:.1f} s" for k, v in phases.items()))
    if REPORT["latency"]:
        tr.write_line("\nEnd-to-end latency, key press → new pixels on screen:")
        tr.write_line(latency_table())
        measured = set(REPORT["latency"]) | set(REPORT["no_explorer"])
        if not os.environ.get("NBKIT_SCREENSHOTS_DIR"):
            tr.write_line(f"{LATENCY_FILE.relative_to(REPO)} is refreshed by `make screenshots`")
        elif measured >= {nb.stem for nb in NOTEBOOKS}:
            write_latency_file()
            tr.write_line(f"written to {LATENCY_FILE.relative_to(REPO)}")
        else:
            tr.write_line(f"{LATENCY_FILE.relative_to(REPO)} not rewritten: not every notebook was measured in this run")
    for text in REPORT["filtered"]:
        tr.write_line(f"filtered console noise: {text}")
    for path in REPORT["screenshots"]:
        tr.write_line(f"screenshot: {path}")
