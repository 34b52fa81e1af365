"""A content-addressed store of synthesized clips, shared by every render on the machine.

The key covers everything that changes the sound, so a clip is synthesized once and reused by
every later render that asks for the same words in the same voice; encoded chunks (a
paragraph's clips and pauses as MP3) are kept the same way. Files are written to a temporary
name and renamed, so two renders at once never see half a file.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import wave
from dataclasses import asdict
from pathlib import Path

import platformdirs

from audiobook.files import write_atomically
from audiobook.model import Voice

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
        buffer = io.BytesIO()
        with wave.open(buffer, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(sample_rate)
            out.writeframes(pcm)
        write_atomically(path, buffer.getvalue())
        return path

    def get_chunk(self, key: str) -> tuple[bytes, list[int]] | None:
        """An encoded chunk and its clips' lengths in samples, if this exact chunk was encoded before."""
        mp3, lengths = self.folder / key[:2] / f"{key}.mp3", self.folder / key[:2] / f"{key}.json"
        try:
            data, clip_lengths = mp3.read_bytes(), json.loads(lengths.read_text())
        except (FileNotFoundError, json.JSONDecodeError):
            return None
        os.utime(mp3)
        return data, clip_lengths

    def put_chunk(self, key: str, mp3: bytes, clip_lengths: list[int]) -> None:
        folder = self.folder / key[:2]
        folder.mkdir(parents=True, exist_ok=True)
        # The lengths first: a chunk counts as cached only once its MP3 is in place.
        write_atomically(folder / f"{key}.json", json.dumps(clip_lengths).encode())
        write_atomically(folder / f"{key}.mp3", mp3)

    def prune(self) -> int:
        """Remove the least recently used clips until the cache fits its limit; returns how many went."""
        if not self.folder.exists():
            return 0
        entries = []
        for path in self.folder.glob("*/*.*"):
            if path.suffix == ".part":
                continue  # another render's file still being written
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

