"""The library API: one call per thing a user does, each a straight line through the stages.

    read_source → extract → build_script → cast_script → synthesize → plan → encode_mp3 (+ sidecars)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

from .cache import ClipCache
from .casting import cast_script, default_cast_path, load_profile
from .cover import plain_cover
from .encode import DEFAULT_BITRATE, Tags, encode_mp3, write_text_atomically
from .errors import OutputError
from .extract import extract
from .mix import plan, stream
from .model import Cast, Episode, Script
from .script import build_script, slug
from .sidecars import chapters_json, transcript, webvtt
from .source import read_source
from .speech import Lexicon, load_lexicon
from .synth import synthesize

log = logging.getLogger("audiobook")


@dataclass(frozen=True)
class Options:
    """Everything a render can be asked to do differently; the defaults suit most articles."""

    cast_path: Path | None = None
    lexicon_path: Path | None = None
    cache_dir: Path | None = None
    jobs: int | None = None
    bitrate: int = DEFAULT_BITRATE
    publication: str | None = None


@dataclass(frozen=True)
class Prepared:
    """An article made ready to render: its script and who voices it."""

    script: Script
    cast: Cast
    lexicon: Lexicon
    name: str


def prepare(location: str, options: Options = Options()) -> Prepared:
    """Read and understand an article without synthesizing anything."""
    source = read_source(location)
    article = extract(source.text, label=location, url=source.url)
    script = build_script(article)
    if options.publication:
        script = replace(script, publication=options.publication)
    profile = load_profile(options.cast_path)
    cast = cast_script(script, profile)
    lexicon = load_lexicon(default_cast_path().with_name("lexicon.toml"))
    if options.lexicon_path:
        lexicon = lexicon.merged(load_lexicon(options.lexicon_path))
    return Prepared(script, cast, lexicon, source.name)


def default_output(prepared: Prepared, folder: Path = Path("output")) -> Path:
    return folder / f"{slug(prepared.script.title) or slug(prepared.name) or 'episode'}.mp3"


def render(location: str, output: Path | None = None, options: Options = Options()) -> Episode:
    """Render one article to a tagged MP3 with its .vtt, .chapters.json and .txt beside it."""
    prepared = prepare(location, options)
    output = output or default_output(prepared)
    _check_writable(output)
    synthesis = synthesize(
        prepared.script, prepared.cast, ClipCache(options.cache_dir), prepared.lexicon, options.jobs,
    )
    mix = plan(prepared.script, synthesis.clips)
    script = prepared.script
    text = transcript(script)
    tags = Tags(
        title=script.title, artist=script.publication or script.byline or "audiobook",
        album=script.publication or "Audio editions", date=script.date.isoformat() if script.date else None,
        description=script.subtitle, transcript=text, source_url=script.source_url,
        cover_png=plain_cover(script.title, script.publication),
    )
    size = encode_mp3(mix, stream(mix), output, tags, options.bitrate)
    sidecars = {
        output.with_suffix(".vtt"): webvtt(mix),
        output.with_suffix(".chapters.json"): chapters_json(mix, script),
        output.with_suffix(".txt"): text,
    }
    for path, content in sidecars.items():
        write_text_atomically(path, content)
    log.info("synthesized %d of %d clips", synthesis.synthesized, len(synthesis.clips))
    return Episode(
        mp3=output, duration=mix.duration, size=size, vtt=output.with_suffix(".vtt"),
        chapters_json=output.with_suffix(".chapters.json"), transcript=output.with_suffix(".txt"),
        synthesized=synthesis.synthesized,
    )


def _check_writable(output: Path) -> None:
    """Fail before any synthesis when the output folder can't be written."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{output.parent}: cannot create the output folder ({error.strerror})") from None
    if output.exists() and output.is_dir():
        raise OutputError(f"{output}: is a folder; give a file name ending in .mp3")
