"""Benchmark: every figure is a ratio against a plain baseline measured in the same run.

    make bench            (or: .venv/bin/python bench/run.py [--skip-long])

Floor: the espeak-ng command line speaking the same text into one WAV, then the same MP3
encoder at the same settings, each a process. Renders are timed as whole `audiobook` processes
(what a user waits for), median of several runs, beside the library API timed in-process.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from audiobook.speech.analysis import loudness_lufs, median_f0, true_peak_dbtp  # noqa: E402
from audiobook.audio.encode import DEFAULT_BITRATE, LAME_QUALITY  # noqa: E402
from audiobook.quality.evaluation import score  # noqa: E402
from audiobook.api import Options, prepare, render  # noqa: E402
from audiobook.script.scriptfile import script_to_json  # noqa: E402
from audiobook.speech.ear import for_the_ear  # noqa: E402
from audiobook.quality.measures import decode, parse_vtt  # noqa: E402
from audiobook.speech.cache import STORE_NAME  # noqa: E402
from audiobook.script.attribution.analyst import DEFAULT_IDLE, IDLE_VARIABLE  # noqa: E402

SAMPLE = REPO / "samples" / "karabakh-uncertain-future.txt"
AUDIOBOOK = str(Path(sys.executable).with_name("audiobook"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-long", action="store_true", help="skip the 100,000-word memory run")
    parser.add_argument("--speed-only", action="store_true", help="only the speed figures (about a minute)")
    arguments = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="audiobook-bench-"))
    # No analyst outlives a figure unless the figure asks for one (_analyst_folder).
    os.environ[IDLE_VARIABLE] = "0"
    try:
        speed(work)
        if arguments.speed_only:
            return
        memory(work, [1_000, 10_000] if arguments.skip_long else [1_000, 10_000, 100_000])
        big_page(work)
        voices(work)
        quality()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def speed(work: Path) -> None:
    """Whole processes, as a user runs them (median of several runs), beside the same renders timed in-process."""
    print("== speed (sample article): whole processes, median of several runs ==")
    edited_articles = []
    for run, words in enumerate(["three decades", "four decades", "five decades", "six decades"]):
        # A new text each time: a warm analyst remembers paragraphs it has read.
        edited_articles.append(work / f"edited{run}.txt")
        edited_articles[-1].write_text(SAMPLE.read_text().replace(
            "The fear of revenge is strong after decades of conflict and mistrust.",
            f"The fear of revenge is strong after {words} of conflict, loss and mistrust.",
        ))
    edited_article = edited_articles[-1]
    version = statistics.median([_run([AUDIOBOOK, "--version"]) for _ in range(5)])
    floor = statistics.median([_floor(work) for _ in range(3)])
    colds = []
    for run in range(3):
        # Each a user's first render of the day: no warm analyst (see below) until this one starts it.
        shutil.rmtree(work / "cache", ignore_errors=True)
        with _analyst_folder(work / f"c{run}") as environment:
            colds.append(_render_process(SAMPLE, work / "cache", work / f"cold{run}.mp3", environment))
    cold = statistics.median(colds)
    sounds_only = []
    for run in range(3):
        # The same cold render of sound with the article understood before: what the analysis adds to (a).
        for entry in (work / "cache" / STORE_NAME).glob("??/*"):
            entry.unlink()
        sounds_only.append(_render_process(SAMPLE, work / "cache", work / f"sound{run}.mp3"))
    sound = statistics.median(sounds_only)
    warm = statistics.median([_render_process(SAMPLE, work / "cache", work / "warm.mp3") for _ in range(5)])
    edits, edits_afresh = [], []
    with _analyst_folder(work / "w") as environment:
        # A producer's loop: the first render started the analyst, which stays warm between edits.
        _render_process(SAMPLE, work / "warming-cache", work / "warming.mp3", environment)
        for run in range(3):
            # Each edit starts from the cache of the unchanged article, so its paragraph is new every time.
            shutil.rmtree(work / "edit-cache", ignore_errors=True)
            shutil.copytree(work / "cache", work / "edit-cache")
            edits.append(_render_process(edited_articles[run], work / "edit-cache", work / "edited-episode.mp3", environment))
    for run in range(3):
        # After the analyst's idle time: the edit starts it again, loading the model.
        shutil.rmtree(work / "edit-cache", ignore_errors=True)
        shutil.copytree(work / "cache", work / "edit-cache")
        with _analyst_folder(work / f"e{run}") as environment:
            edits_afresh.append(_render_process(edited_article, work / "edit-cache", work / "edited-episode.mp3", environment))
    edited, edited_afresh = statistics.median(edits), statistics.median(edits_afresh)

    print("   in-process (library API, imports warm; not what a user waits for):")
    cache = work / "inprocess-cache"
    in_cold, episode = _timed(lambda: render(str(SAMPLE), work / "in-cold.mp3", Options(cache_dir=cache)))
    in_warm, again = _timed(lambda: render(str(SAMPLE), work / "in-warm.mp3", Options(cache_dir=cache)))
    in_edited, after_edit = _timed(lambda: render(str(edited_article), work / "in-edited.mp3", Options(cache_dir=cache)))
    print(f"{'':38} {'process':>8} {'in-process':>11}")
    print(f"{'audiobook --version':38} {version:7.2f}s {'':>11}  (goal <= 0.30 s)")
    print(f"{'floor (espeak-ng CLI + LAME)':38} {floor:7.2f}s")
    print(f"{'cold render':38} {cold:7.2f}s {in_cold:10.2f}s  ({episode.synthesized} clips, "
          f"{episode.duration / 60:.1f} min of audio)")
    print(f"{'cold render, article analysed before':38} {sound:7.2f}s {'':>11}  (the analysis adds {cold - sound:.2f} s)")
    print(f"{'re-render, no change':38} {warm:7.2f}s {in_warm:10.2f}s  ({again.synthesized} clips synthesized)")
    print(f"{'re-render, one paragraph edited':38} {edited:7.2f}s {in_edited:10.2f}s  "
          f"({after_edit.synthesized} clips synthesized; the analyst warm from a render before)")
    print(f"{'  the same, the analyst started afresh':38} {edited_afresh:7.2f}s {'':>11}  (after its idle time, "
          f"{DEFAULT_IDLE:.0f} s by default)")
    print(f"(a) cold render / floor        = {cold / floor:5.2f}  in-process {in_cold / floor:5.2f}  (goal <= 1.00)")
    print(f"    without the analysis        = {sound / floor:5.2f}  (goal <= 1.00; the analysis may add 0.5 s)")
    print(f"(b) unchanged re-render / cold = {warm / cold:5.3f}  in-process {in_warm / in_cold:5.3f}  (goal <= 0.10)")
    print(f"(c) one-edit re-render / cold  = {edited / cold:5.3f}  in-process {in_edited / in_cold:5.3f}  (goal <= 0.20)")
    print(f"    the analyst started afresh  = {edited_afresh / cold:5.3f}")


def _render_process(article: Path, cache: Path, output: Path, environment: dict[str, str] | None = None) -> float:
    return _run([AUDIOBOOK, "render", str(article), "-o", str(output), "--cache-dir", str(cache), "-q"], environment)


@contextlib.contextmanager
def _analyst_folder(folder: Path) -> Iterator[dict[str, str]]:
    """An environment whose warm analyst lives in ``folder`` (none there yet), stopped afterwards."""
    folder.mkdir()
    try:
        yield {**os.environ, "TMPDIR": str(folder), IDLE_VARIABLE: str(DEFAULT_IDLE)}
    finally:
        subprocess.run(["pkill", "-f", "--", f"--serve {folder}/"], check=False)


def _floor(work: Path) -> float:
    """espeak-ng over the text the engine would hear, into one WAV, then LAME at our settings: two processes."""
    prepared = prepare(str(SAMPLE))
    text = "\n\n".join(
        for_the_ear(segment.spoken_text, prepared.lexicon) for segment in prepared.script.segments if segment.spoken
    )
    text_file, wav = work / "floor.txt", work / "floor.wav"
    text_file.write_text(text)
    speak = _run(["espeak-ng", "-v", "en", "-s", str(prepared.cast.narrator.rate), "-f", str(text_file), "-w", str(wav)])
    encode = _run([sys.executable, "-c", (
        "import sys, wave, lameenc\n"
        "source = wave.open(sys.argv[1])\n"
        "encoder = lameenc.Encoder()\n"
        f"encoder.set_bit_rate({DEFAULT_BITRATE}); encoder.set_in_sample_rate(source.getframerate())\n"
        f"encoder.set_channels(1); encoder.set_quality({LAME_QUALITY})\n"
        "pcm = source.readframes(source.getnframes())\n"
        "open(sys.argv[2], 'wb').write(encoder.encode(pcm) + encoder.flush())\n"
    ), str(wav), str(work / "floor.mp3")])
    return speak + encode


def _run(command: list[str], environment: dict[str, str] | None = None) -> float:
    """Wall-clock seconds of one whole process."""
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=environment)
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
