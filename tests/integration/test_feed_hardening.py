"""A feed no article can break: clean text, state written last, batches that survive one bad
article, distinct guids, validated settings and state, escaped pages, and unpublish."""

from __future__ import annotations

import json

import feedparser
import lxml.html
import pytest
from click.testing import CliRunner

import audiobook.publish.publisher as publisher
from audiobook.api import Options, Outcome
from audiobook.cli import main
from audiobook.errors import InputError
from audiobook.publish.publisher import publish, unpublish
from audiobook.publish.state import FeedSettings, load_episodes, load_settings, settings_toml
from audiobook.source.reader import decode

from ..helpers import SHORT

BASE = "https://audio.example.org/editions"
STORY = "\n\nA standfirst.\n\nMonday, 4 March 2024\n\n“We stay,” said Anna Petrosyan.\n"


def _article(folder, name: str, text: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _titles(feed) -> list[str]:
    parsed = feedparser.parse(str(feed / "feed.xml"))
    assert not parsed.bozo, parsed.bozo_exception
    return sorted(entry.title for entry in parsed.entries)


# --- one character never stops a feed ---------------------------------------------------------

def test_text_is_cleaned_of_what_xml_cannot_carry_wherever_it_is():
    padding = "word " * 3000  # past the first 8,192 bytes the binary check looks at
    data = ("\ufeffEscape \x1b title\n\n" + padding + "\x01\x08\x0b\ufffe\uffff end\n").encode()
    text = decode(data, "x.txt")
    assert text.startswith("Escape  title") and text.endswith(" end\n")
    assert not any(ord(c) < 32 and c not in "\t\n" or c in "\ufeff\ufffe\uffff" for c in text)
    assert "\ud800" not in decode("a\ud800b".encode("utf-8", "surrogatepass"), "s.txt")


def test_a_bom_and_control_bytes_in_a_title_do_not_stop_the_feed(tmp_path, fake_cast):
    feed = tmp_path / "feed"
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbfEscape \x1b title\n\nA standfirst.\n\n\xe2\x80\x9cWe stay,\xe2\x80\x9d said Anna.\n")
    options = Options(cast_path=fake_cast)
    assert all(outcome.error is None for outcome in publish([str(bom)], feed, BASE, options))
    assert publish([str(SHORT)], feed, BASE, options)[0].error is None
    assert _titles(feed) == ["Escape title", "Flood Defences Hold in Riverside Town"]


def test_the_state_is_written_only_after_the_feed_it_derives(tmp_path, fake_cast, monkeypatch):
    feed = tmp_path / "feed"
    options = Options(cast_path=fake_cast)
    publish([str(SHORT)], feed, BASE, options)
    before = {name: (feed / name).read_bytes() for name in ("episodes.json", "feed.xml", "index.html")}

    def broken_feed(*args):  # noqa: ANN002
        raise ValueError("All strings must be XML compatible")

    other = _article(tmp_path, "other.txt", "Other Story" + STORY)
    monkeypatch.setattr(publisher, "rss", broken_feed)
    with pytest.raises(ValueError):
        publish([other], feed, BASE, options)
    assert {name: (feed / name).read_bytes() for name in before} == before


def test_one_articles_unexpected_error_leaves_the_others_published(tmp_path, fake_cast, monkeypatch):
    feed = tmp_path / "feed"
    bad = _article(tmp_path, "bad.txt", "Bad Story" + STORY)
    real_prepare = publisher.prepare

    def prepare(location, options, **keywords):  # noqa: ANN001, ANN003, ANN202
        if location == bad:
            raise RuntimeError("something nobody expected")
        return real_prepare(location, options, **keywords)

    monkeypatch.setattr(publisher, "prepare", prepare)
    outcomes = publish([bad, str(SHORT)], feed, BASE, Options(cast_path=fake_cast))
    assert all(isinstance(outcome, Outcome) for outcome in outcomes)
    assert "internal error: RuntimeError: something nobody expected" in str(outcomes[0].error)
    assert outcomes[1].error is None
    assert _titles(feed) == ["Flood Defences Hold in Riverside Town"]


def test_two_undated_articles_with_one_title_are_two_episodes(tmp_path, fake_cast):
    feed = tmp_path / "feed"
    first = _article(tmp_path, "first.txt", "Council Meets\n\nA standfirst.\n\nThe council met on the bridge.\n")
    second = _article(tmp_path, "second.txt", "Council Meets\n\nA standfirst.\n\nThe council did not meet.\n")
    options = Options(cast_path=fake_cast)
    assert all(outcome.error is None for outcome in publish([first, second], feed, BASE, options))
    assert publish([first], feed, BASE, options)[0].error is None  # republishing replaces its own episode only
    episodes = load_episodes(feed)
    assert len(episodes) == 2 and len({episode.guid for episode in episodes}) == 2
    assert sorted(episode.slug for episode in episodes) == ["council-meets", "council-meets-2"]
    assert _titles(feed) == ["Council Meets", "Council Meets"]


# --- settings and state: validated, typed, written by the libraries that own the formats -------

@pytest.mark.parametrize("url", ['https://x/"><script>alert(1)</script>', "https://x/a b", "ftp://x/",
                                 "/relative", "https://", "https://x/?q=1", "https://x/'"])
def test_a_bad_base_url_is_one_line_and_writes_nothing(tmp_path, url):
    feed = tmp_path / "feed"
    result = CliRunner().invoke(main, ["publish", str(SHORT), "--feed", str(feed), "--base-url", url])
    assert result.exit_code == 2, result.output
    assert "not an absolute http(s) address" in result.output and result.output.count("\n") == 1
    assert not (feed / "feed.toml").exists()


def test_settings_are_written_by_a_toml_writer_and_read_back_as_they_were(tmp_path):
    hostile = FeedSettings(title='Quotes " and \\ and \n newlines = "x"', owner_email='a"b@example.org',
                           base_url="https://audio.example.org/x")
    (tmp_path / "feed.toml").write_bytes(settings_toml(hostile))
    assert load_settings(tmp_path) == hostile


@pytest.mark.parametrize("name, content, problem", [
    ("episodes.json", "{not json", "damaged"),
    ("episodes.json", '{"guid": "x"}', "not a list of episodes"),
    ("episodes.json", '[{"guid": "x"}]', "episode 0 has no slug"),
    ("episodes.json", '[{"guid": "x", "slug": "../../etc", "number": 1, "title": "t", "subtitle": null, '
                      '"date": "2024-01-01", "duration": 1, "bytes": 1, "speakers": [], "content_html": ""}]',
     "not a file name of ours"),
    ("episodes.json", '[{"guid": "x", "slug": "a", "number": "1", "title": "t", "subtitle": null, '
                      '"date": "2024-01-01", "duration": 1, "bytes": 1, "speakers": [], "content_html": ""}]',
     "number has the wrong type"),
    ("episodes.json", '[{"guid": "x", "slug": "a", "number": 1, "title": "t", "subtitle": null, '
                      '"date": "someday", "duration": 1, "bytes": 1, "speakers": [], "content_html": ""}]',
     "is not YYYY-MM-DD"),
    ("voices.json", '["a"]', "not a table of speaker names"),
    ("feed.toml", 'title = "x', "not a valid TOML"),
    ("feed.toml", settings_toml(FeedSettings()).decode().replace("explicit = false", 'explicit = "no"'),
     "explicit must be true or false"),
    ("feed.toml", settings_toml(FeedSettings()).decode().replace("http://localhost:8000", "javascript:x"),
     "base_url"),
    ("feed.toml", 'title = "only a title"\n', "missing settings"),
])
def test_a_damaged_state_file_is_one_line_not_a_traceback(tmp_path, name, content, problem):
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "feed.toml").write_bytes(settings_toml(FeedSettings(base_url=BASE)))
    (feed / name).write_text(content)
    result = CliRunner().invoke(main, ["publish", str(SHORT), "--feed", str(feed)])
    assert result.exit_code == 2, result.output
    assert problem in result.output and result.output.count("\n") == 1
    assert "Traceback" not in result.output and "internal error" not in result.output


