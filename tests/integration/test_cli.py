"""The command line, through click's runner and as a real process."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from audiobook import __version__
from audiobook.cli import main
from audiobook.quality.measures import decode, frame_bitrates, parse_vtt
from audiobook.script.attribution.attributor import CAUTIOUS

from ..helpers import SAMPLE, SHORT

ROLES = {"title", "subtitle", "date", "byline", "heading", "narration", "quote", "caption", "pull_quote", "boilerplate"}


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_script_json_follows_the_contract():
    result = run("script", str(SAMPLE), "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["title"] == "Nagorny Karabakh’s Uncertain Future"
    assert document["subtitle"].startswith("Despite Baku’s messages")
    assert document["date"] == "2023-09-26"
    assert "byline" in document
    speaker_ids = {speaker["id"] for speaker in document["speakers"]}
    for speaker in document["speakers"]:
        assert set(speaker) >= {"id", "name", "gender", "aliases", "voice"}
        assert speaker["gender"] in {"female", "male", "unknown"}
    for segment in document["segments"]:
        assert set(segment) >= {"role", "text", "speaker", "credit", "spoken", "voice"}
        assert segment["role"] in ROLES
        assert segment["speaker"] is None or segment["speaker"] in speaker_ids
        assert (segment["voice"] is None) == (not segment["spoken"])
        assert not segment["text"].startswith(("“", '"')) or segment["role"] != "quote"
    silent = {segment["role"] for segment in document["segments"] if not segment["spoken"]}
    assert silent == {"pull_quote", "boilerplate"}
    captions = [segment for segment in document["segments"] if segment["role"] == "caption"]
    assert [caption["credit"] for caption in captions] == ["Siranush Sargsyan"] * 3


def test_a_cautious_script_voices_only_speakers_a_name_gives():
    def quote_speakers(*flags: str) -> list[tuple[str, str, float]]:
        result = run("script", str(SAMPLE), "--json", *flags)
        assert result.exit_code == 0, result.output
        document = json.loads(result.stdout)
        names = {speaker["id"]: speaker["name"] for speaker in document["speakers"]}
        return [(names[segment["speaker"]], segment["basis"], segment["confidence"])
                for segment in document["segments"] if segment["role"] == "quote"]

    usual, cautious = quote_speakers(), quote_speakers("--cautious")
    assert "an unidentified speaker" not in {name for name, _, _ in usual}
    for (name, basis, confidence), (cautious_name, _, _) in zip(usual, cautious, strict=True):
        # A name cue, or words going on from one (a pronoun right after it: "…,” she added"), as sure as a name.
        assert cautious_name == (name if confidence >= CAUTIOUS else "an unidentified speaker")
        if basis.endswith((":name", ":new-name")):
            assert cautious_name == name
    assert ("Jenny Paturyan", "cue-after:pronoun") in {(name, basis) for name, basis, _ in cautious}
    assert "an unidentified speaker" in {name for name, _, _ in cautious}


def test_script_table_is_for_people():
    result = run("script", str(SHORT))
    assert result.exit_code == 0
    assert "quote" in result.stdout and "Anna Fischer" in result.stdout and "(silent)" in result.stdout


def test_render_from_standard_input_prints_the_mp3_path_last(tmp_path):
    out = tmp_path / "from-stdin.mp3"
    result = run("render", "-", "-o", str(out), "--quiet", input=SHORT.read_bytes())
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == str(out)
    assert out.exists() and out.with_suffix(".vtt").exists()
    assert out.with_suffix(".chapters.json").exists() and out.with_suffix(".txt").exists()


def test_voices_lists_the_cast_and_the_engine_voices():
    result = run("voices")
    assert result.exit_code == 0
    assert "narrator" in result.stdout and "describer" in result.stdout
    assert "English" in result.stdout


def test_version_and_help_on_every_command():
    assert __version__ in run("--version").stdout
    for command in ([], ["render"], ["script"], ["voices"]):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Usage:" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n  \n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        (b"\xff\xfe" + "Headline".encode("utf-16-le") + b"\x00\xd8", "utf-16"),
        (b"Just a headline\n", "no paragraphs"),
        ("A photo of the harbour at dawn. © Someone Else\n".encode(), "only photo captions"),
    ],
)
def test_bad_articles_get_one_line_and_exit_2_with_nothing_written(tmp_path, content, message):
    article = tmp_path / "article.txt"
    article.write_bytes(content)
    out = tmp_path / "out" / "episode.mp3"
    result = run("render", str(article), "-o", str(out))
    assert result.exit_code == 2
    assert message in result.stderr.lower()
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert not out.exists() and not list(tmp_path.glob("out/*"))


def test_missing_path_and_unwritable_output(tmp_path):
    missing = run("render", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 2 and "no such file" in missing.stderr
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    unwritable = run("render", str(SHORT), "-o", str(blocker / "episode.mp3"))
    assert unwritable.exit_code == 2
    assert "cannot create the output folder" in unwritable.stderr
    assert len(unwritable.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16"])
def test_articles_in_older_encodings_are_read_not_refused(tmp_path, encoding):
    text = SHORT.read_text().replace("Anna Fischer", "Anna Müller").replace("“", '"').replace("”", '"')
    article = tmp_path / "article.txt"
    article.write_bytes(text.encode(encoding))
    result = run("script", str(article), "--json")
    assert result.exit_code == 0, result.output
    names = {speaker["name"] for speaker in json.loads(result.stdout)["speakers"]}
    assert "Anna Müller" in names
    # The producer is told which encoding was assumed, in one line.
    notes = result.stderr.strip().splitlines()
    assert len(notes) == 1 and notes[0].startswith("audiobook: note:") and ("Windows-1252" in notes[0] or "UTF-16" in notes[0])


def test_real_process_exit_codes_and_no_traceback(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    process = subprocess.run(
        [sys.executable, "-m", "audiobook.cli", "render", str(empty)], capture_output=True, text=True, timeout=60,
    )
    assert process.returncode == 2
    assert process.stderr.strip() == f"audiobook: {empty}: the file is empty"


def test_render_takes_32_kbps_as_the_library_does(tmp_path):
    """The smallest rate the encoder holds to at 22,050 Hz: every frame at it, the captions still on time."""
    out = tmp_path / "small.mp3"
    result = run("render", str(SHORT), "-o", str(out), "--bitrate", "32", "--cache-dir", str(tmp_path / "cache"))
    assert result.exit_code == 0, result.output
    assert set(frame_bitrates(out)) == {32}
    samples, rate = decode(out)
    last_cue = parse_vtt(out.with_suffix(".vtt").read_text())[-1]
    assert last_cue.end <= len(samples) / rate < last_cue.end + 2

