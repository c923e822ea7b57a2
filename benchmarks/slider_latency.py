"""Slider latency of every explorer at every setting: a slider value change → the new figure image out of the kernel.

For each Explorer subclass exported by nbkit.explorers (and nbkit.steppers, once it exists),
built with its defaults, this starts a real ipykernel, builds the explorer under
`%matplotlib widget`, and plays JupyterLab's part:

- the canvas handshake ipympl's front end sends when it shows the figure (refresh,
  send_image_mode, initialized), a draw request whenever the kernel asks for one with a `draw`
  event (at most one outstanding, as the front end keeps `waiting_for_image`), and a `refresh`
  after a `resize` event;
- a slider move is the comm message JupyterLab sends, `{method: 'update', state: {value: …}}` on
  the slider's comm, and the next move is sent only once the kernel is idle again (JupyterLab
  keeps one pending message per widget); work the explorer left for idle time may still run;
- the time measured is from sending the move to the PNG bytes arriving on IOPub as a binary
  buffer on the canvas comm.

Every slider is moved in three settings: at the defaults (to a value 5% of its range away and
back); at the worst corner (every other slider at the end of its range where compute took
longest, timed in the kernel), the same small moves; and across its whole range at that corner
(jumps between far-apart values of its grid, min and max included, crossing every axis end).
A long run an explorer shows in part is also timed to its end ("finished after").

In the same kernel it then times the same figure done the common way, in the same three
settings: `interactive` over the same sliders, with a function that builds a new figure (same
size, panels and compute, through the explorer's own build/compute/show/describe), shown by the
inline backend as a PNG on every move; the time is from the move to the PNG arriving.

Anything unexpected (a kernel error or stderr output, no image, an image that is not a PNG, a
slider the script cannot move) stops the run with exit status 2 instead of a number.

    python benchmarks/slider_latency.py [--moves 20] [--jumps 16] [--common-moves 2] [--only NAME] [--no-write]
"""

import argparse
import datetime
import json
import math
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
_idle = [False]
_move_started = [None]
def _timed(owner, name, label):
    call = getattr(owner, name)
    def timed(*args, **kwargs):
        if _idle[0] and label != "idle work":
            return call(*args, **kwargs)  # inside idle work: counted there, not as a move's step
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
if hasattr(ex, "update"):
    _update = ex.update
    def _update_timed(*args, **kwargs):
        _move_started[0] = _time.perf_counter()
        cpu = _time.thread_time()
        try:
            return _update(*args, **kwargs)
        finally:  # the whole move in the kernel, wall and CPU time: CPU time is what load does not inflate
            _phases["move"].append(1000 * (_time.perf_counter() - _move_started[0]))
            _phases["move CPU"].append(1000 * (_time.thread_time() - cpu))
    ex.update = _update_timed
    for _c in ex.controls.values():  # the sliders call the timed update
        _c.unobserve(_update, names="value")
        _c.observe(ex.update, names="value")
if hasattr(ex, "_work"):
    _work = ex._work
    def _work_timed():
        finishing = getattr(ex, "_finishing", False)
        _idle[0] = True
        start = _time.perf_counter()
        try:
            return _work()
        finally:
            _idle[0] = False
            _phases["idle work"].append(1000 * (_time.perf_counter() - start))
            if finishing and not ex._finishing and _move_started[0] is not None:
                _phases["finished after"].append(1000 * (_time.perf_counter() - _move_started[0]))
    ex._work = _work_timed
def _pending():
    return bool(getattr(ex, "pending", lambda: False)())
def _phase_medians():
    out = {label: [len(times), _statistics.median(times)] for label, times in _phases.items()}
    _phases.clear()
    return out
def _value(control, v):
    \"\"\"The value compute() takes for what the front end syncs: a choice control syncs its index.\"\"\"
    return control._options_values[v] if hasattr(control, "_options_values") else v
