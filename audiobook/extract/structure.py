"""Decide what every line of an article is: title, standfirst, date, byline, captions, body, pull quotes, boilerplate.

Every reader (plain, markdown, html) turns its format into Lines; this one pass does the rest.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, replace

from audiobook.extract.chrome import (
    BYLINE, FULL_STOP, PICTURE_CREDIT, Neighbours, Where, comments_start, is_chrome, looks_like_bare_caption,
    printed_key,
)
from audiobook.extract.dates import parse_date
from audiobook.errors import InputError
from audiobook.extract.lines import Line, Metadata
from audiobook.model import Article, Block
from audiobook.script.quotes import QUOTE_OPENERS, normalise_for_match, single_marks

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
_IMAGE_SOURCE = re.compile(r"^(?:image|picture|photo) source,\s*(.+)$", re.IGNORECASE)
_IMAGE_CAPTION = re.compile(r"^(?:image|media|picture) caption,\s*(.+)$", re.IGNORECASE)
# A dateline opens a story's first paragraph, never a standfirst: "HIGHGATE: ", "MOREHOUSE, MO (KFVS) - ",
# "Washington (CNN) — ", "(NewsNation) — ", "Cape Town – ".
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z .'’-]{2,}(?:,\s*[A-Z][A-Za-z.]{1,15})?\s*(?:\([^)]{2,30}\))?\s*[-–—:]"  # in capitals
    r"|(?:[A-Z][\w.'’-]*\s*){1,3}\([^)]{2,30}\)\s*[-–—]"  # a place and the outlet
    r"|\([^)]{2,30}\)\s*[-–—]"  # the outlet alone
    r"|[A-Z][a-z]+(?:\s[A-Z][a-z]+){0,2}\s[–—])\s+\S"  # a place and a dash
)
SENTENCE_END = re.compile(r"[.!?:;…”\"’)\]]\s*$")
_MARKUP_HEADING = re.compile(r"^#{1,6}\s+")
_BY = re.compile(r"^by\s+", re.IGNORECASE)
# What a byline line prints beside the name, after a bar, a dot or a dash.
_BESIDE_BYLINE = re.compile(r"\s+[|·•—–]\s+")
_BY_NAME_AT_END = re.compile(r"\bby\s+([A-Z][\w’'-]+(?: [A-Z][\w’'-]+){1,3})\s*$")
# Bylines printed without 'By' (_unmarked_byline).
_NAME_ALONE = re.compile(r"^[A-Z][\w’'-]+(?: (?:[A-Z]\.|[A-Z][\w’'-]+)){1,3}$")
_STAFF_TITLE = r"(?i:[\w ,&-]{0,50}\b(?:reporter|correspondent|editor|writer|columnist|contributor|journalist)s?)"
_STAFF_TITLE_ALONE = re.compile(rf"^{_STAFF_TITLE}$")
_NAME_WITH_STAFF_TITLE = re.compile(rf"^(?P<name>{_NAME_ALONE.pattern[1:-1]})\s*[,|–—]\s*(?P<title>{_STAFF_TITLE})$")
# How far above the headline page furniture reaches: a menu, a section name, a notice or two.
_LOOK_AHEAD = 4


def structure(lines: list[Line], metadata: Metadata, label: str) -> Article:
    """Decide what each line is, and assemble the Article."""
    lines = [
        classify_caption(replace(line, text=single_marks(line.text)))
        for line in _labelled_captions([line for line in lines if line.text.strip()])
    ]
    if not lines:
        raise InputError(f"{label}: no text to read")
    lines = _drop_caption_duplicates(lines)

    neighbourhood = _Neighbourhood(lines)
    leading_chrome: list[Block] = []
    leading_captions: list[Block] = []
    index = 0
    while index < len(lines) and (
        lines[index].caption_text is not None or neighbourhood.is_chrome(index, "before_title")
    ):
        if lines[index].caption_text is not None:
            leading_captions.append(_caption_block(lines[index]))
        else:
            leading_chrome.append(Block("boilerplate", lines[index].text))
        index += 1
    if index >= len(lines):
        raise InputError(f"{label}: only photo captions, no article text")
    if index + 1 < len(lines) and (printed := parse_date(lines[index].text)):
        # A date printed above the headline ('Last Updated: Sunday, 16 March 2008') is the date, not the title.
        metadata = replace(metadata, date=metadata.date or printed)
        index += 1

    title_blocks: list[Block] = []
    if metadata.title:
        title = metadata.title
        if normalise_for_match(lines[index].text) == normalise_for_match(title):
            index += 1
        title_blocks.append(Block("title", title))
    elif _is_lede(lines[index]):
        # Text scraped from below the headline begins with the story: it is read as story, and the episode is
        # named by its first words, not read twice.
        title = _first_words(lines[index].text)
    else:
        title = _MARKUP_HEADING.sub("", lines[index].text)
        title_blocks.append(Block("title", title))
        index += 1
    while title_blocks and index + 1 < len(lines) and _same_words(lines[index].text, title):
        # The headline printed again (the page's title, then its heading): heard once.
        title_blocks.append(Block("boilerplate", lines[index].text))
        index += 1
    if title_blocks:
        header, index = _header(lines, index, metadata, neighbourhood)
    else:
        header = _Header((), (), (), None, metadata.date, metadata.byline)
    body_start, body_end = index, len(lines)
    trailing: list[Block] = []
    while body_end > body_start and _ends_the_page(
        lines, body_start, body_end - 1, neighbourhood, is_last=not trailing,
    ):
        body_end -= 1
        trailing.insert(0, Block("boilerplate", lines[body_end].text))
    if not any(line.caption_text is None for line in lines[body_start:body_end]):
        raise InputError(f"{label}: no paragraphs of article text after the title")

    blocks = [
        *leading_chrome, *title_blocks, *header.blocks, *header.chrome, *leading_captions, *header.captions,
        *_body_blocks(lines, body_start, body_end, neighbourhood), *trailing,
    ]
    return Article(
        title=title, blocks=tuple(blocks), subtitle=header.subtitle, date=header.date, byline=header.byline,
        publication=metadata.publication, source_url=metadata.url,
    )


def _is_lede(line: Line) -> bool:
    """A first line that is a story's opening sentence, not a headline: a headline does not end as a sentence
    ends, unless it is a short one."""
    return line.hint == "text" and bool(FULL_STOP.search(line.text)) and (
        len(line.text.split()) >= 14 or line.text[0] in QUOTE_OPENERS)


def _first_words(text: str, count: int = 10) -> str:
    words = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].split()
    return " ".join(words[:count]).rstrip(",;:") + ("…" if len(words) > count else "")


def _labelled_captions(lines: list[Line]) -> list[Line]:
    """Pages that label their pictures ('Image source, Reuters' then 'Image caption, Crowds …'), or print a
    caption's credit on the line below it ('Photo: AFP'): one caption line with its credit."""
    merged: list[Line] = []
    credit: str | None = None
    for line in lines:
        if source := _IMAGE_SOURCE.match(line.text):
            credit = source.group(1).strip()
            continue
        previous = merged[-1] if merged else None
        below = PICTURE_CREDIT.match(line.text.strip())
        if below and previous and previous.hint == "caption" and not previous.credit:
            merged[-1] = replace(previous, caption_text=previous.caption_text or previous.text,
                                 credit=(below.group("credit") or below.group("agency")).strip())
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
        # The same few words twice in a row, no credit: a photo's alt text and its caption; but as the page's
        # first two lines, its headline printed twice (the page's title, then its heading), heard once.
        if len(kept) > 1 and _alt_text_then_caption(kept[-1], line):
            kept[-1] = replace(line, caption_text=line.text)
            continue
        uncredited = line.credit is None and (line.caption_text is not None or line.hint == "text")
        if uncredited and words and any(words == caption or (len(words) > 20 and words in caption) for caption in captions):
            continue
        if line.caption_text and kept and kept[-1].caption_text and normalise_for_match(kept[-1].caption_text) == words:
            continue
        kept.append(line)
    return kept


