"""Lay the clips on one timeline with pauses, a paragraph-sized chunk at a time.

Each chunk is encoded on its own (see encode.py), so the timeline advances by what the
decoder will really play: the encoder's delay, the chunk's samples, the padding to a whole
frame. Cue and chapter times come from those sample counts and match what is heard.
Of the stages, only this one touches pydub, and it holds one chunk's audio at a time.
"""

from __future__ import annotations

import warnings

from audiobook.model import Chapter, Chunk, Clip, Cue, Mix, Script, Segment

# Pauses, in seconds: a beat inside a paragraph, more between paragraphs, most around chapters.
BEAT = 0.3
PARAGRAPH_PAUSE = 0.7
CHAPTER_PAUSE = 1.4
LEAD_IN = 0.4
TAIL = 1.0
DEFAULT_SAMPLE_RATE = 22050


def plan_chunks(script: Script) -> list[Chunk]:
    """Group the spoken segments by paragraph, with the pauses that go before each."""
    chunks: list[Chunk] = []
    segments: list[int] = []
    pauses: list[float] = []
    previous: Segment | None = None
    for index, segment in enumerate(script.segments):
        if not segment.spoken:
            continue
        pause = LEAD_IN if previous is None else _pause(previous, segment)
        if previous is not None and segment.paragraph != previous.paragraph and segments:
            chunks.append(Chunk(tuple(segments), tuple(pauses)))
            segments, pauses = [], []
        segments.append(index)
        pauses.append(pause)
        previous = segment
    if segments:
        chunks.append(Chunk(tuple(segments), tuple(pauses), tail=TAIL))
    return chunks


def chunk_pcm(chunk: Chunk, clips: list[Clip], sample_rate: int) -> tuple[bytes, list[int]]:
    """The chunk's audio as 16-bit mono PCM, and each clip's length in samples."""
    with warnings.catch_warnings():
        # pydub warns at import when ffmpeg is absent; it only needs ffmpeg for compressed files, and we read WAV.
        warnings.simplefilter("ignore", RuntimeWarning)
        from pydub import AudioSegment  # loaded only when a chunk is mixed, not for a cached render

    parts: list[bytes] = []
    lengths: list[int] = []
    for pause, clip in zip(chunk.pauses, clips):
        parts.append(bytes(2 * round(pause * sample_rate)))
        with open(clip.path, "rb") as handle:  # pydub leaves files it opens itself unclosed
            audio = AudioSegment.from_wav(handle).set_channels(1).set_sample_width(2)
        if audio.frame_rate != sample_rate:
            audio = audio.set_frame_rate(sample_rate)
        parts.append(audio.raw_data)
        lengths.append(len(audio.raw_data) // 2)
    parts.append(bytes(2 * round(chunk.tail * sample_rate)))
    return b"".join(parts), lengths


class Timeline:
    """Builds the Mix from each chunk as the decoder will play it."""

    def __init__(self, script: Script, sample_rate: int, encoder_delay: int) -> None:
        self.script = script
        self.sample_rate = sample_rate
        self._delay = encoder_delay
        self._frames = 0
        self._cues: list[Cue] = []
        self._chapter_starts: list[tuple[str, float]] = []

    def add(self, chunk: Chunk, clip_lengths: list[int], played_samples: int) -> None:
        """Place a chunk whose clips have these lengths and whose encoded form plays for ``played_samples``."""
        position = self._frames + self._delay
        for index, pause, length in zip(chunk.segments, chunk.pauses, clip_lengths):
            position += round(pause * self.sample_rate)
            segment = self.script.segments[index]
            start, end = position / self.sample_rate, (position + length) / self.sample_rate
            if segment.chapter:
                # A chapter starts in the pause before its first words, so a skip lands on silence, not mid-word.
                self._chapter_starts.append((segment.chapter, max(0.0, start - pause / 2)))
            text = segment.spoken_text if segment.role == "caption" else segment.text
            self._cues.append(Cue(start, end, text, _voice_label(segment, self.script), index))
            position += length
        self._frames += played_samples

    @property
    def mix(self) -> Mix:
        duration = self._frames / self.sample_rate
        ends = [start for _, start in self._chapter_starts[1:]] + [duration]
        chapters = tuple(Chapter(title, start, end) for (title, start), end in zip(self._chapter_starts, ends))
        return Mix(tuple(self._cues), chapters, self.sample_rate, duration)


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
