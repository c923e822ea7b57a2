"""Every explorer's controls: the lesson's defaults and ranges, and the constructor's checks at their ends.

A learner sets an explorer with its sliders, a teacher with its keyword arguments: both must reach
exactly the same values. So each slider's range is the one the lesson states (CONTROLS), every value
a slider can reach is accepted by the constructor as given, and the smallest step beyond an end is
refused with an error that names the parameter and that slider's range.
"""

import math

import pytest

import nbkit.explorers as explorers

#: name → (widget kind, default, lowest, highest, step, label, readout format); a log slider's ends in lr's
#: own units. Choices: name → ("choice", default, options, label).
CONTROLS = {
    "Descent1DExplorer": {
        "lr": ("FloatLogSlider", 0.1, 1e-3, 1.5, 0.01, "lr", ".3g"),
        "x0": ("FloatSlider", 8.0, -10, 10, 0.1, "x0", ".2f"),
        "steps": ("IntSlider", 30, 1, 200, 1, "steps", "d"),
    },
    "Descent2DExplorer": {
        "lr": ("FloatLogSlider", 0.085, 1e-3, 1.5, 0.01, "lr", ".3g"),
        "x0": ("FloatSlider", -9.0, -10, 10, 0.1, "x0", ".2f"),
        "y0": ("FloatSlider", 6.0, -10, 10, 0.1, "y0", ".2f"),
        "a": ("FloatSlider", 10.0, 1, 20, 0.5, "a", ".2f"),
        "steps": ("IntSlider", 60, 1, 200, 1, "steps", "d"),
    },
    "NeuronExplorer": {
        "lr": ("FloatLogSlider", 1.0, 0.01, 1000, 0.05, "lr", ".3g"),
        "w0": ("FloatSlider", -4.0, -6, 6, 0.1, "w0", ".2f"),
        "b0": ("FloatSlider", 4.0, -6, 6, 0.1, "b0", ".2f"),
        "steps": ("IntSlider", 100, 1, 300, 1, "steps", "d"),
    },
    "MLPExplorer": {
        "lr": ("FloatLogSlider", 30.0, 0.1, 100, 0.05, "lr", ".3g"),
        "scale": ("FloatSlider", 1.0, 0.1, 3.0, 0.1, "init scale", ".2f"),
        "seed": ("IntSlider", 0, 0, 20, 1, "init seed", "d"),
        "epochs": ("IntSlider", 100, 10, 1000, 10, "epochs", "d"),
    },
    "OptimizerExplorer": {
        "lr": ("FloatLogSlider", 0.045, 1e-3, 1.5, 0.01, "lr", ".3g"),
        "beta": ("FloatSlider", 0.6, 0, 0.99, 0.01, "β", ".2f"),
        "beta1": ("FloatSlider", 0.9, 0, 0.99, 0.01, "β₁", ".2f"),
        "beta2": ("FloatSlider", 0.999, 0.9, 0.9999, 0.0001, "β₂", ".4f"),
        "x0": ("FloatSlider", -9.0, -10, 10, 0.1, "x0", ".2f"),
        "y0": ("FloatSlider", 6.0, -10, 10, 0.1, "y0", ".2f"),
        "a": ("FloatSlider", 20.0, 1, 100, 1, "a", ".2f"),
        "steps": ("IntSlider", 100, 1, 300, 1, "steps", "d"),
        "method": ("choice", "both", ("momentum", "Adam", "both"), "method"),
    },
    "SGDExplorer": {
        "lr": ("FloatLogSlider", 1.0, 0.01, 30, 0.05, "lr", ".3g"),
        "batch_size": ("IntSlider", 10, 1, 100, 1, "B", "d"),
        "schedule": ("choice", "constant", ("constant", "step", "1/t", "cosine"), "schedule"),
        "seed": ("IntSlider", 0, 0, 9, 1, "seed", "d"),
        "w0": ("FloatSlider", -4.0, -6, 6, 0.1, "w0", ".2f"),
        "b0": ("FloatSlider", 4.0, -6, 6, 0.1, "b0", ".2f"),
        "epochs": ("IntSlider", 10, 1, 40, 1, "epochs", "d"),
    },
}

NUMERIC = [(cls, name) for cls, controls in CONTROLS.items() for name, spec in controls.items() if spec[0] != "choice"]
CHOICES = [(cls, name) for cls, controls in CONTROLS.items() for name, spec in controls.items() if spec[0] == "choice"]


