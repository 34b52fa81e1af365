"""The fast paths: audiobook's own loudness gating and limiter windows against the references they
replace, and the clip cache read once per render."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly

from audiobook.speech import analysis
from audiobook.speech.cache import ClipCache


def _speechlike(length: int, seed: int) -> np.ndarray:
    """Noise under a slow envelope with pauses: blocks both above and below the gates."""
    rng = np.random.default_rng(seed)
    envelope = np.clip(np.sin(np.arange(length) / 3000.0), 0.0, None) ** 2
    return 0.3 * rng.standard_normal(length) * envelope


@pytest.mark.parametrize(("length", "rate"), [(9000, 22050), (22050, 22050), (100_000, 44100),
                                              (300_000, 48000), (22050 * 30, 22050)])
def test_loudness_and_true_peak_match_pyloudnorm_and_resample_poly(length: int, rate: int):
    signal = _speechlike(length, seed=length)
    assert analysis.loudness_lufs(signal, rate) == pytest.approx(
        pyloudnorm.Meter(rate).integrated_loudness(signal), abs=1e-9)
    exact = np.maximum(np.abs(resample_poly(signal, 4, 1)).reshape(-1, 4).max(axis=1), np.abs(signal))
    assert np.allclose(analysis._true_peaks(signal), exact, rtol=1e-5, atol=1e-7)  # single precision
    assert analysis.true_peak_dbtp(signal, rate) == pytest.approx(
        20 * np.log10(np.abs(resample_poly(signal, 4, 1)).max()), abs=1e-4)


def test_silence_and_short_signals_measure_as_before():
    assert analysis.loudness_lufs(np.zeros(30000), 22050) == float("-inf")
    assert analysis.loudness_lufs(np.ones(100), 22050) == float("-inf")
    assert analysis.true_peak_dbtp(np.zeros(0), 22050) == -120.0


@pytest.mark.parametrize("width", [3, 9, 221])
def test_the_limiters_sliding_windows_match_scipy(width: int):
    values = np.random.default_rng(width).random(5000)
    assert np.array_equal(analysis._sliding_min(values, width), minimum_filter1d(values, width))
    assert np.allclose(analysis._sliding_mean(values, width), uniform_filter1d(values, width), atol=1e-12)


def test_levelled_clips_meet_their_loudness_and_true_peak_by_the_reference_meters():
    rate = 22050
    pcm = analysis._pcm(_speechlike(rate * 4, seed=7) * 3)  # loud enough that the limiter works
    levelled = analysis.samples(analysis.level(pcm, rate, -14.7, -2.0))
    assert pyloudnorm.Meter(rate).integrated_loudness(levelled) == pytest.approx(-14.7, abs=0.5)
    assert 20 * np.log10(np.abs(resample_poly(levelled, 4, 1)).max()) <= -2.0 + 0.01  # 16-bit rounding


# --- the clip cache: one read per clip, and pruning that spares what a live render reads ---

_READER = """
import sys, time
from pathlib import Path
from audiobook.speech.cache import ClipCache
folder, key, signal = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
cache = ClipCache(folder)
with cache.in_use():
    path = cache.get(key)
    signal.write_text("found")
    while not (signal.parent / "go").exists():
        time.sleep(0.02)
    print(len(path.read_bytes()))
"""


def _old_entries(folder: Path, count: int) -> tuple[ClipCache, list[str]]:
    """A cache of ``count`` clips, each last used an hour ago."""
    cache = ClipCache(folder).open()
    keys = [f"{number:02d}" + "a" * 62 for number in range(count)]
    for key in keys:
        path = cache.put(key, bytes(2000), 22050)
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    return cache, keys


def _prune_in_another_process(folder: Path) -> int:
    code = f"from pathlib import Path\nfrom audiobook.speech.cache import ClipCache\nprint(ClipCache(Path({str(folder)!r}), limit_bytes=0).prune())"
    return int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


def test_prune_in_one_process_spares_the_clip_a_render_in_another_is_reading(tmp_path: Path):
    cache, (used, unused) = _old_entries(tmp_path / "cache", 2)
    reader = subprocess.Popen([sys.executable, "-c", _READER, str(tmp_path / "cache"), used, str(tmp_path / "found")],
                              stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "found").exists():
            assert reader.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        assert _prune_in_another_process(tmp_path / "cache") == 1  # the unused clip, though both are over the limit
        assert cache.get(unused) is None
        (tmp_path / "go").touch()
        assert int(reader.communicate(timeout=30)[0]) > 2000  # the reader still read its whole clip
    finally:
        reader.kill()
    assert reader.returncode == 0
    assert _prune_in_another_process(tmp_path / "cache") == 1  # its render over, the clip may go
    assert cache.get(used) is None


def test_a_killed_renders_lease_does_not_keep_the_cache_from_being_pruned(tmp_path: Path):
    _old_entries(tmp_path / "cache", 3)
    reader = subprocess.Popen([sys.executable, "-c", _READER, str(tmp_path / "cache"), "00" + "a" * 62, str(tmp_path / "found")])
    deadline = time.monotonic() + 30
    while not (tmp_path / "found").exists():
        assert time.monotonic() < deadline
        time.sleep(0.02)
    reader.kill()  # SIGKILL: no clean-up runs
    reader.wait(timeout=30)
    assert any((tmp_path / "cache" / "audiobook-clips" / "leases").iterdir())
    assert _prune_in_another_process(tmp_path / "cache") == 3
    assert not any((tmp_path / "cache" / "audiobook-clips" / "leases").iterdir())


def test_a_render_reads_and_checks_each_cached_clip_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from audiobook.api import Options, render

    article = tmp_path / "article.txt"
    article.write_text("A Short Piece\n\nBy Ann Writer\n\nThe ferry runs twice a day. \"It is late again,\" said Mary Byrne.\n\n"
                       "The council will meet on Monday about the timetable. Its members will vote on it.\n")
    options = Options(cache_dir=tmp_path / "cache")
    render(str(article), tmp_path / "first.mp3", options)
    article.write_text(article.read_text().replace("Monday", "Tuesday"))  # one chunk to encode again, from cached clips
    reads: list[str] = []
    original = ClipCache._read
    monkeypatch.setattr(ClipCache, "_read", lambda self, key, suffix: reads.append(key + suffix) or original(self, key, suffix))
    episode = render(str(article), tmp_path / "second.mp3", options)
    clip_reads = [read for read in reads if read.endswith(".wav")]
    assert episode.synthesized == 1 and clip_reads  # the edited sentence is new; its paragraph's others come from the cache
    assert len(clip_reads) == len(set(clip_reads))
