"""The people an article mentions, and what the text says of their gender."""

from __future__ import annotations

from dataclasses import dataclass, field

from audiobook.model import Gender
from audiobook.script.attribution.cues import description_key, title_of
from audiobook.script.attribution.lexicon import FEMALE_WORDS, MALE_WORDS


@dataclass
class Person:
    """Someone the article mentions: a named person, a described one, or an organisation."""

    name: str
    gender: Gender = "unknown"
    aliases: list[str] = field(default_factory=list)
    described: bool = False
    """True for 'a teacher from Stepanakert': the name is a description, not a proper name."""
    they: bool = False
    """Referred to as 'they': never the antecedent of a later 'he' or 'she'."""
    last_seen: int = 0



@dataclass
class SeenName:
    """A full name met in narration before anyone quoted it, with any pronoun that followed it."""

    seen_at: int
    gender: Gender = "unknown"
    appositive: str | None = None
    """'a 34-year-old nurse at St Mary's' in 'Leah Morgan, a 34-year-old nurse at St Mary's, has worked …'."""


# How far each way of finding a speaker is to be trusted: a name in the cue most, a speaker carried over


def could_be_he_or_she(person: Person) -> bool:
    """A one-word name ('Reuters', 'Azerbaijan') or a plural description ('the authorities') is no he or she."""
    if person.described:
        head = description_key(person.name).split()[0]
        return not (head.endswith("s") and not head.endswith("ss"))
    return len(person.name.split()) >= 2 or any(title_of(alias) for alias in person.aliases)



def learn_gender(person: Person, words: str) -> None:
    if person.gender != "unknown":
        return
    tokens = {token.strip(".,").lower() for token in words.split()}
    if tokens & FEMALE_WORDS and not tokens & MALE_WORDS:
        person.gender = "female"
    elif tokens & MALE_WORDS and not tokens & FEMALE_WORDS:
        person.gender = "male"

