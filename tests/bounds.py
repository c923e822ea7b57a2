"""Error bounds for the central-difference checks of the networks in the tests, from the error analysis.

gradcheck.error_bound adds the truncation h²·M₃/6, the round-off of the loss divided by h and the
rounding of θ ± h, with a margin; THIRD is the M₃ these networks need. A check within such a bound
passes on every CPU (numpy's SIMD kernels change only the round-off part), where a fixed relative
tolerance such as 1e-7 can sit within a factor of 2 of what a correct gradient shows.
"""

from nbkit import gradcheck, mlp

#: A bound on |∂³ℓ/∂θᵢ³| along any one parameter of the tests' networks, for gradcheck.error_bound: ℓ is
#: a mean of squared differences of numbers in (0, 1), built from inputs in [−1, 1], weights of order
#: 1 and sigmoids whose first three derivatives are at most 1/4, 0.097 and 1/8 in size (a ReLU's are
#: 1, 0 and 0 away from its kink), so each derivative along one parameter is a sum of products of
#: numbers of order 1 or less. (A 5-point stencil finds at most 0.042 over the networks of test_mlp.)
THIRD = 1.0


def layer_bounds(params, X, Y, l, checks, h=mlp.CHECK_STEP, activation="sigmoid"):
    """Return, for each GradCheck of mlp.check_layer(params, X, Y, l) (W_l, then b_l), its error bound (array of its shape)."""
    size = gradcheck.mse_round_off(mlp.forward(params, X, activation).y_hat, Y)
    return [gradcheck.error_bound(h, size, THIRD, theta, check.numeric) for check, theta in zip(checks, params[l])]


def layer_within_bounds(params, X, Y, l, checks, activation="sigmoid"):
    """Return True if every gradient of these checks of layer index l is within its error bound."""
    return all(check.within(bound) for check, bound in zip(checks, layer_bounds(params, X, Y, l, checks,
                                                                                 activation=activation)))
