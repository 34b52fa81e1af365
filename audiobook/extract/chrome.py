"""Page chrome: what a page prints around a story that is not the story (menus, share prompts,
advertisements, reader call-outs, credits, licensing, related links), kept silent.

A line is scored on evidence rather than matched against a list of exact phrases: words that are
about the page rather than the world, where the line stands (before the headline, between it and
the body, inside the story, after it, under the readers' comments), how long it is, whether it is
a link, a list of headlines, a label waiting for its value, a row of icons, template code, or a
line the page prints twice. A line whose evidence reaches ``THRESHOLD`` is chrome. The
weights and the threshold were set on the dev part of the corpus (tests/corpus/dev) only.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from typing import Literal

from audiobook.extract.dates import parse_date
from audiobook.extract.lines import Line
from audiobook.script.quotes import QUOTE_OPENERS, normalise_for_match

Where = Literal["before_title", "header", "body", "after_story"]

THRESHOLD = 1.0

# Words about the page, its reader or its makers rather than about the world, with how telling each is.
# A story may use these words too, so their evidence fades as a line grows into a paragraph (_reach).
PAGE_TALK: tuple[tuple[str, float], ...] = (
    # advertising
    (r"\badvertisement\b|^advertising$|^ad$|^sponsored\b|\bsponsored content\b", 1.0),
    # sharing and following
    (r"^share( this( article| story| page)?)?:?$|\bshare (this|on|via)\b|^(copy|email) link$|\bfollow us\b"
     r"|\bconnect with us\b|^(facebook|twitter|x|whatsapp|linkedin|email)$", 1.0),
    # the page's own furniture: an app to download, a picture's alt text, a bare address, a gallery's
    # counter, a writer's handle or email address
    (r"^(download|get) .{0,40}\bapp\b|^(avatar|thumbnail|logo|icon|image|photo|picture)$|^(https?://|www\.)\S+$"
     r"|^\[email(&#160;|\s)protected\]$"
     r"|^((image|photo|picture|slide) )?\d+ ?(of|/) ?\d+$|^@\w{2,}$|^(twitter|x|instagram|threads|bluesky): ?@\w+"
     r"|\bfollow (him|her|them|me) on\b|^[\w.+-]+@[\w-]+(\.[\w-]+)+$", 1.0),
    # a page's buttons, widgets and a picture's controls, each a line of its own
    (r"^(share|gift)( this| full)? (article|story)$|^(save|comment|print|expand|collapse)$"
     r"|^continue reading( the main story)?$|^article continues (below|after)\b|^(show|hide|toggle) caption$"
     r"|^\+? ?enlarge this image$|^click (here )?to enlarge\.?$|^reuse this content$|^paid (content|post|partnership)$"
     r"|^most (commented|viewed|read|popular|shared)$|^loading\W*$|^trending( now| stories)?$"
     r"|^(tweet|open in app|link copied)$"
     r"|^scroll (down )?to continue\b|^was this (article|story|page) (helpful|useful)\b"
     # and widgets: a player, a comments box, a newsletter form, a list of links
     r"|^(follow|comments|view (all )?comments|report this comment|copied|video|play video|skip ad|register"
     r"|show more|load more|read next|you may also like|save article|(print|save) this (page|article|story)"
     r"|enter your email( address)?|terms (and|&) conditions|terms of (use|service)|join the (conversation|discussion)"
     r"|become a (member|subscriber|supporter)( today)?"
     r"|(local|world|national|uk|us|business|sports?|politics|breaking) news|posted in [\w &]{2,30})\W*$"
     r"|^already a (subscriber|member)\?|^thank you for (subscribing|signing up)\b|\bdelivered (straight )?to your inbox\b",
     1.0),
    # whom to write to, where the article first appeared, whom to follow: Bloomberg's and The Conversation's notes
    (r"^(to )?contact (the )?(reporter|editor|writer|author|newsroom|news ?desk)s?\b"
     r"|^(do you have|have you got|have|got) a (story|news tip|tip)\b"
     r"|\bthis (article|story|piece) (was )?(originally|first) (appeared|published)\b|\bread the original article\b"
     r"|^follow .{1,40} on (twitter|x|instagram|facebook|threads|bluesky|linkedin)\b", 1.0),
    # the site talking about itself when something fails to load (a story's 'the service is unavailable'
    # is about the world: only the page's own words count)
    (r"^oops\b|\b(this|our) (page|feature|content|video|site|website) is (currently |temporarily )?unavailable\b"
     r"|\bunavailable in your (location|region|country)\b", 1.0),
    # newsletters, subscriptions, accounts
    (r"^sign in$|^log in$", 0.8),
    # links to other pages
    (r"^(see|explore|discover|read) (more|also)\b|^(also read|see also|more on this story|watch|listen)\b"
     r"|^more from\b"
     r"|\brelated (articles?|stories|coverage|content|topics|links)\b|^related\b|\bmore on (these|this) topics?\b"
     r"|^recommended\b|^(tags|topics|filed under)\b|\bclick here\b|\btap here\b"
     r"|^special report\b|^(latest|top) (news|stories)\b|^(next|previous) (story|article|post)\b"
     # a promoted link ("READ: Ramaphosa calls for …"), a section label printed inside the story
     r"|^(read|also read|read also|related|watch|listen|see also|don['’]t miss)\s*:|^in other news$"
     # where the rest of it is ("You can hear it in full above", "For the full interview, click on this link")
     r"|\b(hear|watch|read|see|listen to) (it|this|the (full )?(interview|video|clip|conversation)) in full\b"
     r"|\bclick on this link\b|\bfor the full (interview|video|story|report)\b", 1.0),
    # comments and reader call-outs
    (r"^\d+ (comments?|responses?|replies)( (about|on|to) [\"“‘].*)?$|^comments?:? \(?\d+\)?$|^(leave|post) a (comment|reply)\b"
     r"|\bcomments? (are|is) (posted|moderated)\b|^(have|add) your say\b"
     r"|\b(contact|email|tell) us\b|\byour responses?\b|\bcan be anonymous\b"
     r"|\bshare your (story|views|experience)", 1.0),
    # credits, licensing, standards
    (r"\b(reporting|editing|writing|additional reporting|compiled|produced) by\b.*;"
     r"|^©|\bcorrections? (policy|and clarifications)\b", 1.0),
    # phrases no story sentence uses: they hold even where a line ends as a sentence
    (r"\blicensing rights\b|\bopens? (in )?(a )?new (tab|window)\b|\ball rights reserved\b|\bour standards:"
     r"|\btrust principles\b|\breport (a|an) (typo|error)\b|\bstory continues (below|after)\b"
     # a print edition's scan: "This article is from page 8 of the 2012-09-18 edition of The Clare People."
     r"|\bthis (article|story) is from page \d+\b|\bOCR (mistakes|errors)\b", 2.0),
    (r"^(first )?published (in|on|by)\b|\bthis (article|story) (is|was) (more than|over) \d+"
     # when the page was put up, said the way only a page says it
     r"|^(published|updated|posted|submitted|created):?$|^(published|updated|posted|submitted)\b.{0,30}\bago$"
     r"|^this was (first )?published \d+ \w+ ago$"
     r"|\bthis (article|story|piece) is part of\b|\bour series\b|\b\d+ min(ute)?s? read\b", 1.0),
    # who paid for the journalism
    (r"\bsupport (local|independent|our|quality) journalis"
     r"|\bthis (publication|article|story|report|reporting|project|piece|series|coverage|content|journalism) (was|is)"
     r" (prepared|produced|made|supported|funded)", 1.0),
    (r"\bthis interview has been (edited|condensed)\b"
     # a menu's items are the whole line: "Home Style Bakery’s last day …" or "Search teams found …" are story
     r"|^(skip to|skip navigation)\b|^(menu|search|home|sections|account|open menu|close|toggle navigation)$"
     r"|^(back to|top of) (the )?(top|page)$|^privacy( policy| notice| settings)?$", 0.8),
)
# Words a story shares with the page: a standfirst or a lede says "funded by", "donate", "sign up", "the most
# popular" or "a bill sponsored by" too. They tell of the page only in a short line, or where the site speaks
# or speaks to the reader ("Sign up to our newsletter", "Get in touch with us"), not in a sentence about the world.
SHARED_TALK: tuple[tuple[str, float], ...] = (
    (r"\bsign up\b|\bsubscribe\b", 0.8),
    (r"\bnewsletters?\b", 0.8),
    (r"\bcookies?\b", 0.8),
    # a credit without a semicolon ("Additional reporting by Jane Doe"), and "Reporting by the BBC revealed …"
    (r"^[(—–-]*\s*(additional )?(reporting|editing|writing) by\b", 1.0),
    (r"\bget in touch\b|\bread more\b|\bmost (viewed|read|popular|shared)\b|\bsponsored by\b|\bpowered by\b"
     r"|^copyright\b", 1.0),
    (r"\bfinancial support of\b|\bwith (the )?support (of|from)\b|\bfunded by\b|\bdonate\b", 1.0),
)
_PAGE_TALK = tuple((re.compile(pattern, re.IGNORECASE), weight) for pattern, weight in PAGE_TALK)
_SHARED_TALK = tuple((re.compile(pattern, re.IGNORECASE), weight) for pattern, weight in SHARED_TALK)
# A sentence about the world: eight words or more, ending as a sentence, neither in the site's voice nor to the reader.
_SENTENCE_WORDS = 8
_MOST_EVIDENCE = 1.2

_SENTENCE_END = re.compile(r"[.!?;…”\"’)\]]\s*$")
# A sentence's end, not a quotation's: "… at an inquest." or "… “We are very sorry”." but not "‘Arrogant council …’".
FULL_STOP = re.compile(r"[.!?…][”\"’)\]]*\s*$")
_BULLET = re.compile(r"^[♦•●▪■►▶›»◆\-–*·]\s+")
_MENU_SEPARATORS = re.compile(r"(\s[|·•›»]\s.*){2,}")
_LABEL = re.compile(r"^[A-Z][\w’' ]{0,25}:$")
BYLINE = re.compile(r"^by\s+[A-Z]", re.IGNORECASE)
_SITE_VOICE = re.compile(r"\b(we|we’re|we're|we’ve|we've|our|us)\b", re.IGNORECASE)
_READER = re.compile(r"\b(you|your|yours)\b", re.IGNORECASE)
_SMALL_WORDS = frozenset("a an and as at by for from in of on or the to with vs is are be".split())
_IMAGE_WORDS = re.compile(r"\b(image|photo(graph)?|picture|pictured|file photo|illustration)\b", re.IGNORECASE)
# A picture's credit on a line of its own: "(Image: Getty Images)", "Photo: AFP", "Photograph: Jane Doe/The Guardian".
PICTURE_CREDIT = re.compile(
    r"^\(?(?:(?:photo(?:graph)?|picture|image|pic|credit)s?\s*(?::|by)\s*(?P<credit>[^()]{1,60}?)"
    # or a picture agency alone: "Getty Images", "AFP via Getty Images", "PA Media", "AP Photo/Jane Doe"
    r"|(?P<agency>(?:[\w.-]+ )?(?:via )?(?:getty images|afp|pa (?:media|wire)|reuters|epa(?:-efe)?|shutterstock|alamy)"
    r"|ap photo(?:/[^()]{1,40})?))\)?$",
    re.IGNORECASE,
)
# "Last modified on Tue 3 May 2022 10.32 BST", "Updated 10:32, 3 May 2024": a line that is only a date stamp.
_CHANGED_ON = re.compile(r"^(last )?(modified|updated|published|posted)( on| at)?:?\s[\w ,.:]{0,40}\d(\s?[A-Z]{2,4})?$",
                         re.IGNORECASE)
_FILE_CODE = re.compile(r"\b[A-Z]{3,}\d{4,}\w*\b")
# A label whose value the page printed elsewhere or not at all ('Created by', 'Published' … 'on').
_DANGLING = re.compile(r"(^|\s)(by|on|in|at|under|from|of|for|with)$", re.IGNORECASE)
# A real word: two letters or more. A row of icons ('f t # e') has none.
_WORD = re.compile(r"[^\W\d_]{2,}")
# A CMS shortcode, a template tag or an HTML tag that was never rendered.
_TEMPLATE_CODE = re.compile(r"^\[[a-z]+(-[a-z]+)+\]$|\[\w+(\s+\w+=[^\]]*)+\]|\{\{.*?\}\}|\{%.*?%\}|</?[a-z][a-z0-9]*(\s[^>]*)?>")
# A writer's name with a staff title: under another story's headline, or a template's.
_STAFF_TITLE = re.compile(r"^[^,]{2,40}, [\w ]{0,40}\b(reporter|correspondent|editor|writer|columnist|contributor)$", re.IGNORECASE)
# When a comment was posted: a reader's comment is signed with a date or a time.
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_TIMESTAMP = re.compile(
    rf"\b\d{{1,2}}[:.]\d{{2}}\s*[ap]\.?m\b|\b{_MONTH} \d{{1,2}},? (19|20)\d{{2}}\b|\b\d{{1,2}} {_MONTH} (19|20)\d{{2}}\b"
    r"|\b\d+ (minutes?|hours?|days?|weeks?|months?) ago\b",
    re.IGNORECASE,
)
_OPENS_COMMENTS = re.compile(
    r"^\d+ (comments?|responses?|replies)\b|^comments?:? \(?\d+\)?$|^(leave|post) a (comment|reply)\b|^(reader )?comments?:?$",
    re.IGNORECASE,
)

# Where a line stands says how little else it takes: above the headline and after the story is
# mostly furniture, inside the story almost never.
_PRIOR: dict[str, float] = {"before_title": 0.5, "header": 0.3, "body": 0.0, "after_story": 0.5}
# A few words with no sentence end: a button or a menu item after the story, but above it as likely
# a short headline, and inside it a subheading.
_SHORT: dict[str, float] = {"before_title": 0.3, "header": 0.5, "body": 0.5, "after_story": 0.7}


@dataclass(frozen=True)
class Neighbours:
    """What a line's surroundings say: the lines either side, the lines printed before it, how
    many questions the article asks (an interview asks several; a reader poll stands alone), and
    whether the story has begun."""

    previous: Line | None = None
    following: Line | None = None
    printed_before: Container[str] = frozenset()
    """Lines printed before this one, by their printed_key."""
    questions: int = 0
    story_before: bool = False
    """Whether a paragraph of story (twenty words or more) stands before the line."""
    ahead: tuple[Line, ...] = ()
    """The few lines after this one: above the headline, whether the headline is still to come."""
    printed_after: Container[str] = frozenset()
    """Lines printed after this one, by their printed_key."""
    in_comments: bool = False
    """Whether the line stands under the readers' comments (see comments_start)."""


