"""Plotting: functions that draw on a given matplotlib `ax` and return the artists they made.

No function here creates a figure or changes global state; the notebook or explorer owns the
figure and passes the axes in. Modules: descent (notebooks 01–02), neuron (notebook 03),
mlp (notebook 04), optimizers (notebook 05).
"""
