"""The stepper mechanism: a Walk shown one step at a time, with Back, Next and Reset.

A Stepper is an explorer (nbkit.explorers.base) whose first control is the step slider: the
buttons move it, and every change of a control goes through the same compute → show → blit →
readout path as any slider. A subclass supplies the graph's layout and `walk(**values)`, the
Walk for the learner's numbers; walks are kept per setting, so a step costs only a redraw.
Changing a number keeps the current step. At the check step, the central differences of a new
walk are computed a part (a layer) at a time, within a move's budget and then while the kernel
is idle, like the rest of a long run in an explorer; the table appears when they are done.
"""

import html
import time

import ipywidgets as widgets
import numpy as np

from nbkit.explorers.base import Explorer
from nbkit.plotting.graph import graph_view, set_graph
from nbkit.walkthrough import num

#: A collected gradient, backward()'s and the central difference agree when within this relative error.
AGREE = 1e-6


class Stepper(Explorer):
    """Buttons Back, Next and Reset and a step slider over a Walk drawn as a graph.

    Subclasses set `positions` ({node: (x, y)}) before calling __init__ and implement walk().
    Attributes as an Explorer, and buttons (dict name → Button), artists (the GraphArtists).
    """

    def __init__(self, controls, figsize, node_size=900, fontsize=8):
        self._walks = {}
        self.node_size, self.fontsize = node_size, fontsize
        self.first_walk = self.walk(**{k: c.value for k, c in controls.items()})
        step = widgets.IntSlider(value=0, min=0, max=len(self.first_walk.steps) - 1, description="step")
        self.buttons = {name: widgets.Button(description=name, layout=widgets.Layout(width="70px")).add_class(
            f"nbkit-{name.lower()}") for name in ("Back", "Next", "Reset")}
        self.buttons["Back"].on_click(lambda _: self._move(-1))
        self.buttons["Next"].on_click(lambda _: self._move(+1))
        self.buttons["Reset"].on_click(lambda _: setattr(step, "value", 0))
        super().__init__({"step": step, **controls}, figsize)
        numbers = [c for name, c in self.controls.items() if name != "step"]
        self.widget = widgets.VBox([widgets.HBox([*self.buttons.values(), step]),
                                    widgets.HBox(numbers, layout=widgets.Layout(flex_flow="row wrap")),
                                    self.fig.canvas, self.readout]).add_class("nbkit-explorer").add_class("nbkit-stepper")

    def _move(self, by):
        step = self.controls["step"]
        step.value = int(np.clip(step.value + by, step.min, step.max))

    def walk(self, **values):
        """Return the Walk for these values of the number controls (not the step)."""
        raise NotImplementedError

    def cached_walk(self, **values):
        """Return walk(**values), computed once per setting."""
        key = tuple(sorted(values.items()))
        if key not in self._walks:
            self._walks = {key: self.walk(**values)} if len(self._walks) > 64 else self._walks
            self._walks[key] = self.walk(**values)
        return self._walks[key]

    def build(self):
        self.ax = self.fig.subplots()
        labels = {node: spec.label for node, spec in self.first_walk.nodes.items()}
        self.artists = graph_view(self.ax, self.positions, labels, self.first_walk.edges, self.node_size, self.fontsize)
        self.moving = self.artists.moving

    def compute(self, step, **values):
        """Return (walk, step, values, grads, check rows): the values and gradients known at this step,
        and at the check step its table (None elsewhere, and while parts of it are left for idle time)."""
        started = time.perf_counter()
        walk = self.cached_walk(**values)
        step = min(step, len(walk.steps) - 1)
        values, grads = {}, {}
        for s in walk.steps[:step + 1]:
            values.update(s.values)
            grads.update(s.grads)
        rows = self._check_rows(walk, started) if walk.steps[step].phase == "check" else None
        return walk, step, values, grads, rows

    def _check_rows(self, walk, started):
        """Return the check table, or None if the budget ran out first (the parts done are kept)."""
        for part in walk.check_parts:
            if self.budget is not None and time.perf_counter() - started >= self.budget:
                return None
            part()
        return walk.check()

    def finished(self, state):
        walk, step, _, _, rows = state
        return walk.steps[step].phase != "check" or rows is not None

    def show(self, state):
        walk, step, values, grads, _ = state
        current = walk.steps[step]
        set_graph(self.artists,
                  {n: f"{walk.nodes[n].value} = {num(v)}" for n, v in values.items()},
                  {n: f"{walk.nodes[n].grad} = {num(g)}" for n, g in grads.items()},
                  current.focus, current.edges)
        return False

    def describe(self, state):
        walk, step, _, _, rows = state
        current = walk.steps[step]
        colour = {"forward": "#1f5fa8", "backward": "#c0392b"}.get(current.phase, "#333")
        text = (f"<b>Step {step} of {len(walk.steps) - 1}</b> · <b style='color: {colour}'>{html.escape(current.title)}</b>"
                f" <div>{html.escape(self.numbers())}</div>"  # the space keeps the title's last word apart in the text
                f"<div style='font-family: monospace; white-space: pre-wrap'>{html.escape(current.formula)}</div>")
        if current.phase == "check":
            text += self.check_table(rows) if rows is not None else "<div>central differences: computing…</div>"
        return text

    def numbers(self):
        """Return the learner's numbers as a line of text, e.g. "x = 1.5, y = 0.9, w = 0.5, b = −0.5"."""
        return ", ".join(f"{c.description or name} = {num(c.value)}" for name, c in self.controls.items()
                         if name != "step" and isinstance(c.value, (int, float)))

    def check_table(self, rows):
        """Return the check step's table as HTML: each parameter's gradient three ways, and whether they agree."""
        body = "".join(f"<tr><td>{html.escape(name)}</td><td>{num(c)}</td><td>{num(a)}</td><td>{num(n)}</td>"
                       f"<td>{'yes' if _agree(c, a, n) else '<b>NO</b>'}</td></tr>" for name, c, a, n in rows)
        return ("<table><tr><th>gradient</th><th>collected here</th><th>backward()</th><th>central differences</th>"
                f"<th>agree (relative error &lt; {AGREE:g})</th></tr>{body}</table>")


def _agree(collected, analytic, numeric):
    """Return True when the three gradients agree within AGREE relative error (or are all ≈ 0)."""
    values = np.array([collected, analytic, numeric])
    scale = max(np.max(np.abs(values)), 1e-12)
    return bool(np.ptp(values) / scale < AGREE)