def is_chrome(line: Line, where: Where, neighbours: Neighbours = Neighbours()) -> bool:
    return chrome_score(line, where, neighbours) >= THRESHOLD


def chrome_score(line: Line, where: Where, neighbours: Neighbours = Neighbours()) -> float:
    """The evidence that a line is page chrome; ``THRESHOLD`` and above is."""
    text = line.text.strip()
    if not text or line.caption_text is not None or line.hint == "quote_block":
        return 0.0
    words = len(text.split())
    quoted = text[0] in QUOTE_OPENERS
    score = _PRIOR[where]
    score += _page_talk(text, words, where)
    if line.link_share >= 0.8 and words <= 20:
        score += 1.0  # a line that is all link leads elsewhere: a story's sentences are not links
    if words <= 4 and not _SENTENCE_END.search(text) and not quoted:
        score += _SHORT[where]  # a button, a menu item, a section name
    if _MENU_SEPARATORS.search(text):
        score += 1.0
    following = neighbours.following
    if _LABEL.match(text) and where != "body" and following is not None and len(following.text.split()) <= 4:
        score += 0.7  # 'Reporter:' with its name on the next line
    key = printed_key(text)
    if (where != "body" and words <= 8 and key in neighbours.printed_before) or (
        where in ("before_title", "after_story") and words <= 4 and key in neighbours.printed_after
    ):
        # A byline or a label the page prints a second time; inside the story a repeated short line
        # is the story's own label ('Q:', a speaker's name in a transcript). A template's label printed
        # above the headline and again under the next story's is furniture the first time too.
        score += 1.0
    if where == "before_title" and words <= 2 and not _SENTENCE_END.search(text) and not quoted and (
        parse_date(text) is None and _headline_next(neighbours.ahead)
    ):
        score += 0.5  # a section name or a notice above the headline ('Opinion', 'Press Releases')
    if where == "before_title" and words <= 25 and not quoted and text.endswith(".") and _SITE_VOICE.search(text) and (
        _headline_next(neighbours.ahead)
    ):
        # The site speaking for itself above the headline ('We use cookies …', 'We are working …'): a
        # headline may say 'we' too, but it does not end with a full stop.
        score += 0.5
    if where in ("header", "after_story") and words <= 4 and not _SENTENCE_END.search(text) and _DANGLING.search(text):
        # A label whose value is missing: 'Created by', 'Published' … 'on'. Above the story such a
        # line may be a short headline ('Who to vote for').
        score += 0.7
    if where != "body" and words <= 8 and not _WORD.search(text) and not any(character.isdigit() for character in text):
        score += 1.0  # a row of icons with their one-letter labels: 'f t # e'
    if where == "body" and _CHANGED_ON.match(text):
        score += 1.0  # when the page was changed, inside the story; above the headline it is the story's date
    if PICTURE_CREDIT.match(text):
        score += 1.0  # the credit of a picture whose caption was not printed (with one, it is that caption's)
    if _TEMPLATE_CODE.fullmatch(text):
        score += 1.0  # markup never rendered: '[ad_space id=3]' on a line of its own is no sentence anywhere
    if where == "before_title" and _is_breadcrumb(text, neighbours.following):
        score += 1.0
    if where in ("before_title", "after_story") and words <= 10 and _STAFF_TITLE.search(text):
        score += 0.6  # 'Gemma Peplow, culture reporter': a byline, but of another story or of none
    if where == "after_story" and neighbours.in_comments:
        score += 1.0  # readers' comments: their words are not the story's, however long
    if _BULLET.match(text) and not FULL_STOP.search(text) and neighbours.story_before:
        # Once the story has begun, a bullet that is not a sentence is a link to another story;
        # several in a row are a list of them (under the headline, bullets sum the story up).
        in_a_list = any(other is not None and _BULLET.match(other.text) for other in (neighbours.previous, following))
        score += 0.6 + 0.5 * in_a_list
    if _teaser_headline(text) and where in ("body", "after_story"):
        score += 1.0  # above the story the first headline is its own
    if not quoted and words <= 15 and _READER.search(text) and text.endswith("?") and neighbours.questions <= 1 and (
        where in ("body", "after_story") or (where == "before_title" and _headline_next(neighbours.ahead))
    ):
        # A poll put to the reader: the one question a story that is not an interview asks. At the top it is the
        # headline ('Would you pay £5 for a coffee?') or its standfirst, unless a headline is still to come.
        score += 1.0
    return score


