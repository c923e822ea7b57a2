"""Slider explorers: widgets and one ipympl figure, built once and updated in place.

Each explorer keeps its sliders (`controls`), figure (`fig`) and artists as attributes, so tests
can move a slider and read back exactly what is drawn. Modules: base (the shared mechanism),
descent1d (notebook 01), descent2d (notebook 02), neuron (notebook 03), mlp (notebook 04),
optimizers (notebook 05), sgd (notebook 06).
"""

from nbkit.explorers.descent1d import Descent1DExplorer
from nbkit.explorers.descent2d import Descent2DExplorer
from nbkit.explorers.mlp import MLPExplorer
from nbkit.explorers.neuron import NeuronExplorer
from nbkit.explorers.optimizers import OptimizerExplorer
from nbkit.explorers.sgd import SGDExplorer

__all__ = ["Descent1DExplorer", "Descent2DExplorer", "NeuronExplorer", "MLPExplorer", "OptimizerExplorer", "SGDExplorer"]
