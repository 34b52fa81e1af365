"""Measure rendered speech: pitch, loudness and pace, for tests, benchmarks and casting reports."""

from __future__ import annotations

import numpy as np

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


def words_per_minute(text: str, seconds: float) -> float:
    return len(text.split()) / seconds * 60 if seconds > 0 else 0.0