def comments_start(lines: list[Line], story_start: int) -> int | None:
    """Where the readers' comments begin: a line that opens them ('12 comments', 'Leave a reply')
    after a paragraph of story, with a comment signed by its time on one of the next two lines.
    A comment count in a share bar inside the story has no signed comment under it."""
    story_begun = False
    for index in range(story_start, len(lines)):
        text = lines[index].text.strip()
        if story_begun and _OPENS_COMMENTS.search(text) and any(
            _TIMESTAMP.search(line.text) and len(line.text.split()) <= 15 for line in lines[index + 1:index + 3]
        ):
            return index
        story_begun = story_begun or (lines[index].hint == "text" and len(text.split()) >= 20)
    return None


def printed_key(text: str) -> str:
    """A line as a repeat of it would read: 'By Rachel Cunningham' repeats 'Rachel Cunningham'."""
    return normalise_for_match(re.sub(r"^by\s+", "", text.strip(), flags=re.IGNORECASE))


def looks_like_bare_caption(line: Line) -> bool:
    """A photo caption printed with no credit between headline and body: a few words naming a
    picture ('editorial image') or carrying a picture desk's file code ('NILALC100809B1 - Town Hall')."""
    text = line.text.strip()
    return (
        line.hint == "text" and len(text.split()) <= 10 and not _SENTENCE_END.search(text)
        and bool(_IMAGE_WORDS.search(text) or _FILE_CODE.search(text))
    )


