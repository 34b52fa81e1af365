"""The values that pass between the pipeline's stages.

    Source text ─extract→ Article ─script→ Script ─casting→ Cast
      ─synth→ Clips ─mix→ Mix ─encode→ Episode

Every value is frozen: a stage returns new values and never changes its input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

BlockKind = Literal[
    "title", "subtitle", "date", "byline", "heading", "paragraph",
    "caption", "pull_quote", "boilerplate",
]
Role = Literal[
    "title", "subtitle", "date", "byline", "heading", "narration",
    "quote", "caption", "pull_quote", "boilerplate",
]
Gender = Literal["female", "male", "unknown"]
QuoteKind = Literal["full", "partial"]


@dataclass(frozen=True)
class Block:
    """One structural piece of an article, in page order."""

    kind: BlockKind
    text: str
    credit: str | None = None
    """Who the photo is credited to (captions only), without the '©' or 'Photo:' marker."""


@dataclass(frozen=True)
class Article:
    """An article as read from its source: structure, not yet a script."""

    title: str
    blocks: tuple[Block, ...]
    subtitle: str | None = None
    date: dt.date | None = None
    byline: str | None = None
    publication: str | None = None
    source_url: str | None = None


@dataclass(frozen=True)
class Speaker:
    """A person (or organisation) quoted in the article."""

    id: str
    name: str
    gender: Gender = "unknown"
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Segment:
    """One unit of the script: spoken by one voice, or kept silent."""

    role: Role
    text: str
    speaker: str | None = None
    """Speaker id for quotes; None means the narrator (or the describer for captions)."""
    credit: str | None = None
    spoken: bool = True
    paragraph: int | None = None
    """Index of the article block this segment comes from: pauses are longer between blocks."""
    chapter: str | None = None
    """Set on the first segment of a chapter: that chapter's title."""
    quote_kind: QuoteKind | None = None
    speech: str | None = None
    """What the engine hears when it differs from the text (announcements, dates in words)."""
    voice: str | None = None
    """A voice id that overrides the cast for this segment (set in an edited script)."""
    basis: str | None = None
    """Quotes: why their speaker was chosen, e.g. 'cue-after:name', 'cue-before:pronoun', 'same-paragraph'."""
    confidence: float | None = None
    """Quotes: how sure that choice is, 0-1; the producer checks the least sure first."""

    @property
    def spoken_text(self) -> str:
        return self.speech if self.speech is not None else self.text


@dataclass(frozen=True)
class Script:
    """What will be read, by whom, in reading order."""

    title: str
    segments: tuple[Segment, ...]
    speakers: tuple[Speaker, ...] = ()
    subtitle: str | None = None
    date: dt.date | None = None
    byline: str | None = None
    publication: str | None = None
    source_url: str | None = None

    def speaker(self, speaker_id: str) -> Speaker:
        for speaker in self.speakers:
            if speaker.id == speaker_id:
                return speaker
        raise KeyError(speaker_id)


@dataclass(frozen=True)
class Voice:
    """What a voice is: an engine's voice with its lasting settings (not one call's)."""

    id: str
    engine: str
    """Engine name, as registered in audiobook.engines."""
    name: str
    """The engine's own voice id, e.g. 'en-us' for espeak-ng."""
    variant: str | None = None
    """espeak-ng variant such as 'f3' or 'm2' (other engines ignore it)."""
    rate: int = 175
    """Speaking rate in words per minute."""
    pitch: int = 50
    """Base pitch, 0 to 99 (espeak-ng scale)."""
    volume: int = 100
    gender: Gender = "unknown"


@dataclass(frozen=True)
class Cast:
    """Who reads what: the narrator, the describer of photos, and one voice per speaker."""

    narrator: Voice
    describer: Voice
    speakers: dict[str, Voice] = field(default_factory=dict)
    named: dict[str, Voice] = field(default_factory=dict)
    """Voices by id, for segments that name their own voice."""
    gender_guesses: dict[str, Gender] = field(default_factory=dict)
    """Speaker id → the gender a first name suggested, where the text gave none: it chose the voice's pool."""

    def voice_for(self, segment: Segment) -> Voice:
        if segment.voice and segment.voice in self.named:
            return self.named[segment.voice]
        if segment.role == "quote" and segment.speaker in self.speakers:
            return self.speakers[segment.speaker]
        if segment.role == "caption":
            return self.describer
        return self.narrator


@dataclass(frozen=True)
class Clip:
    """The synthesized audio of one spoken segment: a mono 16-bit WAV file."""

    segment: int
    """Index into Script.segments."""
    path: Path
    duration: float
    sample_rate: int


@dataclass(frozen=True)
class Cue:
    """A timed piece of the transcript."""

    start: float
    end: float
    text: str
    speaker: str
    """Display name of who is heard: the narrator, the describer or a quoted speaker."""
    segment: int


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float
    end: float


@dataclass(frozen=True)
class Chunk:
    """A paragraph's worth of the timeline, encoded on its own so an edit re-encodes only its chunk."""

    segments: tuple[int, ...]
    """Indexes into Script.segments, all spoken."""
    pauses: tuple[float, ...]
    """Seconds of silence before each segment; the first is the pause before the chunk."""
    tail: float = 0.0
    """Seconds of silence after the last segment (the episode's end)."""


@dataclass(frozen=True)
class Mix:
    """The timeline of an episode as heard: its cues and chapters."""

    cues: tuple[Cue, ...]
    chapters: tuple[Chapter, ...]
    sample_rate: int
    duration: float


@dataclass(frozen=True)
class Episode:
    """A rendered, tagged audio edition and its sidecar files."""

    mp3: Path
    duration: float
    size: int
    vtt: Path
    chapters_json: Path
    transcript: Path
    synthesized: int = 0
    """How many clips had to be synthesized (the rest came from the cache)."""
    mix: Mix | None = None
    """Its timeline: cues and chapters as heard."""
    epub: Path | None = None
    """The talking book (EPUB 3 with a Media Overlay), when one was asked for."""
