"""Step through the 3-3-3-3 network on one sample: forward layer by layer, then δ neuron by neuron
from the loss back, then the weight gradients δ·a_prev (notebook 04)."""

import ipywidgets as widgets

from nbkit import mlp
from nbkit.plotting.graph import layered_positions
from nbkit.steppers.base import Stepper
from nbkit.walkthrough import mlp_walk


class MLPStepper(Stepper):
    """The network mlp.init_params(seed) on sample `sample` of mlp.make_task(), steps by node or by layer."""

    def __init__(self, sample=0, seed=0, by="node", sizes=mlp.SIZES):
        self.sizes = sizes
        self.X, self.Y = mlp.make_task()
        layers = [[f"x{j}" for j in range(1, sizes[0] + 1)]]
        layers += [[f"L{l}{j}" for j in range(1, n + 1)] for l, n in enumerate(sizes[1:], 1)]
        self.positions = layered_positions(layers + [["loss"]], height=2.4)
        controls = {
            "by": widgets.ToggleButtons(options=[("a node at a time", "node"), ("a layer at a time", "layer")],
                                        value=by, description="steps", style={"description_width": "initial",
                                                                              "button_width": "130px"}),
            "sample": widgets.IntSlider(value=sample, min=0, max=len(self.X) - 1, description="sample"),
            "seed": widgets.IntSlider(value=seed, min=0, max=20, description="init seed"),
        }
        controls["by"].observe(self._keep_place, names="value")
        super().__init__(controls, figsize=(9.5, 4.4), node_size=700, fontsize=7.5)

    def walk(self, by, sample, seed):
        return mlp_walk(mlp.init_params(self.sizes, seed=seed), self.X[sample], self.Y[sample], by)

    def _keep_place(self, change):
        """Keep the place in the walk when the step size changes: the first new step about the same node."""
        if "step" not in self.controls:
            return
        step = self.controls["step"]
        values = {k: c.value for k, c in self.controls.items() if k != "step"}
        old = self.cached_walk(**{**values, "by": change["old"]}).steps[step.value]
        new = self.cached_walk(**values).steps
        place = next((k for k, s in enumerate(new) if s.phase == old.phase and set(old.focus) & set(s.focus)
                      and s.title.split(":")[0] == old.title.split(":")[0]), None)
        if place is None:
            place = round(step.value * (len(new) - 1) / max(step.max, 1))
        step.max = len(new) - 1
        step.value = place
