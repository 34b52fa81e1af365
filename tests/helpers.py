"""Paths and helpers shared by the tests."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = REPO / "samples" / "karabakh-uncertain-future.txt"
SHORT = FIXTURES / "short-wire.txt"


def quotes_in(
    paragraphs: str, headline: str | None = "A headline here", standfirst: str | None = "A standfirst sentence for the story.",
) -> list[tuple[str, str | None, str]]:
    """Each quote of a made-up story (a headline, a standfirst, then ``paragraphs``; either left out when None)
    with its speaker and basis, read with the real language model."""
    from audiobook.extract import extract
    from audiobook.script.build import build_script

    script = build_script(extract("\n\n".join(part for part in (headline, standfirst, paragraphs) if part is not None) + "\n"))
    names = {speaker.id: speaker.name for speaker in script.speakers}
    return [
        (segment.text, names.get(segment.speaker), segment.basis)
        for segment in script.segments if segment.role == "quote"
    ]


def speakers_in(
    paragraphs: str, headline: str | None = "A headline here", standfirst: str | None = "A standfirst sentence for the story.",
) -> list[str | None]:
    return [speaker for _, speaker, _ in quotes_in(paragraphs, headline, standfirst)]
