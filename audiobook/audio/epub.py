"""A talking book beside the episode: EPUB 3 with a Media Overlay, so text and audio play in sync.

Readers such as Thorium, EasyReader and Apple Books highlight each sentence as it is heard and
let a braille or screen-reader user switch between reading and listening at any point. The
times come from the episode's Mix, the same timeline that writes the WebVTT captions, so the
book and the captions can never disagree. The book holds the episode's MP3 whole: one audio
file is what every Media Overlay reader plays, and clip times index into it directly.

ebooklib writes the container, package document and navigation; the SMIL overlay and the
accessibility metadata (EPUB Accessibility 1.1), which it does not know, are written here.
Only this module touches ebooklib.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from html import escape

from ebooklib import epub

from audiobook.model import Mix, Script, Segment

ACTIVE_CLASS = "mo-active"
_TEXT = "content.xhtml"
_AUDIO = "audio/episode.mp3"
_STYLE = f"""body {{ font-family: serif; line-height: 1.5; margin: 1em; }}
.standfirst {{ font-size: 1.15em; }}
.date, .byline {{ font-style: italic; }}
figure {{ margin: 1.5em 0; padding: 0.5em 1em; border-left: 0.3em solid #555; }}
.credit {{ font-size: 0.9em; }}
q.quote {{ font-style: italic; }}
.{ACTIVE_CLASS} {{ background-color: #ffeb3b; color: #000; }}
"""


def talking_book(script: Script, mix: Mix, mp3: bytes, cover_png: bytes, language: str = "en") -> bytes:
    """The EPUB 3 file, as bytes: content document, navigation, Media Overlay, the audio and the cover."""
    book = epub.EpubBook()
    book.set_identifier(_identifier(script))
    book.set_title(script.title)
    book.set_language(language)
    if script.byline:
        book.add_author(script.byline)
    if script.publication:
        book.add_metadata("DC", "publisher", script.publication)
    if script.date:
        book.add_metadata("DC", "date", script.date.isoformat())
    if script.subtitle:
        book.add_metadata("DC", "description", script.subtitle)
    book.set_cover("cover.png", cover_png, create_page=False)
    _accessibility(book)

    times = {cue.segment: (cue.start, cue.end) for cue in mix.cues}
    style = epub.EpubItem(uid="style", file_name="style.css", media_type="text/css", content=_STYLE.encode())
    content = epub.EpubHtml(
        uid="content", title=script.title, file_name=_TEXT, lang=language, media_overlay="overlay",
    )
    content.content = _body(script, times).encode()
    content.add_item(style)
    overlay = epub.EpubSMIL(uid="overlay", file_name="content.smil", content=_smil(script, times).encode())
    audio = epub.EpubItem(uid="audio", file_name=_AUDIO, media_type="audio/mpeg", content=mp3)
    for item in (style, content, overlay, audio):
        book.add_item(item)

    duration = _clock(mix.duration)
    book.add_metadata(None, "meta", duration, {"property": "media:duration", "refines": "#overlay"})
    book.add_metadata(None, "meta", duration, {"property": "media:duration"})
    book.add_metadata(None, "meta", ACTIVE_CLASS, {"property": "media:active-class"})

    book.toc = [
        epub.Link(f"{_TEXT}#s{index}", segment.chapter, f"chapter-{number}")
        for number, (index, segment) in enumerate(
            (index, segment) for index, segment in enumerate(script.segments) if segment.chapter and index in times
        )
    ]
    book.add_item(epub.EpubNav())
    book.add_item(epub.EpubNcx())  # EPUB 2 readers' table of contents; EPUB 3 readers use the nav
    book.spine = [content]
    buffer = io.BytesIO()
    # The same article gives the same bytes: modified as of the article's date, not the clock.
    modified = dt.datetime.combine(script.date or dt.date(2000, 1, 1), dt.time())
    writer = _Writer(buffer, book, {"epub3_pages": False, "raise_exceptions": True, "mtime": modified})
    writer.process()
    writer.write()
    return _without_clock_times(buffer.getvalue())


def _without_clock_times(book: bytes) -> bytes:
    """The zip again with fixed entry times (zipfile stamps each entry with the clock), order and compression kept."""
    source, target = zipfile.ZipFile(io.BytesIO(book)), io.BytesIO()
    with zipfile.ZipFile(target, "w") as repacked:
        for entry in source.infolist():
            stamped = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            stamped.compress_type = entry.compress_type
            repacked.writestr(stamped, source.read(entry))
    return target.getvalue()


class _Writer(epub.EpubWriter):
    def _write_opf_file(self, root) -> None:  # noqa: ANN001 - ebooklib's lxml element
        # ebooklib leaves the package's language unset; reading systems need it to pick a voice and hyphenation.
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.book.language)
        super()._write_opf_file(root)


def _identifier(script: Script) -> str:
    """Stable across renders of the same article, so a reader keeps its place and bookmarks."""
    material = "\n".join([script.source_url or "", script.title, script.date.isoformat() if script.date else ""])
    return f"urn:audiobook:{hashlib.sha256(material.encode()).hexdigest()[:32]}"


def _accessibility(book: epub.EpubBook) -> None:
    """EPUB Accessibility 1.1 metadata: how the book can be used, and what it conforms to."""
    properties = [
        ("schema:accessMode", "textual"),
        ("schema:accessMode", "auditory"),
        ("schema:accessModeSufficient", "textual"),
        ("schema:accessModeSufficient", "auditory"),
        ("schema:accessibilityFeature", "synchronizedAudioText"),
        ("schema:accessibilityFeature", "structuralNavigation"),
        ("schema:accessibilityFeature", "readingOrder"),
        ("schema:accessibilityFeature", "tableOfContents"),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary",
         "The full text of the article with its audio edition read in sync: each passage is highlighted "
         "as it is heard. Every quotation names its speaker in the markup and is voiced by that speaker's "
         "own voice. Photos are described in words. Headings and chapters allow navigation; "
         "the text reads alone, and the audio can be listened to alone."),
        ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"),
    ]
    for name, value in properties:
        book.add_metadata(None, "meta", value, {"property": name})


def _body(script: Script, times: dict[int, tuple[float, float]]) -> str:
    """The article's structure as XHTML, every spoken segment an element with its own id."""
    names = {speaker.id: speaker.name for speaker in script.speakers}
    parts: list[str] = []
    open_paragraph: int | None = None
    for index, segment in enumerate(script.segments):
        if index not in times:
            continue  # pull quotes and page chrome are not heard, so not in the book either
        if segment.role in ("narration", "quote"):
            if open_paragraph != segment.paragraph:
                parts.append("</p>" if open_paragraph is not None else "")
                parts.append("<p>")
                open_paragraph = segment.paragraph
            parts.append(_inline(index, segment, names))
            continue
        if open_paragraph is not None:
            parts.append("</p>")
            open_paragraph = None
        parts.append(_block(index, segment))
    if open_paragraph is not None:
        parts.append("</p>")
    return f'<section id="article" epub:type="bodymatter chapter" role="doc-chapter" aria-label="{escape(script.title)}">{"".join(parts)}</section>'


def _inline(index: int, segment: Segment, names: dict[str, str]) -> str:
    text = escape(segment.text)
    if segment.role == "quote" and segment.speaker:
        speaker = escape(names.get(segment.speaker, segment.speaker))
        # The speaker's name in the markup, for screen readers and styling, not only as a voice.
        return f'<q id="s{index}" class="quote" data-speaker="{speaker}" title="{speaker}">{text}</q> '
    return f'<span id="s{index}">{text}</span> '


def _block(index: int, segment: Segment) -> str:
    text = escape(segment.text)
    if segment.role == "title":
        return f'<h1 id="s{index}">{text}</h1>'
    if segment.role == "heading":
        return f'<h2 id="s{index}">{text}</h2>'
    if segment.role == "caption":
        credit = f' <span class="credit">Photo: {escape(segment.credit)}</span>' if segment.credit else ""
        return (f'<figure><figcaption><span id="s{index}"><span class="label">Photo description:</span> '
                f"{text}</span>{credit}</figcaption></figure>")
    css = {"subtitle": "standfirst", "date": "date", "byline": "byline"}.get(segment.role, segment.role)
    return f'<p id="s{index}" class="{css}">{text}</p>'


def _smil(script: Script, times: dict[int, tuple[float, float]]) -> str:
    pars = "".join(
        f'<par id="p{index}"><text src="{_TEXT}#s{index}"/>'
        f'<audio src="{_AUDIO}" clipBegin="{start:.3f}s" clipEnd="{end:.3f}s"/></par>'
        for index, (start, end) in sorted(times.items())
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" version="3.0">'
        f'<body><seq id="seq1" epub:textref="{_TEXT}#article" epub:type="bodymatter chapter">{pars}</seq></body></smil>\n'
    )


def _clock(seconds: float) -> str:
    """A SMIL clock value, h:mm:ss.fff."""
    milliseconds = round(seconds * 1000)
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"
