"""The producer's edit loop: an edited script does what the producer meant, bad script and correction
files are one line naming the problem, `script` shows what the engine hears, `say` plays one segment."""

from __future__ import annotations

import copy
import json
import os
import stat
import textwrap
import wave

import pytest
from click.testing import CliRunner

from audiobook.api import Options, Prepared, prepare, render, render_prepared
from audiobook.cli import main
from audiobook.errors import InputError
from audiobook.script.scriptfile import script_to_json
from audiobook.speech.cache import ClipCache
from audiobook.speech.synth import plan_clips
from audiobook.quality.measures import parse_vtt

from ..helpers import SAMPLE, SHORT


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def _document(location: str = str(SHORT), **options) -> dict:
    prepared = prepare(location, Options(**options))
    return script_to_json(prepared.script, prepared.cast, prepared.lexicon)


def _write(tmp_path, document, name: str = "ep.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False))
    return path


def _voices(path) -> list[str]:
    prepared = prepare(str(path))
    return [prepared.cast.voice_for(segment).id for segment in prepared.script.segments]


def _speaker(document: dict, name: str) -> dict:
    return next(speaker for speaker in document["speakers"] if speaker["name"] == name)


# Voices follow the producer's intent

def test_changing_a_segments_speaker_changes_its_voice(tmp_path):
    document = _document()
    brennan = _speaker(document, "Tom Brennan")
    moved = next(i for i, s in enumerate(document["segments"]) if s["text"].startswith("I have never seen"))
    assert document["segments"][moved]["voice"] != brennan["voice"]
    document["segments"][moved]["speaker"] = brennan["id"]
    assert _voices(_write(tmp_path, document))[moved] == brennan["voice"]


def test_changing_a_speakers_voice_recasts_all_their_segments(tmp_path):
    document = _document()
    fischer = _speaker(document, "Anna Fischer")
    fischer["voice"] = "scottish-woman"
    voices = _voices(_write(tmp_path, document))
    theirs = [i for i, s in enumerate(document["segments"]) if s["speaker"] == fischer["id"] and s["role"] == "quote"]
    assert len(theirs) >= 2 and all(voices[i] == "scottish-woman" for i in theirs)


def test_a_segment_that_pins_its_own_voice_keeps_it(tmp_path):
    document = _document()
    fischer, brennan = _speaker(document, "Anna Fischer"), _speaker(document, "Tom Brennan")
    pinned = next(i for i, s in enumerate(document["segments"]) if s["speaker"] == fischer["id"])
    document["segments"][pinned]["voice"] = "scottish-man"
    document["segments"][pinned]["speaker"] = brennan["id"]
    fischer["voice"] = "scottish-woman"
    edited = _write(tmp_path, document)
    assert _voices(edited)[pinned] == "scottish-man"
    # The pin survives a round trip through the JSON.
    again = _document(str(edited))
    assert again["segments"][pinned]["voice"] == "scottish-man" != again["segments"][pinned]["cast_voice"]


def test_the_rendered_voice_follows_a_changed_speaker(tmp_path):
    """With the real engine: the issue's edit gave a byte-identical MP3."""
    document = _document()
    options = Options(cache_dir=tmp_path / "cache")
    before = render(str(_write(tmp_path, document, "before.json")), tmp_path / "before-episode.mp3", options)
    quote = next(s for s in document["segments"] if s["text"].startswith("I have never seen"))
    quote["speaker"] = _speaker(document, "Tom Brennan")["id"]
    after = render(str(_write(tmp_path, document, "after.json")), tmp_path / "after-episode.mp3", options)
    assert after.synthesized == 1  # that quote alone, in another voice
    assert before.mp3.read_bytes() != after.mp3.read_bytes()
    cue = next(c for c in parse_vtt(after.vtt.read_text()) if c.text.startswith("I have never seen"))
    assert cue.speaker == "Tom Brennan"


# A script file is validated, and every problem is one line naming the field

def _broken(document: dict, change) -> object:
    document = copy.deepcopy(document)
    change(document)
    return document


def _set(path: tuple, value):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _delete(path: tuple):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return change


BROKEN_SCRIPTS = {
    "spoken is not true or false": (_set(("segments", 1, "spoken"), "no"), "segment 1: 'spoken' must be true or false"),
    "empty speech": (_set(("segments", 0, "speech"), ""), "segment 0: 'speech' must be non-empty text or null"),
    "bad date": (_set(("date",), "2024-13-45"), "'date' must be a date as YYYY-MM-DD"),
    "segment missing text": (_delete(("segments", 4, "text")), "segment 4: 'text' is missing"),
    "speaker without voice": (_delete(("speakers", 0, "voice")), "speaker 0: 'voice' is missing"),
    "title a number": (_set(("title",), 12345), "'title' must be non-empty text, not 12345"),
    "aliases a string": (_set(("speakers", 0, "aliases"), "abc"), "speaker 0: 'aliases' must be a list"),
    "unknown speaker id": (_set(("segments", 5, "speaker"), "nobody"), "segment 5: 'speaker' 'nobody' is not"),
    "unknown role": (_set(("segments", 2, "role"), "song"), "segment 2: 'role' must be one of"),
    "nothing spoken": (
        lambda d: [s.update(spoken=False) for s in d["segments"]], "no segment of the script is spoken"),
}


@pytest.mark.parametrize("change, message", BROKEN_SCRIPTS.values(), ids=BROKEN_SCRIPTS.keys())
def test_a_broken_script_is_one_line_naming_the_segment_and_field(tmp_path, change, message):
    edited = _write(tmp_path, _broken(_document(), change))
    _refused(tmp_path, edited, message)


@pytest.mark.parametrize("text, message", [
    ("[1, 2, 3]", "the script must be a JSON object, not a list"),
    ('{"title": "A title", "speakers": []}', "'segments' is missing"),
    ('{"title": "\\ud800 lone", "speakers": [], "segments": [{"role": "title", "text": "x"}]}',
     "'title' holds a character that is not text"),
    ("[" * 5000 + "]" * 5000, "nested too deeply"),
    ('{"title": "x", "segments": [', "not valid JSON"),
    ('{"title": "x", "paragraph": ' + "9" * 5000 + "}", "not a script: exceeds the limit (4300 digits)"),
], ids=["array", "no segments", "lone surrogate", "5000 deep", "truncated", "5000-digit number"])
def test_json_that_is_no_script_is_one_line(tmp_path, text, message):
    edited = tmp_path / "ep.json"
    edited.write_text(text)
    _refused(tmp_path, edited, message)


def _refused(tmp_path, edited, message: str) -> None:
    out = tmp_path / "out.mp3"
    result = run("render", str(edited), "-o", str(out))
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"audiobook: {edited}: ") and message in result.stderr, result.stderr
    assert not out.exists()


