"""Decide which quotation marks hold speech, and who speaks each quote.

Works paragraph by paragraph, keeping the people the article has mentioned in order of
recency, so that "she continued" or "the teacher said" finds the right person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Gender, QuoteKind
from .quotes import Span, find_spans

_VERBS = (
    "said|says|say|told|tells|added|adds|asked|asks|continued|continues|concluded|concludes|wrote|writes"
    "|explained|explains|noted|notes|argued|argues|insisted|insists|warned|warns|replied|replies|recalled"
    "|recalls|stated|states|declared|declares|announced|announces|claimed|claims|remarked|observed"
    "|admitted|admits|acknowledged|shouted|whispered|responded|responds|commented|suggested|suggests"
    "|emphasised|emphasized|stressed|joked|agreed|urged|predicted|posted|tweeted|recounted|cautioned"
    "|conceded|countered|contended|maintained|vowed|pledged|promised|demanded|complained|lamented"
    "|mused|quipped|exclaimed|answered|answers|went on|pointed out|points out|cried|screamed|sighed"
)
_VERB = re.compile(rf"\b({_VERBS})\b")
# Verbs whose inverted form ("told Reuters") names the listener, not the speaker.
_NOT_INVERTED = {"told", "tells", "asked", "asks", "urged", "promised"}
_ACCORDING_TO = re.compile(r"\baccording to\s+(?P<np>[^,.;:]+)", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|she|He|She)\b")
_SENTENCE_BREAK = re.compile(r"[.!?…](?:\s|$)")
_TITLES = (
    "Prime Minister", "Deputy Prime Minister", "Foreign Minister", "Defence Minister", "Defense Secretary",
    "President", "Vice President", "Vice-President", "Chancellor", "Minister", "Secretary", "Senator", "Sen.",
    "Rep.", "Representative", "Governor", "Gov.", "Mayor", "General", "Gen.", "Colonel", "Col.", "Captain",
    "Capt.", "Judge", "Justice", "Chief", "Ambassador", "Professor", "Prof.", "Dr", "Dr.", "Mr", "Mr.",
    "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Sir", "Dame", "Lord", "Lady", "King", "Queen", "Prince", "Princess",
    "Pope", "Rev.", "Reverend", "Father", "Sister", "Sheikh", "Commissioner", "Inspector", "Detective",
    "Sergeant", "Sgt.", "Officer", "Coach", "Speaker", "Premier", "Leader",
)
_TITLE_PATTERN = "|".join(re.escape(title) for title in sorted(_TITLES, key=len, reverse=True))
_TITLED_NAME = re.compile(
    rf"\b(?P<title>{_TITLE_PATTERN})\s+(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){{0,3}})"
)
_FEMALE_WORDS = {
    "mrs", "ms", "miss", "dame", "lady", "queen", "princess", "sister", "woman", "women", "mother", "grandmother",
    "daughter", "wife", "girl", "actress", "businesswoman", "chairwoman", "spokeswoman", "congresswoman",
    "widow", "nun", "aunt", "niece", "granddaughter", "mum", "mom", "sister-in-law", "girlfriend",
}
_MALE_WORDS = {
    "mr", "sir", "lord", "king", "prince", "father", "man", "men", "grandfather", "son", "husband", "boy",
    "businessman", "chairman", "spokesman", "congressman", "widower", "uncle", "nephew", "grandson", "dad",
    "brother", "boyfriend", "monk",
}
_DETERMINERS = re.compile(r"^(a|an|the|one|another)\s+", re.IGNORECASE)


@dataclass
class Person:
    """Someone the article mentions: a named person, a described one, or an organisation."""

    name: str
    gender: Gender = "unknown"
    aliases: list[str] = field(default_factory=list)
    described: bool = False
    """True for 'a teacher from Stepanakert': the name is a description, not a proper name."""
    last_seen: int = 0


@dataclass(frozen=True)
class AttributedSpan:
    span: Span
    speaker: Person | None
    kind: QuoteKind


class Attributor:
    """Reads an article's paragraphs in order and attributes each quotation to a person."""

    def __init__(self) -> None:
        self.people: list[Person] = []
        self._clock = 0
        self._last_speaker: Person | None = None
        self._open_quote: Person | None = None

    def paragraph(self, text: str) -> list[AttributedSpan]:
        spans = [span for span in find_spans(text) if self._is_speech(text, span)]
        continuing = self._open_quote if spans and not text[: spans[0].start - 1].strip() else None
        self._open_quote = None
        pieces = _narration_pieces(text, spans)
        self._note_mentions(pieces[0])
        speakers: list[Person | None] = []
        for index, span in enumerate(spans):
            before = _clause_before(pieces[index])
            after = _clause_after(pieces[index + 1])
            speaker = self._cue_after(after) or self._cue_before(before)
            if speaker is None and index == 0 and continuing:
                speaker = continuing
            speakers.append(speaker)
            self._note_mentions(pieces[index + 1])
        speakers = self._fill_gaps(speakers, bool(pieces[0].strip() or any(p.strip(" .,") for p in pieces[1:])))
        result = [
            AttributedSpan(span, speaker, "partial" if _is_partial(text, span) else "full")
            for span, speaker in zip(spans, speakers)
        ]
        if result:
            self._last_speaker = result[-1].speaker or self._last_speaker
            if not result[-1].span.closed:
                self._open_quote = result[-1].speaker
        return result

    # Which marks hold speech

    def _is_speech(self, text: str, span: Span) -> bool:
        inner = text[span.start:span.end].strip()
        words = inner.split()
        if len(words) <= 3:
            return False
        sentence_like = bool(re.search(r"[.,!?…;:—–-]$", inner)) or not span.closed
        starts_clause = not text[: span.start - 1].strip() or re.search(r"[:,.]\s*$", text[: span.start - 1])
        title_case = sum(word[0].isupper() for word in words) >= len(words) - 1 and not sentence_like
        if title_case:
            return False
        if sentence_like or (starts_clause and inner[0].isupper()):
            return True
        # A fragment inside a sentence is speech only when the sentence says someone spoke it.
        before = text[: span.start - 1]
        return bool(_VERB.search(before[-160:]) or re.search(r"\bthat\s*$", before))

    # Cues

    def _cue_after(self, clause: str) -> Person | None:
        """'…,” said Smith', '…,” she said', '…,” Smith, the mayor, told Reuters'."""
        if (according := _ACCORDING_TO.search(clause)) and according.start() < 3:
            return self._resolve(according.group("np"), None)
        match = _VERB.search(clause)
        if not match or match.start() > 120:
            return None
        left = clause[: match.start()].strip(" ,")
        if not left:
            if match.group(1) in _NOT_INVERTED:
                return None
            noun_phrase, appositive = _split_appositive(clause[match.end():])
            return self._resolve(noun_phrase, appositive) if _looks_like_speaker(noun_phrase) else None
        return self._subject(clause[: match.start()])

    def _cue_before(self, clause: str) -> Person | None:
        """'Smith said: “…', 'he announced on Monday that “…', 'according to Smith, “…'."""
        if according := _ACCORDING_TO.search(clause):
            return self._resolve(according.group("np"), None)
        for match in _VERB.finditer(clause):
            left = clause[: match.start()]
            if left.strip(" ,"):
                if speaker := self._subject(left):
                    return speaker
            elif match.group(1) not in _NOT_INVERTED:
                noun_phrase, appositive = _split_appositive(clause[match.end():])
                if _looks_like_speaker(noun_phrase):
                    return self._resolve(noun_phrase, appositive)
        return None

    def _subject(self, left: str) -> Person | None:
        """The subject standing just before a speech verb, past any appositive between commas."""
        left = re.sub(r"\s+(also|then|later|once|simply|only|had|has|have|would|will|was)\s*$", "", left.rstrip())
        appositive = None
        if left.endswith(","):
            parts = left[:-1].rsplit(",", 1)
            if len(parts) == 2 and _looks_like_speaker(parts[0].split(",")[-1].strip()):
                left, appositive = parts[0], parts[1].strip()
        noun_phrase = re.split(r"[,;:()]|\band\b|\bthat\b|\bbut\b", left)[-1].strip()
        if not _looks_like_speaker(noun_phrase) or len(noun_phrase.split()) > 9:
            return None
        return self._resolve(noun_phrase, appositive)

    # People

    def _resolve(self, noun_phrase: str, appositive: str | None) -> Person | None:
        noun_phrase = noun_phrase.strip(" ,.;:")
        if noun_phrase.lower() in {"he", "she"}:
            return self._pronoun(noun_phrase.lower())
        if noun_phrase.lower() in {"they", "i", "we", "it"}:
            return self._last_speaker if noun_phrase.lower() == "they" else None
        person = self._find(noun_phrase) or self._introduce(noun_phrase, appositive)
        if appositive and not person.described and appositive not in person.aliases:
            person.aliases.append(appositive)
            _learn_gender(person, appositive)
        self._see(person)
        return person

    def _pronoun(self, pronoun: str) -> Person | None:
        gender = "female" if pronoun == "she" else "male"
        for person in sorted(self.people, key=lambda p: p.last_seen, reverse=True):
            if person.gender in (gender, "unknown"):
                person.gender = gender
                self._see(person)
                return person
        return None

    def _find(self, noun_phrase: str) -> Person | None:
        name = _proper_name(noun_phrase)
        key = _description_key(noun_phrase)
        for person in sorted(self.people, key=lambda p: p.last_seen, reverse=True):
            if name and not person.described and (
                name == person.name or name == person.name.split()[-1] or name in person.aliases
            ):
                return person
            if not name and key and (
                key == _description_key(person.name)
                or any(key == _description_key(alias) for alias in person.aliases)
                or any(re.search(rf"\b{re.escape(key)}\b", alias.lower()) for alias in person.aliases)
            ):
                return person
        return None

    def _introduce(self, noun_phrase: str, appositive: str | None) -> Person:
        name = _proper_name(noun_phrase)
        if name:
            person = Person(name=name)
            for alias in (name.split()[-1], noun_phrase, _title_of(noun_phrase)):
                if alias and alias != name and alias not in person.aliases:
                    person.aliases.append(alias)
        else:
            key = _description_key(noun_phrase)
            # "a teacher from Stepanakert" is also "the teacher" later on.
            person = Person(name=noun_phrase, described=True, aliases=[f"the {key}", key.split()[0]])
        _learn_gender(person, noun_phrase)
        self.people.append(person)
        return person

    def _see(self, person: Person) -> None:
        self._clock += 1
        person.last_seen = self._clock

    def _note_mentions(self, narration: str) -> None:
        """Bring people mentioned in narration forward in recency; introduce titled names; bind pronouns."""
        events: list[tuple[int, str, str]] = []
        for match in _TITLED_NAME.finditer(narration):
            events.append((match.start(), "titled", match.group(0)))
        for person in self.people:
            for alias in [person.name, *person.aliases]:
                if len(alias) < 3 or (person.described and alias == person.aliases[-1]):
                    continue
                flags = re.IGNORECASE if person.described else 0
                for match in re.finditer(rf"\b{re.escape(alias)}\b", narration, flags):
                    events.append((match.start(), "known", alias))
        for match in _PRONOUN.finditer(narration):
            events.append((match.start(), "pronoun", match.group(1).lower()))
        for _, kind, words in sorted(events):
            if kind == "pronoun":
                self._pronoun(words)
            elif person := self._find(words) if kind == "known" else (self._find(words) or self._introduce(words, None)):
                self._see(person)

    def _fill_gaps(self, speakers: list[Person | None], has_narration: bool) -> list[Person | None]:
        """Quotes with no cue of their own take the speaker of their paragraph, else the last one heard."""
        known = [speaker for speaker in speakers if speaker]
        filled: list[Person | None] = []
        for index, speaker in enumerate(speakers):
            if speaker is None:
                earlier = next((s for s in reversed(filled) if s), None)
                later = next((s for s in speakers[index + 1:] if s), None)
                speaker = earlier or later or (known[0] if known else None)
            if speaker is None:
                speaker = self._last_speaker
            filled.append(speaker)
        return filled


