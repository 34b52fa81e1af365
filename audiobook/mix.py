"""Lay the clips on one timeline with pauses, and stream it as PCM, one clip at a time.

Only this module touches pydub. Nothing here holds more than one clip in memory, so an
hours-long article streams to the encoder in flat memory.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
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
# Every clip is brought to this loudness, so no voice is louder than the narrator.
TARGET_DBFS = -18.0
_CHUNK_SECONDS = 5.0


def plan(script: Script, clips: tuple[Clip, ...], sample_rate: int | None = None) -> Mix:
    """Place each clip on the timeline; cue and chapter times come from the same arithmetic as the audio."""
    rate = sample_rate or (clips[0].sample_rate if clips else 22050)
    pieces: list[Piece] = [Piece(_snap(LEAD_IN, rate))]
    cues: list[Cue] = []
    chapter_starts: list[tuple[str, float]] = []
    clock = pieces[0].duration
    previous: Segment | None = None
    for clip in clips:
        segment = script.segments[clip.segment]
        if previous is not None:
            pause = _snap(_pause(previous, segment), rate)
            pieces.append(Piece(pause))
            clock += pause
        if segment.chapter:
            chapter_starts.append((segment.chapter, clock))
        duration = _snap(clip.duration, rate)
        pieces.append(Piece(duration, clip.path))
        cues.append(Cue(clock, clock + duration, segment.text if segment.role != "caption" else segment.spoken_text,
                        _voice_label(segment, script), clip.segment))
        clock += duration
        previous = segment
    pieces.append(Piece(_snap(TAIL, rate)))
    clock += pieces[-1].duration
    ends = [start for _, start in chapter_starts[1:]] + [clock]
    chapters = tuple(Chapter(title, start, end) for (title, start), end in zip(chapter_starts, ends))
    return Mix(tuple(pieces), tuple(cues), chapters, rate, clock)


def stream(mix: Mix) -> Iterator[bytes]:
    """The mix as 16-bit mono PCM chunks at mix.sample_rate."""
    for piece in mix.pieces:
        frames = round(piece.duration * mix.sample_rate)
        if piece.path is None:
            remaining = frames
            while remaining > 0:
                count = min(remaining, int(_CHUNK_SECONDS * mix.sample_rate))
                yield bytes(2 * count)
                remaining -= count
            continue
        with open(piece.path, "rb") as clip:  # pydub leaves files it opens itself unclosed
            audio = AudioSegment.from_wav(clip).set_channels(1).set_sample_width(2)
        if audio.frame_rate != mix.sample_rate:
            audio = audio.set_frame_rate(mix.sample_rate)
        if audio.dBFS != float("-inf"):
            audio = audio.apply_gain(TARGET_DBFS - audio.dBFS)
        pcm = audio.raw_data[: 2 * frames]
        # Resampling can round a frame short: pad so the audio matches the planned timeline exactly.
        yield pcm + bytes(2 * frames - len(pcm))


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


def _snap(seconds: float, rate: int) -> float:
    """Round to whole samples, so planned times and streamed audio never drift apart."""
    return round(seconds * rate) / rate
