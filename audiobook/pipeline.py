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
from .encode import DEFAULT_BITRATE, Mp3Writer, Tags, write_text_atomically
from .errors import OutputError
from .extract import extract
from .mix import Assembly
from .model import Cast, Episode, Script
from .script import build_script, slug
from .sidecars import chapters_json, transcript, webvtt
from .source import read_source
from .speech import Lexicon, load_lexicon
from .synth import Synthesis

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
    script = prepared.script
    text = transcript(script)
    tags = Tags(
        title=script.title, artist=script.publication or script.byline or "audiobook",
        album=script.publication or "Audio editions", date=script.date.isoformat() if script.date else None,
        description=script.subtitle, transcript=text, source_url=script.source_url,
        cover_png=plain_cover(script.title, script.publication),
    )
    assembly = Assembly(script)
    synthesis = Synthesis(script, prepared.cast, ClipCache(options.cache_dir), prepared.lexicon, options.jobs)
    with synthesis, Mp3Writer(output, assembly.sample_rate, options.bitrate) as mp3:
        for pcm in assembly.stream(synthesis.clips()):
            mp3.write(pcm)
        mp3.finish(assembly.mix, tags)
    mix = assembly.mix
    sidecars = {
        output.with_suffix(".vtt"): webvtt(mix),
        output.with_suffix(".chapters.json"): chapters_json(mix, script),
        output.with_suffix(".txt"): text,
    }
    for path, content in sidecars.items():
        write_text_atomically(path, content)
    log.info("synthesized %d clips, %d from the cache", synthesis.to_synthesize, len(mix.cues) - synthesis.to_synthesize)
    return Episode(
        mp3=output, duration=mix.duration, size=output.stat().st_size, vtt=output.with_suffix(".vtt"),
        chapters_json=output.with_suffix(".chapters.json"), transcript=output.with_suffix(".txt"),
        synthesized=synthesis.to_synthesize,
    )


def _check_writable(output: Path) -> None:
    """Fail before any synthesis when the output folder can't be written."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{output.parent}: cannot create the output folder ({error.strerror})") from None
    if output.exists() and output.is_dir():
        raise OutputError(f"{output}: is a folder; give a file name ending in .mp3")
