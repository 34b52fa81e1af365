"""The people an article mentions, and what the text says of their gender."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from audiobook.model import Gender
from audiobook.script.attribution.cues import description_key, title_of
from audiobook.script.attribution.lexicon import FEMALE_WORDS, MALE_WORDS, NAME_PREFIXES


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


def could_be_he_or_she(person: Person) -> bool:
    """A one-word name ('Reuters', 'Azerbaijan') or a plural description ('the authorities') is no he or she."""
    if person.described:
        head = description_key(person.name).split()[0]
        return not (head.endswith("s") and not head.endswith("ss"))
    return len(person.name.split()) >= 2 or any(title_of(alias) for alias in person.aliases)


def gender_said_by(words: str) -> Gender:
    """What words said of someone tell of their sex: 'Mrs Patel', 'his wife' female; 'the young man' male."""
    tokens = {token.strip(".,").lower() for token in words.split()}
    if tokens & FEMALE_WORDS and not tokens & MALE_WORDS:
        return "female"
    if tokens & MALE_WORDS and not tokens & FEMALE_WORDS:
        return "male"
    return "unknown"


def learn_gender(person: Person, words: str) -> None:
    if person.gender == "unknown":
        person.gender = gender_said_by(words)


def surname_index(full_names: Iterable[str]) -> dict[str, str]:
    """Each surname the article gives exactly one fuller name for, and that name: 'Whitmer' → 'Gretchen
    Whitmer' (titles dropped). A surname two people share is left out. Built once, read for every mention."""
    fuller: dict[str, set[str]] = {}
    for words in map(_without_prefixes, full_names):
        if len(words) >= 2:
            fuller.setdefault(words[-1], set()).add(" ".join(words))
    return {surname: names.pop() for surname, names in fuller.items() if len(names) == 1}


def fullest_name(name: str, index: Mapping[str, str]) -> str:
    """The one fuller name the article gives a person named by surname: 'Gretchen Whitmer' for 'Whitmer',
    'Governor Whitmer' or 'Cllr Whitmer'. The name unchanged when none, or two people share the surname."""
    words = _without_prefixes(name)
    return index.get(words[0], name) if len(words) == 1 else name


def _without_prefixes(name: str) -> list[str]:
    words = name.replace("’", "'").split()  # "O'Neill" and "O’Neill" are one surname
    while words and words[0] in NAME_PREFIXES:
        words = words[1:]
    return words


def settle_names(people: list[Person], full_names: Iterable[str]) -> dict[int, Person]:
    """Who stands for each person (by id) once every named person has their fullest name: 'Whitmer' and
    'Governor Gretchen Whitmer' become one person, heard in one voice."""
    index = surname_index(full_names)
    by_name: dict[str, Person] = {}
    standing: dict[int, Person] = {}
    for person in people:
        if not person.described and (full := fullest_name(person.name, index)) != person.name and \
                _same_sex(person, by_name.get(full)):
            person.aliases.append(person.name)
            person.name = full
        first = by_name.setdefault(person.name, person) if not person.described else person
        if first is not person:
            first.aliases.extend(alias for alias in person.aliases if alias not in first.aliases)
            if first.gender == "unknown":
                first.gender = person.gender
        standing[id(person)] = first
    return standing


def _same_sex(person: Person, named: Person | None) -> bool:
    """'Mrs Shah' is not Anil Shah, heard before her: a surname shared by a woman and a man stays each one's."""
    return named is None or "unknown" in (person.gender, named.gender) or person.gender == named.gender
