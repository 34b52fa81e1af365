"""The clip cache shared through an object store or any fsspec file system (``s3://bucket/prefix``).

Workers on several machines share clips this way without a shared disk. The local cache stays
the working copy (the mixer reads clips from local files); this store is behind it: a clip
missing here is fetched from the store, and every clip made here is sent there.

Each object is ``SHARD/KEY.SUFFIX``, so a look-up is one read, never a listing of the bucket.
Its bytes start with a header carrying the SHA-256 of the rest, verified on every read: a
damaged object is deleted, logged and made again, as a damaged local entry is. An object store
replaces an object whole on each put, so readers see the old entry or the new one; on other
file systems an entry is written under a temporary name and moved into place.

The store is never pruned from here: a bucket's lifecycle rule (expire after N days) does that
without any worker having to list it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import uuid

import fsspec

from audiobook.errors import OutputError

log = logging.getLogger("audiobook")

_HEADER = b"audiobook-clip sha256="
# File systems that store an object whole on each put: no temporary name needed.
_WHOLE_OBJECT_PUTS = {"s3", "s3a", "gs", "gcs", "az", "abfs", "memory"}


class SharedStore:
    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        try:
            self._fs, self._root = fsspec.core.url_to_fs(self.url)
        except (ImportError, ValueError) as error:  # an unknown protocol, or its package not installed
            raise OutputError(f"cache store {url}: {error}") from None
        protocols = {self._fs.protocol} if isinstance(self._fs.protocol, str) else set(self._fs.protocol)
        self._whole_object_puts = bool(protocols & _WHOLE_OBJECT_PUTS)

    def __reduce__(self) -> tuple:
        # Sent to worker processes as its URL: each opens the file system itself.
        return SharedStore, (self.url,)

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


def _reason(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__
