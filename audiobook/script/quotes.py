"""Find quotation spans in a paragraph, in any of the styles papers print, without taking apostrophes for quotes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

QUOTE_OPENERS = "“\"‘'«„"
# Which marks may close a span each opener starts; scraped pages mix straight and curly marks.
_CLOSERS = {"“": "”\"", "\"": "\"”", "‘": "’'", "'": "'’", "«": "»", "„": "“”"}
_SINGLE = "‘'"
_OPEN_CONTEXT = set(" \t([{—–-/:") | set(QUOTE_OPENERS)
_SENTENCE_END = ".!?"
_CLAUSE_END = ",.!?;:…"
# "the ’50s", "’tis": a mark before digits or a clipped word is an apostrophe.
# Straight '' opens where a word may start, and closes elsewhere.
_DOUBLED_OPENER, _DOUBLED_CLOSER = re.compile(r"‘‘|``|(?:^|(?<=[\s(\[]))''"), re.compile(r"’’|''")
_ELISION = re.compile(r"(\d\d?s?\b|tis\b|twas\b|em\b|n\b|cause\b)", re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    """The words inside one pair of quotation marks: text[start:end], marks excluded."""

    start: int
    end: int
    opener: str
    closed: bool
    """False when the paragraph ends inside the quote (it continues in the next paragraph)."""


def single_marks(text: str) -> str:
    """‘‘…’’ and ``…'' as “…”: some papers print a double quotation mark as two single ones."""
    return _DOUBLED_CLOSER.sub("”", _DOUBLED_OPENER.sub("“", text))


def find_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    position = 0
    while position < len(text):
        opener_at = _next_opener(text, position)
        if opener_at is None:
            break
        opener = text[opener_at]
        closer_at = _closer(text, opener_at, opener)
        if closer_at is None:
            if text[opener_at + 1:].strip():
                spans.append(Span(opener_at + 1, len(text), opener, closed=False))
            break
        if text[opener_at + 1:closer_at].strip():
            spans.append(Span(opener_at + 1, closer_at, opener, closed=True))
        position = closer_at + 1
    return spans


def _next_opener(text: str, start: int) -> int | None:
    for index in range(start, len(text)):
        char = text[index]
        if char not in QUOTE_OPENERS:
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if after.isspace():
            continue
        if char in _SINGLE or char == "\"":
            # Straight and single marks open only after a space or bracket, never inside a word; a straight
            # double mark also after a sentence's end, where a page lost the space ('in an e-mail."We continue').
            if before not in _OPEN_CONTEXT and not (char == "\"" and before in _SENTENCE_END and after.isalpha()):
                continue
            if char in _SINGLE and _ELISION.match(text, index + 1):
                continue
        return index
    return None


def _closer(text: str, opener_at: int, opener: str) -> int | None:
    # Candidates are examined lazily, left to right: the scan stops at the closer chosen, so
    # finding every span of a paragraph stays linear in its length.
    closers = _CLOSERS[opener]
    candidates = (
        index for index in range(opener_at + 1, len(text))
        if text[index] in closers and _can_close(text, index, opener)
    )
    if opener not in _SINGLE:
        return next(candidates, None)
    # "neighbours’ sons": a plural possessive looks like a closing mark; prefer a later
    # candidate unless this one is followed by punctuation or the end.
    last = None
    for index in candidates:
        after = text[index + 1:index + 3]
        possessive = text[index - 1] in "sz" and re.match(r" [a-z]", after)
        if not possessive:
            return index
        last = index
    return last


def _can_close(text: str, index: int, opener: str) -> bool:
    before = text[index - 1]
    after = text[index + 1] if index + 1 < len(text) else " "
    if before.isspace():
        return False
    if text[index] == "\"" and before in _CLAUSE_END:
        return True  # 'a rubber stamp president,"Joshi said': the space after it lost, not a mark inside a word
    if text[index] in "’'" or opener in "\"'":
        # An apostrophe sits between letters ("else’s", "don't").
        return not (after.isalnum())
    return True


def normalise_for_match(text: str) -> str:
    """Lower-case words only: for comparing copies of the same words printed with other marks."""
    folded = unicodedata.normalize("NFKC", text).lower().replace("’", "'")
    return " ".join(re.findall(r"[\w']+", folded))
