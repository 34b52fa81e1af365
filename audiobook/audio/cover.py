"""A plain square cover with the title, for episodes that come without artwork."""

from __future__ import annotations

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

SIZE = 1400


def plain_cover(title: str, publication: str | None = None) -> bytes:
    """A PNG: the title in large light type on a dark ground (high contrast for low-vision readers)."""
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
