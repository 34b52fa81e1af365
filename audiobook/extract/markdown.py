"""Read a Markdown article: headings, images with their alt text and titles, block quotes, lists."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from audiobook.extract.lines import Line, Metadata

_PARSER = MarkdownIt("commonmark")
# Headings, images, block quotes or bold "Name:" labels at a line's start: Markdown, not scraped text.
_MARKDOWN_SYNTAX = re.compile(r"^(#{1,6} \S|!\[[^\]]*\]\(|> \S|\*\*[^*]+:\*\*)", re.MULTILINE)

name = "Markdown"


def detect(text: str) -> bool:
    return bool(_MARKDOWN_SYNTAX.search(text))


def read(text: str, label: str, url: str | None) -> tuple[list[Line], Metadata]:
    return _lines(text), Metadata(url=url)


def _lines(text: str) -> list[Line]:
    lines: list[Line] = []
    quote_depth = 0
    heading: str | None = None
    for token in _PARSER.parse(text):
        if token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "heading_open":
            heading = token.tag
        elif token.type == "heading_close":
            heading = None
        elif token.type == "inline":
            lines.extend(_inline_lines(token, heading, quote_depth > 0))
    return lines


def _inline_lines(token: Token, heading: str | None, in_quote: bool) -> list[Line]:
    """An inline run's text; each image in it becomes a caption line of its own."""
    lines: list[Line] = []
    words: list[str] = []
    for child in token.children or []:
        if child.type == "image":
            description = child.attrs.get("title") or child.content
            if description:
                lines.append(Line(" ".join(str(description).split()), "caption"))
        elif child.type in ("text", "code_inline"):
            words.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            words.append(" ")
    text = " ".join("".join(words).split())
    if text:
        hint = "title" if heading == "h1" else "heading" if heading else "quote_block" if in_quote else "text"
        lines.append(Line(text, hint))
    return lines
