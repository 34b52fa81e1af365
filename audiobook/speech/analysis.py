"""Measure and shape speech: pitch, loudness (ITU-R BS.1770-4), true peaks and the limiter.

Written with numpy alone, and checked against pyloudnorm and scipy's resample_poly in
tests/integration/test_speed_paths.py: pyloudnorm's per-block Python loop cost more than the
filtering, and importing scipy.signal took 1.3 s of CPU in every process that levels a clip
(each cluster worker, each edit's re-render), more than all the filtering it did there.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

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
    """The signal through BS.1770's K-weighting (a high shelf, then a high pass: pyloudnorm's RBJ biquads),
    applied by FFT in short blocks, each block's output and ring added in (overlap-add). The filters'
    impulse response is below 1e-16 after 0.15 s, so that much room after each block makes this the
    recursive filter's output (to 1e-13), not a circular one. Short FFTs of one size: a 3 s clip takes
    2.5 ms, against 7 ms for one FFT over the whole clip; memory stays bounded whatever the length."""
    signal = np.asarray(signal, dtype=np.float64)
    ring = sample_rate * 3 // 20
    size = 1 << (4 * ring - 1).bit_length()
    block = size - ring
    response = _k_response(size, sample_rate)
    filtered = np.zeros(len(signal) + size)
    for start in range(0, len(signal), block):
        filtered[start:start + size] += np.fft.irfft(np.fft.rfft(signal[start:start + block], size) * response, size)
    return filtered[:len(signal)]


@lru_cache(maxsize=8)
def _k_response(size: int, sample_rate: int) -> np.ndarray:
    """The K-weighting's frequency response at the bins of a real FFT of ``size`` points."""
    delay = np.exp(-1j * np.pi * np.arange(size // 2 + 1) / (size / 2))  # z^-1 at each bin
    response = np.ones_like(delay)
    for b, a in (_biquad("high_shelf", 4.0, 1 / np.sqrt(2), 1500.0, sample_rate),
                 _biquad("high_pass", 0.0, 0.5, 38.0, sample_rate)):
        response *= (b[0] + b[1] * delay + b[2] * delay**2) / (a[0] + a[1] * delay + a[2] * delay**2)
    return response


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
    """The signal 4x oversampled in single precision, as players decode (peaks differ from double's by under
    1e-5 dB), through scipy's resample_poly(signal, 4, 1) filter: each output sample of 4 is a window of 21
    input samples times one column of `_PHASES`, done as matrix products a block at a time."""
    signal = np.asarray(signal, dtype=np.float32)
    if not len(signal):
        return signal
    reach = len(_PHASES) // 2
    padded = np.concatenate((np.zeros(reach, np.float32), signal, np.zeros(reach, np.float32)))
    windows = np.lib.stride_tricks.sliding_window_view(padded, len(_PHASES))
    oversampled = np.empty((len(signal), 4), np.float32)
    for start in range(0, len(signal), _BLOCK):
        np.matmul(windows[start:start + _BLOCK], _PHASES, out=oversampled[start:start + _BLOCK])
    return oversampled.ravel()


def _polyphase_filter() -> np.ndarray:
    """resample_poly's default interpolation filter for 4x (81 taps of a Kaiser-windowed sinc, beta 5, gain 4),
    as 21 rows of input taps by 4 columns of output phases."""
    taps = np.arange(81) - 40
    lowpass = np.sinc(taps / 4) * np.kaiser(81, 5.0)
    lowpass *= 4 / lowpass.sum()
    # Output phase p after input sample k sums signal[k - 10 + row] * lowpass[4 * (10 - row) + p + 40] over rows.
    phases = np.zeros((21, 4))
    for row in range(21):
        for phase in range(4):
            if 0 <= (tap := 4 * (10 - row) + phase + 40) <= 80:
                phases[row, phase] = lowpass[tap]
    return phases.astype(np.float32)


_PHASES = _polyphase_filter()
# Rows per matrix product. Small enough that BLAS does each on the calling thread: OpenBLAS spreads a
# product past 262,144 multiply-adds over threads of its own, which spin, and took a quarter more CPU
# on a render whose levelling already runs on every core. The windows are copied a block at a time.
_BLOCK = 2048


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
