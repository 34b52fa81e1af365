"""Measure and shape speech: pitch, loudness (ITU-R BS.1770 via pyloudnorm), peaks and pace.

Only this module touches pyloudnorm and scipy.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyloudnorm
from numpy.lib.stride_tricks import sliding_window_view
from scipy.ndimage import maximum_filter1d, minimum_filter1d, uniform_filter1d
from scipy.signal import firwin

_FRAME_SECONDS = 0.04
_MIN_F0, _MAX_F0 = 60.0, 450.0


def samples(pcm: bytes) -> np.ndarray:
    """16-bit mono PCM as floats in [-1, 1]."""
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0


def median_f0(signal: np.ndarray, sample_rate: int) -> float:
    """Median fundamental frequency of the voiced frames (autocorrelation pitch), 0.0 if none are voiced."""
    frame = int(sample_rate * _FRAME_SECONDS)
    if len(signal) < frame:
        return 0.0
    shortest, longest = int(sample_rate / _MAX_F0), int(sample_rate / _MIN_F0)
    loudness_floor = 0.1 * np.sqrt(np.mean(signal**2))
    pitches = []
    for start in range(0, len(signal) - frame, frame // 2):
        window = signal[start:start + frame]
        if np.sqrt(np.mean(window**2)) < loudness_floor:
            continue
        window = window - window.mean()
        correlation = np.correlate(window, window, mode="full")[frame - 1:]
        if correlation[0] <= 0:
            continue
        correlation = correlation / correlation[0]
        lag = shortest + int(np.argmax(correlation[shortest:longest]))
        # Only clearly periodic frames are voiced speech.
        if correlation[lag] > 0.5:
            pitches.append(sample_rate / lag)
    return float(np.median(pitches)) if pitches else 0.0


def rms_dbfs(signal: np.ndarray) -> float:
    rms = np.sqrt(np.mean(signal**2)) if len(signal) else 0.0
    return float(20 * np.log10(rms)) if rms > 0 else -120.0


def loudness_lufs(signal: np.ndarray, sample_rate: int) -> float:
    """Integrated loudness (BS.1770-4, gated); -inf for silence or less than one 400 ms block."""
    if len(signal) < int(0.4 * sample_rate):
        return float("-inf")
    return float(pyloudnorm.Meter(sample_rate).integrated_loudness(signal))


def true_peak_dbtp(signal: np.ndarray, sample_rate: int) -> float:
    """Peak of the 4x oversampled signal, the true-peak estimate of BS.1770-4 annex 2."""
    if not len(signal):
        return -120.0
    loudest = float(np.abs(signal).max())
    peak = float(_true_peaks(signal, loudest).max())
    return 20 * np.log10(peak) if peak > 0 else -120.0


# The 4x interpolator of scipy's resample_poly (the same values): between samples n and n+1 it
# weighs the 21 samples from n-10 to n+10, at most 2.25 times the largest of them in all.
_REACH = 10
_MOST_GAIN = 2.25
_BLOCK = 1 << 16


def _true_peaks(signal: np.ndarray, floor: float) -> np.ndarray:
    """Per sample, the largest magnitude of the 4x oversampled signal from it to the next sample,
    worked out only where it could reach ``floor``: elsewhere the sample's own magnitude."""
    peaks = np.abs(signal)
    could_reach = maximum_filter1d(peaks, 2 * _REACH + 1) * _MOST_GAIN >= floor
    windows = sliding_window_view(np.pad(signal, _REACH), 2 * _REACH + 1)
    candidates = np.flatnonzero(could_reach)
    for start in range(0, len(candidates), _BLOCK):
        chosen = candidates[start:start + _BLOCK]
        between = np.abs(windows[chosen] @ _interpolator()).max(axis=1)
        peaks[chosen] = np.maximum(peaks[chosen], between)
    return peaks


@cache
def _interpolator() -> np.ndarray:
    """Weights of the samples n-10 … n+10 (rows) for the points n + p/4, p = 0 … 3 (columns)."""
    taps = firwin(2 * _REACH * 4 + 1, 1 / 4, window=("kaiser", 5.0)) * 4
    weights = np.zeros((2 * _REACH + 1, 4))
    for row in range(2 * _REACH + 1):
        for phase in range(4):
            tap = 4 * (_REACH - row) + phase + 4 * _REACH
            if 0 <= tap < len(taps):
                weights[row, phase] = taps[tap]
    return weights


def limit(signal: np.ndarray, sample_rate: int, ceiling_db: float) -> np.ndarray:
    """A look-ahead true-peak limiter: gain dips smoothly around (4x oversampled) peaks above the ceiling,
    nothing else changes. Speech synthesizers' peaks between samples reach 2 dB above the samples' own."""
    ceiling = 10 ** (ceiling_db / 20)
    if not len(signal):
        return signal
    peaks = _true_peaks(signal, ceiling)
    if peaks.max() <= ceiling:
        return signal
    wanted = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-9))
    window = 2 * max(1, int(0.005 * sample_rate)) + 1
    # The lowest gain needed anywhere within 5 ms, smoothed, so the gain falls before a peak arrives.
    smooth = uniform_filter1d(minimum_filter1d(wanted, window), window)
    return signal * np.minimum(smooth, wanted)


def limit_pcm(pcm: bytes, sample_rate: int, ceiling_db: float) -> bytes:
    """16-bit PCM with its true peaks brought under the ceiling."""
    return _pcm(limit(samples(pcm), sample_rate, ceiling_db))


def _pcm(signal: np.ndarray) -> bytes:
    return (np.clip(signal, -1.0, 32767 / 32768) * 32768).astype("<i2").tobytes()


def level(pcm: bytes, sample_rate: int, target_lufs: float, ceiling_db: float) -> bytes:
    """A clip brought to the target loudness with its peaks under the ceiling.

    Limiting lowers loudness a little, so the gain is measured again after it. Clips shorter
    than one 400 ms loudness block are levelled by RMS, which sits about 3 dB below it in speech.
    """
    signal = samples(pcm)
    for _ in range(2):
        loudness = loudness_lufs(signal, sample_rate)
        if loudness == float("-inf"):
            loudness = rms_dbfs(signal) + 3.0
        if loudness <= -70:
            return pcm
        signal = limit(signal * 10 ** ((target_lufs - loudness) / 20), sample_rate, ceiling_db)
    return _pcm(signal)
