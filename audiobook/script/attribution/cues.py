"""Where a quote's cue stands and what it names: clauses around a quote, the subject before a speech
verb, the inverted subject after one, appositives, and whether a phrase is a person's name."""

from __future__ import annotations

import re

from audiobook.names import first_name_genders
from audiobook.script.attribution.lexicon import (
    ABBREVIATIONS, NAME_PARTICLES, NAME_PREFIXES, NOT_FIRST_NAMES, NOT_ROLE_WORDS, PLACE_AND_BODY_WORDS, ROLE_WORDS,
    SENTENCE_OPENER, SPEECH_VERBS, STREET_WORDS, TITLE_PATTERN,
)
from audiobook.script.quotes import Span

# A full stop, question or exclamation mark, or ellipsis, then a space or the end: where a sentence may end.
SENTENCE_BREAK = re.compile(r"[.!?…](?:\s|$)")
# How far from a quote or a speech verb its cue is looked for. A sentence runs shorter than
# this; the bound keeps the work per cue constant, so a paragraph is read in time linear in its length.
CLAUSE_REACH = 600
# Capitalised words of two letters or more ("Course I" is no name), "McMahon" and "O’Neill" too; a hyphen
# only between capitalised parts ("Smith-Jones", not "Michelin-starred"); never the possessive 's ("Price's").
# Capitals and small letters with their accents too: "Fianna Fáil", "José Sánchez", "Łukasz Piszczek".
_UPPER, _LOWER = "A-ZÀ-ÖØ-ÞĀ-Ž", "a-zß-öø-ÿĀ-ž"
NAME_WORD = rf"(?:[{_UPPER}][’'])?[{_UPPER}][{_LOWER}]+(?:[{_UPPER}][{_LOWER}]+)?(?:-[{_UPPER}][{_LOWER}]+)*"
# A name never runs across a line break ("… a grant\nCllr Hartigan said").
FULL_NAME = re.compile(rf"\b{NAME_WORD}(?:[ \t]+{NAME_WORD}){{1,2}}\b")
RELATIVE = re.compile(r"^(who|whom|whose|which|where|when)\b", re.IGNORECASE)
_JOINT_NAMES = re.compile(rf"(?:^|[,;:(]\s*)({NAME_WORD}(?:[ \t]+{NAME_WORD})*)[ \t]+(?:and|&)[ \t]+({NAME_WORD}(?:[ \t]+{NAME_WORD})+)\s*$")
_BODY_ROLE_NAME = re.compile(
    rf"^{NAME_WORD}(?:\s+{NAME_WORD})*\s+(?:(?!(?:{'|'.join(NOT_ROLE_WORDS)}|when|while|as|after|before|because|since|who|which|during)\b)"
    rf"[a-z][\w-]*\s+){{1,3}}(?P<name>{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}})\b")
DETERMINERS = re.compile(r"^(a|an|the|one|another)\s+", re.IGNORECASE)
# "Sarah's mother", "the victim's father": a person described by whose relative they are.
POSSESSIVE_DESCRIPTION = re.compile(r"^\S+[’']s?\s+[a-z]")


def narration_pieces(text: str, spans: list[Span]) -> list[str]:
    """The text around the spans: len(spans) + 1 pieces, marks removed."""
    pieces, position = [], 0
    for span in spans:
        pieces.append(text[position: max(position, span.start - 1)])
        position = min(len(text), span.end + (1 if span.closed else 0))
    pieces.append(text[position:])
    return pieces


def sentence_breaks(text: str) -> list[re.Match[str]]:
    """Where sentences end: a full stop, but not after an abbreviation or an initial ("J. Smith", "U.S.")."""
    breaks = []
    for match in SENTENCE_BREAK.finditer(text):
        word = re.search(r"([\w.]+)$", text[max(0, match.start() - 40): match.start()])
        token = word.group(1).lower() if word else ""
        if match.group(0)[0] == "." and (token in ABBREVIATIONS or len(token.rstrip(".")) == 1 or "." in token):
            continue
        breaks.append(match)
    return breaks


def clause_before(piece: str) -> str:
    """The part of the sentence that runs up to a quote."""
    piece = piece[-CLAUSE_REACH:]
    breaks = sentence_breaks(piece)
    return piece[breaks[-1].end():] if breaks else piece


def clause_after(piece: str) -> str:
    """The part of the sentence that follows a quote, up to its end."""
    if piece.lstrip(" ,").startswith((".", "!", "?")):
        return ""
    stripped = piece.lstrip(" ,.!?")[:CLAUSE_REACH]
    breaks = sentence_breaks(stripped)
    return stripped[: breaks[0].start()] if breaks else stripped


