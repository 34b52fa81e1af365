"""Decide which quotation marks hold speech, and who speaks each quote.

Works paragraph by paragraph, keeping the people the article has mentioned in order of
recency, so that "she continued" or "the teacher said" finds the right person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from audiobook.model import Gender, QuoteKind
from audiobook.names import first_name_genders
from audiobook.script.quotes import Span, find_spans

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
_NOT_INVERTED = {"told", "tells", "urged", "promised"}
_ACCORDING_TO = re.compile(r"\baccording to\s+(?P<np>[^,.;:]+)", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|she|He|She)\b|(?:^|[.!?]\s+)(His|Her)\b")
_TURN_LABEL = re.compile(r"^(?P<label>Q|Question|A|[A-Z][\w.’'\-]*(?: [A-Z][\w.’'\-]*){0,3})\s*:\s+(?P<rest>\S.*)$")
_NOT_SPEAKER_LABELS = {"a", "note", "update", "editor's note", "editor’s note", "photo", "correction", "read more"}
_NOT_FIRST_NAMES = {"The", "A", "An", "In", "On", "At", "By", "For", "From", "With", "After", "Before", "When", "As", "But", "And", "If", "Asked", "According", "His", "Her", "Their", "This", "That", "Some", "Many", "Most"}
_PLACE_AND_BODY_WORDS = {
    "University", "College", "School", "Council", "Board", "Ministry", "Department", "Party", "Group", "Centre",
    "Center", "Bank", "Company", "Agency", "Service", "Court", "Church", "Hospital", "Street", "Road", "River",
    "Island", "Isle", "Isles", "City", "County", "State", "States", "Republic", "Union", "Kingdom", "Committee",
    "Commission", "Office", "Police", "Army", "Force", "Forces", "Times", "Post", "News", "Watch", "Institute",
    "Foundation", "Association", "Society", "Club", "League", "Corridor", "Sea", "Ocean", "Lake", "Mountain",
    "Mountains", "Valley", "Airport", "Station", "Parliament", "Assembly", "Congress", "Senate", "Government",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October", "November", "December", "North", "South",
    "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "Lighthouse", "Crisis", "Rights",
    "Hill", "Hills", "Park", "Green", "Place", "Hall", "Town", "Village", "Estate", "Bridge", "Market",
}
# Always a place after a name, never a surname: "Florence Close", "Station Road".
_STREET_WORDS = {"Street", "Road", "Close", "Lane", "Avenue", "Drive", "Way", "Square", "Gardens", "Crescent", "Terrace"}
# Capitalised words; an apostrophe only inside a name ("O'Brien"), never the possessive 's ("Price's").
_NAME_WORD = r"[A-Z][a-z\-]*(?:[’'][A-Z][a-z\-]+)?"
_FULL_NAME = re.compile(rf"\b{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}\b")
_SENTENCE_BREAK = re.compile(r"[.!?…](?:\s|$)")
# How far from a quote or a speech verb its cue is looked for. A sentence runs shorter than
# this; the bound keeps the work per cue constant, so a paragraph is read in time linear in its length.
_CLAUSE_REACH = 600
# A full stop after these ends an abbreviation, not a sentence ("said Dr. Ana Ruiz", "Gov. Kotek").
_ABBREVIATIONS = {
    "dr", "mr", "mrs", "ms", "st", "mt", "ft", "gov", "sen", "rep", "prof", "gen", "lt", "col", "capt", "sgt",
    "jr", "sr", "inc", "co", "corp", "ltd", "no", "vs", "etc", "rev", "hon", "jan", "feb", "mar", "apr", "aug",
    "sept", "sep", "oct", "nov", "dec", "ore", "man", "ont", "calif", "mass", "fla", "pa", "wash", "ave",
}
_TITLES = (
    "Prime Minister", "Deputy Prime Minister", "Foreign Minister", "Defence Minister", "Defense Secretary",
    "President", "Vice President", "Vice-President", "Chancellor", "Minister", "Secretary", "Senator", "Sen.",
    "Rep.", "Representative", "Governor", "Gov.", "Mayor", "General", "Gen.", "Colonel", "Col.", "Captain",
    "Capt.", "Judge", "Justice", "Chief", "Ambassador", "Professor", "Prof.", "Dr", "Dr.", "Mr", "Mr.",
    "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Sir", "Dame", "Lord", "Lady", "King", "Queen", "Prince", "Princess",
    "Pope", "Rev.", "Reverend", "Father", "Sister", "Sheikh", "Commissioner", "Inspector", "Detective",
    "Sergeant", "Sgt.", "Officer", "Coach", "Speaker", "Premier", "Leader",
)
# Capitalised words that stand before a name as part of a role ("Fire Chief", "Council Leader"), not of the name.
_ROLE_WORDS = {
    "Fire", "Police", "Deputy", "Assistant", "Acting", "Former", "Senior", "Chief", "Executive", "Council",
    "Party", "Opposition", "State", "Foreign", "Defence", "Defense", "Health", "Finance", "Interior", "Home",
    "Labour", "Labor", "Education", "Energy", "Environment", "Transport", "Trade", "Culture", "Economy",
    "Attorney", "Director", "Manager", "Spokesman", "Spokeswoman", "Spokesperson", "Chairman", "Chairwoman",
    "Chair", "CEO", "Head", "Constable", "Superintendent", "Sheriff", "Pastor", "Bishop", "Archbishop",
    "Cardinal", "Rabbi", "Imam", "Prime", "Vice", "Coach", "Captain", "Officer", "Detective", "Inspector",
    "Lieutenant", "Lt.", "Major", "Admiral", "Corporal", "Private", "Professor", "Principal", "Headteacher",
    "Nurse", "Doctor", "Councillor", "Councilman", "Councilwoman", "Alderman", "Commander", "Commissioner",
    "Secretary", "General", "Minister", "President", "Mayor", "Governor", "Senator", "Premier", "Leader",
}
_TITLE_PATTERN = "|".join(re.escape(title) for title in sorted(_TITLES, key=len, reverse=True))
_TITLED_NAME = re.compile(
    rf"\b(?P<title>{_TITLE_PATTERN})\s+(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){{0,3}})"
)
_FEMALE_WORDS = {
    "mrs", "ms", "miss", "dame", "lady", "queen", "princess", "sister", "woman", "women", "mother", "grandmother",
    "daughter", "wife", "girl", "actress", "businesswoman", "chairwoman", "spokeswoman", "congresswoman",
    "widow", "nun", "aunt", "niece", "granddaughter", "mum", "mom", "sister-in-law", "girlfriend",
    "policewoman", "sportswoman", "stateswoman", "councilwoman", "fisherwoman", "waitress", "heiress",
    "duchess", "countess", "baroness", "empress", "grandma", "stepmother", "fiancée",
}
_MALE_WORDS = {
    "mr", "sir", "lord", "king", "prince", "father", "man", "men", "grandfather", "son", "husband", "boy",
    "businessman", "chairman", "spokesman", "congressman", "widower", "uncle", "nephew", "grandson", "dad",
    "brother", "boyfriend", "monk", "fisherman", "policeman", "fireman", "salesman", "sportsman", "statesman",
    "councilman", "gentleman", "grandpa", "stepfather", "fiancé", "duke", "earl", "baron", "emperor",
}
_NOT_ROLE_WORDS = {"in", "at", "on", "of", "to", "from", "with", "by", "for", "and", "or", "that", "than", "about", "into"}
# Words news uses for a person it has just named: "the pensioner", "the 46-year-old", "the father-of-two".
_EPITHET = re.compile(
    r"^the\s+(?:[\w-]+\s+)?(pensioner|\d+-year-old|father|mother|father-of-\w+|mother-of-\w+|grandfather|"
    r"grandmother|widow|widower|teenager|man|woman|boy|girl|mum|dad|husband|wife|victim|motorist|driver|"
    r"campaigner|businessman|businesswoman|resident|youngster|veteran|singer|actor|actress|star|player|striker|"
    r"midfielder|defender|goalkeeper|coach|manager|boss|pupil|student|worker|owner)$",
    re.IGNORECASE,
)
_NUMBERED_QUESTION = re.compile(r"^\d{1,2}[.)]\s+(?P<question>\S.*\?)\s*$")
# "The three-time Olivier winner stars opposite …": who a numbered interview is with.
_INTERVIEWEE = re.compile(
    r"^((?:The|A|An)\s+[\w’'-]+(?:\s+[\w’'-]+){0,4}?)\s+"
    r"(?:has|have|had|is|was|stars|plays|talks|speaks|returns|opens|takes|joins|reveals|tells|shares|answers)\b"
)
_RELATIVE = re.compile(r"^(who|whom|whose|which|where|when)\b", re.IGNORECASE)
_DETERMINERS = re.compile(r"^(a|an|the|one|another)\s+", re.IGNORECASE)


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


@dataclass(frozen=True)
class AttributedSpan:
    span: Span
    speaker: Person | None
    kind: QuoteKind
    turn: bool = False
    """An interview turn ('Q: …', 'Marsh: …'): the label before the span is not read."""
    basis: str = "no-cue"
    """Why this speaker: where the cue stood and how it named them, e.g. 'cue-after:name', 'cue-before:pronoun',
    'continues-quote', 'same-paragraph', 'previous-paragraph', 'qa-label'."""
    confidence: float = 0.0
    """How sure the attribution is, 0-1 (see CONFIDENCE); below UNSURE the quote goes to an unidentified speaker."""


@dataclass
class _SeenName:
    """A full name met in narration before anyone quoted it, with any pronoun that followed it."""

    seen_at: int
    gender: Gender = "unknown"
    appositive: str | None = None
    """'a 34-year-old nurse at St Mary's' in 'Leah Morgan, a 34-year-old nurse at St Mary's, has worked …'."""


# How far each way of finding a speaker is to be trusted: a name in the cue most, a speaker carried over
# from an earlier paragraph least. `audiobook script` lists the quotes below UNCERTAIN first.
CONFIDENCE = {
    "name": 0.95, "qa-label": 0.95, "according-to": 0.9, "new-name": 0.9, "role": 0.85, "description": 0.85,
    "continues-quote": 0.85, "same-paragraph": 0.8, "pronoun": 0.75, "sentence-before": 0.7,
    "previous-paragraph": 0.55, "no-cue": 0.0,
}
UNCERTAIN = 0.7
UNSURE = 0.5
"""Below this a guess is worse than a neutral voice: the quote is heard as an unidentified speaker."""


class Attributor:
    """Reads an article's paragraphs in order and attributes each quotation to a person."""

    def __init__(self, interviewer: str | None = None, about: list[str] | None = None, whole: str = "") -> None:
        """``interviewer`` is the byline; ``about`` the article's title and standfirst, which in a numbered
        interview ("The actress has taken over from …") say who answers; ``whole`` the article's text, whose
        full names tell who a bare surname is ("Musk said" where "Elon Musk" is named anywhere)."""
        self.people: list[Person] = []
        self._full_names = {
            match.group(0) for match in _FULL_NAME.finditer(whole)
            if _could_be_personal_name(match.group(0), whole[match.end():match.end() + 8])
        }
        self._interviewee_description = next(filter(None, map(_leading_description, about or [])), None)
        self._interviewee: Person | None = None
        self._numbered_interview = False
        self._clock = 0
        self._last_speaker: Person | None = None
        self._open_quote: Person | None = None
        self._interviewer_name = interviewer
        self._interviewer: Person | None = None
        self._in_interview = False
        self._seen_names: dict[str, _SeenName] = {}
        self._seen_appositives: dict[str, str] = {}
        self._found_by = "name"
        """How the last cue's noun phrase was resolved: 'name', 'pronoun', 'role', 'description' or 'new-name'."""

    def paragraph(self, text: str) -> list[AttributedSpan]:
        if turn := self._interview_turn(text) or self._numbered_turn(text):
            return [turn]
        spans = [span for span in find_spans(text) if self._is_speech(text, span)]
        continuing = self._open_quote if spans and not text[: spans[0].start - 1].strip() else None
        self._open_quote = None
        pieces = _narration_pieces(text, spans)
        self._note_mentions(pieces[0])
        speakers: list[Person | None] = []
        bases: list[str] = []
        for index, span in enumerate(spans):
            before = _clause_before(pieces[index])
            after = _clause_after(pieces[index + 1])
            basis = "no-cue"
            if speaker := self._cue_after(after):
                basis = f"cue-after:{self._found_by}"
            elif speaker := self._cue_before(before):
                basis = f"cue-before:{self._found_by}"
            elif index == 0 and continuing:
                speaker, basis = continuing, "continues-quote"
            elif not before.strip():
                # "A passer-by shouted at the crowd. “Go home!”": the cue is the sentence just before.
                if speaker := self._cue_before(_clause_before(pieces[index].rstrip()[:-1] + " ")):
                    basis = "sentence-before"
            speakers.append(speaker)
            bases.append(basis)
            self._note_mentions(pieces[index + 1])
        speakers, bases = self._fill_gaps(speakers, bases)
        result = [
            AttributedSpan(span, speaker, "partial" if _is_partial(text, span) else "full", basis=basis,
                           confidence=_confidence(basis))
            for span, speaker, basis in zip(spans, speakers, bases)
        ]
        # A guess worse than a neutral voice: heard as an unidentified speaker, listed first for the producer.
        result = [
            replace(item, speaker=self._unidentified()) if item.confidence < UNSURE else item for item in result
        ]
        if result:
            self._last_speaker = result[-1].speaker or self._last_speaker
            if not result[-1].span.closed:
                self._open_quote = result[-1].speaker
        return result

    def _interview_turn(self, text: str) -> AttributedSpan | None:
        """'Q: …' is the interviewer; once an interview has begun, 'Name: …' is that person's answer."""
        match = _TURN_LABEL.match(text)
        if not match:
            return None
        label = match.group("label")
        if label.lower() in {"q", "question"}:
            self._in_interview = True
            if self._interviewer is None:
                self._interviewer = Person(name=self._interviewer_name or "the interviewer", aliases=["Q"])
                self.people.append(self._interviewer)
            speaker = self._interviewer
        elif self._in_interview and label.lower() not in _NOT_SPEAKER_LABELS:
            speaker = self._resolve(label, None)
        else:
            return None
        self._note_mentions(match.group("rest"))
        return AttributedSpan(
            Span(match.start("rest"), len(text), "", closed=True), speaker, "full", turn=True,
            basis="qa-label", confidence=CONFIDENCE["qa-label"],
        )

    def _numbered_turn(self, text: str) -> AttributedSpan | None:
        """'1. Where did you grow up?' is the interviewer; the unmarked paragraphs after it are the answer."""
        if question := _NUMBERED_QUESTION.match(text):
            self._numbered_interview = True
            speaker = self._interviewer or Person(name=self._interviewer_name or "the interviewer", aliases=["Q"])
            if self._interviewer is None:
                self._interviewer = speaker
                self.people.append(speaker)
            start = question.start("question")
        elif self._numbered_interview and not any(mark in text for mark in "“”\""):
            if self._interviewee is None:
                self._interviewee = Person(name=self._interviewee_description or "the interviewee", described=True)
                _learn_gender(self._interviewee, self._interviewee.name)
                self.people.append(self._interviewee)
            speaker, start = self._interviewee, 0
        else:
            return None
        return AttributedSpan(
            Span(start, len(text), "", closed=True), speaker, "full", turn=True,
            basis="qa-label", confidence=CONFIDENCE["qa-label"],
        )

    # Which marks hold speech

    def _is_speech(self, text: str, span: Span) -> bool:
        inner = text[span.start:span.end].strip()
        words = inner.split()
        before = text[max(0, span.start - 1 - _CLAUSE_REACH): span.start - 1]
        if len(words) <= 3:
            # "“Three weeks,” she said": short, but punctuated and followed at once by its cue;
            # "… he said. “It's over.”": a short sentence of its own.
            after = text[span.end + 1: span.end + 40] if span.closed else ""
            cued = re.search(r"[,!?]$", inner) and re.match(rf"\s*(\S+\s+){{0,3}}({_VERBS})\b", after)
            own_sentence = re.search(r"[.!?]$", inner) and inner[0].isupper() and re.search(
                r"(^|[.!?:]\s*)$", text[max(0, span.start - len(span.opener) - _CLAUSE_REACH): span.start - len(span.opener)].strip())
            # "the firm said it was “bitterly disappointed”": a few words reported from a speech verb of the
            # same sentence are speech; a title in capitals ("the film “Jaws”") and a scare quote with no verb are not.
            sentence = re.split(r"[.!?]\s", before)[-1]
            reported = not all(word[:1].isupper() for word in words) and _VERB.search(sentence[-160:])
            return bool(cued or own_sentence or reported)
        sentence_like = bool(re.search(r"[.,!?…;:—–-]$", inner)) or not span.closed
        starts_clause = not before.strip() or re.search(r"[:,.]\s*$", before)
        title_case = sum(word[0].isupper() for word in words) >= len(words) - 1 and not sentence_like
        if title_case:
            return False
        if sentence_like or (starts_clause and inner[0].isupper()):
            return True
        # A fragment inside a sentence is speech only when the sentence says someone spoke it.
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
            noun_phrase, appositive = _inverted_subject(clause[match.end():])
            return self._resolve(noun_phrase, appositive) if _looks_like_speaker(noun_phrase) else None
        return self._subject(clause[: match.start()])

    def _cue_before(self, clause: str) -> Person | None:
        """'Smith said: “…', 'he announced on Monday that “…', 'according to Smith, “…'."""
        if according := _ACCORDING_TO.search(clause):
            return self._resolve(according.group("np"), None)
        # The verb nearest the quote governs it: in "Ortiz said his coach told him “you're next”" the coach speaks.
        for match in reversed(list(_VERB.finditer(clause))):
            left = clause[: match.start()]
            if left.strip(" ,"):
                if speaker := self._subject(left):
                    return speaker
            elif match.group(1) not in _NOT_INVERTED:
                noun_phrase, appositive = _inverted_subject(clause[match.end():])
                if _looks_like_speaker(noun_phrase):
                    return self._resolve(noun_phrase, appositive)
        # "Jane Doe, writing in the Times: “…”": a name introducing the quote after a colon.
        if clause.rstrip().endswith(":") and (intro := re.match(r"\W*([A-Z][\w’'-]+(?: [A-Z][\w’'-]+)+)", clause)):
            if _is_full_name(intro.group(1)):
                return self._resolve(intro.group(1), None)
        return None

    def _subject(self, left: str) -> Person | None:
        """The subject standing just before a speech verb, past any appositive between commas."""
        found = _subject_phrase(left)
        return self._resolve(*found) if found else None

    # People

    def _resolve(self, noun_phrase: str, appositive: str | None) -> Person | None:
        noun_phrase = noun_phrase.strip(" ,.;:")
        if noun_phrase.lower() in {"he", "she", "they"}:
            self._found_by = "pronoun"
            return self._pronoun(noun_phrase.lower(), speaking=True)
        if noun_phrase.lower() in {"i", "we", "it"}:
            return None
        person = self._find(noun_phrase)
        self._found_by = "name" if _proper_name(noun_phrase) else "description"
        if person is None and (person := self._by_role(noun_phrase) or self._by_epithet(noun_phrase)):
            self._found_by = "role"
        if person is None:
            person = self._introduce(noun_phrase, appositive)
            self._found_by = "new-name" if not person.described else "description"
        if appositive and not person.described and appositive not in person.aliases:
            person.aliases.append(appositive)
            _learn_gender(person, appositive)
        self._see(person)
        return person

    def _pronoun(self, pronoun: str, speaking: bool = False) -> Person | None:
        """The most recent person the pronoun can stand for; their gender is learnt from it.

        A full name met in narration but not yet quoted also counts: when the pronoun is a
        speech cue (``speaking``), that name becomes a person; otherwise it only keeps the gender.
        """
        gender = {"she": "female", "he": "male"}.get(pronoun, "unknown")

        def fits(candidate_gender: Gender, singular: bool) -> bool:
            return pronoun == "they" or candidate_gender == gender or (candidate_gender == "unknown" and singular)

        person = next((
            person for person in sorted(self.people, key=lambda p: p.last_seen, reverse=True)
            if fits(person.gender, _could_be_he_or_she(person) and not person.they)
        ), None)
        unquoted = [
            (entry.seen_at, name) for name, entry in self._seen_names.items()
            if fits(entry.gender, True) and not self._find(name)
        ]
        if unquoted and max(unquoted)[0] > (person.last_seen if person else 0):
            name = max(unquoted)[1]
            if gender != "unknown":
                self._seen_names[name].gender = gender
            if not speaking:
                return None
            person = self._introduce(name, None)
        if person is None:
            return None
        if gender != "unknown":
            person.gender = gender
        elif not person.described and person.gender == "unknown":
            person.they = True
        self._see(person)
        return person

    def _find(self, noun_phrase: str) -> Person | None:
        name = _proper_name(noun_phrase)
        key = _description_key(noun_phrase)
        for person in sorted(self.people, key=lambda p: p.last_seen, reverse=True):
            if name and not person.described and (name == person.name or name in person.aliases):
                return person
            if not name and key and (
                key == _description_key(person.name)
                or any(key == _description_key(alias) for alias in person.aliases)
                or any(re.search(rf"\b{re.escape(key)}\b", alias.lower()) for alias in person.aliases)
            ):
                return person
        return None

    def _by_role(self, noun_phrase: str) -> Person | None:
        """'The nurse says …' after 'Leah Morgan, a 34-year-old nurse, …': the named person of that role."""
        if not noun_phrase.lower().startswith("the "):
            return None
        key = _description_key(noun_phrase)
        for name, entry in sorted(self._seen_names.items(), key=lambda item: item[1].seen_at, reverse=True):
            if entry.appositive and re.search(rf"\b{re.escape(key)}\b", entry.appositive.lower()) and not self._find(name):
                person = self._introduce(name, None)
                person.aliases.extend([entry.appositive, noun_phrase])
                _learn_gender(person, entry.appositive)
                return person
        return None

    def _by_epithet(self, noun_phrase: str) -> Person | None:
        """'The pensioner said …', 'the 46-year-old added': news names a person it has just named by what
        they are. The most recent named person whose gender fits is meant."""
        match = _EPITHET.match(noun_phrase.strip())
        if not match:
            return None
        holder = Person(name=noun_phrase)
        _learn_gender(holder, noun_phrase)
        person = next((
            person for person in sorted(self.people, key=lambda p: p.last_seen, reverse=True)
            if not person.described and (person.gender == holder.gender or "unknown" in (person.gender, holder.gender))
        ), None)
        if person is not None and noun_phrase not in person.aliases:
            person.aliases.append(noun_phrase)
            if person.gender == "unknown":
                person.gender = holder.gender
        return person

    def _introduce(self, noun_phrase: str, appositive: str | None) -> Person:
        name = _proper_name(noun_phrase)
        seen = None
        if name and " " not in name:
            # "Marsh:" after "Ida Marsh has published …": the full name as first given.
            full = [(entry.seen_at, full) for full, entry in self._seen_names.items() if full.endswith(f" {name}")]
            elsewhere = {full for full in self._full_names if full.endswith(f" {name}") and len(full.split()) == 2}
            if full:
                seen = self._seen_names[max(full)[1]]
                name = max(full)[1]
            elif len(elsewhere) == 1:
                # Named in full only in the headline, or further on: still one person with one name.
                name = elsewhere.pop()
        elif name in self._seen_names:
            seen = self._seen_names[name]
        title = _title_of(noun_phrase)
        role = next((
            p for p in self.people if p.described and title and _description_key(p.name) == title.lower()
        ), None) if name and " " in name else None
        if role:
            # "the mayor" quoted earlier, now "Mayor Ana Ruiz": one person, known from here on by name.
            role.aliases = [alias for alias in (role.name, *role.aliases) if alias != name]
            role.name, role.described = name, False
            if name.split()[-1] not in role.aliases:
                role.aliases.append(name.split()[-1])
            _learn_gender(role, noun_phrase)
            return role
        if name:
            person = Person(name=name, gender=seen.gender if seen else "unknown")
            surname = name.split()[-1]
            # When two people share a surname ("Tom Reid", "Morag Reid"), the bare surname stays the first's.
            surname_taken = any(surname in other.aliases for other in self.people)
            for alias in (None if surname_taken else surname, noun_phrase, _title_of(noun_phrase)):
                if alias and alias != name and alias not in person.aliases:
                    person.aliases.append(alias)
        else:
            description = _DETERMINERS.sub("", noun_phrase.strip())
            # "a teacher from Stepanakert" is also "the teacher from Stepanakert", or "the teacher", later on.
            person = Person(name=noun_phrase, described=True, aliases=[f"the {description}", description.split()[0]])
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
                # A described person's last alias is one bare word ("teacher"), too common to be a mention.
                if len(alias) < 3 or (person.described and person.aliases and alias == person.aliases[-1]):
                    continue
                flags = re.IGNORECASE if person.described else 0
                for match in re.finditer(rf"\b{re.escape(alias)}\b", narration, flags):
                    # "Morag Reid" is not a mention of Tom Reid.
                    other_first_name = re.search(r"\b([A-Z][a-z’'\-]+)\s+$", narration[max(0, match.start() - 80): match.start()])
                    if other_first_name and other_first_name.group(0).strip() + " " + alias not in (person.name, *person.aliases):
                        if " " not in alias:
                            continue
                    events.append((match.start(), "known", alias))
        for match in _PRONOUN.finditer(narration):
            pronoun = (match.group(1) or match.group(2)).lower()
            events.append((match.start(), "pronoun", {"his": "he", "her": "she"}.get(pronoun, pronoun)))
        # "Her husband, Omar, agrees": a one-word name after a relation is a person, of the relation's gender.
        # "Dana Price’s 12-year-old son, Leo, …" too: the possessor is not the one named.
        for match in re.finditer(
            r"\b(?:[Hh]is|[Hh]er|[Tt]heir|[A-Z][\w-]*[’']s)\s+(?:[\w-]+\s+)?(\w+),\s+([A-Z][a-z’'-]+),", narration
        ):
            name = match.group(2)
            self._seen_appositives[name] = match.group(0).split(",")[0]
            events.append((match.start(2), "seen", name))
        for match in _FULL_NAME.finditer(narration):
            # Only names in subject position ("Tom Reid climbs …", "His daughter, Morag Reid, …") can be a
            # later pronoun's antecedent; "… between Azerbaijanis and Karabakh Armenians" cannot.
            lead = re.split(r"[.!?,]\s+", narration[max(0, match.start() - _CLAUSE_REACH): match.start()])[-1].split()
            subject_position = len(lead) <= 3 and not any(word.lower() in _NOT_ROLE_WORDS for word in lead)
            following = narration[match.end():match.end() + 8]
            if following.startswith(("’s", "'s")):
                continue  # a possessor ("Dana Price’s son"), not the subject a later pronoun stands for
            if subject_position and _could_be_personal_name(match.group(0), following):
                events.append((match.start(), "seen", match.group(0)))
                if appositive := re.match(r",\s*((?:a|an|the|his|her|their)\s[^,]{3,90}?|[a-z][^,]{3,90}?),", narration[match.end():]):
                    self._seen_appositives[match.group(0)] = appositive.group(1)
        # "Council leader Peter Vance said the result …": indirect speech introduces its speaker too.
        for match in _VERB.finditer(narration):
            found = _subject_phrase(_clause_before(narration[max(0, match.start() - _CLAUSE_REACH): match.start()]))
            if found and found[0].lower() not in {"he", "she", "they"}:
                events.append((match.start() - 1, "subject", found[0]))
        for _, kind, words in sorted(events):
            if kind == "seen":
                self._clock += 1
                appositive = self._seen_appositives.get(words)
                seen = _SeenName(self._clock, appositive=appositive)
                if appositive:
                    holder = Person(name=words)
                    _learn_gender(holder, appositive)
                    seen.gender = holder.gender
                self._seen_names[words] = seen
            elif kind == "pronoun":
                self._pronoun(words)
            elif kind == "subject":
                # Narration names many subjects (countries, "the authorities"); only a full name is a new person.
                if person := self._find(words) or (self._introduce(words, None) if _is_full_name(words) else None):
                    self._see(person)
            elif person := self._find(words) if kind == "known" else (self._find(words) or self._introduce(words, None)):
                self._see(person)

    def _fill_gaps(self, speakers: list[Person | None], bases: list[str]) -> tuple[list[Person | None], list[str]]:
        """Quotes with no cue of their own take the speaker of their paragraph, else the last one heard."""
        known = [speaker for speaker in speakers if speaker]
        filled: list[Person | None] = []
        filled_bases: list[str] = []
        for index, (speaker, basis) in enumerate(zip(speakers, bases)):
            if speaker is None:
                earlier = next((s for s in reversed(filled) if s), None)
                later = next((s for s in speakers[index + 1:] if s), None)
                speaker = earlier or later or (known[0] if known else None)
                basis = "same-paragraph" if speaker else basis
            if speaker is None and self._last_speaker:
                speaker, basis = self._last_speaker, "previous-paragraph"
            filled.append(speaker or self._unidentified())
            filled_bases.append(basis)
        return filled, filled_bases

    def _unidentified(self) -> Person:
        """Who speaks a quote no cue explains: still a voice apart from the narrator's, so it is heard as a quote."""
        person = next((p for p in self.people if p.name == "an unidentified speaker"), None)
        if person is None:
            person = Person(name="an unidentified speaker", described=True)
            self.people.append(person)
        return person


