import numpy as np
import pytest
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


def test_the_factor_map_colours_0_to_1_greys_divergence_and_labels_its_axes():
    from matplotlib.colors import to_rgba
    ax = Figure().subplots()
    lrs, betas = np.geomspace(0.01, 1, 4), np.array([0.0, 0.5, 0.9])
    factors = np.array([[0.2, 0.5, 0.9, 1.2]] * 3)
    mesh, boundary = factor_map(ax, lrs, betas, factors)
    assert mesh.get_clim() == (0, 1) and mesh.get_cmap().name.startswith("viridis")
    assert mesh.get_cmap().get_over() == pytest.approx(to_rgba("#d0d0d0"))  # a diverging factor ≥ 1: grey
    np.testing.assert_array_equal(np.asarray(mesh.get_array()).reshape(3, 4), factors)
    assert list(boundary.levels) == [1.0] and tuple(boundary.get_edgecolor()[0]) == to_rgba("k")
    assert boundary.get_linewidth()[0] == 1.2
    assert (ax.get_xscale(), ax.get_xlabel(), ax.get_ylabel()) == ("log", "lr", "β")
    other = factor_map(Figure().subplots(), lrs, betas, factors, cmap="magma")[0]
    assert other.get_cmap().name.startswith("magma")
    point = mark_pair(ax, 0.1, 0.9, "momentum")
    assert (point.get_marker(), point.get_markersize(), to_rgba(point.get_color())) == ("*", 12, to_rgba("#d62728"))
    assert (to_rgba(point.get_markeredgecolor()), point.get_linestyle(), point.get_label()) == (to_rgba("white"), "None", "momentum")
    assert point.get_xydata().tolist() == [[0.1, 0.9]]
