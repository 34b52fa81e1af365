"""Paths and readers shared by the tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = REPO / "samples" / "karabakh-uncertain-future.txt"
SHORT = FIXTURES / "short-wire.txt"


@dataclass(frozen=True)
class VttCue:
    start: float
    end: float
    speaker: str
    text: str


def parse_vtt(text: str) -> list[VttCue]:
    assert text.startswith("WEBVTT")
    cues = []
    for match in re.finditer(r"(\d+):(\d\d):(\d\d\.\d{3}) --> (\d+):(\d\d):(\d\d\.\d{3})\n<v ([^>]+)>(.+)", text):
        start = int(match[1]) * 3600 + int(match[2]) * 60 + float(match[3])
        end = int(match[4]) * 3600 + int(match[5]) * 60 + float(match[6])
        cues.append(VttCue(start, end, match[7], match[8]))
    return cues


@dataclass(frozen=True)
class SrtCue:
    start: float
    end: float
    text: str


def parse_srt(text: str) -> list[SrtCue]:
    cues = []
    for match in re.finditer(r"(\d+):(\d\d):(\d\d),(\d{3}) --> (\d+):(\d\d):(\d\d),(\d{3})\n(.+)", text):
        start = int(match[1]) * 3600 + int(match[2]) * 60 + int(match[3]) + int(match[4]) / 1000
        end = int(match[5]) * 3600 + int(match[6]) * 60 + int(match[7]) + int(match[8]) / 1000
        cues.append(SrtCue(start, end, match[9]))
    return cues