# Corrections beside the article

def _article(tmp_path, corrections: str, corrections_name: str = "story.audiobook.toml"):
    article = tmp_path / "story.txt"
    article.write_text(SHORT.read_text())
    (tmp_path / corrections_name).write_text(textwrap.dedent(corrections))
    return article


def test_corrections_named_after_the_whole_file_name_are_used(tmp_path):
    article = _article(tmp_path, '[[skip]]\nwords = "The river peaked"\n', "story.txt.audiobook.toml")
    skipped = next(s for s in _document(str(article))["segments"] if s["text"].startswith("The river peaked"))
    assert skipped["spoken"] is False
    (tmp_path / "story.audiobook.toml").write_text("")
    result = run("script", str(article))
    assert result.exit_code == 2 and "both hold corrections" in result.stderr


@pytest.mark.parametrize("corrections, message", [
    ('[[skip]]\nwords = ""\n', "[[skip]] number 1: words must be non-empty text"),
    ('[[skip]]\nwords = "…"\n', "hold no word to look for"),
    ('[[quote]]\nwords = ""\nspeaker = "Tom Brennan"\n', "[[quote]] number 1: words must be non-empty text"),
    ('[[quote]]\nwords = 5\nspeaker = "Tom Brennan"\n', "words must be non-empty text in quotes, not 5"),
    ('[[quote]]\nwords = "I have never"\n', "speaker must be non-empty text"),
    ('[rename]\n"Tom Brennan" = 5\n', "[rename] 'Tom Brennan' = 5"),
    ("skip = 5\n", "skip must be written [[skip]]"),
])
def test_corrections_that_would_match_everything_or_nothing_are_one_line(tmp_path, corrections, message):
    article = _article(tmp_path, corrections)
    result = run("render", str(article), "-o", str(tmp_path / "out.mp3"))
    assert result.exit_code == 2, result.output
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr, result.stderr
    assert not (tmp_path / "out.mp3").exists()


