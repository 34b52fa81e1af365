"""The analyst: the article's analysis (syntax.analyse) in a Python process of its own, beside a render.

Loading spaCy is mostly Python work: in the render's process it would hold the GIL that the threads
synthesizing meanwhile need (measured on the sample: the first clip came 3 s late). The analyst is a
plain Python process (not multiprocessing, which would re-run a library user's main module), so a
batch loads the model once.

Loading it still takes about 2 s, which was most of what a producer waited for after editing a
paragraph. So the analyst stays warm after the run that started it: it listens on a socket in a folder
only its user can reach, and ends once no run has used it for AUDIOBOOK_ANALYST_IDLE seconds (600 by
default). The next run connects to it instead of starting its own. The socket's name carries the Python,
the package's version, the analysis code and the model, so a changed install never asks an old analyst.
AUDIOBOOK_ANALYST_IDLE=0 keeps the analyst to the run that started it (a machine short of memory may
want that: a warm analyst holds about 150 MB).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Protocol

import audiobook
from audiobook.errors import AudiobookError
from audiobook.script.attribution import syntax
from audiobook.script.attribution.syntax import Analysis, analysis_from_json, analysis_to_json, analyse

IDLE_VARIABLE = "AUDIOBOOK_ANALYST_IDLE"
DEFAULT_IDLE = 600.0
# How long a run waits for an analyst it started to listen: Python's start and a few imports.
_START_WAIT = 5.0


class AnalystGone(AudiobookError):
    """The analyst stopped before answering."""


class PendingAnalysis(Protocol):
    def __call__(self, timeout: float | None = None) -> Analysis:
        """The analysis, waiting at most ``timeout`` seconds (then TimeoutError), or as long as it takes."""


def analyse_aside(texts: list[str], cache_folder: Path | None) -> PendingAnalysis:
    """Start `analyse` in the analyst and return what waits for its result."""
    analyst = _analyst()
    try:
        asked = analyst.ask(texts, cache_folder)
    except AnalystGone:
        if not analyst.shared:
            raise
        return _own_analyst().ask(texts, cache_folder)

    def answer(timeout: float | None = None) -> Analysis:
        try:
            return asked(timeout)
        except AnalystGone:
            if not analyst.shared:
                raise
            # It ended as this run connected (its idle time ran out): this run starts its own.
            return _own_analyst().ask(texts, cache_folder)(timeout)

    return answer


class _Analyst:
    """Request lines (a number, the texts and the cache folder, as JSON) written to an analyst, answered by
    lines in the same order, which a thread reads as they come. An answer never waited for (its render
    failed first) is left unread."""

    def __init__(self, reader: BinaryIO, writer: BinaryIO, close: Callable[[], None], shared: bool = False) -> None:
        self._reader, self._writer, self._close = reader, writer, close
        self.shared = shared
        """Started by another run, over its socket: it may end, idle, just as this run connects."""
        self.process: subprocess.Popen | None = None
        self._writing = threading.Lock()
        self._asked = 0
        self._arrived = threading.Condition()
        self._answers: dict[int, dict] = {}
        self._gone = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for line in self._reader:
                reply = json.loads(line)
                with self._arrived:
                    self._answers[reply.pop("number")] = reply
                    self._arrived.notify_all()
        except (OSError, ValueError):
            pass  # the analyst's end closed mid-line: as gone as at its end
        with self._arrived:
            self._gone = True
            self._arrived.notify_all()

    def ask(self, texts: list[str], cache_folder: Path | None) -> PendingAnalysis:
        with self._writing:
            self._asked += 1
            number = self._asked
            request = {"number": number, "texts": texts, "cache": str(cache_folder) if cache_folder else None}
            try:
                self._writer.write(json.dumps(request).encode() + b"\n")
                self._writer.flush()
            except OSError:
                raise AnalystGone("the article's analysis process has stopped") from None

        def answer(timeout: float | None = None) -> Analysis:
            with self._arrived:
                if not self._arrived.wait_for(lambda: number in self._answers or self._gone, timeout):
                    raise TimeoutError
                if number not in self._answers:
                    raise AnalystGone("the article's analysis process stopped before answering")
                reply = self._answers.pop(number)
            if "error" in reply:
                raise AudiobookError(reply["error"])
            return analysis_from_json(reply)

        return answer

    def close(self) -> None:
        self._close()


@lru_cache(maxsize=1)
def _analyst() -> _Analyst:
    idle = idle_seconds()
    if idle > 0 and (path := socket_path()):
        # The warm analyst if one listens; else one started here, which answers this run through pipes
        # (no waiting for it to listen) and stays on to listen for later runs.
        analyst = _connected(path) or _started([sys.executable, "-m", __name__, "--serve", str(path), str(idle)], stays=True)
    else:
        analyst = _started([sys.executable, "-m", __name__], stays=False)
    atexit.register(analyst.close)
    return analyst


@lru_cache(maxsize=1)
def _own_analyst() -> _Analyst:
    """A child of this run, ending with it: when the warm analyst it connected to ended first."""
    analyst = _started([sys.executable, "-m", __name__], stays=False)
    atexit.register(analyst.close)
    return analyst


def _started(command: list[str], stays: bool) -> _Analyst:
    """An analyst answering through pipes; one that ``stays`` is in a session of its own, and this run
    neither waits for it nor reads it to the end."""
    # One that stays keeps no stream of this run's open: a caller reading this run's error stream to its end
    # would wait for the analyst's idle time.
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL if stays else None, start_new_session=stays,
                             cwd="/" if stays else None)

    def close() -> None:
        child.stdin.close()
        if not stays:
            child.wait()
            child.stdout.close()

    analyst = _Analyst(child.stdout, child.stdin, close)
    analyst.process = child
    return analyst


def idle_seconds() -> float:
    value = os.environ.get(IDLE_VARIABLE, "").strip()
    try:
        seconds = float(value) if value else DEFAULT_IDLE
    except ValueError:
        seconds = float("nan")
    if not seconds >= 0:
        raise AudiobookError(f"{IDLE_VARIABLE}={value!r}: give the seconds a warm analyst waits, or 0")
    return seconds


def _connected(path: Path) -> _Analyst | None:
    """The warm analyst listening at ``path``, if one does."""
    if (connection := _connect(path)) is None:
        path.unlink(missing_ok=True)  # left by an analyst that was killed
        return None
    reader, writer = connection.makefile("rb"), connection.makefile("wb")

    def close() -> None:
        try:
            # Wakes the thread reading answers first: closing a stream it is reading would wait for it.
            connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # the analyst went first; nothing of ours is lost
        for stream in (reader, writer, connection):
            try:
                stream.close()
            except OSError:
                pass

    return _Analyst(reader, writer, close, shared=True)


def socket_path() -> Path | None:
    """Where this install's warm analyst listens: in a folder of the temporary folder that only this user
    may enter (one that others could is never used), named for what the analyst runs."""
    if not hasattr(socket, "AF_UNIX") or not hasattr(os, "getuid"):
        return None
    folder = Path(tempfile.gettempdir()) / f"audiobook-{os.getuid()}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        status = folder.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(status.st_mode) or status.st_uid != os.getuid() or status.st_mode & 0o077:
        return None
    path = folder / f"analyst-{_identity()}.sock"
    # A socket's path has room for about 100 bytes (104 on macOS, 108 on Linux).
    return path if len(os.fsencode(path)) < 100 else None


def _identity() -> str:
    """What the analyst runs: a warm one started by other code or another model is never asked."""
    # The environment and its interpreter, whichever of its names ("python", "python3") started this run.
    digest = hashlib.sha256(json.dumps([
        sys.prefix, os.path.realpath(sys.executable), audiobook.__version__, syntax.MODEL_DIGEST, syntax.ANALYSIS_VERSION,
    ]).encode())
    for module in (__file__, syntax.__file__):
        status = os.stat(module)
        digest.update(f"{module}:{status.st_mtime_ns}:{status.st_size}".encode())
    return digest.hexdigest()[:16]


def _connect(path: Path) -> socket.socket | None:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(str(path))
    except OSError:
        connection.close()
        return None
    return connection


def _answer(reader: BinaryIO, writer: BinaryIO, analysing: threading.Lock) -> None:
    """Each request line from a run answered by a line, until the run closes its end."""
    for line in reader:
        request = json.loads(line)
        try:
            with analysing:  # one parse at a time: the model is shared by every run served
                analysis = analyse(request["texts"], Path(request["cache"]) if request["cache"] else None)
            reply = analysis_to_json(analysis)
        except Exception as error:  # noqa: BLE001 - the caller reports it as one line
            reply = {"error": str(error) if isinstance(error, AudiobookError)
                     else f"the article's analysis failed: {type(error).__name__}: {error}".splitlines()[0]}
        writer.write(json.dumps({"number": request["number"], **reply}).encode() + b"\n")
        writer.flush()


def _serve(path: Path, idle: float) -> None:
    """The warm analyst: answers the run that started it on standard input and output, and every later run
    that connects to its socket, each on a thread; ends once none has been connected for ``idle`` seconds.
    Whoever connected as that time ran out is still answered."""
    analysing = threading.Lock()
    changes = threading.Lock()
    connected = 1  # the run that started it
    last_left = time.monotonic()

    def serve(reader: BinaryIO, writer: BinaryIO) -> None:
        nonlocal connected, last_left
        try:
            with reader, writer:
                _answer(reader, writer, analysing)
        except OSError:
            pass  # the run ended without closing its end: nothing to answer
        finally:
            with changes:
                connected -= 1
                last_left = time.monotonic()

    # Closing standard output at the end tells the starter's reading thread that no more will come.
    starter = threading.Thread(target=serve, args=(sys.stdin.buffer, sys.stdout.buffer), daemon=True)
    starter.start()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(path))
    except OSError:
        starter.join()  # another run's analyst listens there already: this one serves its starter alone
        return
    ours = path.stat().st_ino
    server.listen()
    server.settimeout(min(idle, 5.0))

    def accept() -> bool:
        nonlocal connected
        try:
            connection, _ = server.accept()
        except (TimeoutError, BlockingIOError):
            return False
        connection.settimeout(None)
        with changes:
            connected += 1
        threading.Thread(target=serve, args=(connection.makefile("rb"), connection.makefile("wb")), daemon=True).start()
        connection.close()  # the two streams keep the connection open
        return True

    while True:
        accept()
        with changes:
            if not connected and time.monotonic() - last_left >= idle:
                break
    try:
        if path.stat().st_ino == ours:
            path.unlink()
    except OSError:
        pass  # already replaced or removed
    server.setblocking(False)
    while accept():
        pass
    while True:
        with changes:
            if not connected:
                return
        time.sleep(0.05)


def _answer_own_run() -> None:
    """A child analyst: request lines on standard input, answers on standard output."""
    _answer(sys.stdin.buffer, sys.stdout.buffer, threading.Lock())


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serve"]:
        _serve(Path(sys.argv[2]), float(sys.argv[3]))
    else:
        _answer_own_run()
    # Nothing is left to save; the interpreter's tidy teardown of the loaded model took 0.4 s,
    # which the run that started it would wait for as it ends.
    os._exit(0)
