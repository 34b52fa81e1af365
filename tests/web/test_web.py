"""The web pages in a real headless Chromium (Debian's, driven by Playwright), checked with axe-core."""

from __future__ import annotations

import shutil
import threading

import pytest
from playwright.sync_api import sync_playwright

from audiobook.api import Options
from audiobook.publish.publisher import publish
from audiobook.publish.serve import make_server

from ..helpers import REPO, SHORT

AXE = REPO / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--autoplay-policy=no-user-gesture-required"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("site")
    publish([str(SHORT)], folder, "http://127.0.0.1", Options(cache_dir=folder.parent / "site-cache"))
    server = make_server(folder, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    assert shutil.which("chromium"), "Chromium is not installed: run `make test`, which installs it"
    assert AXE.exists(), "axe-core is not installed: run `make test`, which installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _violations(page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]


def _episode(browser, site):
    page = browser.new_page()
    page.goto(f"{site}/index.html")
    page.get_by_role("link", name="Flood Defences Hold in Riverside Town").click()
    page.wait_for_function("document.getElementById('player').readyState >= 1")
    return page


def test_index_and_episode_pages_have_no_wcag_violations(browser, site):
    page = browser.new_page()
    page.goto(f"{site}/index.html")
    assert _violations(page) == []
    episode = _episode(browser, site)
    assert _violations(episode) == []


def test_a_chapter_button_seeks_and_the_transcript_follows(browser, site):
    page = _episode(browser, site)
    chapters = page.get_by_role("navigation", name="Chapters").get_by_role("button")
    assert chapters.count() == 3
    target = float(chapters.nth(2).get_attribute("data-seek"))
    chapters.nth(2).click()
    page.wait_for_function(f"Math.abs(document.getElementById('player').currentTime - {target}) < 0.5")
    page.evaluate("document.getElementById('player').pause()")
    page.wait_for_function("document.querySelector('ol.transcript li.current') !== null")
    current = page.locator("ol.transcript li.current")
    assert current.count() == 1
    # A chapter starts in the pause before its first words: those words are what is marked.
    assert current.inner_text().startswith("Narrator: The river peaked just below")
    assert target <= float(current.get_attribute("data-start")) < target + 2
    assert current.get_attribute("aria-current") == "true"
    assert "Now playing: The river peaked" in page.get_by_role("status").inner_text()


def test_keyboard_alone_skips_and_changes_speed(browser, site):
    page = _episode(browser, site)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.get_by_role("button", name="Forward 30 seconds").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('player').currentTime >= 29.5")
    page.get_by_role("button", name="Back 15 seconds").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("Math.abs(document.getElementById('player').currentTime - 15) < 1")
    page.get_by_label("Speed").select_option("2.5")
    assert page.evaluate("document.getElementById('player').playbackRate") == 2.5
    options = page.get_by_label("Speed").locator("option").all_inner_texts()
    assert options[0] == "0.75×" and options[-1] == "3×"
