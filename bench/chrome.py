"""Benchmark: what the page-chrome classifier costs a user, against the code before it, in the same run.

    .venv/bin/python bench/chrome.py [--runs 9] --before CHECKOUT

Each figure is a whole `audiobook script --json ARTICLE` process (start-up, reading, understanding),
median of --runs runs, run with this checkout and with the checkout named by --before (the code
without the classifier), on the sample and on a long scraped page (the dev corpus joined into one
article of some two thousand lines, chrome and all). Prints seconds and the ratio after/before.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _seconds(checkouts: tuple[Path, Path], article: Path, runs: int) -> tuple[float, float]:
    """Median wall time of the CLI as a process with each checkout's package, the two taking turns
    run by run so that a busy moment of the shared machine falls on both."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for checkout, timings in zip(checkouts, times):
            command = [sys.executable, "-m", "audiobook.cli", "script", "--json", str(article)]
            start = time.perf_counter()
            subprocess.run(command, cwd=checkout, env={**os.environ, "PYTHONPATH": str(checkout)}, check=True,
                           stdout=subprocess.DEVNULL)
            timings.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def _long_page(folder: Path) -> Path:
    articles = sorted((REPO / "tests" / "corpus" / "dev").glob("*.txt"))
    first, *rest = (path.read_text() for path in articles)
    # One headline, then every page's lines as the body: menus, share bars, related links included.
    body = "\n\n".join(text.split("\n", 1)[1] for text in rest)
    page = folder / "long-page.txt"
    page.write_text(f"{first}\n\n{body}\n")
    return page


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--before", type=Path, required=True, help="a checkout of the code before the classifier")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        long_page = _long_page(Path(folder))
        lines = sum(1 for line in long_page.read_text().splitlines() if line.strip())
        for name, article in (("sample", REPO / "samples" / "karabakh-uncertain-future.txt"),
                              (f"long page ({lines} lines)", long_page)):
            before, after = _seconds((arguments.before, REPO), article, arguments.runs)
            print(f"{name:<26} before {before:6.2f} s  after {after:6.2f} s  ratio {after / before:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
