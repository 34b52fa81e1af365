"""Ids and file names made from titles and people's names, and kept apart from those already taken."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection


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
