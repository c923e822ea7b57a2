"""Drive JupyterLab in Chromium as a learner does: open a notebook, Run All, move the sliders.

Everything here waits on a condition in the page (never a fixed sleep) and gives up after a
bounded time with a message that says what did not happen.
"""

import json
import os
import pathlib
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field

from playwright.sync_api import TimeoutError as PlaywrightTimeout

REPO = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
FIXTURES = REPO / "tests" / "fixtures"

# Results that outlive one test, reported at the end of the session (see conftest.py).
REPORT = {"latency": {}, "no_explorer": [], "filtered": [], "screenshots": [], "timings": {}}

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    *(["--no-sandbox"] if os.geteuid() == 0 else []),  # Chromium refuses to run as root otherwise
]

SERVER_START_S = 90
PAGE_READY_MS = 120_000  # page load, extensions, and the kernel started
RUN_ALL_MS = 600_000  # every cell of one notebook
WIDGETS_MS = 60_000  # explorers displayed and their first image drawn
KEY_TO_PIXELS_MS = 15_000  # one slider step to a new image on screen
MERMAID_MS = 60_000

STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'
ERROR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]'
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

# Browser console errors that are understood and do not affect what the learner sees.
# Each is printed in the test report when it is filtered, never dropped silently.
#: Console errors and failed requests that are not errors of ours: (compiled regex, why it is harmless).
HARMLESS_CONSOLE = [
    # ipympl shows each frame from a blob URL and revokes the last one when the next arrives: a frame
    # superseded before it loaded is aborted, and the newer one is shown.
    (re.compile(r"^request failed: GET blob:\S+ \(net::ERR_ABORTED\)$"), "a figure frame superseded by a newer one"),
]


