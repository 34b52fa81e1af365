"""Benchmark: what keeping the cache tidy costs a render, as whole processes (median of several runs).

    .venv/bin/python bench/cache.py [--entries 20000] [--runs 5]

Baseline, measured in the same run: an unchanged re-render of a short article whose cache holds
only that article's entries. Against it: the same re-render with the cache also holding many
other clips, chunks and analyses and earlier versions' entries (every render ends with a prune
that walks them all), and `audiobook cache`, which reads the same walk.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from audiobook.speech.cache import ANALYSIS_FOLDER, STORE_NAME  # noqa: E402
from audiobook.files import write_checked  # noqa: E402

ARTICLE = REPO / "tests" / "fixtures" / "short-wire.txt"
AUDIOBOOK = str(Path(sys.executable).with_name("audiobook"))
# A mono 16-bit 22,050 Hz WAV header: the earlier versions' clips are recognised by it.
_WAV = (b"RIFF\x24\x04\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x22\x56\x00\x00\x44\xac\x00\x00\x02\x00\x10\x00"
        b"data\x00\x04\x00\x00" + bytes(1024))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=20_000, help="other entries in the big cache")
    parser.add_argument("--runs", type=int, default=9)
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="audiobook-cache-bench-"))
    try:
        small, big = work / "small", work / "big"
        for cache in (small, big):
            _run([AUDIOBOOK, "render", str(ARTICLE), "-o", str(work / "episode.mp3"), "--cache-dir", str(cache), "-q"])
        _fill(big, arguments.entries)
        rerender = [AUDIOBOOK, "render", str(ARTICLE), "-o", str(work / "episode.mp3"), "-q", "--cache-dir"]
        baseline, crowded, listing = _medians(
            [[*rerender, str(small)], [*rerender, str(big)], [AUDIOBOOK, "cache", "--cache-dir", str(big)]], arguments.runs)
        files = sum(len(files) for _, _, files in os.walk(big))
        print(f"== the cache kept tidy: whole processes, median of {arguments.runs} ==")
        print(f"unchanged re-render, cache of its own entries    {baseline:6.2f}s  1.00x (baseline)")
        print(f"unchanged re-render, cache of {files:,} files     {crowded:6.2f}s  {crowded / baseline:.2f}x")
        print(f"audiobook cache, on the {files:,}-file cache      {listing:6.2f}s  {listing / baseline:.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _fill(folder: Path, count: int) -> None:
    """``count`` entries of others' articles, of this version's kinds and earlier versions', used recently
    so that the prune at the end of each render walks them all and keeps them."""
    store = folder / STORE_NAME
    (store / ANALYSIS_FOLDER).mkdir(exist_ok=True)
    for number in range(count):
        key = hashlib.sha256(str(number).encode()).hexdigest()
        kind = number % 20
        if kind == 0:
            write_checked(store / ANALYSIS_FOLDER / f"{key}.json", b'{"people": [], "organisations": []}')
            continue
        where = folder if kind == 1 else store  # one in twenty of the first layout, beside the subfolder
        (where / key[:2]).mkdir(exist_ok=True)
        name = f"{key}.wav" if kind < 3 else f"{key}.{hashlib.sha256(_WAV).hexdigest()[:32]}.wav"
        (where / key[:2] / name).write_bytes(_WAV)


def _medians(commands: list[list[str]], runs: int) -> list[float]:
    """Each command's median time, the commands taking turns so a busy spell on the machine falls on all alike."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(runs):
        for command, taken in zip(commands, times):
            taken.append(_run(command))
    return [statistics.median(taken) for taken in times]


def _run(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
