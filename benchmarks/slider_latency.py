"""Slider latency of every explorer: a slider value change → the new figure image out of the kernel.

For each Explorer subclass exported by nbkit.explorers (built with its defaults), this starts a
real ipykernel, builds the explorer under `%matplotlib widget`, and plays JupyterLab's part:

- the canvas handshake ipympl's front end sends when it shows the figure (refresh,
  send_image_mode, initialized), a draw request whenever the kernel asks for one with a `draw`
  event (at most one outstanding, as the front end keeps `waiting_for_image`), and a `refresh`
  after a `resize` event;
- a slider move is the comm message JupyterLab sends, `{method: 'update', state: {value: …}}` on
  the slider's comm, and the next move is sent only once the kernel is idle again (JupyterLab
  keeps one pending message per widget);
- the time measured is from sending the move to the PNG bytes arriving on IOPub as a binary
  buffer on the canvas comm.

In the same kernel it then times the same figure done the common way: `interactive` over the
same sliders, with a function that builds a new figure (same size, panels and compute, through
the explorer's own build/compute/show/describe), shown by the inline backend as a PNG on every
move; the time is from the move to the PNG arriving in the interact's output.

Anything unexpected (a kernel error, no image, an image that is not a PNG) stops the run with a
non-zero exit status instead of a number.

    python benchmarks/slider_latency.py [--moves 40] [--common-moves 20] [--only NAME] [--no-write]
"""

import argparse
import datetime
import json
import os
import platform
import queue
import statistics
import subprocess
import sys
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TIMEOUT = 30.0  # seconds to wait for any one expected message


# Kernel-side timers around the steps of a move (a few microseconds each), read back per slider.
PHASES = """
import collections as _collections, statistics as _statistics, time as _time
_phases = _collections.defaultdict(list)
def _timed(owner, name, label):
    call = getattr(owner, name)
    def timed(*args, **kwargs):
        start = _time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            _phases[label].append(1000 * (_time.perf_counter() - start))
    setattr(owner, name, timed)
for _name, _label in [("compute", "compute"), ("show", "show"), ("redraw", "redraw"), ("describe", "describe"),
                      ("_draw_changed_axes", "axes redrawn"), ("_draw_background", "whole figure drawn")]:
    if hasattr(ex, _name):
        _timed(ex, _name, _label)
_timed(ex.fig.canvas, "get_diff_image", "diff PNG")
def _phase_medians():
    out = {label: [len(times), _statistics.median(times)] for label, times in _phases.items()}
    _phases.clear()
    return out
"""


class ProtocolError(RuntimeError):
    """The kernel did not answer as a JupyterLab front end expects."""


def discover():
    """Return the names of the Explorer subclasses that nbkit.explorers exports, in export order."""
    sys.path.insert(0, str(ROOT))
    import nbkit.explorers as explorers
    from nbkit.explorers.base import Explorer

    return [name for name in explorers.__all__
            if isinstance(getattr(explorers, name), type) and issubclass(getattr(explorers, name), Explorer)
            and getattr(explorers, name) is not Explorer]


