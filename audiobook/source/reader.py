"""Read an article's bytes from a path or standard input and decode them to text."""

from __future__ import annotations

import codecs
import logging
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from audiobook.errors import InputError
from audiobook.source.fetch import fetch, is_url

# Control characters that never occur in text; finding them means the file is binary.
_BINARY_BYTES = frozenset(range(32)) - {9, 10, 12, 13}
MAX_BYTES = 50 * 1024 * 1024
# What XML 1.0 cannot carry (controls, lone surrogates, U+FFFE/U+FFFF): one such character in a
# title would make every later feed.xml unwritable, and no listener can hear it anyway.
_NOT_XML = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
log = logging.getLogger("audiobook")


@dataclass(frozen=True)
class Source:
    """An article's text and where it came from."""

    text: str
    name: str
    """File stem or 'stdin': used for the default output name when the title gives none."""
    path: Path | None = None
    url: str | None = None


def read_source(location: str) -> Source:
    """Read ``location`` (a path, an http(s) URL, or '-' for standard input) as decoded text."""
    if is_url(location):
        fetched = fetch(location)
        text = decode(fetched.data, location, fetched.charset)
        if not text.strip():
            raise InputError(f"{location}: the page is empty")
        return Source(text=text, name="article", url=fetched.url)
    if location == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        name, path = "stdin", None
    else:
        path = Path(location)
        if not path.exists():
            raise InputError(f"{location}: no such file")
        if path.is_dir():
            raise InputError(f"{location}: is a folder, not an article file")
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{location}: larger than {MAX_BYTES // 2**20} MB, not an article")
        try:
            data = path.read_bytes()
        except OSError as error:
            raise InputError(f"{location}: cannot be read ({error.strerror})") from None
        name = path.stem
    if len(data) > MAX_BYTES:
        raise InputError(f"{location}: larger than {MAX_BYTES // 2**20} MB, not an article")
    text = decode(data, location)
    if not text.strip():
        raise InputError(f"{location}: the file is empty")
    return Source(text=text, name=name, path=path)


def decode(data: bytes, label: str, declared: str | None = None) -> str:
    """Decode article bytes: a BOM wins, then a charset the server declared, then UTF-8, then
    Windows-1252 (a superset of Latin-1's printable range)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(f"{label}: starts with a {encoding} mark but is not valid {encoding}") from None
            if encoding == "utf-16":
                log.warning("%s is UTF-16; read it as such", label)
            return _normalise_newlines(text)
    if any(byte in _BINARY_BYTES for byte in data[:8192]):
        raise InputError(f"{label}: a binary file, not text")
    if declared:
        try:
            return _normalise_newlines(data.decode(declared))
        except (UnicodeDecodeError, LookupError):
            pass  # Servers misdeclare; fall back to what the bytes say.
    try:
        return _normalise_newlines(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    # cp1252 leaves five bytes undefined; in Latin-1 they are controls, so dropping them loses no text.
    log.warning("%s is not UTF-8; read it as Windows-1252 (Latin-1)", label)
    return _normalise_newlines(data.decode("cp1252", errors="ignore"))


def _normalise_newlines(text: str) -> str:
    """Unix newlines, plain spaces, and nothing XML cannot carry (a BOM inside the text included)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\f", "\n")
    return _NOT_XML.sub("", text.replace("\ufeff", ""))