def _worst_corner(values):
    \"\"\"Return {slider: the end of its range where compute took longest, the others at values}.\"\"\"
    budget, ex.budget = getattr(ex, "budget", None), None
    values = {n: _value(ex.controls[n], v) for n, v in values.items()}
    worst = {}
    for name, control in ex.controls.items():
        took = {}
        ends = (0, len(control.options) - 1) if hasattr(control, "_options_values") else (control.min, control.max)
        for end in ends:
            if hasattr(control, "base"):
                end = control.base ** end
            start = _time.thread_time()  # CPU time: what the machine's load does not inflate
            ex.compute(**dict(values, **{name: _value(control, end)}))
            took[end] = _time.thread_time() - start
        worst[name] = max(took, key=took.get)
    ex.budget = budget
    return worst
def _cpu():
    import numpy, os
    from numpy._core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__, __cpu_features__
    found = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
    return {"baseline": __cpu_baseline__, "found": found, "disabled": os.environ.get("NPY_DISABLE_CPU_FEATURES", ""),
            "coretype": os.environ.get("OPENBLAS_CORETYPE", ""), "numpy": numpy.__version__}
"""


class ProtocolError(RuntimeError):
    """The kernel did not answer as a JupyterLab front end expects."""


MODULES = ("nbkit.explorers", "nbkit.steppers")  # where explorers (and the steppers to come) are exported


def discover():
    """Return (names of the Explorer subclasses exported, {public class not covered: why}), in export order."""
    import importlib

    sys.path.insert(0, str(ROOT))
    from nbkit.explorers.base import Explorer

    found, skipped = [], {}
    for module_name in MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        for name in getattr(module, "__all__", []):
            cls = getattr(module, name)
            if isinstance(cls, type) and issubclass(cls, Explorer) and cls is not Explorer:
                found.append(f"{module_name}:{name}")
            elif isinstance(cls, type):
                skipped[name] = ("not built on nbkit.explorers.base.Explorer: no sliders (`controls`) and figure the "
                                 "script knows how to move and time")
    return found, skipped


#: numpy's SIMD features above X86_V3 (AVX2, a common laptop's level), as tests/test_portability.py names them.
ABOVE_X86_V3 = ("AVX512_SPR", "AVX512_ICL", "X86_V4")


def limit_to_x86_v3():
    """Return the environment variables that limit the kernel's numpy and OpenBLAS to X86_V3, {} if nothing to limit.

    The target is set for a 2-core machine without AVX-512; on a CPU with more, the kernel runs
    with those kernels switched off (NPY_DISABLE_CPU_FEATURES, OPENBLAS_CORETYPE=Haswell) so the
    numbers stand for that machine. A NPY_DISABLE_CPU_FEATURES already set is kept as it is.
    """
    if "NPY_DISABLE_CPU_FEATURES" in os.environ:
        return {}
    from numpy._core._multiarray_umath import __cpu_features__
    above = [feature for feature in ABOVE_X86_V3 if __cpu_features__.get(feature)]
    return {"NPY_DISABLE_CPU_FEATURES": ",".join(above), "OPENBLAS_CORETYPE": "Haswell"} if above else {}


class Frontend:
    """One kernel and the messages a JupyterLab page with the explorer on it would exchange."""

    def __init__(self):
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
                   MPLBACKEND="module://ipympl.backend_nbagg", **limit_to_x86_v3())
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
        self.values = {}  # slider comm id → the value last sent
        self.keys = {}  # slider comm id → the state it syncs: "value", or "index" for a choice control

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
    def open_explorer(self, target):
        """Build the explorer, show it, do the canvas handshake, let its idle work finish; return its sliders.

        Sliders: {name: (comm id, value, min, max, step, log base or None)}; raise ProtocolError if one
        is not a numeric slider (the script moves only those).
        """
        module, name = target.split(":")
        out = self.execute(
            "%matplotlib widget\n"
            "import json\n"
            "from IPython.display import display\n"
            f"from {module} import {name} as _Cls\n"
            "ex = _Cls()\n"
            "display(ex)\n"
            + PHASES +
            "print(json.dumps({'canvas': ex.fig.canvas.model_id, 'cpu': _cpu(), 'sliders': {n: [c.model_id, c.index, 0,"
            " len(c.options) - 1, 1, None, 'index'] if hasattr(c, '_options_values') else [c.model_id, c.value,"
            " getattr(c, 'min', None), getattr(c, 'max', None), getattr(c, 'step', None), getattr(c, 'base', None),"
            " 'value'] for n, c in ex.controls.items()}}))\n")
        ids = json.loads(out)
        # A choice control (a selection slider, toggle buttons) syncs its index: it is moved like a slider over 0 … n − 1.
        self.keys = {comm_id: key for comm_id, *_, key in ids["sliders"].values()}
        ids["sliders"] = {n: spec[:-1] for n, spec in ids["sliders"].items()}
        for slider, (_, value, lo, hi, step, _) in ids["sliders"].items():
            if not all(isinstance(v, (int, float)) for v in (value, lo, hi, step)):
                raise ProtocolError(f"{name}: slider {slider} is not a numeric slider (value, min, max, step); "
                                    "teach benchmarks/slider_latency.py to move it")
        self.canvas = ids["canvas"]
        for kind in ("refresh", "send_image_mode", "initialized"):
            self.canvas_message(kind)
        # until the handshake and what it set off (a resize, a refresh, draws) are all done
        self.pump(lambda: self.images and not self.waiting_for_image and self.idle.issuperset(self.canvas_sent))
        self.settle()
        self.cpu = ids["cpu"]
        return ids["sliders"]

    def settle(self):
        """Wait until the explorer has no idle work left (a background, views ahead, the rest of a run)."""
        deadline = time.perf_counter() + TIMEOUT
        while self.execute("print(_pending())").strip() == "True":
            if time.perf_counter() > deadline:
                raise ProtocolError("the explorer's idle work did not finish")
            time.sleep(0.02)

    def move_explorer(self, comm_id, value):
        """Move one slider; return seconds until the new image arrived (and wait for idle)."""
        self.values[comm_id] = value
        first = len(self.images)
        start = time.perf_counter()
        msg_id = self.comm_msg(comm_id, {"method": "update", "state": {self.keys.get(comm_id, "value"): value},
                                         "buffer_paths": []})
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
            "ex.budget = None\n"  # the common way computes the whole run on every move
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
        """Move one slider of the interact; return seconds until its last new PNG output arrived.

        A control whose observer moves another control (a stepper's "by" toggle sets the step) makes
        the interact run once per change: the move is done when the last figure is out.
        """
        self.values[comm_id] = value
        start = time.perf_counter()
        msg_id = self.comm_msg(comm_id, {"method": "update", "state": {self.keys.get(comm_id, "value"): value},
                                         "buffer_paths": []})
        self.pump(lambda: msg_id in self.idle)
        pngs = [t for t, parent in self.outputs if parent == msg_id]
        if not pngs:
            raise ProtocolError("expected a PNG output for the move, got none")
        return pngs[-1] - start


def grid(lo, hi, step, base):
    """Return every value of the slider's grid, lo … hi (for a log slider: base ** exponent)."""
    n = int(round((hi - lo) / step))
    values = [lo + i * step for i in range(n + 1)]
    if base is not None:
        return [float(base ** round(e, 10)) for e in values]
    return [int(round(v)) if isinstance(step, int) and isinstance(lo, int) else round(v, 10) for v in values]


def nearby(value, lo, hi, step, base):
    """Return the value and one 5% of the slider's range away (inside [lo, hi]), to alternate between."""
    if base is not None:  # FloatLogSlider: min/max/step are exponents, value is base**exponent
        e = math.log(value, base)
        d = max(step, round(0.05 * (hi - lo) / step) * step)
        return [float(base ** (e + d if e + d <= hi else e - d)), value]
    d = max(step, round(0.05 * (hi - lo) / step) * step)
    v2 = value + d if value + d <= hi else value - d
    return [type(value)(round(v2, 10)) if isinstance(value, float) else int(v2), value]


def jumps(lo, hi, step, base, n):
    """Return n values across the whole grid, each far from the one before: min, max, second, second last, …"""
    values = grid(lo, hi, step, base)
    picks = [values[round(i * (len(values) - 1) / (n - 1))] for i in range(n)] if len(values) > n else values
    order = []
    while picks:
        order.append(picks.pop(0))
        if picks:
            order.append(picks.pop())
    return order


SETTINGS = ("defaults", "worst corner", "whole range")


def measure(target, moves, n_jumps, common_moves):
    """Return (sliders, worst corner, {(slider, setting): (values, explorer ms, phases)}, {(slider, setting): common ms}, cpu)."""
    fe = Frontend()
    try:
        sliders = fe.open_explorer(target)
        defaults = {name: value for name, (_, value, *_) in sliders.items()}
        fe.values = {comm_id: value for comm_id, value, *_ in sliders.values()}
        worst = json.loads(fe.execute(f"print(json.dumps(_worst_corner({defaults!r})))"))
        fe.settle()
        fe.execute("_phases.clear()")  # the handshake's images and the corner's compute are not moves
        plans = {}
        for slider, (comm_id, value, lo, hi, step, base) in sliders.items():
            plans[slider, "defaults"] = (defaults, nearby(value, lo, hi, step, base) * (moves // 2))
            plans[slider, "worst corner"] = (worst, nearby(value, lo, hi, step, base) * (moves // 2))
            plans[slider, "whole range"] = (worst, jumps(lo, hi, step, base, n_jumps))
        fast = {}
        for (slider, setting), (corner, values) in plans.items():
            set_sliders(fe, sliders, {k: v for k, v in corner.items() if k != slider}, fe.move_explorer)
            set_sliders(fe, sliders, {slider: values[-1]}, fe.move_explorer)  # start at the last: every move moves
            fe.settle()
            fe.execute("_phases.clear()")
            times = [1000 * fe.move_explorer(sliders[slider][0], v) for v in values]
            phases = json.loads(fe.execute("print(json.dumps(_phase_medians()))"))
            if any(n for label, (n, _) in phases.items() if label == "idle work"):
                finished = finish_times(fe, sliders[slider][0], values[:3])
                if finished:
                    phases["finished after"] = [len(finished), statistics.median(finished)]
            fast[slider, setting] = values, times, phases
        fe.settle()
        fe.open_common()
        slow = {}
        for (slider, setting), (corner, values) in plans.items():
            set_sliders(fe, sliders, {k: v for k, v in corner.items() if k != slider}, fe.move_common)
            set_sliders(fe, sliders, {slider: values[-1]}, fe.move_common)
            slow[slider, setting] = [1000 * fe.move_common(sliders[slider][0], v) for v in values[:common_moves]]
        return sliders, worst, fast, slow, fe.cpu
    finally:
        fe.close()


def set_sliders(fe, sliders, values, move):
    """Move each slider whose value differs to values[slider] (not timed), through move(comm id, value)."""
    for name, value in values.items():
        if fe.values[sliders[name][0]] != value:
            move(sliders[name][0], value)
    fe.settle()


def finish_times(fe, comm_id, values):
    """Return the kernel's ms from a move to the end of the run it showed in part, waiting for each."""
    fe.execute("_phases.clear()")
    for value in values:
        fe.move_explorer(comm_id, value)
        fe.settle()
    n_and_times = json.loads(fe.execute("print(json.dumps(_phases.get('finished after', [])))"))
    fe.execute("_phases.clear()")
    return n_and_times


def p95(xs):
    return statistics.quantiles(xs, n=20, method="inclusive")[-1]


def machine(cpu_levels):
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
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    simd = (f"numpy SIMD in the kernel: baseline {', '.join(cpu_levels['baseline'])}, top level found "
            f"{(cpu_levels['found'] or ['none beyond the baseline'])[-1]}"
            + (f" (NPY_DISABLE_CPU_FEATURES={cpu_levels['disabled']})" if cpu_levels["disabled"] else "")
            + (f"; OpenBLAS kernels OPENBLAS_CORETYPE={cpu_levels['coretype']}" if cpu_levels.get("coretype") else ""))
    return (f"{cpu}, {os.cpu_count()} cores ({usable} usable), {platform.system()} {platform.machine()}; {simd}; "
            f"Python {platform.python_version()}; {versions}")


def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


NOT_COVERED = [
    "What the browser does with the image (decode, paint): benchmarks/BROWSER_LATENCY.md, from the browser suite.",
    "A device pixel ratio of 2 (HiDPI screens): four times the pixels to draw and encode; the script answers as "
    "a ratio-1 front end.",
    "A drag faster than the kernel: JupyterLab then sends only the latest value, so the frame rate is about "
    "1/latency; the script sends each move when the kernel is idle.",
    "The first display (building the figure, the first full draw, the views drawn ahead): not a slider move; "
    "the script lets that idle work finish before it moves anything.",
    "Settings between the defaults and the worst corner: the corner is each other slider at the end of its range "
    "where compute took longest, timed once in the kernel.",
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--moves", type=int, default=20, help="moves per slider and setting, explorer (default 20)")
    parser.add_argument("--jumps", type=int, default=16, help="values across the whole range per slider (default 16)")
    parser.add_argument("--common-moves", type=int, default=2, help="moves per slider and setting, common way (default 2)")
    parser.add_argument("--only", action="append", help="measure only this explorer (repeatable)")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.relative_to(ROOT)}")
    args = parser.parse_args()
    if args.moves < 2 or args.jumps < 2 or args.common_moves < 1:
        parser.error("--moves and --jumps must be at least 2, --common-moves at least 1")

    targets, skipped = discover()
    names = {target.split(":")[1]: target for target in targets}
    if args.only:
        unknown = set(args.only) - set(names)
        if unknown:
            parser.error(f"not an exported explorer: {', '.join(sorted(unknown))}")
        names = {n: t for n, t in names.items() if n in args.only}
    if not names:
        raise ProtocolError("nbkit.explorers exports no Explorer subclass")

    started, load_before = time.perf_counter(), load()
    rows, details, misses, corners, cpu = [], [], [], [], None
    for name, target in names.items():
        sliders, worst, fast, slow, cpu = measure(target, args.moves, args.jumps, args.common_moves)
        corners.append(f"{name}: " + ", ".join(f"{k} = {v:.4g}" for k, v in worst.items()))
        print(f"{name}  (worst corner: {corners[-1].split(': ', 1)[1]})", flush=True)
        for setting in SETTINGS:
            all_fast = [t for (sl, st), (_, times, _) in fast.items() if st == setting for t in times]
            all_slow = [t for (sl, st), times in slow.items() if st == setting for t in times]
            worst_p95 = max(p95(times) for (sl, st), (_, times, _) in fast.items() if st == setting)
            ok = all(ok_slider(fast[sl, setting][1], slow[sl, setting]) for sl in sliders)
            rows.append(f"| {name} | {setting} | {statistics.median(all_fast):.1f} | {p95(all_fast):.1f} | "
                        f"{worst_p95:.1f} | {statistics.median(all_slow):.0f} | "
                        f"{statistics.median(all_slow) / statistics.median(all_fast):.0f}× | {'met' if ok else 'MISSED'} |")
        for (slider, setting), (values, times, phases) in fast.items():
            m, p, c = statistics.median(times), p95(times), statistics.median(slow[slider, setting])
            shown = (" ↔ ".join(f"{v:.4g}" for v in values[:2]) if setting != "whole range"
                     else f"{len(values)} values {min(values):.4g} … {max(values):.4g}")
            kernel = ", ".join(f"{label} {ms:.1f}" + (f" ({n}×)" if n != len(times) else "")
                               for label, (n, ms) in phases.items())
            verdict = "met" if ok_slider(times, slow[slider, setting]) else "MISSED"
            details.append(f"| {name} | {slider} | {setting} | {shown} | {m:.1f} | {p:.1f} | {c:.0f} | {c / m:.0f}× | "
                           f"{verdict} | {kernel} |")
            print(f"  {slider:<8} {setting:<13} median {m:6.1f}  p95 {p:6.1f}  common {c:6.0f}  {c / m:5.0f}x  {verdict:<6}"
                  f" kernel: {kernel}", flush=True)
            if verdict == "MISSED":
                misses.append(explain(name, slider, setting, times, phases))
    took = time.perf_counter() - started
    load_after = load()
    print("\n".join(misses))
    print(f"load average (1, 5, 15 min): before {load_before}, after {load_after}; the run took {took:.0f} s")

    if not args.no_write:
        today = datetime.date.today().isoformat()
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True).stdout.strip() or "unknown"
        skipped_lines = [f"- class {n}: {why}." for n, why in skipped.items()]
        RESULTS.write_text(
            "# Slider latency\n\n"
            f"Measured {today} at commit {commit} by `make bench` (benchmarks/slider_latency.py, {took:.0f} s): the "
            "time from a slider value change, sent as the comm message JupyterLab sends, to the new figure image "
            "arriving from the kernel. Every slider of every explorer in three settings: at the defaults "
            f"({args.moves} moves between its default and a value 5% of its range away), at the worst corner (the "
            f"other sliders where compute is slowest; the same moves) and across its whole range at that corner "
            f"({args.jumps} jumps between far-apart values, min and max included). The common way (`interactive` "
            f"building a new figure on every move, shown as an inline PNG): {args.common_moves} moves per slider "
            "and setting.\n\n"
            "Target: median ≤ 25 ms and p95 ≤ 50 ms for every slider in every setting, and at least 4× faster than "
            "the common way. How it is measured, what bounds each explorer and how far it is from the fastest "
            "this design can be: benchmarks/README.md.\n\n"
            f"Machine: {machine(cpu)}.  \n"
            f"Load average (1, 5, 15 min): {load_before} before the run, {load_after} after.\n\n"
            "Worst corners: " + "; ".join(corners) + ".\n\n"
            "| explorer | setting | median ms | p95 ms | worst slider's p95 ms | common way median ms | ratio (medians) "
            "| target |\n|---|---|---|---|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
            "Per slider and setting, with the kernel's median ms for each step of a move (timed inside the kernel; "
            "a step that ran on fewer moves shows how many; redraw includes the axes redrawn and the diff PNG; \"move\" is "
            "the whole move in the kernel and \"move CPU\" its CPU time, which the machine's load does not inflate; "
            "\"finished after\" is the time from a move to the end of a run shown in part, \"idle work\" the "
            "pieces of work done between moves):\n\n"
            "| explorer | slider | setting | values | median ms | p95 ms | common way ms | ratio | target | "
            "in the kernel (median ms) |\n|---|---|---|---|---|---|---|---|---|---|\n" + "\n".join(details) + "\n\n"
            + ("Over the target, and what bounds them:\n\n" + "\n".join(misses) + "\n\n" if misses else "")
            + "Not covered, and why:\n\n" + "\n".join([f"- {line}" for line in NOT_COVERED] + skipped_lines) + "\n")
        print(f"wrote {RESULTS.relative_to(ROOT)}")


def ok_slider(times, common):
    m = statistics.median(times)
    return m <= 25 and p95(times) <= 50 and statistics.median(common) / m >= 4


def explain(name, slider, setting, times, phases):
    """Return a line naming a slider over the target and its largest step in the kernel, or that it waited for a CPU."""
    skip = ("redraw", "finished after", "idle work", "move", "move CPU")
    steps = {label: ms for label, (n, ms) in phases.items() if label not in skip}
    cpu = phases.get("move CPU", (0, 0))[1]
    label = max(steps, key=steps.get)
    why = (f"its largest step in the kernel: {label} ({steps[label]:.0f} ms median; the move's CPU time "
           f"{cpu:.0f} ms)" if cpu > 25 else
           f"the move's CPU time in the kernel is {cpu:.0f} ms median, so the slow moves waited for a CPU (load)")
    return (f"- {name}, slider {slider}, {setting}: median {statistics.median(times):.0f} ms, p95 {p95(times):.0f} ms; "
            f"{why}.")


if __name__ == "__main__":
    try:
        main()
    except ProtocolError as error:
        print(f"slider_latency: {error}", file=sys.stderr)
        sys.exit(2)
