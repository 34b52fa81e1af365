"""A content-addressed store of synthesized clips, shared by every render on the machine.

The key covers everything that changes the sound, so a clip is synthesized once and reused by
every later render that asks for the same words in the same voice; encoded chunks (a
paragraph's clips and pauses as MP3) are kept the same way. Files are written to a temporary
name and renamed, so two renders at once never see half a file, and each file's name carries
the checksum of its bytes: a damaged entry is discarded on read, logged, and made again.

Pruning never removes an entry a live render may still read. Each render holds a lease (a file
it keeps locked) while it runs, and touches every entry it finds; pruning removes only entries
untouched since the oldest live lease was taken. Look-ups share a lock that pruning takes
exclusively, so no entry is judged stale between a render finding it and touching it. A lease
whose render died is unlocked by the kernel and swept by the next prune.

The cache deletes only what it can prove it wrote: everything lives in its own subfolder
(``audiobook-clips``) that carries a marker file, and pruning touches only files of its own
naming scheme in there, so pointing the cache at a home or shared folder can never cost a file.
The article analyses (script/attribution/syntax.py) live in there too and are pruned with the
clips. Entries of earlier versions' layouts, which this version never reads, are removed once
untouched for an hour (an older version may still be rendering with them); those beside our
subfolder, in the folder the user named, only when their bytes show they are ours.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import logging
import os
import re
import secrets
import time
import wave
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from audiobook.errors import InputError, OutputError
from audiobook.files import STALE_AFTER_SECONDS, write_atomically
from audiobook.model import Voice

if TYPE_CHECKING:
    from audiobook.speech.store import SharedStore

log = logging.getLogger("audiobook")

DEFAULT_LIMIT_BYTES = 2 * 1024**3
STORE_NAME = "audiobook-clips"
MARKER_NAME = "CACHEDIR.TAG"
# The Cache Directory Tagging Specification's signature: backup tools skip the folder too.
MARKER_TEXT = "Signature: 8a477f597d28d172789f06886806bc55\n# audiobook clip cache: files here are made and pruned by audiobook.\n"
_MARKER_BEING_WRITTEN = re.compile(rf"\.{re.escape(MARKER_NAME)}\..*\.part")
_CHECKSUM_LENGTH = 32  # hex digits of the SHA-256 of an entry's bytes, in its name
_OUR_ENTRY = re.compile(r"[0-9a-f]{64}\.[0-9a-f]{32}\.(wav|mp3|json)")
_OUR_SHARD = re.compile(r"[0-9a-f]{2}")
LEASES_NAME = "leases"  # a folder of one locked file per live render
LOOKUP_LOCK_NAME = "lookup.lock"  # shared by look-ups, exclusive while pruning
# Where each article's analysis (script/attribution/syntax.py) and understood script (script/understood.py)
# are kept, as KEY.json, and episodes' plain covers (audio/cover.py), as KEY.png; what kind of entry each holds.
ANALYSIS_FOLDER, SCRIPTS_FOLDER, COVERS_FOLDER = "analysis", "scripts", "covers"
KEPT_FOLDERS = {ANALYSIS_FOLDER: "analysis", SCRIPTS_FOLDER: "script", COVERS_FOLDER: "cover"}
# What this version reads: a clip, a chunk (an MP3 or its clip lengths), and the kept entries.
CURRENT_KINDS = ("clip", "chunk", *KEPT_FOLDERS.values())
_OUR_KEPT = re.compile(r"[0-9a-f]{64}\.(json|png)")
# Before entries carried their checksum (5b5ee4b) they were KEY.ext, and before the marked
# subfolder (25c2ddf) they lay in shards of the cache folder itself.
_EARLIER_ENTRY = re.compile(r"[0-9a-f]{64}\.(wav|mp3|json)")
# Temporary files a killed render left in our subfolder: write_atomically's, and the first versions' mkstemp names.
_OUR_TEMPORARY = re.compile(r"\.[0-9a-f]{64}\.([0-9a-f]{32}\.)?(wav|mp3|json)\.[a-z0-9_]{8}\.part|tmp[a-z0-9_]{8}\.part")
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_URL_WITHOUT_SLASHES = re.compile(r"^[a-z][a-z0-9+.-]+:(?!//)", re.IGNORECASE)
ENVIRONMENT = "AUDIOBOOK_CACHE"


def cache_location(value: str, given_as: str) -> tuple[Path | None, str | None]:
    """Where a cache lives, as --cache-dir or $AUDIOBOOK_CACHE name it: (a folder, None) for a folder
    or file://FOLDER, (None, the URL) for a store every machine shares (s3://BUCKET/PREFIX)."""
    if not value.strip():
        raise InputError(f"{given_as} is empty; give a folder or a store URL (s3://BUCKET/PREFIX)")
    if value.lower().startswith("file://"):
        folder = value[len("file://"):]
        if not folder:
            raise InputError(f"{given_as} {value}: a file:// URL needs a folder after it (file:///path/to/cache)")
        return Path(folder), None
    if _URL.match(value):
        if not value.split("://", 1)[1].strip("/"):
            raise InputError(f"{given_as} {value}: the URL names no bucket or folder (s3://BUCKET/PREFIX)")
        return None, value
    if _URL_WITHOUT_SLASHES.match(value):  # s3:bucket would quietly become a folder named "s3:bucket"
        raise InputError(f"{given_as} {value}: looks like a URL without its //; write it as SCHEME://BUCKET/PREFIX")
    return Path(value), None


