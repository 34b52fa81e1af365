"""What the engine hears: the script's words respelled for the ear (never the transcript's words).

espeak-ng already reads plain numbers, ordinals, percentages, clock times, "Dr.", "St" and
dotted initialisms ("U.S.") well; the rules here fill only the gaps heard in it (checked with
`espeak-ng -x`): money with magnitudes, "No. 10", abbreviated months and places, decades,
ranges, web addresses, and capitalised abbreviations that it would pronounce as a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from audiobook.errors import CastError
from audiobook.tomlfile import read_toml

_EDITORIAL_ELLIPSIS = re.compile(r"\s*\[\s*(?:…|\.\.\.)\s*\]\s*")
_SPACED_DASH = re.compile(r"\s+[–—-]\s+")
_RANGE = re.compile(r"\b(\d[\d,.]*)\s*[–—]\s*(\d[\d,.]*)\b")
_MONEY = re.compile(r"([£$€])\s?(\d[\d,]*(?:\.\d+)?)(?:\s?(m|bn|k|tn|million|billion|trillion)\b)?", re.IGNORECASE)
_CURRENCY = {"£": ("pound", "pounds"), "$": ("dollar", "dollars"), "€": ("euro", "euros")}
_MAGNITUDE = {"m": "million", "bn": "billion", "k": "thousand", "tn": "trillion"}
_NUMBER_SIGN = re.compile(r"\bNo\.\s?(?=\d)")
_MONTHS = {
    "Jan": "January", "Feb": "February", "Mar": "March", "Apr": "April", "Aug": "August", "Sep": "September",
    "Sept": "September", "Oct": "October", "Nov": "November", "Dec": "December",
}
_MONTH_ABBREVIATION = re.compile(r"\b(Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec)\.(?=\s+\d)")
# Datelines abbreviate states and provinces (AP style): "BRANDON, Man. —".
_PLACES = {
    "Man.": "Manitoba", "Ont.": "Ontario", "Sask.": "Saskatchewan", "Alta.": "Alberta", "Que.": "Quebec",
    "Calif.": "California", "Mass.": "Massachusetts", "Fla.": "Florida", "Ga.": "Georgia", "Ill.": "Illinois",
    "Mich.": "Michigan", "Minn.": "Minnesota", "Penn.": "Pennsylvania", "Pa.": "Pennsylvania", "Tenn.": "Tennessee",
    "Wash.": "Washington", "Wis.": "Wisconsin", "Colo.": "Colorado", "Ariz.": "Arizona", "Conn.": "Connecticut",
    "Mt.": "Mount", "Ft.": "Fort",
}
_PLACE_ABBREVIATION = re.compile(r"(?<!\w)(" + "|".join(re.escape(key) for key in _PLACES) + r")(?=[\s,]|$)")
_DECADE = re.compile(r"\b(1[5-9]|20)([0-9]0)s\b")
_DECADE_WORDS = {"0": "hundreds", "1": "tens", "2": "twenties", "3": "thirties", "4": "forties", "5": "fifties",
                 "6": "sixties", "7": "seventies", "8": "eighties", "9": "nineties"}
_URL = re.compile(r"\bhttps?://(?:www\.)?([^\s/]+)\S*|\bwww\.([^\s/]+)\S*")
_DOTTED_TIME = re.compile(r"\b(\d{1,2})\.(\d{2})\s?(am|pm|a\.m\.|p\.m\.|GMT|BST|CET|UTC)\b")
# Two to five capitals on their own; runs of capitalised words (a dateline's "PORT ELIN") are names, not abbreviations.
_CAPITALS = re.compile(r"(?<![A-Z] )\b[A-Z]{2,5}\b(?! [A-Z]{2})")
# Abbreviations said as words; every other run of capitals is spelt out letter by letter.
_SAID_AS_WORDS = {
    "NATO", "NASA", "UNESCO", "UNICEF", "OPEC", "FIFA", "UEFA", "AIDS", "COVID", "OFSTED", "NAFTA", "ASEAN",
    "SWAT", "LASER", "RADAR", "SCUBA", "GIF", "PIN", "ISIS", "BAFTA", "OK", "TV", "UK", "US", "EU", "UN",
}


@dataclass(frozen=True)
class Lexicon:
    """Respellings for words the engine says wrongly: {'IWPR': 'I W P R'}."""

    words: dict[str, str] = field(default_factory=dict)

    def merged(self, other: Lexicon) -> Lexicon:
        return Lexicon({**self.words, **other.words})


def load_lexicon(path: Path) -> Lexicon:
    if not path.exists():
        return Lexicon()
    words = read_toml(path, "lexicon", CastError).get("words", {})
    if not all(isinstance(value, str) for value in words.values()):
        raise CastError(f"{path}: every entry under [words] must be a respelling in quotes")
    return Lexicon(dict(words))


def for_the_ear(text: str, lexicon: Lexicon) -> str:
    """Respell lexicon words, then smooth the print conventions the engine would misread."""
    for word, respelling in lexicon.words.items():
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", respelling, text)
    text = _EDITORIAL_ELLIPSIS.sub(" … ", text)
    text = _URL.sub(lambda match: match.group(1) or match.group(2), text)
    text = _MONEY.sub(_say_money, text)
    text = _RANGE.sub(r"\1 to \2", text)
    text = _SPACED_DASH.sub(", ", text)
    text = _NUMBER_SIGN.sub("number ", text)
    text = _MONTH_ABBREVIATION.sub(lambda match: _MONTHS[match.group(1)], text)
    text = _PLACE_ABBREVIATION.sub(lambda match: _PLACES[match.group(1)], text)
    text = _DECADE.sub(_say_decade, text)
    text = _DOTTED_TIME.sub(r"\1:\2 \3", text)
    text = _CAPITALS.sub(_spell_capitals, text)
    return " ".join(text.split())


def _say_money(match: re.Match[str]) -> str:
    symbol, amount, magnitude = match.group(1), match.group(2), match.group(3)
    singular, plural = _CURRENCY[symbol]
    if magnitude:
        return f"{amount} {_MAGNITUDE.get(magnitude.lower(), magnitude.lower())} {plural}"
    return f"{amount} {singular if amount == '1' else plural}"


def _say_decade(match: re.Match[str]) -> str:
    century, decade = match.group(1), match.group(2)
    if decade == "00":
        return f"{century}00s"  # "the 1900s" is read well already
    return f"{century} {_DECADE_WORDS[decade[0]]}"


def _spell_capitals(match: re.Match[str]) -> str:
    word = match.group(0)
    return word if word in _SAID_AS_WORDS else " ".join(word)
