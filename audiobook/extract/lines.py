"""What every reader hands the structure pass: paragraph-sized Lines and what the page says of itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Hint = Literal["text", "title", "heading", "caption", "quote_block"]


@dataclass(frozen=True)
class Line:
    """A paragraph-sized piece of the source, with what its format says it is."""

    text: str
    hint: Hint = "text"
    caption_text: str | None = None
    credit: str | None = None
    link_share: float = 0.0
    """How much of the text is link text (HTML pages only): a line that is all link leads elsewhere."""


@dataclass(frozen=True)
class Metadata:
    """What a page states about itself (HTML meta tags); plain text states nothing."""

    title: str | None = None
    subtitle: str | None = None
    date: dt.date | None = None
    byline: str | None = None
    publication: str | None = None
    url: str | None = None
