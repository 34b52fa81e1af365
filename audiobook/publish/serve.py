"""Serve a feed folder over HTTP on this machine, with the byte ranges podcast apps and browsers ask for.

Only what listeners need is served: the feed, the pages, each episode's media and sidecars and
the cover, all inside the folder once links are resolved. The feed's settings (the owner's
e-mail), its state files and its lock are not, and folders are never listed.
"""

from __future__ import annotations

import email.utils
import errno
import http.server
import os
import re
import shutil
import socket
import sys
import urllib.parse
from functools import partial
from pathlib import Path, PurePosixPath

from audiobook.errors import InputError, OutputError
from audiobook.publish.state import load_settings

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_LARGEST = 10**18  # beyond any file: a range number of thousands of digits means "past the end"
_TOP_LEVEL = {"feed.xml", "index.html", "cover.png"}
_EPISODE_FILES = (".mp3", ".vtt", ".srt", ".json", ".txt", ".html", ".epub")
CONNECTION_TIMEOUT_SECONDS = 30.0


class FeedHandler(http.server.SimpleHTTPRequestHandler):
    """Listener files, plus single byte ranges (206 Partial Content) for seeking in long episodes."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mp3": "audio/mpeg", ".vtt": "text/vtt", ".srt": "application/x-subrip", ".json": "application/json",
        ".xml": "application/rss+xml", ".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
        ".epub": "application/epub+zip",
    }

    def __init__(self, *args, directory: str, cover: str | None = None, **kwargs) -> None:  # noqa: ANN002, ANN003
        self._cover = cover
        super().__init__(*args, directory=directory, **kwargs)

    def send_head(self):  # noqa: ANN201 - http.server's protocol
        self._range = None
        path = self._public_file()
        if path is None:
            self.send_error(404, "Not found")
            return None
        try:
            handle = open(path, "rb")
        except OSError:
            self.send_error(404, "Not found")
            return None
        size = os.fstat(handle.fileno()).st_size
        span = _byte_range(self.headers.get("Range"), size)
        if span == "unsatisfiable":
            handle.close()
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if span is None:
            self.send_response(200)
            self.send_header("Content-Length", str(size))
        else:
            start, end = span
            handle.seek(start)
            self._range = end - start + 1
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
            self.send_header("Content-Length", str(self._range))
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Last-Modified", email.utils.formatdate(os.fstat(handle.fileno()).st_mtime, usegmt=True))
        self.end_headers()
        return handle

    def _public_file(self) -> Path | None:
        """The file asked for, if it is one listeners need and lies inside the folder after resolving links."""
        requested = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path, errors="replace")
        relative = PurePosixPath(requested.lstrip("/") or "index.html")
        root = Path(self.directory).resolve()
        if ".." in relative.parts or not self._listener_file(relative):
            return None
        resolved = (root / relative).resolve()
        if not resolved.is_relative_to(root) or not resolved.is_file():
            return None
        if not self._listener_file(PurePosixPath(resolved.relative_to(root).as_posix())):
            return None  # a link from a listener's name to a private file
        return resolved

    def _listener_file(self, relative: PurePosixPath) -> bool:
        if any(part.startswith(".") for part in relative.parts):
            return False  # temporary files of a publish, the lock
        if str(relative) in _TOP_LEVEL or str(relative) == self._cover:
            return True
        return len(relative.parts) == 2 and relative.parts[0] == "episodes" and relative.suffix in _EPISODE_FILES

    def end_headers(self) -> None:
        self.send_header("Accept-Ranges", "bytes")
        super().end_headers()

    def copyfile(self, source, outputfile) -> None:  # noqa: ANN001
        if getattr(self, "_range", None):
            remaining = self._range
            while remaining > 0:
                chunk = source.read(min(64 * 1024, remaining))
                if not chunk:
                    break
                outputfile.write(chunk)
                remaining -= len(chunk)
        else:
            shutil.copyfileobj(source, outputfile)

    def list_directory(self, path):  # noqa: ANN001, ANN201 - never called: no folder is served
        self.send_error(404, "Not found")
        return None

    def log_message(self, format: str, *args) -> None:  # noqa: A002, ANN002 - http.server's signature
        if os.environ.get("AUDIOBOOK_SERVE_LOG"):
            super().log_message(format, *args)


def _byte_range(header: str | None, size: int) -> tuple[int, int] | str | None:
    """(start, end) of a single byte range, "unsatisfiable", or None to send the whole file: a
    malformed or multi-part Range is ignored, as RFC 9110 (14.2) lets a server do."""
    match = _RANGE.match((header or "").strip())
    if not match or not (match.group(1) or match.group(2)):
        return None
    first, last = (min(int(digits), _LARGEST) if len(digits) <= 18 else _LARGEST
                   for digits in (match.group(1) or "0", match.group(2) or str(_LARGEST)))
    if not match.group(1):  # "bytes=-500": the last 500 bytes
        return (max(0, size - last), size - 1) if last and size else "unsatisfiable"
    if first >= size or first > last:
        return "unsatisfiable"
    return first, min(last, size - 1)


def _feed_image(folder: Path) -> str | None:
    """The feed's own cover image named in feed.toml, if any: the listeners' too."""
    if not (folder / "feed.toml").exists():
        return None
    try:
        return load_settings(folder).image or None
    except InputError:
        return None  # publish reports a damaged feed.toml; serving the rest does no harm


class _FeedServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        """A listener who stops a download or goes quiet is ordinary, not an error to print."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def make_server(folder: Path, port: int = 8000, host: str = "127.0.0.1",
                timeout: float = CONNECTION_TIMEOUT_SECONDS) -> http.server.ThreadingHTTPServer:
    """A server for ``folder``; a connection that sends nothing for ``timeout`` seconds is closed."""
    handler = type("TimedFeedHandler", (FeedHandler,), {"timeout": timeout})
    try:
        return _FeedServer((host, port), partial(handler, directory=str(folder), cover=_feed_image(folder)))
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise OutputError(f"port {port} on {host} is already in use; choose another with --port") from None
        if isinstance(error, socket.gaierror):
            raise OutputError(f"{host}: not an address to listen on ({error.strerror})") from None
        raise OutputError(f"cannot listen on {host}:{port} ({error.strerror})") from None
