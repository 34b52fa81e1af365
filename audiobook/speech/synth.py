"""Synthesize every spoken segment to a levelled clip, in the background and in parallel, reusing the cache.

First the clips are planned (`plan_clips`: frozen jobs, each with its cache key, so a render
can tell what is cached before anything is synthesized), then `synthesize` yields them.

Clips come out in script order while later ones are still being made, so the mix and the
encoders work at the same time as synthesis (see `Workers` for who does what).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
import wave
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audiobook.speech.cache import ClipCache
from audiobook.speech.engines import Audio, engine_version, shared_engine
from audiobook.model import Cast, Clip, Script, Voice
from audiobook.speech.ear import Lexicon, for_the_ear

# Podcast loudness is -16 LUFS for the episode. Every clip is levelled alike, so no voice is louder
# than another; clips sit 1.3 LU above the episode's target because the 400 ms measuring blocks that
# straddle pauses, the limiting and the codec pull the decoded episode below its clips (measured on
# eight articles at 32-128 kbps: clips at -15.0 gave episodes at -16.0 to -16.7 LUFS). Clips' true peaks (4x oversampled) stay under the ceiling;
# the encoder checks the decoded chunks against the episode's -1 dBTP (encode.py).
EPISODE_LUFS = -16.0
TARGET_LUFS = EPISODE_LUFS + 1.3
PEAK_CEILING_DB = -2.0
_LEVELLING = f"levelled to {TARGET_LUFS} LUFS, true peaks {PEAK_CEILING_DB} dBTP"
# Starting worker processes costs about half a second; below this many clips a thread is faster.
_MIN_CLIPS_FOR_PROCESSES = 200


@dataclass(frozen=True)
class ClipJob:
    """One clip to make: a segment's words as the engine hears them, its voice, and its cache key."""

    segment: int
    text: str
    voice: Voice
    key: str
    quote: bool = False
    """A quotation: whose voice it takes is known only once the article is analysed."""


def plan_clips(script: Script, cast: Cast, cache: ClipCache, lexicon: Lexicon = Lexicon()) -> dict[int, ClipJob]:
    """The clip of every spoken segment, by segment index, with the key that finds it in the cache."""
    versions: dict[str, str] = {}  # asked once per engine, not once per segment
    jobs: dict[int, ClipJob] = {}
    for index, segment in enumerate(script.segments):
        if segment.spoken:
            voice = cast.voice_for(segment)
            text = for_the_ear(segment.spoken_text, lexicon)
            if voice.engine not in versions:
                versions[voice.engine] = engine_version(voice.engine)
            key = cache.key(f"{versions[voice.engine]}; {_LEVELLING}", voice, text)
            jobs[index] = ClipJob(index, text, voice, key, segment.role == "quote")
    return jobs


class Workers:
    """The worker pools shared by every render in one run, started when first needed, and the clips
    they have made or are making: a clip asked for twice is made once. Other work begun ahead for a
    render (a head start's encoded chunks) waits here until the render claims it.

    A short article's clips are spoken by one thread, in the order asked (espeak-ng's output depends
    by a few samples on what it spoke before, and one speech library speaks one text at a time), and
    levelled, twice the work, by threads on every core, the ones that also encode chunks (LAME, the
    decoder and numpy release the GIL). A long one is made by a pool of processes, one per core.
    """

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs or os.cpu_count() or 1
        self._speaker: ThreadPoolExecutor | None = None
        self._processes: ProcessPoolExecutor | None = None
        self._cores: ThreadPoolExecutor | None = None
        self._making: dict[str, Future[Path]] = {}
        self._begun: dict[str, Future[Any]] = {}

    def begin(self, key: str, work: Future[Any]) -> None:
        """Keep work begun ahead of the render that will `claim` it by the same key."""
        self._begun[key] = work

    def claim(self, key: str) -> Future[Any] | None:
        """The work begun for this key, handed over once: nothing here keeps what it holds after that."""
        return self._begun.pop(key, None)

    def make(self, job: ClipJob, cache: ClipCache, batch: int) -> Future[Path]:
        """The clip of this job, being made (``batch``: how many clips the caller is asking for at once)."""
        if (making := self._making.get(job.key)) is not None:
            return making
        if self.jobs > 1 and batch >= _MIN_CLIPS_FOR_PROCESSES:
            future = self._process_pool().submit(_make_clip, job, cache)
        else:
            future = self._speak_then_level(job, cache)
        self._making[job.key] = future
        # Kept once made: a render that looked in the cache just before the clip landed takes it from here.
        future.add_done_callback(lambda done, key=job.key: done.cancelled() and self._making.pop(key, None))
        return future

    def on_every_core(self) -> Executor:
        """Threads for work that releases the GIL: levelling clips, encoding chunks."""
        if self._cores is None:
            self._cores = ThreadPoolExecutor(self.jobs, thread_name_prefix="work")
        return self._cores

    def _speak_then_level(self, job: ClipJob, cache: ClipCache) -> Future[Path]:
        if self._speaker is None:
            self._speaker = ThreadPoolExecutor(1, thread_name_prefix="speak")
        made: Future[Path] = Future()
        spoken = self._speaker.submit(_speak, job)
        made.add_done_callback(lambda done: done.cancelled() and spoken.cancel())

        def level(_: Future[Audio]) -> None:
            try:
                self.on_every_core().submit(_level_into, made, spoken, job, cache)
            except RuntimeError:  # the pools are shutting down: nobody waits for this clip any more
                made.cancel()

        spoken.add_done_callback(level)
        return made

    def _process_pool(self) -> ProcessPoolExecutor:
        if self._processes is None:
            # spawn, not fork: a forked copy of an initialised speech library can hang.
            self._processes = ProcessPoolExecutor(
                self.jobs, mp_context=multiprocessing.get_context("spawn"),
                initializer=_die_with_parent, initargs=(os.getpid(),),
            )
        return self._processes

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        # The speaker first: a text it is speaking still finds the levelling threads open.
        for pool in (self._speaker, self._processes, self._cores):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