# --- localhost said aloud, and never over a real address -----------------------------------------

def test_without_base_url_localhost_is_said_and_refused_for_a_real_feed(tmp_path, fake_cast):
    feed = tmp_path / "feed"
    runner = CliRunner()
    args = ["publish", str(SHORT), "--feed", str(feed), "--cast", str(fake_cast)]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    assert "http://localhost:8000" in first.stderr and "--base-url" in first.stderr
    assert runner.invoke(main, [*args, "--base-url", BASE]).exit_code == 0
    published = (feed / "feed.xml").read_bytes()
    again = runner.invoke(main, args)
    assert again.exit_code == 2
    assert f"published at {BASE}" in again.stderr and again.stderr.count("\n") == 1
    assert (feed / "feed.xml").read_bytes() == published
    (feed / "feed.toml").unlink()  # settings lost: the published feed.xml still says where it lives
    assert runner.invoke(main, args).exit_code == 2
    assert not (feed / "feed.toml").exists() and (feed / "feed.xml").read_bytes() == published


# --- hostile words are escaped by the code that owns each format ---------------------------------

def test_hostile_titles_names_and_captions_are_escaped_in_pages_and_feed(tmp_path, fake_cast):
    title = 'Tide <script>alert(1)</script> & "Co" <!-- x'
    text = (f"{title}\n\nA <b>standfirst</b> & more.\n\nMonday, 4 March 2024\n\n"
            "“We stay <img src=x onerror=alert(2)>,” said Anna <i>Petrosyan</i>.\n")
    feed = tmp_path / "feed"
    outcome = publish([_article(tmp_path, "hostile.txt", text)], feed, BASE, Options(cast_path=fake_cast))[0]
    assert outcome.error is None
    for page in (feed / "index.html", *(feed / "episodes").glob("*.html")):
        tree = lxml.html.parse(str(page))
        assert not tree.xpath("//img | //b | //i"), page
        assert len(tree.xpath("//script")) == (2 if page.parent.name == "episodes" else 0), page
        assert title in tree.xpath("string(//h1)") or title in tree.xpath("string(//main)")
    parsed = feedparser.parse(str(feed / "feed.xml"))
    assert not parsed.bozo
    assert parsed.entries[0].title == title
    content = lxml.html.fromstring(parsed.entries[0].content[0].value)
    assert not content.xpath("//img | //script | //b") and "<img src=x" in content.text_content()


