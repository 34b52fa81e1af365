"""The plain cover is drawn once and kept by its words: a damaged entry is drawn again."""

from __future__ import annotations

from pathlib import Path

from audiobook.audio.cover import CACHE_FOLDER, kept_cover, plain_cover
from audiobook.files import read_checked


def test_a_cover_is_drawn_once_and_kept_by_its_words(tmp_path: Path):
    first = kept_cover("Ferry Runs Late", "The Courier", tmp_path)
    assert first == plain_cover("Ferry Runs Late", "The Courier") and first.startswith(b"\x89PNG")
    assert len(list((tmp_path / CACHE_FOLDER).iterdir())) == 1
    assert kept_cover("Ferry Runs Late", "The Courier", tmp_path) == first
    assert kept_cover("Ferry Runs Early", "The Courier", tmp_path) != first
    assert len(list((tmp_path / CACHE_FOLDER).iterdir())) == 2


def test_a_damaged_cover_is_drawn_again(tmp_path: Path):
    first = kept_cover("Ferry Runs Late", None, tmp_path)
    [entry] = (tmp_path / CACHE_FOLDER).iterdir()
    entry.write_bytes(entry.read_bytes()[:-100])
    assert kept_cover("Ferry Runs Late", None, tmp_path) == first
    assert read_checked(entry) == first  # and kept whole again
