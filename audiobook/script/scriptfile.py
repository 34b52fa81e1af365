"""The script as JSON: the contract that `audiobook script --json` prints, and that `render` reads back.

A producer can save the JSON, fix a speaker, change a voice, skip a segment or respell a
word for the ear (the segment's "speech"), and render exactly that script.

Voices follow the producer's intent: a quote's voice is its speaker's (`speakers[].voice`), so
changing a segment's `speaker` or a speaker's `voice` recasts those segments; a segment keeps a
voice of its own only when its `voice` was changed away from `cast_voice`, the voice the cast gave it.

The file is validated field by field before anything is built from it, so every problem is one
line naming the segment or speaker and the field.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from typing import Any, get_args

from audiobook.casting.profile import CastProfile
from audiobook.errors import AudiobookError, InputError
from audiobook.model import Cast, Gender, QuoteKind, Role, Script, Segment, Speaker, Voice
from audiobook.speech.ear import Lexicon, for_the_ear

def script_to_json(script: Script, cast: Cast, lexicon: Lexicon | None = None) -> dict[str, Any]:
    """The script as the contract prints it; with ``lexicon``, ``speech`` is what the engine will hear."""
    return {
        "title": script.title,
        "subtitle": script.subtitle,
        "date": script.date.isoformat() if script.date else None,
        "byline": script.byline,
        "publication": script.publication,
        "source_url": script.source_url,
        "speakers": [
            {
                "id": speaker.id, "name": speaker.name, "gender": speaker.gender,
                "aliases": list(speaker.aliases), "voice": cast.speakers[speaker.id].id,
                "cast_gender_guess": cast.gender_guesses.get(speaker.id),
            }
            for speaker in script.speakers
        ],
        "segments": [
            {
                "role": segment.role, "text": segment.text, "speaker": segment.speaker,
                "credit": segment.credit, "spoken": segment.spoken,
                "voice": cast.voice_for(segment).id if segment.spoken else None,
                "paragraph": segment.paragraph, "chapter": segment.chapter,
                "quote_kind": segment.quote_kind, "speech": _heard(segment, lexicon),
                "cast_voice": cast.voice_for(replace(segment, voice=None)).id if segment.spoken else None,
                "basis": segment.basis, "confidence": segment.confidence,
            }
            for segment in script.segments
        ],
    }


def _heard(segment: Segment, lexicon: Lexicon | None) -> str | None:
    if lexicon is None or not segment.spoken:
        return segment.speech
    heard = for_the_ear(segment.spoken_text, lexicon)
    return heard if heard.strip() and heard != " ".join(segment.text.split()) else segment.speech


def looks_like_script(text: str, name: str = "") -> bool:
    """A `.json` file, or JSON text that starts as the contract's object does."""
    return name.lower().endswith(".json") or text.lstrip().startswith("{")


def script_from_json(text: str, profile: CastProfile, label: str) -> tuple[Script, Cast]:
    """Read an (edited) script; every problem is reported with where it is."""
    try:
        return _read(_parse(text), profile)
    except AudiobookError as error:
        raise InputError(f"{label}: {error}") from None


def _parse(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON ({error.msg} at line {error.lineno})") from None
    except RecursionError:
        # The parser stops at its recursion limit; no script nests more than a few levels.
        raise InputError("not a script: JSON nested too deeply") from None
    except ValueError as error:  # a number of thousands of digits
        raise InputError(f"not a script: {str(error).split(':')[0].lower()}") from None


class _Fields:
    """One JSON object of the script, read field by field; errors say where (``segment 3``) and which field."""

    def __init__(self, value: Any, where: str) -> None:
        if not isinstance(value, dict):
            raise InputError(f"{where} must be a JSON object, not {_kind(value)}")
        self.value, self.where = value, where

    def text(self, key: str, optional: bool = False) -> str | None:
        value = self._get(key, optional)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self._error(key, "must be non-empty text" + (" or null" if optional else ""), value)
        _check_unicode(value, self._name(key))
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.value.get(key, default)
        if not isinstance(value, bool):
            raise self._error(key, "must be true or false", value)
        return value

    def number(self, key: str) -> int | None:
        value = self.value.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise self._error(key, "must be a whole number or null", value)
        return value

    def fraction(self, key: str) -> float | None:
        value = self.value.get(key)
        if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1):
            raise self._error(key, "must be a number from 0 to 1, or null", value)
        return value

    def choice(self, key: str, kind: Any, default: Any = None, optional: bool = False) -> Any:
        value = self._get(key, optional or default is not None)
        if value is None:
            return default
        if value not in get_args(kind):
            raise self._error(key, f"must be one of {', '.join(get_args(kind))}", value)
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.value.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            raise self._error(key, "must be a list of names in quotes", value)
        for item in value:
            _check_unicode(item, self._name(key))
        return tuple(value)

    def date(self, key: str) -> dt.date | None:
        value = self.value.get(key)
        if value is None:
            return None
        try:
            if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
                return dt.date.fromisoformat(value)
        except ValueError:
            pass
        raise self._error(key, "must be a date as YYYY-MM-DD or null", value)

    def items(self, key: str) -> list[Any]:
        value = self._get(key, optional=False)
        if not isinstance(value, list):
            raise self._error(key, "must be a list", value)
        return value

    def _get(self, key: str, optional: bool) -> Any:
        if key not in self.value and not optional:
            raise InputError(f"{self._name(key)} is missing")
        return self.value.get(key)

    def _name(self, key: str) -> str:
        return f"{self.where}: {key!r}" if self.where != "the script" else f"the script's {key!r}"

    def _error(self, key: str, rule: str, value: Any) -> InputError:
        return InputError(f"{self._name(key)} {rule}, not {_shown(value)}")