# ---------------------------------------------------------------- the server

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """A JupyterLab server of our own: 127.0.0.1, a free port, a random token, temporary config."""

    def __init__(self, root, home):
        self.root, self.home = root, home
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.base = f"http://127.0.0.1:{self.port}"
        settings = home / "settings"
        news = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
        news.parent.mkdir(parents=True)
        news.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        env = dict(os.environ)
        env.update(
            JUPYTER_CONFIG_DIR=str(home / "config"),
            JUPYTER_RUNTIME_DIR=str(home / "runtime"),
            JUPYTER_DATA_DIR=str(home / "data"),  # no user kernelspec can shadow the venv's
            JUPYTERLAB_SETTINGS_DIR=str(settings),
            JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        )
        env.pop("JUPYTER_PATH", None)
        cmd = [
            sys.executable, "-m", "jupyter", "lab", "--no-browser",
            "--ip=127.0.0.1", f"--port={self.port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={root}",
            "--LabApp.extension_manager=readonly",
            "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
        ]
        if os.geteuid() == 0:
            cmd.append("--allow-root")
        self.log_path = home / "jupyterlab.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, env=env, cwd=root)

    def url(self, path):
        return f"{self.base}{path}?token={self.token}"

    def log_tail(self, lines=30):
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def get_json(self, path):
        with urllib.request.urlopen(self.url(path), timeout=5) as r:
            return json.load(r)

    def wait_until_up(self):
        deadline = time.monotonic() + SERVER_START_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"JupyterLab exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                self.get_json("/api/status")
                return
            except OSError:
                time.sleep(0.25)  # polling an HTTP endpoint: there is nothing in a page to await yet
        raise RuntimeError(f"JupyterLab did not answer /api/status within {SERVER_START_S} s:\n{self.log_tail()}")

    def stop(self):
        """SIGTERM to our own server process (it shuts its kernels down), SIGKILL if it hangs."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()


# ---------------------------------------------------------------- reading the .ipynb

def code_cell_count(nb):
    return sum(1 for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip())


def mermaid_block_count(nb):
    fences = re.compile(r"^\s*```\s*mermaid\s*$", re.M)
    return sum(len(fences.findall("".join(c["source"]))) for c in nb["cells"] if c["cell_type"] == "markdown")


def stored_explorer_count(nb, css_class="nbkit-explorer"):
    """Explorers the committed outputs display (widget views whose saved model has css_class), or None."""
    state = nb.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state")
    if state is None:
        return None
    count = 0
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view and css_class in state.get(view["model_id"], {}).get("state", {}).get("_dom_classes", []):
                count += 1
    return count


def stored_stepper_count(nb):
    """Steppers the committed outputs display (a stepper is also an explorer), or None."""
    return stored_explorer_count(nb, "nbkit-stepper")


# ---------------------------------------------------------------- the page

def short(url, limit=160):
    """A URL without its query (the token) and cut to `limit` characters."""
    url = url.split("?")[0]
    return url if len(url) <= limit else url[:limit] + "…"


HASH_JS = """
window.__nbkitHash = (root) => {
  // FNV-1a over every pixel of every canvas in `root` (the ipympl figure).
  let h = 2166136261 >>> 0;
  for (const c of root.querySelectorAll('canvas')) {
    if (!c.width || !c.height) continue;
    const px = new Uint32Array(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.buffer);
    for (let i = 0; i < px.length; i++) h = Math.imul(h ^ px[i], 16777619) >>> 0;
    h = Math.imul(h ^ c.width ^ (c.height << 16), 16777619) >>> 0;
  }
  return h;
};
window.__nbkitInk = (root) => {
  // Number of canvas pixels that are not fully transparent: 0 until the figure is drawn.
  let n = 0;
  for (const c of root.querySelectorAll('canvas')) {
    if (!c.width || !c.height) continue;
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < px.length; i += 4) if (px[i]) n++;
  }
  return n;
};
"""

# The first canvas of an ipympl figure holds the image (the second, on top, only the zoom
# rectangle). A figure is fully drawn when every pixel of it is opaque: ipympl sends only the
# changed pixels after the first image, so a canvas that missed that first image stays partly
# transparent, showing fragments of the figure.
OPAQUE_JS = """
(explorer) => {
  const c = explorer.querySelector('canvas');
  if (!c || !c.width || !c.height) return 0;
  const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < px.length; i += 4) if (px[i] === 255) n++;
  return n / (px.length / 4);
}
"""

# Arm a watcher: the time of the next key press, the first animation frame whose pixels differ,
# and then whether the figure has settled (no change for QUIET_MS), so that a late image from this
# press cannot be counted for the next one.
QUIET_MS = 300
ARM_JS = """
([explorer, quietMs, needKey]) => {
  const w = {before: window.__nbkitHash(explorer), tKey: null, tChange: null, settled: false, done: false};
  window.__nbkitWatch = w;
  document.addEventListener('keydown', (e) => { if (w.tKey === null) w.tKey = e.timeStamp; },
                            {capture: true, once: true});
  let last = w.before, since = performance.now();
  const tick = (t) => {
    if (w.done) return;
    if (w.tKey !== null || !needKey) {
      const h = window.__nbkitHash(explorer);
      if (h !== last) { last = h; since = t; if (w.tChange === null) w.tChange = t; }
      else if ((w.tChange !== null || !needKey) && t - since >= quietMs) { w.settled = true; w.done = true; return; }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
"""

# How many distinct colours the figure's canvas holds (capped at `cap`): an opaque canvas of one
# flat colour (a blank figure) has 1; a drawn explorer has thousands (lines, text, antialiasing).
COLOURS_JS = """
([explorer, cap]) => {
  const c = explorer.querySelector('canvas');
  if (!c || !c.width || !c.height) return 0;
  const px = new Uint32Array(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.buffer);
  const seen = new Set();
  for (let i = 0; i < px.length && seen.size < cap; i++) seen.add(px[i]);
  return seen.size;
}
"""
#: Fewer distinct colours than this is a blank or background-only canvas. A figure with only its
#: background, axes and labels has a few hundred; a drawn explorer has thousands.
MIN_COLOURS = 64

PROMPTS_JS = """
() => Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputArea-prompt'))
           .map((e) => e.textContent.trim())
"""


@dataclass
class SliderResult:
    explorer: int
    name: str
    latencies_ms: list = field(default_factory=list)
    value_checked: bool = False  # a number of the readout was compared with the slider's value


_NUMBER = r"[-−]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


def stated_value(readout, name):
    """Return the number the readout states for slider `name` ("lr = 0.1" → 0.1), or None."""
    match = re.search(rf"(?<![\w]){re.escape(name)}\s*=\s*({_NUMBER})", readout or "")
    return float(match.group(1).replace("−", "-")) if match else None


def same_value(a, b, rel=0.01):
    """Return True when two numbers shown to about 3 significant digits are the same value."""
    return abs(a - b) <= rel * max(abs(a), abs(b)) + 1e-12


class Problems(list):
    """(kind, detail) pairs: everything that went wrong, reported together at the end."""

    def add(self, kind, detail):
        self.append((kind, detail))

    def kinds(self):
        return {kind for kind, _ in self}

    def report(self):
        return "\n".join(f"- {kind}: {detail}" for kind, detail in self)


class LabPage:
    """One Chromium page on one notebook, with its console and network watched from the start."""

    def __init__(self, context, server):
        self.server = server
        self.page = context.new_page()
        self.page.set_default_timeout(PAGE_READY_MS)
        self.console_errors, self.filtered, self.offline = [], [], []
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda exc: self.console_errors.append(f"uncaught: {exc}"))
        self.page.on("requestfailed", self._on_request_failed)
        # Nothing may reach the network: only our server answers.
        self.page.route("**/*", self._route)
        self.page.add_init_script(HASH_JS)

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.server.base + "/") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.offline.append(url)
            route.abort()

    def _on_request_failed(self, request):
        if request.url not in self.offline:  # those are reported as network problems already
            self._report(f"request failed: {request.method} {short(request.url)} ({request.failure})")

    def _on_console(self, msg):
        if msg.type != "error":
            return
        url = short((msg.location or {}).get("url", ""))
        self._report(f"{msg.text} (at {url})" if url else msg.text)

    def _report(self, text):
        """Keep an error of the page, or set it aside with its reason if HARMLESS_CONSOLE knows it."""
        for pattern, why in HARMLESS_CONSOLE:
            if pattern.search(text):
                self.filtered.append(f"{text}  [filtered: {why}]")
                return
        self.console_errors.append(text)

    def _wait(self, js, arg=None, timeout=PAGE_READY_MS, what="condition"):
        try:
            return self.page.wait_for_function(js, arg=arg, timeout=timeout, polling=100)
        except PlaywrightTimeout:
            raise AssertionError(f"timed out after {timeout / 1000:.0f} s waiting for {what}") from None

    # -- opening and running

    def open(self, path):
        """Open `path` in a fresh workspace (restored tabs would confuse Run All); wait for its kernel."""
        workspace = secrets.token_hex(6)
        self.page.goto(self.server.url(f"/lab/workspaces/{workspace}/tree/{path}"))
        self.wait_kernel_idle("the kernel to start (status bar '… | Idle')")

    def kernel_status(self):
        return self.page.evaluate("""() => Array.from(document.querySelectorAll('.jp-StatusBar-TextItem'))
                                             .map((e) => e.textContent).find((t) => / \\| /.test(t)) || ''""")

    def wait_kernel_idle(self, what="the kernel to be idle", timeout=PAGE_READY_MS):
        self._wait("""() => Array.from(document.querySelectorAll('.jp-StatusBar-TextItem'))
                          .some((e) => /\\| Idle$/.test(e.textContent.trim())
                                      && !/No Kernel/.test(e.textContent))""",
                   timeout=timeout, what=what)

    def menu(self, menu, item):
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(menu)}$")).click()
        self.page.locator(".lm-Menu-item:not(.lm-mod-disabled) .lm-Menu-itemLabel",
                          has_text=re.compile(f"^{re.escape(item)}$")).click()

    def prompts(self):
        return self.page.evaluate(PROMPTS_JS)

    def run_all(self, expected_cells):
        """Clear the committed outputs, then Run → Run All Cells; wait until every code cell ran.

        Clearing first matters: the committed notebook already shows `[1]:`…`[n]:`, the very
        prompts a fresh kernel will produce, so without it "done" would be true before starting.
        """
        self.menu("Edit", "Clear Outputs of All Cells")
        self._wait(f"""() => {{ const p = ({PROMPTS_JS})(); return p.length > 0 && p.every((x) => !/\\d/.test(x)); }}""",
                   timeout=30_000, what="the committed outputs to be cleared")
        self.menu("Run", "Run All Cells")
        # Done: the first cell has a number, none is queued or running ([*]), and the kernel is idle.
        done = f"""() => {{
            const p = ({PROMPTS_JS})();
            const idle = Array.from(document.querySelectorAll('.jp-StatusBar-TextItem'))
                              .some((e) => /\\| Idle$/.test(e.textContent.trim()));
            return p.length > 0 && /^\\[\\d+\\]:$/.test(p[0]) && !p.some((x) => x.includes('*')) && idle;
        }}"""
        self._wait(done, timeout=RUN_ALL_MS, what=f"Run All to finish (prompts now: {self.prompts()})")
        ran = [p for p in self.prompts() if re.fullmatch(r"\[\d+\]:", p)]
        return len(ran), expected_cells

    # -- mermaid

    def mermaid(self, expected):
        """Wait until each ```mermaid block settled (diagram or error); return (rendered, failed)."""
        if expected:
            self._wait(f"() => document.querySelectorAll('.jp-RenderedMarkdown .jp-RenderedMermaid').length >= {expected}",
                       timeout=MERMAID_MS, what=f"{expected} mermaid block(s) to be rendered or rejected")
        return self.page.evaluate("""() => {
            const all = Array.from(document.querySelectorAll('.jp-RenderedMarkdown .jp-RenderedMermaid'));
            const ok = all.filter((e) => !e.classList.contains('jp-mod-warning')
                                         && e.querySelector('svg, img[src^="data:image/svg+xml"]'));
            return [ok.length, all.filter((e) => !ok.includes(e)).map((e) => e.textContent.slice(0, 300))];
        }""")

    # -- explorers

    def explorers(self, expected):
        """Wait for the explorers (at least `expected`) with a drawn figure; return their locators."""
        loc = self.page.locator(".nbkit-explorer")
        if expected:
            try:
                self._wait("""(n) => {
                    const ex = Array.from(document.querySelectorAll('.nbkit-explorer'));
                    return ex.length >= n && ex.every((e) => window.__nbkitInk(e) > 0);
                }""", arg=expected, timeout=WIDGETS_MS, what=f"{expected} explorer(s) with a drawn figure")
            except AssertionError as e:
                raise AssertionError(f"{e}\n{self.explorer_states()}") from None
        return [loc.nth(i) for i in range(loc.count())]

    def explorer_states(self):
        """Return what each explorer on the page shows (canvas sizes, inked pixels), the kernel's
        status and the end of the server's log (where the kernel's own errors go): for a failure report."""
        states = self.page.evaluate("""() => Array.from(document.querySelectorAll('.nbkit-explorer')).map((e) => ({
            ink: window.__nbkitInk(e),
            canvases: Array.from(e.querySelectorAll('canvas')).map((c) => `${c.width}x${c.height}`),
            readout: (e.querySelector('.nbkit-readout') || {}).textContent?.slice(0, 80),
        }))""")
        lines = [f"explorer {i + 1}: {s}" for i, s in enumerate(states)] or ["no explorer on the page"]
        lines.append(f"kernel status: {self.kernel_status()!r}")
        lines.append("server log (the kernel's stderr included):\n" + self.server.log_tail(60))
        return "\n".join(lines)

    def sliders(self, explorer):
        """(name, slider locator) for every slider in the explorer; the name is its nbkit-<name> class."""
        out = []
        sliders = explorer.locator(".widget-slider")
        for i in range(sliders.count()):
            s = sliders.nth(i)
            classes = s.get_attribute("class").split()
            names = [c[len("nbkit-"):] for c in classes if c.startswith("nbkit-")]
            label = s.locator(".widget-label").first.text_content().strip() if s.locator(".widget-label").count() else ""
            out.append((names[0] if names else label or f"slider{i}", s))
        return out

    def readout(self, explorer):
        r = explorer.locator(".nbkit-readout")
        return r.first.text_content() if r.count() else None

    def press_and_time(self, explorer, slider, key, problems, where):
        """Press `key` on the slider handle; return ms from key press to changed pixels, or None."""
        handle = slider.locator(".noUi-handle").first
        value = slider.locator(".widget-readout").first
        before = value.text_content()
        handle.focus()
        self.page.evaluate(ARM_JS, [explorer.element_handle(), QUIET_MS, True])
        handle.press(key)
        try:
            self.page.wait_for_function("() => window.__nbkitWatch.tChange !== null",
                                        timeout=KEY_TO_PIXELS_MS, polling="raf")
        except PlaywrightTimeout:
            self.page.evaluate("() => { window.__nbkitWatch.done = true; }")
            after = value.text_content()
            if after == before:
                problems.add("slider", f"{where}: {key} on the handle did not move the slider ({before})")
            else:
                problems.add("figure", f"{where}: slider {before} → {after}, but the figure did not change "
                                       f"within {KEY_TO_PIXELS_MS / 1000:.0f} s")
            return None
        try:
            self.page.wait_for_function("() => window.__nbkitWatch.settled", timeout=KEY_TO_PIXELS_MS, polling=50)
        except PlaywrightTimeout:
            self.page.evaluate("() => { window.__nbkitWatch.done = true; }")
            problems.add("figure", f"{where}: the figure kept changing for {KEY_TO_PIXELS_MS / 1000:.0f} s after {key}")
        w = self.page.evaluate("() => window.__nbkitWatch")
        return w["tChange"] - w["tKey"]

    def settle(self, explorer, problems, where):
        """Wait until the figure has not changed for QUIET_MS (the first images after display)."""
        self.page.evaluate(ARM_JS, [explorer.element_handle(), QUIET_MS, False])
        try:
            self.page.wait_for_function("() => window.__nbkitWatch.settled", timeout=KEY_TO_PIXELS_MS, polling=50)
        except PlaywrightTimeout:
            self.page.evaluate("() => { window.__nbkitWatch.done = true; }")
            problems.add("figure", f"{where}: the figure kept changing for {KEY_TO_PIXELS_MS / 1000:.0f} s on its own")

    def check_drawn(self, explorer, problems, where):
        colours = self.page.evaluate(COLOURS_JS, [explorer.element_handle(), 10 * MIN_COLOURS])
        if colours < MIN_COLOURS:
            problems.add("figure", f"{where}: the figure's canvas has only {colours} distinct colour(s): it is blank")
        opaque = explorer.evaluate(OPAQUE_JS)
        if opaque < 1:
            shot = pathlib.Path(tempfile.gettempdir()) / f"nbkit-undrawn-{secrets.token_hex(4)}.png"
            explorer.screenshot(path=shot, animations="disabled")
            problems.add("figure", f"{where}: the figure is not fully drawn, {100 * (1 - opaque):.1f}% of its "
                                   f"pixels are transparent (the front end missed a full image); see {shot}")

    def slider_value(self, slider):
        """Return (shown value as text, aria-valuenow, aria-valuemin, aria-valuemax) of a slider."""
        handle = slider.locator(".noUi-handle").first
        aria = [float(handle.get_attribute(a) or "nan") for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax")]
        return (slider.locator(".widget-readout").first.text_content().strip(), *aria)

    def move(self, explorer, slider, name, key, problems, where, result):
        """Press `key` on the slider: the figure must change, then the readout, which must state the new
        value if it states this slider's value at all; return False if the figure did not change."""
        readout_before = self.readout(explorer)
        ms = self.press_and_time(explorer, slider, key, problems, where)
        if ms is None:
            return False
        result.latencies_ms.append(ms)
        if readout_before is None:
            problems.add("readout", f"{where}: the explorer has no readout")
            return True
        # The readout follows the figure in the same kernel update; give it a moment to land.
        try:
            self.page.wait_for_function(
                "([e, t]) => (e.querySelector('.nbkit-readout') || {}).textContent !== t",
                arg=[explorer.element_handle(), readout_before], timeout=KEY_TO_PIXELS_MS)
        except PlaywrightTimeout:
            problems.add("readout", f"{where}: {key} moved the slider to {self.slider_value(slider)[0]} but the "
                                    f"readout did not change within {KEY_TO_PIXELS_MS / 1000:.0f} s")
            return True
        shown = self.slider_value(slider)[0]
        stated = stated_value(self.readout(explorer), name)
        if stated is not None:
            result.value_checked = True
            try:
                ok = same_value(stated, float(shown.replace("−", "-")))
            except ValueError:
                ok = False
            if not ok:
                problems.add("readout", f"{where}: the slider shows {shown} but the readout says {name} = {stated}")
        return True

    def exercise(self, explorers, presses, problems, extremes=True):
        """Move every slider of every explorer `presses` times (one step, alternating in direction), then
        each to its minimum and its maximum (Home, End).

        Every one-step move must change the figure and the readout. At the ends the slider must land
        there with the figure fully drawn and no error, but need not change the figure: with another
        slider already at its own end a move can change nothing a learner sees (every run diverged
        at step 1 once lr is at its maximum)."""
        results = []
        for e, explorer in enumerate(explorers):
            for name, slider in self.sliders(explorer):
                where = f"explorer {e + 1}, slider {name!r}"
                _, now, _, top = self.slider_value(slider)
                up, down = ("ArrowLeft", "ArrowRight") if now >= top else ("ArrowRight", "ArrowLeft")
                result = SliderResult(e + 1, name)
                for k in range(presses):
                    if not self.move(explorer, slider, name, up if k % 2 == 0 else down, problems, where, result):
                        break
                self.check_drawn(explorer, problems, f"{where}, after {len(result.latencies_ms)} presses")
                results.append(result)
        if not extremes:
            return results
        for e, explorer in enumerate(explorers):
            for name, slider in self.sliders(explorer):
                where = f"explorer {e + 1}, slider {name!r}"
                result = next(r for r in results if r.explorer == e + 1 and r.name == name)
                _, now, low, _ = self.slider_value(slider)
                for key, end in ([("End", "max"), ("Home", "min")] if now == low else [("Home", "min"), ("End", "max")]):
                    handle = slider.locator(".noUi-handle").first
                    handle.focus()
                    handle.press(key)
                    self.settle(explorer, problems, f"{where} ({key})")
                    shown, now, low, top = self.slider_value(slider)
                    if now != (low if end == "min" else top):
                        problems.add("slider", f"{where}: {key} left the slider at {shown}, not at its {end}imum")
                    self.check_drawn(explorer, problems, f"{where}, at its {end}imum")
        return results

    # -- steppers

    def screenshot_whole(self, element, path):
        """Save a screenshot of element in full. JupyterLab scrolls a notebook inside its own panel, so
        an element taller than the window would come out cut: the window is made tall enough first."""
        size = self.page.viewport_size
        box = element.bounding_box()
        tall = box is not None and box["height"] + 200 > size["height"]
        if tall:
            self.page.set_viewport_size({"width": size["width"], "height": int(box["height"]) + 300})
        try:
            element.scroll_into_view_if_needed()
            element.screenshot(path=path, animations="disabled")
        finally:
            if tall:
                self.page.set_viewport_size(size)

    def step_through(self, stepper, problems, where, shot=None, shot_at=()):
        """Reset a stepper, then click Next to its last step: each click must change the figure and
        the readout's step number; return the number of steps taken. If `shot` is a path, the first
        step whose title (after "Step k of N · ") starts with one of `shot_at` is saved there."""
        handle = stepper.locator(".nbkit-step .noUi-handle").first
        last = int(float(handle.get_attribute("aria-valuemax")))
        stepper.locator(".nbkit-reset").click()
        self._wait("([e]) => (e.querySelector('.nbkit-readout') || {}).textContent.startsWith('Step 0 of')",
                   arg=[stepper.element_handle()], timeout=KEY_TO_PIXELS_MS, what=f"{where}: Reset to step 0")
        for k in range(1, last + 1):
            before = self.page.evaluate("(e) => window.__nbkitHash(e)", stepper.element_handle())
            stepper.locator(".nbkit-next").click()
            try:
                self.page.wait_for_function("([e, h]) => window.__nbkitHash(e) !== h",
                                            arg=[stepper.element_handle(), before], timeout=KEY_TO_PIXELS_MS, polling="raf")
                self.page.wait_for_function(
                    "([e, t]) => (e.querySelector('.nbkit-readout') || {}).textContent.startsWith(t)",
                    arg=[stepper.element_handle(), f"Step {k} of {last}"], timeout=KEY_TO_PIXELS_MS)
            except PlaywrightTimeout:
                problems.add("stepper", f"{where}: Next to step {k} of {last} did not change the figure and readout "
                                        f"(readout: {self.readout(stepper)!r})")
                return k - 1
            title = self.readout(stepper).removeprefix(f"Step {k} of {last} · ")
            if shot is not None and title.startswith(tuple(shot_at)):
                self.screenshot_whole(stepper, shot)
                REPORT["screenshots"].append(str(shot))
                shot = None
        # The last step checks the gradients against central differences: computed while the kernel is
        # idle, the table replaces "computing…", and every row agrees.
        try:
            self.page.wait_for_function("([e]) => (e.querySelector('.nbkit-readout') || {}).textContent.includes('agree')",
                                        arg=[stepper.element_handle()], timeout=KEY_TO_PIXELS_MS)
            if "NO" in self.readout(stepper):
                problems.add("stepper", f"{where}: a gradient disagrees at the check step: {self.readout(stepper)!r}")
        except PlaywrightTimeout:
            problems.add("stepper", f"{where}: no check table at the last step (readout: {self.readout(stepper)!r})")
        self.check_drawn(stepper, problems, f"{where}, at its last step")
        return last

    # -- errors

    def problems(self):
        """Everything a learner would see as an error, plus the browser console and network."""
        found = Problems()
        # JupyterLab renders a traceback (an error output) with the stderr mime type too.
        for text in self.page.locator(f"{STDERR}, {ERROR}").all_text_contents():
            kind = "error output" if "Traceback (most recent call last)" in text else "stderr"
            found.add(kind, text.strip()[:800])
        body = self.page.evaluate("() => document.body.textContent")
        if "Error displaying widget" in body:
            i = body.index("Error displaying widget")
            found.add("widget", body[i:i + 300])
        for _ in self.page.locator(".jupyter-widgets-error-widget").all():
            found.add("widget", "a widget could not be displayed (ipywidgets' error view, 'Click to show javascript error')")
        status = self.page.locator(".jp-LogConsoleStatusItem")
        if status.count() and status.first.is_visible():
            found.add("log console", f"the log console has {status.first.text_content().strip()} message(s) "
                                     f"(an exception in a widget callback lands there): {self.log_console_text()}")
        for text in self.console_errors:
            found.add("console", text[:800])
        for url in self.offline:
            found.add("network", f"blocked a request outside the local server: {url}")
        return found

    def log_console_text(self):
        """Open the log console and return its text (what the learner would read there)."""
        try:
            self.page.locator(".jp-LogConsoleStatusItem").first.click()
            panel = self.page.locator(".jp-LogConsolePanel")
            self.page.wait_for_function(
                "() => (document.querySelector('.jp-LogConsolePanel') || {textContent: ''}).textContent.trim() !== ''",
                timeout=10_000)
            return "…" + panel.first.text_content().strip()[-600:]  # the exception is at the end
        except PlaywrightTimeout:
            return "(could not open it)"
