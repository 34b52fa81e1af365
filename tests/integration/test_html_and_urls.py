"""HTML pages, served from localhost: what is read, what is not, and every way a URL can fail."""

from __future__ import annotations

import http.server
import random
import threading
import time

import pytest
from click.testing import CliRunner

from audiobook.cli import main
from audiobook.errors import InputError
from audiobook.source.fetch import fetch
from audiobook.api import Options, prepare, render
from audiobook.script.scriptfile import script_to_json

from ..helpers import FIXTURES

NOT_ARTICLE = b"<html><head><title>Home</title></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>"


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(FIXTURES), **kwargs)

    def do_GET(self):  # noqa: N802 - http.server's naming
        if self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/cms-wordpress.html")
            self.end_headers()
        elif self.path == "/slow":
            time.sleep(2)
            self.send_response(200)
            self.end_headers()
        elif self.path == "/image.png":
            self._send(b"\x89PNG\r\n\x1a\n", "image/png")
        elif self.path == "/nothing.html":
            self._send(NOT_ARTICLE, "text/html")
        else:
            super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="module")
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _document(location: str) -> dict:
    prepared = prepare(location)
    return script_to_json(prepared.script, prepared.cast)


def _spoken_text(document: dict) -> str:
    return " ".join(segment["text"] for segment in document["segments"] if segment["spoken"])


def test_page_from_a_url_reads_the_story_and_nothing_around_it(site):
    document = _document(f"{site}/cms-wordpress.html")
    assert document["title"] == "Harbour town votes to keep its ferry"
    assert document["byline"] == "Ruth Okafor"
    spoken = _spoken_text(document)
    for unwanted in ("Do not read this", "dataLayer", "display:flex", "Accept all", "Share on Facebook",
                     "Sign up for our newsletter", "Related stories", "Great news for the town", "All rights reserved",
                     "Sport"):
        assert unwanted not in spoken
    assert "PORT ELIN" in spoken and "a long-term subsidy" in spoken


def test_alt_text_and_caption_that_repeat_each_other_are_read_once(site):
    document = _document(f"{site}/cms-wordpress.html")
    spoken = [s for s in document["segments"] if s["spoken"]]
    assert sum("The ferry Marianne leaving Port Elin" in s["text"] for s in spoken) == 1
    lead = next(s for s in spoken if s["role"] == "caption")
    assert lead["credit"] == "Dan Hughes/Coastal Courier"
    assert any(s["role"] == "caption" and s["text"] == "Residents queue outside the village hall to vote" for s in spoken)


def test_source_url_follows_redirects_and_lands_in_the_tags(site, tmp_path):
    from mutagen.id3 import ID3

    episode = render(f"{site}/moved", tmp_path / "ferry.mp3", Options(cache_dir=tmp_path / "cache"))
    tags = ID3(episode.mp3)
    # og:url names the article's canonical address, which is what listeners should be sent to.
    assert tags.getall("WOAS")[0].url == "https://coastalcourier.example/2024/05/harbour-ferry-vote"
    assert str(tags["TPE1"]) == "The Coastal Courier"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/loop", "too many redirects"),
        ("/missing.html", "404"),
        ("/image.png", "not an article page (the server sent image/png)"),
        ("/nothing.html", "no article found"),
    ],
)
def test_failing_urls_get_one_line_and_exit_2(site, tmp_path, path, message):
    result = CliRunner().invoke(main, ["render", f"{site}{path}", "-o", str(tmp_path / "x.mp3")])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.iterdir())


def test_unreachable_and_slow_servers(site):
    with pytest.raises(InputError, match="no answer within"):
        fetch(f"{site}/slow", timeout=0.5)
    with pytest.raises(InputError, match="could not be fetched"):
        fetch("http://127.0.0.1:9/article.html", timeout=2)


def test_html_file_without_an_article(tmp_path):
    page = tmp_path / "empty.html"
    page.write_bytes(NOT_ARTICLE)
    with pytest.raises(InputError, match="no article found"):
        prepare(str(page))


def test_a_10_mb_page_is_read_whole(tmp_path):
    """Bounded in time and memory (bench/run.py reports both); here, that it completes and keeps every paragraph."""
    words = "harbour council budget ferry bridge residents vote motion quay fisherman subsidy winter boat tide".split()
    rng = random.Random(7)
    body = "".join(
        f"<p>{' '.join(rng.choice(words) for _ in range(120))} number {index}.</p>\n" for index in range(12_000)
    )
    html = (FIXTURES / "cms-wordpress.html").read_text().replace('<div class="entry-content">', f'<div class="entry-content">{body}')
    page = tmp_path / "big.html"
    page.write_text(html)
    assert page.stat().st_size > 10_000_000
    document = _document(str(page))
    numbers = [segment["text"].rsplit("number ", 1)[-1] for segment in document["segments"] if "number " in segment["text"]]
    assert len(numbers) == 12_000


def test_markdown_and_text_are_told_apart_from_html_by_content(tmp_path):
    markdown = tmp_path / "article.txt"  # the extension says text; the content says Markdown
    markdown.write_text((FIXTURES / "interview-qa.md").read_text())
    document = _document(str(markdown))
    assert document["title"].startswith("‘I still write every morning’")
    assert any(segment["role"] == "heading" and segment["text"] == "On memory" for segment in document["segments"])
    html = tmp_path / "page.txt"
    html.write_text((FIXTURES / "cms-newsroom.html").read_text())
    document = _document(str(html))
    assert document["title"] == "Battery maker to build plant in Teesside, creating 900 jobs"
    assert document["date"] == "2025-06-04"


def test_a_credit_marked_up_in_the_caption_is_split_off_whatever_its_wording(tmp_path):
    page = tmp_path / "credit.html"
    page.write_text(
        "<html><head><title>Harbour wall repaired</title></head><body><article><h1>Harbour wall repaired</h1>"
        "<figure><img src='a.jpg' alt='Workers on the harbour wall'><figcaption>Workers finish the last section "
        "of the wall. <span class='credit'>Getty Images</span></figcaption></figure>"
        "<p>The harbour wall that collapsed in last winter's storms has been rebuilt, the council said on Friday.</p>"
        "<p>\"It is stronger than it has ever been,\" said engineer Maya Singh, who led the repairs.</p>"
        "</article></body></html>"
    )
    captions = [s for s in _document(str(page))["segments"] if s["role"] == "caption"]
    assert [(c["text"], c["credit"]) for c in captions] == [("Workers finish the last section of the wall.", "Getty Images")]
