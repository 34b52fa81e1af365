"""Fetch an article over http(s): bounded in time, size and redirects, and only if it is text."""

from __future__ import annotations

import re
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass

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


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS


def is_url(location: str) -> bool:
    return bool(re.match(r"^https?://", location, re.IGNORECASE))


def fetch(url: str, timeout: float = TIMEOUT_SECONDS) -> Fetched:
    opener = urllib.request.build_opener(_LimitedRedirects())
    request = urllib.request.Request(url, headers={
        "User-Agent": f"audiobook/{__version__} (accessible audio editions)",
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1",
    })
    try:
        with opener.open(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type()
            if content_type not in _TEXT_TYPES:
                raise InputError(f"{url}: not an article page (the server sent {content_type})")
            data = response.read(MAX_BYTES + 1)
            if len(data) > MAX_BYTES:
                raise InputError(f"{url}: page larger than {MAX_BYTES // 2**20} MB")
            return Fetched(data, response.geturl(), response.headers.get_content_charset())
    except urllib.error.HTTPError as error:
        error.close()  # it holds the response's socket
        if error.code in (301, 302, 303, 307, 308):
            raise InputError(f"{url}: too many redirects (more than {MAX_REDIRECTS})") from None
        raise InputError(f"{url}: the server answered {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, (TimeoutError, socket.timeout)):
            raise InputError(f"{url}: no answer within {timeout:.0f} s") from None
        raise InputError(f"{url}: could not be fetched ({error.reason})") from None
    except (TimeoutError, socket.timeout):
        raise InputError(f"{url}: no answer within {timeout:.0f} s") from None
    except ValueError as error:
        raise InputError(f"{url}: not a valid address ({error})") from None
