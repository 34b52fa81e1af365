"""The fast paths: audiobook's own loudness gating and limiter windows against the references they
replace, and the clip cache read once per render."""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly

from audiobook.speech import analysis


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
    assert np.allclose(analysis._true_peaks(signal), exact, rtol=0, atol=1e-12)
    assert analysis.true_peak_dbtp(signal, rate) == pytest.approx(
        20 * np.log10(np.abs(resample_poly(signal, 4, 1)).max()), abs=1e-9)


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
