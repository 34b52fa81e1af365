"""Attribution shapes from articles nobody tuned for (issue 10): one test per cue rule, names made up."""

from __future__ import annotations

import pytest

from audiobook.extract import extract
from audiobook.script.attribution.attributor import CONFIDENCE, UNSURE
from audiobook.script.build import build_script


def _quotes(paragraphs: str) -> list[tuple[str, str | None]]:
    script = build_script(extract(f"A headline here\n\nA standfirst sentence for the story.\n\n{paragraphs}\n"))
    names = {speaker.id: speaker.name for speaker in script.speakers}
    return [(segment.text, names.get(segment.speaker)) for segment in script.segments if segment.role == "quote"]


@pytest.mark.parametrize(("paragraph", "words", "speaker"), [
    ('The council said crews were working "day and night" to clear the roads.', "day and night", "The council"),
    ("The firm said it was “bitterly disappointed” by the ruling.", "bitterly disappointed", "The firm"),
], ids=["organisation", "company"])
def test_a_few_words_reported_by_a_speech_verb_are_speech(paragraph, words, speaker):
    assert _quotes(paragraph) == [(words, speaker)]


def test_a_title_in_capitals_after_a_speech_verb_is_not_speech():
    assert _quotes('The critic said the film "Long Meetings" was her favourite of the year.') == []


def test_a_role_named_later_is_one_person():
    quotes = _quotes('“We have the money,” the mayor said.\n\nMayor Ana Ruiz added later: “Nothing will stop it.”')
    assert [speaker for _, speaker in quotes] == ["Ana Ruiz", "Ana Ruiz"]


def test_a_possessive_is_not_a_person():
    quotes = _quotes("Dana Price’s 12-year-old son, Leo, was at school. He wrote: “I miss the old park.”")
    assert quotes == [("I miss the old park.", "Leo")]


def test_the_verb_nearest_the_quote_governs_it():
    quotes = _quotes('Sam Ortiz said the coach, Pat Lowe, told him "you are next" before the final.')
    assert quotes == [("you are next", "Pat Lowe")]


def test_a_speaker_who_goes_on_after_a_pause_is_still_the_speaker():
    quotes = _quotes("“It gets easier,” said Paul Grant, then stopped. “No. It doesn’t.”")
    assert [speaker for _, speaker in quotes] == ["Paul Grant", "Paul Grant"]


def test_the_listener_of_told_is_not_the_speaker():
    quotes = _quotes("Jane Okafor told the weekly Courier that the deal was off. “It is over,” she said.")
    assert quotes == [("It is over,", "Jane Okafor")]


def test_every_quote_says_why_and_how_sure():
    script = build_script(extract(
        "A headline here\n\nA standfirst.\n\n“We stay,” said Anna Petrosyan.\n\nThe village has emptied since spring."
        "\n\n“It is home,” she said.\n\n“Nothing changes.”\n"
    ))
    quotes = [segment for segment in script.segments if segment.role == "quote"]
    # Words going on from a quote are as sure as it: the last paragraph, as the pronoun's quote before it.
    assert [(q.basis, q.confidence) for q in quotes] == [
        ("cue-after:new-name", CONFIDENCE["new-name"]), ("cue-after:pronoun", CONFIDENCE["pronoun"]),
        ("continues-speaker", CONFIDENCE["pronoun"]),
    ]
    assert {script.speaker(q.speaker).name for q in quotes} == {"Anna Petrosyan"}


def test_a_quote_after_narration_about_someone_else_is_not_given_to_the_last_speaker():
    script = build_script(extract(
        "A headline here\n\nA standfirst.\n\n“We stay,” said Anna Petrosyan, before Tom Reid arrived.\n\n"
        "“Nothing changes.”\n"
    ))
    quote = [segment for segment in script.segments if segment.role == "quote"][-1]
    assert quote.basis == "previous-paragraph" and quote.confidence < UNSURE
    assert script.speaker(quote.speaker).name == "an unidentified speaker"


def test_a_quote_no_cue_explains_goes_to_an_unidentified_speaker_not_a_guess():
    script = build_script(extract("A headline here\n\nA standfirst.\n\nThe meeting ended late.\n\n“Nothing changes.”\n"))
    quote = next(segment for segment in script.segments if segment.role == "quote")
    assert quote.confidence == 0.0 and script.speaker(quote.speaker).name == "an unidentified speaker"


