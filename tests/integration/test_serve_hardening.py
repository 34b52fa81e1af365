"""`serve` serves what listeners need and nothing else, and survives hostile and impatient clients."""

from __future__ import annotations

import http.client
import socket
import struct
import threading
import time

import pytest
from click.testing import CliRunner

from audiobook.cli import main
from audiobook.errors import OutputError
from audiobook.publish.serve import make_server

MEDIA = bytes(range(256)) * 40_000  # 10 MB: long enough that a client can leave midway


@pytest.fixture
def folder(tmp_path):
    feed = tmp_path / "feed"
    (feed / "episodes" / "art").mkdir(parents=True)
    (feed / "feed.xml").write_text("<rss/>")
    (feed / "index.html").write_text("<p>index</p>")
    (feed / "cover.png").write_bytes(b"png")
    (feed / "feed.toml").write_text('owner_email = "owner@example.org"\n')
    (feed / "episodes.json").write_text("[]")
    (feed / "voices.json").write_text("{}")
    (feed / ".publish.lock").write_text("")
    (feed / "episodes" / "story.mp3").write_bytes(MEDIA)
    (feed / "episodes" / "story.chapters.json").write_text("{}")
    (feed / "episodes" / ".story.mp3.abcd.part").write_bytes(b"half")
    (feed / "episodes" / "passwd.mp3").symlink_to("/etc/passwd")
    (feed / "episodes" / "settings.mp3").symlink_to(feed / "feed.toml")
    (feed / "episodes" / "alias.mp3").symlink_to(feed / "episodes" / "story.mp3")
    return feed


@pytest.fixture
def served(folder):
    server = make_server(folder, 0, timeout=1.0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def _get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes, http.client.HTTPMessage]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, response.headers


@pytest.mark.parametrize("path", ["/feed.xml", "/index.html", "/", "/cover.png", "/episodes/story.mp3",
                                  "/episodes/story.chapters.json", "/episodes/alias.mp3"])
def test_listener_files_are_served(served, path):
    assert _get(served, path)[0] == 200


@pytest.mark.parametrize("path", [
    "/feed.toml", "/episodes.json", "/voices.json", "/.publish.lock", "/episodes/.story.mp3.abcd.part",
    "/episodes/passwd.mp3", "/episodes/settings.mp3", "/episodes/", "/episodes", "/../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd", "/episodes/art/",
])
def test_private_files_links_out_and_folders_are_not(served, path):
    status, body, _ = _get(served, path)
    assert status == 404
    assert b"owner@example.org" not in body and b"root:" not in body and b"<li>" not in body


def test_ranges_hostile_and_malformed(served):
    huge = "9" * 4300
    status, body, headers = _get(served, "/episodes/story.mp3", {"Range": f"bytes=0-{huge}"})
    assert status == 206 and body == MEDIA
    assert headers["Content-Range"] == f"bytes 0-{len(MEDIA) - 1}/{len(MEDIA)}"
    assert _get(served, "/episodes/story.mp3", {"Range": f"bytes={huge}-"})[0] == 416
    assert _get(served, "/episodes/story.mp3", {"Range": f"bytes=-{huge}"})[1] == MEDIA
    for malformed in ("bytes=abc", "bytes=1-2,5-6", "pages=1-2", "bytes=-"):
        status, body, _ = _get(served, "/episodes/story.mp3", {"Range": malformed})
        assert (status, len(body)) == (200, len(MEDIA)), malformed
    status, body, _ = _get(served, "/episodes/story.mp3", {"Range": "bytes=10-19"})
    assert (status, body) == (206, MEDIA[10:20])


def test_an_aborted_download_prints_no_traceback(served, capfd):
    for _ in range(3):
        client = socket.create_connection(("127.0.0.1", served))
        client.sendall(b"GET /episodes/story.mp3 HTTP/1.1\r\nHost: x\r\n\r\n")
        client.recv(1000)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not goodbye
        client.close()
    time.sleep(1.0)
    assert _get(served, "/feed.xml")[0] == 200
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Exception" not in err


def test_a_silent_connection_is_closed_after_the_timeout(served):
    client = socket.create_connection(("127.0.0.1", served))
    client.settimeout(5)
    started = time.monotonic()
    assert client.recv(100) == b""  # the server hung up on a client that said nothing
    assert time.monotonic() - started < 3
    client.close()


def test_a_port_in_use_is_one_named_line(folder):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = taken.getsockname()[1]
    with pytest.raises(OutputError, match=f"port {port} .*already in use"):
        make_server(folder, port)
    result = CliRunner().invoke(main, ["serve", str(folder), "--port", str(port)])
    taken.close()
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "already in use" in result.output
    assert "internal error" not in result.output


def test_the_feeds_own_cover_is_served(folder):
    (folder / "art.jpg").write_bytes(b"jpg")
    (folder / "feed.toml").write_text(_settings_with_image("art.jpg"))
    server = make_server(folder, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert _get(server.server_address[1], "/art.jpg")[0] == 200
        assert _get(server.server_address[1], "/feed.toml")[0] == 404
    finally:
        server.shutdown()
        server.server_close()


def _settings_with_image(image: str) -> str:
    return (
        'title = "T"\ndescription = "D"\nlanguage = "en"\nauthor = "A"\nowner_name = "O"\n'
        'owner_email = "o@example.org"\ncategory = "News"\nexplicit = false\n'
        f'base_url = "https://audio.example.org"\nimage = "{image}"\n'
    )
