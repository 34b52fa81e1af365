"""A cold render synthesizes the narration while the language model reads the article, and encodes
chunks on every core: the episode is the same as one made without either. A re-render of an
unchanged article loads none of the code that understands articles."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from audiobook import api
from audiobook.api import Options, prepare, render, start_narration
from audiobook.audio.mix import plan_chunks
from audiobook.speech.cache import STORE_NAME, ClipCache
from audiobook.speech.synth import Workers, plan_clips
from audiobook.quality.measures import decode
from audiobook.script.attribution import analyst
from audiobook.script.attribution.syntax import Analysis
from ..helpers import REPO, SHORT


@pytest.fixture(autouse=True)
def analyst_still_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    """The draft is what these tests are about: the analyst is taken to be loading the model still, as on a
    first render, although one warm from an earlier test may have answered already (a zero wait raced it)."""
    real = analyst.analyse_aside

    def aside(texts: list[str], cache_folder: Path | None) -> analyst.PendingAnalysis:
        pending = real(texts, cache_folder)

        def answer(timeout: float | None = None) -> Analysis:
            if timeout is not None:
                raise TimeoutError
            return pending()

        return answer

    monkeypatch.setattr(analyst, "analyse_aside", aside)


def test_an_unanalysed_article_hands_a_draft_whose_narration_is_final(tmp_path: Path):
    options = Options(cache_dir=tmp_path / "cache")
    drafts = []
    prepared = prepare(str(SHORT), options, head_start=drafts.append)
    assert len(drafts) == 1
    unspoken_by_anyone = [(s.role, s.text) for s in prepared.script.segments if s.role != "quote"]
    assert [(s.role, s.text) for s in drafts[0].script.segments if s.role != "quote"] == unspoken_by_anyone
    assert any(s.speaker for s in prepared.script.segments)  # the final script does know who speaks
    # Analysed once, the article needs no draft again.
    prepare(str(SHORT), options, head_start=drafts.append)
    assert len(drafts) == 1


def test_a_clip_asked_for_twice_is_made_once(tmp_path: Path, fake_cast: Path):
    prepared = prepare(str(SHORT), Options(cast_path=fake_cast, cache_dir=tmp_path / "cache"))
    cache = ClipCache(tmp_path / "cache").open()
    job = next(iter(plan_clips(prepared.script, prepared.cast, cache, prepared.lexicon).values()))
    with Workers(2) as workers:
        first = workers.make(job, cache, 1)
        assert workers.make(job, cache, 1) is first
        first.result()
        assert workers.make(job, cache, 1) is first  # made already: not made again for a late asker
    assert len(list((tmp_path / "cache" / STORE_NAME).glob(f"{job.key[:2]}/{job.key}.*.wav"))) == 1


def test_the_head_start_encodes_the_chunks_of_narration_alone(tmp_path: Path, fake_cast: Path):
    options = Options(cast_path=fake_cast, cache_dir=tmp_path / "cache")
    drafts = []
    with Workers(2) as workers:
        prepare(str(SHORT), options, head_start=lambda draft: (drafts.append(draft), start_narration(draft, options, workers)))
        cache = ClipCache(options.cache_dir).open()
        jobs = plan_clips(drafts[0].script, drafts[0].cast, cache, drafts[0].lexicon)
        quoted, begun = [], []
        for chunk in plan_chunks(drafts[0].script):
            key = api._chunk_key(chunk, jobs, options.bitrate)
            work = workers.claim(key)
            (quoted if any(jobs[index].quote for index in chunk.segments) else begun).append((key, work))
        assert quoted and begun
        assert all(work is None for _, work in quoted)  # who speaks them is not known yet
        assert all(work.result() == cache.get_chunk(key) for key, work in begun)
        assert all(workers.claim(key) is None for key, _ in begun)  # handed over once


def test_no_chunk_is_encoded_twice_when_the_render_takes_up_the_head_start(
    tmp_path: Path, fake_cast: Path, monkeypatch,
):
    encoded = []
    encode = api._encode_new_chunk
    monkeypatch.setattr(api, "_encode_new_chunk", lambda chunk, *rest: (encoded.append(chunk), encode(chunk, *rest))[1])
    options = Options(cast_path=fake_cast, cache_dir=tmp_path / "cache")
    render(str(SHORT), tmp_path / "episode.mp3", options)
    chunks = plan_chunks(prepare(str(SHORT), options).script)
    assert sorted(chunk.segments for chunk in encoded) == sorted(chunk.segments for chunk in chunks)


def test_the_episode_is_the_same_with_and_without_the_head_start(tmp_path: Path):
    """Whole processes: a cold render (head start) against one whose analysis was cached (none)."""
    cache = tmp_path / "cache"

    def render_process(name: str) -> Path:
        output = tmp_path / f"{name}.mp3"
        subprocess.run([sys.executable, "-m", "audiobook.cli", "render", str(SHORT), "-o", str(output),
                        "--cache-dir", str(cache), "-q"], check=True, capture_output=True)
        return output

    cold = render_process("cold")
    for entry in (cache / STORE_NAME).glob("??/*"):
        entry.unlink()  # every clip and chunk goes; the article's analysis stays
    assert list((cache / STORE_NAME / "analysis").iterdir())
    again = render_process("again")
    assert json.loads(cold.with_suffix(".json").read_text()) == json.loads(again.with_suffix(".json").read_text())
    assert cold.with_suffix(".chapters.json").read_text() == again.with_suffix(".chapters.json").read_text()
    assert len(decode(cold)[0]) == len(decode(again)[0])


def test_chunks_encoded_on_several_threads_come_out_in_order_as_on_one(tmp_path: Path):
    calls: list[tuple[int, int]] = []
    many = render(str(SHORT), tmp_path / "many.mp3", Options(cache_dir=tmp_path / "cache", jobs=3),
                  progress=lambda done, total: calls.append((done, total)))
    for entry in (tmp_path / "cache" / STORE_NAME).glob("??/*.mp3"):
        entry.unlink()  # the clips stay; every chunk is encoded again, on one thread
    one = render(str(SHORT), tmp_path / "one.mp3", Options(cache_dir=tmp_path / "cache", jobs=1))
    assert one.synthesized == 0
    assert np.array_equal(decode(many.mp3)[0], decode(one.mp3)[0])
    assert many.mix.chapters == one.mix.chapters
    assert calls == [(done, calls[0][1]) for done in range(1, calls[0][1] + 1)] and calls[0][1] > 2


def test_spacy_loads_without_pytorch_while_other_threads_look_for_it():
    """Array libraries in other threads ask sys.modules for PyTorch; they must find nothing, never a None."""
    code = (
        "import sys, threading\n"
        "from audiobook.script.attribution.syntax import _import_spacy\n"
        "seen, stop = set(), threading.Event()\n"
        "def watch():\n"
        "    while not stop.is_set():\n"
        "        seen.add(str(sys.modules.get('torch', 'absent')))\n"
        "watcher = threading.Thread(target=watch); watcher.start()\n"
        "_import_spacy(); stop.set(); watcher.join()\n"
        "print(sorted(seen), 'torch' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["['absent']", "False"]


def test_spacy_loads_without_its_command_line_which_stays_within_reach():
    code = (
        "import sys\n"
        "from audiobook.script.attribution.syntax import _import_spacy\n"
        "spacy = _import_spacy()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('spacy.cli', 'weasel', 'typer', 'httpx'))))\n"
        "print(spacy.info(silent=True)['spacy_version'] == spacy.__version__, 'spacy.cli' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split("\n")[:2] == ["[]", "True True"]


def test_the_analyst_answers_without_importing_the_attribution_rules():
    # Its process is what a render waits for; the rules (attributor, cues, lexicon) are the render's own work.
    request = json.dumps({"number": 1, "texts": ["Prime Minister John Howard spoke."], "cache": None})
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "audiobook.script.attribution.analyst"],
                            input=request + "\n", capture_output=True, text=True, check=True)
    assert json.loads(result.stdout)["people"] == ["John Howard"]
    assert "| audiobook.script.attribution.syntax" in result.stderr
    assert "audiobook.script.attribution.attributor" not in result.stderr


def test_a_re_render_of_an_unchanged_article_loads_no_understanding_code(tmp_path: Path):
    command = [sys.executable, "-X", "importtime", "-m", "audiobook.cli", "render", str(SHORT),
               "-o", str(tmp_path / "episode.mp3"), "--cache-dir", str(tmp_path / "cache"), "-q"]
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
    first = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=environment, check=True)
    again = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=environment, check=True)
    for module in ("audiobook.extract", "audiobook.script.attribution", "audiobook.script.build"):
        assert f"| {module}" in first.stderr
        assert f"| {module}" not in again.stderr
