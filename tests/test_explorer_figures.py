"""What a learner reads on each explorer's figure, and that its marks are the ones its words name.

Titles and axis labels are read like the readout, word for word: they use the course's notation
(x_k, X_k, θ_k, ℓ, lr_k). Where a title or a legend names a mark ("grey is gradient descent",
"× before, ● after", "line per update, dots per epoch"), the artist drawn must be that mark.
"""

import matplotlib.colors as mcolors
import pytest

import nbkit.explorers as explorers

#: Each axes of each explorer, left to right: (title, x label, y label, x scale, y scale).
AXES = {
    "Descent1DExplorer": [("f(x) = x² and the steps x_k", "x", "f(x)", "linear", "linear"),
                          ("loss f(x_k), log scale", "step k", "loss", "linear", "log")],
    "Descent2DExplorer": [("f(x, y) = x² + a·y² and the steps X_k", "x", "y", "linear", "linear"),
                          ("loss f(X_k), log scale", "step k", "loss", "linear", "log")],
    "NeuronExplorer": [("MSE over (w, b) and the path θ_k", "w", "b", "linear", "linear"),
                       ("loss MSE(θ_k), log scale", "step k", "loss", "linear", "log"),
                       ("data and ŷ = S(w·x + b)", "x", "y", "linear", "linear")],
    "MLPExplorer": [("loss ℓ", "epoch", "loss", "linear", "log"),
                    ("gradient size per layer", "", "‖∂ℓ/∂W‖ per layer", "linear", "log"),
                    ("ŷ against y: × before, ● after", "target y", "prediction ŷ", "linear", "linear")],
    "OptimizerExplorer": [("x² + a·y²: grey is gradient descent", "x", "y", "linear", "linear"),
                          ("loss f(X_k), log scale", "step k", "loss", "linear", "log")],
    "SGDExplorer": [("MSE over (w, b), path θ_k", "w", "b", "linear", "linear"),
                    ("loss ℓ(θ_k) on all n samples:\nline per update, dots per epoch", "update k", "loss", "linear",
                     "log"),
                    ("the rate of each update", "update k", "lr_k", "linear", "log")],
}

#: Figure sizes in inches (100 CSS pixels an inch): at most 9.5 wide, the notebook column's width in
#: JupyterLab, and at most 4 high, so that the sliders, the figure and the readout fit on one screen.
FIGSIZES = {"Descent1DExplorer": (9, 3.4), "Descent2DExplorer": (9, 4), "NeuronExplorer": (9.5, 3.4),
            "MLPExplorer": (9.5, 3.2), "OptimizerExplorer": (9, 4), "SGDExplorer": (9.5, 3.4)}

#: The fixed ranges of each axes, left to right, as (x range, y range); None where the range follows a
#: slider (a loss axis's steps) or the data (the MLP's layers). A start slider's range (±10, ±6) lies
#: inside its landscape's; a loss axis reaches from below the smallest loss a run shows (1e-30 for
#: the bowls, as nbkit.plotting.descent.LOSS_FLOOR) to above the largest loss of a diverged run.
LIMITS = {
    "Descent1DExplorer": [((-12, 12), (-5, 150)), (None, (1e-31, 1e10))],
    "Descent2DExplorer": [((-12, 12), (-12, 12)), (None, (1e-31, 1e12))],
    "NeuronExplorer": [((-6, 8), (-6, 6)), (None, (1e-4, 2)), ((-3.5, 3.5), (-0.05, 1.05))],
    "MLPExplorer": [(None, (1e-4, 1)), (None, (1e-5, 1)), ((0, 1), (0, 1))],
    "OptimizerExplorer": [((-12, 12), (-12, 12)), (None, (1e-20, 1e11))],
    "SGDExplorer": [((-6, 8), (-6, 6)), (None, (1e-3, 1)), (None, (1e-4, 30))],
}

#: Legends, as (axes index, entries).
LEGENDS = {
    "NeuronExplorer": (2, ["data (xᵢ, yᵢ)", "start θ_0", "after the last step"]),
    "MLPExplorer": (1, ["at init", "after training"]),
    "OptimizerExplorer": (1, ["gradient descent", "momentum", "Adam"]),
}


def test_every_explorer_is_in_the_table():
    assert sorted(AXES) == sorted(explorers.__all__)


