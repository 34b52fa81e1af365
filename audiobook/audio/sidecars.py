"""The files that travel with an episode: WebVTT captions, JSON chapters and a plain transcript."""

from __future__ import annotations

import json

from audiobook.model import Mix, Script, Segment


def webvtt(mix: Mix) -> str:
    """One cue per spoken segment, timed from the assembled audio, with the voice in a <v> tag."""
    lines = ["WEBVTT", ""]
    for number, cue in enumerate(mix.cues, start=1):
        lines += [str(number), f"{_timestamp(cue.start)} --> {_timestamp(cue.end)}",
                  f"<v {_escape(cue.speaker)}>{_escape(cue.text)}", ""]
    return "\n".join(lines)


def srt(mix: Mix) -> str:
    """SubRip captions, for players that take no WebVTT: the speaker's name leads each cue."""
    blocks = []
    for number, cue in enumerate(mix.cues, start=1):
        start, end = (_timestamp(cue.start).replace(".", ","), _timestamp(cue.end).replace(".", ","))
        blocks.append(f"{number}\n{start} --> {end}\n{cue.speaker}: {cue.text}\n")
    return "\n".join(blocks)


def transcript_json(mix: Mix) -> str:
    """The Podcasting 2.0 JSON transcript: one segment per cue, with its speaker."""
    segments = [
        {"speaker": cue.speaker, "startTime": round(cue.start, 3), "endTime": round(cue.end, 3), "body": cue.text}
        for cue in mix.cues
    ]
    return json.dumps({"version": "1.0.0", "segments": segments}, ensure_ascii=False, indent=1) + "\n"


def chapters_json(mix: Mix, script: Script) -> str:
    """Podcasting 2.0 JSON chapters, version 1.2."""
    document = {
        "version": "1.2.0",
        "title": script.title,
        "chapters": [
            {"startTime": round(chapter.start, 3), "endTime": round(chapter.end, 3), "title": chapter.title}
            for chapter in mix.chapters
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def transcript(script: Script) -> str:
    """What the listener hears, as paragraphs of text, with quotes in their marks and photos described."""
    paragraphs: list[str] = []
    current: list[str] = []
    paragraph_of_current: int | None = None
    for segment in script.segments:
        if not segment.spoken:
            continue
        if segment.paragraph != paragraph_of_current and current:
            paragraphs.append(" ".join(current))
            current = []
        paragraph_of_current = segment.paragraph
        current.append(_as_read(segment))
    if current:
        paragraphs.append(" ".join(current))
    return "\n\n".join(paragraphs) + "\n"


def _as_read(segment: Segment) -> str:
    if segment.role == "quote":
        return f"“{segment.text}”"
    if segment.role == "caption":
        return f"[{segment.spoken_text}]"
    return segment.text


def _timestamp(seconds: float) -> str:
    milliseconds = round(seconds * 1000)
    hours, milliseconds = divmod(milliseconds, 3_600_000)
    minutes, milliseconds = divmod(milliseconds, 60_000)
    return f"{hours:02d}:{minutes:02d}:{milliseconds / 1000:06.3f}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
