"""Read plain text scraped from a page: one paragraph a line (or hard-wrapped), nothing marked up."""

from __future__ import annotations

from audiobook.extract.lines import Line, Metadata
from audiobook.extract.chrome import is_chrome
from audiobook.extract.structure import SENTENCE_END

name = "plain text"


def detect(text: str) -> bool:
    """Anything is plain text; this reader is the last one asked."""
    return True


def read(text: str, label: str, url: str | None) -> tuple[list[Line], Metadata]:
    """Non-empty lines, re-joining lines that a hard wrap split mid-sentence."""
    paragraphs: list[str] = []
    joinable = False
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            joinable = False
            continue
        if joinable and paragraphs:
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
        # A long line that stops mid-sentence was wrapped; a short one is a heading or a menu item.
        joinable = len(line) >= 40 and not SENTENCE_END.search(line) and not is_chrome(Line(line), "before_title")
    return [Line(paragraph) for paragraph in paragraphs], Metadata(url=url)
