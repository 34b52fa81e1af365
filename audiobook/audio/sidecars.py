"""The files that travel with an episode, every format in one place, so that `render` and
`publish` give the same set: WebVTT and SubRip captions, the JSON transcript, JSON chapters,
a plain transcript and, when asked for, the talking book."""

from __future__ import annotations

import json
from pathlib import Path

from audiobook.model import Mix, Script, Segment

# What goes beside OUT.mp3, in the order of `episode_files`; the talking book only when asked for.
SUFFIXES = (".vtt", ".srt", ".json", ".chapters.json", ".txt", ".epub")


def episode_files(output: Path, script: Script, mix: Mix, cover_png: bytes,
                  book_audio: bytes | None = None) -> dict[Path, bytes]:
    """Every sidecar of the episode OUT.mp3, by the path it goes to; with ``book_audio`` (the MP3's
    bytes) the EPUB 3 talking book too, with ``cover_png`` on it. The caller writes them all together."""
    files = {
        output.with_suffix(".vtt"): webvtt(mix),
        output.with_suffix(".srt"): srt(mix),
        output.with_suffix(".json"): transcript_json(mix),
        output.with_suffix(".chapters.json"): chapters_json(mix, script),
        output.with_suffix(".txt"): transcript(script),
    }
    encoded = {path: text.encode() for path, text in files.items()}
    if book_audio is not None:
        from audiobook.audio.epub import talking_book  # ebooklib loads only when a book is asked for

        encoded[output.with_suffix(".epub")] = talking_book(script, mix, book_audio, cover_png)
    return encoded


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