def _seen(widget):
    """Return what the learner sees of a control, in CONTROLS' form."""
    kind = type(widget).__name__
    if kind in ("SelectionSlider", "Dropdown"):
        return ("choice", widget.value, tuple(widget.options), widget.description)
    if kind == "FloatLogSlider":
        assert widget.base == 10
        lo, hi = widget.base ** widget.min, widget.base ** widget.max
    else:
        lo, hi = widget.min, widget.max
    return (kind, widget.value, lo, hi, widget.step, widget.description, widget.readout_format)


def test_every_explorer_is_in_the_table():
    assert sorted(explorers.__all__) == sorted(CONTROLS)


@pytest.mark.parametrize("cls", sorted(CONTROLS))
def test_the_controls_have_the_lessons_defaults_ranges_steps_and_labels(cls):
    explorer = getattr(explorers, cls)()
    seen = {name: _seen(widget) for name, widget in explorer.controls.items()}
    assert list(seen) == list(CONTROLS[cls])
    for name, spec in CONTROLS[cls].items():
        if spec[0] == "FloatLogSlider":  # the ends are 10 to the power of the slider's own ends
            assert seen[name][2:4] == pytest.approx(spec[2:4], rel=1e-12), name
            seen[name] = (*seen[name][:2], *spec[2:4], *seen[name][4:])
        assert seen[name] == spec, name


@pytest.mark.parametrize("end", ["lowest", "highest"])
@pytest.mark.parametrize("cls", sorted(CONTROLS))
def test_every_control_at_an_end_is_taken_as_given(cls, end):
    # All at once: the corner of the settings, as a learner may drag every slider to one side.
    values = {name: spec[2 if end == "lowest" else 3] if spec[0] != "choice" else spec[2][0 if end == "lowest" else -1]
              for name, spec in CONTROLS[cls].items()}
    explorer = getattr(explorers, cls)(**values)
    for name, widget in explorer.controls.items():  # a log slider's value is 10 to the power of its position
        assert widget.value == (values[name] if isinstance(values[name], str) else pytest.approx(values[name], rel=1e-12))
    assert explorer.readout.value  # the run at that corner was computed and described


def _beyond(spec, end):
    """Return the nearest value a slider cannot reach beyond its lowest or highest end."""
    lo, hi = spec[2], spec[3]
    if spec[0] == "IntSlider":
        return lo - 1 if end == "lowest" else hi + 1
    return math.nextafter(lo, -math.inf) if end == "lowest" else math.nextafter(hi, math.inf)


@pytest.mark.parametrize("end", ["lowest", "highest"])
@pytest.mark.parametrize("cls, name", NUMERIC, ids=[f"{c}.{n}" for c, n in NUMERIC])
def test_a_value_just_beyond_a_sliders_end_is_refused_naming_it_and_its_range(cls, name, end):
    spec = CONTROLS[cls][name]
    value = _beyond(spec, end)
    kind = "an integer" if spec[0] == "IntSlider" else "a number"
    with pytest.raises(ValueError) as refused:
        getattr(explorers, cls)(**{name: value})
    assert str(refused.value) == (f"{name} must be {kind} in the {name} slider's range {spec[2]:g} … {spec[3]:g}; "
                                  f"got {value!r}")


@pytest.mark.parametrize("cls, name", [(c, n) for c, n in NUMERIC if CONTROLS[c][n][0] == "IntSlider"],
                         ids=lambda value: value if isinstance(value, str) else None)
def test_a_fraction_for_a_whole_number_slider_is_refused(cls, name):
    spec = CONTROLS[cls][name]
    with pytest.raises(TypeError) as refused:
        getattr(explorers, cls)(**{name: spec[2] + 0.5})
    assert str(refused.value) == (f"{name} must be an integer in the {name} slider's range {spec[2]:g} … {spec[3]:g}; "
                                  f"got {spec[2] + 0.5!r} of type float")


@pytest.mark.parametrize("cls, name", CHOICES, ids=[f"{c}.{n}" for c, n in CHOICES])
def test_an_unknown_choice_is_refused_naming_the_choices(cls, name):
    options = CONTROLS[cls][name][2]
    with pytest.raises(ValueError) as refused:
        getattr(explorers, cls)(**{name: options[0].upper() + "!"})
    assert str(refused.value) == (f"{name} must be one of {', '.join(map(repr, options))}; "
                                  f"got {options[0].upper() + '!'!r}")