def _address_after(left: str) -> tuple[str, str] | None:
    """'Mrs Kensett, 40, of Pulborough Close, Whitehawk,' → ('Mrs Kensett', '40, of Pulborough Close, Whitehawk'):
    where someone lives (with any age before it and town names after it) closing a subject."""
    parts = left.rstrip().rstrip(",").split(",")
    for index in range(len(parts) - 1, 0, -1):
        if re.match(r"\s*(?:of|from)\s", parts[index]):
            if not all(_TOWN.fullmatch(part) for part in parts[index + 1:]):
                return None
            named = index - 1
            while named > 0 and re.fullmatch(r"\s*\d{1,3}\s*", parts[named]):
                named -= 1
            return ",".join(parts[: named + 1]), ",".join(parts[named + 1:]).strip()
    return None


_TOWN = re.compile(r"\s*[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,2}\s*")


_BEFORE_THE_VERB = re.compile(
    r"\s+(?:also|then|later|once|simply|only|had|has|have|would|will|was|again|too|further|finally|at one point"
    r"|at the time|at the meeting|in response|in reply|in turn|on (?:Monday|Tuesday|Wednesday|Thursday|Friday"
    r"|Saturday|Sunday)|yesterday|today|last (?:week|month|year|night))$"
)
# "Rahim Rahimani of Fish at Queens": a person, then where they are from.
_NAME_OF = re.compile(rf"^(?P<name>{NAME_WORD}(?:\s+{NAME_WORD}){{1,2}})\s+(?:of|from|at)\s+(?P<where>[A-Z].*)$")


_ASIDE_BEFORE_THE_VERB = re.compile(r"\s*\([^()]{1,80}\),?\s*$")
# A full name ending a clause, maybe followed by an age or by where the person is from or with.
_NAMED_BEFORE = re.compile(
    rf"(?:^|,\s*)(?P<name>{NAME_WORD}(?:\s+{NAME_WORD}){{1,3}})(?:,\s*\d{{1,3}}|\s+(?:of|from|at|with)\s+(?:the\s+)?[A-Z][^,]*)?\s*$")


# Letters after a name: an office or an honour, no part of it.
_POSTNOMINALS = {"QC", "KC", "SC", "MP", "MSP", "MS", "AM", "MLA", "TD", "MEP", "OBE", "MBE", "CBE", "KBE", "DBE", "JP"}
# "Sentencing him, Judge Ann Reid …": the phrase, when a name (after a word or two of role) follows its comma.
_OPENING_PARTICIPLE = re.compile(
    r"^\s*(?:[A-Z][a-z]+ing|Asked|Questioned|Pressed)\b[^,]{0,80},\s*(?=(?:[a-z]+\s+){0,2}[A-Z][\w’'-]+\s+[A-Z])")