def _leading_description(text: str) -> str | None:
    match = _INTERVIEWEE.match(text.strip())
    return match.group(1) if match else None


def _confidence(basis: str) -> float:
    """'cue-after:pronoun' is as sure as its resolution; a cue's place matters less than how it named them."""
    return CONFIDENCE[basis.rsplit(":", 1)[-1]]


def _narration_pieces(text: str, spans: list[Span]) -> list[str]:
    """The text around the spans: len(spans) + 1 pieces, marks removed."""
    pieces, position = [], 0
    for span in spans:
        pieces.append(text[position: max(position, span.start - 1)])
        position = min(len(text), span.end + (1 if span.closed else 0))
    pieces.append(text[position:])
    return pieces


def _sentence_breaks(text: str) -> list[re.Match[str]]:
    """Where sentences end: a full stop, but not after an abbreviation or an initial ("J. Smith", "U.S.")."""
    breaks = []
    for match in _SENTENCE_BREAK.finditer(text):
        word = re.search(r"([\w.]+)$", text[max(0, match.start() - 40): match.start()])
        token = word.group(1).lower() if word else ""
        if match.group(0)[0] == "." and (token in _ABBREVIATIONS or len(token.rstrip(".")) == 1 or "." in token):
            continue
        breaks.append(match)
    return breaks


