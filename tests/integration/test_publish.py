"""Publishing: the feed as podcast apps read it, episodes that accumulate, and a feed that survives crashes."""

from __future__ import annotations

import email.utils
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import feedparser
import lxml.etree
import pytest

from audiobook.speech.analysis import loudness_lufs, true_peak_dbtp
from audiobook.api import Options
from audiobook.publish.publisher import publish
from audiobook.publish.serve import make_server
from audiobook.quality.measures import decode

from ..helpers import FIXTURES, SAMPLE, SHORT

NS = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd", "podcast": "https://podcastindex.org/namespace/1.0",
      "content": "http://purl.org/rss/1.0/modules/content/"}
BASE = "https://audio.example.org/editions"


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("feed")
    options = Options(cache_dir=folder.parent / "feed-cache")
    results = publish([str(SAMPLE), str(SHORT)], folder, BASE, options)
    assert all(result.error is None for result in results)
    return folder, options


def _xml(folder):
    return lxml.etree.parse(str(folder / "feed.xml"))


def test_feed_has_every_tag_apple_podcasts_requires(feed):
    folder, _ = feed
    parsed = feedparser.parse(str(folder / "feed.xml"))
    assert not parsed.bozo, parsed.bozo_exception
    channel = _xml(folder).find("channel")
    for path in ("title", "description", "language", "link", "itunes:author", "itunes:explicit",
                 "itunes:owner/itunes:email", "itunes:owner/itunes:name"):
        assert channel.findtext(path, namespaces=NS), path
    assert channel.find("itunes:image", NS).get("href") == f"{BASE}/cover.png"
    assert channel.find("itunes:category", NS).get("text") == "News"
    from PIL import Image

    with Image.open(folder / "cover.png") as cover:
        assert cover.size[0] == cover.size[1] and 1400 <= cover.size[0] <= 3000


def test_every_item_points_at_real_files_of_the_right_size(feed):
    folder, _ = feed
    items = _xml(folder).findall("channel/item")
    assert len(items) == 2
    for item in items:
        enclosure = item.find("enclosure")
        name = enclosure.get("url").removeprefix(f"{BASE}/")
        assert name.isascii()
        assert enclosure.get("type") == "audio/mpeg"
        assert int(enclosure.get("length")) == (folder / name).stat().st_size
        assert item.findtext("guid") and item.findtext("title") and item.findtext("description")
        assert email.utils.parsedate_to_datetime(item.findtext("pubDate"))
        assert int(item.findtext("itunes:duration", namespaces=NS)) > 10
        assert item.findtext("itunes:episode", namespaces=NS)
        assert item.findtext("content:encoded", namespaces=NS).count("<p>") > 3
        types = {t.get("type"): t.get("url") for t in item.findall("podcast:transcript", NS)}
        assert set(types) == {"text/vtt", "application/x-subrip", "application/json"}
        for url in [*types.values(), item.find("podcast:chapters", NS).get("url")]:
            assert (folder / url.removeprefix(f"{BASE}/")).exists()
    sample = next(item for item in items if "Karabakh" in item.findtext("title"))
    people = {person.text for person in sample.findall("podcast:person", NS)}
    assert {"Jenny Paturyan", "Zaur Shiriyev", "Giorgi Gogia"} <= people
    assert all(person.get("role") == "guest" for person in sample.findall("podcast:person", NS))
    assert sample.findtext("pubDate").startswith("Tue, 26 Sep 2023")


def test_episodes_are_at_podcast_loudness(feed):
    folder, _ = feed
    signal_, rate = decode(next((folder / "episodes").glob("nagorny*.mp3")))
    assert -17.0 <= loudness_lufs(signal_, rate) <= -15.0
    assert true_peak_dbtp(signal_, rate) <= -1.0