def test_script_lists_the_uncertain_quotes_first(tmp_path):
    from click.testing import CliRunner

    from audiobook.cli import main

    article = tmp_path / "a.txt"
    article.write_text("A headline here\n\nA standfirst.\n\n“We stay,” said Anna Petrosyan.\n\nShe paused.\n\n"
                       "“Nothing changes.”\n")
    output = CliRunner().invoke(main, ["script", str(article)]).output.splitlines()
    assert output[1] == "check first: 1 quote(s) whose speaker is uncertain"
    assert "?quote" in output[2] and "Nothing changes." in output[2]


def test_a_numbered_interview_alternates_interviewer_and_interviewee():
    script = build_script(extract(
        "The actress has taken over the lead in a West End hit\n\n1. What made you want to act?\n\n"
        "I was a childhood show-off.\n\nSo I did loads of school plays.\n\n2. What was your first break?\n\n"
        "A film with a famous director.\n"
    ))
    names = {speaker.id: speaker.name for speaker in script.speakers}
    turns = [(names[s.speaker], s.text) for s in script.segments if s.role == "quote"]
    assert [name for name, _ in turns][-5:] == ["the interviewer", "The actress", "The actress", "the interviewer",
                                               "The actress"]
    assert turns[-1][1] == "A film with a famous director."


def test_a_qa_answers_in_the_voice_of_the_first_person_its_headline_and_standfirst_name():
    # The standfirst also names the novel ("Somerset Grove"), a run of capitals like a name; before, which of the two
    # answered depended on a set's order, so on the run.
    script = build_script(extract(
        "Saturday, February 28, 2015\n\nQ&A with Dionne Peart\n\nDionne Peart is the author of the novel Somerset "
        "Grove, set in Jamaica and Canada.\n\nQ: How did the book begin?\n\nA: With a grandmother I once knew.\n"
    ))
    names = {speaker.id: speaker.name for speaker in script.speakers}
    assert [names[s.speaker] for s in script.segments if s.role == "quote"][-1] == "Dionne Peart"
    assert (script.title, str(script.date)) == ("Q&A with Dionne Peart", "2015-02-28")


def test_a_surname_alone_at_the_head_of_a_sentence_is_the_person_named_in_full_in_the_headline():
    article = "Dane Holt hails his strikers after late win\n\nA standfirst.\n\nHolt was delighted with his attackers.\n\n"
    assert _speakers(article + "“We wore them down,” he said.\n") == ["Dane Holt"]
    # "The Hull boss" is what he is, said of the person just named: not a new, described speaker.
    assert _speakers(article + "“We wore them down,” the Hull boss said.\n") == ["Dane Holt"]


def test_a_place_the_parser_recognises_is_never_a_speaker():
    speakers = _speakers("Homes approved\n\nA standfirst.\n\nSan Francisco was quiet on Tuesday.\n\n“Nobody listened to us,” she said.\n")
    assert speakers == ["an unidentified speaker"]


def _speakers(article: str) -> list[str]:
    script = build_script(extract(article))
    return [script.speaker(segment.speaker).name for segment in script.segments if segment.role == "quote"]


@pytest.mark.parametrize("paragraph", [
    "The minister described the claim as “balderdash” on Tuesday.",
    "The boy, 12, was found at home and his family suffered an “unspeakable tragedy”, a coroner said.",
    "The airline admitted on Wednesday that it had “underestimated” the demand.",
])
def test_a_few_words_a_reporting_verb_governs_are_speech(paragraph):
    script = build_script(extract(f"A headline here\n\nA standfirst.\n\n{paragraph}\n"))
    assert [segment.quote_kind for segment in script.segments if segment.role == "quote"] == ["partial"]


def test_two_people_who_speak_together_are_one_speaker():
    speakers = _speakers(
        "Care home owners speak\n\nA standfirst.\n\nRuth and Colin Ashby, who own the home, said in a statement: "
        "“We are heartbroken.”\n\n“Our thoughts are with the families,” the Ashbys added.\n"
    )
    assert speakers[0] == "Ruth and Colin Ashby"


@pytest.mark.parametrize("mark", [":", "."])
def test_answers_under_a_are_the_person_the_headline_names(mark):
    script = build_script(extract(
        f"‘We will wait and watch’: Priya Raman on the party split\n\nThe former minister spoke to us.\n\n"
        f"Q{mark} Will you leave the party?\n\nA{mark} Not now. We will wait and watch.\n\n"
        f"Q{mark} And the leadership?\n\nA{mark} It has failed us.\n"
    ))
    turns = [(script.speaker(s.speaker).name, s.text) for s in script.segments if s.role == "quote"]
    assert [name for name, _ in turns] == ["the interviewer", "Priya Raman", "the interviewer", "Priya Raman"]
    assert turns[1][1] == "Not now. We will wait and watch."