def _page_talk(text: str, words: int, where: Where) -> float:
    """The vocabulary's evidence, faded by length (_reach). A cue at the line's start labels the whole
    line ('Related: …', 'Read more: …'), whatever headline follows it, so it fades only as the
    line grows into a paragraph."""
    talk = _PAGE_TALK if _about_the_world(text, words) else _PAGE_TALK + _SHARED_TALK
    matches = [(pattern.search(text), weight) for pattern, weight in talk]
    found = [(match, weight) for match, weight in matches if match]
    if not found:
        return 0.0
    # Several cues add up, but not without bound: a long paragraph full of page words is still long.
    evidence = min(sum(weight for _, weight in found), max(_MOST_EVIDENCE, *(weight for _, weight in found)))
    labelled = any(match.start() == 0 for match, _ in found)
    return evidence * _reach(words, "header" if labelled and where == "body" else where, text)


def _about_the_world(text: str, words: int) -> bool:
    return words >= _SENTENCE_WORDS and bool(FULL_STOP.search(text)) and not (
        _SITE_VOICE.search(text) or _READER.search(text))


def _reach(words: int, where: Where, text: str) -> float:
    """Page talk is short: its evidence is whole up to 40 words and gone by 55 (a paragraph of story
    that mentions a newsletter is still story). Inside the story, where a sentence may well speak
    of advertising or donations, only a few words that do not end as a sentence count in full."""
    if where == "body":
        reach = 1.0 if words <= 12 else max(0.0, (24 - words) / 12)
        return reach / 2 if FULL_STOP.search(text) else reach
    return 1.0 if words <= 40 else max(0.0, (55 - words) / 15)


