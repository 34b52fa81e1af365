"""Attribution rules for court reports and interviews (issue 10, the dev corpus's court and interview
articles): one test per rule, each on a small made-up fixture that the rules before them got wrong."""

from __future__ import annotations

from audiobook.extract import extract
from audiobook.script.build import build_script


def _quotes(paragraphs: str, headline: str = "A headline here") -> list[tuple[str, str | None, str]]:
    script = build_script(extract(f"{headline}\n\nA standfirst sentence for the story.\n\n{paragraphs}\n"))
    names = {speaker.id: speaker.name for speaker in script.speakers}
    return [
        (segment.text, names.get(segment.speaker), segment.basis)
        for segment in script.segments if segment.role == "quote"
    ]


def _speakers(paragraphs: str, headline: str = "A headline here") -> list[str | None]:
    return [speaker for _, speaker, _ in _quotes(paragraphs, headline)]


def test_a_relative_named_in_apposition_is_the_speaker():
    assert _speakers("Sarah's mother, Rebecca Stone, said: “The droves of people were frightening.”") == [
        "Rebecca Stone",
    ]


def test_a_court_role_before_a_name_is_no_part_of_the_name():
    assert _speakers("Prosecutor Giles Dunn said: “He was moving around the group.”") == ["Giles Dunn"]


def test_a_place_before_a_title_is_no_part_of_the_name():
    assert _speakers("Eastwood Mayor Hazel Grant said: “We should be working together.”") == ["Hazel Grant"]
