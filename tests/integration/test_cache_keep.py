"""The cache kept tidy wherever it lives: article analyses and earlier versions' entries are pruned
with the clips, the shared store is pruned by age with a grace period, and $AUDIOBOOK_CACHE takes
the same forms as --cache-dir. Real renders with espeak-ng into real caches; moto's S3 server for
the store."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from audiobook.api import Options, prepare, render
from audiobook.cli import _size
from audiobook.quality.measures import decode
from audiobook.speech import store as store_module
from audiobook.speech.cache import ANALYSIS_FOLDER, COVERS_FOLDER, SCRIPTS_FOLDER, STORE_NAME, ClipCache, cache_location
from audiobook.speech.store import SharedStore

from ..helpers import FIXTURES, SHORT
from .test_cache_store import BUCKET, _objects, s3  # noqa: F401 - s3 is the moto server fixture

TWO_HOURS_AGO = time.time() - 7200


def _age(folder: Path) -> None:
    """Every file under ``folder`` last used two hours ago."""
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (TWO_HOURS_AGO, TWO_HOURS_AGO))


def _marked(prefix: str) -> bool:
    """Whether the store under ``prefix`` carries the marker of a prune."""
    import s3fs

    return s3fs.S3FileSystem(skip_instance_cache=True).exists(f"{BUCKET}/{prefix}/{store_module.PRUNED_MARKER}")


def _audiobook(*args: str, home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"), **env}
    if "AUDIOBOOK_CACHE" not in env:
        environment.pop("AUDIOBOOK_CACHE", None)
    return subprocess.run([str(Path(sys.executable).parent / "audiobook"), *args],
                          capture_output=True, text=True, env=environment, cwd=home, timeout=600)


# --- 1. the article analyses are pruned with the rest, least recently used first ---

def test_article_analyses_and_scripts_are_pruned_least_recently_used_first_like_clips(tmp_path: Path):
    folder = tmp_path / "cache"
    render(str(SHORT), tmp_path / "short.mp3", Options(cache_dir=folder))
    store = folder / STORE_NAME
    [analysis] = (store / ANALYSIS_FOLDER).iterdir()
    [script] = (store / SCRIPTS_FOLDER).iterdir()
    _age(store)
    prepare(str(SHORT), Options(cache_dir=folder))  # reads the understood script again: now the most recently used
    # A limit that holds the script alone: every clip, chunk and the analysis go, the script stays.
    ClipCache(folder, limit_bytes=script.stat().st_size).prune()
    assert script.exists() and not analysis.exists()
    assert not [path for path in store.glob("??/*") if path.is_file()]
    assert ClipCache(folder, limit_bytes=0).prune() == 1
    assert not script.exists()


# --- 2. entries of earlier versions' layouts are removed, and nothing of the user's ---

def test_earlier_versions_entries_are_pruned_and_look_alikes_of_the_users_stay(tmp_path: Path):
    home = tmp_path / "home"
    folder = home / "cache"
    first = render(str(SHORT), tmp_path / "first.mp3", Options(cache_dir=folder))
    store = folder / STORE_NAME
    # The same real bytes under the names earlier versions gave them: KEY.ext in shards of the cache
    # folder itself (before the marked subfolder), and in our subfolder's shards (before checksums).
    earlier: list[Path] = []
    for index, entry in enumerate(sorted(store.glob("??/*.*.*"))):
        key, _, suffix = entry.name.split(".")
        where = folder if index % 2 else store
        (where / key[:2]).mkdir(exist_ok=True)
        earlier.append(where / key[:2] / f"{key}.{suffix}")
        earlier[-1].write_bytes(entry.read_bytes())
    assert {path.suffix for path in earlier} == {".wav", ".mp3", ".json"}
    # Hex-named files of another program's beside our subfolder, and an earlier entry an older
    # version may still be rendering with: all stay.
    lookalikes = {folder / "ab" / f"ab{'0' * 62}.json": b'{"mine": true}\n', folder / "cd" / f"cd{'1' * 62}.wav": b"not a wave",
                  folder / "ef" / f"ef{'2' * 62}.mp3": b"ID3 but mine"}
    for path, data in lookalikes.items():
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
    _age(folder)
    recent = earlier[0]
    os.utime(recent)

    listed = _audiobook("cache", "--cache-dir", str(folder), home=home)
    assert listed.returncode == 0, listed.stderr
    assert f"earlier versions: {len(earlier)} entries" in listed.stdout

    second = _audiobook("render", str(SHORT), "-o", str(tmp_path / "second.mp3"), "--cache-dir", str(folder), "-q", home=home)
    assert second.returncode == 0, second.stderr
    assert [path for path in earlier if path.exists()] == [recent]
    assert all(path.read_bytes() == data for path, data in lookalikes.items())
    # The first versions' shards we emptied are gone; the store's own entries still serve.
    assert not [path for path in folder.iterdir() if len(path.name) == 2 and path.name not in {"ab", "cd", "ef"}]
    assert (tmp_path / "second.mp3").read_bytes() == first.mp3.read_bytes()


def test_a_temporary_file_a_killed_render_left_goes_once_stale(tmp_path: Path):
    folder = tmp_path / "cache"
    render(str(SHORT), tmp_path / "short.mp3", Options(cache_dir=folder))
    entry = next((folder / STORE_NAME).glob("??/*.wav"))
    stale, fresh = entry.with_name(f".{entry.name}.abcd1234.part"), entry.with_name(f".{entry.name}.efgh5678.part")
    stale.write_bytes(b"half a clip")
    fresh.write_bytes(b"half a clip")
    os.utime(stale, (TWO_HOURS_AGO, TWO_HOURS_AGO))
    ClipCache(folder).prune()
    assert not stale.exists() and fresh.exists() and entry.exists()


# --- 3. the shared store: pruned by age with a grace period ---

def test_the_store_is_pruned_oldest_written_first_sparing_the_grace_period(s3: str, tmp_path: Path):  # noqa: F811
    url = f"s3://{BUCKET}/pruned"
    store = SharedStore(url, limit_bytes=0).open()
    store.put("aa" * 32, ".wav", b"older clip")
    time.sleep(1.1)  # S3 keeps times to the second
    store.put("bb" * 32, ".wav", b"newer clip")
    import s3fs

    s3fs.S3FileSystem(skip_instance_cache=True).pipe_file(f"{BUCKET}/pruned/notes.txt", b"not an entry")
    assert store.prune() == 0  # both written within the last day: a batch may be sharing them now
    newer = len(b"audiobook-clip sha256=") + 64 + 1 + len(b"newer clip")
    assert SharedStore(url, limit_bytes=newer).prune(grace_seconds=0) == 1
    assert store.get("aa" * 32, ".wav") is None and store.get("bb" * 32, ".wav") == b"newer clip"
    assert store.prune(grace_seconds=0) == 1
    assert list(_objects("pruned")) == [f"{BUCKET}/pruned/notes.txt"]


def test_a_render_prunes_the_store_once_a_day_and_a_pruned_store_still_gives_the_same_episode(
        s3: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: F811
    url = f"s3://{BUCKET}/daily"
    first = render(str(SHORT), tmp_path / "first.mp3", Options(cache_dir=tmp_path / "a", cache_store=url))
    assert any(name.endswith(".wav") for name in _objects("daily"))  # the first prune spared the day's entries
    assert _marked("daily")
    monkeypatch.setattr(store_module, "GRACE_SECONDS", 0)
    monkeypatch.setattr(store_module, "DEFAULT_LIMIT_BYTES", 0)
    # Pruned today already: another render leaves the store as it is.
    again = render(str(SHORT), tmp_path / "again.mp3", Options(cache_dir=tmp_path / "b", cache_store=url))
    assert again.synthesized == 0 and any(name.endswith(".wav") for name in _objects("daily"))
    # A day on, the next render prunes it: with no grace and no room, every entry goes.
    monkeypatch.setattr(store_module, "PRUNE_EVERY_SECONDS", 0)
    render(str(SHORT), tmp_path / "third.mp3", Options(cache_dir=tmp_path / "c", cache_store=url))
    assert not _objects("daily") and _marked("daily")
    # A machine with nothing local makes every clip again and the same episode.
    monkeypatch.setattr(store_module, "PRUNE_EVERY_SECONDS", 3600)
    fresh = render(str(SHORT), tmp_path / "fresh.mp3", Options(cache_dir=tmp_path / "d", cache_store=url))
    assert fresh.synthesized == first.synthesized
    # Fresh renders of one article land a few MP3 frames (26 ms each) apart, store or no store.
    assert fresh.duration == pytest.approx(first.duration, abs=0.1)
    assert fresh.transcript.read_text() == first.transcript.read_text()
    samples, rate = decode(fresh.mp3)
    assert len(samples) / rate == pytest.approx(fresh.duration, abs=0.05)


def test_a_plain_file_system_stores_abandoned_temporary_goes_and_a_live_one_stays(tmp_path: Path):
    store = SharedStore(f"file://{tmp_path / 'store'}").open()
    store.put("ab" * 32, ".wav", b"RIFF clip")
    abandoned = tmp_path / "store" / "ab" / f"{'ab' * 32}.wav.123.0123abcd.part"
    writing = tmp_path / "store" / "ab" / f"{'ab' * 32}.wav.456.4567cdef.part"
    abandoned.write_bytes(b"half")
    writing.write_bytes(b"half")
    os.utime(abandoned, (TWO_HOURS_AGO, TWO_HOURS_AGO))
    assert store.prune() == 1
    assert not abandoned.exists() and writing.exists() and store.get("ab" * 32, ".wav") == b"RIFF clip"


# --- 4. $AUDIOBOOK_CACHE takes what --cache-dir takes ---

def test_audiobook_cache_names_a_store_as_cache_dir_does(s3: str, tmp_path: Path):  # noqa: F811
    url = f"s3://{BUCKET}/from-environment"
    result = _audiobook("render", str(SHORT), "-o", str(tmp_path / "x.mp3"), "-q", home=tmp_path, AUDIOBOOK_CACHE=url)
    assert result.returncode == 0, result.stderr
    objects = _objects("from-environment")
    assert any(name.endswith(".wav") for name in objects)
    # The working copy is the user cache, as with --cache-dir s3://…
    local = list((tmp_path / ".cache" / "audiobook" / "clips" / STORE_NAME).glob("??/*.wav"))
    assert len(local) == sum(name.endswith(".wav") for name in objects)
    listed = _audiobook("cache", home=tmp_path, AUDIOBOOK_CACHE=url)
    assert listed.returncode == 0, listed.stderr
    assert f"store: {url}" in listed.stdout and f"{len(objects)} entries" in listed.stdout.splitlines()[-1]


@pytest.mark.parametrize(("value", "message"), [
    ("s3:clips/prefix", "looks like a URL without its //"),
    ("file://", "a file:// URL needs a folder after it"),
    ("s3://", "the URL names no bucket or folder"),
    ("nosuchscheme://bucket/prefix", "cache store nosuchscheme://bucket/prefix"),
])
def test_a_bad_cache_location_is_one_line_alike_from_the_option_and_the_environment(tmp_path: Path, value: str, message: str):
    from_option = _audiobook("render", str(SHORT), "-o", str(tmp_path / "x.mp3"), "--cache-dir", value, home=tmp_path)
    from_environment = _audiobook("render", str(SHORT), "-o", str(tmp_path / "x.mp3"), home=tmp_path, AUDIOBOOK_CACHE=value)
    for result, given_as in ((from_option, "--cache-dir"), (from_environment, "$AUDIOBOOK_CACHE")):
        assert result.returncode != 0
        [line] = result.stderr.splitlines()
        assert message in line
        if "cache store" not in message:  # fsspec's own refusal names the URL, not where it came from
            assert line.startswith(f"audiobook: {given_as} ")
    assert not (tmp_path / "x.mp3").exists()


def test_cache_locations_read_the_same_from_the_option_and_the_environment(tmp_path: Path):
    assert cache_location(str(tmp_path), "--cache-dir") == (tmp_path, None)
    assert cache_location(f"file://{tmp_path}", "$AUDIOBOOK_CACHE") == (tmp_path, None)
    assert cache_location("s3://bucket/prefix", "$AUDIOBOOK_CACHE") == (None, "s3://bucket/prefix")


# --- 5. `audiobook cache` says where the cache is and what it holds ---

def test_the_cache_command_reports_and_prunes_what_is_on_disk(tmp_path: Path):
    folder = tmp_path / "cache"
    render(str(FIXTURES / "interview-qa.md"), tmp_path / "qa.mp3", Options(cache_dir=folder))
    store = folder / STORE_NAME
    files = [*store.glob("??/*"), *(store / ANALYSIS_FOLDER).iterdir(), *(store / SCRIPTS_FOLDER).iterdir(),
             *(store / COVERS_FOLDER).iterdir()]
    size = sum(path.stat().st_size for path in files)
    listed = _audiobook("cache", "--cache-dir", str(folder), home=tmp_path)
    assert listed.returncode == 0, listed.stderr
    wavs, chunks = len(list(store.glob("??/*.wav"))), len(list(store.glob("??/*.mp3"))) * 2
    assert listed.stdout.splitlines() == [
        f"local: {store}  {_size(size)} of 2.1 GB, {len(files)} entries ({wavs} clip, {chunks} chunk, "
        "1 analysis, 1 script, 1 cover files)"]
    _age(store)
    pruned = _audiobook("cache", "--cache-dir", str(folder), "--prune", home=tmp_path)
    assert pruned.stdout.splitlines()[0] == "pruned: 0 entries here"  # all within the 2 GB limit
    assert all(path.exists() for path in files)
