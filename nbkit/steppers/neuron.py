"""Step through one neuron, ŷ = S(w·x + b) with loss ℓ = (ŷ − y)², one node at a time (notebook 03)."""

import ipywidgets as widgets

from nbkit.steppers.base import Stepper
from nbkit.walkthrough import neuron_walk


class NeuronStepper(Stepper):
    """The graph x, w → × → + b → z → S → ŷ → (ŷ − y)² → ℓ, with sliders for x, y, w and b."""

    def __init__(self, x=1.5, y=0.9, w=0.5, b=-0.5):
        self.positions = {"x": (0.0, 0.8), "w": (0.0, -0.8), "wx": (1.2, 0.0), "b": (1.2, -1.3),
                          "z": (2.4, 0.0), "y_hat": (3.6, 0.0), "y": (3.6, 1.3), "loss": (4.8, 0.0)}
        controls = {name: widgets.FloatSlider(value=value, min=lo, max=hi, step=step, description=name,
                                              layout=widgets.Layout(width="230px"), style={"description_width": "20px"})
                    for name, value, lo, hi, step in (("x", x, -3, 3, 0.1), ("y", y, 0, 1, 0.05),
                                                      ("w", w, -3, 3, 0.1), ("b", b, -3, 3, 0.1))}
        super().__init__(controls, figsize=(9, 3.3), node_size=1100, fontsize=9)

    def walk(self, x, y, w, b):
        return neuron_walk(x, y, w, b)