@pytest.mark.parametrize("content, message", [
    ("x = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
    ("a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n", "nested too deeply"),
    ("[rename]\nx = " + "9" * 5000 + "\n", "exceeds the limit (4300 digits)"),
    ("[rename]\nx = " + "9" * 4000 + "\n", "[rename] 'x' = 99999"),
    (None, "cannot read the overrides file (Is a directory)"),
], ids=["deep array", "deep tables", "5000-digit number", "4000-digit number", "a folder"])
def test_a_correction_file_that_cannot_be_read_is_one_line(tmp_path, content, message):
    corrections = tmp_path / "fix.toml"
    if content is None:
        corrections.mkdir()
    else:
        corrections.write_text(content)
    result = run("script", str(SHORT), "--overrides", str(corrections))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"audiobook: {corrections}: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_quote_given_to_an_unknown_speaker_is_warned_about(tmp_path):
    article = _article(tmp_path, '[[quote]]\nwords = "I have never seen"\nspeaker = "Tom Brenan"\n')
    result = run("script", str(article))
    assert result.exit_code == 0
    assert "'Tom Brenan' is not among the article's speakers" in result.stderr
    assert "did you mean 'Tom Brennan'?" in result.stderr


def test_one_summary_line_says_which_corrections_applied(tmp_path):
    article = _article(tmp_path, """\
        [rename]
        "Tom Brennan" = "Thomas Brennan"
        "Nobody Here" = "Somebody"

        [pronounce]
        Riverside = "River side"
        Khankendi = "Khan-ken-dee"

        [[skip]]
        words = "The river peaked"
        """)
    result = run("render", str(article), "-o", str(tmp_path / "out.mp3"), "--cache-dir", str(tmp_path / "cache"))
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "corrections applied" in line]
    assert notes == [
        f"audiobook: note: {tmp_path / 'story.audiobook.toml'}: 3 of 5 corrections applied; "
        "matched nothing: [rename] 'Nobody Here', [pronounce] 'Khankendi'"
    ]


def test_a_render_with_nothing_to_hear_is_refused(tmp_path):
    prepared = prepare(str(SHORT))
    silent = prepared.script.__class__(**{
        **prepared.script.__dict__,
        "segments": tuple(s.__class__(**{**s.__dict__, "spoken": False}) for s in prepared.script.segments),
    })
    with pytest.raises(InputError, match="nothing to hear"):
        render_prepared(Prepared(silent, prepared.cast, prepared.lexicon, "short"), tmp_path / "x.mp3")
    assert not list(tmp_path.iterdir())


# `script` previews what render will do

def test_script_shows_what_the_engine_will_hear(tmp_path):
    lexicon = tmp_path / "lexicon.toml"
    lexicon.write_text('[words]\nStepanakert = "Step-an-a-kert"\n')
    result = run("script", str(SAMPLE), "--json", "--lexicon", str(lexicon))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    prepared = prepare(str(SAMPLE), Options(lexicon_path=lexicon))
    jobs = plan_clips(prepared.script, prepared.cast, ClipCache(tmp_path / "cache"), prepared.lexicon)
    for index, job in jobs.items():
        segment = document["segments"][index]
        assert (segment["speech"] or segment["text"]) == job.text
    respelt = [s for s in document["segments"] if s["speech"] and "Step-an-a-kert" in s["speech"]]
    assert respelt and all("Stepanakert" in s["text"] for s in respelt)
    # Rendering the saved script, the engine hears the same words again (nothing respelt twice).
    saved = prepare(str(_write(tmp_path, document)), Options(lexicon_path=lexicon))
    again = plan_clips(saved.script, saved.cast, ClipCache(tmp_path / "cache"), saved.lexicon)
    assert {i: job.key for i, job in again.items()} == {i: job.key for i, job in jobs.items()}


