"""A producer's corrections, kept beside the article so they survive re-extraction of a changed article.

`NAME.audiobook.toml` or `NAME.txt.audiobook.toml` beside `NAME.txt` (or `--overrides PATH`);
every table is optional:

    [rename]                      # speaker as extracted = name to use; two names onto one merge them
    "Paturyan" = "Jenny Paturyan"

    [voices]                      # speaker = voice id from the cast (see `audiobook voices`)
    "Jenny Paturyan" = "english-woman"

    [pronounce]                   # word = respelling, for the ear only
    Khankendi = "Khan-ken-dee"

    [[quote]]                     # a quote, found by some of its words, given to another speaker
    words = "They won’t stop until"
    speaker = "a teacher from Stepanakert"

    [[skip]]                      # segments not to read, found by some of their words
    words = "The fear of revenge"

Corrections that no longer match anything are reported (one summary line) and otherwise
ignored, so an edited article still renders; corrections that would match everything are refused.
"""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from audiobook.casting.profile import CastProfile
from audiobook.errors import CastError, InputError
from audiobook.model import Script, Speaker, Voice
from audiobook.names import slug, unique
from audiobook.script.quotes import normalise_for_match
from audiobook.speech.ear import Lexicon
from audiobook.tomlfile import read_toml

log = logging.getLogger("audiobook")

_TABLES = ("rename", "voices", "pronounce", "quote", "skip")


@dataclass(frozen=True)
class Overrides:
    rename: dict[str, str] = field(default_factory=dict)
    voices: dict[str, str] = field(default_factory=dict)
    pronounce: dict[str, str] = field(default_factory=dict)
    quotes: tuple[tuple[str, str], ...] = ()
    skip: tuple[str, ...] = ()

    @property
    def lexicon(self) -> Lexicon:
        return Lexicon(dict(self.pronounce))


@dataclass(frozen=True)
class Applied:
    """The corrected script, and which corrections found something to correct."""

    script: Script
    applied: tuple[str, ...] = ()
    unmatched: tuple[str, ...] = ()

    def summary(self, source: Path) -> str:
        line = f"{source}: {len(self.applied)} of {len(self.applied) + len(self.unmatched)} corrections applied"
        return line + (f"; matched nothing: {', '.join(self.unmatched)}" if self.unmatched else "")


def sidecar_path(article: Path) -> Path:
    """NAME.audiobook.toml beside NAME.txt, or NAME.txt.audiobook.toml: whichever exists (the first by default)."""
    candidates = [article.with_name(f"{article.stem}.audiobook.toml"), article.with_name(f"{article.name}.audiobook.toml")]
    found = [path for path in candidates if path.exists()]
    if len(found) == 2:
        raise InputError(f"{found[0]} and {found[1]} both hold corrections for {article}: keep one")
    return found[0] if found else candidates[0]


def load_overrides(path: Path) -> Overrides:
    data = read_toml(path, "overrides file", InputError)
    unknown = set(data) - set(_TABLES)
    if unknown:
        raise InputError(f"{path}: unknown tables {', '.join(sorted(unknown))} (see the README's Corrections)")
    return Overrides(
        rename=_mapping(data, "rename", path), voices=_mapping(data, "voices", path),
        pronounce=_mapping(data, "pronounce", path),
        quotes=tuple((_words(entry, "quote", number, path), _entry_text(entry, "speaker", "quote", number, path))
                     for number, entry in enumerate(_entries(data, "quote", path), start=1)),
        skip=tuple(_words(entry, "skip", number, path) for number, entry in enumerate(_entries(data, "skip", path), start=1)),
    )


def _mapping(data: dict[str, Any], table: str, path: Path) -> dict[str, str]:
    entries = data.get(table, {})
    if not isinstance(entries, dict):
        raise InputError(f"{path}: [{table}] must be a table of \"name\" = \"value\" lines")
    for key, value in entries.items():
        if not key.strip() or not isinstance(value, str) or not value.strip():
            raise InputError(f"{path}: [{table}] {_shown(key)} = {_shown(value)}: both sides must be non-empty text in quotes")
    return dict(entries)


