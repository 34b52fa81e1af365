"""Recognise the written dates articles print, and say them as a listener expects."""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as date_parser

_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july"
    "|august|september|october|november|december"
)
_HAS_MONTH = re.compile(rf"\b({_MONTHS})\.?\b", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
_ISO_STAMP = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")
_PREFIX = re.compile(r"^(published|updated|posted|first published|last updated)\s*(on|:)?\s*", re.IGNORECASE)
_MERIDIEM = re.compile(r"\b([ap])\.m\.", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s+[|•·]\s+")
_ORDINAL_SUFFIX = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}


def parse_date(line: str) -> dt.date | None:
    """The date a short line states, or None when the line is not a date line. A line of several dates
    ("Published: 10:32 BST, 3 May 2024 | Updated: 11:04 BST, 3 May 2024") states its first."""
    if len(parts := _SEPARATOR.split(line)) > 1 and all(dates := [parse_date(part) for part in parts]):
        return dates[0]
    text = _PREFIX.sub("", line.strip())
    if not text or len(text.split()) > 9 or not re.search(r"\d", text):
        return None
    if iso := _ISO_STAMP.match(text):
        return dt.date.fromisoformat(iso.group(1))
    if not (_HAS_MONTH.search(text) or _NUMERIC_DATE.search(text)):
        return None
    cleaned = _MERIDIEM.sub(r"\1m", text)
    if _HAS_MONTH.search(text):
        cleaned = re.sub(r"\b(\d{1,2})\.(\d{2})\b", r"\1:\2", cleaned)  # British "07.00 GMT"
    # Leftover words (time zones, "at") are what fuzzy parsing is for; day-first is the
    # reading most of the world's papers use for 04.06.2025.
    try:
        parsed, leftover = date_parser.parse(
            cleaned, fuzzy_with_tokens=True, dayfirst=not _HAS_MONTH.search(text), ignoretz=True,
            default=dt.datetime(1900, 1, 1),
        )
    except (ValueError, OverflowError):
        return None
    if parsed.year == 1900:
        return None
    # Too much left over means the line was a sentence that happened to hold a date.
    if sum(len(token.split()) for token in leftover if token.strip(" ,.")) > 3:
        return None
    return parsed.date()


def spoken_date(date: dt.date) -> str:
    """'Tuesday, 26th September 2023': the weekday and an ordinal day, as a presenter reads it."""
    suffix = _ORDINAL_SUFFIX.get(date.day, "th")
    return f"{date:%A}, {date.day}{suffix} {date:%B} {date.year}"
