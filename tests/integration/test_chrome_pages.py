"""Page chrome of the kinds unseen pages print (template labels, section names above the headline,
labels missing their values, rows of icons, unrendered template code, run-together breadcrumbs,
readers' comments): one test per feature of the classifier (audiobook/extract/chrome.py), then
whole pages in plain text, Markdown and HTML served from localhost, read by the real pipeline."""

from __future__ import annotations

import datetime as dt

import pytest

from audiobook.extract import extract
from audiobook.extract.chrome import Neighbours, comments_start, is_chrome
from audiobook.extract.lines import Line
from audiobook.quality.evaluation import score

from ..helpers import FIXTURES
from .test_chrome import _document, _silent_chrome, _spoken, site  # noqa: F401 - site is the localhost fixture

CHROME_FIXTURES = FIXTURES / "chrome"
HEADLINE = Line("Ferry timetable cut as crews fall ill")
PARAGRAPH = Line(
    "The island ferry will run three crossings a day instead of five until at least Friday, after a stomach "
    "bug left the operator short of two crews, the company said on Monday."
)


# --- one feature at a time -------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Opinion", "Press Releases", "BIG STORY", "No Writer"])
def test_a_word_or_two_above_a_headline_still_to_come_is_a_section_name(text):
    assert is_chrome(Line(text), "before_title", Neighbours(ahead=(Line("Mar 3"), HEADLINE, PARAGRAPH)))
    # With no headline below it, the line is the headline: short headlines exist.
    assert not is_chrome(Line(text), "before_title", Neighbours(ahead=(PARAGRAPH,)))


def test_a_two_word_headline_above_its_byline_is_the_headline_though_a_headline_like_line_follows():
    ahead = (Line("By Ann Lee"), PARAGRAPH, Line("Read more: How the bridge was rebuilt"))
    assert not is_chrome(Line("Bridge Reopens"), "before_title", Neighbours(ahead=ahead))
    assert not is_chrome(Line("Bridge Reopens"), "before_title", Neighbours(ahead=(Line("12 March 2024"), HEADLINE)))


def test_a_short_headline_or_a_dated_line_above_the_headline_is_not_a_section_name():
    ahead = Neighbours(ahead=(Line("It all started when a police officer took drugs from the evidence locker"),))
    assert not is_chrome(Line("What is going on?"), "before_title", ahead)  # a headline that is a question
    assert not is_chrome(Line("Storm hits Kilbride"), "before_title", ahead)  # three words: a headline
    assert not is_chrome(Line("23rd Jan 2024"), "before_title", ahead)  # the story's date


def test_the_site_speaking_for_itself_above_the_headline_is_a_notice():
    notice = Line("We are working hard to get it back online.")
    assert is_chrome(notice, "before_title", Neighbours(ahead=(Line("News"), HEADLINE)))
    # An article with no headline may open in the first person: the next line is story, not a headline.
    opening = Line("We drove north on the last day of the season, when the ferry still ran twice a day.")
    assert not is_chrome(opening, "before_title", Neighbours(ahead=(PARAGRAPH,)))
    assert not is_chrome(opening, "before_title", Neighbours(ahead=(Line('He said: "It never ran on time, not once."'),)))
    # A headline may say 'we', but it does not end with a full stop.
    assert not is_chrome(Line("What we learned from the ferry vote"), "before_title", Neighbours(ahead=(HEADLINE,)))


def test_a_label_printed_above_the_headline_and_again_later_is_a_template_label():
    label = Line("Template for local news")
    assert is_chrome(label, "before_title", Neighbours(printed_after=frozenset({"template for local news"})))
    assert not is_chrome(label, "before_title")
    # The story's own headline printed again below is still the headline: it is longer than a label.
    title = Line("German thief steals judge's keys at hearing")
    assert not is_chrome(title, "before_title", Neighbours(printed_after=frozenset({"german thief steals judge s keys at hearing"})))


@pytest.mark.parametrize("text", ["Created by", "on", "Posted in", "Words by"])
def test_a_label_whose_value_is_missing_is_chrome_around_the_story_not_inside_it(text):
    assert is_chrome(Line(text), "header")
    assert is_chrome(Line(text), "after_story")
    assert not is_chrome(Line(text), "body")


def test_a_short_headline_ending_with_a_preposition_is_not_a_label_missing_its_value():
    assert not is_chrome(Line("Who to vote for"), "before_title", Neighbours(ahead=(PARAGRAPH,)))


def test_a_byline_is_not_a_label_missing_its_value():
    assert not is_chrome(Line("Niamh Corrigan"), "header")
    assert not is_chrome(Line("By Niamh Corrigan"), "header")