def _clause_before(piece: str) -> str:
    """The part of the sentence that runs up to a quote."""
    piece = piece[-_CLAUSE_REACH:]
    breaks = _sentence_breaks(piece)
    return piece[breaks[-1].end():] if breaks else piece


def _clause_after(piece: str) -> str:
    """The part of the sentence that follows a quote, up to its end."""
    if piece.lstrip(" ,").startswith((".", "!", "?")):
        return ""
    stripped = piece.lstrip(" ,.!?")[:_CLAUSE_REACH]
    breaks = _sentence_breaks(stripped)
    return stripped[: breaks[0].start()] if breaks else stripped


def _subject_phrase(left: str) -> tuple[str, str | None] | None:
    """('Giorgi Gogia', 'associate director …') from 'Giorgi Gogia, associate director …, ' before 'told'."""
    left = left[-_CLAUSE_REACH:]
    left = re.sub(r"\s+(also|then|later|once|simply|only|had|has|have|would|will|was)\s*$", "", left.rstrip())
    appositive = None
    if left.endswith(","):
        parts = left[:-1].rsplit(",", 1)
        if len(parts) == 2 and _looks_like_speaker(parts[0].split(",")[-1].strip()):
            left, appositive = parts[0], parts[1].strip()
    # A subject starts after the previous clause: punctuation, a conjunction, or another speech verb ("said his coach").
    noun_phrase = re.split(rf"[,;:()]|\band\b|\bthat\b|\bbut\b|\b(?:{_VERBS})\b", left)[-1].strip()
    if not _looks_like_speaker(noun_phrase):
        return None
    # "The council leader, Anne Handley, told …": the name in apposition is who spoke; in "The pensioner,
    # who lives in South Street, said" the relative clause only describes them.
    if appositive and _RELATIVE.match(appositive):
        return noun_phrase, None
    if appositive and _DETERMINERS.match(noun_phrase) and _is_full_name(appositive) and not _DETERMINERS.match(appositive):
        noun_phrase, appositive = appositive, noun_phrase
    return noun_phrase, appositive


