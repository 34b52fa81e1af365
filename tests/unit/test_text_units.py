"""Fast unit tests of the text stages: dates, credits, quotation spans, structure."""

from __future__ import annotations

import datetime as dt

import pytest

from audiobook.script.attribution.attributor import Attributor
from audiobook.extract.dates import parse_date, spoken_date
from audiobook.extract import extract
from audiobook.extract.structure import split_credit
from audiobook.script.quotes import find_spans


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Tuesday, 26 September, 2023", dt.date(2023, 9, 26)),
        ("Nov. 19, 2024 4:12 p.m. CST", dt.date(2024, 11, 19)),
        ("04.06.2025", dt.date(2025, 6, 4)),
        ("2024-03-01T08:15:00Z", dt.date(2024, 3, 1)),
        ("2024-03-01T08:15:00+01:00", dt.date(2024, 3, 1)),
        ("Wed 6 Mar 2024 07.00 GMT", dt.date(2024, 3, 6)),
        ("Published on 12 August 2024", dt.date(2024, 8, 12)),
        ("March 3, 2025", dt.date(2025, 3, 3)),
        # the first of the dates a line prints: when it was published, not updated
        ("Published: 10:32 BST, 3 May 2024 | Updated: 11:04 BST, 4 May 2024", dt.date(2024, 5, 3)),
        ("3 May 2024 • 10:32am", dt.date(2024, 5, 3)),
    ],
)
def test_dates_in_the_forms_papers_print(line, expected):
    assert parse_date(line) == expected


@pytest.mark.parametrize("line", ["Frontline Updates", "The motion passed by 212 votes to 198.", "Support local journalists",
                                  "News | Sport | Weather"])
def test_lines_that_are_not_dates(line):
    assert parse_date(line) is None


def test_dates_are_said_as_a_presenter_says_them():
    assert spoken_date(dt.date(2023, 9, 26)) == "Tuesday, 26th September 2023"
    assert spoken_date(dt.date(2024, 3, 1)) == "Friday, 1st March 2024"
    assert spoken_date(dt.date(2024, 3, 22)) == "Friday, 22nd March 2024"


@pytest.mark.parametrize(
    ("caption", "text", "credit"),
    [
        ("Children in central Stepanakert. © Siranush Sargsyan", "Children in central Stepanakert.", "Siranush Sargsyan"),
        ("Firefighters near Brandon on Monday. Photo: John Woods/AFP", "Firefighters near Brandon on Monday.", "John Woods/AFP"),
        ("Pupils at St Anne’s primary school. Photograph: Helen Price/PA", "Pupils at St Anne’s primary school.", "Helen Price/PA"),
        ("The south lighthouse at dusk. (Credit: Eilidh Shaw)", "The south lighthouse at dusk.", "Eilidh Shaw"),
        ("Crowds in the square on Sunday. Picture: Tom Banks", "Crowds in the square on Sunday.", "Tom Banks"),
        ("Protesters outside parliament on Friday. JANE SMITH/REUTERS", "Protesters outside parliament on Friday.", "JANE SMITH/REUTERS"),
        ("The family at their farm in 1962. Courtesy of the Reid family", "The family at their farm in 1962.", "Courtesy of the Reid family"),
    ],
)
def test_credits_in_the_forms_papers_print(caption, text, credit):
    assert split_credit(caption) == (text, credit)


def test_no_credit_in_an_ordinary_sentence():
    assert split_credit("The council said the photo was taken in 1962 by a local man.") is None


def _quoted(text: str) -> list[str]:
    return [text[span.start:span.end] for span in find_spans(text)]


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        ("“Three weeks,” she said, “that is all.”", ["Three weeks,", "that is all."]),
        ('"We are leaving now," he said.', ["We are leaving now,"]),
        ("‘Nobody else’s numbers matched theirs.’", ["Nobody else’s numbers matched theirs."]),
        ("He grew up in the ’50s. ‘It was quiet,’ he said.", ["It was quiet,"]),
        ("‘Our neighbours’ sons would have gone,’ she said.", ["Our neighbours’ sons would have gone,"]),
        ("She wrote: «Merci pour la lumière.»", ["Merci pour la lumière."]),
        ("“My father said, ‘Keep the light,’ and I did,” he said.", ["My father said, ‘Keep the light,’ and I did,"]),
        ("It's the teachers' view, he said, that rock 'n' roll helps.", []),
        # Pages that lost the space beside a straight mark.
        ('"It is a rubber stamp president,"Joshi said. "Congress is not original."',
         ["It is a rubber stamp president,", "Congress is not original."]),
        ('"No harm was done," a spokesperson said in an e-mail."We continue to investigate."',
         ["No harm was done,", "We continue to investigate."]),
        ('A 6\'2" player and a 12" ruler.', []),
    ],
)
def test_quotation_spans_in_every_style_and_never_an_apostrophe(text, quotes):
    assert _quoted(text) == quotes


