"""A producer's corrections, kept beside the article so they survive re-extraction of a changed article.

`ARTICLE.audiobook.toml` (or `--overrides PATH`); every table is optional:

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

Corrections that no longer match anything are reported and otherwise ignored, so an edited
article still renders.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

from audiobook.casting.profile import CastProfile
from audiobook.errors import CastError, InputError
from audiobook.model import Script, Speaker, Voice
from audiobook.names import slug, unique
from audiobook.script.quotes import normalise_for_match
from audiobook.speech.ear import Lexicon
from audiobook.tomlfile import read_toml

log = logging.getLogger("audiobook")


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


def sidecar_path(article: Path) -> Path:
    return article.with_name(f"{article.stem}.audiobook.toml")


def load_overrides(path: Path) -> Overrides:
    data = read_toml(path, "overrides file", InputError)
    unknown = set(data) - {"rename", "voices", "pronounce", "quote", "skip"}
    if unknown:
        raise InputError(f"{path}: unknown tables {', '.join(sorted(unknown))} (see the README's Corrections)")
    try:
        return Overrides(
            rename={str(k): str(v) for k, v in data.get("rename", {}).items()},
            voices={str(k): str(v) for k, v in data.get("voices", {}).items()},
            pronounce={str(k): str(v) for k, v in data.get("pronounce", {}).items()},
            quotes=tuple((entry["words"], entry["speaker"]) for entry in data.get("quote", [])),
            skip=tuple(entry["words"] for entry in data.get("skip", [])),
        )
    except (KeyError, TypeError, AttributeError) as error:
        raise InputError(f"{path}: each [[quote]] needs words and speaker, each [[skip]] needs words ({error})") from None


def apply(script: Script, overrides: Overrides) -> Script:
    """The script with speakers renamed or merged, quotes reassigned and segments skipped."""
    script = _rename(script, overrides.rename)
    for words, name in overrides.quotes:
        script = _give_quote(script, words, name)
    for words in overrides.skip:
        wanted = normalise_for_match(words)
        matched = [i for i, s in enumerate(script.segments) if s.spoken and wanted in normalise_for_match(s.text)]
        if not matched:
            log.warning("overrides: no spoken segment contains %r; skipping nothing", words)
        segments = list(script.segments)
        for index in matched:
            segments[index] = replace(segments[index], spoken=False)
        script = replace(script, segments=tuple(segments))
    return script


def pinned_voices(script: Script, overrides: Overrides, profile: CastProfile) -> dict[str, Voice]:
    pinned: dict[str, Voice] = {}
    for name, voice_id in overrides.voices.items():
        speaker = _speaker_named(script, name)
        if speaker is None:
            log.warning("overrides: no speaker is called %r; its voice is not pinned", name)
            continue
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


def _give_quote(script: Script, words: str, name: str) -> Script:
    wanted = normalise_for_match(words)
    matched = [i for i, s in enumerate(script.segments) if s.role == "quote" and wanted in normalise_for_match(s.text)]
    if not matched:
        log.warning("overrides: no quote contains %r; it stays as it was", words)
        return script
    speaker = _speaker_named(script, name)
    speakers = script.speakers
    if speaker is None:
        speaker = Speaker(unique(slug(name) or "speaker", {s.id for s in speakers}), name)
        speakers = (*speakers, speaker)
    segments = list(script.segments)
    for index in matched:
        segments[index] = replace(segments[index], speaker=speaker.id)
    used = {segment.speaker for segment in segments if segment.speaker}
    return replace(script, segments=tuple(segments), speakers=tuple(s for s in speakers if s.id in used))


def _speaker_named(script: Script, name: str) -> Speaker | None:
    lowered = name.lower()
    return next((s for s in script.speakers if lowered in (n.lower() for n in (s.name, *s.aliases))), None)
