"""Lay the clips on one timeline with pauses, and stream it as PCM, one clip at a time.

Only this module touches pydub. Nothing here holds more than one clip in memory, so an
hours-long article streams to the encoder in flat memory, and encoding starts as soon as
the first clip is ready.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

with warnings.catch_warnings():
    # pydub warns at import when ffmpeg is absent; it only needs ffmpeg for compressed files, and we read WAV.
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment

from .model import Chapter, Clip, Cue, Mix, Piece, Script, Segment

# Pauses, in seconds: a beat inside a paragraph, more between paragraphs, most around chapters.
BEAT = 0.3
PARAGRAPH_PAUSE = 0.7
CHAPTER_PAUSE = 1.4
LEAD_IN = 0.4
TAIL = 1.0
DEFAULT_SAMPLE_RATE = 22050
_CHUNK_SECONDS = 5.0


class Assembly:
    """Lays clips on one timeline as they arrive and streams the result as 16-bit mono PCM.

    Cue and chapter times come from the same sample counts as the audio, so they match what
    is heard exactly. Once the stream has been read to its end, ``mix`` describes the episode.
    """

    def __init__(self, script: Script, sample_rate: int = DEFAULT_SAMPLE_RATE) -> None:
        self.script = script
        self.sample_rate = sample_rate
        self._pieces: list[Piece] = []
        self._cues: list[Cue] = []
        self._chapter_starts: list[tuple[str, float]] = []
        self._frames = 0
        self._mix: Mix | None = None

    def stream(self, clips: Iterable[Clip]) -> Iterator[bytes]:
        yield from self._silence(LEAD_IN)
        previous: Segment | None = None
        for clip in clips:
            segment = self.script.segments[clip.segment]
            if previous is not None:
                yield from self._silence(_pause(previous, segment))
            if segment.chapter:
                self._chapter_starts.append((segment.chapter, self._now))
            pcm = self._clip_pcm(clip)
            start = self._now
            self._frames += len(pcm) // 2
            self._pieces.append(Piece(self._now - start, clip.path))
            text = segment.spoken_text if segment.role == "caption" else segment.text
            self._cues.append(Cue(start, self._now, text, _voice_label(segment, self.script), clip.segment))
            previous = segment
            yield pcm
        yield from self._silence(TAIL)
        ends = [start for _, start in self._chapter_starts[1:]] + [self._now]
        chapters = tuple(Chapter(title, start, end) for (title, start), end in zip(self._chapter_starts, ends))
        self._mix = Mix(tuple(self._pieces), tuple(self._cues), chapters, self.sample_rate, self._now)

    @property
    def mix(self) -> Mix:
        if self._mix is None:
            raise RuntimeError("the mix is known only once its stream has been read to the end")
        return self._mix

    @property
    def _now(self) -> float:
        return self._frames / self.sample_rate

    def _silence(self, seconds: float) -> Iterator[bytes]:
        frames = round(seconds * self.sample_rate)
        self._pieces.append(Piece(frames / self.sample_rate))
        self._frames += frames
        while frames > 0:
            count = min(frames, int(_CHUNK_SECONDS * self.sample_rate))
            yield bytes(2 * count)
            frames -= count

    def _clip_pcm(self, clip: Clip) -> bytes:
        with open(clip.path, "rb") as handle:  # pydub leaves files it opens itself unclosed
            audio = AudioSegment.from_wav(handle).set_channels(1).set_sample_width(2)
        if audio.frame_rate != self.sample_rate:
            audio = audio.set_frame_rate(self.sample_rate)
        return audio.raw_data


def load_pcm(path: Path) -> tuple[bytes, int]:
    """Any audio file pydub reads (WAV natively, others through ffmpeg) as mono 16-bit PCM and its rate."""
    with open(path, "rb") as handle:  # pydub leaves files it opens itself unclosed
        audio = AudioSegment.from_file(handle, format=path.suffix.lstrip(".") or None)
    audio = audio.set_channels(1).set_sample_width(2)
    return audio.raw_data, audio.frame_rate


def _pause(previous: Segment, current: Segment) -> float:
    if current.chapter or previous.role == "caption" or current.role == "caption":
        return CHAPTER_PAUSE
    if previous.paragraph != current.paragraph:
        return PARAGRAPH_PAUSE
    return BEAT


def _voice_label(segment: Segment, script: Script) -> str:
    if segment.role == "quote" and segment.speaker:
        return script.speaker(segment.speaker).name
    return "Describer" if segment.role == "caption" else "Narrator"
