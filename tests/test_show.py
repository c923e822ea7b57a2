from unittest import mock

from matplotlib.figure import Figure

from nbkit import show
from nbkit.descent import gradient_descent


def test_source_displays_the_real_code_highlighted():
    with mock.patch("nbkit.show.display") as display:
        show.source(gradient_descent)
    code = display.call_args.args[0]
    assert "def gradient_descent(" in code.data
    assert "<span" in code._repr_html_()  # syntax highlighted


def test_png_displays_an_image():
    fig = Figure(figsize=(2, 1))
    fig.subplots().plot([0, 1], [1, 0])
    with mock.patch("nbkit.show.display") as display:
        show.png(fig)
    image = display.call_args.args[0]
    assert image.format == "png" and image.data.startswith(b"\x89PNG")
