"""The package as `pip install` puts it: a built wheel in a fresh virtual environment, outside the checkout."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from ..helpers import REPO, SAMPLE


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(folder), str(REPO)],
        check=True, capture_output=True,
    )
    return next(folder.glob("audiobook-*.whl"))


def test_wheel_carries_the_default_cast_and_lexicon(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    assert "audiobook/casting/defaults/default.toml" in names
    assert "audiobook/casting/defaults/lexicon.toml" in names
    # Every stage's subpackage is in the wheel, and nothing of the checkout's tests or output.
    for stage in ("source", "extract", "script", "casting", "speech", "audio", "publish"):
        assert f"audiobook/{stage}/__init__.py" in names
    assert not any(name.startswith(("tests/", "output/")) for name in names)


def test_installed_wheel_renders_the_sample_outside_the_checkout(wheel: Path, tmp_path: Path):
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    # Dependencies come from the registry (pip's cache makes a second run quick); the tool itself from the wheel.
    subprocess.run([python, "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    article = workdir / "article.txt"
    article.write_bytes(SAMPLE.read_bytes())
    where = subprocess.run(
        [python, "-c", "import audiobook; print(audiobook.__file__)"], cwd=workdir, capture_output=True, text=True,
        check=True,
    ).stdout.strip()
    assert "site-packages" in where and not where.startswith(str(REPO))

    audiobook = environment / "bin" / "audiobook"
    voices = subprocess.run([audiobook, "voices"], cwd=workdir, capture_output=True, text=True)
    assert voices.returncode == 0, voices.stderr
    assert "narrator" in voices.stdout

    script = subprocess.run([audiobook, "script", "article.txt", "--json"], cwd=workdir, capture_output=True, text=True)
    assert script.returncode == 0, script.stderr
    assert json.loads(script.stdout)["title"] == "Nagorny Karabakh’s Uncertain Future"

    # The installed analyst stays warm after the render, as a user's would, for a few seconds only.
    env = {"AUDIOBOOK_CACHE": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "AUDIOBOOK_ANALYST_IDLE": "5"}
    render = subprocess.run(
        [audiobook, "render", "article.txt", "-o", "episode.mp3", "--quiet"], cwd=workdir, capture_output=True,
        text=True, env=env,
    )
    assert render.returncode == 0, render.stderr
    mp3 = workdir / "episode.mp3"
    assert mp3.stat().st_size > 1_000_000  # about nine minutes at 64 kbps
    assert (workdir / "episode.vtt").read_text().startswith("WEBVTT")
