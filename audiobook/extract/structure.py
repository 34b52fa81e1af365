"""Decide what every line of an article is: title, standfirst, date, byline, captions, body, pull quotes, boilerplate.

Every reader (plain, markdown, html) turns its format into Lines; this one pass does the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from audiobook.extract.dates import parse_date
from audiobook.errors import InputError
from audiobook.extract.lines import Line, Metadata
from audiobook.model import Article, Block
from audiobook.script.quotes import QUOTE_OPENERS, normalise_for_match

# Credit forms papers print at the end of a caption, most specific first.
_CREDIT_PATTERNS = [
    re.compile(r"\s*©\s*(?P<credit>[^©]+?)\s*$"),
    re.compile(r"\s*\((?:photo(?:graph)?|picture|image|credit)s?\s*(?::|by)\s*(?P<credit>[^()]+)\)\s*$", re.IGNORECASE),
    re.compile(r"\s*\(credit:?\s*(?P<credit>[^()]+)\)\s*$", re.IGNORECASE),
    re.compile(r"(?<=[.!?”\"’)])\s*(?:photo(?:graph)?|picture|image|credit)s?\s*(?::|by)\s*(?P<credit>.+?)\s*$", re.IGNORECASE),
    re.compile(r"(?<=[.!?”\"’)])\s*(?P<credit>courtesy of .+?)\.?\s*$", re.IGNORECASE),
    re.compile(r"(?<=[.!?”\"’)])\s*(?P<credit>[A-Z][A-Za-z.\-' ]+/[A-Za-z][\w .&-]*)\s*$"),
]
# A credit is a few words at the end of a caption: looking for one only this far from the end
# keeps the patterns (which would otherwise retry from every full stop) linear in the text.
_CREDIT_REACH = 300
_BOILERPLATE = re.compile(
    r"(this (publication|article|story|report|project|piece) (was|is) (prepared|produced|made|supported|funded|published)"
    r"|financial support of|with (the )?support (of|from)|funded by|support (local|independent|our) journalis"
    r"|share (this|on)|sign up|subscribe|newsletter|follow us|read more|related (articles|stories)"
    r"|all rights reserved|^©|^copyright|advertisement|cookie|donate|^more from|^recommended"
    r"|^(tags|topics|filed under):|^(click|tap) here|this interview has been (edited|condensed))",
    re.IGNORECASE,
)
# Prompts a page puts between paragraphs: never read, wherever they stand.
_INLINE_BOILERPLATE = re.compile(
    r"^(read more|related|also read|see also|advertisement|sign up|subscribe|follow us|listen to|watch|"
    r"more on this story|recommended|click here|support our journalism)\b[:\s]",
    re.IGNORECASE,
)
# Page furniture scraped above the headline: skip links, menus, search boxes, separators of sections.
LEADING_CHROME = re.compile(
    r"^(skip to( the)?( main)? content|skip navigation|menu|search|sign in|log in|subscribe|home|sections|"
    r"newsletters?|account|advertisement|open menu|close|toggle navigation|share|.*(\s[|·•›»]\s.*){2,})$",
    re.IGNORECASE,
)
_IMAGE_SOURCE = re.compile(r"^(?:image|picture|photo) source,\s*(.+)$", re.IGNORECASE)
_IMAGE_CAPTION = re.compile(r"^(?:image|media|picture) caption,\s*(.+)$", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?:;…”\"’)\]]\s*$")
_BYLINE = re.compile(r"^by\s+[A-Z]", re.IGNORECASE)
_MARKUP_HEADING = re.compile(r"^#{1,6}\s+")


def structure(lines: list[Line], metadata: Metadata, label: str) -> Article:
    """Decide what each line is, and assemble the Article."""
    lines = [classify_caption(line) for line in _labelled_captions([line for line in lines if line.text.strip()])]
    if not lines:
        raise InputError(f"{label}: no text to read")
    lines = _drop_caption_duplicates(lines)

    leading_chrome: list[Block] = []
    leading_captions: list[Block] = []
    index = 0
    while index < len(lines) and (lines[index].caption_text is not None or LEADING_CHROME.match(lines[index].text)):
        if lines[index].caption_text is not None:
            leading_captions.append(_caption_block(lines[index]))
        else:
            leading_chrome.append(Block("boilerplate", lines[index].text))
        index += 1
    if index >= len(lines):
        raise InputError(f"{label}: only photo captions, no article text")

    if metadata.title:
        title = metadata.title
        if normalise_for_match(lines[index].text) == normalise_for_match(title):
            index += 1
    else:
        title = _MARKUP_HEADING.sub("", lines[index].text)
        index += 1
    header, index = _header(lines, index, metadata)
    body_lines = lines[index:]
    trailing: list[Block] = []
    while body_lines and _is_boilerplate(body_lines[-1], is_last=not trailing):
        trailing.insert(0, Block("boilerplate", body_lines.pop().text))
    if not any(line.caption_text is None for line in body_lines):
        raise InputError(f"{label}: no paragraphs of article text after the title")

    blocks = [*leading_chrome, Block("title", title), *header.blocks, *leading_captions, *_body_blocks(body_lines), *trailing]
    return Article(
        title=title, blocks=tuple(blocks), subtitle=header.subtitle, date=header.date, byline=header.byline,
        publication=metadata.publication, source_url=metadata.url,
    )


def _labelled_captions(lines: list[Line]) -> list[Line]:
    """Pages that label their pictures ('Image source, Reuters' then 'Image caption, Crowds …'):
    one caption line with its credit."""
    merged: list[Line] = []
    credit: str | None = None
    for line in lines:
        if source := _IMAGE_SOURCE.match(line.text):
            credit = source.group(1).strip()
            continue
        if caption := _IMAGE_CAPTION.match(line.text):
            merged.append(Line(caption.group(1).strip(), "caption", caption.group(1).strip(), credit))
        else:
            merged.append(line)
        credit = None
    return merged


def split_credit(text: str) -> tuple[str, str] | None:
    """'Caption text. © Name' → ('Caption text.', 'Name'), for every credit form papers print."""
    for pattern in _CREDIT_PATTERNS:
        match = pattern.search(text, max(0, len(text) - _CREDIT_REACH))
        if match and match.start() > 0:
            caption = text[: match.start()].rstrip(" —–-|")
            if len(caption.split()) >= 3:
                return caption, match.group("credit").strip().rstrip(".")
    return None


def classify_caption(line: Line) -> Line:
    if line.caption_text is not None:
        return line
    if line.hint in ("text", "caption") and (found := split_credit(line.text)):
        return replace(line, caption_text=found[0], credit=found[1])
    if line.hint == "caption":
        return replace(line, caption_text=line.text)
    return line


def _drop_caption_duplicates(lines: list[Line]) -> list[Line]:
    """Pages print a photo's alt text and then its caption: keep one copy, the credited one."""
    captions = [normalise_for_match(line.caption_text) for line in lines if line.caption_text and line.credit]
    kept: list[Line] = []
    for line in lines:
        words = normalise_for_match(line.caption_text or line.text)
        uncredited = line.credit is None and (line.caption_text is not None or line.hint == "text")
        if uncredited and words and any(words == caption or (len(words) > 20 and words in caption) for caption in captions):
            continue
        if line.caption_text and kept and kept[-1].caption_text and normalise_for_match(kept[-1].caption_text) == words:
            continue
        kept.append(line)
    return kept


