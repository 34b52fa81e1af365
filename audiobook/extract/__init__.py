"""Stage 2, text → Article: one reader per format, each saying whether a text is its own, then one structure pass.

A reader is a module with a ``name``, ``detect(text) -> bool`` and
``read(text, label, url) -> (lines, metadata)``; the first reader that detects the text reads it.
"""

from __future__ import annotations

from audiobook.extract import html, markdown, plain
from audiobook.extract.structure import structure
from audiobook.model import Article

READERS = (html, markdown, plain)
"""Most telling first: HTML markup, then Markdown syntax; plain text takes the rest."""


def extract(text: str, label: str = "article", url: str | None = None) -> Article:
    """Read an article in any supported format, detected from its content."""
    reader = next(reader for reader in READERS if reader.detect(text))
    lines, metadata = reader.read(text, label, url)
    return structure(lines, metadata, label)