def _headline_next(ahead: tuple[Line, ...]) -> bool:
    """Whether the next line of more than a few words looks like a headline, with only short
    furniture before it. A byline or a date on the way means the headline has been printed already
    ('Bridge Reopens' / 'By Ann Lee'): bylines and dates follow headlines."""
    for line in ahead:
        text = line.text.strip()
        if BYLINE.match(text) or parse_date(text) is not None:
            return False
        if len(text.split()) > 4:
            return _looks_like_headline(line)
    return False


def _looks_like_headline(line: Line) -> bool:
    """A line that could be the headline still to come: a few words to a long sentence's worth, not
    ended as a sentence (a question or an exclamation may be), not a quotation."""
    text = line.text.strip()
    return (
        5 <= len(text.split()) <= 25 and text[0].isupper() and text[0] not in QUOTE_OPENERS
        and (not _SENTENCE_END.search(text) or text.endswith(("?", "!")))
    )


def _is_breadcrumb(text: str, following: Line | None) -> bool:
    """The path to the page ending in its headline, which the next line prints alone: 'Home › Letters ›
    Keep the night ferry', or its links run together ('HomeLettersKeep the night ferry')."""
    if following is None or len(following.text.split()) < 3:
        return False  # 'Storm hits Kilbride' above 'Kilbride' is a headline, not a path to it
    headline, line = normalise_for_match(following.text), normalise_for_match(text)
    return line.endswith(headline) and len(line) > len(headline)


def _teaser_headline(text: str) -> bool:
    """The headline of another story: eight words or more, capitalised as a headline, no sentence end."""
    words = re.findall(r"[^\W\d_][\w’'-]*", text)
    content = [word for word in words if word.lower() not in _SMALL_WORDS]
    if len(words) < 8 or _SENTENCE_END.search(text) or text[0] in QUOTE_OPENERS or not content:
        return False
    return sum(word[0].isupper() for word in content) >= 0.8 * len(content)