def environment_location() -> tuple[Path | None, str | None]:
    value = os.environ.get(ENVIRONMENT)
    # An empty variable is an unset one, as the shell treats it.
    return cache_location(value, f"${ENVIRONMENT}") if value else (None, None)


def default_cache_dir() -> Path:
    """The folder $AUDIOBOOK_CACHE names, else the platform's cache folder (also when it names a store)."""
    return environment_location()[0] or Path(platformdirs.user_cache_dir("audiobook")) / "clips"


def default_store() -> str | None:
    """The store URL $AUDIOBOOK_CACHE names, if it names one."""
    return environment_location()[1]


def cache_for(folder: Path | None, store_url: str | None) -> ClipCache:
    """The cache for --cache-dir's two forms; with neither given, for $AUDIOBOOK_CACHE's."""
    if folder is None and store_url is None:
        store_url = default_store()
    if not store_url:
        return ClipCache(folder)
    from audiobook.speech.store import SharedStore  # fsspec loads only when a store is asked for

    return ClipCache(folder, shared=SharedStore(store_url))


@dataclass(frozen=True)
class Entry:
    """A file the cache made: when it was last used, its size, and what it holds."""

    used: float
    size: int
    path: str  # a string, not a Path: a walk of a big cache makes tens of thousands
    kind: str
    """One of CURRENT_KINDS, or earlier (an earlier version's entry, never read now), or temporary (a killed
    render's half-written file)."""