def _alt_text_then_caption(previous: Line | None, line: Line) -> bool:
    """A line printed twice in a row, a few words with no sentence end: what a page prints for a
    photo (its alt text, then its caption) and no story does."""
    text = line.text.strip()
    return (
        previous is not None and previous.hint == line.hint == "text" and previous.caption_text is None
        and previous.text.strip() == text and len(text.split()) <= 15 and not SENTENCE_END.search(text)
    )


class _Neighbourhood:
    """Each line's surroundings, as the chrome classifier weighs them."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.questions = sum(line.text.rstrip().endswith("?") for line in lines)
        self._first_printed: dict[str, int] = {}
        self._last_printed: dict[str, int] = {}
        for index, line in enumerate(lines):
            self._first_printed.setdefault(printed_key(line.text), index)
            self._last_printed[printed_key(line.text)] = index
        self._comments_start: dict[int, int | None] = {}
        # Paragraphs of story: twenty words or more of plain text.
        self._paragraphs = [
            index for index, line in enumerate(lines) if line.hint == "text" and len(line.text.split()) >= 20
        ]

    def is_chrome(self, index: int, where: Where, story_start: int | None = None) -> bool:
        """Whether lines[index] is chrome, standing ``where``; ``story_start`` is the body's first line."""
        lines = self.lines
        return is_chrome(lines[index], where, Neighbours(
            previous=lines[index - 1] if index > 0 else None,
            following=lines[index + 1] if index + 1 < len(lines) else None,
            printed_before=_PrintedBefore(self._first_printed, index),
            questions=self.questions,
            story_before=story_start is not None and self._paragraph_between(story_start, index),
            ahead=tuple(lines[index + 1:index + 1 + _LOOK_AHEAD]),
            printed_after=_PrintedAfter(self._last_printed, index),
            in_comments=story_start is not None and self._under_comments(story_start, index),
        ))

    def _under_comments(self, story_start: int, index: int) -> bool:
        if story_start not in self._comments_start:
            self._comments_start[story_start] = comments_start(self.lines, story_start)
        start = self._comments_start[story_start]
        return start is not None and index > start

    def _paragraph_between(self, start: int, end: int) -> bool:
        first = bisect.bisect_left(self._paragraphs, start)
        return first < len(self._paragraphs) and self._paragraphs[first] < end