@pytest.mark.parametrize(("byline", "read_as"), [
    ("Jane Smith, Education Reporter\n\n12:30, 3 May 2024", "Jane Smith, Education Reporter"),
    ("Jane Smith | Education Reporter\n\n3 May 2024", "Jane Smith, Education Reporter"),
    ("Jane Smith\nEducation Reporter\n\n3 May 2024", "Jane Smith, Education Reporter"),
    ("3 May 2024\n\nJane Smith", "Jane Smith"),
])
def test_a_byline_printed_without_by_is_the_byline_and_the_date_beside_it_is_read(byline, read_as):
    article = extract(f"{HEADLINE.text}\n\nThe operator blames a stomach bug.\n\n{byline}\n\n{PARAGRAPH.text}\n")
    assert (article.byline, article.date) == (read_as, dt.date(2024, 5, 3))
    assert [block.kind for block in article.blocks if block.kind in ("heading", "paragraph")] == ["paragraph"]


@pytest.mark.parametrize(("byline", "name", "date"), [
    ("By Jane Smith | 3 May 2024", "Jane Smith", dt.date(2024, 5, 3)),
    ("By Jane Smith — Updated 3 May 2024", "Jane Smith", dt.date(2024, 5, 3)),
    ("By Jane Smith · 4 min read", "Jane Smith", None),
])
def test_a_byline_keeps_its_name_and_gives_the_date_printed_beside_it(byline, name, date):
    article = extract(f"{HEADLINE.text}\n\n{byline}\n\n{PARAGRAPH.text}\n")
    assert (article.byline, article.date) == (name, date)
    kinds = ["title", "date", "byline", "paragraph"] if date else ["title", "byline", "paragraph"]
    assert [block.kind for block in article.blocks] == kinds


@pytest.mark.parametrize("dated", ["Jane Smith | 3 May 2024", "Posted on May 3, 2024 by Jane Smith"])
def test_a_date_line_that_names_the_writer_gives_the_byline_too(dated):
    article = extract(f"{HEADLINE.text}\n\n{dated}\n\n{PARAGRAPH.text}\n")
    assert (article.byline, article.date) == ("Jane Smith", dt.date(2024, 5, 3))


def test_a_subheading_of_capitalised_words_under_the_standfirst_is_no_byline():
    article = extract(f"{HEADLINE.text}\n\nThe operator blames a stomach bug.\n\nCrews Fall Ill\n\n{PARAGRAPH.text}\n")
    assert article.byline is None


def test_a_row_of_icons_is_chrome_but_an_interviews_label_or_a_paragraph_of_letters_is_not():
    assert is_chrome(Line("f t # e"), "header")
    assert is_chrome(Line("f t # e"), "after_story")
    assert not is_chrome(Line("Q:"), "body")
    assert not is_chrome(Line("“a” 'b’ \"c” ‘d' «e» „f“ " * 20), "header")


@pytest.mark.parametrize("text", ["[bsa_pro_ad_space id=3]", "[ad_slot id=4 size=banner]", "{{ related_stories }}"])
def test_template_code_never_rendered_is_chrome_anywhere(text):
    assert is_chrome(Line(text), "body")


def test_a_bracketed_note_in_a_transcript_or_a_tag_named_in_a_sentence_is_not_template_code():
    assert not is_chrome(Line("[Laughter]"), "body")
    assert not is_chrome(Line("The council's new site uses the <table> tag to lay out the ferry fares."), "body")


def test_a_breadcrumb_above_the_headline_is_chrome():
    headline = Line("Keep the night ferry")
    assert is_chrome(Line("HomeLettersKeep the night ferry"), "before_title", Neighbours(following=headline))
    assert is_chrome(Line("Home Letters Keep the night ferry"), "before_title", Neighbours(following=headline))
    assert not is_chrome(Line("YouTube star PewDiePie opens a cafe in Kilbride"), "before_title", Neighbours(following=PARAGRAPH))
    assert not is_chrome(Line("Storm hits Kilbride"), "before_title", Neighbours(following=Line("Kilbride")))


def test_another_storys_byline_after_the_story_is_chrome_but_this_storys_byline_is_not():
    byline = Line("Aoife Brennan, islands reporter")
    assert is_chrome(byline, "after_story")
    assert not is_chrome(byline, "header")
    assert not is_chrome(Line("The ferry, the council said, will need a new skipper"), "after_story")


def test_readers_comments_under_a_signed_comment_heading_are_chrome_however_long():
    comment = Line(
        "Well said. The board members should try the last bus from the pier in January and see how they like it, "
        "because most of them have never had to."
    )
    assert is_chrome(comment, "after_story", Neighbours(in_comments=True))
    assert not is_chrome(comment, "after_story")


def test_comments_begin_at_a_comment_heading_with_a_signed_comment_under_it():
    lines = [HEADLINE, PARAGRAPH, Line("2 comments on “Keep the night ferry”"),
             Line("Tom Reilly, March 4, 2026 at 9:12 am"), Line("Well said.")]
    assert comments_start(lines, 1) == 2
    # A comment count in a share bar, with story under it, opens no comments.
    share_bar = [HEADLINE, PARAGRAPH, Line("12 comments"), PARAGRAPH, Line("The council meets again at 7:30 on Monday.")]
    assert comments_start(share_bar, 1) is None
    # Before any story, a count under the headline opens nothing either.
    assert comments_start([HEADLINE, Line("3 comments"), Line("Tom Reilly, March 4, 2026 at 9:12 am"), PARAGRAPH], 1) is None


