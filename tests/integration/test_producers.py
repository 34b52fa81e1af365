"""Producers' workflow: edited scripts, corrections that survive re-extraction, batches, the cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from click.testing import CliRunner

from audiobook.speech.cache import ClipCache
from audiobook.cli import main
from audiobook.api import Options, prepare, render
from audiobook.script.scriptfile import script_to_json
from audiobook.quality.measures import parse_vtt

from ..helpers import REPO, SHORT


def _script_json(location: str, **options) -> dict:
    prepared = prepare(location, Options(**options))
    return script_to_json(prepared.script, prepared.cast)


def test_an_edited_script_renders_exactly_as_edited(tmp_path):
    document = _script_json(str(SHORT))
    segments = document["segments"]
    brennan = next(s for s in document["speakers"] if s["name"] == "Tom Brennan")
    fischer_quote = next(s for s in segments if s["text"].startswith("I have never seen"))
    fischer_quote["speaker"] = brennan["id"]                       # fix a speaker
    next(s for s in segments if s["role"] == "subtitle")["spoken"] = False   # skip a segment
    title = next(s for s in segments if s["role"] == "title")
    title["voice"] = "scottish-man"                                # change a voice
    title["speech"] = "Flood defences hold in Riverside, the town"  # respell for the ear
    edited = tmp_path / "ep.json"
    edited.write_text(json.dumps(document, ensure_ascii=False))

    episode = render(str(edited), tmp_path / "episode.mp3", Options(cache_dir=tmp_path / "cache"))
    cues = parse_vtt(episode.vtt.read_text())
    assert next(c for c in cues if c.text.startswith("I have never seen")).speaker == "Tom Brennan"
    assert not any("Residents spent the night" in c.text for c in cues)
    # The transcript keeps the printed title; the ear heard the respelling.
    assert cues[0].text == "Flood Defences Hold in Riverside Town"
    again = _script_json(str(edited))
    assert again["segments"][0]["voice"] == "scottish-man"


def test_a_broken_script_file_is_one_clear_line(tmp_path):
    document = _script_json(str(SHORT))
    document["segments"][0]["voice"] = "no-such-voice"
    broken = tmp_path / "ep.json"
    broken.write_text(json.dumps(document))
    result = CliRunner().invoke(main, ["render", str(broken), "-o", str(tmp_path / "x.mp3")])
    assert result.exit_code == 2
    assert "no voice 'no-such-voice'" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_corrections_beside_the_article_survive_re_extraction(tmp_path):
    article = tmp_path / "story.txt"
    article.write_text(SHORT.read_text())
    (tmp_path / "story.audiobook.toml").write_text(textwrap.dedent("""\
        [rename]
        "Tom Brennan" = "Thomas Brennan"

        [voices]
        "Anna Fischer" = "english-woman"

        [pronounce]
        Riverside = "River side"

        [[quote]]
        words = "I have never seen the town"
        speaker = "Thomas Brennan"

        [[skip]]
        words = "The river peaked just below"
        """))
    for version in (SHORT.read_text(), SHORT.read_text().replace("three in the morning", "four in the morning")):
        article.write_text(version)
        document = _script_json(str(article))
        names = {s["id"]: s["name"] for s in document["speakers"]}
        quotes = {s["text"][:20]: names[s["speaker"]] for s in document["segments"] if s["role"] == "quote"}
        assert quotes["I have never seen th"] == "Thomas Brennan"
        assert quotes["This is the day we b"] == "Thomas Brennan"
        assert next(s for s in document["speakers"] if s["name"] == "Anna Fischer")["voice"] == "english-woman"
        skipped = next(s for s in document["segments"] if s["text"].startswith("The river peaked"))
        assert skipped["spoken"] is False


def test_renaming_two_speakers_to_one_merges_them(tmp_path):
    overrides = tmp_path / "fix.toml"
    overrides.write_text('[rename]\n"Anna Fischer" = "Tom Brennan"\n')
    document = _script_json(str(SHORT), overrides_path=overrides)
    assert [s["name"] for s in document["speakers"]] == ["Tom Brennan"]
    assert len({s["speaker"] for s in document["segments"] if s["role"] == "quote"}) == 1


def test_a_batch_goes_on_past_a_bad_article_and_says_so(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    result = CliRunner().invoke(main, [
        "render", str(SHORT), str(bad), str(REPO / "tests" / "fixtures" / "wire-straight-quotes.txt"),
        "--output-dir", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache"),
    ])
    assert result.exit_code == 2
    assert f"audiobook: {bad}: the file is empty" in result.stderr
    printed = result.stdout.strip().splitlines()
    assert [os.path.basename(line) for line in printed] == [
        "flood-defences-hold-in-riverside-town.mp3", "wildfire-forces-evacuation-of-manitoba-town.mp3",
    ]
    assert all(os.path.exists(line) for line in printed)


def test_two_renders_at_once_share_the_cache_safely(tmp_path):
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "audiobook.cli", "render", str(SHORT), "--cache-dir", str(cache), "-q"]
    processes = [
        subprocess.Popen([*command, "-o", str(tmp_path / f"run{index}.mp3")], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for index in range(2)
    ]
    for process in processes:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors
    assert not list(cache.glob("*/*.part"))
    again = render(str(SHORT), tmp_path / "again.mp3", Options(cache_dir=cache))
    assert again.synthesized == 0


def test_the_cache_is_bounded_and_drops_the_least_recently_used(tmp_path):
    cache = ClipCache(tmp_path / "cache", limit_bytes=3_000)
    paths = [cache.put(f"{index:064x}", bytes(1000), 22050) for index in range(5)]
    for age, path in enumerate(paths):
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    cache.get(f"{0:064x}")  # used just now: kept
    assert cache.prune() == 3
    assert [path.exists() for path in paths] == [True, False, False, False, True]
