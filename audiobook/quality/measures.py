"""Read back what a render wrote, independently of the code that wrote it: MP3 frame headers,
decoded audio (miniaudio, which renders never use), and the WebVTT and SubRip captions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import miniaudio
import numpy as np

# MPEG-1 and MPEG-2/2.5 Layer III bit rates, kbps, by the 4-bit index.
_BITRATES = {
    3: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
}
_SAMPLE_RATES = {3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000]}


def frame_bitrates(path: Path) -> list[int]:
    """The bit rate of every audio frame, walking the frames after the ID3 tag."""
    data = path.read_bytes()
    position = 0
    if data[:3] == b"ID3":
        size = sum((byte & 0x7F) << (7 * (3 - index)) for index, byte in enumerate(data[6:10]))  # syncsafe
        footer = 10 if data[5] & 0x10 else 0
        position = _skip_padding(data, 10 + size + footer)
    rates = []
    while position + 4 <= len(data):
        header = int.from_bytes(data[position:position + 4], "big")
        if header >> 21 != 0x7FF:
            break
        version = (header >> 19) & 3
        table = 3 if version == 3 else 2
        bitrate = _BITRATES[table][(header >> 12) & 0xF]
        sample_rate = _SAMPLE_RATES[version][(header >> 10) & 3]
        padding = (header >> 9) & 1
        coefficient = 144 if version == 3 else 72
        length = coefficient * bitrate * 1000 // sample_rate + padding
        rates.append(bitrate)
        position += length
    return rates


def _skip_padding(data: bytes, position: int) -> int:
    while position < len(data) and data[position] == 0:
        position += 1
    return position


def decode(path: Path) -> tuple[np.ndarray, int]:
    """Mono float samples and their rate, decoded by miniaudio (not by anything audiobook uses)."""
    decoded = miniaudio.decode_file(str(path), output_format=miniaudio.SampleFormat.SIGNED16, nchannels=1)
    samples = np.frombuffer(decoded.samples.tobytes(), dtype="<i2").astype(np.float64) / 32768.0
    return samples, decoded.sample_rate


@dataclass(frozen=True)
class VttCue:
    start: float
    end: float
    speaker: str
    text: str


def parse_vtt(text: str) -> list[VttCue]:
    """The cues of a WebVTT file whose cues each name their voice, as render writes them."""
    if not text.startswith("WEBVTT"):
        raise ValueError("not a WebVTT file: it does not start with WEBVTT")
    cues = []
    for match in re.finditer(r"(\d+):(\d\d):(\d\d\.\d{3}) --> (\d+):(\d\d):(\d\d\.\d{3})\n<v ([^>]+)>(.+)", text):
        start = _seconds(match[1], match[2], match[3].replace(".", ""))
        end = _seconds(match[4], match[5], match[6].replace(".", ""))
        cues.append(VttCue(start, end, match[7], match[8]))
    return cues


@dataclass(frozen=True)
class SrtCue:
    start: float
    end: float
    text: str


def parse_srt(text: str) -> list[SrtCue]:
    """The cues of a SubRip file, each cue's text on one line (the speaker's name leading it)."""
    cues = []
    for match in re.finditer(r"(\d+):(\d\d):(\d\d),(\d{3}) --> (\d+):(\d\d):(\d\d),(\d{3})\n(.+)", text):
        start = _seconds(match[1], match[2], match[3] + match[4])
        end = _seconds(match[5], match[6], match[7] + match[8])
        cues.append(SrtCue(start, end, match[9]))
    return cues


def _seconds(hours: str, minutes: str, milliseconds: str) -> float:
    """A cue time counted in whole milliseconds first, so the same time reads as the same float in every format."""
    return (int(hours) * 3_600_000 + int(minutes) * 60_000 + int(milliseconds)) / 1000