def test_another_of_the_same_kind_is_someone_else():
    quotes = _quotes(
        "One resident said: “The noise goes on all night.”\n\n"
        "Another resident said: “We feel we have no rights.”\n\n"
        "“Nobody listens to us,” the resident added."
    )
    assert [speaker for _, speaker in quotes] == ["One resident", "Another resident", "Another resident"]


def test_a_described_speaker_opening_a_sentence_is_the_next_pronoun():
    quotes = _quotes(
        "“He was great fun,” said Mike Brown.\n\n"
        "A spokesman for Cundell Paper said that staff were upset. “Peter was very popular,” he said."
    )
    assert quotes[1] == ("Peter was very popular,", "A spokesman for Cundell Paper")


@pytest.mark.parametrize("narration", [
    "A reporter at the scene has been told by one of the tenants that the locks were changed.",
    "A reporter who said the locks were changed was at the scene.",
], ids=["listener-of-a-passive", "relative-clause"])
def test_a_described_subject_that_does_not_speak_takes_no_pronoun(narration):
    quotes = _quotes(f"{narration}\n\n“They are trying to evict us,” he said.")
    assert quotes[0][1] != "A reporter" and not quotes[0][1].startswith("A reporter ")


def test_a_pronoun_may_overrule_what_a_first_name_suggests():
    quotes = _quotes(
        "The complaint was made by Cllr Bobby Hale to the chairman, Cllr Peter Scott.\n\n"
        "He said: “We can carry on.”\n\n"
        "But Cllr Hale complained about the empty chamber.\n\n"
        "She said: “Can I just say, Mr chair, that this happened last year too.”"
    )
    assert quotes[-1] == ("Can I just say, Mr chair, that this happened last year too.", "Bobby Hale")


def test_a_name_met_in_narration_that_fits_the_pronoun_comes_before_one_that_does_not():
    quotes = _quotes(
        "Congresswoman Kyrsten Sinema was working out with Majority Leader Kevin McCarthy when, she said, "
        "“All of a sudden the guards came in.”"
    )
    assert quotes == [("All of a sudden the guards came in.", "Kyrsten Sinema")]


@pytest.mark.parametrize(("sentence", "speaker"), [
    ("Sentencing him, Judge Ann Reid QC, told the defendant: “Violence is always serious.”", "Ann Reid"),
    ("Speaking after the match, Tom Hart, the club captain, said: “We deserved it.”", "Tom Hart"),
], ids=["participle-and-postnominal", "participle-and-appositive"])
def test_a_phrase_opening_the_sentence_is_not_the_speaker(sentence, speaker):
    assert [name for _, name in _quotes(sentence)] == [speaker]


def test_words_between_two_quotes_that_end_in_a_colon_introduce_the_second():
    quotes = _quotes(
        "“I am deeply sorry,” Dr Jane Hale said while being interviewed on Tom Reid’s radio show.\n\n"
        "Reid interjected: “You have said it a few times.” Dr Hale replied: “Yes, I am sorry.”"
    )
    assert [speaker for _, speaker in quotes] == ["Jane Hale", "Tom Reid", "Jane Hale"]


def test_a_cue_that_goes_on_to_introduce_another_quote_is_still_the_first_ones():
    quotes = _quotes("“We speak about everything,” said Tom Reid.\n\n“We have few secrets,” he said, before adding: “None.”")
    assert [speaker for _, speaker in quotes] == ["Tom Reid", "Tom Reid", "Tom Reid"]


def test_words_quoted_by_one_who_blasts_something_are_theirs():
    quotes = _quotes("Governor Katie Hobbs on Saturday blasted the plan as a “farce” that is about “political grandstanding”.")
    assert quotes == [("farce", "Katie Hobbs"), ("political grandstanding", "Katie Hobbs")]


def test_a_pronoun_cue_stands_for_whom_it_meant_where_it_stands():
    quotes = _quotes(
        "“We will take it back,” said Judith Collins.\n\n"
        "“I respect her,” said Jacinda Ardern.\n\n"
        "Asked about the difference between them, Ms Collins smiled.\n\n"
        "She added that she respected Ms Ardern, but said “our team is better than theirs”."
    )
    assert quotes[-1] == ("our team is better than theirs", "Judith Collins")


def test_a_pronoun_cue_after_an_object_stands_for_the_sentences_subject():
    quotes = _quotes(
        "In his speech, Mr Tom Verma praised Prime Minister Ravi Modi and thanked the minister for a budget "
        "which, he said, “has given relief to the common man.”"
    )
    assert quotes == [("has given relief to the common man.", "Tom Verma")]