@dataclass(frozen=True)
class _Header:
    blocks: tuple[Block, ...]
    subtitle: str | None
    date: dt.date | None
    byline: str | None


def _header(lines: list[Line], index: int, metadata: Metadata) -> tuple[_Header, int]:
    """The standfirst, date and byline that follow a title, in whatever order the page prints them."""
    blocks: list[Block] = []
    subtitle, date, byline = metadata.subtitle, metadata.date, metadata.byline
    date_text = byline_text = None
    for _ in range(4):
        if index >= len(lines) or lines[index].caption_text is not None or lines[index].hint != "text":
            break
        text = lines[index].text
        if date_text is None and (parsed := parse_date(text)):
            date, date_text = parsed, text
        elif byline_text is None and _BYLINE.match(text) and len(text.split()) <= 12:
            byline_text = re.sub(r"^by\s+", "", text, flags=re.IGNORECASE)
            byline = byline or byline_text
        elif subtitle and normalise_for_match(text) == normalise_for_match(subtitle):
            pass
        elif subtitle is None and not (date_text or byline_text) and not metadata.title and _looks_like_standfirst(lines, index):
            subtitle = text
        else:
            break
        index += 1
    if subtitle:
        blocks.append(Block("subtitle", subtitle))
    if date:
        blocks.append(Block("date", date_text or f"{date:%A}, {date.day} {date:%B} {date.year}"))
    if byline:
        blocks.append(Block("byline", byline))
    return _Header(tuple(blocks), subtitle, date, byline), index