# --- unpublish -----------------------------------------------------------------------------------

def test_unpublish_takes_one_episode_out_and_leaves_the_other(tmp_path):
    feed = tmp_path / "feed"
    other = _article(tmp_path, "other.txt", "Harbour Reopens" + STORY)
    assert all(o.error is None for o in publish([str(SHORT), other], feed, BASE))
    result = CliRunner().invoke(main, ["unpublish", "harbour-reopens", "--feed", str(feed)])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (feed / "episodes").glob("harbour-reopens*")) == []
    assert [episode.slug for episode in load_episodes(feed)] == ["flood-defences-hold-in-riverside-town"]
    assert _titles(feed) == ["Flood Defences Hold in Riverside Town"]
    assert "harbour-reopens" not in (feed / "index.html").read_text()
    kept = sorted(path.suffix for path in (feed / "episodes").glob("flood-defences-hold-in-riverside-town.*"))
    assert kept == [".epub", ".html", ".json", ".json", ".mp3", ".srt", ".txt", ".vtt"]
    assert not list(feed.rglob("*.part"))
    missing = CliRunner().invoke(main, ["unpublish", "harbour-reopens", "--feed", str(feed)])
    assert missing.exit_code == 2 and "no episode 'harbour-reopens'" in missing.output
    assert "flood-defences-hold-in-riverside-town" in missing.output
    with pytest.raises(InputError, match="not a feed folder"):
        unpublish("x", tmp_path / "nowhere")
    assert json.loads((feed / "episodes.json").read_text())[0]["slug"] == "flood-defences-hold-in-riverside-town"
