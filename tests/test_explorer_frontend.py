"""What an explorer hands JupyterLab before it is displayed must be loadable there.

ipympl keeps the last image as `_data_url` until a front end connects; one stored without the
`data:` prefix makes JupyterLab fail to draw it and the figure stays blank (tests/browser sees it).
"""

import pytest

from nbkit import explorers


@pytest.mark.parametrize("name", explorers.__all__)
def test_no_unloadable_image_is_stored_before_display(name):
    explorer = getattr(explorers, name)()
    url = explorer.fig.canvas._data_url
    assert url is None or url.startswith("data:image/png;base64,"), f"{name}: _data_url starts {url[:20]!r}"
