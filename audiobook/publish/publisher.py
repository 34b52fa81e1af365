"""Publish audio editions as a podcast: episodes, transcripts and pages in a folder, and its feed.xml.

The folder holds everything a podcast host serves:

    DIR/feed.toml        channel settings (written with defaults on the first publish)
    DIR/feed.xml         RSS 2.0 with itunes, content and podcast: namespaces
    DIR/index.html       the episodes, for the web
    DIR/cover.png        generated when feed.toml names no image
    DIR/episodes/        SLUG.mp3 .vtt .srt .json .chapters.json .txt .epub .html per episode
    DIR/episodes.json    what the feed lists (the state every publish starts from)
    DIR/voices.json      each speaker's voice, so a person sounds the same in every episode

A publish holds a lock on the folder, so two at once both land; feed.xml, episodes.json and
every episode file are written to a temporary name, flushed to disk and renamed, so a crash
leaves the previous feed whole. The state files are written last, after everything derived from
them: a feed.xml that cannot be written never leaves episodes.json listing what it lacks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Protocol

from filelock import FileLock

from audiobook.api import Options, Outcome, Prepared, prepare, render_prepared
from audiobook.audio.cover import plain_cover
from audiobook.audio import sidecars
from audiobook.casting.profile import cast_script
from audiobook.errors import AudiobookError, CastError, InputError, OutputError
from audiobook.files import write_atomically
from audiobook.model import Episode, Voice
from audiobook.names import slug, unique
from audiobook.publish.feed import Channel, Item, rss, served_from
from audiobook.publish.pages import PageEpisode, episode_page, index_page
from audiobook.publish.state import (
    LOCALHOST, EpisodeRecord, FeedSettings, episodes_json, load_episodes, load_settings, load_voices,
    settings_toml, valid_base_url, voices_json,
)
from audiobook.speech.synth import Workers

log = logging.getLogger("audiobook")
# Every file of an episode: the render's, and its page: what unpublish removes.
EPISODE_SUFFIXES = (".mp3", *sidecars.SUFFIXES, ".html")


class Renderer(Protocol):
    """Where episodes are rendered when not here: ``submit`` starts one and returns a callable that
    waits for it and writes it to the path the feed gives it; ``window`` articles may be under way."""

    window: int

    def submit(self, prepared: Prepared, stem: str) -> Callable[[Path], Episode]: ...


def publish(locations: list[str], folder: Path, base_url: str | None = None,
            options: Options = Options(), renderer: Renderer | None = None) -> list[Outcome]:
    """Render each article as an episode of the feed in ``folder`` and rewrite the feed; an article
    that fails, for whatever reason, is reported in its Outcome and the others are still listed.

    With a ``renderer`` (a cluster) the articles render elsewhere while this process prepares the
    next ones; they are still published here, one by one in the articles' order, so the feed is
    the one a local publish writes."""
    if base_url is not None:
        base_url = valid_base_url(base_url)
    # Every episode gets its talking book too: the text and the audio in sync, for reading systems.
    options = replace(options, epub=True)
    try:
        (folder / "episodes").mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{folder}: cannot create the feed folder ({error.strerror})") from None
    outcomes: list[Outcome] = []
    with FileLock(str(folder / ".publish.lock")), Workers(options.jobs) as workers:
        settings = _settings(folder, base_url)
        episodes = list(load_episodes(folder))
        voices = dict(load_voices(folder))
        # Voices of articles still rendering elsewhere: later articles are cast as if those were published.
        ahead: dict[str, str] = {}
        pending: deque[tuple[str, Prepared | None, Callable[[Path], Episode] | AudiobookError]] = deque()
        window = renderer.window if renderer else 0
        for number, location in enumerate(locations, start=1):
            try:
                # With a renderer, the analysis aside: this process's threads serve the cluster.
                prepared = _with_feed_voices(prepare(location, options, analyse_aside=renderer is not None),
                                             {**voices, **ahead})
                if renderer:
                    pending.append((location, prepared, renderer.submit(prepared, slug(prepared.script.title) or "episode")))
                    ahead.update(_voices_of(prepared))
                else:
                    pending.append((location, prepared,
                                    lambda output, prepared=prepared: render_prepared(prepared, output, options, workers)))
            except Exception as error:  # noqa: BLE001 - reported below, in the articles' order
                pending.append((location, None, _failure(location, error)))
            while len(pending) > (window if number < len(locations) else 0):
                location, prepared, render = pending.popleft()
                try:
                    if isinstance(render, AudiobookError):
                        raise render
                    record, episode = _publish_one(prepared, location, folder, settings, episodes, render)
                    _check_listable(settings, record)
                except Exception as error:  # noqa: BLE001 - one article's surprise must not cost the others their episodes
                    outcomes.append(Outcome(location, error=_failure(location, error)))
                    continue
                episodes = [old for old in episodes if old.guid != record.guid and old.slug != record.slug] + [record]
                voices.update(_voices_of(prepared))
                outcomes.append(Outcome(location, episode))
        _write_feed(folder, settings, episodes, voices)
    return outcomes


def _failure(location: str, error: Exception) -> AudiobookError:
    if isinstance(error, AudiobookError):
        return error
    return AudiobookError(f"{location}: internal error: {type(error).__name__}: {error}")


def _voices_of(prepared: Prepared) -> dict[str, str]:
    return {speaker.name: prepared.cast.speakers[speaker.id].id for speaker in prepared.script.speakers}


def unpublish(name: str, folder: Path) -> EpisodeRecord:
    """Take the episode ``name`` (its slug) out of the feed: the feed and pages no longer list it,
    then its files go. Locked like publish; a crash midway leaves at most unlisted files behind."""
    if not (folder / "episodes.json").is_file():
        raise InputError(f"{folder}: not a feed folder (no episodes.json)")
    with FileLock(str(folder / ".publish.lock")):
        settings = load_settings(folder)
        episodes = load_episodes(folder)
        record = next((episode for episode in episodes if episode.slug == name), None)
        if record is None:
            listed = ", ".join(episode.slug for episode in episodes) or "none"
            raise InputError(f"{folder}: no episode {name!r} in the feed (episodes: {listed})")
        _write_feed(folder, settings, [episode for episode in episodes if episode is not record],
                    load_voices(folder))
        for suffix in EPISODE_SUFFIXES:
            (folder / "episodes" / f"{record.slug}{suffix}").unlink(missing_ok=True)
    return record


def _settings(folder: Path, base_url: str | None) -> FeedSettings:
    """The feed's settings, written with defaults on the first publish; ``base_url`` overrides the
    saved one. Without any, the feed is for `serve` on this machine: said so, and refused for a
    feed already published somewhere real."""
    path = folder / "feed.toml"
    saved = load_settings(folder) if path.exists() else FeedSettings(base_url=base_url or LOCALHOST)
    settings = replace(saved, base_url=base_url) if base_url else saved
    if settings.base_url == LOCALHOST and not base_url:
        previous = served_from((folder / "feed.xml").read_bytes()) if (folder / "feed.xml").exists() else None
        if previous and previous.rstrip("/") != LOCALHOST:
            raise InputError(f"{folder}: this feed is published at {previous}; without --base-url it would "
                             f"point at {LOCALHOST} (give --base-url {previous})")
        log.warning("no --base-url: %s's addresses start with %s, for `audiobook serve` on this machine; "
                    "podcast apps elsewhere need --base-url", folder, LOCALHOST)
    if not path.exists():
        _write_durably(path, settings_toml(saved))
    return settings


def _with_feed_voices(prepared: Prepared, voices: Mapping[str, str]) -> Prepared:
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


def _publish_one(prepared: Prepared, location: str, folder: Path, settings: FeedSettings,
                 episodes: Sequence[EpisodeRecord], render: Callable[[Path], Episode]) -> tuple[EpisodeRecord, Episode]:
    script = prepared.script
    guid = _guid(prepared, location)
    # Before guids of undated articles named their source, they were the title alone: keep that episode.
    legacy = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{script.title}|")) if not (script.source_url or script.date) else None
    previous = (next((episode for episode in episodes if episode.guid == guid), None)
                or next((episode for episode in episodes if episode.guid == legacy), None))
    name = previous.slug if previous else unique(slug(script.title) or "episode", {e.slug for e in episodes})
    number = previous.number if previous else max((episode.number for episode in episodes), default=0) + 1
    episode = render(folder / "episodes" / f"{name}.mp3")
    speakers = tuple(speaker.name for speaker in script.speakers)
    date = script.date or dt.date.today()
    page = PageEpisode(script.title, script.subtitle, f"{date:%d %B %Y}", f"episodes/{name}.html",
                       f"{name}.mp3", episode.duration, speakers)
    html = episode_page(page, episode.mix, settings.title, "../index.html", "../feed.xml", f"{name}.mp3", {
        "WebVTT captions": f"{name}.vtt", "SubRip captions": f"{name}.srt", "JSON transcript": f"{name}.json",
        "Plain text": f"{name}.txt", "Talking book (EPUB 3, text and audio in sync)": f"{name}.epub",
    })
    _write_durably(folder / "episodes" / f"{name}.html", html.encode())
    record = EpisodeRecord(
        guid=guid, slug=name, number=number, title=script.title, subtitle=script.subtitle, date=date,
        duration=episode.duration, bytes=episode.size, speakers=speakers,
        content_html=_content_html(script.subtitle, speakers, episode.transcript.read_text()),
    )
    return record, episode


def _guid(prepared: Prepared, location: str) -> str:
    """The episode's identity: its URL, or its title and date; an undated article is told apart by
    its file (or, from standard input, its words), so two of the same title are two episodes."""
    script = prepared.script
    if script.source_url:
        identity = script.source_url
    elif script.date:
        identity = f"{script.title}|{script.date.isoformat()}"
    elif location != "-" and Path(location).is_file():
        identity = f"{script.title}||{Path(location).resolve()}"
    else:
        words = "\n".join(segment.text for segment in script.segments)
        identity = f"{script.title}||{hashlib.sha256(words.encode('utf-8', 'replace')).hexdigest()}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, identity))


def _content_html(subtitle: str | None, speakers: tuple[str, ...], transcript: str) -> str:
    voices = f"<p>Voices: {escape(', '.join(speakers))}.</p>" if speakers else ""
    paragraphs = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in transcript.split("\n\n") if paragraph.strip())
    return f"<p>{escape(subtitle or '')}</p>{voices}<h2>Transcript</h2>{paragraphs}"


def _channel(settings: FeedSettings) -> Channel:
    base = settings.base_url.rstrip("/")
    return Channel(
        title=settings.title, description=settings.description, language=settings.language,
        author=settings.author, owner_name=settings.owner_name, owner_email=settings.owner_email,
        category=settings.category, explicit=settings.explicit, link=f"{base}/index.html",
        image_url=f"{base}/{settings.image or 'cover.png'}", feed_url=f"{base}/feed.xml",
    )


def _item(settings: FeedSettings, record: EpisodeRecord) -> Item:
    episode_base = f"{settings.base_url.rstrip('/')}/episodes/{record.slug}"
    voices = f" Voices: {', '.join(record.speakers)}." if record.speakers else ""
    return Item(
        guid=record.guid, title=record.title, description=(record.subtitle or record.title) + voices,
        content_html=record.content_html,
        published=dt.datetime.combine(record.date, dt.time(6, 0), dt.timezone.utc),
        page_url=f"{episode_base}.html", audio_url=f"{episode_base}.mp3", audio_bytes=record.bytes,
        duration_seconds=record.duration, number=record.number,
        transcripts=((f"{episode_base}.vtt", "text/vtt"), (f"{episode_base}.srt", "application/x-subrip"),
                     (f"{episode_base}.json", "application/json")),
        chapters_url=f"{episode_base}.chapters.json", people=record.speakers,
    )


def _check_listable(settings: FeedSettings, record: EpisodeRecord) -> None:
    """An episode the feed could not carry is refused alone, before it joins the state every publish reads."""
    try:
        rss(_channel(settings), [_item(settings, record)])
        episodes_json([record])
    except (ValueError, UnicodeError) as error:
        raise InputError(f"{record.title[:80]!r}: cannot go into the feed ({error})") from None


def _write_feed(folder: Path, settings: FeedSettings, episodes: Sequence[EpisodeRecord],
                voices: Mapping[str, str]) -> None:
    """Everything derived from the state first, the state last: a failure leaves the state as it was."""
    feed_xml = rss(_channel(settings), [_item(settings, record) for record in episodes])
    pages = [
        PageEpisode(e.title, e.subtitle, f"{e.date:%d %B %Y}", f"episodes/{e.slug}.html",
                    f"episodes/{e.slug}.mp3", e.duration, e.speakers)
        for e in sorted(episodes, key=lambda e: (e.date, e.number), reverse=True)
    ]
    index_html = index_page(settings.title, settings.description, "feed.xml", pages).encode()
    state, voice_table = episodes_json(episodes), voices_json(voices)
    if not settings.image and not (folder / "cover.png").exists():
        _write_durably(folder / "cover.png", plain_cover(settings.title, settings.author))
    _write_durably(folder / "feed.xml", feed_xml)
    _write_durably(folder / "index.html", index_html)
    _write_durably(folder / "voices.json", voice_table)
    _write_durably(folder / "episodes.json", state)


def _write_durably(path: Path, data: bytes) -> None:
    """Flushed to disk before it takes its name: a crash, even of the machine, leaves the previous file."""
    write_atomically(path, data, durable=True)
