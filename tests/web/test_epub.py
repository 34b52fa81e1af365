"""The talking book: EPUB 3 with a Media Overlay, validated by EPUBCheck and read back as a reader would."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from playwright.sync_api import sync_playwright

from audiobook.api import Options, prepare, render
from audiobook.audio.epub import ACTIVE_CLASS
from audiobook.cli import main
from audiobook.quality.measures import decode, parse_vtt

from ..helpers import FIXTURES, REPO, SAMPLE, SHORT
from .test_web import CHROMIUM_FLAGS

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
ACE = REPO / ".cache" / "node" / "node_modules" / ".bin" / "ace-puppeteer"
NS = {
    "opf": "http://www.idpf.org/2007/opf", "smil": "http://www.w3.org/ns/SMIL",
    "xhtml": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
}
ARTICLES = sorted(path for path in FIXTURES.iterdir() if path.suffix in {".txt", ".md", ".html"})


def _epubcheck(book: Path) -> str:
    assert EPUBCHECK.exists() and shutil.which("java"), "EPUBCheck is not installed: run `make test`, which installs it"
    result = subprocess.run(["java", "-jar", str(EPUBCHECK), str(book)], capture_output=True, text=True)
    return result.stdout + result.stderr


def _parse(book: zipfile.ZipFile, name: str) -> ElementTree.Element:
    return ElementTree.fromstring(book.read(name))


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("book")
    result = CliRunner().invoke(main, [
        "render", str(SAMPLE), "-o", str(folder / "sample.mp3"), "--epub", "--quiet", "--cache-dir", str(folder / "c"),
    ])
    assert result.exit_code == 0, result.output
    return folder / "sample.mp3", folder / "sample.epub"


def test_sample_book_passes_epubcheck_without_warnings(sample_book):
    report = _epubcheck(sample_book[1])
    assert "0 fatals / 0 errors / 0 warnings" in report or "No errors or warnings detected" in report, report


def test_sample_book_has_no_accessibility_violations_under_ace(sample_book, tmp_path: Path):
    assert ACE.exists(), "Ace by DAISY is not installed: run `make test`, which installs it"
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": shutil.which("chromium") or "chromium"}
    result = subprocess.run([str(ACE), "-s", "-f", "-o", str(tmp_path), str(sample_book[1])], env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    violations = [
        (check["earl:test"]["dct:title"], check["earl:result"].get("dct:description"))
        for document in report["assertions"] for check in document.get("assertions", [])
        if check["earl:result"]["earl:outcome"] != "pass"
    ]
    assert report["earl:result"]["earl:outcome"] == "pass" and violations == []


def test_every_spoken_segment_plays_in_sync_with_the_captions(sample_book):
    mp3, book_path = sample_book
    script = prepare(str(SAMPLE)).script
    cues = parse_vtt(mp3.with_suffix(".vtt").read_text())
    spoken = [index for index, segment in enumerate(script.segments) if segment.spoken]
    assert len(cues) == len(spoken)
    with zipfile.ZipFile(book_path) as book:
        assert book.namelist()[0] == "mimetype" and book.read("mimetype") == b"application/epub+zip"
        assert book.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        content = _parse(book, "EPUB/content.xhtml")
        ids = {element.get("id") for element in content.iter() if element.get("id")}
        pars = _parse(book, "EPUB/content.smil").findall(".//smil:par", NS)
        package = _parse(book, "EPUB/content.opf")
        audio = book.read("EPUB/audio/episode.mp3")
    assert audio == mp3.read_bytes()
    assert len(pars) == len(spoken)
    previous_end = 0.0
    for par, index, cue in zip(pars, spoken, cues):
        target = par.find("smil:text", NS).get("src")
        assert target == f"content.xhtml#s{index}" and f"s{index}" in ids
        clip = par.find("smil:audio", NS)
        begin, end = (float(clip.get(name).removesuffix("s")) for name in ("clipBegin", "clipEnd"))
        assert begin == pytest.approx(cue.start, abs=0.001) and end == pytest.approx(cue.end, abs=0.001)
        assert previous_end <= begin < end
        previous_end = end
    # The book's duration is the MP3's as decoded.
    signal, rate = decode(mp3)
    durations = [meta.text for meta in package.iterfind(".//opf:meta[@property='media:duration']", NS)]
    hours, minutes, seconds = durations[-1].split(":")
    assert int(hours) * 3600 + int(minutes) * 60 + float(seconds) == pytest.approx(len(signal) / rate, abs=0.06)
    assert len(set(durations)) == 1


def test_quotes_name_their_speaker_and_silent_parts_are_left_out(sample_book):
    script = prepare(str(SAMPLE)).script
    names = {speaker.id: speaker.name for speaker in script.speakers}
    with zipfile.ZipFile(sample_book[1]) as book:
        content = _parse(book, "EPUB/content.xhtml")
        text = ElementTree.tostring(content, encoding="unicode", method="text")
        nav = _parse(book, "EPUB/nav.xhtml")
    quotes = content.findall(".//xhtml:q", NS)
    expected = [(names[s.speaker], s.text) for s in script.segments if s.role == "quote" and s.spoken]
    assert [(q.get("data-speaker"), q.text) for q in quotes] == expected
    heard = " ".join(segment.text for segment in script.segments if segment.spoken)
    for segment in script.segments:
        if not segment.spoken and segment.text not in heard:
            assert segment.text not in text  # pull quotes and page chrome are no more in the book than in the audio
    figures = content.findall(".//xhtml:figure", NS)
    assert len(figures) == sum(1 for s in script.segments if s.role == "caption")
    assert all("Siranush Sargsyan" in ElementTree.tostring(f, encoding="unicode") for f in figures)
    chapters = [s.chapter for s in script.segments if s.chapter and s.spoken]
    assert [link.text for link in nav.iterfind(".//xhtml:nav//xhtml:a", NS)] == chapters


def test_accessibility_metadata(sample_book):
    with zipfile.ZipFile(sample_book[1]) as book:
        package = _parse(book, "EPUB/content.opf")
    found: dict[str, set[str]] = {}
    for meta in package.iterfind(".//opf:meta[@property]", NS):
        found.setdefault(meta.get("property"), set()).add(meta.text)
    assert found["schema:accessMode"] == {"textual", "auditory"}
    assert {"synchronizedAudioText", "structuralNavigation", "readingOrder", "tableOfContents"} <= found[
        "schema:accessibilityFeature"]
    assert found["schema:accessibilityHazard"] == {"none"}
    assert found["dcterms:conformsTo"] == {"EPUB Accessibility 1.1 - WCAG 2.2 Level AA"}
    assert found["media:active-class"] == {ACTIVE_CLASS}
    assert len(next(iter(found["schema:accessibilitySummary"]))) > 80


@pytest.mark.parametrize("article", ARTICLES, ids=lambda path: path.stem)
def test_every_fixtures_book_passes_epubcheck(article: Path, fake_cast: Path, tmp_path: Path):
    # The book's structure does not depend on the voices: the fake engine keeps this quick.
    episode = render(str(article), tmp_path / "ep.mp3", Options(cast_path=fake_cast, epub=True, cache_dir=tmp_path / "c"))
    report = _epubcheck(episode.epub)
    assert "No errors or warnings detected" in report, report


def test_the_segment_being_read_is_highlighted(sample_book, tmp_path: Path):
    with zipfile.ZipFile(sample_book[1]) as book:
        book.extractall(tmp_path)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 800, "height": 900})
        page.goto((tmp_path / "EPUB" / "content.xhtml").as_uri())
        quote = page.locator("q.quote").first
        before = quote.evaluate("element => getComputedStyle(element).backgroundColor")
        # What a reading system does with media:active-class while a segment plays.
        quote.evaluate(f"element => element.classList.add('{ACTIVE_CLASS}')")
        after = quote.evaluate("element => getComputedStyle(element).backgroundColor")
        page.screenshot(path=str(tmp_path / "highlighted.png"))
        browser.close()
    assert before != after and after == "rgb(255, 235, 59)"
    assert (tmp_path / "highlighted.png").stat().st_size > 10_000


def test_render_without_epub_writes_no_book(tmp_path: Path):
    episode = render(str(SHORT), tmp_path / "s.mp3", Options(cache_dir=tmp_path / "c"))
    assert episode.epub is None and not (tmp_path / "s.epub").exists()


def test_publish_puts_a_talking_book_beside_each_episode_and_links_it(tmp_path: Path, fake_cast: Path):
    import threading
    import urllib.request

    from audiobook.publish.publisher import publish
    from audiobook.publish.serve import make_server

    folder = tmp_path / "feed"
    publish([str(SHORT)], folder, "https://audio.example.org", Options(cast_path=fake_cast, cache_dir=tmp_path / "c"))
    books = list((folder / "episodes").glob("*.epub"))
    assert len(books) == 1
    page = books[0].with_suffix(".html").read_text()
    assert f'href="{books[0].name}"' in page
    server = make_server(folder, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/episodes/{books[0].name}"
        with urllib.request.urlopen(url) as response:
            assert response.headers["Content-Type"] == "application/epub+zip"
            assert response.read() == books[0].read_bytes()
    finally:
        server.shutdown()
        server.server_close()
    assert "No errors or warnings detected" in _epubcheck(books[0])


def test_the_same_article_gives_the_same_book(tmp_path: Path, fake_cast: Path):
    options = Options(cast_path=fake_cast, epub=True, cache_dir=tmp_path / "c")
    first = render(str(SHORT), tmp_path / "a.mp3", options).epub.read_bytes()
    second = render(str(SHORT), tmp_path / "b.mp3", options).epub.read_bytes()
    assert first == second
