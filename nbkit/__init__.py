"""nbkit: the tested helpers behind the gradient-descent and backpropagation notebooks.

Compute modules (numpy only): checks, objectives, descent, gradcheck, neuron, mlp, optimizers, momentum.
Views: plotting (matplotlib), explorers (ipywidgets + ipympl), exercises, show.
Importing nbkit changes no global state (no rcParams, no backend).
"""

__version__ = "0.1.0"