def look_up(jobs: list[ClipJob], cache: ClipCache) -> dict[int, Path]:
    """The cached clip of every job the cache holds, by segment; each entry read and checked once."""
    return {job.segment: path for job in jobs if (path := cache.get(job.key))}


def synthesize(
    jobs: list[ClipJob], cache: ClipCache, workers: Workers, cached: dict[int, Path] | None = None,
) -> Iterator[Clip]:
    """The clips of these jobs, in this order: cached ones (``cached``, if already looked up) read
    back, missing ones made by the workers.

    What is still queued is cancelled if the caller stops early.
    """
    cached = look_up(jobs, cache) if cached is None else cached
    # Quotations last, as a head start (api.start_narration) orders them: espeak-ng's output depends by a
    # few samples on what it spoke before, and one order makes one episode whether or not it had the start.
    missing = sorted((job for job in jobs if job.segment not in cached), key=lambda job: job.quote)
    futures = {job.segment: workers.make(job, cache, len(missing)) for job in missing}
    try:
        for job in jobs:
            yield clip_at(job.segment, cached[job.segment] if job.segment in cached else futures[job.segment].result())
    finally:
        for future in futures.values():
            future.cancel()


def _die_with_parent(parent: int) -> None:
    """In each worker process: exit once the render that started it is gone, even by kill -9,
    rather than live on as an orphan holding a core."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _make_clip(job: ClipJob, cache: ClipCache) -> Path:
    """Synthesize, level and cache one clip (in a worker process)."""
    return _level_and_keep(_speak(job), job, cache)


def _speak(job: ClipJob) -> Audio:
    return shared_engine(job.voice.engine).synthesize(job.text, job.voice)


def _level_into(made: Future[Path], spoken: Future[Audio], job: ClipJob, cache: ClipCache) -> None:
    """Level and cache a spoken clip, its path (or what went wrong) into ``made``, unless that was cancelled."""
    if not made.set_running_or_notify_cancel():
        return
    try:
        made.set_result(_level_and_keep(spoken.result(), job, cache))
    except BaseException as error:  # noqa: BLE001 - handed to whoever waits for the clip
        made.set_exception(error)


def _level_and_keep(audio: Audio, job: ClipJob, cache: ClipCache) -> Path:
    from audiobook.speech.analysis import level  # numpy loads only when a clip is made

    levelled = level(audio.pcm, audio.sample_rate, TARGET_LUFS, PEAK_CEILING_DB)
    return cache.put(job.key, levelled, audio.sample_rate)


def clip_at(index: int, path: Path) -> Clip:
    """Segment ``index``'s clip, read from its file."""
    with wave.open(str(path), "rb") as source:
        rate = source.getframerate()
        return Clip(segment=index, path=path, duration=source.getnframes() / rate, sample_rate=rate)