def subject_phrase(left: str) -> tuple[str, str | None] | None:
    """('Giorgi Gogia', 'associate director …') from 'Giorgi Gogia, associate director …, ' before 'told'."""
    left = left[-CLAUSE_REACH:]
    # "Eddie Hambly, 60, who has lived …": an age before a relative clause says nothing of who speaks.
    left = re.sub(r",\s*\d{1,3}\s*(?=,\s*(?:who|whose)\b)", "", left)
    # "Cllr Paschal McEvoy (FF) said", "Rachin Ravindra (who struck 240, his maiden century), said": a
    # bracketed aside between the subject and its verb.
    left = _ASIDE_BEFORE_THE_VERB.sub("", left)
    # "Doherty again said", "McCormick at one point shot back": what stands between the subject and its verb.
    left = left.rstrip()
    while (trimmed := _BEFORE_THE_VERB.sub("", left)) != left:
        left = trimmed
    # "Jones furiously hit back": a manner adverb after a name or pronoun (not "the family").
    words = left.split()
    if len(words) >= 2 and re.fullmatch(r"[a-z]{3,}ly", words[-1]) and not DETERMINERS.match(words[-2] + " ") and (
            words[-2][:1].isupper() or words[-2].lower() in {"he", "she", "they", "it"}):
        left = left[: left.rindex(words[-1])].rstrip()
    # "Sentencing him, Judge Jonathan Foster QC, told …": a participle's phrase opens the sentence, the name after it
    # is the subject.
    left = _OPENING_PARTICIPLE.sub("", left)
    appositive = None
    if left.endswith(",") and (address := _address_after(left)):
        # "Mrs Kensett, 40, of Pulborough Close, Whitehawk, said": an age and an address describe her.
        left, appositive = address
    elif left.endswith(",") or (  # "Aleasa Petross-Smith, 56, a GM worker for 28 years said": the comma before
            # the verb left out, the description still describes the name before it
            "," in left and DETERMINERS.match(left.rsplit(",", 1)[-1].strip())
            and _NAMED_BEFORE.search(left.rsplit(",", 1)[0])):
        parts = (left[:-1] if left.endswith(",") else left).rsplit(",", 1)
        if len(parts) == 2 and (_NAMED_BEFORE.search(parts[0]) or looks_like_speaker(parts[0].split(",")[-1].strip())):
            # "Erik Forman with the Independent Drivers Guild, the group behind …, said": the name is the subject
            left, appositive = parts[0], parts[1].strip()
            if named := _NAMED_BEFORE.search(left):
                left = named.group("name")
        else:
            left = left[:-1]  # "However, Sgt Donal Cronin, said": the subject, set off by commas
    # A subject starts after the previous clause: punctuation, a conjunction, or another speech verb ("said his coach").
    noun_phrase = re.split(
        rf"[,;:()—–]|\s-\s|\b(?:and|that|but|which|where|when|while|because|after|before|as|if|since)\b"
        rf"|\b(?:{SPEECH_VERBS})\b", left,
    )[-1].strip()
    noun_phrase = SENTENCE_OPENER.sub("", noun_phrase)  # "But Coun Beck said", "Previously Epic has said"
    if (of := _NAME_OF.match(noun_phrase)) and not appositive:
        noun_phrase, appositive = of.group("name"), of.group("where")
    if not looks_like_speaker(noun_phrase):
        return None
    # "Stuart and Stephanie Kempton said in a statement": a couple, or two names, speaking together.
    if (together := _JOINT_NAMES.search(left)) and together.group(2) == noun_phrase:
        noun_phrase = together.group(0).strip()
    # "The council leader, Anne Handley, told …": the name in apposition is who spoke; in "The pensioner,
    # who lives in South Street, said" the relative clause only describes them.
    if appositive and RELATIVE.match(appositive):
        return noun_phrase, None
    # "Sarah's mother, Rebecca Brooks, described …" too: a possessive's relative is named by the apposition.
    described = DETERMINERS.match(noun_phrase) or POSSESSIVE_DESCRIPTION.match(noun_phrase)
    if appositive and described and is_full_name(appositive) and not DETERMINERS.match(appositive):
        noun_phrase, appositive = appositive, noun_phrase
    return noun_phrase, appositive


def inverted_subject(text: str) -> tuple[str, str | None]:
    """The speaker after an inverted verb: 'said Jenny Paturyan, associate professor …',
    'admitted the minister, Sarah Lane', 'said Sgt. Mark Hill of the city police'."""
    head, appositive = split_appositive(text)
    if appositive and DETERMINERS.match(head) and is_full_name(appositive) and not DETERMINERS.match(appositive):
        return appositive, head
    # "said Garvin county emergency management director, Bud Ramming": the name in apposition to a role.
    if appositive and is_full_name(appositive) and len((proper_name(head) or "").split()) < 2 \
            and any(word[0].islower() for word in head.split()):
        return appositive, head
    # "said Valencia coach Marcelino after …": a body, its role, then the name.
    if role := _BODY_ROLE_NAME.match(head):
        return role.group("name"), role.group(0)[: role.start("name")].strip()
    words = head.split()
    if words and not DETERMINERS.match(head):
        # A name runs while its words are capitalised; what follows it ("of the city police") describes it.
        for index in range(1, len(words)):
            if words[index][0].islower() and words[index - 1][0].isupper() and any(w[0].isupper() for w in words[:index]):
                return " ".join(words[:index]), appositive or " ".join(words[index:])
    return head, appositive


def split_appositive(text: str) -> tuple[str, str | None]:
    """'Jenny Paturyan, associate professor at …' → ('Jenny Paturyan', 'associate professor at …')."""
    text = text[:CLAUSE_REACH]
    breaks = sentence_breaks(text)
    text = text[: breaks[0].start()] if breaks else text
    head, _, rest = text.partition(",")
    rest = rest.strip(" ,")
    clause_start = re.match(r"(who|which|adding|as|in|on|and|but|according|before|after|when|while)\b", rest)
    appositive = rest if rest and not clause_start else None
    if appositive:
        appositive = re.split(r",\s*(?:who|which|adding|as|in|on|and)\b", appositive)[0].strip()
    return head.strip(), appositive


_PERSONAL_PRONOUN = re.compile(r"\b(?:he|she|I|we|you)\b")


