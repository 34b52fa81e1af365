"""What users get, measured as they get it: episodes decoded by an independent decoder, commands as processes.

Loudness and true peak are measured here with miniaudio (dr_mp3, not the libmpg123 that
audiobook checks its chunks with), pyloudnorm and scipy's 4x polyphase oversampling, not with
audiobook's own measuring code.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import miniaudio
import numpy as np
import pyloudnorm
import pytest
from scipy.signal import resample_poly

from audiobook.api import Options, render
from audiobook.audio.encode import CHUNK_PEAK_DBTP, EPISODE_PEAK_DBTP, _encode, encode_chunk

from ..helpers import FIXTURES, SAMPLE

AUDIO_STACK = ("pydub", "lameenc", "numpy", "scipy", "pyloudnorm", "mutagen", "soundfile")


def decoded(mp3: bytes | Path) -> tuple[np.ndarray, int]:
    """Mono float samples at the file's own rate as miniaudio decodes them (float: peaks above full scale survive)."""
    data = mp3.read_bytes() if isinstance(mp3, Path) else mp3
    sound = miniaudio.mp3_read_f32(data)
    signal = np.asarray(sound.samples, dtype=np.float64).reshape(-1, sound.nchannels).mean(axis=1)
    return signal, sound.sample_rate


def true_peak(signal: np.ndarray) -> float:
    return float(20 * np.log10(np.abs(resample_poly(signal, 4, 1)).max()))


def integrated_loudness(signal: np.ndarray, rate: int) -> float:
    return float(pyloudnorm.Meter(rate).integrated_loudness(signal))


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One clip cache for the module: the bit rates of one article re-use its clips."""
    return tmp_path_factory.mktemp("measured-cache")


@pytest.mark.slow
@pytest.mark.parametrize(("article", "bitrate"), [
    (SAMPLE, 32), (SAMPLE, 64), (SAMPLE, 128),
    (FIXTURES / "interview-qa.md", 32),
    (FIXTURES / "cms-newsroom.html", 64),
    (FIXTURES / "sixteen-voices.txt", 128),
    (FIXTURES / "ap-wire-abbreviations.txt", 32),
])
def test_every_episode_as_decoded_is_at_minus_16_lufs_with_true_peaks_under_minus_1(
    article: Path, bitrate: int, shared_cache: Path, tmp_path: Path,
):
    episode = render(str(article), tmp_path / "episode.mp3", Options(cache_dir=shared_cache, bitrate=bitrate))
    signal, rate = decoded(episode.mp3)
    assert abs(len(signal) / rate - episode.duration) < 0.1  # the whole episode was decoded
    assert -17.0 <= integrated_loudness(signal, rate) <= -15.0
    assert true_peak(signal) <= EPISODE_PEAK_DBTP


def test_a_chunk_the_codec_pushes_over_the_ceiling_is_encoded_again_under_it():
    # Speech-like bursts whose true peak sits just under the ceiling before encoding: at 32 kbps
    # the codec's ringing takes them over it, so the first encoding misses.
    rate = 22050
    time = np.arange(3 * rate) / rate
    bursts = np.sign(np.sin(2 * np.pi * 3 * time)).clip(0) * np.sin(2 * np.pi * 180 * time)
    signal = 0.75 * bursts * np.sign(np.sin(2 * np.pi * 1100 * time))
    signal *= 10 ** ((CHUNK_PEAK_DBTP - 0.3) / 20) / np.abs(resample_poly(signal, 4, 1)).max()
    pcm = (signal * 32768).astype("<i2").tobytes()
    missed, _ = decoded(_encode(pcm, rate, 32))
    assert true_peak(missed) > CHUNK_PEAK_DBTP, "the case no longer makes the codec overshoot"
    corrected, _ = decoded(encode_chunk(pcm, rate, 32))
    assert true_peak(corrected) <= CHUNK_PEAK_DBTP + 0.2  # another decoder, the same ceiling within 0.2 dB
    assert len(corrected) == len(missed)  # the same length: only the peaks changed


def _modules_after(code: str) -> set[str]:
    """The modules (and their top-level packages) a fresh interpreter holds after running ``code``."""
    script = code + "\nimport json, sys\nprint(json.dumps(sorted({name.split('.')[0] for name in sys.modules} | set(sys.modules))))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(result.stdout.splitlines()[-1]))


@pytest.mark.parametrize("arguments", [
    ["--version"], ["--help"], ["render", "--help"], ["script", str(SAMPLE)], ["voices"],
])
def test_commands_that_encode_nothing_do_not_load_the_audio_stack(arguments: list[str]):
    loaded = _modules_after(
        "import sys\nfrom audiobook.cli import main\n"
        f"try:\n    main({arguments!r})\nexcept SystemExit as stop:\n    assert not stop.code, stop.code\n"
    )
    # `script` reads the article with spaCy, which brings numpy; nothing of the audio stack comes with it.
    stack = set(AUDIO_STACK) - ({"numpy"} if arguments[0] == "script" else set())
    assert loaded.isdisjoint(stack), loaded & stack


@pytest.mark.slow
def test_a_re_render_whose_chunks_are_all_cached_loads_no_loudness_or_synthesis_code(tmp_path: Path):
    options = f"Options(cache_dir=Path({str(tmp_path / 'cache')!r}))"
    first = f"from pathlib import Path\nfrom audiobook.api import Options, render\nrender({str(SAMPLE)!r}, Path({str(tmp_path / 'a.mp3')!r}), {options})"
    assert "audiobook.speech.analysis" in _modules_after(first)  # the first render synthesizes and levels
    again = first.replace("a.mp3", "b.mp3")
    loaded = _modules_after(again + "\nimport audiobook.speech.engines.espeak as espeak\nassert espeak.EspeakEngine._library is None")
    assert loaded.isdisjoint({"audiobook.speech.analysis", "pyloudnorm", "scipy", "numpy", "lameenc", "pydub", "soundfile",
                              "PIL"})  # the cover is kept too
    assert (tmp_path / "a.mp3").read_bytes() == (tmp_path / "b.mp3").read_bytes()
