"""Synthesize every spoken segment to a levelled clip, in the background and in parallel, reusing the cache.

Clips come out in script order while later ones are still being made, so the mix and the
encoder (on the calling thread) work at the same time as synthesis. A short article uses a
worker thread (the speech library and the encoder both release the GIL); a long one a pool
of processes, one per core, since one speech library instance speaks one text at a time.
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

from audiobook.speech.analysis import level
from audiobook.speech.cache import ClipCache
from audiobook.speech.engines import Engine, load_engine
from audiobook.model import Cast, Clip, Script, Voice
from audiobook.speech.ear import Lexicon, for_the_ear

# Podcast loudness is -16 LUFS for the episode. Every clip is levelled alike, so no voice is louder
# than another; clips sit 1 LU above the episode's target because the 400 ms measuring blocks that
# straddle pauses pull the episode's gated loudness about 1 LU below its clips' (measured on the
# sample: clips at -16.0 gave an episode at -17.0). Sample peaks under the ceiling keep true peaks under -1 dBTP.
EPISODE_LUFS = -16.0
TARGET_LUFS = EPISODE_LUFS + 1.0
PEAK_CEILING_DB = -2.0
_LEVELLING = f"levelled to {TARGET_LUFS} LUFS, peaks {PEAK_CEILING_DB} dB"
# Starting worker processes costs about half a second; below this many clips a thread is faster.
_MIN_CLIPS_FOR_PROCESSES = 200


@dataclass(frozen=True)
class _Job:
    segment: int
    text: str
    voice: Voice
    key: str


class Workers:
    """The worker pools shared by every render in one run, started when first needed."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = jobs or os.cpu_count() or 1
        self._threads: ThreadPoolExecutor | None = None
        self._processes: ProcessPoolExecutor | None = None

    def for_clips(self, count: int) -> Executor:
        if self.jobs > 1 and count >= _MIN_CLIPS_FOR_PROCESSES:
            if self._processes is None:
                # spawn, not fork: a forked copy of an initialised speech library can hang.
                self._processes = ProcessPoolExecutor(
                    self.jobs, mp_context=multiprocessing.get_context("spawn"),
                    initializer=_die_with_parent, initargs=(os.getpid(),),
                )
            return self._processes
        if self._threads is None:
            # One core stays with the encoder on the calling thread; one speech library speaks one text at a time.
            self._threads = ThreadPoolExecutor(max(1, min(self.jobs - 1, 2)), thread_name_prefix="synth")
        return self._threads

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for pool in (self._threads, self._processes):
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


class Synthesis:
    """The clips of one script: cached ones read back, missing ones made by the workers."""

    def __init__(self, script: Script, cast: Cast, cache: ClipCache, lexicon: Lexicon = Lexicon()) -> None:
        self._cache = cache
        self._engines: dict[str, Engine] = {}
        versions: dict[str, str] = {}  # asked once per engine, not once per segment
        self.jobs: dict[int, _Job] = {}
        for index, segment in enumerate(script.segments):
            if segment.spoken:
                voice = cast.voice_for(segment)
                text = for_the_ear(segment.spoken_text, lexicon)
                if voice.engine not in versions:
                    versions[voice.engine] = self._engine(voice.engine).version
                key = cache.key(f"{versions[voice.engine]}; {_LEVELLING}", voice, text)
                self.jobs[index] = _Job(index, text, voice, key)
        self.synthesized = 0

    def clips(self, workers: Workers, indexes: list[int]) -> Iterator[Clip]:
        """The clips of these segments, in this order; what is still queued is cancelled if the caller stops."""
        cached = {index: path for index in indexes if (path := self._cache.get(self.jobs[index].key))}
        missing = [self.jobs[index] for index in indexes if index not in cached]
        self.synthesized += len(missing)
        executor = workers.for_clips(len(missing))
        threads = isinstance(executor, ThreadPoolExecutor)
        futures: dict[int, Future[Path]] = {
            job.segment: executor.submit(_make_clip, job, self._cache.folder, self._engines if threads else None)
            for job in missing
        }
        try:
            for index in indexes:
                yield _clip(index, cached[index] if index in cached else futures[index].result())
        finally:
            for future in futures.values():
                future.cancel()

    def _engine(self, name: str) -> Engine:
        if name not in self._engines:
            self._engines[name] = load_engine(name)
        return self._engines[name]


_process_engines: dict[str, Engine] = {}


def _die_with_parent(parent: int) -> None:
    """In each worker process: exit once the render that started it is gone, even by kill -9,
    rather than live on as an orphan holding a core."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _make_clip(job: _Job, cache_folder: Path, engines: dict[str, Engine] | None) -> Path:
    """Synthesize, level and cache one clip (in a worker thread, or a worker process with its own engines)."""
    engines = _process_engines if engines is None else engines
    if job.voice.engine not in engines:
        engines[job.voice.engine] = load_engine(job.voice.engine)
    audio = engines[job.voice.engine].synthesize(job.text, job.voice)
    levelled = level(audio.pcm, audio.sample_rate, TARGET_LUFS, PEAK_CEILING_DB)
    return ClipCache(cache_folder).put(job.key, levelled, audio.sample_rate)


def _clip(index: int, path: Path) -> Clip:
    with wave.open(str(path), "rb") as source:
        rate = source.getframerate()
        return Clip(segment=index, path=path, duration=source.getnframes() / rate, sample_rate=rate)