def _read(document: Any, profile: CastProfile) -> tuple[Script, Cast]:
    top = _Fields(document, "the script")
    speakers: list[Speaker] = []
    speaker_voices: dict[str, Voice] = {}
    for number, raw in enumerate(top.items("speakers")):
        entry = _Fields(raw, f"speaker {number}")
        speaker = Speaker(entry.text("id"), entry.text("name"), entry.choice("gender", Gender, "unknown"),
                          entry.texts("aliases"))
        if speaker.id in speaker_voices:
            raise InputError(f"speaker {number}: 'id' {speaker.id!r} is used twice")
        speaker_voices[speaker.id] = _voice(profile, entry.text("voice"), f"speaker {number}")
        speakers.append(speaker)
    named: dict[str, Voice] = {}
    segments: list[Segment] = []
    for number, raw in enumerate(top.items("segments")):
        entry = _Fields(raw, f"segment {number}")
        speaker = entry.text("speaker", optional=True)
        if speaker is not None and speaker not in speaker_voices:
            raise InputError(f"segment {number}: 'speaker' {speaker!r} is not the id of one of 'speakers'")
        segment = Segment(
            role=entry.choice("role", Role), text=entry.text("text"), speaker=speaker,
            credit=entry.text("credit", optional=True), spoken=entry.flag("spoken", True),
            paragraph=entry.number("paragraph"), chapter=entry.text("chapter", optional=True),
            quote_kind=entry.choice("quote_kind", QuoteKind, optional=True),
            speech=entry.text("speech", optional=True),
            basis=entry.text("basis", optional=True), confidence=entry.fraction("confidence"),
        )
        voice_id = entry.text("voice", optional=True)
        if voice_id is not None:
            voice = _voice(profile, voice_id, f"segment {number}")
            cast_voice = entry.text("cast_voice", optional=True)
            # A segment pins a voice only when the producer changed it from the one the cast gave it;
            # otherwise its voice follows its speaker (or role), wherever the producer moved them.
            changed = voice_id != cast_voice if cast_voice is not None else not _cast_gave(voice, segment, profile, speaker_voices)
            if changed:
                named[voice_id] = voice
                segment = replace(segment, voice=voice_id)
        segments.append(segment)
    if not any(segment.spoken for segment in segments):
        raise InputError("no segment of the script is spoken")
    script = Script(
        title=top.text("title"), segments=tuple(segments), speakers=tuple(speakers),
        subtitle=top.text("subtitle", optional=True), date=top.date("date"),
        byline=top.text("byline", optional=True), publication=top.text("publication", optional=True),
        source_url=top.text("source_url", optional=True),
    )
    cast = Cast(narrator=profile.narrator, describer=profile.describer, speakers=speaker_voices, named=named)
    return script, cast


def _cast_gave(voice: Voice, segment: Segment, profile: CastProfile, speaker_voices: dict[str, Voice]) -> bool:
    """For scripts saved before `cast_voice` was printed: could the cast have given this voice?
    A quote's voice that is some speaker's was its speaker's (the speaker may since have changed)."""
    if segment.role == "quote" and voice in speaker_voices.values():
        return True
    return voice == Cast(profile.narrator, profile.describer, speaker_voices).voice_for(segment)


def _voice(profile: CastProfile, voice_id: str, where: str) -> Voice:
    try:
        return profile.voice(voice_id)
    except AudiobookError as error:
        raise InputError(f"{where}: 'voice' {voice_id!r}: {error}") from None


def _check_unicode(value: str, name: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise InputError(f"{name} holds a character that is not text ({value[error.start]!r})") from None


def _kind(value: Any) -> str:
    names: dict[type, str] = {list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=True)
    return shown if len(shown) <= 40 else shown[:39] + "…"
