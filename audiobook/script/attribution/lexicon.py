"""The words attribution reads (lexicon.toml, data a newsroom can extend) and the patterns built from them."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

_DATA = tomllib.loads(resources.files(__package__).joinpath("lexicon.toml").read_text(encoding="utf-8"))


def _words(key: str) -> frozenset[str]:
    return frozenset(_DATA[key])


SPEECH_VERBS = "|".join(_DATA["speech_verbs"])
# Capitalised too, for the inverted cue that opens a sentence: "Said the candidate: “…”".
SPEECH_VERB = re.compile(rf"\b({SPEECH_VERBS}|{'|'.join(verb[0].upper() + verb[1:] for verb in _DATA['speech_verbs'])})\b")
# Not after a hyphen: "the so-called “operation”" reports nobody's words.
REPORTING_VERB = re.compile(rf"(?<![\w-])({SPEECH_VERBS}|{'|'.join(_DATA['characterising_verbs'])})\b")
# "described Williams as “…”", "branded the plan “…”": the subject puts those words on someone.
# Not "called off", "called for": those name nobody's words.
NAMING_VERB = re.compile(rf"\b({'|'.join(_DATA['naming_verbs'])})\b(?!\s+(?:off|for|on|in|up|out|back)\b)")
# "… were branded “demeaning” by the opposition leader": the words of whoever comes after "by".
PASSIVE_NAMING = re.compile(rf"\b(?:was|were|been|being|is|are|be)\s+(?:\w+ly\s+)?(?:{'|'.join(_DATA['naming_verbs'])})(?:\s+as)?\s*$")
LISTENER_VERBS = _words("listener_verbs")
NOT_SPEAKER_LABELS = _words("not_speaker_labels")
NOT_FIRST_NAMES = _words("not_first_names") | _words("sentence_openers")
PLACE_AND_BODY_WORDS = _words("place_and_body_words")
STREET_WORDS = _words("street_words")
ABBREVIATIONS = _words("abbreviations")
ROLE_WORDS = _words("role_words")
FEMALE_WORDS = _words("female_words")
MALE_WORDS = _words("male_words")
NOT_ROLE_WORDS = _words("not_role_words")
NAME_PARTICLES = tuple(_DATA["name_particles"])
OBJECT_VERBS = _words("object_verbs")
KIN_WORDS = _words("kin_words")
OFFICE_TITLES = _words("office_titles")
SENTENCE_OPENER = re.compile(rf"^(?:{'|'.join(_DATA['sentence_openers'])}),?\s+")
_ABBREVIATED_TITLE = re.compile(rf"(?<!\w)({'|'.join(map(re.escape, sorted(_DATA['title_abbreviations'], key=len, reverse=True)))})(?!\w)")

# Words that stand before a surname without being part of it: titles and roles ("Cllr Hartigan", "Fire Chief Ruiz").
NAME_PREFIXES = frozenset(_DATA["titles"]) | ROLE_WORDS
TITLE_PATTERN = "|".join(re.escape(title) for title in sorted(_DATA["titles"], key=len, reverse=True))
TITLED_NAME = re.compile(rf"\b(?P<title>{TITLE_PATTERN})\s+(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){{0,3}})")
EPITHET = re.compile(rf"^the\s+(?:[\w-]+\s+){{0,2}}?({'|'.join(_DATA['epithets'])})$", re.IGNORECASE)
# "the company", "the tech giant", "its statement", "the company's statement": an organisation named before.
_ORGANISATION_NOUNS = "|".join(_DATA["organisation_nouns"])
ORGANISATION_REFERENCE = re.compile(
    rf"^\W*(?:the|its|a|an)\s+(?:(?:[\w-]+\s+){{0,2}}?(?:{_ORGANISATION_NOUNS})(?:[’']s)?\s+)?"
    rf"(?:{'|'.join(_DATA['statement_nouns'])})$"
    rf"|^\W*the\s+(?:[\w-]+\s+){{0,3}}?(?P<noun>{_ORGANISATION_NOUNS})$",
    re.IGNORECASE,
)
PARTICIPLE = re.compile(rf",\s+(?:{'|'.join(_DATA['participle_verbs'])})\b")
# "The three-time Olivier winner stars opposite …": who a numbered interview is with.
INTERVIEWEE = re.compile(
    rf"^((?:The|A|An)\s+[\w’'-]+(?:\s+[\w’'-]+){{0,4}}?)\s+(?:{'|'.join(_DATA['interviewee_verbs'])})\b"
)


def spelled_out(name: str) -> str:
    """'Governor Katie Hobbs' for 'Gov. Katie Hobbs': the title as the role word a later cue uses."""
    return _ABBREVIATED_TITLE.sub(lambda match: _DATA["title_abbreviations"][match.group(1)], name)
