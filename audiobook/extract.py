"""Turn an article's text into its structure: title, standfirst, date, captions, body, pull quotes, boilerplate."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import parse_date
from .errors import InputError
from .model import Article, Block
from .quotes import QUOTE_OPENERS, normalise_for_match

# Credit forms papers print at the end of a caption, most specific first.
_CREDIT_PATTERNS = [
    re.compile(r"\s*©\s*(?P<credit>[^©]+?)\s*$"),
    re.compile(r"\s*\((?:photo(?:graph)?|picture|image|credit)s?\s*(?::|by)\s*(?P<credit>[^()]+)\)\s*$", re.IGNORECASE),
    re.compile(r"\s*\(credit:?\s*(?P<credit>[^()]+)\)\s*$", re.IGNORECASE),
    re.compile(r"(?<=[.!?”\"’)])\s*(?:photo(?:graph)?|picture|image|credit)s?\s*(?::|by)\s*(?P<credit>.+?)\s*$", re.IGNORECASE),
    re.compile(r"(?<=[.!?”\"’)])\s*(?P<credit>courtesy of .+?)\.?\s*$", re.IGNORECASE),
    re.compile(r"(?<=[.!?”\"’)])\s*(?P<credit>[A-Z][A-Z.\-' ]+/[A-Za-z][\w .&-]*)\s*$"),
]
_BOILERPLATE = re.compile(
    r"(this (publication|article|story|report|project) (was|is) (prepared|produced|made|supported|funded|published)"
    r"|financial support of|with (the )?support (of|from)|funded by|support (local|independent) journalis"
    r"|share (this|on)|sign up|subscribe|newsletter|follow us|read more|related (articles|stories)"
    r"|all rights reserved|^©|^copyright|advertisement|cookie|donate)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?:;…”\"’)\]]\s*$")
_BYLINE = re.compile(r"^by\s+[A-Z]", re.IGNORECASE)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")


@dataclass(frozen=True)
class _Line:
    text: str
    caption_text: str | None = None
    credit: str | None = None


def extract(text: str, label: str = "article") -> Article:
    """Read plain article text (one paragraph a line, as scraped from a page) into an Article."""
    lines = [_classify_caption(line) for line in _paragraphs(text)]
    if not lines:
        raise InputError(f"{label}: no text to read")
    lines = _drop_caption_duplicates(lines)

    leading_captions: list[Block] = []
    index = 0
    while index < len(lines) and lines[index].caption_text is not None:
        leading_captions.append(_caption_block(lines[index]))
        index += 1
    if index >= len(lines):
        raise InputError(f"{label}: only photo captions, no article text")

    title = _MARKDOWN_HEADING.sub("", lines[index].text)
    index += 1
    header, index = _header(lines, index)
    body_lines = lines[index:]
    trailing: list[Block] = []
    while body_lines and _is_boilerplate(body_lines[-1].text, is_last=not trailing):
        trailing.insert(0, Block("boilerplate", body_lines.pop().text))
    if not any(line.caption_text is None for line in body_lines):
        raise InputError(f"{label}: no paragraphs of article text after the title")

    body = _body_blocks(body_lines)
    blocks = [Block("title", title), *header.blocks, *leading_captions, *body, *trailing]
    return Article(
        title=title, blocks=tuple(blocks), subtitle=header.subtitle, date=header.date, byline=header.byline,
    )


def _paragraphs(text: str) -> list[str]:
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
        joinable = len(paragraphs[-1]) >= 60 and not _SENTENCE_END.search(line) and len(line) >= 40
    return paragraphs


def _classify_caption(line: str) -> _Line:
    for pattern in _CREDIT_PATTERNS:
        match = pattern.search(line)
        if match and match.start() > 0:
            caption = line[: match.start()].rstrip(" —–-|")
            if len(caption.split()) >= 3:
                return _Line(line, caption_text=caption, credit=match.group("credit").strip().rstrip("."))
    return _Line(line)


def _drop_caption_duplicates(lines: list[_Line]) -> list[_Line]:
    """Pages print a photo's alt text and then its caption: keep the credited copy only."""
    captions = {normalise_for_match(line.caption_text) for line in lines if line.caption_text}
    kept: list[_Line] = []
    for line in lines:
        if line.caption_text is None and normalise_for_match(line.text) in captions:
            continue
        if line.caption_text and kept and kept[-1].caption_text == line.caption_text:
            continue
        kept.append(line)
    return kept


