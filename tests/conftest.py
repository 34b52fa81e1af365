"""Shared fixtures: every test gets its own clip cache, and renders happen once per session where they can."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import SAMPLE, SHORT

# Folders whose tests run the real engine, encoder, browser or CLI processes: `pytest -m "not slow"` leaves them out.
SLOW_FOLDERS = {"integration", "web"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.parent.name in SLOW_FOLDERS:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def analyst_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each run's analyst ends with it, so no test leaves a warm one behind (tests/integration/test_warm_analyst.py
    tests those, each in its own temporary folder)."""
    monkeypatch.setenv("AUDIOBOOK_ANALYST_IDLE", "0")


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the clip cache at a fresh folder so no test sees another's clips."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("AUDIOBOOK_CACHE", str(folder))
    return folder


@pytest.fixture(scope="session")
def rendered_short(tmp_path_factory: pytest.TempPathFactory):
    """The short wire story rendered once with the real engine and encoder."""
    from audiobook.speech.cache import ClipCache
    from audiobook.api import Options, render

    folder = tmp_path_factory.mktemp("short")
    episode = render(str(SHORT), folder / "short.mp3", Options(cache_dir=folder / "cache"))
    return episode, ClipCache(folder / "cache")


@pytest.fixture(scope="session")
def rendered_sample(tmp_path_factory: pytest.TempPathFactory):
    from audiobook.api import Options, render

    folder = tmp_path_factory.mktemp("sample")
    return render(str(SAMPLE), folder / "sample.mp3", Options(cache_dir=folder / "cache"))


@pytest.fixture
def fake_cast(tmp_path: Path) -> Path:
    """The default cast with every voice on the fake engine: the whole pipeline, no speech library."""
    from audiobook.casting.profile import default_cast_path

    cast = tmp_path / "fake-cast.toml"
    cast.write_text(default_cast_path().read_text().replace('engine = "espeak"', 'engine = "fake"'))
    return cast
