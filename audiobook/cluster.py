"""Rendering a batch of articles on a Dask cluster: the one module that imports dask.

The client reads and understands every article (``prepare``: extraction, script, casting, the
analysis in the analyst process), which is cheap, while it connects to the cluster; the workers
synthesize and encode, which is not, the longest articles first. Each article is one pure job: its
prepared script, cast and lexicon and the render settings go in, the episode's files come back
as bytes; the job names its clip cache explicitly and uses a private temporary folder, so it
depends on nothing of the caller's working directory or environment. The client writes every
file (temporary name, then rename) and, for a feed, the feed itself under its lock, so a
cluster publish and a local publish produce the same folder.

A worker that dies mid-job loses nothing: the scheduler gives its jobs to another worker. An
article that fails on its own comes back as its error (one line), never retried, and the
batch goes on. Each job's result is fetched and written once, in the order of the articles.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import tempfile
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from audiobook.api import Options, Outcome, Prepared, default_output, prepare, render_prepared
from audiobook.audio import sidecars
from audiobook.errors import AudiobookError, InputError, OutputError
from audiobook.files import sweep_stale, write_atomically
from audiobook.model import Episode, Mix
from audiobook.names import unique
from audiobook.speech.cache import default_cache_dir
from audiobook.speech.synth import Workers

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

log = logging.getLogger("audiobook")

# Every file a render can leave beside OUT.mp3; the MP3 comes last so its presence means the rest is there.
_SIDECARS = sidecars.SUFFIXES
_LOCAL = re.compile(r"^local(?::([1-9]\d*))?$")
# Dask settings for the processes this one starts (a LocalCluster's) and its own client: measured on
# a batch of 20 articles on two local workers, the last two cut the cluster's CPU from 58 s to 51 s.
_QUIET_DASK = {
    # The nanny sets MALLOC_TRIM_THRESHOLD_ in its workers, which makes glibc map and unmap every large
    # array afresh: our levelling and encoding ran twice as slow. Not set, glibc tunes itself.
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    # A worker samples every thread's stack every 10 ms for the dashboard's profile: 9% more CPU in the workers.
    "distributed.worker.profile.enabled": False,
    # Every server checks that its event loop is responsive every 20 ms: idle, 7% of a core in the
    # process running the scheduler, 2% in each worker.
    "distributed.admin.tick.interval": "1s",
}
# Jobs queued per worker thread: enough to keep every worker busy, few enough that finished
# episodes do not pile up in the workers' memory before the client fetches them.
_QUEUED_PER_THREAD = 3


@dataclass(frozen=True)
class Job:
    """One article to render: everything the worker needs, nothing it must find on its own disk."""

    prepared: Prepared
    stem: str
    """The episode's file name without suffix: its files are made under that name in a private folder."""
    options: Options


@dataclass(frozen=True)
class Rendered:
    """What a job returns: the episode's files by suffix, and what the client reports about it."""

    files: dict[str, bytes]
    duration: float
    synthesized: int
    mix: Mix


def render_job(job: Job) -> Rendered | AudiobookError:
    """Render one article in a private folder and return its files; bad input is returned, not raised,
    so Dask does not retry it and the batch goes on."""
    try:
        with tempfile.TemporaryDirectory(prefix="audiobook-job-") as folder, Workers(1) as workers:
            # One synthesis thread beside the encoder: a worker's Dask threads are the unit of parallelism.
            output = Path(folder) / f"{job.stem}.mp3"
            episode = render_prepared(job.prepared, output, job.options, workers)
            files = {suffix: path.read_bytes() for suffix in _SIDECARS if (path := output.with_suffix(suffix)).exists()}
            files[".mp3"] = output.read_bytes()
    except AudiobookError as error:
        return error
    return Rendered(files, episode.duration, episode.synthesized, episode.mix)


def write_episode(rendered: Rendered, output: Path) -> Episode:
    """Write a job's files beside ``output`` (each to a temporary name, then renamed), the MP3 last.

    First, as a local render does, sweep what a killed earlier write of these files left: the
    worker rendered in a private folder, so only the client ever has temporary files here."""
    for suffix in (".mp3", *_SIDECARS):
        sweep_stale(output.with_suffix(suffix))
    for suffix, data in rendered.files.items():
        if suffix != ".mp3":
            write_atomically(output.with_suffix(suffix), data)
    write_atomically(output, rendered.files[".mp3"])
    return Episode(
        mp3=output, duration=rendered.duration, size=len(rendered.files[".mp3"]), vtt=output.with_suffix(".vtt"),
        chapters_json=output.with_suffix(".chapters.json"), transcript=output.with_suffix(".txt"),
        synthesized=rendered.synthesized, mix=rendered.mix,
        epub=output.with_suffix(".epub") if ".epub" in rendered.files else None,
    )


