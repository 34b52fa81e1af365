"""How the scorer decides that a quote's speaker is the person the answer key names."""

from __future__ import annotations

from audiobook.quality.evaluation import _same_person

MINISTRY = {"name": "Singapore's Ministry of Foreign Affairs", "aliases": ["MFA", "the ministry"]}
MINISTER = {"name": "Vivian Balakrishnan", "aliases": ["Balakrishnan", "Dr Balakrishnan"]}


def test_a_body_named_without_its_owner_is_the_body():
    assert _same_person({"name": "Ministry of Foreign Affairs"}, MINISTRY["name"], [MINISTRY, MINISTER])


def test_an_alias_of_the_person_counts_and_another_persons_name_does_not():
    assert _same_person({"name": "Dr Balakrishnan"}, MINISTER["name"], [MINISTRY, MINISTER])
    assert not _same_person({"name": "Foreign Affairs"}, MINISTRY["name"], [MINISTRY, MINISTER])
    assert not _same_person({"name": "Vivian Balakrishnan"}, MINISTRY["name"], [MINISTRY, MINISTER])