def looks_like_speaker(noun_phrase: str) -> bool:
    noun_phrase = noun_phrase.strip()
    # Descriptions run longer than names: "a French sailor who sheltered on the island in 2019".
    if not noun_phrase or len(noun_phrase.split()) > (12 if DETERMINERS.match(noun_phrase) else 6):
        return False
    first = noun_phrase.split()[0]
    if noun_phrase in NOT_FIRST_NAMES:  # "However, …": a sentence adverb, no subject
        return False
    if first.lower() in {"he", "she", "they"}:
        return len(noun_phrase.split()) == 1
    if DETERMINERS.match(noun_phrase):
        # "the Taoiseach to withdraw what he": a description holds no one else's pronoun.
        return len(noun_phrase.split()) >= 2 and not _PERSONAL_PRONOUN.search(noun_phrase)
    if first[0].islower():
        # "councillor Joan Whitaker", "shop owner Raj Patel": lower-case role words, then a name.
        words = noun_phrase.split()
        return len(words) >= 2 and all(word[0].isupper() for word in words[-2:]) and not any(
            word in NOT_ROLE_WORDS for word in words)
    return first.lower() not in {"i", "we", "it", "this", "that", "there", "but", "and", "as", "when"}


def proper_name(noun_phrase: str) -> str | None:
    """The capitalised name in 'Azerbaijan’s President Ilham Aliyev' → 'Ilham Aliyev'."""
    if DETERMINERS.match(noun_phrase):
        return None
    words = noun_phrase.split()
    # Drop a possessive lead-in ("Azerbaijan’s", "Wales’") and titles, keep the final run of capitalised words.
    while words and re.search(r"[’'](?:s)?$", words[0]) and len(words) > 1:
        words = words[1:]
    phrase = " ".join(words)
    phrase = re.sub(rf"^(?:(?:{TITLE_PATTERN})\s+)+", "", phrase)
    words = phrase.split()
    while len(words) > 1 and words[0] in ROLE_WORDS:
        words = words[1:]
    phrase = " ".join(words)
    run: list[str] = []
    for word in phrase.split():
        if word[0].isupper():
            run.append(word.strip(",.;:"))
        elif word in ("and", "&") and run and run[-1] not in ("and", "&"):
            run.append(word)  # "Stuart and Stephanie Kempton": two people speaking as one
        elif word in NAME_PARTICLES and run:
            run.append(word)  # "Pieter-Steph du Toit"
        else:
            run = []
    while run and (run[-1] in ("and", "&") or run[-1] in NAME_PARTICLES):
        run.pop()
    while len(run) > 1 and run[0] in NOT_FIRST_NAMES:  # "Now Facebook said"
        run = run[1:]
    while len(run) > 2 and run[-1] in _POSTNOMINALS:  # "Jonathan Foster QC" is Jonathan Foster
        run.pop()
    # "Eastwood Mayor Hazel Charlesworth": a place before a title is no part of the name after it.
    if prefixes := [index for index, word in enumerate(run[:-1]) if word in NAME_PREFIXES]:
        run = run[prefixes[-1] + 1:]
    return " ".join(run) or None


def could_be_personal_name(name: str, following: str) -> bool:
    """'Tom Reid' yes; 'Fair Isle', 'American University', 'Yerevan-based …' no."""
    words = name.split()
    # "Parish Judge" (of "Senior Parish Judge Sanchia Burrell") ends in a title, where a name begins.
    if words[0] in NOT_FIRST_NAMES or words[-1] in STREET_WORDS or words[-1] in NAME_PREFIXES:
        return False
    # "Nicky Southern", "Tom Hall": a first name makes the rest a surname, whatever else it could be.
    if any(word in PLACE_AND_BODY_WORDS for word in words) and not first_name_genders(words[0]):
        return False
    return not following.startswith(("-", "’s", "'s")) or len(words) >= 2


def is_full_name(noun_phrase: str) -> bool:
    """'Council leader Peter Vance', 'Mayor Brennan': a person's name, not a place or a body."""
    name = proper_name(noun_phrase) or ""
    return len(name.split()) >= 2 or bool(title_of(noun_phrase))



def title_of(noun_phrase: str) -> str | None:
    match = re.search(rf"\b({TITLE_PATTERN})\s+[A-Z]", noun_phrase)
    return match.group(1) if match else None


def description_key(noun_phrase: str) -> str:
    return DETERMINERS.sub("", noun_phrase.strip()).lower()



def is_partial(text: str, span: Span) -> bool:
    """A fragment woven into a narrator's sentence, not a sentence of its own."""
    inner = text[span.start:span.end].lstrip(" .…")
    return bool(inner) and inner[0].islower()
