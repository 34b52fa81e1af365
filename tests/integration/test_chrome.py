"""Page chrome kept silent and nothing of the story dropped: one test per feature of the classifier
(audiobook/extract/chrome.py), then whole articles in plain text, Markdown and an HTML page served
from localhost, read by the real pipeline, and one rendered to an MP3 with the real engine."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest

from audiobook.api import Options, prepare, render
from audiobook.extract import extract
from audiobook.extract.chrome import Neighbours, chrome_score, is_chrome
from audiobook.extract.lines import Line
from audiobook.quality.evaluation import score
from audiobook.script.scriptfile import script_to_json

from ..helpers import FIXTURES

CHROME_FIXTURES = FIXTURES / "chrome"
PLAIN = CHROME_FIXTURES / "harbour-plain.txt"
MARKDOWN = CHROME_FIXTURES / "lighthouse.md"
PAGE = CHROME_FIXTURES / "harbour-page.html"

STORY_OPENING = (
    "The harbour board voted on Tuesday to keep the night ferry running for another three years, after a "
    "campaign by islanders who said the crossing was their only way to reach the hospital after dark."
)


def _kinds(path: Path) -> dict[str, str]:
    article = extract(path.read_text(), path.name)
    return {block.text: block.kind for block in article.blocks}


def _document(location: str) -> dict:
    prepared = prepare(location)
    return script_to_json(prepared.script, prepared.cast)


def _spoken(document: dict) -> str:
    return " ".join(segment["text"] for segment in document["segments"] if segment["spoken"])


def _silent_chrome(document: dict) -> list[str]:
    return [s["text"] for s in document["segments"] if s["role"] == "boilerplate" and not s["spoken"]]


# --- one feature at a time -------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Advertisement",
    "Story continues below advertisement",
    "Purchase Licensing Rights, opens new tab",
    "(Reporting by Ana Ruiz; Editing by Tom Reade)",
    "12 min read",
    "Explore more on these topics",
    "Our Standards: The Trust Principles.",
    "Report a typo or error",
    "Sign up to our morning newsletter",
    "READ: Islanders vote to keep the night ferry",
    "IN OTHER NEWS",
    "[related-posts]",
    "For the full interview, click on this link",
    "[email\u00a0protected]",  # what a page's email obfuscation leaves when scraped
    "image",
    # buttons and a picture's controls, as news sites print them
    "Share full article", "Gift this article", "Continue reading the main story", "Article continues below",
    "Show caption", "toggle caption", "+ Enlarge this image", "Click to enlarge.", "Reuse this content", "Loading…",
    # a picture's credit alone
    "Getty Images", "AFP via Getty Images", "PA Media", "AP Photo/Jane Doe", "Pic: Sam Atkins",
    "Trending now", "Scroll to continue with content", "Was this article helpful?",
    # credits and notes on where to write and where the article first appeared
    "Additional reporting by Jane Doe in Paris.",
    "To contact the reporter on this story: Jane Doe in London at jdoe@bloomberg.net",
    "This article was originally published on The Conversation. Read the original article.",
    "Follow Jane Smith on Twitter: @janesmith",
])
def test_words_about_the_page_silence_a_short_line_even_inside_the_story(text):
    assert is_chrome(Line(text), "body")


@pytest.mark.parametrize("text", [
    "This article is part of Coastlines, our series on the people who live along the western shore.",
    "This reporting was funded by the Coastal Communities Journalism Fund.",
    "This article is from page 8 of the 2012-09-18 edition of The Island Times. OCR mistakes are to be expected.",
    "You can hear it in full above.",
    "Have you been affected by the ferry cuts? Share your story with us. Your responses, which can be anonymous, "
    "are secure as the form is encrypted and only we have access to them.",
])
def test_notes_and_call_outs_around_the_story_are_chrome_though_they_are_sentences(text):
    assert is_chrome(Line(text), "after_story")
    assert is_chrome(Line(text), "header")


@pytest.mark.parametrize("text", [
    "The ferry company said advertising on its boats would help to cover part of the cost.",
    "Islanders were asked to donate to a fund for a new ramp, and to sign up as volunteers.",
    "The council's newsletter, posted to every house on the island, said the subscription would rise.",
    "The skipper said you can hear the engine in full above the waves.",
    "Reuters reported that the deal was off.",
    "Getty Images bought the archive in 2019.",
    "Print journalists walked out on Monday.",
    "Reporting by the BBC revealed the scale of the problem.",
    "Follow the rules on the beach, the council said.",
    "Contact the council if you see anyone dumping rubbish.",
])
def test_a_sentence_of_story_that_uses_those_words_is_still_story(text):
    assert not is_chrome(Line(text), "body")


def test_page_words_fade_as_a_line_grows_into_a_paragraph():
    short = Line("Sign up to our newsletter")
    paragraph = Line(
        "The parish newsletter, which volunteers have printed every month since 1962, asked readers to sign up "
        "for a public meeting about the closure of the school, and more than two hundred people came to the hall "
        "on Thursday night to hear the board explain why it had decided to close it."
    )
    assert chrome_score(short, "after_story") > chrome_score(paragraph, "after_story")
    assert is_chrome(short, "after_story") and not is_chrome(paragraph, "after_story")


def test_where_a_short_line_stands_decides_it():
    # A few words with no sentence end: a menu item after the story, a subheading inside it,
    # and above the story a short headline.
    assert is_chrome(Line("Most Viewed"), "after_story")
    assert not is_chrome(Line("A close vote"), "body")
    assert not is_chrome(Line("Storm hits Kilbride"), "before_title")


@pytest.mark.parametrize("text", [
    "A new ferry funded by the regional government will start sailing in May.",
    "Villagers donate more than £10,000 to rebuild the flooded hall.",
    "Thousands sign up for the city marathon despite the heat warning.",
    "The bakery is famous for its cookies, and now it is closing after 76 years.",
    "The most popular baby names of 2024 have been revealed.",
    "The bill, sponsored by Senator Jane Smith, would ban the sale of vapes to anyone under 21.",
    "A bus powered by hydrogen will run between Aberdeen and Inverness from May.",
    "Children who read more do better at school, a study of 10,000 pupils finds.",
    "Copyright reform will hit musicians hardest, campaigners warn.",
])
def test_a_standfirst_or_lede_sharing_words_with_the_page_is_story(text):
    for where in ("before_title", "header", "body"):
        assert not is_chrome(Line(text), where)


@pytest.mark.parametrize("text", [
    "Sign up to our newsletter", "Donate now", "We use cookies to give you the best experience on our site.",
    "Get in touch with us at the newsdesk.", "This journalism is funded by readers like you.",
    "Most Read", "Powered by WordPress", "Sponsored by Acme Insurance",
    "Read more: The council’s full report on the closure of the library service.",
])
def test_the_same_words_in_the_sites_voice_or_a_short_line_are_chrome(text):
    for where in ("before_title", "header", "after_story"):
        assert is_chrome(Line(text), where)


def test_a_menu_item_is_chrome_only_as_a_whole_line():
    for item in ("Home", "Search", "Menu", "Skip to main content"):
        assert is_chrome(Line(item), "before_title")
    # A lede or a standfirst that begins with one of those words is story.
    lede = "Home Style Bakery’s last day is Saturday, after 76 years in business. Its owners had no time to talk."
    assert not is_chrome(Line(lede), "before_title")
    assert not is_chrome(Line("Home Secretary Priti Patel has promised a review of the rules."), "header")
    assert not is_chrome(Line("Search teams found the missing walkers late on Sunday night."), "before_title")


def test_a_line_printed_twice_in_the_header_is_chrome_the_first_time_it_is_not():
    byline = Line("By Rachel Cunningham")
    assert is_chrome(byline, "header", Neighbours(printed_before=frozenset({"rachel cunningham"})))
    assert not is_chrome(byline, "header")
    # Inside the story a repeated short line is the story's own label, as in an interview's transcript.
    assert not is_chrome(Line("Q:"), "body", Neighbours(printed_before=frozenset({"q"})))


def test_a_label_is_chrome_when_its_value_follows_but_a_dateline_is_not():
    name = Line("David Hurley")
    paragraph = Line("Police in the city said on Sunday that three men had been arrested after the match, one of them a steward.")
    assert is_chrome(Line("Reporter:"), "header", Neighbours(following=name))
    assert not is_chrome(Line("KARACHI:"), "header", Neighbours(following=paragraph))


def test_bullets_of_headlines_once_the_story_has_begun_are_links_to_other_stories():
    first, second = Line("• Island school wins national science prize"), Line("• Storm warning issued for the west coast")
    assert is_chrome(first, "body", Neighbours(following=second, story_before=True))
    # Under the headline, bullets sum the story up; bullets that are sentences are the story's own list.
    assert not is_chrome(first, "body", Neighbours(following=second, story_before=False))
    sentences = Line("• Fares for islanders will be frozen until 2027."), Line("• A second crew will be trained.")
    assert not is_chrome(sentences[0], "body", Neighbours(following=sentences[1], story_before=True))


def test_the_headline_of_another_story_inside_this_one_is_chrome():
    assert is_chrome(Line("Broadcaster Forced to Delete Segment After Embarrassing Error Exposed On-Air"), "body")
    assert not is_chrome(Line("Broadcaster forced to delete segment after an embarrassing error on air"), "body")
    assert not is_chrome(Line("Last Updated: Sunday, 16 March 2008, 16:59 GMT"), "before_title")


def test_a_poll_put_to_the_reader_is_chrome_but_not_an_interviewers_question():
    poll = Line("Do you trust the ferry company with your personal data?")
    assert is_chrome(poll, "body", Neighbours(questions=1))
    assert not is_chrome(poll, "body", Neighbours(questions=2))  # a numbered interview asks two or more


def test_a_headline_asking_the_reader_is_the_headline_and_a_poll_above_one_is_chrome():
    body = "By Jane Smith\n\nThe price of a flat white has risen by a third in two years, the trade body said on Monday.\n"
    asked = extract("Would you pay £5 for a cup of coffee?\n\nCafe owners in Leeds say prices must rise.\n\n" + body)
    assert (asked.title, asked.subtitle) == ("Would you pay £5 for a cup of coffee?", "Cafe owners in Leeds say prices must rise.")
    polled = extract("Do you think the council should close the libraries?\n\nCouncil to close six libraries\n\n" + body)
    assert polled.title == "Council to close six libraries"
    assert [block.text for block in polled.blocks if block.kind == "boilerplate"] == [
        "Do you think the council should close the libraries?"]


def test_a_line_that_is_all_link_leads_elsewhere():
    headline = "Pier funding row goes to the minister next month"
    assert is_chrome(Line(headline, link_share=1.0), "body")
    assert not is_chrome(Line(headline), "body")


def test_a_photo_caption_with_no_credit_under_the_headline_is_a_caption_not_the_standfirst():
    kinds = _kinds(PLAIN)
    assert kinds["HARB2024031501 - The harbour wall at dawn"] == "caption"
    assert kinds[STORY_OPENING] == "paragraph"  # the chrome above it does not make it a standfirst
    document = _document(str(PLAIN))
    caption = next(s for s in document["segments"] if s["role"] == "caption")
    assert caption["spoken"] and caption["credit"] is None


# --- whole articles, every format ----------------------------------------------------------------

PLAIN_CHROME = [
    "Skip to main content", "News | Sport | Business | Opinion", "Share this article", "12 min read", "Advertisement",
    "Story continues below advertisement", "Do you use the night ferry?", "• Island school wins national science prize",
    "• Storm warning issued for the west coast", "• New lifeboat station opens at Kilbride",
    "(Reporting by Ana Ruiz; Editing by Tom Reade)", "Explore more on these topics", "Report a typo or error",
    "Get our morning newsletter, free every weekday",
]


def test_plain_text_chrome_is_silent_and_every_story_line_is_read():
    document = _document(str(PLAIN))
    assert sorted(_silent_chrome(document)) == sorted(PLAIN_CHROME)
    story = [line for line in PLAIN.read_text().splitlines() if line and line not in PLAIN_CHROME]
    story.remove("HARB2024031501 - The harbour wall at dawn")  # read, as a photo description
    spoken = _spoken(document)
    assert document["title"] == story[0] == "Harbour board votes to keep the night ferry"
    for line in story[1:]:
        assert line[:30].strip('"') in spoken, line


def test_markdown_chrome_is_silent_and_every_story_line_is_read():
    document = _document(str(MARKDOWN))
    assert sorted(_silent_chrome(document)) == sorted([
        "This article is part of Coastlines, our series on the people who live along the western shore.",
        "Advertisement",
        "This reporting was funded by the Coastal Communities Journalism Fund.",
        "Sign up to our weekly newsletter",
        "Have you visited a lighthouse museum? Share your story with us. Your responses, which can be anonymous, are secure.",
    ])
    spoken = _spoken(document)
    for words in ("The last keepers' cottages at Carrig Point", "These walls hold two hundred years",
                  "The trust raised the money", "My grandfather kept this light", "The museum is due to open"):
        assert words in spoken


class _Handler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(CHROME_FIXTURES), **kwargs)

    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture(scope="module")
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_html_page_chrome_is_silent_including_a_linked_headline_and_every_story_line_is_read(site):
    document = _document(f"{site}/harbour-page.html")
    assert sorted(_silent_chrome(document)) == sorted([
        "Purchase Licensing Rights, opens new tab",
        "Pier funding row goes to the minister next month",  # all link: another story
        "(Reporting by Niamh Corrigan; Editing by Paul Kavanagh)",
        "Our Standards: The Trust Principles.",
    ])
    spoken = _spoken(document)
    for words in ("The county council has halted repairs", "We cannot send crews onto a structure",
                  "Local fishermen, who land their catch", "We were told in spring", "Councillors agreed to ask"):
        assert words in spoken
    assert "Home" not in spoken and "All rights reserved" not in spoken


def test_a_credit_printed_under_a_caption_credits_it_once_and_is_not_read_as_a_heading(site):
    document = _document(f"{site}/school-credit.html")
    caption = next(s for s in document["segments"] if s["role"] == "caption")
    assert (caption["text"], caption["credit"]) == ("Parents outside Kilbride primary school on Tuesday evening", "John Brown")
    assert not any(s["spoken"] and s["text"].startswith("Photo:") for s in document["segments"])


def test_a_credit_with_no_caption_is_silent_not_the_standfirst():
    article = extract(f"Harbour ferry saved\n\n(Image: Getty Images)\n\n{STORY_OPENING}\n", "credit.txt")
    assert article.subtitle is None
    assert [block.text for block in article.blocks if block.kind == "boilerplate"] == ["(Image: Getty Images)"]


def test_the_evaluation_counts_story_silenced_as_chrome():
    document = _document(str(PLAIN))
    gold = {"title": document["title"], "quotes": [], "boilerplate": PLAIN_CHROME}
    assert score(document, gold).story_lines_silenced == 0
    assert score(document, gold).boilerplate_lines_silent == len(PLAIN_CHROME)
    # A key that calls the poll story sees it silenced, and one chrome line fewer.
    story_poll = {**gold, "boilerplate": [line for line in PLAIN_CHROME if line != "Do you use the night ferry?"]}
    scores = score(document, story_poll)
    assert scores.story_lines_silenced == 1
    assert "story silenced as chrome: 'Do you use the night ferry?'" in scores.problems


def test_chrome_is_not_heard_in_the_rendered_episode(tmp_path):
    episode = render(str(PLAIN), tmp_path / "harbour.mp3", Options(cache_dir=tmp_path / "cache"))
    transcript = episode.transcript.read_text()
    assert "The board will review the timetable in the spring." in transcript
    assert "Fares for islanders will be frozen until 2027." in transcript
    for chrome in ("Advertisement", "Share this article", "Editing by", "Explore more", "national science prize", "min read"):
        assert chrome not in transcript
    assert episode.mp3.stat().st_size > 0


@pytest.mark.parametrize("lede", [
    "A MEETING to decide the future of the night ferry ended in uproar on Tuesday.",
    "NEIGHBOURS at the end of their tether say the ferry must keep running.",
    "KIRKWALL: The harbour board voted on Tuesday to keep the night ferry running.",
    "Kirkwall (Radio Orkney) — The harbour board voted on Tuesday to keep the night ferry running.",
], ids=["capitals", "capital-word", "dateline", "outlet-dateline"])
def test_a_story_opening_under_the_headline_is_story_not_the_standfirst(lede):
    article = extract(f"Harbour ferry saved\n\n{lede}\n\n{STORY_OPENING}\n", "lede.txt")
    assert article.subtitle is None
    assert [block.text for block in article.blocks if block.kind == "paragraph"][:2] == [lede, STORY_OPENING]


def test_a_standfirst_that_opens_with_an_acronym_is_still_the_standfirst():
    standfirst = "RNLI crews say the crossing is the only way to reach the hospital after dark"
    assert extract(f"Harbour ferry saved\n\n{standfirst}\n\n{STORY_OPENING}\n", "rnli.txt").subtitle == standfirst


@pytest.mark.parametrize("headline", [
    "Ferry saved after islanders campaign",
    "Harbour board votes to keep the night ferry running for three more years after a long campaign by islanders",
], ids=["short", "long"])
def test_a_headline_printed_twice_at_the_top_is_the_title_heard_once(headline):
    article = extract(f"{headline}\n\n{headline}\n\nBy Tom Martin\n\n{STORY_OPENING}\n", "twice.txt")
    assert (article.title, article.subtitle, article.byline) == (headline, None, "Tom Martin")
    assert [block.kind for block in article.blocks if block.text == headline] == ["title", "boilerplate"]


_STORY_CLOSE = ("Board members said the subsidy would be reviewed every year, and that fares would not rise before "
                "the summer, when a new vessel is due to enter service on the route.")


def _kind_inside_the_story(line: str) -> str:
    article = extract(f"Harbour ferry saved\n\nBy Jane Smith\n\n{STORY_OPENING}\n\n{line}\n\n{_STORY_CLOSE}\n", "widget.txt")
    return next(block.kind for block in article.blocks if block.text == line)


@pytest.mark.parametrize("line", [
    "Print this page", "Save article", "Follow", "Comments", "View comments", "Join the conversation",
    "You may also like", "Read next", "Copied", "Video", "Play video", "Skip Ad", "Register",
    "Already a subscriber? Sign in", "Last modified on Tue 3 May 2022 10.32 BST", "Local News", "Report this comment",
    "Terms and conditions", "Get the latest news delivered to your inbox", "Enter your email address",
    "Thank you for subscribing", "Show more", "Load more", "Posted in Local News",
    "Do you have a story? Email news@harbourtimes.co.uk", "Contact the newsroom", "Become a member",
    "Updated 10:32, 3 May 2024", "Published 3 May 2024",
])
def test_a_widget_printed_inside_the_story_is_silent_not_a_chapter(line):
    assert _kind_inside_the_story(line) == "boilerplate"


@pytest.mark.parametrize("line", [
    "Posted in a Facebook group on Monday, the video showed the ferry struggling in heavy seas.",
    "Updated 2 May figures show the ferry carried 40,000 passengers last year.",
    "Comments made by the harbour master angered residents at the meeting.",
    "Video footage showed the vessel listing badly as it left the quay.",
    "Join the conversation, the council urged residents, by attending the public meeting on Friday.",
    "Published 3 May, the report found the crossing was the busiest in a decade.",
    "Become a member of the ferry users' group, islanders were told, and your voice will count.",
    "Show more patience, the harbour master told angry passengers.",
])
def test_a_story_sentence_that_opens_with_a_widgets_words_is_read(line):
    assert _kind_inside_the_story(line) == "paragraph"
