"""Benchmark: every figure is a ratio against a plain baseline measured in the same run.

    make bench            (or: .venv/bin/python bench/run.py [--skip-long])

Floor: the espeak-ng command line speaking the same text into one WAV, then the same MP3
encoder at the same settings. Renders are timed through the library API with imports warm.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import lameenc
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from audiobook.speech.analysis import loudness_lufs, median_f0, true_peak_dbtp  # noqa: E402
from audiobook.audio.encode import DEFAULT_BITRATE, LAME_QUALITY  # noqa: E402
from audiobook.quality.evaluation import score  # noqa: E402
from audiobook.api import Options, prepare, render  # noqa: E402
from audiobook.script.scriptfile import script_to_json  # noqa: E402
from audiobook.speech.ear import for_the_ear  # noqa: E402
from tests.helpers import parse_vtt  # noqa: E402
from tests.mp3util import decode  # noqa: E402

SAMPLE = REPO / "samples" / "karabakh-uncertain-future.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-long", action="store_true", help="skip the 100,000-word memory run")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="audiobook-bench-"))
    try:
        speed(work)
        memory(work, [1_000, 10_000] if arguments.skip_long else [1_000, 10_000, 100_000])
        big_page(work)
        voices(work)
        quality()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def speed(work: Path) -> None:
    print("== speed (sample article) ==")
    floor = _floor(work)
    cache = work / "cache"
    cold, episode = _timed(lambda: render(str(SAMPLE), work / "cold.mp3", Options(cache_dir=cache)))
    warm, again = _timed(lambda: render(str(SAMPLE), work / "warm.mp3", Options(cache_dir=cache)))
    edited_article = work / "edited.txt"
    edited_article.write_text(SAMPLE.read_text().replace(
        "The fear of revenge is strong after decades of conflict and mistrust.",
        "The fear of revenge is strong after three decades of conflict, loss and mistrust.",
    ))
    edited, after_edit = _timed(lambda: render(str(edited_article), work / "edited.mp3", Options(cache_dir=cache)))
    print(f"floor (espeak-ng CLI + same encoder): {floor:6.2f} s")
    print(f"cold render:                          {cold:6.2f} s  ({episode.synthesized} clips, "
          f"{episode.duration / 60:.1f} min of audio)")
    print(f"re-render, no change:                 {warm:6.2f} s  ({again.synthesized} clips synthesized)")
    print(f"re-render, one paragraph edited:      {edited:6.2f} s  ({after_edit.synthesized} clips synthesized)")
    print(f"(a) cold render / floor      = {cold / floor:5.2f}   (goal <= 1.00)")
    print(f"(b) unchanged re-render / cold = {warm / cold:5.3f}  (goal <= 0.05)")
    print(f"(c) one-edit re-render / cold  = {edited / cold:5.3f}  (goal <= 0.15)")


def _floor(work: Path) -> float:
    """espeak-ng over the text the engine would hear, into one WAV, then LAME at our settings."""
    prepared = prepare(str(SAMPLE))
    text = "\n\n".join(
        for_the_ear(segment.spoken_text, prepared.lexicon) for segment in prepared.script.segments if segment.spoken
    )
    text_file, wav = work / "floor.txt", work / "floor.wav"
    text_file.write_text(text)
    started = time.perf_counter()
    subprocess.run(["espeak-ng", "-v", "en", "-s", str(prepared.cast.narrator.rate), "-f", str(text_file),
                    "-w", str(wav)], check=True)
    with wave.open(str(wav)) as source:
        pcm, rate = source.readframes(source.getnframes()), source.getframerate()
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(DEFAULT_BITRATE)
    encoder.set_in_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(LAME_QUALITY)
    (work / "floor.mp3").write_bytes(encoder.encode(pcm) + encoder.flush())
    return time.perf_counter() - started


def memory(work: Path, sizes: list[int]) -> None:
    print("\n== peak memory by article length (each render in a fresh process) ==")
    paragraphs = [line for line in SAMPLE.read_text().splitlines() if len(line.split()) > 25]
    baseline = None
    for words in sizes:
        article = work / f"long-{words}.txt"
        body, count, number = [], 0, 0
        while count < words:
            paragraph = f"Part {number}. {paragraphs[number % len(paragraphs)]}"
            body.append(paragraph)
            count += len(paragraph.split())
            number += 1
        article.write_text("A Long Read\n\nBy Bench Mark\n\n" + "\n\n".join(body) + "\n")
        code = (
            "import resource, sys, time\n"
            "from pathlib import Path\n"
            "from audiobook.api import Options, render\n"
            "started = time.perf_counter()\n"
            f"episode = render({str(article)!r}, Path({str(work / 'long.mp3')!r}), Options(cache_dir=Path({str(work / f'cache-{words}')!r})))\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
            " episode.duration, time.perf_counter() - started)\n"
        )
        result = _fresh_process(code)
        if result is None:
            continue
        own, workers, duration, seconds = result
        own_mb, worker_mb = int(own) / 1024, int(workers) / 1024
        baseline = baseline or own_mb
        print(f"(d) {words:>7,} words: {float(duration) / 3600:5.2f} h of audio in {float(seconds):6.1f} s; "
              f"peak RSS {own_mb:6.0f} MB (x{own_mb / baseline:4.2f} of 1k), largest worker {worker_mb:5.0f} MB")


def big_page(work: Path) -> None:
    """A 10 MB HTML page: time and peak memory to understand it (issue: bounded time and memory)."""
    print("\n== a 10 MB HTML page (understood in a fresh process) ==")
    code = (
        "import random, resource, time\n"
        "from pathlib import Path\n"
        "from audiobook.api import prepare\n"
        "words = 'harbour council budget ferry bridge residents vote motion quay fisherman subsidy winter'.split()\n"
        "rng = random.Random(7)\n"
        "body = ''.join(f\"<p>{' '.join(rng.choice(words) for _ in range(120))} number {i}.</p>\\n\" for i in range(12000))\n"
        "html = Path('tests/fixtures/cms-wordpress.html').read_text().replace('<div class=\"entry-content\">', '<div class=\"entry-content\">' + body)\n"
        f"page = Path({str(work / 'big.html')!r}); page.write_text(html)\n"
        "started = time.perf_counter(); prepared = prepare(str(page))\n"
        "print(page.stat().st_size, time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(prepared.script.segments))\n"
    )
    result = _fresh_process(code)
    if result is None:
        return
    size, seconds, peak, segments = result
    print(f"{int(size) / 1e6:.1f} MB page: {float(seconds):.1f} s, peak RSS {int(peak) / 1024:.0f} MB, {segments} segments")


def voices(work: Path) -> None:
    print("\n== voices on the rendered sample (from the MP3, using the VTT cue times) ==")
    episode = render(str(SAMPLE), work / "voices.mp3", Options(cache_dir=work / "cache"))
    prepared = prepare(str(SAMPLE))
    cast = prepared.cast
    voice_of = {"Narrator": cast.narrator, "Describer": cast.describer}
    voice_of.update({prepared.script.speaker(sid).name: voice for sid, voice in cast.speakers.items()})
    signal, rate = decode(episode.mp3)
    cues = parse_vtt(episode.vtt.read_text())
    narrator_lufs = None
    print(f"{'speaker':<28} {'voice':<18} {'engine voice':<22} {'F0 Hz':>6} {'wpm':>5} {'LUFS':>6}")
    for name, voice in voice_of.items():
        own = [cue for cue in cues if cue.speaker == name]
        audio = np.concatenate([signal[int(cue.start * rate):int(cue.end * rate)] for cue in own])
        words = sum(len(cue.text.split()) for cue in own)
        seconds = sum(cue.end - cue.start for cue in own)
        lufs = loudness_lufs(audio, rate)
        narrator_lufs = narrator_lufs if narrator_lufs is not None else lufs
        engine_voice = f"{voice.name}{'+' + voice.variant if voice.variant else ''} p{voice.pitch}"
        print(f"{name[:28]:<28} {voice.id:<18} {engine_voice:<22} {median_f0(audio, rate):6.0f} "
              f"{words / seconds * 60:5.0f} {lufs:6.1f}")
    print(f"episode: {loudness_lufs(signal, rate):.1f} LUFS integrated (goal -16 +/- 1), "
          f"true peak {true_peak_dbtp(signal, rate):.1f} dBTP (goal <= -1)")


def quality() -> None:
    print("\n== understanding: scripts against hand-checked answer keys ==")
    keys = [REPO / "samples" / "karabakh-uncertain-future.gold.json", *sorted((REPO / "tests" / "fixtures").glob("*.gold.json"))]
    totals = np.zeros(5)
    print(f"{'article':<30} {'found':>7} {'speaker':>8} {'precision':>9} {'gender':>7}")
    for key in keys:
        stem = key.name.removesuffix(".gold.json")
        article = next(path for path in key.parent.glob(f"{stem}.*") if not path.name.endswith(".gold.json"))
        prepared = prepare(str(article))
        result = score(script_to_json(prepared.script, prepared.cast), json.loads(key.read_text()))
        totals += [result.found, result.attributed, result.quotes, result.real_quote_segments, result.quote_segments]
        print(f"{stem:<30} {result.recall:7.1%} {result.attribution:8.1%} {result.precision:9.1%} "
              f"{result.genders_right}/{result.genders_known:<5}")
    print(f"{'all':<30} {totals[0] / totals[2]:7.1%} {totals[1] / totals[2]:8.1%} {totals[3] / totals[4]:9.1%}")


def _fresh_process(code: str) -> list[str] | None:
    """Run Python code in a new process (so its peak memory is its own); the words it prints, or None."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    if result.returncode != 0:
        print(f"FAILED: {result.stderr.strip().splitlines()[-1]}")
        return None
    return result.stdout.split()


def _timed(action):
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


if __name__ == "__main__":
    main()