def test_a_script_saved_before_cast_voice_existed_still_follows_speakers(tmp_path):
    document = _document()
    for segment in document["segments"]:
        del segment["cast_voice"]
    brennan = _speaker(document, "Tom Brennan")
    moved = next(i for i, s in enumerate(document["segments"]) if s["text"].startswith("I have never seen"))
    document["segments"][moved]["speaker"] = brennan["id"]
    document["segments"][0]["voice"] = "scottish-man"
    voices = _voices(_write(tmp_path, document))
    assert voices[moved] == brennan["voice"] and voices[0] == "scottish-man"


def test_script_takes_renders_options_and_several_articles(tmp_path):
    overrides = tmp_path / "fix.toml"
    overrides.write_text('[rename]\n"Tom Brennan" = "Thomas Brennan"\n')
    result = run("script", str(SHORT), str(SAMPLE), "--json", "--overrides", str(overrides), "--rate", "200")
    assert result.exit_code == 0, result.stderr
    first, second = json.loads(result.stdout)
    assert "Thomas Brennan" in {s["name"] for s in first["speakers"]}
    assert second["title"] == "Nagorny Karabakh’s Uncertain Future"


def test_script_goes_on_past_a_bad_article(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = run("script", str(empty), str(SHORT))
    assert result.exit_code == 2
    assert "the file is empty" in result.stderr and "Flood Defences Hold in Riverside Town" in result.stdout


# `say` plays one segment alone

def test_say_writes_one_segment_as_the_render_voices_it(tmp_path):
    document = _document()
    number = next(i for i, s in enumerate(document["segments"]) if s["text"].startswith("I have never seen"))
    edited = _write(tmp_path, document)
    clip = tmp_path / "clip.wav"
    result = run("say", str(edited), str(number), "-o", str(clip), "--cache-dir", str(tmp_path / "cache"))
    assert result.exit_code == 0, result.output
    with wave.open(str(clip)) as audio:
        seconds = audio.getnframes() / audio.getframerate()
    assert 1.5 < seconds < 8  # one sentence of speech, not the episode
    # Exactly the clip a render of this script uses for that segment.
    episode = render(str(edited), tmp_path / "episode.mp3", Options(cache_dir=tmp_path / "cache"))
    assert episode.synthesized == len([s for s in document["segments"] if s["spoken"]]) - 1


def test_say_plays_with_the_systems_player(tmp_path, monkeypatch):
    player_dir = tmp_path / "bin"
    player_dir.mkdir()
    player = player_dir / "aplay"
    player.write_text(f"#!/bin/sh\ncp \"$1\" {tmp_path / 'played.wav'}\n")
    player.chmod(player.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{player_dir}{os.pathsep}{os.environ['PATH']}")
    result = run("say", str(SHORT), "0", "--cache-dir", str(tmp_path / "cache"))
    assert result.exit_code == 0, result.output
    with wave.open(str(tmp_path / "played.wav")) as audio:
        assert audio.getnframes() > audio.getframerate()  # the title, over a second of speech


def test_say_without_a_player_says_how_to_keep_the_clip(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    result = run("say", str(SHORT), "0", "--cache-dir", str(tmp_path / "cache"))
    assert result.exit_code == 2
    assert result.stderr.startswith("audiobook: no audio player found") and "-o clip.wav" in result.stderr


@pytest.mark.parametrize("number, message", [("99", "there is no segment 99"), ("8", "segment 8 is not spoken")])
def test_say_names_a_segment_it_cannot_say(tmp_path, number, message):
    result = run("say", str(SHORT), number, "-o", str(tmp_path / "clip.wav"))
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "clip.wav").exists()
