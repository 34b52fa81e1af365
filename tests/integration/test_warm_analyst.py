"""The warm analyst: it outlives the run that started it, answers the next, ends when idle, and never
lets a stale socket or a folder others can enter stand in the way. Real processes, real model; each test
keeps its analyst in its own temporary folder and stops it at the end."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from audiobook.api import Options, prepare

from ..helpers import SHORT

ASK = """
import sys
from audiobook.script.attribution import analyst
print(analyst.socket_path())
print(*analyst.analyse_aside(["A headline", "", sys.argv[1]], None)().people, sep="|")
"""


@pytest.fixture
def private_temp() -> Iterator[dict[str, str]]:
    """An environment whose temporary folder is this test's; any analyst left in it is stopped after.
    A short one: pytest's own folders are too long a path for a socket (the analyst then stays private)."""
    temp = Path(tempfile.mkdtemp(prefix="warm-", dir="/tmp"))
    yield {**os.environ, "TMPDIR": str(temp), "AUDIOBOOK_ANALYST_IDLE": "60"}
    for pid in _analysts(temp):
        os.kill(pid, signal.SIGKILL)
    shutil.rmtree(temp, ignore_errors=True)


def _ask(environment: dict[str, str], sentence: str) -> tuple[Path, list[str]]:
    done = subprocess.run([sys.executable, "-c", ASK, sentence], env=environment, capture_output=True, text=True,
                          check=True, timeout=120)
    where, people = done.stdout.splitlines()
    return Path(where), people.split("|")


def _analysts(temp: Path) -> list[int]:
    """Warm analysts listening in ``temp``, by process id."""
    found = []
    for process in Path("/proc").glob("[0-9]*"):
        try:
            command = (process / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--serve" in command and any(str(temp).encode() in part for part in command):
            found.append(int(process.name))
    return found


def test_a_warm_analyst_outlives_its_run_and_answers_the_next(private_temp: dict[str, str]):
    temp = Path(private_temp["TMPDIR"])
    socket_file, people = _ask(private_temp, "“Yes,” said Anna Fischer, a volunteer.")
    assert people == ["Anna Fischer"]
    assert socket_file.is_socket() and socket_file.parent.parent == temp
    assert socket_file.parent.stat().st_mode & 0o777 == 0o700
    [warm] = _analysts(temp)
    _, people = _ask(private_temp, "“No,” said Tom Reade, the director.")
    assert people == ["Tom Reade"]
    assert _analysts(temp) == [warm]  # the same analyst answered: no second one started


def test_a_warm_analyst_ends_once_idle_and_takes_its_socket_with_it(private_temp: dict[str, str]):
    temp = Path(private_temp["TMPDIR"])
    socket_file, _ = _ask({**private_temp, "AUDIOBOOK_ANALYST_IDLE": "1"}, "“Yes,” said Anna Fischer.")
    deadline = time.monotonic() + 30
    while (_analysts(temp) or socket_file.exists()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _analysts(temp) and not socket_file.exists()


def test_a_socket_left_by_a_killed_analyst_is_replaced(private_temp: dict[str, str]):
    temp = Path(private_temp["TMPDIR"])
    socket_file, _ = _ask(private_temp, "“Yes,” said Anna Fischer.")
    [killed] = _analysts(temp)
    os.kill(killed, signal.SIGKILL)
    while killed in _analysts(temp):
        time.sleep(0.05)
    assert socket_file.exists()  # nobody listens on it now
    _, people = _ask(private_temp, "“No,” said Tom Reade, the director.")
    assert people == ["Tom Reade"]
    [new] = _analysts(temp)
    assert new != killed


def test_a_folder_other_users_may_enter_is_never_used(private_temp: dict[str, str]):
    temp = Path(private_temp["TMPDIR"])
    shared = temp / f"audiobook-{os.getuid()}"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    socket_file, people = _ask(private_temp, "“Yes,” said Anna Fischer.")
    assert people == ["Anna Fischer"]  # answered by the run's own analyst
    assert str(socket_file) == "None" and not list(shared.iterdir()) and not _analysts(temp)


def test_with_no_idle_time_the_analyst_ends_with_its_run(private_temp: dict[str, str]):
    temp = Path(private_temp["TMPDIR"])
    _, people = _ask({**private_temp, "AUDIOBOOK_ANALYST_IDLE": "0"}, "“Yes,” said Anna Fischer.")
    assert people == ["Anna Fischer"]
    assert not _analysts(temp) and not list(temp.glob("audiobook-*/*.sock"))


def test_a_bad_idle_time_is_one_line(private_temp: dict[str, str], tmp_path: Path):
    done = subprocess.run(
        [sys.executable, "-m", "audiobook.cli", "render", str(SHORT), "-o", str(tmp_path / "out.mp3"), "-q"],
        env={**private_temp, "AUDIOBOOK_ANALYST_IDLE": "soon"}, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1 and "AUDIOBOOK_ANALYST_IDLE" in done.stderr
    assert not (tmp_path / "out.mp3").exists()


def test_an_analyst_that_answers_at_once_needs_no_draft(tmp_path: Path):
    """An edit's analysis from a loaded model takes milliseconds: synthesizing a draft beside it is waste."""
    options = Options(cache_dir=tmp_path / "cache")
    prepare(str(SHORT), options, analyse_aside=True)  # loads this run's analyst
    edited = tmp_path / "edited.txt"
    edited.write_text(SHORT.read_text().replace("said", "said again", 1))
    drafts = []
    prepare(str(edited), options, head_start=drafts.append)
    assert drafts == []
