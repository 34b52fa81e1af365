"""Measure and shape speech: pitch, loudness (ITU-R BS.1770-4), true peaks and the limiter.

Only this module touches scipy. The loudness gating is written out with numpy (pyloudnorm's
per-block Python loop cost more than the filtering) and checked against pyloudnorm in
tests/integration/test_speed_paths.py.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter, resample_poly

_FRAME_SECONDS = 0.04
_MIN_F0, _MAX_F0 = 60.0, 450.0
# BS.1770-4 gating: 400 ms blocks every 100 ms, absolute gate -70 LUFS, relative gate 10 LU down.
_BLOCK_SECONDS, _BLOCK_STEP = 0.4, 0.25


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
    if len(signal) < int(_BLOCK_SECONDS * sample_rate):
        return float("-inf")
    squares = np.concatenate(([0.0], np.cumsum(_k_weighted(np.asarray(signal, dtype=np.float64), sample_rate) ** 2)))
    duration = len(signal) / sample_rate
    blocks = np.arange(int(np.round((duration - _BLOCK_SECONDS) / (_BLOCK_SECONDS * _BLOCK_STEP))) + 1)
    # Block bounds computed exactly as pyloudnorm does, so both gate the same blocks.
    lower = (_BLOCK_SECONDS * (blocks * _BLOCK_STEP) * sample_rate).astype(np.int64)
    upper = np.minimum((_BLOCK_SECONDS * (blocks * _BLOCK_STEP + 1) * sample_rate).astype(np.int64), len(signal))
    energy = (squares[upper] - squares[lower]) / (_BLOCK_SECONDS * sample_rate)
    with np.errstate(divide="ignore"):
        block_lufs = -0.691 + 10 * np.log10(energy)
        audible = energy[block_lufs >= -70.0]
        if not len(audible):
            return float("-inf")
        relative_gate = -0.691 + 10 * np.log10(audible.mean()) - 10.0
        gated = energy[(block_lufs > relative_gate) & (block_lufs > -70.0)]
        return float(-0.691 + 10 * np.log10(gated.mean())) if len(gated) else float("-inf")


def _k_weighted(signal: np.ndarray, sample_rate: int) -> np.ndarray:
    """The signal through BS.1770's K-weighting (a high shelf, then a high pass): pyloudnorm's RBJ biquads."""
    for b, a in (_biquad("high_shelf", 4.0, 1 / np.sqrt(2), 1500.0, sample_rate),
                 _biquad("high_pass", 0.0, 0.5, 38.0, sample_rate)):
        signal = lfilter(b, a, signal)
    return signal


def _biquad(kind: str, gain_db: float, q: float, frequency: float, sample_rate: int) -> tuple[np.ndarray, np.ndarray]:
    amplitude = 10 ** (gain_db / 40)
    w0 = 2 * np.pi * frequency / sample_rate
    alpha, cos = np.sin(w0) / (2 * q), np.cos(w0)
    if kind == "high_shelf":
        root = 2 * np.sqrt(amplitude) * alpha
        b = amplitude * np.array([(amplitude + 1) + (amplitude - 1) * cos + root,
                                  -2 * ((amplitude - 1) + (amplitude + 1) * cos),
                                  (amplitude + 1) + (amplitude - 1) * cos - root])
        a = np.array([(amplitude + 1) - (amplitude - 1) * cos + root, 2 * ((amplitude - 1) - (amplitude + 1) * cos),
                      (amplitude + 1) - (amplitude - 1) * cos - root])
    else:
        b = np.array([(1 + cos) / 2, -(1 + cos), (1 + cos) / 2])
        a = np.array([1 + alpha, -2 * cos, 1 - alpha])
    return b / a[0], a / a[0]


def true_peak_dbtp(signal: np.ndarray, sample_rate: int) -> float:
    """Peak of the 4x oversampled signal, the true-peak estimate of BS.1770-4 annex 2."""
    if not len(signal):
        return -120.0
    peak = float(np.abs(_oversampled(signal)).max())
    return 20 * np.log10(peak) if peak > 0 else -120.0


def _true_peaks(signal: np.ndarray) -> np.ndarray:
    """Per sample, the largest magnitude of the 4x oversampled signal from it to the next sample."""
    oversampled = np.abs(_oversampled(signal))
    # Four strided maxima: reshape(-1, 4).max(axis=1) reduces along a short axis, several times slower.
    return np.maximum.reduce([np.abs(signal), *(oversampled[phase::4] for phase in range(4))])


def _oversampled(signal: np.ndarray) -> np.ndarray:
    """The signal 4x oversampled in single precision, as players decode: a third less work than in double,
    and peaks differ by under 1e-5 dB."""
    return resample_poly(np.asarray(signal, dtype=np.float32), 4, 1)


def limit(signal: np.ndarray, sample_rate: int, ceiling_db: float, peaks: np.ndarray | None = None) -> np.ndarray:
    """A look-ahead true-peak limiter: gain dips smoothly around (4x oversampled) peaks above the ceiling,
    nothing else changes. Speech synthesizers' peaks between samples reach 2 dB above the samples' own.

    ``peaks`` are the signal's per-sample true peaks (``_true_peaks``), if the caller has them already."""
    ceiling = 10 ** (ceiling_db / 20)
    if not len(signal):
        return signal
    peaks = _true_peaks(signal) if peaks is None else peaks
    if peaks.max() <= ceiling:
        return signal
    wanted = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-9))
    window = 2 * max(1, int(0.005 * sample_rate)) + 1
    # The lowest gain needed anywhere within 5 ms, smoothed, so the gain falls before a peak arrives.
    smooth = _sliding_mean(_sliding_min(wanted, window), window)
    return signal * np.minimum(smooth, wanted)