@dataclass(frozen=True)
class _PrintedBefore:
    """The lines printed before ``index``, without a set per line (an article may have thousands)."""

    first_printed: dict[str, int]
    index: int

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.first_printed.get(key, self.index) < self.index


@dataclass(frozen=True)
class _PrintedAfter:
    """The lines printed after ``index``, likewise."""

    last_printed: dict[str, int]
    index: int

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.last_printed.get(key, self.index) > self.index


@dataclass(frozen=True)
class _Header:
    blocks: tuple[Block, ...]
    chrome: tuple[Block, ...]
    captions: tuple[Block, ...]
    subtitle: str | None
    date: dt.date | None
    byline: str | None


def _header(lines: list[Line], index: int, metadata: Metadata, neighbourhood: _Neighbourhood) -> tuple[_Header, int]:
    """The standfirst, date and byline that follow a title, in whatever order the page prints them,
    and the page chrome and uncredited photo captions printed among them."""
    blocks: list[Block] = []
    chrome: list[Block] = []
    captions: list[Block] = []
    subtitle, date, byline = metadata.subtitle, metadata.date, metadata.byline
    date_text = byline_text = None
    read = 0
    while read < 4:
        if index >= len(lines) or lines[index].caption_text is not None or lines[index].hint not in ("text", "heading"):
            break
        text = lines[index].text
        # The first byline is read as one, whatever it prints beside the name ("By Tom Reade · 4 min read").
        first_byline = byline_text is None and BYLINE.match(text)
        if parse_date(text) is None and not first_byline and neighbourhood.is_chrome(index, "header"):
            chrome.append(Block("boilerplate", text))
            index += 1
            continue
        if looks_like_bare_caption(lines[index]):
            # Pages print a photo's alt text and then its caption, often the same words: one caption.
            if not (captions and _same_words(captions[-1].text, text)):
                captions.append(Block("caption", text))
            index += 1
            continue
        if lines[index].hint != "text":
            break
        read += 1
        if date_text is None and (parsed := parse_date(text)):
            date, date_text = parsed, text
            if byline_text is None and (named := _named_beside_date(text)):
                # "Jane Smith | 3 May 2024", "Posted on May 3, 2024 by Jane Smith"
                byline_text = named
                byline = byline or byline_text
        elif byline_text is None and BYLINE.match(text) and len(text.split()) <= 12:
            # "By Tom Reade | 3 May 2024", "By Tom Reade · 4 min read": the name, and a date printed beside it.
            name, *beside = _BESIDE_BYLINE.split(_BY.sub("", text))
            byline_text = name
            byline = byline or byline_text
            dated = [(found, part) for part in beside if (found := parse_date(part))]
            if date_text is None and dated:
                date, date_text = dated[0]
        elif byline_text is None and (signed := _unmarked_byline(lines, index, after_date=date is not None)):
            byline_text, taken = signed
            byline = byline or byline_text
            index += taken - 1
        elif subtitle and normalise_for_match(text) == normalise_for_match(subtitle):
            pass
        elif subtitle is None and not (date_text or byline_text) and not metadata.title and _looks_like_standfirst(
            lines, index, after_furniture=bool(chrome or captions),
        ):
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
    return _Header(tuple(blocks), tuple(chrome), tuple(captions), subtitle, date, byline), index


