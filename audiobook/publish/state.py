"""A feed folder's state as typed records: the channel settings (feed.toml), the episodes it lists
(episodes.json) and each speaker's voice (voices.json), each read by one loader that validates it.

A damaged file is one line naming the file and what is wrong, never a traceback; the settings are
written with a TOML writer, so no value can break out of its string.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path, PurePosixPath
from types import MappingProxyType, NoneType
from typing import Any

import tomli_w

from audiobook.errors import InputError
from audiobook.tomlfile import read_toml

LOCALHOST = "http://localhost:8000"
"""Where `audiobook serve` puts a feed on this machine: the base URL when none is given."""
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_NOT_IN_A_URL = re.compile(r"[\s\"'<>\\`{}|^\x00-\x1f\x7f]")
_SETTINGS_HEADER = """\
# Channel settings for this podcast feed. Edit and publish again to apply.
# base_url: where DIR is served from; enclosure and transcript addresses start with it.
# image: a square image of 1400 to 3000 pixels, as a path inside DIR; empty: a plain cover is generated.
"""


@dataclass(frozen=True)
class FeedSettings:
    title: str = "Audio editions"
    description: str = ("Accessible audio editions of our journalism: every quote in its speaker's voice, "
                        "photos described.")
    language: str = "en"
    author: str = "audiobook"
    owner_name: str = "Newsroom"
    owner_email: str = "newsroom@example.org"
    category: str = "News"
    explicit: bool = False
    base_url: str = LOCALHOST
    image: str = ""


@dataclass(frozen=True)
class EpisodeRecord:
    """One episode the feed lists; its files are episodes/SLUG.*."""

    guid: str
    slug: str
    number: int
    title: str
    subtitle: str | None
    date: dt.date
    duration: float
    bytes: int
    speakers: tuple[str, ...]
    content_html: str


_EPISODE_TYPES: dict[str, type | tuple[type, ...]] = {
    "guid": str, "slug": str, "number": int, "title": str, "subtitle": (str, NoneType), "date": str,
    "duration": (int, float), "bytes": int, "speakers": list, "content_html": str,
}


def valid_base_url(url: str, where: str = "--base-url") -> str:
    """``url`` without its trailing slash, if it is an absolute http(s) address that can go into
    XML, HTML and TOML as it is; otherwise a one-line InputError."""
    parts = urllib.parse.urlsplit(url)
    if (parts.scheme.lower() not in ("http", "https") or not parts.hostname or _NOT_IN_A_URL.search(url)
            or parts.query or parts.fragment):
        raise InputError(f"{where}: {url[:200]!r} is not an absolute http(s) address without quotes or spaces "
                         "(such as https://audio.example.org/editions)")
    return url.rstrip("/")


def settings_toml(settings: FeedSettings) -> bytes:
    return (_SETTINGS_HEADER + tomli_w.dumps(asdict(settings))).encode()


def load_settings(folder: Path) -> FeedSettings:
    path = folder / "feed.toml"
    table = read_toml(path, "feed settings file", InputError)
    expected = {field.name: bool if field.type == "bool" else str for field in fields(FeedSettings)}
    missing = sorted(set(expected) - set(table))
    if missing:
        raise InputError(f"{path}: missing settings: {', '.join(missing)}")
    for name, kind in expected.items():
        if type(table[name]) is not kind:
            raise InputError(f"{path}: {name} must be {'true or false' if kind is bool else 'a string'}")
    settings = FeedSettings(**{name: table[name] for name in expected})
    settings = replace(settings, base_url=valid_base_url(settings.base_url, f"{path}: base_url"))
    image = PurePosixPath(settings.image)
    if settings.image and (image.is_absolute() or ".." in image.parts or _NOT_IN_A_URL.search(settings.image)):
        raise InputError(f"{path}: image must be a path inside the feed folder, such as cover.jpg")
    return settings


def load_episodes(folder: Path) -> tuple[EpisodeRecord, ...]:
    path = folder / "episodes.json"
    entries = _read_json(path, [])
    if not isinstance(entries, list):
        raise _damaged(path, "not a list of episodes")
    return tuple(_episode(entry, number, path) for number, entry in enumerate(entries))


def load_voices(folder: Path) -> Mapping[str, str]:
    path = folder / "voices.json"
    voices = _read_json(path, {})
    if not isinstance(voices, dict) or not all(isinstance(value, str) for value in voices.values()):
        raise _damaged(path, "not a table of speaker names and voice ids")
    return MappingProxyType(voices)


def episodes_json(episodes: list[EpisodeRecord] | tuple[EpisodeRecord, ...]) -> bytes:
    entries = [asdict(record) | {"date": record.date.isoformat(), "speakers": list(record.speakers)}
               for record in episodes]
    return json.dumps(entries, ensure_ascii=False, indent=1).encode()


def voices_json(voices: Mapping[str, str]) -> bytes:
    return json.dumps(dict(voices), ensure_ascii=False, indent=1).encode()


def _episode(entry: Any, number: int, path: Path) -> EpisodeRecord:
    if not isinstance(entry, dict):
        raise _damaged(path, f"episode {number} is not a table")
    for name, kind in _EPISODE_TYPES.items():
        if name not in entry:
            raise _damaged(path, f"episode {number} has no {name}")
        value = entry[name]
        if not isinstance(value, kind) or (isinstance(value, bool) and name != "subtitle"):
            raise _damaged(path, f"episode {number}: {name} has the wrong type")
    if not _SLUG.match(entry["slug"]):
        raise _damaged(path, f"episode {number}: slug {entry['slug'][:80]!r} is not a file name of ours")
    if not all(isinstance(name, str) for name in entry["speakers"]):
        raise _damaged(path, f"episode {number}: speakers must be names")
    try:
        date = dt.date.fromisoformat(entry["date"])
    except ValueError:
        raise _damaged(path, f"episode {number}: date {entry['date'][:40]!r} is not YYYY-MM-DD") from None
    return EpisodeRecord(**{name: entry[name] for name in _EPISODE_TYPES}
                         | {"date": date, "speakers": tuple(entry["speakers"]), "duration": float(entry["duration"])})


def _read_json(path: Path, default: Any) -> Any:  # noqa: ANN401 - JSON is any shape until checked
    if not path.exists():
        return default
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise _damaged(path, error.msg) from None
    except (UnicodeDecodeError, RecursionError):
        raise _damaged(path, "not UTF-8 JSON") from None
    except OSError as error:
        raise InputError(f"{path}: cannot be read ({error.strerror})") from None


def _damaged(path: Path, problem: str) -> InputError:
    return InputError(f"{path}: damaged ({problem}); restore it from a backup before publishing")
