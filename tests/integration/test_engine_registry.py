"""Engines are found through the `audiobook.engines` entry points, built-in and third-party alike."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.api import Options, prepare, render
from audiobook.errors import EngineError
from audiobook.model import Voice
from audiobook.speech.analysis import median_f0, samples
from audiobook.speech import engines
from audiobook.speech.engines import engine_names, load_engine
from audiobook.quality.measures import parse_vtt

from ..helpers import SHORT


def test_built_in_engines_are_registered_like_any_other():
    assert {"espeak", "pyttsx3", "piper", "fake"} <= set(engine_names())


def test_a_third_party_engine_is_found_by_its_entry_point(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # An installed distribution is a .dist-info folder on sys.path; this one offers a 'hum' engine.
    (tmp_path / "hum_engine.py").write_text(
        "from audiobook.speech.engines.fake import FakeEngine\n"
        "class HumEngine(FakeEngine):\n    name = 'hum'\n    version = 'hum 0.1'\n"
    )
    info = tmp_path / "hum_engine-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: hum-engine\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[audiobook.engines]\nhum = hum_engine:HumEngine\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    # Installed packages are looked through once per process: this one was "installed" after that.
    engines._registered.cache_clear()
    try:
        assert "hum" in engine_names()
        assert load_engine("hum").version == "hum 0.1"
    finally:
        engines._registered.cache_clear()  # looked through again without it


def test_an_unknown_engine_names_the_known_ones():
    with pytest.raises(EngineError, match="unknown speech engine 'nope'.*espeak"):
        load_engine("nope")


def test_fake_engine_speaks_at_the_voices_rate_and_pitch():
    engine = load_engine("fake")
    low = engine.synthesize("one two three four five six", Voice(id="low", engine="fake", name="hum", rate=120, pitch=10))
    high = engine.synthesize("one two three four five six", Voice(id="high", engine="fake", name="hum", rate=240, pitch=90))
    assert low.duration == pytest.approx(3.0, abs=0.01) and high.duration == pytest.approx(1.5, abs=0.01)
    assert median_f0(samples(high.pcm), high.sample_rate) > 2 * median_f0(samples(low.pcm), low.sample_rate)


def test_whole_pipeline_runs_on_the_fake_engine(fake_cast: Path, tmp_path: Path):
    options = Options(cast_path=fake_cast, cache_dir=tmp_path / "cache")
    episode = render(str(SHORT), tmp_path / "short.mp3", options)
    spoken = [segment for segment in prepare(str(SHORT), options).script.segments if segment.spoken]
    cues = parse_vtt(episode.vtt.read_text())
    assert len(cues) == len(spoken)
    assert all(later.start >= earlier.end for earlier, later in zip(cues, cues[1:]))
    assert episode.duration > sum(len(segment.text.split()) for segment in spoken) * 60 / 200
