"""The clip cache shared through an object store: a real S3 protocol server (moto's, on loopback)
between renders that have nothing else in common, as workers on two machines would."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from audiobook import cluster
from audiobook.api import Options, render
from audiobook.speech.cache import STORE_NAME
from audiobook.quality.measures import decode
from audiobook.speech.store import PRUNED_MARKER, SharedStore

from ..helpers import FIXTURES, SHORT

BUCKET = "clips"


@pytest.fixture(scope="module")
def s3() -> Iterator[str]:
    """moto's S3 server on a free loopback port; the AWS settings every process started from here inherits."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    settings = {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(endpoint, timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.2)
        with pytest.MonkeyPatch.context() as patch:
            for name, value in settings.items():
                patch.setenv(name, value)
            import s3fs

            # File systems fsspec cached for another module's server would talk to that one.
            s3fs.S3FileSystem.clear_instance_cache()
            s3fs.S3FileSystem(skip_instance_cache=True).mkdir(BUCKET)
            yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


def _objects(prefix: str) -> dict[str, bytes]:
    import s3fs

    fs = s3fs.S3FileSystem(skip_instance_cache=True)
    # The marker of the store's last prune is not an entry.
    return {path: fs.cat_file(path) for path in fs.find(f"{BUCKET}/{prefix}") if not path.endswith(f"/{PRUNED_MARKER}")}


def test_a_render_on_another_machine_takes_every_clip_from_the_store(s3: str, tmp_path: Path):
    """Two renders with separate local caches: the second synthesizes nothing and writes the same MP3."""
    store = f"s3://{BUCKET}/two-machines"
    first = render(str(SHORT), tmp_path / "first.mp3", Options(cache_dir=tmp_path / "here", cache_store=store))
    objects = _objects("two-machines")
    assert first.synthesized > 0
    assert sum(name.endswith(".wav") for name in objects) == first.synthesized
    assert all(data.startswith(b"audiobook-clip sha256=") for data in objects.values())

    second = render(str(SHORT), tmp_path / "second.mp3", Options(cache_dir=tmp_path / "there", cache_store=store))
    assert second.synthesized == 0
    assert second.mp3.read_bytes() == first.mp3.read_bytes()
    # Its encoded chunks came from the store (no clip was needed) and are in its local cache now.
    chunks = sum(name.endswith(".mp3") for name in objects)
    assert chunks > 0 and len(list((tmp_path / "there" / STORE_NAME).rglob("*.mp3"))) == chunks


def test_a_damaged_object_is_discarded_and_made_again(s3: str, tmp_path: Path, caplog: pytest.LogCaptureFixture):
    import s3fs

    store = f"s3://{BUCKET}/damaged"
    first = render(str(SHORT), tmp_path / "first.mp3", Options(cache_dir=tmp_path / "here", cache_store=store))
    fs = s3fs.S3FileSystem(skip_instance_cache=True)
    # Every clip and chunk in the store loses its last byte, as an interrupted copy would leave it.
    damaged = {path: data[:-1] for path, data in _objects("damaged").items()}
    for path, data in damaged.items():
        fs.pipe_file(path, data)
    with caplog.at_level(logging.WARNING, logger="audiobook"):
        second = render(str(SHORT), tmp_path / "second.mp3", Options(cache_dir=tmp_path / "there", cache_store=store))
    assert second.synthesized == first.synthesized
    assert sum("do not match its checksum" in record.getMessage() for record in caplog.records) >= first.synthesized
    samples, rate = decode(second.mp3)
    assert len(samples) / rate == pytest.approx(second.duration, abs=0.05)
    # The store holds intact entries again.
    assert all(SharedStore(store).get(Path(path).name.split(".")[0], Path(path).suffix) is not None
               for path in _objects("damaged"))


def test_a_cluster_fills_the_store_that_a_local_render_then_reads(s3: str, tmp_path: Path):
    """Workers started with the store's settings in their environment: their clips reach a render
    that shares nothing with them but the store."""
    store = f"s3://{BUCKET}/cluster"
    articles = [str(SHORT), str(FIXTURES / "interview-qa.md")]
    options = Options(cache_store=store, output_dir=tmp_path / "cluster")
    outcomes = cluster.render(articles, options, "local:2")
    assert all(outcome.error is None and outcome.episode.synthesized > 0 for outcome in outcomes)
    for article, outcome in zip(articles, outcomes):
        again = render(article, tmp_path / "local" / outcome.episode.mp3.name,
                       Options(cache_dir=tmp_path / "elsewhere", cache_store=store))
        assert again.synthesized == 0
        assert again.mp3.read_bytes() == outcome.episode.mp3.read_bytes()


def test_an_unwritable_store_is_one_line_before_any_synthesis(s3: str, tmp_path: Path):
    process = subprocess.run(
        [sys.executable, "-m", "audiobook.cli", "render", str(SHORT), "-d", str(tmp_path / "out"),
         "--cache-dir", "s3://no-such-bucket/clips"],
        capture_output=True, text=True, timeout=120, env={**os.environ, "AUDIOBOOK_CACHE": str(tmp_path / "cache")},
    )
    assert process.returncode != 0
    assert "Traceback" not in process.stderr
    [line] = [line for line in process.stderr.splitlines() if line.startswith("audiobook: ")]
    assert "cache store s3://no-such-bucket/clips is not writable" in line
    assert not list((tmp_path / "cache").rglob("*.wav"))


def test_a_store_on_a_plain_file_system_writes_whole_entries_under_temporary_names(tmp_path: Path):
    """Where a put is not atomic (a mounted or SFTP file system), entries are moved into place."""
    store = SharedStore(f"file://{tmp_path / 'store'}").open()
    store.put("ab" * 32, ".wav", b"RIFF clip")
    assert store.get("ab" * 32, ".wav") == b"RIFF clip"
    [entry] = [path for path in (tmp_path / "store").rglob("*") if path.is_file()]
    assert entry.name == f"{'ab' * 32}.wav" and entry.parent.name == "ab"
    entry.write_bytes(entry.read_bytes().replace(b"clip", b"clap"))
    assert store.get("ab" * 32, ".wav") is None and not entry.exists()