def _narration_pieces(text: str, spans: list[Span]) -> list[str]:
    """The text around the spans: len(spans) + 1 pieces, marks removed."""
    pieces, position = [], 0
    for span in spans:
        pieces.append(text[position: max(position, span.start - 1)])
        position = min(len(text), span.end + (1 if span.closed else 0))
    pieces.append(text[position:])
    return pieces


def _clause_before(piece: str) -> str:
    """The part of the sentence that runs up to a quote."""
    breaks = list(_SENTENCE_BREAK.finditer(piece))
    return piece[breaks[-1].end():] if breaks else piece


def _clause_after(piece: str) -> str:
    """The part of the sentence that follows a quote, up to its end."""
    match = _SENTENCE_BREAK.search(piece.lstrip(" ,.!?"))
    stripped = piece.lstrip(" ,.!?")
    if piece.lstrip(" ,").startswith((".", "!", "?")):
        return ""
    return stripped[: match.start()] if match else stripped


def _split_appositive(text: str) -> tuple[str, str | None]:
    """'Jenny Paturyan, associate professor at …' → ('Jenny Paturyan', 'associate professor at …')."""
    text = _SENTENCE_BREAK.split(text, 1)[0]
    head, _, rest = text.partition(",")
    rest = rest.strip(" ,")
    clause_start = re.match(r"(who|which|adding|as|in|on|and|but|according|before|after|when|while)\b", rest)
    appositive = rest if rest and not clause_start else None
    if appositive:
        appositive = re.split(r",\s*(?:who|which|adding|as|in|on|and)\b", appositive)[0].strip()
    return head.strip(), appositive


