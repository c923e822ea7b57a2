"""Steppers: the backward pass step by step on a drawn graph, every number from nbkit's own passes.

Modules: base (the Back/Next/Reset mechanism on an explorer), neuron (notebook 03), mlp (notebook 04).
The walks they show are built by nbkit.walkthrough.
"""

from nbkit.steppers.mlp import MLPStepper
from nbkit.steppers.neuron import NeuronStepper

__all__ = ["NeuronStepper", "MLPStepper"]