class Frontend:
    """One kernel and the messages a JupyterLab page with the explorer on it would exchange."""

    def __init__(self):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
                   MPLBACKEND="module://ipympl.backend_nbagg")
        self.km = KernelManager(kernel_name="python3", transport="ipc")  # local sockets, no TCP port
        self.km.start_kernel(env=env, cwd=str(ROOT))
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)
        self.canvas = None
        self.canvas_sent = []  # ids of the messages sent to the canvas comm
        self.waiting_for_image = False
        self.images = []  # (arrival time, png bytes) on the canvas comm
        self.outputs = []  # (arrival time, parent msg id) of image/png display_data
        self.idle = set()  # parent msg ids that reached idle

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    # -- sending -------------------------------------------------------------------------------
    def comm_msg(self, comm_id, data):
        msg = self.kc.session.msg("comm_msg", {"comm_id": comm_id, "data": data})
        self.kc.shell_channel.send(msg)
        return msg["header"]["msg_id"]

    def canvas_message(self, kind):
        msg_id = self.comm_msg(self.canvas, {"method": "custom", "content": {"type": kind}})
        self.canvas_sent.append(msg_id)
        return msg_id

    def execute(self, code):
        """Run code in the kernel; return its stdout. Raise ProtocolError on any error."""
        msg_id = self.kc.execute(code)
        stdout = []
        self.pump(lambda: msg_id in self.idle, stdout=(msg_id, stdout))
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = self.kc.get_shell_msg(timeout=TIMEOUT)
        if reply["content"]["status"] != "ok":
            raise ProtocolError(f"kernel error running {code!r}: {reply['content'].get('evalue')}")
        return "".join(stdout)

    # -- receiving -----------------------------------------------------------------------------
    def pump(self, done, stdout=None):
        """Answer and record IOPub messages until done() is true; raise ProtocolError on trouble."""
        deadline = time.perf_counter() + TIMEOUT
        while not done():
            left = deadline - time.perf_counter()
            if left <= 0:
                raise ProtocolError("timed out waiting for the kernel")
            try:
                msg = self.kc.get_iopub_msg(timeout=left)
            except queue.Empty:
                continue
            arrived = time.perf_counter()
            self.handle(msg, arrived, stdout)

    def handle(self, msg, arrived, stdout):
        kind, content = msg["msg_type"], msg["content"]
        parent = msg["parent_header"].get("msg_id")
        if kind == "status" and content["execution_state"] == "idle":
            self.idle.add(parent)
        elif kind == "error":
            raise ProtocolError("kernel error: " + "\n".join(content["traceback"]))
        elif kind == "stream":
            if content["name"] == "stderr":
                raise ProtocolError("kernel wrote to stderr: " + content["text"])
            if stdout and parent == stdout[0]:
                stdout[1].append(content["text"])
        elif kind in ("display_data", "execute_result"):
            if "image/png" in content["data"]:
                self.outputs.append((arrived, parent))
        elif kind == "comm_msg" and content["comm_id"] == self.canvas:
            self.canvas_event(content["data"], msg.get("buffers") or [], arrived)

    def canvas_event(self, data, buffers, arrived):
        if data.get("method") != "custom":
            return  # state updates (_size, _image_mode, …) need no answer
        event = json.loads(data["content"]["data"])
        if event["type"] == "binary":
            if len(buffers) != 1 or not bytes(buffers[0][:8]) == PNG_MAGIC:
                raise ProtocolError(f"canvas sent a binary message without one PNG buffer: {event}")
            self.images.append((arrived, bytes(buffers[0])))
            self.waiting_for_image = False
        elif event["type"] == "draw":
            if not self.waiting_for_image:
                self.waiting_for_image = True
                self.canvas_message("draw")
        elif event["type"] == "resize":
            self.canvas_message("refresh")

    # -- the two ways ----------------------------------------------------------------------------
    def open_explorer(self, name):
        """Build the explorer, show it, do the canvas handshake; return {slider: (comm id, value, min, max, step, log)}."""
        out = self.execute(
            "%matplotlib widget\n"
            "import json\n"
            "from IPython.display import display\n"
            f"from nbkit.explorers import {name} as _Cls\n"
            "ex = _Cls()\n"
            "display(ex)\n"
            + PHASES +
            "print(json.dumps({'canvas': ex.fig.canvas.model_id, 'sliders': {n: [c.model_id, c.value, c.min, c.max,"
            " c.step, getattr(c, 'base', None)] if hasattr(c, 'min') else [c.model_id, c.index, 0, len(c.options) - 1,"
            " 1, None, 'index'] for n, c in ex.controls.items()}}))\n")  # a choice (Dropdown) moves by its index
        ids = json.loads(out)
        self.canvas = ids["canvas"]
        for kind in ("refresh", "send_image_mode", "initialized"):
            self.canvas_message(kind)
        # until the handshake and what it set off (a resize, a refresh, draws) are all done
        self.pump(lambda: self.images and not self.waiting_for_image and self.idle.issuperset(self.canvas_sent))
        return ids["sliders"]

    def move_explorer(self, comm_id, value, key="value"):
        """Move one slider (or choice, key "index"); return seconds until the new image arrived (and wait for idle)."""
        first = len(self.images)
        start = time.perf_counter()
        msg_id = self.comm_msg(comm_id, {"method": "update", "state": {key: value}, "buffer_paths": []})
        self.pump(lambda: len(self.images) > first and msg_id in self.idle)
        return self.images[first][0] - start

    def open_common(self):
        """Switch to the inline backend and show an `interactive` over the explorer's sliders."""
        self.execute(
            "%matplotlib inline\n"
            "import matplotlib.pyplot as plt\n"
            "from ipywidgets import interactive, HTML\n"
            "for _c in ex.controls.values():\n"
            "    _c.unobserve(ex.update, names='value')\n"
            "_size, _dpi = ex.fig.get_size_inches(), ex.fig.dpi\n"
            "def common(**values):\n"
            "    ex.fig = plt.figure(figsize=_size, dpi=_dpi, layout='constrained')\n"
            "    ex.build()\n"
            "    state = ex.compute(**values)\n"
            "    ex.show(state)\n"
            "    display(HTML(ex.describe(state)))\n"
            "    plt.show()\n"
            "display(interactive(common, **ex.controls))\n")

    def move_common(self, comm_id, value, key="value"):
        """Move one slider of the interact; return seconds until its new PNG output arrived."""
        start = time.perf_counter()
        msg_id = self.comm_msg(comm_id, {"method": "update", "state": {key: value}, "buffer_paths": []})
        self.pump(lambda: msg_id in self.idle)
        pngs = [t for t, parent in self.outputs if parent == msg_id]
        if len(pngs) != 1:
            raise ProtocolError(f"expected one PNG output for the move, got {len(pngs)}")
        return pngs[0] - start