def _looks_like_speaker(noun_phrase: str) -> bool:
    noun_phrase = noun_phrase.strip()
    if not noun_phrase or len(noun_phrase.split()) > 9:
        return False
    first = noun_phrase.split()[0]
    if first.lower() in {"he", "she", "they"}:
        return len(noun_phrase.split()) == 1
    if _DETERMINERS.match(noun_phrase):
        return len(noun_phrase.split()) >= 2
    return first[0].isupper() and first.lower() not in {"i", "we", "it", "this", "that", "there", "but", "and", "as", "when"}


def _proper_name(noun_phrase: str) -> str | None:
    """The capitalised name in 'Azerbaijan’s President Ilham Aliyev' → 'Ilham Aliyev'."""
    if _DETERMINERS.match(noun_phrase):
        return None
    words = noun_phrase.split()
    # Drop a possessive lead-in ("Azerbaijan’s") and titles, keep the final run of capitalised words.
    while words and re.search(r"[’']s$", words[0]) and len(words) > 1:
        words = words[1:]
    phrase = " ".join(words)
    phrase = re.sub(rf"^(?:(?:{_TITLE_PATTERN})\s+)+", "", phrase)
    run: list[str] = []
    for word in phrase.split():
        if word[0].isupper():
            run.append(word.strip(",.;:"))
        else:
            run = []
    return " ".join(run) or None


def _title_of(noun_phrase: str) -> str | None:
    match = re.search(rf"\b({_TITLE_PATTERN})\s+[A-Z]", noun_phrase)
    return match.group(1) if match else None


def _description_key(noun_phrase: str) -> str:
    return _DETERMINERS.sub("", noun_phrase.strip()).lower()


def _learn_gender(person: Person, words: str) -> None:
    if person.gender != "unknown":
        return
    tokens = {token.strip(".,").lower() for token in words.split()}
    if tokens & _FEMALE_WORDS and not tokens & _MALE_WORDS:
        person.gender = "female"
    elif tokens & _MALE_WORDS and not tokens & _FEMALE_WORDS:
        person.gender = "male"


def _is_partial(text: str, span: Span) -> bool:
    """A fragment woven into a narrator's sentence, not a sentence of its own."""
    inner = text[span.start:span.end].lstrip(" .…")
    return bool(inner) and inner[0].islower()