@pytest.mark.parametrize("text", [
    "We’re sorry, this feature is currently unavailable. We’re working to restore it.",
    "Our website is temporarily unavailable in your location.",
    "Connect with us", "top of page", "Privacy", "Comments 2", "1 comment about \"Video Pick\".", "Leave a reply",
    "Submitted 2 months ago", "This was published 18 years ago", "Published", "Download the Courier app today!",
    "Avatar", "Next story loading loading..", "Image 3 of 12", "4/9", "@harbourcourier", "Twitter: @niamhc",
    "Follow her on X", "niamh.corrigan@courier.ie",
])
def test_words_the_page_says_about_itself_are_chrome_after_the_story(text):
    assert is_chrome(Line(text), "after_story")


@pytest.mark.parametrize("text", [
    "The service is temporarily unavailable, the council said.",
    "Privacy campaigners said the plan went too far.",
    "The book was published 20 years ago.",
    "12 responses were received by the council.",
    "Customers were told to download the bank's app.",
    "The ship was still loading.",
    "He was one of 12 survivors.",
    "Write to the council at harbour@kilbride.ie before Friday.",
])
def test_the_same_words_about_the_world_end_a_story_and_are_read(text):
    assert not is_chrome(Line(text), "after_story")


# --- whole pages, every format -------------------------------------------------------------------

def test_plain_text_template_labels_are_silent_and_every_story_line_is_read():
    path = CHROME_FIXTURES / "ferry-template.txt"
    document = _document(str(path))
    chrome = {"top of page", "Template for local news", "No Writer", "Mar 3", "Aoife Brennan, islands reporter"}
    assert set(_silent_chrome(document)) == chrome
    assert document["title"] == "Ferry timetable cut as crews fall ill"
    spoken = _spoken(document)
    for words in ("The island ferry will run three crossings", "We would rather run fewer boats",
                  "Islanders who work on the mainland", "The council said it had asked"):
        assert words in spoken
    gold = {"title": document["title"], "quotes": [], "boilerplate": sorted(chrome)}
    scores = score(document, gold)
    assert (scores.boilerplate_lines_silent, scores.story_lines_silenced) == (len(chrome), 0)


def test_markdown_letters_page_keeps_the_letter_and_silences_labels_code_and_comments():
    document = _document(str(CHROME_FIXTURES / "letters-comments.md"))
    assert set(_silent_chrome(document)) == {
        "HomeLettersKeep the night ferry", "Published", "on", "Avatar", "[bsa_pro_ad_space id=3]",
        "2 comments on “Keep the night ferry”", "Tom Reilly, March 4, 2026 at 9:12 am",
        "Well said. The board members should try the last bus from the pier in January and see how they like it, "
        "because most of them have never had to.",
        "Ann Walsh, March 4, 2026 at 11:40 am", "Agreed, and the nurses deserve better.", "Leave a reply",
    }
    assert document["title"] == "Keep the night ferry"
    spoken = _spoken(document)
    for words in ("The harbour board wants to cut the last crossing", "My mother travels home on that boat",
                  "The board says the crossing loses money"):
        assert words in spoken
    assert "Well said" not in spoken and "nurses deserve better" not in spoken


def test_html_press_release_silences_its_section_icons_label_code_and_app_prompt(site):
    document = _document(f"{site}/press-release.html")
    assert set(_silent_chrome(document)) == {
        "Press Releases", "f t # e", "Created by", "[ad_slot id=4 size=banner]", "Download the Courier app today!",
    }
    assert document["title"] == "Harbour trust statement on pier repairs"
    spoken = _spoken(document)
    for words in ("The Rossbeg Harbour Trust said on Tuesday", "The pier has served this village",
                  "The work will close the pier to boats"):
        assert words in spoken


def test_the_same_few_words_twice_in_a_row_are_a_photos_alt_text_and_caption_read_once():
    page = "\n\n".join([
        "Court photos land man in contempt", "Preston Crown Court", "Preston Crown Court", "Have your say",
        PARAGRAPH.text, "Councillors agreed to ask the department for emergency funding before a public meeting.",
    ])
    article = extract(page, "court.txt")
    assert [(block.kind, block.text) for block in article.blocks if block.text == "Preston Crown Court"] == [
        ("caption", "Preston Crown Court"),
    ]
    assert article.subtitle is None
    # A sentence printed twice is a repeat of the story, not a caption.
    twice = "\n\n".join(["Ferry cut", PARAGRAPH.text, "It will run again.", "It will run again.", PARAGRAPH.text + " Again."])
    assert "caption" not in {block.kind for block in extract(twice, "twice.txt").blocks}