@pytest.mark.parametrize("cls", sorted(AXES))
def test_titles_labels_scales_and_legends_read_as_the_lesson_writes_them(cls):
    explorer = getattr(explorers, cls)()
    seen = [(ax.get_title(), ax.get_xlabel(), ax.get_ylabel(), ax.get_xscale(), ax.get_yscale())
            for ax in explorer.fig.axes]
    assert seen == AXES[cls]
    assert tuple(explorer.fig.get_size_inches()) == FIGSIZES[cls]
    for ax, (xlim, ylim) in zip(explorer.fig.axes, LIMITS[cls], strict=True):
        assert xlim is None or ax.get_xlim() == pytest.approx(xlim, rel=1e-12)
        assert ylim is None or ax.get_ylim() == pytest.approx(ylim, rel=1e-12)
    # the panels side by side, left to right in the order of AXES
    panels = len(AXES[cls])
    assert [ax.get_subplotspec().get_geometry() for ax in explorer.fig.axes] == [(1, panels, i, i) for i in range(panels)]
    legends = {i: [text.get_text() for text in ax.get_legend().get_texts()]
               for i, ax in enumerate(explorer.fig.axes) if ax.get_legend() is not None}
    assert legends == (dict([LEGENDS[cls]]) if cls in LEGENDS else {})


def test_the_optimizer_explorers_colours_are_the_ones_its_words_name():
    explorer = explorers.OptimizerExplorer()
    colours = {name: mcolors.to_hex(line.get_color()) for name, line in explorer.paths.items()}
    assert colours == {name: mcolors.to_hex(line.get_color()) for name, line in explorer.losses.items()}
    handles = explorer.ax_loss.get_legend().legend_handles
    assert [mcolors.to_hex(handle.get_color()) for handle in handles] == list(colours.values())
    red, green, blue = mcolors.to_rgb(colours["gradient descent"])
    assert red == green == blue and 0.3 < red < 0.8  # grey, as the title and the readout say
    assert len(set(colours.values())) == 3
    assert all(line.get_marker() == "o" and line.get_linestyle() == "-" for line in explorer.paths.values())
    assert explorer.readout.value.count("(grey)") == 1


def test_the_mlp_explorer_marks_before_with_x_and_after_with_dots():
    explorer = explorers.MLPExplorer(epochs=10)
    assert {line.get_marker() for line in explorer.before} == {"x"}
    assert {line.get_marker() for line in explorer.after} == {"o"}
    assert {line.get_linestyle() for line in explorer.before + explorer.after} == {"None"}
    # each output keeps its colour before and after
    assert [line.get_color() for line in explorer.before] == [line.get_color() for line in explorer.after]
    # each layer's two bars side by side over its tick, touching; the floor markers drawn over the axis line
    ticks = {label.get_text(): x for x, label in zip(explorer.ax_grad.get_xticks(), explorer.ax_grad.get_xticklabels())}
    for layer, (init, end) in enumerate(zip(explorer.bars_init, explorer.bars_end), 1):
        x = ticks[f"L{layer}"]
        assert (init.get_x(), init.get_width(), end.get_x(), end.get_width()) == pytest.approx((x - 0.4, 0.4, x, 0.4))
    assert [marker.get_clip_on() for marker in explorer.floors] == [False, False]
    # the legend's two colours are the two sets of bars', and they differ
    init, end = (mcolors.to_hex(handle.get_facecolor()) for handle in explorer.ax_grad.get_legend().legend_handles)
    assert {mcolors.to_hex(bar.get_facecolor()) for bar in explorer.bars_init} == {init}
    assert {mcolors.to_hex(bar.get_facecolor()) for bar in explorer.bars_end} == {end} != {init}


def test_the_sgd_explorer_draws_a_line_per_update_and_dots_per_epoch():
    explorer = explorers.SGDExplorer()
    assert explorer.update_line.get_linestyle() == "-" and explorer.update_line.get_marker() in ("None", "", None)
    assert explorer.epoch_dots.get_linestyle() == "None" and explorer.epoch_dots.get_marker() == "o"
    assert [ax.title.get_fontsize() for ax in explorer.fig.axes] == [9, 9, 9]  # three panels in a narrow figure
