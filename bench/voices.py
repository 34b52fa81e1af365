"""How apart the voices of an episode are heard, and how long casting takes.

    .venv/bin/python bench/voices.py

For the sample and the sixteen-speaker fixture (eight women, eight men): each is rendered with
the real engine, the published MP3 decoded, every speaker's cues embedded (Resemblyzer), and the
closest pairs printed. Goals (issue 12): sample no pair above 0.85, sixteen no pair above 0.90,
the narrator against any quoted speaker at most 0.80; casting under 50 ms an episode.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from audiobook.api import Options, prepare, render  # noqa: E402
from audiobook.casting.profile import cast_script  # noqa: E402
from audiobook.quality.voices import speaker_similarities  # noqa: E402

ARTICLES = {
    "sample": (REPO / "samples" / "karabakh-uncertain-future.txt", 0.85),
    "sixteen speakers": (REPO / "tests" / "fixtures" / "sixteen-voices.txt", 0.90),
}


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        for name, (article, limit) in ARTICLES.items():
            prepared = prepare(str(article))
            timings = []
            for _ in range(20):
                started = time.perf_counter()
                cast_script(prepared.script, prepared.profile)
                timings.append(time.perf_counter() - started)
            episode = render(str(article), Path(work) / "ep.mp3", Options(cache_dir=Path(work) / "cache"))
            pairs = speaker_similarities(episode.mp3, [(c.start, c.end, c.speaker) for c in episode.mix.cues])
            narrator = max(v for pair, v in pairs.items() if "Narrator" in pair and "Describer" not in pair)
            print(f"\n== {name}: {len(prepared.script.speakers)} speakers; casting {statistics.median(timings) * 1000:.1f} ms "
                  f"(median of 20; goal < 50) ==")
            print(f"closest pair {max(pairs.values()):.3f} (goal <= {limit}); narrator vs a speaker {narrator:.3f} (goal <= 0.80)")
            for (first, second), value in sorted(pairs.items(), key=lambda item: -item[1])[:6]:
                print(f"  {value:.3f}  {first} ~ {second}")


if __name__ == "__main__":
    main()
