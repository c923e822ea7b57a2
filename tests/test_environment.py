"""requirements.txt (pip) and environment.yml (conda, Binder) must pin the same packages at the same versions."""

import pathlib
import re

TOP = pathlib.Path(__file__).parent.parent


def pip_pins():
    pins = {}
    for line in (TOP / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-e"):
            name, version = re.fullmatch(r"([A-Za-z0-9_.-]+)==([\w.]+)", line).groups()
            pins[name.lower()] = version
    return pins


def conda_pins():
    text = (TOP / "environment.yml").read_text()
    pins = dict(re.findall(r"^\s+- ([A-Za-z0-9_.-]+)=([\w.]+)\s*$", text, flags=re.M))
    return {k.lower(): v for k, v in pins.items()}, text


def test_every_requirement_is_pinned_exactly():
    for line in (TOP / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        assert not line or line == "-e ." or re.fullmatch(r"[A-Za-z0-9_.-]+==[\w.]+", line), line


def test_the_two_files_agree():
    conda, text = conda_pins()
    python = conda.pop("python")
    assert conda == pip_pins()
    assert python == "3.11"
    assert re.search(r"- pip:\s*\n\s*- -e \.", text), "environment.yml must install nbkit with pip: [-e .]"
