"""Measure and shape speech: pitch, loudness (ITU-R BS.1770 via pyloudnorm), peaks and pace.

Only this module touches pyloudnorm and scipy.
"""

from __future__ import annotations

import numpy as np
import pyloudnorm
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly

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
    peak = float(np.max(np.abs(resample_poly(signal, 4, 1))))
    return 20 * np.log10(peak) if peak > 0 else -120.0


def _true_peaks(signal: np.ndarray) -> np.ndarray:
    """Per sample, the largest magnitude of the 4x oversampled signal from it to the next sample."""
    oversampled = np.abs(resample_poly(signal, 4, 1))[:4 * len(signal)]
    return np.maximum(np.abs(signal), oversampled.reshape(-1, 4).max(axis=1))


def limit(signal: np.ndarray, sample_rate: int, ceiling_db: float) -> np.ndarray:
    """A look-ahead true-peak limiter: gain dips smoothly around (4x oversampled) peaks above the ceiling,
    nothing else changes. Speech synthesizers' peaks between samples reach 2 dB above the samples' own."""
    ceiling = 10 ** (ceiling_db / 20)
    if not len(signal):
        return signal
    peaks = _true_peaks(signal)
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
