"""The script as JSON: the contract that `audiobook script --json` prints, and that `render` reads back.

A producer can save the JSON, fix a speaker, change a voice, skip a segment or respell a
word for the ear (the segment's "speech"), and render exactly that script.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, get_args

from audiobook.casting.profile import CastProfile
from audiobook.errors import AudiobookError, InputError
from audiobook.model import Cast, Gender, QuoteKind, Role, Script, Segment, Speaker


def script_to_json(script: Script, cast: Cast) -> dict[str, Any]:
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
                "quote_kind": segment.quote_kind, "speech": segment.speech,
            }
            for segment in script.segments
        ],
    }


def looks_like_script(text: str) -> bool:
    return text.lstrip().startswith("{") and '"segments"' in text


def script_from_json(text: str, profile: CastProfile, label: str) -> tuple[Script, Cast]:
    """Read an (edited) script; every problem is reported with where it is."""
    try:
        document = json.loads(text)
        speakers = tuple(
            Speaker(_text(s, "id"), _text(s, "name"), _choice(s.get("gender", "unknown"), Gender, "gender"),
                    tuple(s.get("aliases") or ()))
            for s in document["speakers"]
        )
        ids = {speaker.id for speaker in speakers}
        segments = []
        for number, raw in enumerate(document["segments"]):
            if raw.get("speaker") is not None and raw["speaker"] not in ids:
                raise ValueError(f"segment {number} names speaker {raw['speaker']!r}, which is not in 'speakers'")
            segments.append(Segment(
                role=_choice(raw["role"], Role, f"segment {number} role"), text=_text(raw, "text"),
                speaker=raw.get("speaker"), credit=raw.get("credit"), spoken=bool(raw.get("spoken", True)),
                paragraph=raw.get("paragraph"), chapter=raw.get("chapter"),
                quote_kind=_choice(raw["quote_kind"], QuoteKind, "quote_kind") if raw.get("quote_kind") else None,
                speech=raw.get("speech"), voice=raw.get("voice"),
            ))
        voice_ids = {s["voice"] for s in document["speakers"] if s.get("voice")} | {
            segment.voice for segment in segments if segment.voice
        }
        named = {voice_id: profile.voice(voice_id) for voice_id in voice_ids}
        cast = Cast(
            narrator=profile.narrator, describer=profile.describer,
            speakers={s["id"]: named[s["voice"]] for s in document["speakers"] if s.get("voice")}, named=named,
        )
        script = Script(
            title=document["title"], segments=tuple(segments), speakers=speakers, subtitle=document.get("subtitle"),
            date=dt.date.fromisoformat(document["date"]) if document.get("date") else None,
            byline=document.get("byline"), publication=document.get("publication"),
            source_url=document.get("source_url"),
        )
    except json.JSONDecodeError as error:
        raise InputError(f"{label}: not valid JSON ({error.msg} at line {error.lineno})") from None
    except KeyError as error:
        raise InputError(f"{label}: the script has no {error.args[0]!r} field") from None
    except AudiobookError as error:
        raise InputError(f"{label}: {error}") from None
    except (TypeError, ValueError) as error:
        raise InputError(f"{label}: {error}") from None
    if not any(segment.spoken for segment in segments):
        raise InputError(f"{label}: no segment of the script is spoken")
    return script, cast


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry[key]
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key!r} must be non-empty text, not {value!r}")
    return value


def _choice(value: Any, kind: Any, what: str) -> Any:
    allowed = get_args(kind)
    if value not in allowed:
        raise ValueError(f"{what} {value!r} is not one of {', '.join(allowed)}")
    return value