def test_republishing_replaces_only_its_own_item(feed):
    folder, options = feed
    before = {item.findtext("guid"): item.findtext("title") for item in _xml(folder).findall("channel/item")}
    publish([str(SHORT)], folder, None, options)
    publish([str(FIXTURES / "wire-straight-quotes.txt")], folder, None, options)
    after = {item.findtext("guid"): item.findtext("title") for item in _xml(folder).findall("channel/item")}
    assert set(before) < set(after) and len(after) == 3
    assert all(after[guid] == title for guid, title in before.items())
    numbers = sorted(int(item.findtext("itunes:episode", namespaces=NS)) for item in _xml(folder).findall("channel/item"))
    assert numbers == [1, 2, 3]


def test_a_speaker_keeps_their_voice_across_episodes(tmp_path):
    folder, options = tmp_path / "feed", Options(cache_dir=tmp_path / "cache")
    publish([str(SHORT)], folder, BASE, options)
    voices = (folder / "voices.json").read_text()
    second = tmp_path / "second.txt"
    second.write_text(SHORT.read_text().replace("Flood Defences Hold", "Flood Defences Hold Again").replace(
        "said Anna Fischer", "said Maria Gonzalez, a nurse, and Anna Fischer"))
    publish([str(second)], folder, None, options)
    import json

    assert json.loads(voices)["Anna Fischer"] == json.loads((folder / "voices.json").read_text())["Anna Fischer"]


def test_two_publishes_at_once_both_land(tmp_path):
    folder = tmp_path / "feed"
    command = [sys.executable, "-m", "audiobook.cli", "publish", "--feed", str(folder), "--base-url", BASE,
               "--cache-dir", str(tmp_path / "cache")]
    processes = [subprocess.Popen([*command, str(article)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for article in (SHORT, FIXTURES / "wire-straight-quotes.txt")]
    for process in processes:
        _, errors = process.communicate(timeout=180)
        assert process.returncode == 0, errors
    assert len(feedparser.parse(str(folder / "feed.xml")).entries) == 2


def test_a_publish_killed_midway_leaves_the_previous_feed_whole(tmp_path):
    folder, options = tmp_path / "feed", Options(cache_dir=tmp_path / "cache")
    publish([str(SHORT)], folder, BASE, options)
    before = (folder / "feed.xml").read_bytes()
    process = subprocess.Popen([sys.executable, "-m", "audiobook.cli", "publish", "--feed", str(folder),
                                "--cache-dir", str(tmp_path / "cache2"), str(SAMPLE)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert (folder / "feed.xml").read_bytes() == before
    assert len(feedparser.parse(str(folder / "feed.xml")).entries) == 1
    assert all(not path.name.startswith("nagorny") for path in (folder / "episodes").iterdir())


def test_serve_answers_head_and_byte_ranges(feed):
    folder, _ = feed
    server = make_server(folder, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        mp3 = next((folder / "episodes").glob("*.mp3"))
        url = f"http://127.0.0.1:{server.server_address[1]}/episodes/{mp3.name}"
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD")) as response:
            assert int(response.headers["Content-Length"]) == mp3.stat().st_size
            assert response.headers["Accept-Ranges"] == "bytes"
            assert response.headers["Content-Type"] == "audio/mpeg"
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Range": "bytes=100-199"})) as response:
            assert response.status == 206
            assert response.read() == mp3.read_bytes()[100:200]
            assert response.headers["Content-Range"] == f"bytes 100-199/{mp3.stat().st_size}"
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Range": "bytes=-10"})) as response:
            assert response.read() == mp3.read_bytes()[-10:]
    finally:
        server.shutdown()
        server.server_close()


def test_two_people_who_had_one_voice_in_different_episodes_sound_apart_when_they_meet(tmp_path):
    from audiobook.api import prepare
    from audiobook.publish.publisher import _with_feed_voices

    folder = tmp_path / "feed"
    folder.mkdir()
    prepared = prepare(str(SHORT))
    names = [speaker.name for speaker in prepared.script.speakers]
    shared = {name: "scottish-man" for name in names} | {"Someone Gone": "a-voice-since-removed"}
    cast = _with_feed_voices(prepared, shared).cast
    voices = [cast.speakers[speaker.id] for speaker in prepared.script.speakers]
    assert len({(v.name, v.variant, v.pitch, v.rate) for v in voices}) == len(voices) == 2
    assert "scottish-man" in {v.id for v in voices}
