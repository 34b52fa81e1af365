"""The clip cache shared through an object store or any fsspec file system (``s3://bucket/prefix``).

Workers on several machines share clips this way without a shared disk. The local cache stays
the working copy (the mixer reads clips from local files); this store is behind it: a clip
missing here is fetched from the store, and every clip made here is sent there.

Each object is ``SHARD/KEY.SUFFIX``, so a look-up is one read, never a listing of the bucket.
Its bytes start with a header carrying the SHA-256 of the rest, verified on every read: a
damaged object is deleted, logged and made again, as a damaged local entry is. An object store
replaces an object whole on each put, so readers see the old entry or the new one; on other
file systems an entry is written under a temporary name and moved into place.

Pruning is by age with a grace period, not by leases: an object store has no locks, a read does
not change an object's time, and a machine that dies holding a lease would need an expiry anyway.
Nothing a render needs can be lost to it: every read from the store is one whole object, copied
into the local cache that the render then works from, so a pruned object is a miss and made
again. Objects written in the last day (the grace period) stay whatever the limit, so what a
batch's workers are making for each other now is kept; beyond that the least recently written
go first. A render prunes the store at most once a day (one look at a marker object per render);
``audiobook cache --prune`` prunes it at once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time
import uuid
from datetime import datetime

import fsspec

from audiobook.errors import OutputError
from audiobook.files import STALE_AFTER_SECONDS

log = logging.getLogger("audiobook")

_HEADER = b"audiobook-clip sha256="
# File systems that store an object whole on each put: no temporary name needed.
_WHOLE_OBJECT_PUTS = {"s3", "s3a", "gs", "gcs", "az", "abfs", "memory"}
DEFAULT_LIMIT_BYTES = 50 * 1024**3
GRACE_SECONDS = 24 * 3600
PRUNE_EVERY_SECONDS = 24 * 3600
PRUNED_MARKER = ".pruned"  # its time is when the store was last pruned
_OUR_OBJECT = re.compile(r"(?P<shard>[0-9a-f]{2})/(?P=shard)[0-9a-f]{62}\.(wav|mp3|json)")
_OUR_TEMPORARY = re.compile(r"[0-9a-f]{2}/[0-9a-f]{64}\.(wav|mp3|json)\.[0-9]+\.[0-9a-f]{8}\.part")


class SharedStore:
    def __init__(self, url: str, limit_bytes: int | None = None) -> None:
        self.url = url.rstrip("/")
        self.limit_bytes = DEFAULT_LIMIT_BYTES if limit_bytes is None else limit_bytes
        try:
            self._fs, self._root = fsspec.core.url_to_fs(self.url)
        except (ImportError, ValueError) as error:  # an unknown protocol, or its package not installed
            raise OutputError(f"cache store {url}: {error}") from None
        protocols = {self._fs.protocol} if isinstance(self._fs.protocol, str) else set(self._fs.protocol)
        self._whole_object_puts = bool(protocols & _WHOLE_OBJECT_PUTS)

    def __reduce__(self) -> tuple:
        # Sent to worker processes as its URL: each opens the file system itself.
        return SharedStore, (self.url, self.limit_bytes)

    def _path(self, key: str, suffix: str) -> str:
        return f"{self._root}/{key[:2]}/{key}{suffix}"

    def open(self) -> SharedStore:
        """Make sure the store can be written, as one named error if it cannot."""
        probe = f"{self._root}/.probe.{uuid.uuid4().hex}"
        try:
            if not self._whole_object_puts:  # an object store has no folders to make
                self._fs.makedirs(self._root, exist_ok=True)
            self._fs.pipe_file(probe, b"")
            self._fs.rm_file(probe)
        except Exception as error:  # noqa: BLE001 - each backend raises its own kinds; all mean the same here
            raise OutputError(f"cache store {self.url} is not writable ({_reason(error)})") from None
        return self

    def get(self, key: str, suffix: str) -> bytes | None:
        """The entry's bytes if the store holds an intact one; a damaged one is deleted."""
        path = self._path(key, suffix)
        try:
            stored = self._fs.cat_file(path)
        except FileNotFoundError:
            return None
        except Exception as error:  # noqa: BLE001 - an unreachable store is a miss: the clip is made again
            log.warning("cache store: could not read %s (%s); making it here", path, _reason(error))
            return None
        header, _, data = stored.partition(b"\n")
        if header != _HEADER + hashlib.sha256(data).hexdigest().encode():
            log.warning("cache store: discarded %s (its bytes do not match its checksum); it will be made again", path)
            try:
                self._fs.rm_file(path)
            except Exception:  # noqa: BLE001 - gone already, or not ours to delete: a good entry will replace it
                pass
            return None
        return data

    def put(self, key: str, suffix: str, data: bytes) -> None:
        path = self._path(key, suffix)
        stored = _HEADER + hashlib.sha256(data).hexdigest().encode() + b"\n" + data
        try:
            if self._whole_object_puts:
                self._fs.pipe_file(path, stored)
                return
            self._fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
            temporary = f"{path}.{os.getpid()}.{uuid.uuid4().hex[:8]}.part"
            self._fs.pipe_file(temporary, stored)
            self._fs.mv(temporary, path)
        except Exception as error:  # noqa: BLE001 - the clip is in the local cache; others make it again
            log.warning("cache store: could not write %s (%s)", path, _reason(error))

    def entries(self) -> list[tuple[float | None, int, str, str]]:
        """Every object of ours: (when written, if the store says, size, path, "entry" or "temporary")."""
        try:
            self._fs.invalidate_cache(self._root)  # a listing cached earlier in this process is out of date
            listing = self._fs.find(self._root, detail=True)
        except Exception as error:  # noqa: BLE001 - each backend raises its own kinds; all mean the same here
            raise OutputError(f"cache store {self.url} cannot be listed ({_reason(error)})") from None
        found = []
        for path, info in listing.items():
            name = path[len(self._root):].lstrip("/")
            kind = "entry" if _OUR_OBJECT.fullmatch(name) else "temporary" if _OUR_TEMPORARY.fullmatch(name) else None
            if kind:
                found.append((_written(info), int(info.get("size") or 0), path, kind))
        return found

    def prune(self, grace_seconds: float | None = None) -> int:
        """Remove the least recently written entries until the store fits its limit, sparing those
        written within the grace period; returns how many went. Objects of other names are never touched."""
        now, grace_seconds = time.time(), GRACE_SECONDS if grace_seconds is None else grace_seconds
        entries, doomed = [], []
        for written, size, path, kind in self.entries():
            if written is None:
                continue  # a store that does not say when: nothing proves the object old
            if kind == "temporary":  # a writer that died mid-put; a live one moves its file within seconds
                if written < now - STALE_AFTER_SECONDS:
                    doomed.append(path)
            else:
                entries.append((written, size, path))
        total = sum(size for _, size, _ in entries)
        for written, size, path in sorted(entries):
            if total <= self.limit_bytes or written >= now - grace_seconds:
                break
            doomed.append(path)
            total -= size
        for path in doomed:
            try:
                self._fs.rm_file(path)
            except FileNotFoundError:  # another machine pruned it first
                pass
        return len(doomed)

    def prune_when_due(self) -> int:
        """Prune if no render has for a day; the marker is taken first, so renders finishing together
        do not all list the bucket. A store that fails here costs a warning, never the episode."""
        marker = f"{self._root}/{PRUNED_MARKER}"
        try:
            try:
                last = _written(self._fs.info(marker))
            except FileNotFoundError:
                last = None
            if last is not None and last > time.time() - PRUNE_EVERY_SECONDS:
                return 0
            self._fs.pipe_file(marker, b"")
            return self.prune()
        except Exception as error:  # noqa: BLE001 - each backend raises its own kinds; pruning waits for the next render
            log.warning("cache store: could not prune %s (%s)", self.url, _reason(error))
            return 0


def _written(info: dict) -> float | None:
    """When an object was last written, from whichever field its file system reports."""
    for field in ("LastModified", "mtime", "last_modified", "updated", "created"):
        value = info.get(field)
        if isinstance(value, datetime):
            return value.timestamp()
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            try:
                return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
            except ValueError:
                continue
    return None


def _reason(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__
