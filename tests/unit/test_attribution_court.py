"""Attribution rules for court reports and interviews (issue 10, the dev corpus's court and interview
articles): one test per rule, each on a small made-up fixture that the rules before them got wrong."""

from __future__ import annotations

from ..helpers import quotes_in, speakers_in


def test_a_quote_paragraph_after_indirect_speech_goes_on_in_the_reported_speakers_voice():
    quotes = quotes_in(
        "Michael Dale, for the defence, said his client had owned up at the first opportunity.\n\n"
        "‘He is someone with issues who at times feels vulnerable.’"
    )
    assert quotes == [("He is someone with issues who at times feels vulnerable.", "Michael Dale", "continues-reported")]


def test_a_pronoun_reporting_indirect_speech_stands_for_whom_it_meant_where_it_stands():
    # "He" is Ravi Kapoor, not Nadia Rahman, whom the same sentence mentions after it.
    quotes = quotes_in(
        "“The site floods,” said Ravi Kapoor.\n\n"
        "He also noted that Nadia Rahman, the owner, had been told twice.\n\n"
        "“Nobody listened.”"
    )
    assert [(speaker, basis) for _, speaker, basis in quotes] == [
        ("Ravi Kapoor", "cue-after:new-name"), ("Ravi Kapoor", "continues-reported"),
    ]


def test_a_quote_whose_own_cue_follows_it_still_carries_on_into_the_next_paragraph():
    # The name after the quote is its speaker's, not someone else's: the next paragraph goes on in that voice.
    assert speakers_in(
        "“You struck him twice,” Judge Ann Price said in sentencing the 29-year-old.\n\n"
        "“Fortunately for you, the injury healed.”"
    ) == ["Ann Price", "Ann Price"]


def test_a_second_speech_verb_with_no_subject_shares_the_previous_quotes_speaker():
    quotes = quotes_in(
        "Judge Ann Price jailed him for a year. She said he had left the man ‘clearly helpless on the ground.’ "
        "and said the harm had been ‘significant.’"
    )
    assert [(text, speaker) for text, speaker, _ in quotes] == [
        ("clearly helpless on the ground.", "Ann Price"), ("significant.", "Ann Price"),
    ]
    assert quotes[1][2] == "shared-subject"


def test_a_speech_verb_after_and_shares_the_sentences_subject():
    assert quotes_in("Tom Wells denied hitting the man, and said he pushed him and \"presumed\" that he fell.") == [
        ("presumed", "Tom Wells", "shared-subject"),
    ]


def test_who_describes_someone_in_quoted_words_speaks_them():
    assert speakers_in("Judge William Gask described Wells as \"clearly a violent man\".") == ["William Gask"]


def test_describing_needs_a_named_subject_not_a_description_met_for_the_first_time():
    # "A JUDGE has described as …": the judge is named later; a guess at a new described person is not made.
    assert speakers_in("A JUDGE has described as “extremely serious” claims made by a man in court.") == [
        "an unidentified speaker",
    ]


def test_a_relative_named_in_apposition_is_the_speaker():
    assert speakers_in("Sarah's mother, Rebecca Stone, said: “The droves of people were frightening.”") == [
        "Rebecca Stone",
    ]


def test_a_court_role_before_a_name_is_no_part_of_the_name():
    assert speakers_in("Prosecutor Giles Dunn said: “He was moving around the group.”") == ["Giles Dunn"]


def test_a_place_before_a_title_is_no_part_of_the_name():
    assert speakers_in("Eastwood Mayor Hazel Grant said: “We should be working together.”") == ["Hazel Grant"]


def test_a_transcripts_legend_says_whom_its_initials_stand_for():
    assert speakers_in(
        "She is the most talked about woman in politics this spring.\n\nPM: Peter Marsh\n\nHG: Helen Gray\n\n"
        "PM: Let me start with April. You are on holiday with your husband and the phone rings.\n\n"
        "HG: I am in the Dominican with my husband, trying to have a holiday, and the phone rings."
    ) == ["Peter Marsh", "Helen Gray"]


def test_an_unlabelled_paragraph_after_an_answer_goes_on_with_the_answer():
    quotes = quotes_in(
        "Q: Where did you grow up?\n\nA: In Leeds, with my aunt.\n\nShe taught me to read before school.\n\n"
        "Q: And then?\n\nA: London.",
        headline="Q&A with Dionne Hart",
    )
    assert [(text, speaker) for text, speaker, _ in quotes] == [
        ("Where did you grow up?", "the interviewer"), ("In Leeds, with my aunt.", "Dionne Hart"),
        ("She taught me to read before school.", "Dionne Hart"), ("And then?", "the interviewer"),
        ("London.", "Dionne Hart"),
    ]

