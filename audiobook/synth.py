"""Synthesize every spoken segment to a clip, in parallel, reusing clips already in the cache."""

from __future__ import annotations

import multiprocessing
import os
import wave
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .cache import ClipCache
from .engines import Engine, load_engine
from .model import Cast, Clip, Script, Voice
from .speech import Lexicon, for_the_ear

# Starting a worker process costs more than synthesizing a handful of clips in this one.
_MIN_JOBS_FOR_POOL = 12


@dataclass(frozen=True)
class _Job:
    segment: int
    text: str
    voice: Voice
    key: str


@dataclass(frozen=True)
class Synthesis:
    clips: tuple[Clip, ...]
    synthesized: int
    """How many clips were made now; the rest came from the cache."""


def synthesize(
    script: Script, cast: Cast, cache: ClipCache, lexicon: Lexicon = Lexicon(), jobs: int | None = None,
) -> Synthesis:
    engines: dict[str, Engine] = {}
    clips: dict[int, Clip] = {}
    missing: list[_Job] = []
    for index, segment in enumerate(script.segments):
        if not segment.spoken:
            continue
        voice = cast.voice_for(segment)
        engine = engines.get(voice.engine) or engines.setdefault(voice.engine, load_engine(voice.engine))
        text = for_the_ear(segment.spoken_text, lexicon)
        key = cache.key(engine.version, voice, text)
        if cached := cache.get(key):
            clips[index] = _clip(index, cached)
        else:
            missing.append(_Job(index, text, voice, key))

    jobs = jobs or os.cpu_count() or 1
    if jobs > 1 and len(missing) >= _MIN_JOBS_FOR_POOL:
        # spawn, not fork: a forked copy of an initialised speech library can hang.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            chunk = max(1, len(missing) // (jobs * 4))
            made = pool.map(_run_job, missing, [cache.folder] * len(missing), chunksize=chunk)
            for job, path in zip(missing, made):
                clips[job.segment] = _clip(job.segment, path)
    else:
        for job in missing:
            clips[job.segment] = _clip(job.segment, _run_job(job, cache.folder, engines))
    return Synthesis(tuple(clips[index] for index in sorted(clips)), len(missing))


_worker_engines: dict[str, Engine] = {}


def _run_job(job: _Job, cache_folder: Path, engines: dict[str, Engine] | None = None) -> Path:
    engines = _worker_engines if engines is None else engines
    if job.voice.engine not in engines:
        engines[job.voice.engine] = load_engine(job.voice.engine)
    audio = engines[job.voice.engine].synthesize(job.text, job.voice)
    return ClipCache(cache_folder).put(job.key, audio.pcm, audio.sample_rate)


def _clip(index: int, path: Path) -> Clip:
    with wave.open(str(path), "rb") as source:
        rate = source.getframerate()
        return Clip(segment=index, path=path, duration=source.getnframes() / rate, sample_rate=rate)
