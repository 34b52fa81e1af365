"""Serve a feed folder over HTTP on this machine, with the byte ranges podcast apps and browsers ask for."""

from __future__ import annotations

import http.server
import os
import re
import shutil
from functools import partial
from pathlib import Path

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class FeedHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, plus single byte ranges (206 Partial Content) for seeking in long episodes."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mp3": "audio/mpeg", ".vtt": "text/vtt", ".srt": "application/x-subrip", ".json": "application/json",
        ".xml": "application/rss+xml", ".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8",
    }

    def send_head(self):  # noqa: ANN201 - http.server's protocol
        self._range = None
        requested = self.headers.get("Range")
        path = Path(self.translate_path(self.path))
        if not requested or not path.is_file():
            return super().send_head()
        size = path.stat().st_size
        match = _RANGE.match(requested.strip())
        if not match or (not match.group(1) and not match.group(2)):
            self.send_error(416, "Only single byte ranges are served")
            return None
        if match.group(1):
            start = int(match.group(1))
            end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
        else:  # "bytes=-500": the last 500 bytes
            start, end = max(0, size - int(match.group(2))), size - 1
        if start >= size or start > end:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.end_headers()
            return None
        handle = open(path, "rb")
        handle.seek(start)
        self._range = end - start + 1
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(self._range))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        return handle

    def end_headers(self) -> None:
        if not getattr(self, "_range", None):
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

    def log_message(self, format: str, *args) -> None:  # noqa: A002, ANN002 - http.server's signature
        if os.environ.get("AUDIOBOOK_SERVE_LOG"):
            super().log_message(format, *args)


def make_server(folder: Path, port: int = 8000, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    return http.server.ThreadingHTTPServer((host, port), partial(FeedHandler, directory=str(folder)))
