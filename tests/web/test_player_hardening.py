"""The episode player in a real headless Chromium when a chapter title holds HTML's script-breaking
sequences, and the header link back to the feed's index."""

from __future__ import annotations

import threading

import pytest

from audiobook.api import Options
from audiobook.publish.publisher import publish
from audiobook.publish.serve import make_server

from .test_web import browser  # noqa: F401 - the shared Chromium fixture

TITLE = "Tides <!-- rise <script> and & fall"
ARTICLE = f"""{TITLE}

Harbour staff watched the water climb all afternoon.

Monday, 4 March 2024

The tide rose higher than anyone on the quay could remember.

“We moved the boats before noon,” said Anna Fischer, the harbour master.

The quay reopened in the evening once the water had gone down again.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-site")
    article = folder.parent / "tides.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    outcome = publish([str(article)], folder, "http://127.0.0.1", Options(cache_dir=folder.parent / "tides-cache"))[0]
    assert outcome.error is None, outcome.error
    server = make_server(folder, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page = next((folder / "episodes").glob("*.html")).name
    yield f"http://127.0.0.1:{server.server_address[1]}", page
    server.shutdown()
    server.server_close()


def test_a_chapter_title_with_comment_and_script_openers_keeps_the_player_working(browser, site):  # noqa: F811
    root, page_name = site
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{root}/episodes/{page_name}")
    page.wait_for_function("document.getElementById('player').readyState >= 1")
    assert page.evaluate("JSON.parse(document.getElementById('timeline').textContent).chapters[0].title") == TITLE
    chapters = page.get_by_role("navigation", name="Chapters").get_by_role("button")
    assert chapters.count() >= 2
    assert chapters.nth(0).inner_text().startswith(TITLE)
    target = float(chapters.last.get_attribute("data-seek"))
    chapters.last.click()
    page.wait_for_function(f"Math.abs(document.getElementById('player').currentTime - {target}) < 0.5")
    page.evaluate("document.getElementById('player').pause()")
    page.wait_for_function("document.querySelector('ol.transcript li.current') !== null")
    last = page.evaluate("JSON.parse(document.getElementById('timeline').textContent).chapters.at(-1).title")
    assert f"Now playing: {last}" in page.get_by_role("status").inner_text()
    chapters.first.click()
    page.wait_for_function("document.getElementById('player').currentTime < 0.5")
    page.wait_for_function(f"document.getElementById('now-playing').textContent.includes({TITLE!r})")
    assert errors == []


def test_the_header_link_to_the_feed_leads_to_its_index(browser, site):  # noqa: F811
    root, page_name = site
    page = browser.new_page()
    page.goto(f"{root}/episodes/{page_name}")
    with page.expect_navigation() as navigation:
        page.get_by_role("link", name="Audio editions").click()
    assert navigation.value.status == 200
    assert page.url == f"{root}/index.html"
    assert page.get_by_role("link", name=TITLE).count() == 1