def _named_beside_date(text: str) -> str | None:
    """The writer a date line names: a part of it that is a name or a byline, or 'by' and a name at its end."""
    for part in _BESIDE_BYLINE.split(text):
        if BYLINE.match(part) or _NAME_ALONE.match(part):
            return _BY.sub("", part)
    return match.group(1) if (match := _BY_NAME_AT_END.search(text)) else None


def _unmarked_byline(lines: list[Line], index: int, after_date: bool) -> tuple[str, int] | None:
    """A byline printed without 'By', and how many lines it takes: a name with a staff title ('Jane Smith,
    Education Reporter', 'Jane Smith | Health Correspondent'), or a name alone beside the date, its title
    perhaps on the line below ('Jane Smith' / 'Education Reporter')."""
    text = lines[index].text.strip()
    if titled := _NAME_WITH_STAFF_TITLE.match(text):
        return f"{titled.group('name')}, {titled.group('title')}", 1
    following = lines[index + 1].text.strip() if index + 1 < len(lines) else ""
    if not _NAME_ALONE.match(text):
        return None
    if _STAFF_TITLE_ALONE.match(following):
        return f"{text}, {following}", 2
    return (text, 1) if after_date or parse_date(following) else None


def _looks_like_standfirst(lines: list[Line], index: int, after_furniture: bool) -> bool:
    """A short line under the headline; past page furniture (a share bar, a photo) the body has
    usually begun, and only a line that does not end as a sentence is still a standfirst."""
    text = lines[index].text
    # A quote, a long paragraph, or the first question of a numbered interview ("1. Where did you grow up?").
    if text[0] in QUOTE_OPENERS or len(text.split()) > 45 or re.match(r"\d{1,2}[.)]\s.*\?$", text):
        return False
    if _opens_a_story(text):
        return False
    following = lines[index + 1].text if index + 1 < len(lines) else ""
    if parse_date(following) or BYLINE.match(following):
        return True
    return len(text.split()) <= 35 and not (after_furniture and SENTENCE_END.search(text))


def _opens_a_story(text: str) -> bool:
    """A story's first paragraph: under a dateline, or, as British and Irish papers print it, with its first
    words in capitals ("A MEETING to discuss …", "NEIGHBOURS at the end of their tether …"); an acronym
    ("UAW members …") is no such opening."""
    if _DATELINE.match(text):
        return True
    words = text.split()
    capitals = 0
    while capitals < len(words) and words[capitals].isupper():
        capitals += 1
    if not capitals or capitals == len(words) or not words[capitals][0].islower():
        return False
    opening = words[:capitals]
    return (len(opening) >= 2 and opening[0] in ("A", "AN", "THE")) or any(len(word) >= 7 for word in opening)


def _ends_the_page(
    lines: list[Line], body_start: int, index: int, neighbourhood: _Neighbourhood, is_last: bool,
) -> bool:
    """Chrome after the story; a subheading is story unless it is the page's last line or says it is chrome."""
    line = lines[index]
    if line.caption_text is not None:
        return False
    where: Where = "body" if line.hint == "heading" and not is_last else "after_story"
    return neighbourhood.is_chrome(index, where, body_start)


def _body_blocks(all_lines: list[Line], start: int, end: int, neighbourhood: _Neighbourhood) -> list[Block]:
    lines = all_lines[start:end]
    paragraphs = [normalise_for_match(line.text) for line in lines]
    blocks: list[Block] = []
    for position, line in enumerate(lines):
        if line.caption_text is not None:
            blocks.append(_caption_block(line))
        elif line.hint in ("text", "heading") and neighbourhood.is_chrome(start + position, "body", start):
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


def _same_words(first: str, second: str) -> bool:
    return normalise_for_match(first) == normalise_for_match(second)


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


# "Commenting on the decision, Sheila said:-": a line that introduces the next is story, not its heading.
_INTRODUCES = re.compile(r":\s*[-–]?\s*$")


def _is_heading(text: str, position: int, lines: list[Line]) -> bool:
    followed_by_text = position + 1 < len(lines) and lines[position + 1].caption_text is None
    return (
        followed_by_text and len(text.split()) <= 10 and not SENTENCE_END.search(text)
        and text[0] not in QUOTE_OPENERS and text[0].isupper() and not _INTRODUCES.search(text)
    )
