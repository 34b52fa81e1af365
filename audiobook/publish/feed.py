"""The RSS 2.0 podcast feed: feedgen writes RSS with the itunes and content namespaces; the
Podcasting 2.0 tags it lacks (transcripts, chapters, people) come from a small extension.

Only this module touches feedgen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import lxml.etree  # feedgen uses lxml.etree without importing it
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

PODCAST_NS = "https://podcastindex.org/namespace/1.0"


@dataclass(frozen=True)
class Channel:
    title: str
    description: str
    language: str
    author: str
    owner_name: str
    owner_email: str
    category: str
    explicit: bool
    link: str
    image_url: str
    feed_url: str


@dataclass(frozen=True)
class Item:
    guid: str
    title: str
    description: str
    content_html: str
    published: dt.datetime
    page_url: str
    audio_url: str
    audio_bytes: int
    duration_seconds: float
    number: int
    transcripts: tuple[tuple[str, str], ...]
    """(url, MIME type) of each transcript: WebVTT, SRT, JSON."""
    chapters_url: str
    people: tuple[str, ...]


class _Podcasting20(BaseExtension):
    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}


class _Podcasting20Entry(BaseEntryExtension):
    def __init__(self) -> None:
        self.item: Item | None = None

    def extend_rss(self, entry):  # noqa: ANN001 - feedgen's element
        item = self.item
        for url, mime in item.transcripts:
            attributes = {"url": url, "type": mime, "language": "en"}
            if mime == "text/vtt":
                attributes["rel"] = "captions"
            xml_elem(f"{{{PODCAST_NS}}}transcript", entry, **attributes)
        xml_elem(f"{{{PODCAST_NS}}}chapters", entry, url=item.chapters_url, type="application/json+chapters")
        for person in item.people:
            xml_elem(f"{{{PODCAST_NS}}}person", entry, role="guest").text = person
        return entry


def rss(channel: Channel, items: list[Item]) -> bytes:
    """The whole feed, newest episode first."""
    feed = FeedGenerator()
    feed.load_extension("podcast")
    feed.register_extension("podcast20", _Podcasting20, _Podcasting20Entry)
    feed.title(channel.title)
    feed.description(channel.description)
    feed.link(href=channel.feed_url, rel="self")
    feed.link(href=channel.link, rel="alternate")  # after "self": feedgen's <link> is the last one given
    feed.language(channel.language)
    feed.image(channel.image_url, title=channel.title, link=channel.link)
    feed.podcast.itunes_author(channel.author)
    feed.podcast.itunes_owner(name=channel.owner_name, email=channel.owner_email)
    feed.podcast.itunes_category(channel.category)
    feed.podcast.itunes_explicit("yes" if channel.explicit else "no")
    feed.podcast.itunes_image(channel.image_url)
    feed.podcast.itunes_summary(channel.description)
    feed.podcast.itunes_type("episodic")
    for item in sorted(items, key=lambda item: (item.published, item.number)):
        entry = feed.add_entry()
        entry.id(item.guid)
        entry.guid(item.guid, permalink=False)
        entry.title(item.title)
        entry.description(item.description)
        entry.content(item.content_html, type="CDATA")
        entry.link(href=item.page_url)
        entry.published(item.published)
        entry.enclosure(item.audio_url, str(item.audio_bytes), "audio/mpeg")
        entry.podcast.itunes_duration(round(item.duration_seconds))
        entry.podcast.itunes_episode(item.number)
        entry.podcast.itunes_explicit("no")
        entry.podcast.itunes_summary(item.description)
        entry.podcast20.item = item
    return feed.rss_str(pretty=True)


def served_from(feed_xml: bytes) -> str | None:
    """The base URL a written feed.xml was published for (its rel="self" link without feed.xml)."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = lxml.etree.fromstring(feed_xml, parser)
    except lxml.etree.XMLSyntaxError:
        return None
    for link in root.iterfind("channel/{http://www.w3.org/2005/Atom}link"):
        if link.get("rel") == "self" and (href := link.get("href") or "").endswith("/feed.xml"):
            return href.removesuffix("/feed.xml")
    return None
