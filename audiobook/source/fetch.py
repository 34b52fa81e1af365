"""Fetch an article over http(s): bounded in time, size and redirects, and only if it is text."""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from functools import partial

from audiobook import __version__
from audiobook.errors import InputError

TIMEOUT_SECONDS = 20.0
MAX_BYTES = 20 * 1024 * 1024
MAX_REDIRECTS = 5
_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown")


@dataclass(frozen=True)
class Fetched:
    data: bytes
    url: str
    """Where the article was found, after redirects."""
    charset: str | None


class _Deadline:
    """One limit for the whole fetch. A server that trickles a byte now and then never trips a
    per-read timeout, so when the time is up the open connections are shut down under the reader."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._cut = False

    def remaining(self) -> float:
        return max(0.001, self.at - time.monotonic())

    def expired(self) -> bool:
        return time.monotonic() >= self.at

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self._cut:
                _shut(sock)

    def cut(self) -> None:
        with self._lock:
            self._cut = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


class _DeadlineConnection:
    """Mixed into http.client's connections: the socket gets what is left of the deadline, and is watched."""

    def __init__(self, *args, deadline: _Deadline, **kwargs) -> None:  # noqa: ANN002, ANN003 - http.client's
        super().__init__(*args, **kwargs)
        self._deadline = deadline

    def connect(self) -> None:
        self.timeout = self._deadline.remaining()
        super().connect()
        self._deadline.watch(self.sock)


class _DeadlineHTTPConnection(_DeadlineConnection, http.client.HTTPConnection):
    pass


class _DeadlineHTTPSConnection(_DeadlineConnection, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, request):  # noqa: ANN001, ANN201 - urllib's protocol
        return self.do_open(partial(_DeadlineHTTPConnection, deadline=self._deadline), request)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def https_open(self, request):  # noqa: ANN001, ANN201
        return self.do_open(partial(_DeadlineHTTPSConnection, deadline=self._deadline), request,
                            context=self._context)


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a few redirects, each to http(s) only: never ftp:, file: or data: on a server's say-so."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(self, request, fp, code, msg, headers):  # noqa: ANN001, ANN201 - urllib's protocol
        # Checked before urllib looks: it would follow ftp: itself and call file: "too many redirects".
        location = headers.get("location") or headers.get("uri")
        if location:
            target = urllib.parse.urljoin(request.full_url, location)
            if urllib.parse.urlsplit(target).scheme.lower() not in ("http", "https"):
                fp.close()
                raise InputError(f"{request.full_url}: redirected to {target[:200]}, which is not an http(s) "
                                 "address; not followed")
        return super().http_error_302(request, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def is_url(location: str) -> bool:
    return bool(re.match(r"^https?://", location, re.IGNORECASE))


def fetch(url: str, timeout: float = TIMEOUT_SECONDS) -> Fetched:
    """The page at ``url``, all of it within ``timeout`` seconds (connecting, redirects and body together)."""
    deadline = _Deadline(timeout)
    opener = urllib.request.build_opener(_HTTPHandler(deadline), _HTTPSHandler(deadline), _WebOnlyRedirects())
    request = urllib.request.Request(url, headers={
        "User-Agent": f"audiobook/{__version__} (accessible audio editions)",
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
    })
    too_slow = InputError(f"{url}: no answer within {timeout:g} s (the whole fetch)")
    watchdog = threading.Timer(timeout, deadline.cut)
    watchdog.daemon = True
    watchdog.start()
    try:
        with opener.open(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type()
            if content_type not in _TEXT_TYPES:
                raise InputError(f"{url}: not an article page (the server sent {content_type})")
            data = response.read(MAX_BYTES + 1)
            if deadline.expired():
                raise too_slow  # the cut connection may have ended the body early
            if len(data) > MAX_BYTES:
                raise InputError(f"{url}: page larger than {MAX_BYTES // 2**20} MB")
            return Fetched(data, response.geturl(), response.headers.get_content_charset())
    except InputError:
        raise
    except urllib.error.HTTPError as error:
        error.close()  # it holds the response's socket
        if error.code in (301, 302, 303, 307, 308):
            raise InputError(f"{url}: too many redirects (more than {MAX_REDIRECTS})") from None
        raise InputError(f"{url}: the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        if deadline.expired() or isinstance(error.reason, (TimeoutError, socket.timeout)):
            raise too_slow from None
        raise InputError(f"{url}: could not be fetched ({error.reason})") from None
    except (TimeoutError, socket.timeout):
        raise too_slow from None
    except (http.client.HTTPException, ConnectionError):
        if deadline.expired():
            raise too_slow from None
        raise InputError(f"{url}: the server closed the connection mid-answer") from None
    except ValueError as error:
        raise InputError(f"{url}: not a valid address ({error})") from None
    finally:
        watchdog.cancel()
