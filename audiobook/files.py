"""Writing files so that a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from audiobook.errors import OutputError

# A temporary file untouched this long belongs to a render that was killed, not one still writing.
STALE_AFTER_SECONDS = 3600


@contextmanager
def replacing(final: Path, durable: bool = False) -> Iterator[Path]:
    """A temporary path beside ``final`` that replaces it when the block ends cleanly and
    vanishes on any error. ``durable`` flushes it to disk first, so a crash of the machine
    cannot leave a renamed but empty file."""
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".part")
    except OSError as error:
        raise OutputError(f"{final.parent}: cannot write here ({error.strerror})") from None
    os.close(handle)
    # mkstemp makes owner-only files; what we write is for sharing, so honour the umask as open() does.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(name, 0o666 & ~umask)
    temporary = Path(name)
    try:
        yield temporary
        if durable:
            with open(temporary, "rb+") as written:
                os.fsync(written.fileno())
        os.replace(temporary, final)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes, durable: bool = False) -> None:
    with replacing(path, durable) as temporary:
        temporary.write_bytes(data)


def write_checked(path: Path, data: bytes) -> None:
    """``data`` written atomically after a line with its SHA-256, so `read_checked` tells damage from data."""
    write_atomically(path, hashlib.sha256(data).hexdigest().encode() + b"\n" + data)


def read_checked(path: Path) -> bytes | None:
    """What `write_checked` wrote, or None when the file is missing, unreadable or damaged.

    Reading marks the file used now: caches prune the least recently used first, and a file
    once open stays readable even if a prune removes it meanwhile."""
    try:
        with path.open("rb") as opened:
            os.utime(opened.fileno())
            digest, _, data = opened.read().partition(b"\n")
    except OSError:
        return None
    return data if hashlib.sha256(data).hexdigest().encode() == digest else None


def sweep_stale(final: Path) -> int:
    """Remove temporary files that ``replacing(final)`` left when its process was killed; returns how many.

    Only names of our own making (.NAME.XXXXXXXX.part) are touched, and only once they are stale."""
    ours = re.compile(rf"\.{re.escape(final.name)}\.[a-z0-9_]{{8}}\.part")
    removed = 0
    try:
        candidates = [entry for entry in os.scandir(final.parent) if ours.fullmatch(entry.name)]
    except FileNotFoundError:
        return 0
    for entry in candidates:
        try:
            if entry.is_file(follow_symlinks=False) and time.time() - entry.stat().st_mtime > STALE_AFTER_SECONDS:
                os.unlink(entry.path)
                removed += 1
        except FileNotFoundError:  # another run swept it first
            continue
    return removed
