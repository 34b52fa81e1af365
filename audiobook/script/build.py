"""Turn an Article into a Script: who reads which words, in reading order, with chapters."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from pathlib import Path

from audiobook.script.attribution.attributor import UNSURE, Attributor
from audiobook.script.attribution.people import Person, settle_names
from audiobook.script.attribution.syntax import Analysis, analyse
from audiobook.extract.dates import spoken_date
from audiobook.model import Article, Block, Script, Segment, Speaker
from audiobook.names import slug, unique

log = logging.getLogger("audiobook")

# A story part longer than this many paragraphs is split so chapters stay easy to skip through;
# a very long article gets longer parts, so its chapter list stays short enough to browse.
PARAGRAPHS_PER_CHAPTER = 8
MOST_STORY_CHAPTERS = 60


def article_texts(article: Article) -> list[str]:
    """What the language model reads of an article (and what its analysis is cached by)."""
    return [article.title, article.subtitle or "", *(block.text for block in article.blocks)]


def build_script(
    article: Article, cache_folder: Path | None = None, analysis: Analysis | None = None, voiced_from: float = UNSURE,
) -> Script:
    """``cache_folder`` keeps the article's analysis, so an unchanged article is not parsed again;
    an ``analysis`` given is used as it is (``NO_ANALYSIS``: the rules alone). Quotes less sure than
    ``voiced_from`` go to an unidentified speaker."""
    texts = article_texts(article)
    attributor = Attributor(
        interviewer=article.byline, about=[article.title, article.subtitle or ""], whole="\n".join(texts),
        analysis=analysis if analysis is not None else analyse(texts, cache_folder), voiced_from=voiced_from,
    )
    spoken_by: list[tuple[Segment, Person | None]] = []
    # A quote collection may sign its quotations with a line read as a heading ("Great Britain coach, Brian Noble").
    paragraphs = [block.text if block.kind in ("paragraph", "heading") else "" for block in article.blocks]
    for index, block in enumerate(article.blocks):
        if block.kind == "paragraph":
            spoken_by.extend(_paragraph_segments(block.text, index, attributor, paragraphs[index + 1:]))
        else:
            spoken_by.append((_block_segment(block, index, article), None))
    # Speakers in order of first quote; the attributor's people who never speak are left out.
    speaking = list({id(person): person for _, person in spoken_by if person is not None}.values())
    standing = settle_names(speaking, attributor.full_names)
    spoken_by = [(segment, standing[id(person)] if person else None) for segment, person in spoken_by]
    people = list({id(person): person for _, person in spoken_by if person is not None}.values())
    speakers = _speakers(people)
    ids = {id(person): speaker.id for person, speaker in zip(people, speakers)}
    segments = [
        replace(segment, speaker=ids[id(person)]) if person is not None else segment
        for segment, person in spoken_by
    ]
    return Script(
        title=article.title, segments=tuple(_chapters(segments, article.title)), speakers=tuple(speakers),
        subtitle=article.subtitle, date=article.date, byline=article.byline,
        publication=article.publication, source_url=article.source_url,
    )


def _block_segment(block: Block, index: int, article: Article) -> Segment:
    if block.kind == "caption":
        credit = f" Photo by {block.credit}." if block.credit else ""
        return Segment(
            "caption", block.text, credit=block.credit, paragraph=index,
            speech=f"Photo description: {_end_sentence(block.text)}{credit}",
        )
    if block.kind == "date":
        # The article's date was parsed when its structure was read; say that one.
        speech = spoken_date(article.date) if article.date else None
        return Segment("date", block.text, paragraph=index, speech=speech)
    if block.kind == "byline":
        return Segment("byline", block.text, paragraph=index, speech=f"By {block.text}.")
    if block.kind in ("pull_quote", "boilerplate"):
        return Segment(block.kind, block.text, spoken=False, paragraph=index)
    return Segment(block.kind, block.text, paragraph=index)


def _paragraph_segments(
    text: str, index: int, attributor: Attributor, following: list[str],
) -> list[tuple[Segment, Person | None]]:
    segments: list[tuple[Segment, Person | None]] = []
    position = 0
    try:
        attributed_spans = attributor.paragraph(text, following)
    except Exception as error:  # noqa: BLE001 - one paragraph the rules cannot read must not stop the article
        log.warning("paragraph %d read as narration, its quotes unattributed (%s: %s)",
                    index + 1, type(error).__name__, error)
        attributed_spans = []
    for attributed in attributed_spans:
        span = attributed.span
        narration = _clean_narration(text[position: span.start - len(span.opener)])
        if narration and not attributed.turn:
            segments.append((Segment("narration", narration, paragraph=index), None))
        quote = Segment(
            "quote", text[span.start:span.end].strip(), paragraph=index, quote_kind=attributed.kind,
            basis=attributed.basis, confidence=attributed.confidence,
        )
        segments.append((quote, attributed.speaker))
        position = span.end + (1 if span.closed else 0)
    narration = _clean_narration(text[position:])
    if narration:
        segments.append((Segment("narration", narration, paragraph=index), None))
    return segments


def _clean_narration(text: str) -> str:
    """Narration between quotes, without the stray punctuation the quote marks left behind."""
    text = text.strip()
    text = re.sub(r"^[,.;:!?]+\s*", "", text).strip()
    return text if re.search(r"\w", text) else ""


def _speakers(people: list[Person]) -> list[Speaker]:
    speakers: list[Speaker] = []
    taken: set[str] = set()
    for person in people:
        speaker_id = unique(slug(person.name) or "speaker", taken)
        taken.add(speaker_id)
        speakers.append(Speaker(speaker_id, person.name, person.gender, tuple(person.aliases)))
    return speakers


def _chapters(segments: list[Segment], title: str) -> list[Segment]:
    """Mark where chapters start: the title block, each photo description, each heading, and story parts."""
    paragraphs = len({segment.paragraph for segment in segments if segment.role in ("narration", "quote")})
    part_length = max(PARAGRAPHS_PER_CHAPTER, -(-paragraphs // MOST_STORY_CHAPTERS))
    marked: list[Segment] = []
    in_story = False
    story_paragraphs: set[int] = set()
    for segment in segments:
        chapter = None
        if not segment.spoken:
            marked.append(segment)
            continue
        if segment.role == "title":
            chapter = title
        elif segment.role == "caption":
            chapter = f"Photo: {_first_words(segment.text)}"
            in_story = False
        elif segment.role == "heading":
            chapter, in_story, story_paragraphs = segment.text, True, set()
        elif segment.role in ("narration", "quote"):
            if not in_story or (
                len(story_paragraphs) >= part_length and segment.paragraph not in story_paragraphs
            ):
                chapter, in_story, story_paragraphs = _first_words(segment.text), True, set()
            story_paragraphs.add(segment.paragraph)
        marked.append(replace(segment, chapter=chapter) if chapter else segment)
    return marked


def _first_words(text: str, count: int = 7) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def _end_sentence(text: str) -> str:
    return text if re.search(r"[.!?…]$", text) else f"{text}."
