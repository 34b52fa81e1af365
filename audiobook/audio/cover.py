"""A plain square cover with the title, for episodes that come without artwork."""

from __future__ import annotations

import hashlib
import io
import json
import textwrap
from functools import cache
from pathlib import Path

from audiobook.files import read_checked, write_checked

SIZE = 1400
CACHE_FOLDER = "covers"


def kept_cover(title: str, publication: str | None, cache_folder: Path) -> bytes:
    """`plain_cover`, kept in the cache by its words and this file's code: drawing it imports Pillow,
    which was 0.12 s of the 0.6 s a re-render of an unchanged article took."""
    material = json.dumps([_drawing_digest(), title, publication])
    entry = cache_folder / CACHE_FOLDER / f"{hashlib.sha256(material.encode()).hexdigest()}.png"
    if (kept := read_checked(entry)) is None:
        kept = plain_cover(title, publication)
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_checked(entry, kept)
    return kept


@cache
def _drawing_digest() -> str:
    """This file's code, read once per process: a change to the drawing draws every cover again."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def plain_cover(title: str, publication: str | None = None) -> bytes:
    """A PNG: the title in large light type on a dark ground (high contrast for low-vision readers)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (SIZE, SIZE), (18, 32, 56))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=96)
    small = ImageFont.load_default(size=56)
    lines = textwrap.wrap(title, width=22)[:6]
    y = SIZE // 2 - len(lines) * 60
    for line in lines:
        draw.text((SIZE // 2, y), line, font=font, fill=(250, 246, 230), anchor="mm")
        y += 120
    draw.text((SIZE // 2, SIZE - 140), publication or "audio edition", font=small, fill=(190, 205, 225), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)  # fast; a flat cover compresses well anyway
    return buffer.getvalue()