def test_a_quote_running_over_paragraphs_stays_one_speakers():
    attributor = Attributor()
    first = attributor.paragraph("“We came in 1984,” said Tom Reid, the keeper. “There were three of us.")
    second = attributor.paragraph("“I miss every one of them.”")
    assert not first[-1].span.closed
    assert first[-1].speaker is second[0].speaker and second[0].speaker.name == "Tom Reid"


def test_scare_quotes_and_titles_are_narration():
    attributor = Attributor()
    spans = attributor.paragraph(
        "The so-called “special military operation” was announced under the “Amplify, Verify, Engage Project” banner."
    )
    assert spans == []


def test_pronoun_skips_the_object_of_the_sentence():
    attributor = Attributor()
    attributor.paragraph("“Those promises ring hollow,” said Giorgi Gogia, a researcher.")
    attributor.paragraph("Gogia pointed to the blockade.")
    attributor.paragraph("He also noted that Ilham Aliyev had suppressed all challenges.")
    quote = attributor.paragraph("“It is hard to trust them,” he said.")[0]
    assert quote.speaker.name == "Giorgi Gogia"


def test_plain_text_structure_of_a_scraped_page():
    article = extract(
        "Lead photo of the harbour at dawn. © Ann Lee\n\nHarbour Reopens\n\nBoats return after the storm.\n\n"
        "Monday, 4 March 2024\n\nThe harbour reopened on Monday after a week of repairs to the sea wall.\n\n"
        "“We are back,” said harbourmaster Ian Moss.\n\nSupport local journalists\n"
    )
    kinds = [block.kind for block in article.blocks]
    assert kinds == ["title", "subtitle", "date", "caption", "paragraph", "paragraph", "boilerplate"]
    assert article.date == dt.date(2024, 3, 4)
    assert article.blocks[3].credit == "Ann Lee"


def test_hard_wrapped_paragraphs_are_joined():
    article = extract(
        "A Wrapped Story\n\nBy Ann Lee\n\nThe first paragraph was wrapped by an old mail client at about seventy\n"
        "characters, so its lines break in the middle of a sentence and must be\njoined again.\n\n"
        "A second paragraph follows it here, on a line of its own, and ends well.\n"
    )
    paragraphs = [block.text for block in article.blocks if block.kind == "paragraph"]
    assert paragraphs[0].endswith("must be joined again.")
    assert len(paragraphs) == 2


@pytest.mark.parametrize(
    ("paragraphs", "speakers"),
    [
        (["'We are done here,' said Tom Smith, the club's chairman. 'It's over.'"], ["Tom Smith", "Tom Smith"]),
        (["“It was a mistake,” admitted the minister, Sarah Lane.", "“I take full responsibility,” Lane added."],
         ["Sarah Lane", "Sarah Lane"]),
        (["“He was calm when we arrived,” said Sgt. Mark Hill of the city police."], ["Mark Hill"]),
        (["“We’re not going anywhere,” says Aisha Khan, who runs the bakery.", "Her husband, Omar, agrees. “We stay,” he says."],
         ["Aisha Khan", "Omar"]),
        (["— Jane Doe, writing in the Times: “The plan will fail.”"], ["Jane Doe"]),
        (["“Can we win?” asked coach Dan Brooks. “Yes. But only if we defend.”"], ["Dan Brooks", "Dan Brooks"]),
        (["“No comment,” the ministry said in a statement."], ["the ministry"]),
        (["A passer-by shouted at the crowd. “Go home!”"], ["A passer-by"]),
        (["The crowd fell silent. “Go home!”"], ["an unidentified speaker"]),
    ],
)
def test_attribution_in_shapes_beyond_the_fixtures(paragraphs, speakers):
    attributor = Attributor()
    found = [span.speaker.name for text in paragraphs for span in attributor.paragraph(text)]
    assert found == speakers


def test_prompts_between_paragraphs_are_not_read():
    article = extract(
        "Bridge Reopens\n\nBy Ann Lee\n\nThe bridge reopened on Monday after two years of repairs to its deck.\n\n"
        "Read more: How the bridge was rebuilt\n\nTraffic was light in the first hour, the council said.\n"
    )
    kinds = [(block.kind, block.text[:9]) for block in article.blocks]
    assert ("boilerplate", "Read more") in kinds
    assert [block.kind for block in article.blocks].count("paragraph") == 2


def test_labelled_pictures_become_one_credited_caption():
    article = extract(
        "Image source, Getty Images\nImage caption, Protesters gathered outside parliament on Tuesday\n\n"
        "Thousands Protest Pension Plan\n\nBy Ann Lee\n\nThousands marched through the capital on Tuesday against the plan.\n\n"
        "Image caption, Police lined the route of the march\n\nThe march ended peacefully in the evening, police said.\n"
    )
    captions = [(block.text, block.credit) for block in article.blocks if block.kind == "caption"]
    assert captions == [
        ("Protesters gathered outside parliament on Tuesday", "Getty Images"),
        ("Police lined the route of the march", None),
    ]
    assert article.title == "Thousands Protest Pension Plan"


def test_ids_are_numbered_once_not_suffixed_again():
    from audiobook.names import unique

    taken = {"x", "x-2"}
    assert unique("x", taken) == "x-3"
    assert unique("y", taken) == "y"