class Batch:
    """A connection to a cluster (or a LocalCluster it started) that renders prepared articles.

    ``submit`` sends a job and returns a callable that waits for it and writes the episode to a
    path the caller chooses then (a feed picks the episode's name only when it publishes it).
    """

    def __init__(self, address: str, options: Options, report: Callable[[str], None] | None = None) -> None:
        self._local = _LOCAL.match(address)
        if not self._local and not re.match(r"^(tcp|tls|ws|wss)://[^/]+$", address):
            raise InputError(f"--cluster {address}: give a scheduler's address (tcp://HOST:8786) or local[:N]")
        self._cluster: LocalCluster | None = None
        self.options = self._job_options(options)
        self.progress = _Progress(report)
        # Importing dask and starting a LocalCluster's processes take seconds: done in a thread of its
        # own while this one reads and understands the first articles.
        connecting = ThreadPoolExecutor(1, thread_name_prefix="audiobook-cluster")
        self._connection = connecting.submit(self._connect, address, report)
        connecting.shutdown(wait=False)

    def _connect(self, address: str, report: Callable[[str], None] | None) -> Client:
        import dask
        from distributed import Client, LocalCluster

        with dask.config.set(_QUIET_DASK):
            if self._local:
                self._cluster = LocalCluster(
                    n_workers=int(self._local[1] or os.cpu_count() or 1), threads_per_worker=1, processes=True,
                    dashboard_address=":0",
                )
                address = self._cluster.scheduler_address
            try:
                client = Client(address, timeout="20s")
            except OSError as error:
                if self._cluster is not None:
                    self._cluster.close()
                raise InputError(f"--cluster {address}: no Dask scheduler answers there ({error})") from None
        if report:
            report(f"cluster: {len(client.nthreads())} workers, {sum(client.nthreads().values())} threads; "
                   f"dashboard {client.dashboard_link}")
        return client

    @property
    def client(self) -> Client:
        """The connection to the scheduler, once made; the error that prevented it, raised."""
        return self._connection.result()

    @functools.cached_property
    def window(self) -> int:
        """How many articles may be under way at once."""
        return (sum(self.client.nthreads().values()) or 1) * _QUEUED_PER_THREAD

    def _job_options(self, options: Options) -> Options:
        """The options a worker renders with: no paths of the client's except the (shared) clip cache."""
        cache = options.cache_dir
        if cache is None and self._local:
            cache = default_cache_dir()  # a LocalCluster shares this machine's cache
        return replace(
            options, cast_path=None, lexicon_path=None, overrides_path=None, output_dir=Path("."),
            cache_dir=Path(os.path.abspath(cache)) if cache else None,
        )

    def submit(self, prepared: Prepared, stem: str) -> Callable[[Path], Episode]:
        if prepared.corrections:
            log.warning("%s", prepared.corrections)  # said here: a worker's log is not the producer's terminal
        job = Job(replace(prepared, profile=None, corrections=None), stem, self.options)
        # pure=False: a job submitted twice (the same article twice in a batch) is rendered for each.
        # The longest articles first among those queued, so that no long one is left to run alone at the end.
        future = self.client.submit(render_job, job, pure=False, retries=1, priority=_length(prepared))
        self.progress.submitted()

        def finish(output: Path) -> Episode:
            try:
                result = future.result()
            except Exception as error:  # the job itself crashed (or a worker died too often): this article only
                self.progress.finished(None)
                raise AudiobookError(f"{prepared.name}: failed on the cluster ({type(error).__name__}: {error})") from None
            finally:
                future.release()
            try:
                if isinstance(result, AudiobookError):
                    raise result
                episode = write_episode(result, output)
            except AudiobookError:
                self.progress.finished(None)
                raise
            self.progress.finished(episode)
            return episode

        return finish

    def close(self) -> None:
        try:
            client = self.client
        except Exception:  # noqa: BLE001 - never connected: its error has been reported, or is being raised
            return
        client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> Batch:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.progress.close()
        self.close()


