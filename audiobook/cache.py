"""A content-addressed store of synthesized clips, shared by every render on the machine.

The key covers everything that changes the sound, so a clip is synthesized once and reused by
every later render that asks for the same words in the same voice. Files are written to a
temporary name and renamed, so two renders at once never see half a clip.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import wave
from dataclasses import asdict
from pathlib import Path

import platformdirs

from .model import Voice

DEFAULT_LIMIT_BYTES = 2 * 1024**3


def default_cache_dir() -> Path:
    """$AUDIOBOOK_CACHE if set, else the platform's cache folder."""
    override = os.environ.get("AUDIOBOOK_CACHE")
    return Path(override) if override else Path(platformdirs.user_cache_dir("audiobook")) / "clips"


class ClipCache:
    def __init__(self, folder: Path | None = None, limit_bytes: int = DEFAULT_LIMIT_BYTES) -> None:
        self.folder = folder or default_cache_dir()
        self.limit_bytes = limit_bytes

    @staticmethod
    def key(engine_version: str, voice: Voice, text: str) -> str:
        sound = {name: value for name, value in asdict(voice).items() if name != "id"}
        material = json.dumps([engine_version, sound, text], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(material.encode()).hexdigest()

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.wav"

    def get(self, key: str) -> Path | None:
        path = self.path(key)
        if not path.exists():
            return None
        os.utime(path)  # Recently used clips are the last to be pruned.
        return path

    def put(self, key: str, pcm: bytes, sample_rate: int) -> Path:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as raw, wave.open(raw, "wb") as out:
                out.setnchannels(1)
                out.setsampwidth(2)
                out.setframerate(sample_rate)
                out.writeframes(pcm)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path

    def prune(self) -> int:
        """Remove the least recently used clips until the cache fits its limit; returns how many went."""
        if not self.folder.exists():
            return 0
        entries = []
        for path in self.folder.glob("*/*.wav"):
            try:
                stat = path.stat()
            except FileNotFoundError:  # Another render pruned it first.
                continue
            entries.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in entries)
        removed = 0
        for _, size, path in sorted(entries):
            if total <= self.limit_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size
            removed += 1
        return removed