def other_value(value, lo, hi, step, base):
    """Return a nearby value on the slider's grid (5% of its range away), inside [lo, hi]."""
    if base is not None:  # FloatLogSlider: min/max/step are exponents, value is base**exponent
        import math

        e = math.log(value, base)
        d = max(step, round(0.05 * (hi - lo) / step) * step)
        e2 = e + d if e + d <= hi else e - d
        return float(base**e2)
    d = max(step, round(0.05 * (hi - lo) / step) * step)
    v2 = value + d if value + d <= hi else value - d
    return type(value)(round(v2, 10)) if isinstance(value, float) else int(v2)


def measure(name, moves, common_moves):
    """Return ({slider: (values, explorer latencies)}, common-way latencies), times in ms, for one explorer."""
    fe = Frontend()
    try:
        sliders = fe.open_explorer(name)
        fe.execute("_phases.clear()")  # the handshake's images are not moves
        fast, slow = {}, []
        for slider, (comm_id, value, lo, hi, step, base, *key) in sliders.items():
            values = [other_value(value, lo, hi, step, base), value]
            times = [1000 * fe.move_explorer(comm_id, values[i % 2], *key) for i in range(moves)]
            phases = json.loads(fe.execute("print(json.dumps(_phase_medians()))"))
            fast[slider] = values, times, phases
        fe.open_common()
        for comm_id, value, lo, hi, step, base, *key in sliders.values():
            values = [other_value(value, lo, hi, step, base), value]
            slow += [1000 * fe.move_common(comm_id, values[i % 2], *key) for i in range(common_moves)]
        return fast, slow
    finally:
        fe.close()


def p95(xs):
    return statistics.quantiles(xs, n=20, method="inclusive")[-1]


def machine():
    import ipykernel
    import ipympl
    import ipywidgets
    import matplotlib
    import numpy
    import PIL

    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = ", ".join(f"{m.__name__} {m.__version__}" for m in (numpy, matplotlib, ipympl, ipywidgets, ipykernel, PIL))
    return (f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}; {versions}")


