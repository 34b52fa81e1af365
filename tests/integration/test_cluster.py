"""Rendering on a real Dask LocalCluster of two worker processes: the same episodes as a local
batch, a worker killed mid-batch, bad articles in the batch, and a feed published the same way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import dask
import distributed
import pytest

from audiobook import cluster
from audiobook.api import Options, prepare, render_many
from audiobook.publish.publisher import publish
from audiobook.quality.measures import decode

from ..helpers import FIXTURES, SHORT

BATCH = sorted(path for path in FIXTURES.iterdir() if path.suffix in (".txt", ".md", ".html"))
SIDECARS = (".txt", ".chapters.json", ".vtt", ".srt", ".json")


@pytest.fixture(scope="module")
def scheduler():
    """Two worker processes of one thread each, as `dask worker --nworkers 2 --nthreads 1` starts them."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
        with distributed.Client(local.scheduler_address) as client:
            yield local.scheduler_address, client


@pytest.fixture(scope="module")
def module_fake_cast(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from audiobook.casting.profile import default_cast_path

    cast = tmp_path_factory.mktemp("cast") / "fake-cast.toml"
    cast.write_text(default_cast_path().read_text().replace('engine = "espeak"', 'engine = "fake"'))
    return cast


@pytest.fixture(scope="module")
def local_batch(tmp_path_factory: pytest.TempPathFactory, module_fake_cast: Path):
    folder = tmp_path_factory.mktemp("local")
    options = Options(cast_path=module_fake_cast, cache_dir=folder / "cache", output_dir=folder / "out")
    return {outcome.location: outcome for outcome in render_many([str(path) for path in BATCH], options)}


@pytest.fixture(scope="module")
def killed_batch(tmp_path_factory: pytest.TempPathFactory, module_fake_cast: Path, scheduler):
    """The same twelve articles on the cluster, one worker killed with SIGKILL while it renders one."""
    address, client = scheduler
    folder = tmp_path_factory.mktemp("cluster")
    options = Options(cast_path=module_fake_cast, cache_dir=folder / "cache", output_dir=folder / "out")
    pids = client.run(os.getpid)
    killed: dict[str, object] = {}

    def kill_a_busy_worker() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            busy = {worker: keys for worker, keys in client.processing().items() if keys}
            # Wait until the batch is well under way, then kill a worker in the middle of a job.
            if len(list(folder.glob("out/*.mp3"))) >= 2 and busy:
                worker, keys = next(iter(busy.items()))
                killed.update(worker=worker, keys=set(keys))
                os.kill(pids[worker], signal.SIGKILL)
                return
            time.sleep(0.02)

    written: Counter[Path] = Counter()
    original = cluster.write_atomically

    def counting(path: Path, data: bytes, durable: bool = False) -> None:
        written[path] += 1
        original(path, data, durable)

    killer = threading.Thread(target=kill_a_busy_worker)
    cluster.write_atomically = counting
    try:
        killer.start()
        outcomes = cluster.render([str(path) for path in BATCH], options, address)
    finally:
        cluster.write_atomically = original
        killer.join()
    return {outcome.location: outcome for outcome in outcomes}, killed, written


def test_a_cluster_batch_renders_the_same_episodes_as_a_local_batch(local_batch, killed_batch):
    outcomes, _, _ = killed_batch
    assert len(BATCH) == 12 and list(outcomes) == list(local_batch)
    for location, remote in outcomes.items():
        local = local_batch[location]
        assert remote.error is None and local.error is None, (location, remote.error)
        ours, theirs = remote.episode, local.episode
        assert ours.mp3.name == theirs.mp3.name
        for suffix in SIDECARS:
            assert ours.mp3.with_suffix(suffix).read_text() == theirs.mp3.with_suffix(suffix).read_text(), (location, suffix)
        assert ours.duration == theirs.duration
        assert ours.mix == theirs.mix
        assert ours.mp3.read_bytes() == theirs.mp3.read_bytes(), location


def test_a_worker_killed_mid_batch_loses_no_episode_and_writes_none_twice(killed_batch):
    outcomes, killed, written = killed_batch
    assert killed, "no worker was busy to kill"
    assert killed["keys"], "the killed worker had a job under way"
    assert all(outcome.episode for outcome in outcomes.values())
    episodes = [outcome.episode.mp3 for outcome in outcomes.values()]
    assert len(set(episodes)) == 12
    # Every file of every episode was written exactly once, by the client.
    assert set(written.values()) == {1}
    assert {path for path in written if path.suffix == ".mp3"} == set(episodes)
    assert len(written) == 12 * (1 + len(SIDECARS))


def test_real_speech_on_the_cluster_matches_a_local_render(scheduler, tmp_path: Path):
    """The real espeak-ng engine on the workers: same transcript, chapters and decoded duration."""
    address, _ = scheduler
    articles = [str(SHORT), str(FIXTURES / "british-roles-present-tense.txt")]
    local = render_many(articles, Options(cache_dir=tmp_path / "cache-local", output_dir=tmp_path / "local"))
    remote = cluster.render(articles, Options(cache_dir=tmp_path / "cache-cluster", output_dir=tmp_path / "cluster"),
                            address)
    # espeak-ng's clips vary by a few milliseconds from one run to the next (locally too), so the
    # times may differ by an MP3 frame or two (26 ms each); the words and chapters may not.
    for here, there in zip(local, remote):
        assert there.error is None and there.episode.synthesized > 0
        assert there.episode.transcript.read_text() == here.episode.transcript.read_text()
        ours = json.loads(there.episode.chapters_json.read_text())["chapters"]
        theirs = json.loads(here.episode.chapters_json.read_text())["chapters"]
        assert [chapter["title"] for chapter in ours] == [chapter["title"] for chapter in theirs]
        assert [chapter["startTime"] for chapter in ours] == pytest.approx(
            [chapter["startTime"] for chapter in theirs], abs=0.1)
        samples, rate = decode(there.episode.mp3)
        local_samples, _ = decode(here.episode.mp3)
        assert len(samples) / rate == pytest.approx(len(local_samples) / rate, abs=0.1)
        assert len(samples) / rate == pytest.approx(there.episode.duration, abs=0.05)
        assert there.episode.duration > 20


def test_bad_articles_are_reported_once_and_the_batch_goes_on(scheduler, tmp_path: Path, fake_cast: Path):
    """One article fails on the client (not text), one on its worker (nothing left to hear)."""
    address, _ = scheduler
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    # Corrections beside the article that skip every segment: refused by the render, on the worker.
    silent = tmp_path / "silent.txt"
    silent.write_text(SHORT.read_text())
    segments = prepare(str(silent), Options(cast_path=fake_cast)).script.segments
    silent.with_name("silent.audiobook.toml").write_text("".join(
        f"[[skip]]\nwords = {json.dumps(segment.text[:30])}\n" for segment in segments if segment.spoken
    ))
    articles = [str(SHORT), str(binary), str(silent), str(FIXTURES / "interview-qa.md")]
    process = subprocess.run(
        [sys.executable, "-m", "audiobook.cli", "render", *articles, "-d", str(tmp_path / "out"), "--cast",
         str(fake_cast), "--cache-dir", str(tmp_path / "cache"), "--cluster", address],
        capture_output=True, text=True, timeout=120,
    )
    assert process.returncode == 2, process.stderr
    errors = [line for line in process.stderr.splitlines() if line.startswith("audiobook: ") and "note:" not in line]
    assert "silent.audiobook.toml: 11 of 11 corrections applied" in process.stderr
    assert len(errors) == 2, process.stderr
    assert "photo.txt: a binary file" in errors[0]
    assert "nothing to hear" in errors[1] and "Traceback" not in process.stderr
    assert "dashboard http://" in process.stderr
    assert "cluster: 2 done, 2 failed" in process.stderr
    assert len(process.stdout.split()) == 2 and all(Path(path).exists() for path in process.stdout.split())
    assert not list((tmp_path / "out").glob(".*.part"))


def test_a_cluster_publish_writes_the_same_feed_as_a_local_one(scheduler, tmp_path: Path, fake_cast: Path):
    address, _ = scheduler
    # The same speaker in two articles keeps one voice across the feed; a missing article fails alone.
    articles = [str(SHORT), str(tmp_path / "missing.txt"), str(FIXTURES / "interview-qa.md"), str(SHORT)]
    feeds = {}
    for where in ("local", "cluster"):
        options = Options(cast_path=fake_cast, cache_dir=tmp_path / f"cache-{where}")
        feed = tmp_path / where
        if where == "local":
            results = publish(articles, feed, "https://audio.example.org", options)
        else:
            results = cluster.publish(articles, feed, "https://audio.example.org", options, address)
        assert [bool(result.error) for result in results] == [False, True, False, False]
        feeds[where] = feed
    local, remote = feeds["local"], feeds["cluster"]
    names = sorted(path.relative_to(local) for path in local.rglob("*") if not path.name.startswith("."))
    assert names == sorted(path.relative_to(remote) for path in remote.rglob("*") if not path.name.startswith("."))
    for name in names:
        if (local / name).is_file() and name.name != "feed.xml":
            assert (local / name).read_bytes() == (remote / name).read_bytes(), name
    strip = lambda text: "\n".join(line for line in text.splitlines() if "lastBuildDate" not in line)  # noqa: E731
    assert strip((local / "feed.xml").read_text()) == strip((remote / "feed.xml").read_text())


def test_local_starts_workers_that_render_at_full_speed(tmp_path: Path, fake_cast: Path,
                                                        monkeypatch: pytest.MonkeyPatch):
    """`--cluster local:N`: N workers, without the allocator setting that made renders twice as slow, the
    profiler that sampled every thread every 10 ms, or the 20 ms event-loop checks."""
    # The fixture's cluster, started with Dask's defaults, set it in this process too (as Dask's nanny does).
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    options = Options(cast_path=fake_cast, cache_dir=tmp_path / "cache")
    with cluster.Batch("local:1", options) as batch:
        assert list(batch.client.nthreads().values()) == [1]
        assert list(batch.client.run(os.environ.get, "MALLOC_TRIM_THRESHOLD_").values()) == [None]
        settings = batch.client.run(lambda: (dask.config.get("distributed.worker.profile.enabled"),
                                             dask.config.get("distributed.admin.tick.interval")))
        assert list(settings.values()) == [(False, "1s")]
        episode = batch.submit(prepare(str(SHORT), options), "short")(tmp_path / "short.mp3")
    assert episode.mp3.read_bytes()[:3] == b"ID3" and episode.vtt.exists() and episode.duration > 20


@pytest.mark.parametrize(("address", "problem"), [
    ("tcp://127.0.0.1:9", "no Dask scheduler answers there"),  # Dask keeps trying for its 20 s
    ("scheduler.example", "give a scheduler's address (tcp://HOST:8786) or local[:N]"),
])
def test_a_cluster_that_cannot_be_reached_is_one_line_and_writes_nothing(tmp_path: Path, address: str, problem: str):
    command = [sys.executable, "-m", "audiobook.cli", "render", str(SHORT), "--cluster", address,
               "-d", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache")]
    process = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert process.returncode == 2
    lines = process.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"audiobook: --cluster {address}: {problem}"), process.stderr
    assert not (tmp_path / "out").exists()


def test_without_cluster_dask_is_not_imported(tmp_path: Path, fake_cast: Path):
    program = (
        "import sys; from audiobook.cli import main\n"
        f"main(['render', {str(SHORT)!r}, '-d', {str(tmp_path)!r}, '--cast', {str(fake_cast)!r}, '-q'],"
        " standalone_mode=False)\n"
        "assert not [name for name in sys.modules if name.split('.')[0] in ('dask', 'distributed')], 'dask imported'\n"
        "print('ok')\n"
    )
    process = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=60)
    assert process.returncode == 0 and process.stdout.splitlines()[-1] == "ok", process.stderr
    assert list(tmp_path.glob("*.mp3"))