def in_order(batch: Batch, items: Iterator[tuple[str, Callable[[Path], Episode] | AudiobookError]]
             ) -> Iterator[tuple[str, Callable[[Path], Episode] | AudiobookError]]:
    """The items again, each yielded only once ``batch.window`` later ones are queued, so the
    cluster stays busy while the caller waits for them one at a time, in order."""
    pending: deque = deque()
    for item in items:
        pending.append(item)
        if len(pending) > batch.window:
            yield pending.popleft()
    yield from pending


def render(locations: list[str], options: Options, address: str, output: Path | None = None,
           report: Callable[[str], None] | None = None) -> list[Outcome]:
    """``render_many`` on a cluster: the same episodes in the same places, written by this process."""
    if output and output.suffix.lower() != ".mp3":
        raise OutputError(f"{output}: an episode is an MP3; give a file name ending in .mp3")  # as render_prepared
    outcomes: list[Outcome] = []
    targets: dict[str, Path] = {}
    taken: set[str] = set()

    def submitted(batch: Batch) -> Iterator[tuple[str, Callable[[Path], Episode] | AudiobookError]]:
        for location in locations:
            try:
                # The analysis aside: this process's threads serve the cluster (and a LocalCluster's scheduler).
                prepared = prepare(location, options, analyse_aside=True)
            except AudiobookError as error:
                yield location, error
                continue
            except Exception as error:  # noqa: BLE001 - each article is its own unit of failure, as in render_many
                yield location, AudiobookError(f"{location}: internal error: {type(error).__name__}: {error}")
                continue
            target = output or default_output(prepared, options.output_dir)
            # Two articles with one headline get NAME.mp3 and NAME-2.mp3, as render_many names them.
            target = target.with_name(unique(target.stem, taken) + target.suffix)
            taken.add(target.stem)
            targets[location] = target
            yield location, batch.submit(prepared, target.stem)

    with Batch(address, options, report) as batch:
        for location, finish in in_order(batch, submitted(batch)):
            if isinstance(finish, AudiobookError):
                batch.progress.finished(None)
                outcomes.append(Outcome(location, error=finish))
                continue
            try:
                outcomes.append(Outcome(location, finish(targets[location])))
            except AudiobookError as error:
                outcomes.append(Outcome(location, error=error))
    return outcomes


def publish(locations: list[str], folder: Path, base_url: str | None, options: Options, address: str,
            report: Callable[[str], None] | None = None) -> list[Outcome]:
    """The feed publish with the renders on a cluster; the feed is written here, under its lock."""
    from audiobook.publish.publisher import publish as publish_feed

    options = replace(options, epub=True)  # as a local publish does: a talking book beside each episode
    with Batch(address, options, report) as batch:
        results = publish_feed(locations, folder, base_url, options, batch)
        # The last line counts what the feed got, articles that failed before reaching a worker included.
        batch.progress.failed = sum(1 for result in results if result.error)
        return results


def _length(prepared: Prepared) -> int:
    """What an article costs to render, in characters to speak."""
    return sum(len(segment.text) for segment in prepared.script.segments if segment.spoken)


class _Progress:
    """The whole batch on one line of stderr: articles done and failed, audio rendered, throughput."""

    def __init__(self, report: Callable[[str], None] | None) -> None:
        self._report = report
        self._started = time.monotonic()
        self._shown = 0.0
        self.total = self.done = self.failed = 0
        self.audio_seconds = 0.0

    def submitted(self) -> None:
        self.total += 1

    def finished(self, episode: Episode | None) -> None:
        if episode is None:
            self.failed += 1
        else:
            self.done += 1
            self.audio_seconds += episode.duration
        now = time.monotonic()
        if now - self._shown >= 5:  # at most a line every 5 s, whatever the batch's size
            self._shown = now
            self._line()

    def _line(self) -> None:
        if not self._report:
            return
        hours = max(time.monotonic() - self._started, 1e-9) / 3600
        self._report(
            f"cluster: {self.done} done, {self.failed} failed; {self.audio_seconds / 3600:.2f} h of audio; "
            f"{self.done / hours:.0f} articles/h, {self.audio_seconds / 3600 / hours:.1f} h of audio/h"
        )

    def close(self) -> None:
        if self.done or self.failed:
            self._line()