class ClipCache:
    def __init__(self, folder: Path | None = None, limit_bytes: int = DEFAULT_LIMIT_BYTES,
                 shared: SharedStore | None = None) -> None:
        self.folder = folder or default_cache_dir()
        self.store = self.folder / STORE_NAME
        self.limit_bytes = limit_bytes
        self.shared = shared
        """A store behind this folder that other machines share (store.py): read on a miss, sent every new entry."""

    def open(self) -> ClipCache:
        """Make sure the cache folder can hold the cache, as one named error if it cannot."""
        if self.folder.exists() and not self.folder.is_dir():
            raise InputError(f"cache folder {self.folder} is a file, not a folder; choose another --cache-dir")
        try:
            self._claim_store()
            probe = self.store / f".probe.{os.getpid()}"
            probe.touch()
            probe.unlink()
        except OSError as error:
            raise OutputError(
                f"cache folder {self.folder} is not writable ({error.strerror}); "
                "point --cache-dir or AUDIOBOOK_CACHE at a writable folder"
            ) from None
        if self.shared:
            self.shared.open()
        return self

    def _claim_store(self) -> None:
        """Create our subfolder with its marker; refuse a same-named folder that we did not make."""
        marker = self.store / MARKER_NAME
        if marker.is_file():
            return
        self.store.mkdir(parents=True, exist_ok=True)
        # Another render starting at the same moment may be writing the marker (its temporary file) or have
        # just written it and begun: neither makes the folder someone else's.
        others = [entry for entry in self.store.iterdir() if not _MARKER_BEING_WRITTEN.fullmatch(entry.name)]
        if marker.is_file():
            return
        if others:
            raise InputError(f"{self.store} exists but is not an audiobook cache (no {MARKER_NAME}); choose another --cache-dir")
        write_atomically(marker, MARKER_TEXT.encode())

    @staticmethod
    def key(engine_version: str, voice: Voice, text: str) -> str:
        sound = {name: value for name, value in asdict(voice).items() if name != "id"}
        material = json.dumps([engine_version, sound, text], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(material.encode()).hexdigest()

    def _entry(self, key: str, data: bytes, suffix: str) -> Path:
        """Where these bytes are kept: the name carries their checksum, verified on every read."""
        return self.store / key[:2] / f"{key}.{hashlib.sha256(data).hexdigest()[:_CHECKSUM_LENGTH]}{suffix}"

    def _read(self, key: str, suffix: str) -> tuple[Path, bytes] | None:
        """The bytes of an intact entry for this key; a damaged or unreadable one is discarded."""
        for path in self._entries(key, suffix):
            try:
                data = path.read_bytes()
            except FileNotFoundError:  # Another render pruned or discarded it first.
                continue
            except OSError as error:
                self._discard(path, error.strerror or "unreadable")
                continue
            if self._entry(key, data, suffix) != path:
                self._discard(path, "its bytes do not match its checksum")
                continue
            return path, data
        return self._fetch(key, suffix) if self.shared else None

    def _fetch(self, key: str, suffix: str) -> tuple[Path, bytes] | None:
        """An entry from the shared store, kept here as a local entry like any other."""
        data = self.shared.get(key, suffix)
        if data is None:
            return None
        path = self._entry(key, data, suffix)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, data)
        return path, data

    def _write(self, path: Path, key: str, data: bytes) -> None:
        write_atomically(path, data)
        if self.shared:
            self.shared.put(key, path.suffix, data)

    @staticmethod
    def _discard(path: Path, reason: str) -> None:
        log.warning("cache: discarded %s (%s); it will be made again", path.name, reason)
        path.unlink(missing_ok=True)

    @contextlib.contextmanager
    def _lookup_lock(self, mode: int) -> Iterator[None]:
        try:
            handle = open(self.store / LOOKUP_LOCK_NAME, "a")
        except FileNotFoundError:  # no store yet: nothing to find and nothing to prune
            yield
            return
        with handle:
            fcntl.flock(handle, mode)
            yield  # closing the file releases the lock

    @contextlib.contextmanager
    def in_use(self) -> Iterator[None]:
        """Hold a lease on the cache for a render: while the block runs, prune removes nothing
        this render has found or written (their times are after the lease's)."""
        self._claim_store()
        leases = self.store / LEASES_NAME
        leases.mkdir(exist_ok=True)
        lease = leases / f"{os.getpid()}.{secrets.token_hex(8)}"
        with open(lease, "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # the kernel releases it if this process dies
            try:
                yield
            finally:
                lease.unlink(missing_ok=True)

    def holds(self, key: str) -> bool:
        """Whether this folder has a clip under this key, without reading it (`get` reads and checks it)."""
        return bool(self._entries(key, ".wav"))

    def holds_chunk(self, key: str) -> bool:
        """Whether this folder has an encoded chunk under this key, without reading it."""
        return bool(self._entries(key, ".mp3"))

    def _entries(self, key: str, suffix: str) -> list[Path]:
        """The files of our naming under this key (a listing, not a glob: pathlib compiles a pattern per call)."""
        folder = self.store / key[:2]
        try:
            names = os.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            return []
        return [folder / name for name in sorted(names)
                if name.startswith(key) and name.endswith(suffix) and _OUR_ENTRY.fullmatch(name)]

    def get(self, key: str) -> Path | None:
        with self._lookup_lock(fcntl.LOCK_SH):
            found = self._read(key, ".wav")
            if found is None:
                return None
            os.utime(found[0])  # Recently used clips are the last to be pruned, and a live render's are kept.
            return found[0]

    def put(self, key: str, pcm: bytes, sample_rate: int) -> Path:
        self._claim_store()
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(sample_rate)
            out.writeframes(pcm)
        path = self._entry(key, buffer.getvalue(), ".wav")
        path.parent.mkdir(parents=True, exist_ok=True)
        self._write(path, key, buffer.getvalue())
        return path

    def get_chunk(self, key: str) -> tuple[bytes, list[int]] | None:
        """An encoded chunk and its clips' lengths in samples, if this exact chunk was encoded before."""
        with self._lookup_lock(fcntl.LOCK_SH):
            mp3, lengths = self._read(key, ".mp3"), self._read(key, ".json")
            if mp3 is None or lengths is None:
                return None
            os.utime(mp3[0])
            os.utime(lengths[0])
            return mp3[1], json.loads(lengths[1])

    def put_chunk(self, key: str, mp3: bytes, clip_lengths: list[int]) -> None:
        self._claim_store()
        (self.store / key[:2]).mkdir(parents=True, exist_ok=True)
        lengths = json.dumps(clip_lengths).encode()
        # The lengths first: a chunk counts as cached only once its MP3 is in place.
        self._write(self._entry(key, lengths, ".json"), key, lengths)
        self._write(self._entry(key, mp3, ".mp3"), key, mp3)

    def prune(self) -> int:
        """Remove the least recently used entries until the cache fits its limit; returns how many went.

        Entries found or written since the oldest live render took its lease stay, whatever the limit.
        Only files of our own naming in our own marked subfolder count (and, beside it, earlier
        versions' entries whose bytes prove them ours); symbolic links are never followed.
        A shared store behind the cache is pruned too, at most once a day (store.py)."""
        if self.shared:
            self.shared.prune_when_due()
        if not (self.store / MARKER_NAME).is_file():
            return 0
        with self._lookup_lock(fcntl.LOCK_EX):
            return self._prune(self._oldest_live_lease())

    def _oldest_live_lease(self) -> float:
        """When the oldest running render took its lease (infinity if none runs); dead renders' leases go."""
        oldest = float("inf")
        leases = self.store / LEASES_NAME
        for lease in (leases.iterdir() if leases.is_dir() else ()):
            try:
                with open(lease, "a") as handle:
                    taken = os.fstat(handle.fileno()).st_mtime
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:  # locked: its render is running
                oldest = min(oldest, taken)
                continue
            except FileNotFoundError:  # its render just finished
                continue
            lease.unlink(missing_ok=True)  # unlocked: its render is gone
        return oldest

    def _prune(self, keep_since: float) -> int:
        abandoned_before = time.time() - STALE_AFTER_SECONDS
        entries, removed, emptied = [], 0, set()
        for entry in self.entries(temporaries=True):
            if entry.kind in ("earlier", "temporary"):  # never read by this version: no limit keeps them
                if entry.used < abandoned_before:
                    _remove(entry.path)
                    emptied.add(os.path.dirname(entry.path))
                    removed += 1
            else:
                entries.append(entry)
        total = sum(entry.size for entry in entries)
        for entry in sorted(entries, key=lambda entry: entry.used):
            if total <= self.limit_bytes or entry.used >= keep_since:
                break
            _remove(entry.path)
            total -= entry.size
            removed += 1
        for shard in emptied:
            if os.path.dirname(shard) == str(self.folder):  # a first versions' shard: gone once we took our last file
                with contextlib.suppress(OSError):  # not empty: something of someone else's is in it
                    os.rmdir(shard)
        return removed

    def entries(self, temporaries: bool = False) -> Iterator[Entry]:
        """Every file the cache holds, with ``temporaries`` the ones killed renders left half-written."""
        for shard in _scan(self.store):
            if _OUR_SHARD.fullmatch(shard.name) and shard.is_dir(follow_symlinks=False):
                for file in _scan(shard.path):
                    if match := _OUR_ENTRY.fullmatch(file.name):
                        yield from _entry(file, "clip" if match[1] == "wav" else "chunk")
                    elif _EARLIER_ENTRY.fullmatch(file.name):
                        yield from _entry(file, "earlier")
                    elif temporaries and _OUR_TEMPORARY.fullmatch(file.name):
                        yield from _entry(file, "temporary")
        for folder, kind in KEPT_FOLDERS.items():
            for file in _scan(self.store / folder):
                if _OUR_KEPT.fullmatch(file.name):
                    yield from _entry(file, kind)
                elif temporaries and _OUR_TEMPORARY.fullmatch(file.name):
                    yield from _entry(file, "temporary")
        # The first versions' layout, in shards of the folder the user named: only files proven ours.
        for shard in _scan(self.folder):
            if _OUR_SHARD.fullmatch(shard.name) and shard.is_dir(follow_symlinks=False):
                for file in _scan(shard.path):
                    if _EARLIER_ENTRY.fullmatch(file.name) and file.name.startswith(shard.name) and _made_by_us(file):
                        yield from _entry(file, "earlier")


def _scan(folder: Path | str) -> list[os.DirEntry]:
    try:
        return list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []


def _entry(file: os.DirEntry, kind: str) -> Iterator[Entry]:
    """The entry for a file, unless it is a link or another render removed it first."""
    try:
        if file.is_file(follow_symlinks=False):
            stat = file.stat(follow_symlinks=False)
            yield Entry(stat.st_mtime, stat.st_size, file.path, kind)
    except FileNotFoundError:
        pass


def _remove(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):  # another render pruned it first
        os.unlink(path)


def _made_by_us(file: os.DirEntry) -> bool:
    """Whether a file of the first versions' naming holds what they wrote: a mono 16-bit WAV, an MPEG
    audio chunk, or a chunk's clip lengths. A hex-named file of another program's is left alone."""
    try:
        with open(file.path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    if file.name.endswith(".wav"):
        return head[:4] == b"RIFF" and head[8:16] == b"WAVEfmt " and head[22:24] == b"\x01\x00" and head[34:36] == b"\x10\x00"
    if file.name.endswith(".mp3"):
        return len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
    try:
        lengths = json.loads(head)
    except ValueError:
        return False
    return isinstance(lengths, list) and all(isinstance(length, int) for length in lengths)
