"""The library API: one call per thing a user does, each a straight line through the stages.

    read_source → extract → build_script (→ overrides) → cast_script → plan_clips → synthesize (clips)
      → plan_chunks → encode_chunk → Mp3Writer + Timeline (tags) → sidecars
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from audiobook.speech.cache import ClipCache, cache_for
from audiobook.casting.profile import CastProfile, at_rate, cast_script, default_cast_path, load_profile
from audiobook.audio.cover import kept_cover
from audiobook.audio.encode import (
    CHUNK_PEAK_DBTP, DEFAULT_BITRATE, ENCODER_DELAY, LAME_QUALITY, Mp3Writer, Tags, encode_chunk, played_samples,
)
from audiobook.errors import AudiobookError, InputError, OutputError
from audiobook.files import replacing, sweep_stale, write_atomically
from audiobook.audio.mix import DEFAULT_SAMPLE_RATE as SAMPLE_RATE, Timeline, chunk_pcm, plan_chunks
from audiobook.model import Cast, Chunk, Clip, Episode, Script, Voice
from audiobook.script.overrides import apply, load_overrides, pinned_voices, sidecar_path
from audiobook.names import slug
from audiobook.script.scriptfile import looks_like_script, script_from_json
from audiobook.script.understood import cached_script, keep_script, script_key
from audiobook.audio import sidecars
from audiobook.audio.sidecars import episode_files, transcript
from audiobook.source.reader import Source, read_source
from audiobook.speech.ear import Lexicon, load_lexicon
from audiobook.speech.synth import ClipJob, Workers, clip_at, look_up, plan_clips, synthesize

log = logging.getLogger("audiobook")
T = TypeVar("T")
# How long a render waits for the analysis before synthesizing a draft beside it: a warm analyst answers
# an edited article within this (10 ms measured on the sample), one loading the model takes 2 s.
_DRAFT_AFTER = 0.3


@dataclass(frozen=True)
class Options:
    """Everything a render can be asked to do differently; the defaults suit most articles."""

    cast_path: Path | None = None
    lexicon_path: Path | None = None
    overrides_path: Path | None = None
    """Corrections; by default ARTICLE.audiobook.toml beside the article, when it exists."""
    output_dir: Path = Path("output")
    """Where episodes go when no output file is named."""
    cache_dir: Path | None = None
    cache_store: str | None = None
    """An fsspec URL (s3://bucket/prefix) whose clips every machine shares, behind the local cache."""
    jobs: int | None = None
    bitrate: int = DEFAULT_BITRATE
    rate: int | None = None
    """The narrator's words per minute; other voices keep their pace relative to it."""
    publication: str | None = None
    epub: bool = False
    """Also write a talking book (EPUB 3 with the audio in sync) beside the MP3."""
    cautious: bool = False
    """Voice a quote as its speaker only when a name says who that is; every other quote is heard as an
    unidentified speaker: fewer words put in the wrong mouth, and fewer voices."""


@dataclass(frozen=True)
class Prepared:
    """An article made ready to render: its script and who voices it."""

    script: Script
    cast: Cast
    lexicon: Lexicon
    name: str
    profile: CastProfile | None = None
    """The cast file the voices came from."""
    pinned: dict[str, Voice] = field(default_factory=dict)
    """Voices the producer's corrections pinned, by speaker id."""
    corrections: str | None = None
    """One line: which of the producer's corrections applied and which matched nothing."""
    source_path: Path | None = None
    """The file it was read from, which no file of its episode may replace."""


def prepare(
    location: str, options: Options = Options(), head_start: Callable[[Prepared], None] | None = None,
    analyse_aside: bool = False,
) -> Prepared:
    """Read and understand an article (or an edited script) without synthesizing anything.

    When the article's analysis is not cached, ``head_start`` is first given a draft made by the rules
    alone: its narration, captions and headings are already final (the analysis only tells who speaks),
    so a render can synthesize them while the language model loads and reads. With a head start, or
    with ``analyse_aside``, the analysis runs in a process of its own, leaving this one's threads free.
    """
    source = read_source(location)
    profile = load_profile(options.cast_path)
    if options.rate:
        profile = at_rate(profile, options.rate)
    lexicon = load_lexicon(default_cast_path().with_name("lexicon.toml"))
    if options.lexicon_path:
        lexicon = lexicon.merged(load_lexicon(options.lexicon_path))
    if looks_like_script(source.text, source.path.name if source.path else ""):
        script, cast = script_from_json(source.text, profile, location)
        return Prepared(script, cast, lexicon, source.name, profile, source_path=source.path)
    # Scripts and analyses are kept in the clip cache's own marked folder, never loose in the folder the user named.
    kept = ClipCache(options.cache_dir).open().store
    key = script_key(source.text, location, source.url, options.cautious)
    script = cached_script(key, kept)
    if script is None:
        draft = (lambda rules: head_start(_prepared(rules, source, profile, lexicon, options))) if head_start else None
        script = _understand(source, location, kept, draft, analyse_aside or head_start is not None, options.cautious)
        keep_script(key, kept, script)
    return _prepared(script, source, profile, lexicon, options)


def _understand(
    source: Source, location: str, kept: Path, draft: Callable[[Script], None] | None, aside: bool, cautious: bool,
) -> Script:
    """The article read and attributed, the analysis ``aside`` in a process of its own; ``draft`` first
    gets the rules' script if the analysis will take a while, to synthesize beside it."""
    # Imported here: a re-render of an article understood before needs none of this.
    from audiobook.extract import extract
    from audiobook.script.attribution.attributor import CAUTIOUS, UNSURE
    from audiobook.script.attribution.analyst import analyse_aside
    from audiobook.script.attribution.syntax import NO_ANALYSIS, cached_analysis
    from audiobook.script.build import article_texts, build_script

    article = extract(source.text, label=location, url=source.url)
    texts = article_texts(article)
    analysis = cached_analysis(texts, kept)
    if analysis is None and aside:
        analysed = analyse_aside(texts, kept)
        try:
            # A warm analyst answers within this; only one that loads the model is worth a draft beside it.
            analysis = analysed(timeout=_DRAFT_AFTER if draft else None)
        except TimeoutError:
            draft(build_script(article, analysis=NO_ANALYSIS))
            analysis = analysed()
    return build_script(article, kept, analysis, voiced_from=CAUTIOUS if cautious else UNSURE)


def _prepared(script: Script, source: Source, profile: CastProfile, lexicon: Lexicon, options: Options) -> Prepared:
    """A script with the producer's corrections applied, and its cast."""
    if options.publication:
        script = replace(script, publication=options.publication)
    overrides_path = options.overrides_path or (sidecar_path(source.path) if source.path else None)
    pinned, corrections = {}, None
    if overrides_path and (options.overrides_path or overrides_path.exists()):
        overrides = load_overrides(overrides_path)
        applied = apply(script, overrides)
        script, corrections = applied.script, applied.summary(overrides_path)
        pinned = pinned_voices(script, overrides, profile)
        lexicon = lexicon.merged(overrides.lexicon)
    cast = cast_script(script, profile, pinned)
    return Prepared(script, cast, lexicon, source.name, profile, pinned, corrections, source.path)


def default_output(prepared: Prepared, folder: Path = Path("output")) -> Path:
    return folder / f"{slug(prepared.script.title) or slug(prepared.name) or 'episode'}.mp3"


def render(
    location: str, output: Path | None = None, options: Options = Options(), workers: Workers | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Episode:
    """Render one article to a tagged MP3 with its sidecars beside it (captions, transcripts, chapters).

    ``workers`` lets several renders share one set of worker pools; ``progress(done, total)``
    is called as each chunk reaches the file.
    """
    with contextlib.ExitStack() as stack:
        if workers is None:
            workers = stack.enter_context(Workers(options.jobs))
        name = (lambda _: output) if output else (lambda prepared: default_output(prepared, options.output_dir))
        episode = _render_started(location, name, options, workers, progress)
    log.info("%s: synthesized %d clips", location, episode.synthesized)
    return episode


def _render_started(
    location: str, name: Callable[[Prepared], Path], options: Options, workers: Workers,
    progress: Callable[[int, int], None] | None,
) -> Episode:
    """`prepare` then `render_prepared`, the narration synthesized while the article is analysed."""
    with _clip_cache(options).open().in_use():  # the head start's clips are this render's
        started: set[str] = set()
        prepared = prepare(location, options, lambda draft: started.update(start_narration(draft, options, workers)))
        return render_prepared(prepared, name(prepared), options, workers, progress, frozenset(started))


def start_narration(draft: Prepared, options: Options, workers: Workers) -> set[str]:
    """Start making the clips of a draft script that the analysis does not change (all but its quotations,
    see `prepare`), and encoding the chunks made of them alone, which the render then takes up as its
    own; returns the keys of the clips started."""
    if options.cache_store:
        return set()  # which clips the shared store holds is only known by asking it, clip by clip
    cache = _clip_cache(options).open()
    jobs = plan_clips(draft.script, draft.cast, cache, draft.lexicon)
    missing = [job for job in jobs.values() if not job.quote and not cache.holds(job.key)]
    made = {job.segment: workers.make(job, cache, len(missing)) for job in missing}
    for chunk in plan_chunks(draft.script):
        key = _chunk_key(chunk, jobs, options.bitrate)
        if any(jobs[index].quote for index in chunk.segments) or cache.holds_chunk(key):
            continue
        kept = {index: cache.get(jobs[index].key) for index in chunk.segments if index not in made}
        if None in kept.values():
            continue  # a kept clip was damaged: the render makes it again
        clips = [made[index] if index in made else _done(kept[index]) for index in chunk.segments]
        workers.begin(key, _when_all(clips, lambda chunk=chunk, clips=clips, key=key: workers.on_every_core().submit(
            _encode_new_chunk, chunk, [clip_at(index, path.result()) for index, path in zip(chunk.segments, clips)],
            key, cache, options.bitrate)))
    return {job.key for job in missing}


def _done(result: T) -> Future[T]:
    future: Future[T] = Future()
    future.set_result(result)
    return future


def _when_all(futures: list[Future[Any]], then: Callable[[], Future[T]]) -> Future[T]:
    """What ``then()`` starts, started once every one of ``futures`` is done (on the thread that finished last)."""
    result: Future[T] = Future()
    waiting = [len(futures)]
    lock = threading.Lock()

    def one_done(_: Future[Any]) -> None:
        with lock:
            waiting[0] -= 1
            if waiting[0]:
                return
        try:
            started = then()
        except BaseException as error:  # noqa: BLE001 - whoever claims the result meets it
            result.set_exception(error)
            return
        started.add_done_callback(_pass_on(result))

    for future in futures:
        future.add_done_callback(one_done)
    return result


def _pass_on(result: Future[T]) -> Callable[[Future[T]], None]:
    """A callback that gives ``result`` what the future it is called with came to."""
    def pass_on(done: Future[T]) -> None:
        if done.cancelled():
            result.cancel()
        elif (error := done.exception()) is not None:
            result.set_exception(error)
        else:
            result.set_result(done.result())
    return pass_on


def render_prepared(
    prepared: Prepared, output: Path, options: Options = Options(), workers: Workers | None = None,
    progress: Callable[[int, int], None] | None = None, head_started: frozenset[str] = frozenset(),
) -> Episode:
    """Render a script with its cast: the part of `render` after the article is understood.

    ``head_started``: keys of clips the workers began for this render before it (`start_narration`)."""
    script = prepared.script
    if output.suffix.lower() != ".mp3":
        # Refused, not renamed: scripts look for the file they named.
        raise OutputError(f"{output}: an episode is an MP3; give a file name ending in .mp3")
    if not any(segment.spoken for segment in script.segments):
        raise InputError(f"{prepared.name}: every segment is skipped; an episode with nothing to hear is not written")
    _check_writable(output)
    episode_paths = [output, *(output.with_suffix(suffix) for suffix in sidecars.SUFFIXES)]
    if prepared.source_path:
        _check_spares_source(episode_paths, prepared.source_path)
    for path in episode_paths:
        sweep_stale(path)
    text = transcript(script)
    cache = _clip_cache(options).open()
    tags = Tags(
        title=script.title, artist=script.publication or script.byline or "audiobook",
        album=script.publication or "Audio editions", date=script.date.isoformat() if script.date else None,
        description=script.subtitle, transcript=text, source_url=script.source_url,
        cover_png=kept_cover(script.title, script.publication, cache.store),
    )
    clip_jobs = plan_clips(script, prepared.cast, cache, prepared.lexicon)
    chunks = plan_chunks(script)
    keys = [_chunk_key(chunk, clip_jobs, options.bitrate) for chunk in chunks]
    timeline = Timeline(script, SAMPLE_RATE, ENCODER_DELAY)
    with contextlib.ExitStack() as stack:
        stack.enter_context(cache.in_use())  # a prune by another render keeps what this one finds
        encoded = {key: found for key in keys if (found := cache.get_chunk(key))}
        if workers is None:
            workers = stack.enter_context(Workers(options.jobs))
        to_encode = [clip_jobs[index] for chunk, key in zip(chunks, keys) if key not in encoded for index in chunk.segments]
        cached = look_up(to_encode, cache)
        # The head start's clips count wherever they went, also into chunks it encoded itself.
        synthesized = len(head_started) + sum(
            job.segment not in cached and job.key not in head_started for job in to_encode)
        clips = synthesize(to_encode, cache, workers, cached)
        stack.callback(clips.close)  # on an error, cancel what is still queued for this article
        mp3 = stack.enter_context(Mp3Writer(output))
        # Chunks are encoded on every core while the next ones are synthesized, and written in order; the
        # few queued at a time bound the memory whatever the article's length.
        queued: deque[tuple[int, Chunk, Future[tuple[bytes, list[int]]]]] = deque()
        stack.callback(lambda: [future.cancel() for _, _, future in queued])

        def write_next() -> None:
            number, chunk, encoding = queued.popleft()
            data, lengths = encoding.result()
            mp3.write(data)
            timeline.add(chunk, lengths, played_samples(data, SAMPLE_RATE, options.bitrate))
            if progress:
                progress(number, len(chunks))

        for number, (chunk, key) in enumerate(zip(chunks, keys), start=1):
            begun = workers.claim(key)  # by the head start; claimed even when cached, so nothing holds it after
            if key in encoded:
                encoding: Future[tuple[bytes, list[int]]] = _done(encoded[key])
            else:
                chunk_clips = [next(clips) for _ in chunk.segments]
                # Taken as it comes, failure included, as if encoded here; only work the pools dropped is redone.
                if begun is None or begun.cancelled():
                    encoding = workers.on_every_core().submit(
                        _encode_new_chunk, chunk, chunk_clips, key, cache, options.bitrate)
                else:
                    encoding = begun
            queued.append((number, chunk, encoding))
            while queued and (len(queued) > 2 * workers.jobs or queued[0][2].done()):
                write_next()
        while queued:
            write_next()
        mp3.finish(timeline.mix, tags)
        mix = timeline.mix
        # Every file of the episode is written under a temporary name first; all take their final
        # names together as the block ends cleanly (the MP3 last), so a failure never leaves a new
        # MP3 beside old sidecars.
        book_audio = mp3.temporary.read_bytes() if options.epub else None
        for path, content in episode_files(output, script, mix, tags.cover_png, book_audio).items():
            stack.enter_context(replacing(path)).write_bytes(content)
    cache.prune()
    if prepared.corrections:
        log.warning("%s", prepared.corrections)
    return Episode(
        mp3=output, duration=mix.duration, size=output.stat().st_size, vtt=output.with_suffix(".vtt"),
        chapters_json=output.with_suffix(".chapters.json"), transcript=output.with_suffix(".txt"),
        synthesized=synthesized, mix=mix, epub=output.with_suffix(".epub") if options.epub else None,
    )


def say(prepared: Prepared, number: int, output: Path, options: Options = Options()) -> Path:
    """Synthesize segment ``number`` of a prepared script alone, as the render would voice it, into a WAV file."""
    segments = prepared.script.segments
    if not 0 <= number < len(segments):
        raise InputError(f"{prepared.name}: there is no segment {number}; segments are numbered 0 to {len(segments) - 1}")
    if not segments[number].spoken:
        raise InputError(f"{prepared.name}: segment {number} is not spoken (\"spoken\": false)")
    cache = _clip_cache(options).open()
    job = plan_clips(prepared.script, prepared.cast, cache, prepared.lexicon)[number]
    with cache.in_use(), Workers(1) as workers:
        clip = next(synthesize([job], cache, workers))
        _check_writable(output)
        write_atomically(output, clip.path.read_bytes())
    return output


@dataclass(frozen=True)
class Outcome:
    """One article of a batch: its episode, or the error that stopped it."""

    location: str
    episode: Episode | None = None
    error: AudiobookError | None = None


def render_many(
    locations: list[str], options: Options = Options(),
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Outcome]:
    """Render several articles with one set of workers; a bad article is reported and the rest go on.

    Each render is one call of ``render(location, output, options)``: the unit a task queue of
    a distributed engine would run, with the clip cache on shared storage.
    """
    outcomes: list[Outcome] = []
    taken: set[Path] = set()

    def name(prepared: Prepared) -> Path:
        taken.add(output := _unused(default_output(prepared, options.output_dir), taken))
        return output

    with Workers(options.jobs) as workers:
        for location in locations:
            report = (lambda done, total, where=location: progress(where, done, total)) if progress else None
            try:
                outcomes.append(Outcome(location, _render_started(location, name, options, workers, report)))
            except AudiobookError as error:
                outcomes.append(Outcome(location, error=error))
            except Exception as error:  # noqa: BLE001 - each article is its own unit of failure
                log.debug("%s: unexpected error", location, exc_info=True)
                outcomes.append(Outcome(location, error=AudiobookError(
                    f"{location}: internal error: {type(error).__name__}: {error}")))
    return outcomes


def _unused(output: Path, taken: set[Path]) -> Path:
    """Two articles with the same headline in one batch get NAME.mp3 and NAME-2.mp3, as publish numbers them."""
    candidate, number = output, 2
    while candidate in taken:
        candidate = output.with_name(f"{output.stem}-{number}{output.suffix}")
        number += 1
    return candidate


def _encode_new_chunk(
    chunk: Chunk, clips: list[Clip], key: str, cache: ClipCache, bitrate: int,
) -> tuple[bytes, list[int]]:
    """One chunk's clips mixed, encoded and cached: its MP3 stream and its clips' lengths in samples."""
    pcm, lengths = chunk_pcm(chunk, clips, SAMPLE_RATE)
    data = encode_chunk(pcm, SAMPLE_RATE, bitrate)
    cache.put_chunk(key, data, lengths)
    return data, lengths


def _chunk_key(chunk: Chunk, clip_jobs: dict[int, ClipJob], bitrate: int) -> str:
    """Everything that changes a chunk's encoded bytes: its clips, its pauses, the encoder's settings."""
    material = json.dumps([
        "chunk 2", SAMPLE_RATE, bitrate, LAME_QUALITY, CHUNK_PEAK_DBTP, chunk.pauses, chunk.tail,
        [clip_jobs[index].key for index in chunk.segments],
    ])
    return hashlib.sha256(material.encode()).hexdigest()


def _check_spares_source(episode_paths: list[Path], source: Path) -> None:
    """`render ep.json -o ep.mp3` would write its JSON transcript over the edited script: refused before any work."""
    for path in episode_paths:
        if path.exists() and path.samefile(source):
            raise OutputError(f"{path}: the episode's files would replace the article being rendered; "
                              "give the MP3 another name")


def _clip_cache(options: Options) -> ClipCache:
    return cache_for(options.cache_dir, options.cache_store)


def _check_writable(output: Path) -> None:
    """Fail before any synthesis when the output folder can't be written."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{output.parent}: cannot create the output folder ({error.strerror})") from None
    if output.exists() and output.is_dir():
        raise OutputError(f"{output}: is a folder; give a file name ending in .mp3")
