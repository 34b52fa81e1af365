"""The analyst: the article's analysis (syntax.analyse) in a Python process of its own, beside a render.

Loading spaCy is mostly Python work: in the render's process it would hold the GIL that the threads
synthesizing meanwhile need (measured on the sample: the first clip came 3 s late). The analyst is a
plain child process (not multiprocessing, which would re-run a library user's main module), started
once per run, so a batch loads the model once.
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from audiobook.errors import AudiobookError
from audiobook.script.attribution.syntax import Analysis, analysis_from_json, analysis_to_json, analyse


def analyse_aside(texts: list[str], cache_folder: Path | None) -> Callable[[], Analysis]:
    """Start `analyse` in the analyst and return what waits for its result."""
    return _analyst().ask(texts, cache_folder)


class _Analyst:
    """A child process answering each request line (its number, texts and cache folder, as JSON) with
    an answer line in the same order; it ends when its standard input closes, with the run that
    started it. An answer never waited for (its render failed first) is skipped by the next one."""

    def __init__(self) -> None:
        self._child = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE)
        self._lock = threading.Lock()
        self._asked = 0
        self._answers: dict[int, dict] = {}

    def ask(self, texts: list[str], cache_folder: Path | None) -> Callable[[], Analysis]:
        with self._lock:
            self._asked += 1
            number = self._asked
            request = {"number": number, "texts": texts, "cache": str(cache_folder) if cache_folder else None}
            try:
                self._child.stdin.write(json.dumps(request).encode() + b"\n")
                self._child.stdin.flush()
            except OSError:
                raise AudiobookError("the article's analysis process has stopped") from None

        def answer() -> Analysis:
            with self._lock:
                while number not in self._answers:
                    if not (line := self._child.stdout.readline()):
                        raise AudiobookError(f"the article's analysis process stopped (exit {self._child.wait()})")
                    reply = json.loads(line)
                    self._answers[reply.pop("number")] = reply
                reply = self._answers.pop(number)
            if "error" in reply:
                raise AudiobookError(reply["error"])
            return analysis_from_json(reply)

        return answer

    def close(self) -> None:
        self._child.stdin.close()
        self._child.wait()
        self._child.stdout.close()


@lru_cache(maxsize=1)
def _analyst() -> _Analyst:
    analyst = _Analyst()
    atexit.register(analyst.close)
    return analyst


def _answer_requests() -> None:
    """The analyst's side: each request line on standard input answered by a line on standard output."""
    for line in sys.stdin:
        request = json.loads(line)
        try:
            reply = analysis_to_json(analyse(request["texts"], Path(request["cache"]) if request["cache"] else None))
        except Exception as error:  # noqa: BLE001 - the caller reports it as one line
            reply = {"error": str(error) if isinstance(error, AudiobookError)
                     else f"the article's analysis failed: {type(error).__name__}: {error}".splitlines()[0]}
        sys.stdout.write(json.dumps({"number": request["number"], **reply}) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    _answer_requests()
    # Nothing is left to save; the interpreter's tidy teardown of the loaded model took 0.4 s,
    # which the run that started it would wait for as it ends.
    os._exit(0)
