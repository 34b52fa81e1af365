"""Benchmark: the same 20 articles rendered by a plain local batch and on a Dask LocalCluster.

    .venv/bin/python bench/cluster.py [--runs 3] [--piper 4]

Each figure is the whole `audiobook render ARTICLE… -d DIR` command as a process (start-up,
cluster start-up, reading, rendering, writing), the median of --runs runs, each with a fresh
clip cache. At equal cores: `--jobs 1` against `--cluster local:1`, `--jobs 2` against
`--cluster local:2` (one thread per worker). Goal: the cluster costs at most 10% more.
Then the per-article cost with espeak-ng and with Piper (voices/piper-narrator.toml, one
core) gives articles per hour per worker, and the workers a 100,000-article archive needs
to be rendered in one night (8 hours).
"""

from __future__ import annotations

import argparse
import itertools
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mutagen.mp3 import MP3

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from audiobook.api import prepare  # noqa: E402

AUDIOBOOK = str(Path(sys.executable).with_name("audiobook"))
ARCHIVE = 100_000
NIGHT_HOURS = 8
# Words swapped in the copies, so that each copy's sentences are new to the clip cache.
VARIANTS = (" this ", " that ", " each ", " one ", " our ", " their ", " its ")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs of each command; the median is reported")
    parser.add_argument("--piper", type=int, default=4, help="articles rendered with Piper for its per-article cost (0: none)")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="audiobook-bench-cluster-"))
    try:
        articles = _articles(work / "articles")
        configurations = {
            "local --jobs 1": ["--jobs", "1"], "cluster local:1": ["--cluster", "local:1"],
            "local --jobs 2": ["--jobs", "2"], "cluster local:2": ["--cluster", "local:2"],
        }
        # Runs interleaved, so that a change in the machine's load falls on every configuration alike.
        times: dict[str, list[float]] = {label: [] for label in configurations}
        for _ in range(arguments.runs):
            for label, options in configurations.items():
                elapsed, audio_hours = _run(work, articles, options)
                times[label].append(elapsed)
        seconds = {label: statistics.median(runs) for label, runs in times.items()}
        for label, runs in times.items():
            print(f"{label:<16} {seconds[label]:7.1f} s for {len(articles)} articles ({audio_hours * 60:.0f} min "
                  f"of audio); runs {', '.join(f'{run:.1f}' for run in runs)}", flush=True)
        for cores in (1, 2):
            ratio = seconds[f"cluster local:{cores}"] / seconds[f"local --jobs {cores}"]
            print(f"cluster / local batch at {cores} core(s): {ratio:5.3f}   (goal <= 1.10)")
        per_article = {"espeak-ng": seconds["local --jobs 1"] / len(articles)}
        if arguments.piper:
            piper_articles = articles[: arguments.piper]
            piper, piper_audio = _run(work, piper_articles, ["--jobs", "1", "--cast", str(REPO / "voices" / "piper-narrator.toml")])
            print(f"piper --jobs 1   {piper:7.1f} s for {len(piper_articles)} articles ({piper_audio * 60:.0f} min of audio)")
            per_article["piper (narrator)"] = piper / len(piper_articles)
        for engine, cost in per_article.items():
            per_hour = 3600 / cost
            workers = math.ceil(ARCHIVE / (per_hour * NIGHT_HOURS))
            print(f"{engine:<17} {cost:5.1f} s an article on one core: {per_hour:5.0f} articles/h a worker; "
                  f"{ARCHIVE:,} articles in {NIGHT_HOURS} h need {workers} one-core workers")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _articles(folder: Path) -> list[Path]:
    """The 13 distinct articles of the tests and samples, and 7 copies with words changed: 20."""
    folder.mkdir(parents=True)
    sources = sorted(
        path for path in (REPO / "tests" / "fixtures").iterdir() if path.suffix in (".txt", ".md", ".html")
    ) + [REPO / "samples" / "karabakh-uncertain-future.txt"]
    articles = []
    for source in sources:
        articles.append(folder / source.name)
        shutil.copy(source, articles[-1])
    titles = {prepare(str(article)).script.title for article in articles}
    # Not every fixture opens with its headline (some open with page chrome): go round until a copy's title is new.
    plain = itertools.cycle([source for source in sources if source.suffix != ".html"])
    for number, word in enumerate(VARIANTS, start=2):
        while True:  # a copy with a title of its own, so that it gets its own episode
            source = next(plain)
            copy = folder / f"{source.stem}-{number}{source.suffix}"
            title, rest = source.read_text().split("\n", 1)
            copy.write_text(f"{title} ({number})\n{rest.replace(' the ', word)}")
            if prepare(str(copy)).script.title not in titles:
                break
            copy.unlink()
        titles.add(prepare(str(copy)).script.title)
        articles.append(copy)
    return articles


def _run(work: Path, articles: list[Path], options: list[str]) -> tuple[float, float]:
    """One whole `audiobook render` process with a fresh cache: its seconds, and the hours of audio written."""
    out, cache = work / "out", work / "cache"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    command = [AUDIOBOOK, "render", *map(str, articles), "-d", str(out), "--cache-dir", str(cache), "-q", *options]
    started = time.perf_counter()
    process = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"audiobook render {' '.join(options)} failed:\n{process.stderr}")
    episodes = process.stdout.split()
    if len(set(episodes)) != len(articles):
        raise SystemExit(f"{len(set(episodes))} episodes for {len(articles)} articles:\n{process.stderr}")
    return elapsed, sum(MP3(path).info.length for path in episodes) / 3600


if __name__ == "__main__":
    main()
