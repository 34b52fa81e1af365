"""Read the story out of an HTML page: trafilatura finds the main text, we add back what it drops.

trafilatura is the best-kept open extractor of main content and metadata (navigation, share
bars, related links, comments and cookie prompts go), but it keeps only an image's alt text
and drops <figcaption>, so the captions and their credits are read from the page's own
<figure>s and matched to trafilatura's images by their src. On very short pages, where it
returns all the text as one block, the page's own paragraphs are read instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import lxml.etree
import lxml.html

from audiobook.extract.dates import parse_date
from audiobook.errors import InputError
from audiobook.extract.lines import Line, Metadata
from audiobook.extract.structure import split_credit
from audiobook.script.quotes import normalise_for_match

_PULL_QUOTE_CLASS = re.compile(r"pull-?quote|pullout|pull_quote", re.IGNORECASE)
_CHROME_CLASS = re.compile(r"logo|icon|avatar|sprite|banner|advert|\bad\b|pixel|tracking|badge", re.IGNORECASE)
_STORY_CLASS = re.compile(r"(^|[ _-])(article|story|post|entry)([ _-]|$)", re.IGNORECASE)
# Class names CMSs give the standfirst (dek) under a headline.
_STANDFIRST_XPATH = (
    "//*[self::p or self::h2 or self::div]"
    "[re:test(@class, '(^|[ _-])(standfirst|dek|subhead|subtitle|summary|lede|deck)($|[ _-])', 'i')]"
)


@dataclass(frozen=True)
class _Figure:
    alt: str
    caption: str
    credit: str | None


name = "HTML"


def detect(text: str) -> bool:
    """A document start or body tags near the top, or several closing block tags anywhere early."""
    head = text.lstrip()[:2000].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or bool(
        re.search(r"<(html|body|article|head)\b", head)
    ) or len(re.findall(r"</(p|div|h1|h2|figure)>", text[:20000], re.IGNORECASE)) >= 3


def read(html: str, label: str, url: str | None) -> tuple[list[Line], Metadata]:
    try:
        page = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        raise InputError(f"{label}: not readable HTML") from None
    import trafilatura  # 0.3 s to import: only when a page is HTML

    body_xml = trafilatura.extract(
        html, output_format="xml", include_images=True, include_comments=False, include_tables=False,
        favor_recall=True, with_metadata=False, url=url,
    )
    if not body_xml:
        raise InputError(f"{label}: no article found in the HTML page")
    main = lxml.etree.fromstring(body_xml.encode()).find("main")
    if main is None or not "".join(main.itertext()).strip():
        raise InputError(f"{label}: no article found in the HTML page")
    metadata = _metadata(html, page, url)
    figures = _figures(page)
    if _merged_paragraphs(main, page):
        return _with_link_share(_page_lines(page, figures), page), metadata
    lines = list(_walk(main, figures))
    if not any(line.hint == "text" and len(line.text.split()) >= 8 for line in lines):
        # Menus and link lists come back as a few words; an article has sentences.
        raise InputError(f"{label}: no article found in the HTML page")
    used = {graphic.get("src", "") for graphic in main.iter("graphic")}
    return _with_link_share(_restore_dropped(lines, page, figures, used), page), metadata


def _with_link_share(lines: list[Line], page: lxml.html.HtmlElement) -> list[Line]:
    """How much of each line is link text on the page: a paragraph that is all link ('Read more:
    …', a related headline) leads elsewhere, and the chrome classifier weighs that."""
    shares: dict[str, float] = {}
    for element in page.iter("p", "li", "h2", "h3", "h4", "a"):
        words = normalise_for_match(element.text_content())
        if words and words not in shares:
            linked = sum(len(normalise_for_match(link.text_content())) for link in element.iter("a"))
            shares[words] = min(1.0, linked / len(words))
    return [
        replace(line, link_share=shares.get(normalise_for_match(line.text), 0.0)) if line.caption_text is None else line
        for line in lines
    ]


def _merged_paragraphs(main: lxml.etree._Element, page: lxml.html.HtmlElement) -> bool:
    """On a very short page trafilatura falls back to one block of all the text: the page's own
    paragraphs are then the better guide."""
    paragraphs = [p for p in page.iter("p") if len(p.text_content().split()) >= 5]
    return len(main) <= 1 and len(paragraphs) >= 2


def _page_lines(page: lxml.html.HtmlElement, figures: dict[str, _Figure]) -> list[Line]:
    """The story's blocks in page order, read straight from the page, leaving out its furniture."""
    first = next((p for p in page.iter("p") if len(p.text_content().split()) >= 5), None)
    container = next(
        (a for a in first.iterancestors() if a.tag in ("article", "main")), None,
    ) if first is not None else None
    container = container if container is not None else page.find("body")
    lines: list[Line] = []
    for element in container.iter("h1", "h2", "h3", "h4", "p", "blockquote", "li", "figure", "img"):
        ancestors = [ancestor.tag for ancestor in element.iterancestors()]
        if any(tag in ("nav", "footer", "aside", "form") for tag in ancestors):
            continue  # page furniture
        if any(tag in ("figure", "blockquote") for tag in ancestors):
            continue  # read as part of the figure or quotation around it
        text = " ".join(element.text_content().split())
        if element.tag in ("figure", "img"):
            image = element if element.tag == "img" else next(element.iter("img"), None)
            sources = _sources(image) if image is not None else []
            if sources and (element.tag == "figure" or _story_image(image)):
                if line := _figure_line(lxml.etree.Element("graphic", src=sources[0]), figures):
                    lines.append(line)
        elif text:
            hint = "heading" if element.tag in ("h2", "h3", "h4") else "quote_block" if element.tag == "blockquote" else "text"
            lines.append(Line(text, hint))
    return lines


def _metadata(html: str, page: lxml.html.HtmlElement, url: str | None) -> Metadata:
    import trafilatura

    found = trafilatura.extract_metadata(html, default_url=url)
    title = (found.title if found else None) or _first_text(page, "//h1") or None
    description = found.description if found else None
    standfirst = _first_text(page, _STANDFIRST_XPATH)
    if standfirst and len(standfirst.split()) > 60:
        standfirst = None  # a container of the whole story, not a dek
    date = None
    if found and found.date:
        date = parse_date(found.date)
    if date is None and (stamp := _first_attribute(page, "//time/@datetime")):
        date = parse_date(stamp)
    return Metadata(
        title=title, subtitle=standfirst or description, date=date,
        byline=(found.author if found and found.author else None),
        publication=(found.sitename if found and found.sitename else None),
        url=(found.url if found and found.url else url),
    )


def _figures(page: lxml.html.HtmlElement) -> dict[str, _Figure]:
    """Each image's alt text and caption, keyed by its src."""
    figures: dict[str, _Figure] = {}
    for image in page.iter("img"):
        sources = _sources(image)
        if not sources:
            continue
        alt = " ".join((image.get("alt") or "").split())
        figure = next((ancestor for ancestor in image.iterancestors("figure")), None)
        caption_element = figure.find(".//figcaption") if figure is not None else None
        caption = " ".join(caption_element.text_content().split()) if caption_element is not None else ""
        credit = None
        marked = caption_element.xpath(
            ".//*[re:test(@class, 'credit|copyright|source|photographer', 'i')]",
            namespaces={"re": "http://exslt.org/regular-expressions"},
        ) if caption_element is not None else []
        if marked:
            # A credit the page marks up as such: take it out of the caption, whatever its wording.
            credit_text = " ".join(marked[0].text_content().split())
            caption = " ".join(caption.replace(credit_text, "").split())
            credit = re.sub(r"^\(?(?:photo(?:graph)?|picture|image|credit)s?\s*(?::|by)\s*|^©\s*|\)$", "", credit_text,
                            flags=re.IGNORECASE).strip(" ()")
        elif caption and (found := split_credit(caption)):
            caption, credit = found
        for src in sources:
            figures[src] = _Figure(alt, caption, credit)
    return figures


def _sources(image: lxml.html.HtmlElement) -> list[str]:
    """An image's addresses: lazy-loading pages put the real one in data-src and a placeholder in src."""
    return [src for src in (image.get("data-src"), image.get("src")) if src]


def _walk(main: lxml.etree._Element, figures: dict[str, _Figure]):
    for element in main:
        text = " ".join("".join(element.itertext()).split())
        if element.tag == "head":
            yield Line(text, "heading")
        elif element.tag == "graphic":
            if line := _figure_line(element, figures):
                yield line
        elif element.tag == "quote":
            for paragraph in element.iter("p"):
                yield Line(" ".join("".join(paragraph.itertext()).split()), "quote_block")
            if element.find("p") is None and text:
                yield Line(text, "quote_block")
        elif element.tag == "list":
            for item in element.iter("item"):
                yield Line(" ".join("".join(item.itertext()).split()))
        elif text:
            yield Line(text)


def _restore_dropped(
    lines: list[Line], page: lxml.html.HtmlElement, figures: dict[str, _Figure], used: set[str],
) -> list[Line]:
    """Put back the story's figures and pull quotes that trafilatura left out (lead images in the
    header, <aside> pull quotes), each before the body paragraph that follows it on the page."""
    positions = {normalise_for_match(line.text): index for index, line in enumerate(lines) if line.hint == "text"}
    container = _story_container(page, positions)
    if container is None:
        return lines
    insertions: list[tuple[int, Line]] = []
    for element in container.iter("figure", "img", "aside", "blockquote"):
        if element.tag in ("figure", "img"):
            image = element if element.tag == "img" else next(element.iter("img"), None)
            sources = _sources(image) if image is not None else []
            if not sources or used.intersection(sources) or (element.tag == "img" and not _story_image(image)):
                continue
            used.update(sources)
            line = _figure_line(lxml.etree.Element("graphic", src=sources[0]), figures)
        elif _PULL_QUOTE_CLASS.search(element.get("class") or "") and not any(
            _PULL_QUOTE_CLASS.search(ancestor.get("class") or "") for ancestor in element.iterancestors()
        ):
            quote = element.find(".//blockquote")
            text = " ".join((quote if quote is not None else element).text_content().split())
            line = Line(text, "quote_block") if text else None
        else:
            continue
        if line is None:
            continue
        following = next((
            positions[key] for paragraph in element.xpath("following::p")
            if (key := normalise_for_match(paragraph.text_content())) in positions
        ), None)
        if following is not None:
            insertions.append((following, line))
    for index, line in sorted(insertions, key=lambda item: item[0], reverse=True):
        lines.insert(index, line)
    return lines


def _story_image(image: lxml.html.HtmlElement) -> bool:
    """An image outside any <figure> that describes the story: alt text of a few words, not page chrome."""
    if any(ancestor.tag in ("figure", "nav", "header", "footer", "aside", "a") for ancestor in image.iterancestors()):
        return False
    if _CHROME_CLASS.search(" ".join(filter(None, (image.get("class"), image.get("id"), image.get("src"))))):
        return False
    return len((image.get("alt") or "").split()) >= 3


def _story_container(page: lxml.html.HtmlElement, positions: dict[str, int]) -> lxml.html.HtmlElement | None:
    """The element holding the story, header and all: the outermost <article>, <main> or article-like
    block around its first paragraph (the innermost is often the body alone, without the lead image)."""
    first = next((p for p in page.iter("p") if normalise_for_match(p.text_content()) in positions), None)
    if first is None:
        return None
    containers = [
        ancestor for ancestor in first.iterancestors()
        if ancestor.tag in ("article", "main") or (
            ancestor.tag not in ("body", "html") and _STORY_CLASS.search(ancestor.get("class") or "")
        )
    ]
    # A page with no article element: the story is the page's body.
    return containers[-1] if containers else next(first.iterancestors("body"), None)


def _figure_line(graphic: lxml.etree._Element, figures: dict[str, _Figure]) -> Line | None:
    figure = figures.get(graphic.get("src", ""))
    alt = figure.alt if figure else " ".join((graphic.get("alt") or graphic.get("title") or "").split())
    caption = figure.caption if figure else ""
    credit = figure.credit if figure else None
    # Alt text says what the picture shows, the caption what it means: both are read, unless they
    # largely say the same thing, when the caption alone is.
    alt_words, caption_words = set(normalise_for_match(alt).split()), set(normalise_for_match(caption).split())
    if caption and alt and len(alt_words & caption_words) < 0.5 * len(alt_words):
        text = f"{alt.rstrip('.')}. {caption}"
    else:
        text = caption or alt
    if not text or len(text.split()) < 2:
        return None
    return Line(text, "caption", caption_text=text, credit=credit)


def _first_text(page: lxml.html.HtmlElement, xpath: str) -> str | None:
    found = page.xpath(xpath, namespaces={"re": "http://exslt.org/regular-expressions"})
    for element in found:
        text = " ".join(element.text_content().split())
        if text:
            return text
    return None


def _first_attribute(page: lxml.html.HtmlElement, xpath: str) -> str | None:
    found = page.xpath(xpath)
    return str(found[0]) if found else None
