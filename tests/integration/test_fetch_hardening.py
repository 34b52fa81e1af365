"""Fetching: one deadline for the whole fetch, and redirects to http(s) only, at every hop."""

from __future__ import annotations

import http.server
import socket
import threading
import time

import pytest

from audiobook.errors import InputError
from audiobook.source.fetch import fetch

ARTICLE = b"<html><body><article><h1>Title</h1><p>Text of the story.</p></article></body></html>"


class _Hostile(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        try:
            if self.path == "/trickle-body":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(ARTICLE)))
                self.end_headers()
                for byte in ARTICLE:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.5)
            elif self.path == "/trickle-headers":
                self.wfile.write(b"HTTP/1.0 200 OK\r\n")
                for _ in range(60):
                    self.wfile.write(b"X: y\r\n")
                    self.wfile.flush()
                    time.sleep(0.5)
            elif self.path.startswith("/to/"):
                self.send_response(302)
                self.send_header("Location", self.path.removeprefix("/to/").replace("|", "/"))
                self.end_headers()
            elif self.path == "/hop":
                self.send_response(301)
                self.send_header("Location", "/to/ftp:||127.0.0.1:21|x")
                self.end_headers()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def log_message(self, *args) -> None:  # noqa: ANN002
        pass


@pytest.fixture(scope="module")
def hostile():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("path", ["/trickle-body", "/trickle-headers"])
def test_a_server_trickling_a_byte_every_half_second_meets_one_overall_deadline(hostile, path):
    started = time.monotonic()
    with pytest.raises(InputError, match="no answer within 2 s"):
        fetch(f"{hostile}{path}", timeout=2)
    assert time.monotonic() - started < 3.5


@pytest.mark.parametrize("target", ["ftp://127.0.0.1:21/x", "file:///etc/passwd", "data:text/html,hello"])
def test_a_redirect_to_anything_but_http_is_refused_and_named(hostile, target):
    with pytest.raises(InputError) as refused:
        fetch(f"{hostile}/to/{target.replace('/', '|')}", timeout=5)
    message = str(refused.value)
    assert target.split(":")[0] + ":" in message and "not an http(s) address" in message
    assert "too many redirects" not in message


def test_a_refused_scheme_after_an_allowed_hop_is_refused_too(hostile):
    ftp = socket.socket()
    ftp.bind(("127.0.0.1", 0))
    ftp.listen()
    port = ftp.getsockname()[1]
    ftp.settimeout(0.2)
    with pytest.raises(InputError, match="ftp:.*not an http"):
        fetch(f"{hostile}/to/{f'|to|ftp:||127.0.0.1:{port}|x'}", timeout=5)
    with pytest.raises(TimeoutError):
        ftp.accept()  # nobody knocked on the FTP port
    ftp.close()
    with pytest.raises(InputError, match="ftp:"):
        fetch(f"{hostile}/hop", timeout=5)
