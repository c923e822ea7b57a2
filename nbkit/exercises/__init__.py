"""Exercise checkers: each takes the learner's answer and returns Feedback, right or wrong.

A checker never prints the solution. A wrong answer gets a hint computed from the answer given
(what that answer does), so the learner can reason towards the right one.

Modules: feedback (the Feedback object and safe calls), descent (notebooks 01 and 02),
neuron (notebook 03), mlp (notebook 04),
optimizers (notebook 05).
"""

from nbkit.exercises.feedback import Feedback

__all__ = ["Feedback"]