def _entries(data: dict[str, Any], table: str, path: Path) -> list[dict[str, Any]]:
    entries = data.get(table, [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise InputError(f"{path}: {table} must be written [[{table}]], one table per correction")
    return entries


def _entry_text(entry: dict[str, Any], key: str, table: str, number: int, path: Path) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{path}: [[{table}]] number {number}: {key} must be non-empty text in quotes, not {_shown(value)}")
    return value


def _shown(value: Any) -> str:
    """A value as the producer wrote it, cut short to keep the error one readable line."""
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:59] + "…"


def _words(entry: dict[str, Any], table: str, number: int, path: Path) -> str:
    """Words that find a segment: empty words would be found in every segment."""
    words = _entry_text(entry, "words", table, number, path)
    if not normalise_for_match(words):
        raise InputError(f"{path}: [[{table}]] number {number}: words {words!r} hold no word to look for")
    return words


def apply(script: Script, overrides: Overrides) -> Applied:
    """The script with speakers renamed or merged, quotes reassigned and segments skipped."""
    applied: list[str] = []
    unmatched: list[str] = []

    def note(matched: bool, correction: str) -> None:
        (applied if matched else unmatched).append(correction)

    known = {name.lower() for speaker in script.speakers for name in (speaker.name, *speaker.aliases)}
    for old in overrides.rename:
        note(old.lower() in known, f"[rename] {old!r}")
    script = _rename(script, overrides.rename)
    for words, name in overrides.quotes:
        script, matched = _give_quote(script, words, name)
        note(matched, f"[[quote]] {words!r}")
    for words in overrides.skip:
        wanted = normalise_for_match(words)
        matched = [i for i, s in enumerate(script.segments) if s.spoken and wanted in normalise_for_match(s.text)]
        note(bool(matched), f"[[skip]] {words!r}")
        segments = list(script.segments)
        for index in matched:
            segments[index] = replace(segments[index], spoken=False)
        script = replace(script, segments=tuple(segments))
    for name in overrides.voices:
        note(_speaker_named(script, name) is not None, f"[voices] {name!r}")
    heard = " ".join(segment.spoken_text for segment in script.segments if segment.spoken)
    for word in overrides.pronounce:
        note(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", heard) is not None, f"[pronounce] {word!r}")
    return Applied(script, tuple(applied), tuple(unmatched))


def pinned_voices(script: Script, overrides: Overrides, profile: CastProfile) -> dict[str, Voice]:
    pinned: dict[str, Voice] = {}
    for name, voice_id in overrides.voices.items():
        speaker = _speaker_named(script, name)
        if speaker is None:
            continue  # reported in the summary of corrections
        try:
            pinned[speaker.id] = profile.voice(voice_id)
        except CastError as error:
            raise InputError(f"overrides: voice for {name!r}: {error}") from None
    return pinned


def _rename(script: Script, rename: dict[str, str]) -> Script:
    if not rename:
        return script
    lowered = {key.lower(): value for key, value in rename.items()}
    merged: dict[str, Speaker] = {}
    new_id: dict[str, str] = {}
    for speaker in script.speakers:
        names = [speaker.name, *speaker.aliases]
        target = next((lowered[name.lower()] for name in names if name.lower() in lowered), speaker.name)
        key = target.lower()
        if key in merged:
            kept = merged[key]
            gender = kept.gender if kept.gender != "unknown" else speaker.gender
            aliases = tuple(dict.fromkeys([*kept.aliases, *names]))
            merged[key] = replace(kept, gender=gender, aliases=tuple(a for a in aliases if a != kept.name))
        else:
            aliases = speaker.aliases if target == speaker.name else (speaker.name, *speaker.aliases)
            merged[key] = replace(speaker, name=target, aliases=tuple(aliases))
        new_id[speaker.id] = merged[key].id
    segments = tuple(
        replace(segment, speaker=new_id[segment.speaker]) if segment.speaker else segment for segment in script.segments
    )
    return replace(script, speakers=tuple(merged.values()), segments=segments)


def _give_quote(script: Script, words: str, name: str) -> tuple[Script, bool]:
    wanted = normalise_for_match(words)
    matched = [i for i, s in enumerate(script.segments) if s.role == "quote" and wanted in normalise_for_match(s.text)]
    if not matched:
        return script, False
    speaker = _speaker_named(script, name)
    speakers = script.speakers
    if speaker is None:
        # Someone the article's attribution never found; more often a misspelling of someone it did.
        near = difflib.get_close_matches(name, [s.name for s in speakers], n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        log.warning("overrides: [[quote]] %r: %r is not among the article's speakers, so is added as a new one%s",
                    words, name, hint)
        speaker = Speaker(unique(slug(name) or "speaker", {s.id for s in speakers}), name)
        speakers = (*speakers, speaker)
    segments = list(script.segments)
    for index in matched:
        segments[index] = replace(segments[index], speaker=speaker.id)
    used = {segment.speaker for segment in segments if segment.speaker}
    return replace(script, segments=tuple(segments), speakers=tuple(s for s in speakers if s.id in used)), True


def _speaker_named(script: Script, name: str) -> Speaker | None:
    lowered = name.lower()
    return next((s for s in script.speakers if lowered in (n.lower() for n in (s.name, *s.aliases))), None)
