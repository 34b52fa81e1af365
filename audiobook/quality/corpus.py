"""Score every answer key in some folders and print the figures the attribution issue asks for.

    python -m audiobook.quality.corpus tests/corpus/dev tests/corpus/test
    python -m audiobook.quality.corpus --pin tests/quality/quality-baseline.json samples tests/fixtures

An article whose understanding raises counts as failed (its quotes as not found), as a user
would meet it: the render stops.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from audiobook.quality.evaluation import Scores, score_key


@dataclass
class Totals:
    articles: int = 0
    failed: list[str] = field(default_factory=list)
    quotes: int = 0
    found: int = 0
    attributed: int = 0
    wrong_named: int = 0
    people: int = 0
    people_in_one_voice: int = 0
    chrome_lines: int = 0
    chrome_silent: int = 0
    story_silenced: int = 0
    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, scores: Scores) -> None:
        self.outcomes.update(scores.outcomes)
        self.quotes += scores.quotes
        self.found += scores.found
        self.attributed += scores.attributed
        self.wrong_named += scores.wrong_named
        self.people += scores.people
        self.people_in_one_voice += scores.people_in_one_voice
        self.chrome_lines += scores.boilerplate_lines
        self.chrome_silent += scores.boilerplate_lines_silent
        self.story_silenced += scores.story_lines_silenced

    def basis_lines(self) -> list[str]:
        """How often each way of attributing gives the right speaker: what CONFIDENCE is calibrated on."""
        bases = sorted({basis for basis, _ in self.outcomes}, key=lambda b: -sum(self.outcomes[b, o] for o in OUTCOMES))
        lines = [f"  {'basis':<26} {'right':>5} {'wrong':>5} {'unid.':>5}  right/all"]
        for basis in bases:
            right, wrong, unidentified = (self.outcomes[basis, outcome] for outcome in OUTCOMES)
            lines.append(f"  {basis:<26} {right:5} {wrong:5} {unidentified:5}  {right / (right + wrong + unidentified):.2f}")
        return lines

    def lines(self, name: str) -> list[str]:
        quotes = self.quotes or 1
        return [
            f"{name}: {self.articles} articles, {self.quotes} quotes",
            f"  quotes found                      {self.found / quotes:6.1%}",
            f"  quotes given to the right speaker {self.attributed / quotes:6.1%}",
            f"  voiced as a named wrong person    {self.wrong_named / quotes:6.1%}",
            f"  people heard in one voice         {self.people_in_one_voice} of {self.people}",
            f"  page chrome kept silent           {self.chrome_silent} of {self.chrome_lines} lines",
            f"  story lines silenced as chrome    {self.story_silenced}",
            f"  articles that fail                {len(self.failed)} of {self.articles} {' '.join(self.failed)}",
        ]


def score_folder(folder: Path, verbose: bool = False, cautious: bool = False) -> Totals:
    totals = Totals()
    for key in sorted(folder.glob("*.gold.json")):
        totals.articles += 1
        try:
            scores = score_key(key, cautious)
        except Exception as error:  # noqa: BLE001 - a crash is a measured outcome here, not a bug in the scorer
            totals.failed.append(f"{key.name.removesuffix('.gold.json')} ({type(error).__name__})")
            totals.quotes += len(json.loads(key.read_text())["quotes"])
            continue
        totals.add(scores)
        if verbose:
            print(f"{key.name.removesuffix('.gold.json'):<45} found {scores.found}/{scores.quotes} "
                  f"right {scores.attributed} wrong-named {scores.wrong_named}")
            for problem in scores.problems:
                print(f"    {problem}")
    return totals


OUTCOMES = ("right", "wrong", "unidentified")
PINNED = ("found", "attributed", "real_quote_segments", "genders_right", "people_in_one_voice", "boilerplate_lines_silent")
"""Counts the quality gate holds each answer key to: any fall fails the tests."""


def pin(folders: list[Path], baseline: Path) -> None:
    """Write the current counts of every key as the baseline the quality gate compares against."""
    pinned = {}
    for folder in folders:
        for key in sorted(folder.glob("*.gold.json")):
            scores = score_key(key)
            pinned[key.as_posix()] = {
                name: getattr(scores, name)
                for name in ("quotes", *PINNED, "quote_segments", "wrong_named", "story_lines_silenced")
            }
    baseline.write_text(json.dumps(pinned, indent=1) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true", help="each article and its problems")
    parser.add_argument("--by-basis", action="store_true", help="how often each attribution basis is right")
    parser.add_argument("--pin", type=Path, metavar="BASELINE", help="write the keys' counts as the gate's baseline")
    parser.add_argument("--cautious", action="store_true", help="as `audiobook render --cautious` would attribute")
    arguments = parser.parse_args(argv)
    if arguments.pin:
        pin(arguments.folders, arguments.pin)
        return 0
    for folder in arguments.folders:
        totals = score_folder(folder, arguments.verbose, arguments.cautious)
        print("\n".join(totals.lines(str(folder)) + (totals.basis_lines() if arguments.by_basis else [])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