def _looks_like_standfirst(lines: list[Line], index: int) -> bool:
    text = lines[index].text
    # A quote, a long paragraph, or the first question of a numbered interview ("1. Where did you grow up?").
    if text[0] in QUOTE_OPENERS or len(text.split()) > 45 or re.match(r"\d{1,2}[.)]\s.*\?$", text):
        return False
    following = lines[index + 1].text if index + 1 < len(lines) else ""
    return bool(parse_date(following) or _BYLINE.match(following)) or len(text.split()) <= 35


def _is_boilerplate(line: Line, is_last: bool) -> bool:
    text = line.text
    if line.caption_text is not None or line.hint == "heading" and not is_last:
        return False
    if _BOILERPLATE.search(text) and len(text.split()) <= 60:
        return True
    # Menu items and section names: a few words with no sentence punctuation.
    return len(text.split()) <= 4 and not SENTENCE_END.search(text) and text[0] not in QUOTE_OPENERS and (
        is_last or len(text) < 40
    )


def _body_blocks(lines: list[Line]) -> list[Block]:
    paragraphs = [normalise_for_match(line.text) for line in lines]
    blocks: list[Block] = []
    for position, line in enumerate(lines):
        if line.caption_text is not None:
            blocks.append(_caption_block(line))
        elif line.hint == "text" and len(line.text.split()) <= 25 and _INLINE_BOILERPLATE.match(line.text + " "):
            blocks.append(Block("boilerplate", line.text))
        elif line.hint in ("text", "quote_block") and _is_pull_quote(line, position, paragraphs):
            blocks.append(Block("pull_quote", _strip_pull_quote(line.text)))
        elif line.hint == "heading" or line.hint == "title" or (
            line.hint == "text" and _is_heading(line.text, position, lines)
        ):
            blocks.append(Block("heading", _MARKUP_HEADING.sub("", line.text)))
        else:
            blocks.append(Block("paragraph", line.text))
    return blocks


def _caption_block(line: Line) -> Block:
    return Block("caption", line.caption_text or line.text, credit=line.credit)


def _is_pull_quote(line: Line, position: int, paragraphs: list[str]) -> bool:
    """A short line set apart whose words stand elsewhere in the body."""
    words = normalise_for_match(_strip_pull_quote(line.text))
    if not words or len(words.split()) > 40 or len(words.split()) < 3:
        return False
    if line.hint == "text" and not (line.text[0] in QUOTE_OPENERS or len(words.split()) <= 25):
        return False
    return any(words in other for index, other in enumerate(paragraphs) if index != position and other != words)


def _strip_pull_quote(text: str) -> str:
    """Pull-quote text without its quotation marks or '— Name' tag."""
    text = re.sub(r"[”\"’»]\s*[—–-]\s*[A-Z][\w.’' -]{1,60}$", "”", text) if text[0] in QUOTE_OPENERS else text
    return text.strip().strip("\"“”‘’«»").strip()


def _is_heading(text: str, position: int, lines: list[Line]) -> bool:
    followed_by_text = position + 1 < len(lines) and lines[position + 1].caption_text is None
    return (
        followed_by_text and len(text.split()) <= 10 and not SENTENCE_END.search(text)
        and text[0] not in QUOTE_OPENERS and text[0].isupper()
    )
