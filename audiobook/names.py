"""Ids and file names made from titles and people's names, and the list of first names people have."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection
from functools import cache
from importlib import resources


def slug(text: str) -> str:
    """ASCII id or file name: 'Nagorny Karabakh’s Uncertain Future' → 'nagorny-karabakhs-uncertain-future'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]", "", ascii_text.lower())
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:80].strip("-")


def unique(base: str, taken: Collection[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is first free."""
    name, counter = base, 2
    while name in taken:
        name, counter = f"{base}-{counter}", counter + 1
    return name


def first_name_genders(word: str) -> set[str]:
    """The gender codes the first-name list gives a word (M, 1M, ?M, F, 1F, ?F, ?); empty when it is no
    first name, or when the list (gender-guesser's, `pip install audiobook[names]`) is not installed."""
    word = word.lower()
    if word in _known:
        return _known[word]
    return _first_names().get(word, set())


def known_first_names(codes: dict[str, set[str]]) -> None:
    """Answers looked up before (kept with an understood script), so reading the whole list (0.1-0.2 s)
    is not needed to recast a script."""
    _known.update(codes)


_known: dict[str, set[str]] = {}


@cache
def _first_names() -> dict[str, set[str]]:
    """Lines are a code and a name in fixed columns; '=' lines pair equivalent names and say nothing of gender."""
    try:
        text = (resources.files("gender_guesser") / "data" / "nam_dict.txt").read_text(encoding="iso-8859-1")
    except ModuleNotFoundError:
        return {}
    codes: dict[str, set[str]] = defaultdict(set)
    for line in text.splitlines():
        code = line[:2].strip()
        if code and code not in ("#", "="):
            codes[line[3:29].rstrip().lower()].add(code)
    return codes