def _sliding_min(values: np.ndarray, width: int) -> np.ndarray:
    """The minimum over a centred window of odd width, edges mirrored (van Herk/Gil-Werman:
    running minima within blocks of the window's width, forwards and backwards)."""
    half = width // 2
    padded = np.pad(values, half, mode="symmetric")
    blocks = -(-len(padded) // width)
    tiled = np.pad(padded, (0, blocks * width - len(padded)), constant_values=np.inf).reshape(blocks, width)
    forward = np.minimum.accumulate(tiled, axis=1).ravel()
    backward = np.minimum.accumulate(tiled[:, ::-1], axis=1)[:, ::-1].ravel()
    return np.minimum(backward[:len(values)], forward[width - 1:width - 1 + len(values)])


def _sliding_mean(values: np.ndarray, width: int) -> np.ndarray:
    """The mean over a centred window of odd width, edges mirrored."""
    sums = np.concatenate(([0.0], np.cumsum(np.pad(values, width // 2, mode="symmetric"))))
    return (sums[width:] - sums[:-width]) / width


def limit_pcm(pcm: bytes, sample_rate: int, ceiling_db: float) -> bytes:
    """16-bit PCM with its true peaks brought under the ceiling."""
    return _pcm(limit(samples(pcm), sample_rate, ceiling_db))


def _pcm(signal: np.ndarray) -> bytes:
    return (np.clip(signal, -1.0, 32767 / 32768) * 32768).astype("<i2").tobytes()


def level(pcm: bytes, sample_rate: int, target_lufs: float, ceiling_db: float) -> bytes:
    """A clip brought to the target loudness with its peaks under the ceiling.

    Limiting lowers loudness a little, so the loudness is measured again after it and the clip
    limited once more from the original at the corrected gain (when the limiter changed nothing,
    the loudness is on target already). True peaks scale with the gain, so they are oversampled
    once. Clips shorter than one 400 ms loudness block are levelled by RMS, which sits about 3 dB
    below it in speech.
    """
    signal = samples(pcm)
    loudness = _loudness_or_rms(signal, sample_rate)
    if loudness <= -70:
        return pcm
    peaks = _true_peaks(signal)
    gain = 10 ** ((target_lufs - loudness) / 20)
    scaled = signal * gain
    levelled = limit(scaled, sample_rate, ceiling_db, peaks * gain)
    if levelled is not scaled:
        gain *= 10 ** ((target_lufs - _loudness_or_rms(levelled, sample_rate)) / 20)
        levelled = limit(signal * gain, sample_rate, ceiling_db, peaks * gain)
    return _pcm(levelled)


def _loudness_or_rms(signal: np.ndarray, sample_rate: int) -> float:
    loudness = loudness_lufs(signal, sample_rate)
    return rms_dbfs(signal) + 3.0 if loudness == float("-inf") else loudness
