"""Scripts understood before, kept by what they were made from, so a re-render of an unchanged article
(the producer's loop: correct something, render again) neither extracts nor attributes it again.

The key covers everything a script depends on: the article's text, where it came from, and every file
of the code and word lists that read and understand it (the language model is pinned by digest in
that code). Entries are JSON, local to the cache folder, written atomically after their checksum; a
damaged one is made again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

from audiobook.files import read_checked, write_checked
from audiobook.model import Script, Segment, Speaker
from audiobook.names import first_name_genders, known_first_names

CACHE_FOLDER = "scripts"
_PACKAGE = Path(__file__).resolve().parent.parent
# What turns a text into a script; audio and publishing code can change without unsettling scripts.
_UNDERSTANDING = ("source", "extract", "script", "names.py", "model.py")


def script_key(text: str, location: str, url: str | None, cautious: bool = False) -> str:
    material = json.dumps([_understanding_digest(), text, location, url, cautious])
    return hashlib.sha256(material.encode()).hexdigest()


def cached_script(key: str, cache_folder: Path) -> Script | None:
    """The script kept under this key, if the entry is intact (damaged ones are understood again)."""
    if (kept := read_checked(cache_folder / CACHE_FOLDER / f"{key}.json")) is None:
        return None
    try:
        return _from_json(json.loads(kept))
    except (ValueError, KeyError, TypeError):
        return None  # Written by other code: understood again and rewritten.


def keep_script(key: str, cache_folder: Path, script: Script) -> None:
    """The script, and what the first-name list says of its speakers' first words (casting asks)."""
    entry = cache_folder / CACHE_FOLDER / f"{key}.json"
    entry.parent.mkdir(parents=True, exist_ok=True)
    # Capitalised words only: "a teacher from …" has no first name, and asking would read the whole list.
    first_words = {word for speaker in script.speakers if (word := (speaker.name.split() or [""])[0])[:1].isupper()}
    first_names = {word.lower(): sorted(first_name_genders(word)) for word in first_words}
    write_checked(entry, json.dumps({**asdict(script), "first_names": first_names}, default=str).encode())


def _from_json(data: dict[str, Any]) -> Script:
    known_first_names({word: set(codes) for word, codes in data.pop("first_names").items()})
    return Script(**{
        **data,
        "segments": tuple(Segment(**segment) for segment in data["segments"]),
        "speakers": tuple(Speaker(**{**speaker, "aliases": tuple(speaker["aliases"])}) for speaker in data["speakers"]),
        "date": dt.date.fromisoformat(data["date"]) if data["date"] else None,
    })


@cache
def _understanding_digest() -> str:
    """Every file of the code that understands articles, and the first-name list it consults."""
    digest = hashlib.sha256()
    for part in _UNDERSTANDING:
        root = _PACKAGE / part
        for path in sorted(root.rglob("*") if root.is_dir() else [root]):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    names = importlib.util.find_spec("gender_guesser")
    if names and names.origin:
        data = Path(names.origin).parent / "data" / "nam_dict.txt"
        digest.update(str(data.stat().st_size if data.exists() else 0).encode())
    return digest.hexdigest()