def _inverted_subject(text: str) -> tuple[str, str | None]:
    """The speaker after an inverted verb: 'said Jenny Paturyan, associate professor …',
    'admitted the minister, Sarah Lane', 'said Sgt. Mark Hill of the city police'."""
    head, appositive = _split_appositive(text)
    if appositive and _DETERMINERS.match(head) and _is_full_name(appositive) and not _DETERMINERS.match(appositive):
        return appositive, head
    words = head.split()
    if words and not _DETERMINERS.match(head):
        # A name runs while its words are capitalised; what follows it ("of the city police") describes it.
        for index in range(1, len(words)):
            if words[index][0].islower() and words[index - 1][0].isupper() and any(w[0].isupper() for w in words[:index]):
                return " ".join(words[:index]), appositive or " ".join(words[index:])
    return head, appositive


def _split_appositive(text: str) -> tuple[str, str | None]:
    """'Jenny Paturyan, associate professor at …' → ('Jenny Paturyan', 'associate professor at …')."""
    text = text[:_CLAUSE_REACH]
    breaks = _sentence_breaks(text)
    text = text[: breaks[0].start()] if breaks else text
    head, _, rest = text.partition(",")
    rest = rest.strip(" ,")
    clause_start = re.match(r"(who|which|adding|as|in|on|and|but|according|before|after|when|while)\b", rest)
    appositive = rest if rest and not clause_start else None
    if appositive:
        appositive = re.split(r",\s*(?:who|which|adding|as|in|on|and)\b", appositive)[0].strip()
    return head.strip(), appositive


