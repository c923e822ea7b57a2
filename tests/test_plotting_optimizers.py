import numpy as np
from matplotlib.figure import Figure

from nbkit import momentum
from nbkit.plotting.optimizers import factor_map, mark_pair


def test_factor_map_draws_the_given_factors_and_the_boundary_where_they_reach_one():
    a = 10.0
    lrs, betas = np.geomspace(1e-3, 0.3, 60), np.linspace(0, 0.95, 40)
    LR, BETA = np.meshgrid(lrs, betas)
    factors = momentum.momentum_factor(LR, BETA, a)
    ax = Figure().subplots()
    mesh, boundary = factor_map(ax, lrs, betas, factors)
    np.testing.assert_array_equal(np.asarray(mesh.get_array()).reshape(factors.shape), factors)
    assert mesh.get_clim() == (0, 1) and ax.get_xscale() == "log"
    # The boundary line lies on lr = (1 + β)/a, within one grid step of lr (a factor 1.1 here).
    xy = np.concatenate([path.vertices for path in boundary.get_paths()])
    assert len(xy) > 10
    np.testing.assert_allclose(xy[:, 0], (1 + xy[:, 1]) / a, rtol=0.1)


def test_mark_pair_puts_one_point_at_the_pair():
    ax = Figure().subplots()
    point = mark_pair(ax, 0.11, 0.27, "best pair")
    np.testing.assert_array_equal(point.get_xydata(), [[0.11, 0.27]])
    assert point.get_label() == "best pair"
