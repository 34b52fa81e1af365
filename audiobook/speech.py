"""What the engine hears: the script's words respelled for the ear (never the transcript's words)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CastError

_EDITORIAL_ELLIPSIS = re.compile(r"\s*\[\s*(?:…|\.\.\.)\s*\]\s*")
_SPACED_DASH = re.compile(r"\s+[–—-]\s+")


@dataclass(frozen=True)
class Lexicon:
    """Respellings for words the engine says wrongly: {'IWPR': 'I W P R'}."""

    words: dict[str, str] = field(default_factory=dict)

    def merged(self, other: Lexicon) -> Lexicon:
        return Lexicon({**self.words, **other.words})


def load_lexicon(path: Path) -> Lexicon:
    if not path.exists():
        return Lexicon()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CastError(f"{path}: not a valid TOML lexicon ({error})") from None
    words = data.get("words", {})
    if not all(isinstance(value, str) for value in words.values()):
        raise CastError(f"{path}: every entry under [words] must be a respelling in quotes")
    return Lexicon(dict(words))


def for_the_ear(text: str, lexicon: Lexicon) -> str:
    """Respell lexicon words and smooth print conventions the engine would read out or stumble on."""
    text = _EDITORIAL_ELLIPSIS.sub(" … ", text)
    text = _SPACED_DASH.sub(", ", text)
    for word, respelling in lexicon.words.items():
        text = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", respelling, text)
    return " ".join(text.split())
