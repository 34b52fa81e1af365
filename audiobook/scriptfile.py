"""The script as JSON: the contract that `audiobook script --json` prints and tools rely on."""

from __future__ import annotations

from typing import Any

from .model import Cast, Script


def script_to_json(script: Script, cast: Cast) -> dict[str, Any]:
    return {
        "title": script.title,
        "subtitle": script.subtitle,
        "date": script.date.isoformat() if script.date else None,
        "byline": script.byline,
        "speakers": [
            {
                "id": speaker.id, "name": speaker.name, "gender": speaker.gender,
                "aliases": list(speaker.aliases), "voice": cast.speakers[speaker.id].id,
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
