"""Nothing of the user's is lost: the clip cache deletes only what it wrote and cannot poison an
episode, a cache folder it cannot use is one named error, and a render that fails or is stopped
leaves the old episode whole and no temporary files.

The commands run in a temporary home folder, never the real one."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from audiobook.speech.cache import MARKER_NAME, STORE_NAME, ClipCache
from audiobook.quality.measures import decode
from tests.helpers import SHORT


def audiobook(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache")}
    env.pop("AUDIOBOOK_CACHE", None)
    return subprocess.run(
        [str(Path(sys.executable).parent / "audiobook"), *args], capture_output=True, text=True, env=env, cwd=home, timeout=600,
    )


def test_pruning_never_deletes_the_users_files_in_the_cache_folder(tmp_path):
    """The issue's reproduction: a 3 GB video and a thesis in the folder named as the cache survive."""
    home = tmp_path / "p"
    (home / "Documents").mkdir(parents=True)
    (home / "Videos").mkdir()
    thesis, video = home / "Documents" / "thesis.pdf", home / "Videos" / "holiday.mp4"
    thesis.write_text("x\n")
    subprocess.run(["truncate", "-s", "3G", str(video)], check=True)
    subprocess.run(["touch", "-d", "2020-01-01", str(thesis), str(video)], check=True)
    result = audiobook("render", str(SHORT), "-o", str(tmp_path / "x.mp3"), "--cache-dir", str(home), home=home)
    assert result.returncode == 0, result.stderr
    assert thesis.read_text() == "x\n"
    assert video.stat().st_size == 3 * 1024**3
    # Everything the cache made sits in its own marked subfolder.
    assert sorted(path.name for path in home.iterdir()) == sorted(["Documents", STORE_NAME, "Videos"])
    assert (home / STORE_NAME / MARKER_NAME).is_file()


def test_pruning_skips_files_not_of_its_own_naming_inside_its_own_folder(tmp_path):
    cache = ClipCache(tmp_path, limit_bytes=0)
    ours = cache.put("ab" * 32, bytes(1000), 22050)
    strangers = [cache.store / "ab" / "notes.txt", cache.store / "zz" / f"{'cd' * 32}.wav", tmp_path / "ab" / f"{'ab' * 31}00.wav"]
    for stranger in strangers:
        stranger.parent.mkdir(parents=True, exist_ok=True)
        stranger.write_bytes(bytes(5000))
    assert cache.prune() == 1
    assert not ours.exists()
    assert all(stranger.exists() for stranger in strangers)


def test_a_same_named_folder_without_the_marker_is_not_taken_over(tmp_path):
    (tmp_path / STORE_NAME).mkdir()
    (tmp_path / STORE_NAME / "mine.txt").write_text("keep")
    result = audiobook("render", str(SHORT), "-o", str(tmp_path / "x.mp3"), "--cache-dir", str(tmp_path), home=tmp_path)
    assert result.returncode == 2
    assert "not an audiobook cache" in result.stderr and len(result.stderr.splitlines()) == 1
    assert (tmp_path / STORE_NAME / "mine.txt").read_text() == "keep"


def test_a_cache_another_render_is_claiming_at_the_same_moment_is_shared_not_refused(tmp_path, monkeypatch):
    store = tmp_path / STORE_NAME
    store.mkdir()
    (store / f".{MARKER_NAME}.k2j9.part").write_text("")  # the other render's marker, half written
    ClipCache(tmp_path).open()
    assert (store / MARKER_NAME).is_file()

    # Or it has just finished claiming it, between our look for the marker and our look inside.
    late = tmp_path / "late"
    (late / STORE_NAME).mkdir(parents=True)
    iterdir = Path.iterdir

    def claimed_meanwhile(folder: Path):
        if folder == late / STORE_NAME and not (folder / MARKER_NAME).exists():
            (folder / MARKER_NAME).write_text("Signature: 8a477f597d28d172789f06886806bc55\n")
            (folder / ".probe.4242").write_text("")
        return iterdir(folder)

    monkeypatch.setattr(Path, "iterdir", claimed_meanwhile)
    ClipCache(late).open()