def _looks_like_speaker(noun_phrase: str) -> bool:
    noun_phrase = noun_phrase.strip()
    # Descriptions run longer than names: "a French sailor who sheltered on the island in 2019".
    if not noun_phrase or len(noun_phrase.split()) > (12 if _DETERMINERS.match(noun_phrase) else 6):
        return False
    first = noun_phrase.split()[0]
    if first.lower() in {"he", "she", "they"}:
        return len(noun_phrase.split()) == 1
    if _DETERMINERS.match(noun_phrase):
        return len(noun_phrase.split()) >= 2
    if first[0].islower():
        # "councillor Joan Whitaker", "shop owner Raj Patel": lower-case role words, then a name.
        words = noun_phrase.split()
        return len(words) >= 2 and all(word[0].isupper() for word in words[-2:]) and not any(
            word in _NOT_ROLE_WORDS for word in words)
    return first.lower() not in {"i", "we", "it", "this", "that", "there", "but", "and", "as", "when"}


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
    words = phrase.split()
    while len(words) > 1 and words[0] in _ROLE_WORDS:
        words = words[1:]
    phrase = " ".join(words)
    run: list[str] = []
    for word in phrase.split():
        if word[0].isupper():
            run.append(word.strip(",.;:"))
        else:
            run = []
    return " ".join(run) or None


def _could_be_personal_name(name: str, following: str) -> bool:
    """'Tom Reid' yes; 'Fair Isle', 'American University', 'Yerevan-based …' no."""
    words = name.split()
    if words[0] in _NOT_FIRST_NAMES or words[-1] in _STREET_WORDS:
        return False
    # "Nicky Southern", "Tom Hall": a first name makes the rest a surname, whatever else it could be.
    if any(word in _PLACE_AND_BODY_WORDS for word in words) and not first_name_genders(words[0]):
        return False
    return not following.startswith(("-", "’s", "'s")) or len(words) >= 2


def _is_full_name(noun_phrase: str) -> bool:
    """'Council leader Peter Vance', 'Mayor Brennan': a person's name, not a place or a body."""
    name = _proper_name(noun_phrase) or ""
    return len(name.split()) >= 2 or bool(_title_of(noun_phrase))


def _could_be_he_or_she(person: Person) -> bool:
    """A one-word name ('Reuters', 'Azerbaijan') or a plural description ('the authorities') is no he or she."""
    if person.described:
        head = _description_key(person.name).split()[0]
        return not (head.endswith("s") and not head.endswith("ss"))
    return len(person.name.split()) >= 2 or any(_title_of(alias) for alias in person.aliases)


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