@dataclass(frozen=True)
class _Header:
    blocks: tuple[Block, ...]
    subtitle: str | None
    date: object
    byline: str | None


def _header(lines: list[_Line], index: int) -> tuple[_Header, int]:
    """The standfirst, date and byline that follow a title, in whatever order the page prints them."""
    blocks: list[Block] = []
    subtitle = date = byline = None
    for _ in range(4):
        if index >= len(lines) or lines[index].caption_text is not None:
            break
        text = lines[index].text
        if date is None and (parsed := parse_date(text)):
            date = parsed
            blocks.append(Block("date", text))
        elif byline is None and _BYLINE.match(text) and len(text.split()) <= 12:
            byline = re.sub(r"^by\s+", "", text, flags=re.IGNORECASE)
            blocks.append(Block("byline", byline))
        elif subtitle is None and not blocks and _looks_like_standfirst(lines, index):
            subtitle = text
            blocks.append(Block("subtitle", text))
        else:
            break
        index += 1
    return _Header(tuple(blocks), subtitle, date, byline), index


def _looks_like_standfirst(lines: list[_Line], index: int) -> bool:
    text = lines[index].text
    if text[0] in QUOTE_OPENERS or len(text.split()) > 45:
        return False
    following = lines[index + 1].text if index + 1 < len(lines) else ""
    return bool(parse_date(following) or _BYLINE.match(following)) or len(text.split()) <= 35


def _is_boilerplate(text: str, is_last: bool) -> bool:
    if _BOILERPLATE.search(text) and len(text.split()) <= 60:
        return True
    # Menu items and section names: a few words with no sentence punctuation.
    return len(text.split()) <= 4 and not _SENTENCE_END.search(text) and text[0] not in QUOTE_OPENERS and (
        is_last or len(text) < 40
    )


def _body_blocks(lines: list[_Line]) -> list[Block]:
    paragraphs = [normalise_for_match(line.text) for line in lines]
    blocks: list[Block] = []
    for position, line in enumerate(lines):
        if line.caption_text is not None:
            blocks.append(_caption_block(line))
        elif _is_pull_quote(line.text, position, paragraphs):
            blocks.append(Block("pull_quote", _strip_pull_quote(line.text)))
        elif _MARKDOWN_HEADING.match(line.text) or _is_heading(line.text, position, lines):
            blocks.append(Block("heading", _MARKDOWN_HEADING.sub("", line.text)))
        else:
            blocks.append(Block("paragraph", line.text))
    return blocks


def _caption_block(line: _Line) -> Block:
    return Block("caption", line.caption_text or line.text, credit=line.credit)


def _is_pull_quote(text: str, position: int, paragraphs: list[str]) -> bool:
    """A short line set apart whose words stand elsewhere in the body."""
    words = normalise_for_match(_strip_pull_quote(text))
    if not words or len(words.split()) > 40 or len(words.split()) < 3:
        return False
    return any(words in other for index, other in enumerate(paragraphs) if index != position)


def _strip_pull_quote(text: str) -> str:
    """Pull-quote text without its quotation marks or '— Name' tag."""
    text = re.sub(r"\s*[—–-]\s*[A-Z][\w.’' -]{1,60}$", "", text) if text[0] in QUOTE_OPENERS else text
    return text.strip().strip("\"“”‘’«»").strip()


def _is_heading(text: str, position: int, lines: list[_Line]) -> bool:
    followed_by_text = position + 1 < len(lines) and lines[position + 1].caption_text is None
    return (
        followed_by_text and len(text.split()) <= 10 and not _SENTENCE_END.search(text)
        and text[0] not in QUOTE_OPENERS and text[0].isupper()
    )
