"""The parser's analysis (spaCy's small English pipeline, really loaded): names found, the model checked
before it is read, the analysis cached by content, and one person per name however the text shortens it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from audiobook.errors import AudiobookError
from audiobook.extract import extract
from audiobook.script.attribution import syntax
from audiobook.script.attribution.people import Person, fullest_name, settle_names, surname_index
from audiobook.script.build import build_script

from ..helpers import REPO

TEXTS = ["Howard hits back", "", "Prime Minister John Howard has called on Labor to say what it would cut.",
         "Mr Howard said Opposition Leader Kevin Rudd had offered support for individual programs."]


def test_the_parser_finds_full_names_behind_titles():
    analysis = syntax.analyse(TEXTS)
    assert "John Howard" in analysis.people and "Kevin Rudd" in analysis.people
    assert not any(name.startswith(("Prime", "Mr", "Opposition")) for name in analysis.people)


def test_a_title_and_surname_is_heard_as_the_person_named_in_full():
    script = build_script(extract(
        "Howard hits back\n\nA standfirst.\n\nPrime Minister John Howard has called on Labor to say what it would cut.\n\n"
        "“They would have the public believe they oppose spending,” Mr Howard said.\n\n"
        "“It is a cynical deception,” Howard added.\n"
    ))
    quotes = [segment for segment in script.segments if segment.role == "quote"]
    assert {script.speaker(quote.speaker).name for quote in quotes} == {"John Howard"}


def test_a_surname_two_people_share_keeps_its_own_name():
    assert fullest_name("Mr Reid", surname_index(["Tom Reid", "Morag Reid"])) == "Mr Reid"
    assert fullest_name("Cllr Hartigan", surname_index(["Tommy Hartigan", "Cllr Hartigan"])) == "Tommy Hartigan"
    assert fullest_name("Supt O’Neill", surname_index(["Eamon O'Neill"])) == "Eamon O'Neill"


def test_settled_names_merge_one_person_met_by_surname_and_by_full_name():
    surname, full, other = Person("Whitmer", gender="female"), Person("Gretchen Whitmer"), Person("Tudor Dixon")
    standing = settle_names([surname, full, other], ["Gretchen Whitmer", "Tudor Dixon"])
    assert standing[id(surname)] is standing[id(full)] and standing[id(other)] is other
    assert standing[id(full)].name == "Gretchen Whitmer" and standing[id(full)].gender == "female"


def test_the_tokenizer_read_from_the_model_folder_is_the_one_spacy_would_load():
    # The pipeline skips building spaCy's default English tokenizer before reading the model's own.
    spacy = syntax._import_spacy()
    standard = spacy.load(syntax.model_folder(), exclude=syntax._UNUSED_COMPONENTS)
    # Its rules, patterns and special cases, not the strings the shared pipeline has met in other tests.
    assert syntax.pipeline().tokenizer.to_bytes(exclude=["vocab"]) == standard.tokenizer.to_bytes(exclude=["vocab"])
    text = "Dr. O’Neill-Smith, 56, said: “We’re done” (U.S. e-mail: a.b@c.org) at 9:30 p.m. on Jan. 5th."
    assert [token.text for token in syntax.pipeline()(text)] == [token.text for token in standard(text)]


def test_the_analysis_is_cached_by_content(tmp_path, monkeypatch):
    first = syntax.analyse(TEXTS, tmp_path)
    monkeypatch.setattr(syntax, "_analyse", lambda texts: pytest.fail("an unchanged article was parsed again"))
    assert syntax.analyse(TEXTS, tmp_path) == first
    monkeypatch.undo()
    changed = syntax.analyse([*TEXTS, "Wayne Swan replied on Sunday."], tmp_path)
    assert "Wayne Swan" in changed.people


def test_an_unreadable_cached_analysis_is_made_again(tmp_path):
    first = syntax.analyse(TEXTS, tmp_path)
    (entry,) = (tmp_path / syntax.CACHE_FOLDER).iterdir()
    intact = entry.read_bytes()
    for damage in (b"{not json", intact.replace(b"]", b", 1]")):  # the second still JSON, of the wrong types
        entry.write_bytes(damage)
        assert syntax.cached_analysis(TEXTS, tmp_path) is None
        assert syntax.analyse(TEXTS, tmp_path) == first
        assert entry.read_bytes() == intact


def test_a_model_whose_files_differ_from_the_reviewed_ones_is_refused(tmp_path, monkeypatch):
    copy = tmp_path / "model"
    shutil.copytree(syntax.model_folder(), copy)
    with (copy / "ner" / "moves").open("ab") as moves:
        moves.write(b"\0")
    monkeypatch.setattr(syntax, "model_folder", lambda: copy)
    syntax.pipeline.cache_clear()
    try:
        with pytest.raises(AudiobookError, match="not the reviewed one"):
            syntax.pipeline()
    finally:
        syntax.pipeline.cache_clear()


def test_a_re_render_of_an_unchanged_article_does_not_load_the_parser(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Howard hits back\n\nA standfirst.\n\n“It is a cynical deception,” Mr Howard said.\n")
    command = [sys.executable, "-m", "audiobook.cli", "script", str(article)]
    # Import times of every Python process, the analyst's too: the parser loads there, beside the run.
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPROFILEIMPORTTIME": "1"}
    first = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=environment, check=True)
    again = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=environment, check=True)
    assert "| spacy" in first.stderr
    assert "| spacy" not in again.stderr and again.stdout == first.stdout


def test_an_article_with_more_paragraphs_than_are_kept_is_read_whole(monkeypatch):
    """A warm analyst keeps a bounded number of paragraphs' names: never fewer than the article it reads."""
    texts = [f"“Paragraph {number},” said Anna Fischer{number % 2 and ' in Berlin' or ''}." for number in range(6)]
    whole = syntax._analyse(texts)
    syntax._NAMES_IN.clear()
    monkeypatch.setattr(syntax, "_NAMES_KEPT", 2)
    assert syntax._analyse(texts) == whole
    assert len(syntax._NAMES_IN) == 2