def test_an_empty_cache_dir_is_a_one_line_error_and_writes_nothing(tmp_path):
    result = audiobook("render", str(SHORT), "-o", str(tmp_path / "out" / "x.mp3"), "--cache-dir", "", home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["audiobook: --cache-dir is empty; give a folder or a store URL (s3://BUCKET/PREFIX)"]
    assert list(tmp_path.iterdir()) == []


def test_a_cache_dir_that_is_a_file_is_a_one_line_error(tmp_path):
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("mine")
    result = audiobook("render", str(SHORT), "-o", str(tmp_path / "x.mp3"), "--cache-dir", str(not_a_folder), home=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "is a file, not a folder" in result.stderr
    assert "internal error" not in result.stderr
    assert not_a_folder.read_text() == "mine"
    assert not (tmp_path / "x.mp3").exists()


def test_a_cache_folder_that_cannot_be_written_is_a_one_line_named_error(tmp_path):
    """Our subfolder's name taken by a file makes the folder unusable, as a read-only one is
    (the tests run as root, for whom file modes do not stop a write)."""
    (tmp_path / STORE_NAME).write_text("mine")
    result = audiobook("render", str(SHORT), "-o", str(tmp_path / "x.mp3"), "--cache-dir", str(tmp_path), home=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and "is not writable" in result.stderr, result.stderr
    assert (tmp_path / STORE_NAME).read_text() == "mine"
    assert not (tmp_path / "x.mp3").exists()


def damage_every_entry(store: Path) -> dict[str, int]:
    """Flip a byte in every clip, truncate every chunk MP3, corrupt or delete the chunk lengths."""
    damaged = {"clips": 0, "chunks": 0}
    for index, path in enumerate(sorted(store.glob("*/*.*"))):
        data = path.read_bytes()
        if path.suffix == ".wav":
            middle = len(data) // 2
            path.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:])
            damaged["clips"] += 1
        elif path.suffix == ".mp3":
            path.write_bytes(data[: len(data) // 3])
            damaged["chunks"] += 1
        elif path.suffix == ".json":
            if index % 2:
                path.unlink()
            else:
                path.write_text(data.decode().replace("]", ", 1]"))
    return damaged


def synthesized(result: subprocess.CompletedProcess[str]) -> int:
    assert result.returncode == 0, result.stderr
    return int(re.search(r"(\d+) clips synthesized", result.stderr).group(1))


def test_a_damaged_cache_is_discarded_and_the_episode_matches_a_fresh_render(tmp_path):
    """Whole commands, as users run them (one render in one process is not repeatable sample for sample)."""
    cache, fresh_cache = tmp_path / "cache", tmp_path / "fresh-cache"
    made = synthesized(audiobook("render", str(SHORT), "-o", str(tmp_path / "first.mp3"), "--cache-dir", str(cache), home=tmp_path))
    damaged = damage_every_entry(cache / STORE_NAME)
    assert damaged["clips"] == made and damaged["chunks"] > 0
    again = audiobook("render", str(SHORT), "-o", str(tmp_path / "again.mp3"), "--cache-dir", str(cache), home=tmp_path)
    fresh = audiobook("render", str(SHORT), "-o", str(tmp_path / "fresh.mp3"), "--cache-dir", str(fresh_cache), home=tmp_path)
    # Every damaged clip was thrown away and synthesized again, each reported once.
    assert synthesized(again) == synthesized(fresh) == made
    discards = [line for line in again.stderr.splitlines() if "discarded" in line]
    assert len(discards) == len(set(discards)) >= damaged["clips"] + damaged["chunks"]
    signal_again, rate_again = decode(tmp_path / "again.mp3")
    signal_fresh, rate_fresh = decode(tmp_path / "fresh.mp3")
    assert rate_again == rate_fresh and len(signal_again) == len(signal_fresh) > 0
    for sidecar in (".txt", ".chapters.json", ".vtt"):
        assert (tmp_path / f"again{sidecar}").read_text() == (tmp_path / f"fresh{sidecar}").read_text()
    # The cache is whole again: a third render uses it without synthesizing anything.
    third = audiobook("render", str(SHORT), "-o", str(tmp_path / "third.mp3"), "--cache-dir", str(cache), home=tmp_path)
    assert synthesized(third) == 0


def test_an_output_name_not_ending_in_mp3_is_refused(tmp_path):
    for name in ("episode.wav", "episode"):
        result = audiobook("render", str(SHORT), "-o", str(tmp_path / name), "--cache-dir", str(tmp_path / "c"), home=tmp_path)
        assert result.returncode == 2
        assert result.stderr.splitlines() == [f"audiobook: {tmp_path / name}: an episode is an MP3; give a file name ending in .mp3"]
        assert not (tmp_path / name).exists()


def test_two_articles_with_the_same_headline_in_one_batch_get_distinct_files(tmp_path):
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text("Council Approves Budget\n\nThe council approved the budget on Monday after a long debate.\n\n"
                     "Members argued for six hours about the cost of the new library.\n")
    second.write_text("Council Approves Budget\n\nA different town's council approved its budget on Tuesday.\n\n"
                      "Nobody spoke against it, and the meeting ended early.\n")
    result = audiobook("render", str(first), str(second), "--output-dir", str(tmp_path / "out"),
                       "--cache-dir", str(tmp_path / "c"), home=tmp_path)
    assert result.returncode == 0, result.stderr
    printed = [Path(line) for line in result.stdout.splitlines()]
    assert [path.name for path in printed] == ["council-approves-budget.mp3", "council-approves-budget-2.mp3"]
    assert "Monday" in printed[0].with_suffix(".txt").read_text()
    assert "Tuesday" in printed[1].with_suffix(".txt").read_text()


def test_an_unexpected_error_in_one_article_does_not_abort_the_batch(tmp_path, monkeypatch):
    """A fault injected into one article's render (a fake: no real input makes the library fail unexpectedly)."""
    from click.testing import CliRunner

    import audiobook.api
    from audiobook.cli import main

    broken, fine = tmp_path / "broken.txt", tmp_path / "fine.txt"
    broken.write_text("Broken Story\n\nThis one fails in the middle of its render.\n\nIts second paragraph is never heard.\n")
    fine.write_text("Fine Story\n\nThis one renders as it should.\n\nIts second paragraph is heard too.\n")
    real_render = audiobook.api.render_prepared

    def failing_render(prepared, output, *args, **kwargs):
        if prepared.script.title == "Broken Story":
            raise ZeroDivisionError("division by zero")
        return real_render(prepared, output, *args, **kwargs)

    monkeypatch.setattr(audiobook.api, "render_prepared", failing_render)
    result = CliRunner().invoke(main, ["render", str(broken), str(fine), "--output-dir", str(tmp_path / "out"),
                                       "--cache-dir", str(tmp_path / "c"), "-q"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"audiobook: {broken}: internal error: ZeroDivisionError: division by zero"]
    assert result.stdout.splitlines() == [str(tmp_path / "out" / "fine-story.mp3")]
    assert (tmp_path / "out" / "fine-story.mp3").stat().st_size > 0


def test_sigterm_mid_render_leaves_no_temporary_files(tmp_path):
    article = tmp_path / "long.txt"
    article.write_text("A Long Story\n\n" + "\n\n".join(
        f"Paragraph {number} tells of the river, the town and the people who waited for the water to fall."
        for number in range(60)) + "\n")
    out = tmp_path / "out"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / ".cache")}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "audiobook"), "render", str(article), "-o", str(out / "long.mp3"),
         "--cache-dir", str(tmp_path / "c"), "--jobs", "1"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 60
    while not list(out.glob(".*.part")) and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert list(out.glob(".*.part")), "the render never started writing"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert stderr.splitlines()[-1] == "audiobook: terminated"
    assert list(out.iterdir()) == []


def test_stale_temporary_files_of_our_naming_are_swept_on_the_next_run(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    stale = [out / ".x.mp3.k3j_x9ab.part", out / ".x.vtt.abcdefgh.part", out / ".x.chapters.json.q1w2e3r4.part"]
    fresh = out / ".x.mp3.zzzzzzzz.part"  # another render still writing
    strangers = [out / ".x.mp3.notours.part", out / "x.mp3.abcdefgh.part", out / ".other.mp3.abcdefgh.part"]
    for path in (*stale, fresh, *strangers):
        path.write_bytes(b"half")
    for path in (*stale, *strangers):
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    result = audiobook("render", str(SHORT), "-o", str(out / "x.mp3"), "--cache-dir", str(tmp_path / "c"), home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not any(path.exists() for path in stale)
    assert fresh.exists() and all(path.exists() for path in strangers)


def test_a_failure_after_the_mp3_leaves_the_old_episode_whole(tmp_path, monkeypatch):
    """A fault injected into the chapters (a fake: real input does not make it fail) after the MP3 is encoded."""
    import audiobook.audio.sidecars
    from audiobook.api import Options, render

    out = tmp_path / "out"
    render(str(SHORT), out / "x.mp3", Options(cache_dir=tmp_path / "c"))
    old = {path.name: path.read_bytes() for path in out.iterdir()}
    assert sorted(old) == ["x.chapters.json", "x.json", "x.mp3", "x.srt", "x.txt", "x.vtt"]
    edited = tmp_path / "edited.txt"
    edited.write_text(SHORT.read_text() + "\nOne more paragraph, added after the first edition went out.\n")

    def failing_chapters(*args: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(audiobook.audio.sidecars, "chapters_json", failing_chapters)
    with pytest.raises(OSError):
        render(str(edited), out / "x.mp3", Options(cache_dir=tmp_path / "c"))
    assert {path.name: path.read_bytes() for path in out.iterdir()} == old


def test_kill_9_of_a_render_leaves_no_worker_processes(tmp_path):
    article = tmp_path / "long.txt"
    article.write_text("A Long Story\n\n" + "\n\n".join(
        f"Paragraph {number} tells of the river, the town and the people who waited for the water to fall."
        for number in range(260)) + "\n")
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / ".cache")}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "audiobook"), "render", str(article), "-o", str(tmp_path / "long-episode.mp3"),
         "--cache-dir", str(tmp_path / "c"), "--jobs", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
        workers = [int(pid) for pid in children.read_text().split()]
        time.sleep(0.05)
    assert len(workers) >= 2, "the render never started its worker processes"
    process.kill()
    process.wait()
    deadline = time.monotonic() + 15
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    for pid in alive:  # leave no orphan behind even when the test fails
        os.kill(pid, signal.SIGKILL)
    assert alive == []
