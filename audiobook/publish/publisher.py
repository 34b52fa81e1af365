"""Publish audio editions as a podcast: episodes, transcripts and pages in a folder, and its feed.xml.

The folder holds everything a podcast host serves:

    DIR/feed.toml        channel settings (written with defaults on the first publish)
    DIR/feed.xml         RSS 2.0 with itunes, content and podcast: namespaces
    DIR/index.html       the episodes, for the web
    DIR/cover.png        generated when feed.toml names no image
    DIR/episodes/        SLUG.mp3 .vtt .srt .json .chapters.json .txt .html per episode
    DIR/episodes.json    what the feed lists (the state every publish starts from)
    DIR/voices.json      each speaker's voice, so a person sounds the same in every episode

A publish holds a lock on the folder, so two at once both land; feed.xml, episodes.json and
every episode file are written to a temporary name, flushed to disk and renamed, so a crash
leaves the previous feed whole.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
import uuid
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path

from filelock import FileLock

from audiobook.casting.profile import cast_script
from audiobook.audio.cover import plain_cover
from audiobook.errors import AudiobookError, CastError, InputError, OutputError
from audiobook.publish.feed import Channel, Item, rss
from audiobook.files import write_atomically
from audiobook.model import Episode, Voice
from audiobook.api import Options, Prepared, prepare, render_prepared
from audiobook.names import slug
from audiobook.audio.sidecars import srt, transcript_json
from audiobook.speech.synth import Workers
from audiobook.tomlfile import read_toml
from audiobook.publish.pages import PageEpisode, episode_page, index_page

DEFAULT_SETTINGS = """\
# Channel settings for this podcast feed. Edit and publish again to apply.
title = "Audio editions"
description = "Accessible audio editions of our journalism: every quote in its speaker's voice, photos described."
language = "en"
author = "audiobook"
owner_name = "Newsroom"
owner_email = "newsroom@example.org"
category = "News"
explicit = false
# Where DIR is served from; enclosure and transcript addresses start with it.
base_url = "{base_url}"
# A square image of 1400 to 3000 pixels, as a path inside DIR; empty: a plain cover is generated.
image = ""
"""


@dataclass(frozen=True)
class Published:
    location: str
    episode: Episode | None = None
    error: AudiobookError | None = None


def publish(locations: list[str], folder: Path, base_url: str | None = None, options: Options = Options()) -> list[Published]:
    try:
        (folder / "episodes").mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{folder}: cannot create the feed folder ({error.strerror})") from None
    results: list[Published] = []
    with FileLock(str(folder / ".publish.lock")), Workers(options.jobs) as workers:
        settings = _settings(folder, base_url)
        state = _read_json(folder / "episodes.json", [])
        voices = _read_json(folder / "voices.json", {})
        for location in locations:
            try:
                prepared = _with_feed_voices(prepare(location, options), voices)
                entry, episode = _publish_one(prepared, folder, settings, state, options, workers)
            except AudiobookError as error:
                results.append(Published(location, error=error))
                continue
            state = [old for old in state if old["guid"] != entry["guid"]] + [entry]
            for speaker in prepared.script.speakers:
                voices[speaker.name] = prepared.cast.speakers[speaker.id].id
            results.append(Published(location, episode))
        _write_durably(folder / "voices.json", json.dumps(voices, ensure_ascii=False, indent=1).encode())
        _write_durably(folder / "episodes.json", json.dumps(state, ensure_ascii=False, indent=1).encode())
        _write_feed(folder, settings, state)
    return results


def _with_feed_voices(prepared: Prepared, voices: dict[str, str]) -> Prepared:
    """Speakers the feed has heard before keep their voice, unless the article's corrections pin another.

    Two people given the same voice in different episodes can meet in one: the first keeps it,
    the other is cast afresh; a voice the cast file no longer has is cast afresh too.
    """
    known: dict[str, Voice] = {}
    for speaker in prepared.script.speakers:
        if speaker.name not in voices:
            continue
        try:
            voice = prepared.profile.voice(voices[speaker.name])
        except CastError:
            continue
        if voice not in known.values():
            known[speaker.id] = voice
    if not known:
        return prepared
    cast = cast_script(prepared.script, prepared.profile, {**known, **prepared.pinned})
    return replace(prepared, cast=cast)


def _publish_one(prepared: Prepared, folder: Path, settings: dict, state: list[dict], options: Options,
                 workers: Workers) -> tuple[dict, Episode]:
    script = prepared.script
    identity = script.source_url or f"{script.title}|{script.date.isoformat() if script.date else ''}"
    guid = str(uuid.uuid5(uuid.NAMESPACE_URL, identity))
    previous = next((entry for entry in state if entry["guid"] == guid), None)
    name = previous["slug"] if previous else _free_slug(slug(script.title) or "episode", state)
    number = previous["number"] if previous else max((entry["number"] for entry in state), default=0) + 1
    episode = render_prepared(prepared, folder / "episodes" / f"{name}.mp3", options, workers)
    _write_durably(folder / "episodes" / f"{name}.srt", srt(episode.mix).encode())
    _write_durably(folder / "episodes" / f"{name}.json", transcript_json(episode.mix).encode())
    speakers = tuple(speaker.name for speaker in script.speakers)
    date = script.date or dt.date.today()
    page = PageEpisode(script.title, script.subtitle, f"{date:%d %B %Y}", f"episodes/{name}.html",
                       f"{name}.mp3", episode.duration, speakers)
    html = episode_page(page, episode.mix, settings["title"], "../feed.xml", f"{name}.mp3", {
        "WebVTT captions": f"{name}.vtt", "SubRip captions": f"{name}.srt", "JSON transcript": f"{name}.json",
        "Plain text": f"{name}.txt",
    })
    _write_durably(folder / "episodes" / f"{name}.html", html.encode())
    entry = {
        "guid": guid, "slug": name, "number": number, "title": script.title, "subtitle": script.subtitle,
        "date": date.isoformat(), "duration": episode.duration, "bytes": episode.size, "speakers": list(speakers),
        "content_html": _content_html(script.subtitle, speakers, episode.transcript.read_text()),
    }
    return entry, episode


def _content_html(subtitle: str | None, speakers: tuple[str, ...], transcript: str) -> str:
    voices = f"<p>Voices: {escape(', '.join(speakers))}.</p>" if speakers else ""
    paragraphs = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in transcript.split("\n\n") if paragraph.strip())
    return f"<p>{escape(subtitle or '')}</p>{voices}<h2>Transcript</h2>{paragraphs}"


def _write_feed(folder: Path, settings: dict, state: list[dict]) -> None:
    base = settings["base_url"].rstrip("/")
    image = settings.get("image") or "cover.png"
    if not settings.get("image") and not (folder / "cover.png").exists():
        _write_durably(folder / "cover.png", plain_cover(settings["title"], settings["author"]))
    channel = Channel(
        title=settings["title"], description=settings["description"], language=settings["language"],
        author=settings["author"], owner_name=settings["owner_name"], owner_email=settings["owner_email"],
        category=settings["category"], explicit=bool(settings["explicit"]), link=f"{base}/index.html",
        image_url=f"{base}/{image}", feed_url=f"{base}/feed.xml",
    )
    items = []
    for entry in state:
        episode_base = f"{base}/episodes/{entry['slug']}"
        speakers = entry["speakers"]
        description = (entry["subtitle"] or entry["title"]) + (f" Voices: {', '.join(speakers)}." if speakers else "")
        items.append(Item(
            guid=entry["guid"], title=entry["title"], description=description, content_html=entry["content_html"],
            published=dt.datetime.combine(dt.date.fromisoformat(entry["date"]), dt.time(6, 0), dt.timezone.utc),
            page_url=f"{episode_base}.html", audio_url=f"{episode_base}.mp3", audio_bytes=entry["bytes"],
            duration_seconds=entry["duration"], number=entry["number"],
            transcripts=((f"{episode_base}.vtt", "text/vtt"), (f"{episode_base}.srt", "application/x-subrip"),
                         (f"{episode_base}.json", "application/json")),
            chapters_url=f"{episode_base}.chapters.json", people=tuple(speakers),
        ))
    _write_durably(folder / "feed.xml", rss(channel, items))
    pages = [
        PageEpisode(e["title"], e["subtitle"], dt.date.fromisoformat(e["date"]).strftime("%d %B %Y"),
                    f"episodes/{e['slug']}.html", f"episodes/{e['slug']}.mp3", e["duration"], tuple(e["speakers"]))
        for e in sorted(state, key=lambda e: (e["date"], e["number"]), reverse=True)
    ]
    _write_durably(folder / "index.html", index_page(settings["title"], settings["description"], "feed.xml", pages).encode())


def _settings(folder: Path, base_url: str | None) -> dict:
    path = folder / "feed.toml"
    if not path.exists():
        _write_durably(path, DEFAULT_SETTINGS.format(base_url=base_url or "http://localhost:8000").encode())
    settings = read_toml(path, "feed settings file", InputError)
    defaults = tomllib.loads(DEFAULT_SETTINGS.format(base_url="http://localhost:8000"))
    missing = set(defaults) - set(settings)
    if missing:
        raise InputError(f"{path}: missing settings: {', '.join(sorted(missing))}")
    if base_url:
        settings["base_url"] = base_url
    return settings


def _free_slug(base: str, state: list[dict]) -> str:
    taken = {entry["slug"] for entry in state}
    name, counter = base, 2
    while name in taken:
        name, counter = f"{base}-{counter}", counter + 1
    return re.sub(r"[^a-z0-9-]", "", name)


def _read_json(path: Path, default):  # noqa: ANN001, ANN202
    if not path.exists():
        return default
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: damaged ({error.msg}); restore it from a backup before publishing") from None


def _write_durably(path: Path, data: bytes) -> None:
    """Flushed to disk before it takes its name: a crash, even of the machine, leaves the previous file."""
    write_atomically(path, data, durable=True)