def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--moves", type=int, default=40, help="moves per slider, explorer (default 40)")
    parser.add_argument("--common-moves", type=int, default=20, help="moves per slider, common way (default 20)")
    parser.add_argument("--only", action="append", help="measure only this explorer (repeatable)")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.relative_to(ROOT)}")
    args = parser.parse_args()

    names = discover()
    if args.only:
        unknown = set(args.only) - set(names)
        if unknown:
            parser.error(f"not an exported explorer: {', '.join(sorted(unknown))}")
        names = [n for n in names if n in args.only]
    if not names:
        raise ProtocolError("nbkit.explorers exports no Explorer subclass")

    load_before = load()
    rows, details, bounds = [], [], []
    header = "| explorer | median ms | p95 ms | common way median ms | common way p95 ms | ratio (medians) | target |"
    print(header.replace("| ", "").replace(" |", "  ").strip(), flush=True)
    for name in names:
        per_slider, slow = measure(name, args.moves, args.common_moves)
        fast = [t for _, times, _ in per_slider.values() for t in times]
        for slider, (values, times, phases) in per_slider.items():
            shown = " ↔ ".join(f"{v:.4g}" for v in values)
            kernel = ", ".join(f"{label} {ms:.1f}" + (f" ({n}×)" if n != len(times) else "")
                               for label, (n, ms) in phases.items())
            details.append(f"| {name} | {slider} | {shown} | {statistics.median(times):.1f} | {p95(times):.1f} | {kernel} |")
            print(f"  {slider:<10} {shown:<22} median {statistics.median(times):6.1f}  p95 {p95(times):6.1f}   kernel: {kernel}")
        for slider, (values, times, phases) in per_slider.items():
            if statistics.median(times) > 25 or p95(times) > 50:
                steps = {label: ms for label, (n, ms) in phases.items() if label != "redraw"}
                label = max(steps, key=steps.get)
                work = sum(phases.get(k, (0, 0))[1] for k in ("compute", "show", "redraw", "describe"))
                why = (f"its largest step in the kernel: {label} ({steps[label]:.0f} ms median)" if work > 25 else
                       f"the kernel's work is {work:.0f} ms median, so the slow moves waited for a CPU (load)")
                bounds.append(f"- {name}, slider {slider}: median {statistics.median(times):.0f} ms, p95 "
                              f"{p95(times):.0f} ms; {why}.")
        m, p, cm, cp = statistics.median(fast), p95(fast), statistics.median(slow), p95(slow)
        ok = m <= 25 and p <= 50 and cm / m >= 4
        rows.append(f"| {name} | {m:.1f} | {p:.1f} | {cm:.0f} | {cp:.0f} | {cm / m:.1f}× | {'met' if ok else 'MISSED'} |")
        print(f"{name:<24} {m:8.1f} {p:8.1f} {cm:8.0f} {cp:8.0f} {cm / m:6.1f}x  {'met' if ok else 'MISSED'}",
              flush=True)
    load_after = load()
    print("\n".join(bounds))
    print(f"load average (1, 5, 15 min): before {load_before}, after {load_after}")

    if not args.no_write:
        today = datetime.date.today().isoformat()
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip() or "unknown"
        RESULTS.write_text(
            "# Slider latency\n\n"
            f"Measured {today} at commit {commit} by `make bench` (benchmarks/slider_latency.py): the time from a "
            "slider value change, sent as the comm message JupyterLab sends, to the new figure image arriving "
            f"from the kernel. {args.moves} moves per slider for the explorers, {args.common_moves} for the common "
            "way (`interactive` building a new figure on every move, shown as an inline PNG).\n\n"
            "Target: median ≤ 25 ms and p95 ≤ 50 ms for every explorer, and at least 4× faster than the "
            "common way. How it is measured, what a move costs and what made it fast: benchmarks/README.md.\n\n"
            f"Machine: {machine()}.  \n"
            f"Load average (1, 5, 15 min): {load_before} before the run, {load_after} after.\n\n"
            + header + "\n|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
            "Per slider: the values it alternates between, and the kernel's median ms for each step of a "
            "move (timed inside the kernel; a step that ran on fewer moves shows how many, e.g. an axes "
            "redrawn on 20 of 40 moves; redraw includes the axes redrawn and the diff PNG):\n\n"
            "| explorer | slider | values | median ms | p95 ms | in the kernel (median ms) |\n|---|---|---|---|---|---|\n" + "\n".join(details) + "\n"
            + ("\nSliders over the target (median > 25 ms or p95 > 50 ms), and what bounds them:\n\n"
               + "\n".join(bounds) + "\n" if bounds else ""))
        print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    try:
        main()
    except ProtocolError as error:
        print(f"slider_latency: {error}", file=sys.stderr)
        sys.exit(2)