def test_a_cluster_render_sweeps_the_temporary_files_a_killed_render_left(scheduler, tmp_path: Path, fake_cast: Path):
    """As a local render does: stale .part files of the episode's names go; a fresh one (a render
    still writing) and files of other names stay."""
    from audiobook.files import STALE_AFTER_SECONDS

    address, _ = scheduler
    out = tmp_path / "out"
    out.mkdir()
    options = Options(cast_path=fake_cast, cache_dir=tmp_path / "cache", output_dir=out)
    stem = cluster.default_output(prepare(str(SHORT), options)).stem
    stale = [out / f".{stem}{suffix}.abcd1234.part" for suffix in (".mp3", ".vtt", ".chapters.json", ".txt")]
    fresh = out / f".{stem}.mp3.fresh123.part"
    other = out / ".another-episode.mp3.abcd1234.part"
    long_ago = time.time() - STALE_AFTER_SECONDS - 60
    for path in (*stale, fresh, other):
        path.write_bytes(b"half an MP3")
        if path is not fresh:
            os.utime(path, (long_ago, long_ago))
    [outcome] = cluster.render([str(SHORT)], options, address)
    assert outcome.error is None and outcome.episode.mp3 == out / f"{stem}.mp3"
    assert not any(path.exists() for path in stale)
    assert fresh.exists() and other.exists()
