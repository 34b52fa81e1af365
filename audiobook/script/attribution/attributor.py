"""Decide which quotation marks hold speech, and who speaks each quote.

Works paragraph by paragraph, keeping the people the article has mentioned in order of
recency, so that "she continued" or "the teacher said" finds the right person.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from audiobook.model import Gender, QuoteKind
from audiobook.names import first_name_genders, known_first_names
from audiobook.script.attribution.cues import (
    CLAUSE_REACH, DETERMINERS, FULL_NAME, NAME_WORD, clause_after, clause_before, could_be_personal_name, description_key,
    inverted_subject, is_full_name, is_partial, looks_like_speaker, narration_pieces, proper_name, sentence_breaks,
    subject_phrase, title_of,
)
from audiobook.script.attribution.lexicon import (
    EPITHET, INTERVIEWEE, KIN_WORDS, LISTENER_VERBS, OFFICE_TITLES, NAME_PARTICLES, NAME_PREFIXES, NAMING_VERB, OBJECT_VERBS, NOT_ROLE_WORDS, NOT_SPEAKER_LABELS, ORGANISATION_REFERENCE, PARTICIPLE,
    PASSIVE_NAMING,
    REPORTING_VERB, SPEECH_VERB, SPEECH_VERBS, TITLED_NAME, spelled_out,
)
from audiobook.script.attribution.people import (
    Person, SeenName, could_be_he_or_she, gender_said_by, learn_gender, surname_index,
)
from audiobook.script.attribution.syntax import Analysis
from audiobook.script.quotes import Span, find_spans

_ACCORDING_TO = re.compile(r"\baccording to\s+(?P<np>[^,.;:]+)", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(he|she|He|She)\b|(?:^|[.!?]\s+)(His|Her)\b")
_TURN_LABEL = re.compile(r"^(?P<label>Q|Question|A|[A-Z][\w.’'\-]*(?: [A-Z][\w.’'\-]*){0,3})\s*:\s+(?P<rest>\S.*)$")
# "Q. What …?" / "A. I …": print interviews often mark turns with a full stop.
_QA_LABEL = re.compile(r"^(?P<label>Q|Question|A|Answer)\s*[.:)]\s+(?P<rest>\S.*)$")
# Words that may open a sentence before its subject.
_SENTENCE_LINKS = {"but", "and", "yet", "still", "so", "then", "now", "meanwhile", "however"}
_NUMBERED_QUESTION = re.compile(r"^\d{1,2}[.)]\s+(?P<question>\S.*\?)\s*$")
# "PM: Peter Mansbridge": a transcript's legend, initials and the name they stand for.
_LEGEND = re.compile(rf"^(?P<label>[A-Z]{{2,4}})\s*:\s+(?P<name>{NAME_WORD}(?:\s+{NAME_WORD}){{1,2}})$")
_QUOTE_MARKS = "“”\"«»"
_DEFINITE = re.compile(r"^the\s+", re.IGNORECASE)
_PARENTHETICAL = re.compile(r"\([^()]*(?:\([^()]*\)[^()]*)*\)")
# A person's name as a quote collection prints it, particles and all ("Pieter-Steph du Toit").
_PRINTED_NAME = rf"{NAME_WORD}(?:\s+(?:(?:{'|'.join(NAME_PARTICLES)})\s+)?{NAME_WORD}){{1,3}}(?:\s+(?:Jr|Jnr|Sr|Snr|II|III|IV)\b\.?)?"
# "– South Africa captain Siya Kolisi", "Novak Djokovic after beating Daniil Medvedev …": a dash before,
# or what the words were about after.
_SIGNATURE = re.compile(
    rf"^\s*(?:(?P<dash>[—–-]{{1,2}})\s*)?(?:[\w’'.&-]+\s+){{0,10}}?(?P<np>{_PRINTED_NAME})"
    rf"(?(dash)\s*(?:$|[,(]|\s(?:on|after|about|when|while|during|as|at|in)\b)|\s+(?:on|after|about|when|while|during)\b)")
# "– Gatland rated France’s performance better": a surname the article has given in full, after the dash.
_SURNAME_SIGNATURE = re.compile(rf"^\s*(?P<dash>[—–-]{{1,2}})\s*(?P<np>{NAME_WORD})\s+[a-z]")
# "Great Britain coach, Brian Noble" and "Great Britain stand-off, Danny McGuire, on that video decision":
# a role, a comma, the name, on a line of their own below the quotation.
_ROLE_THEN_NAME = re.compile(
    rf"^\s*(?:[\w’'.&-]+\s+){{0,6}}?[\w’'.&-]+,\s+(?P<np>{_PRINTED_NAME})\s*(?:$|,\s*(?:on|after|about|when|while|during)\b)")
_SIGNATURE_REACH = 6
# "Lee Janzen (2-over-par (72) to move to 4-over-par - 214)": a name alone, heading the quotes below it.
_NAME_LABEL = re.compile(rf"^\s*(?P<np>{_PRINTED_NAME})\s*(?:{_PARENTHETICAL.pattern})?\s*$")
# "“…” Roger Black on learning he will …": the name straight after the quote.
_NAME_FIRST = re.compile(rf"^\s*[—–-]?\s*(?P<np>{_PRINTED_NAME})(?=\s*(?:$|,|\s(?:on|after|about|when|while)\b))")
_AGENT = re.compile(r"^[\s,]*by\s+(?P<np>[^,.;:()]{3,90}?)\s*(?:$|[,.;:(]|\s(?:at|in|on|during|after|who)\b)")
# "…, writes Colin Drury", "By Colin Drury": not "Leader attacked by John Smith", who may speak below.
_WRITER = re.compile(rf"(?:^[Bb]y\s+|\b(?:writes|reports)\s+)(?P<name>{_PRINTED_NAME})\s*[.,]?\s*$")
_DESCRIBED_NAME = re.compile(rf"^(?P<description>(?:an?|the)\s+(?:[a-z][\w’'-]*\s+){{1,3}})(?P<name>{_PRINTED_NAME})$")
# "will say", "would tell", "never said": words nobody has yet said, or denied saying.
_UNSAID = re.compile(r"\b(?:will|would|could|might|may|can|should|must|never|not|n’t|n't)\s+$")
# Titles used with a first name: "Sir Stuart" for Sir Stuart Rose.
_FIRST_NAME_TITLES = {"Sir", "Dame"}
# "… and said the impact had been …": a second speech verb sharing the first one's subject.
_ELIDED_SUBJECT = re.compile(rf"^\W*(?:and|but)\s+(?:also\s+|then\s+|later\s+)?(?:{SPEECH_VERBS})\b")
# The subject of a whole sentence, past an opening phrase ("On Saturday, Google criticised …") and an
# appositive ("Alex McGowan, the airline’s chief officer, issued …"), then its verb.
_CLAUSE_SUBJECT = re.compile(
    r"^\W*(?:(?:On|In|At|Earlier|Later|However|But|Meanwhile|Last|This|Yesterday|Today|After|Separately|Instead|Now)"
    r"\b[^,]{0,80},\s+)?(?:(?:But|And|Yet|So)\s+)?"
    rf"(?P<np>(?:[A-Z][\w-]*\s+[a-z][\w-]*\s+)?(?:{NAME_WORD}\s+){{0,3}}{NAME_WORD}|[Hh]e|[Ss]he|[Ii]t|[Tt]he\s+[\w-]+(?:\s+[\w-]+)?)"
    r"(?:,[^,]{1,150},)?\s+(?!(?:of|for|in|at|and|to|from|with|on|by)\b)[a-z]+\b")
# "read out a letter from Evans …, saying he had “wrecked” …": the words are the writer's, not the reader's.
_WRITTEN_BY = re.compile(
    rf"\b(?i:letter|statement|note|message|e-?mail|post|text)\s+(?:from|by|written by)\s+"
    rf"(?P<np>(?:{NAME_WORD}\s+){{0,3}}{NAME_WORD})")
_POSSESSOR = r"\b(?:[Hh]is|[Hh]er|[Tt]heir|[A-Z][\w-]*[’']s)\s+"
_POSSESSOR_BEFORE = re.compile(r"^(?:the\s+)?(?:[A-Z][\w-]*\s+)*[A-Z][\w-]*[’']s?\s+")
_NAMED_RELATION = re.compile(rf"{_POSSESSOR}(?:[\w-]+\s+)?\w+,\s+(?P<name>[A-Z][a-z’'-]+),")
_NAMED_RELATIVE = re.compile(
    rf"{_POSSESSOR}(?:[\w-]+\s+)?(?:{'|'.join(sorted(KIN_WORDS))})\s+(?P<name>[A-Z][a-z’'-]+)\b(?![’']|\s+[A-Z])")
_SUBORDINATE = re.compile(r"\W*(?:as|while|when|after|before|because|since|although|though|if|until|whereas)\b")
# "Another neighbour said": someone not met before, whatever the noun.
_ANOTHER = re.compile(r"(?:another|a second|a third|a fourth|one other)\s", re.IGNORECASE)
# A subject phrase ending so belongs to a relative clause or a passive: not who speaks.
_NOT_SPEAKING = re.compile(r"\b(?:who|that|which|been|was|were|is|are|being)$", re.IGNORECASE)
# A sentence of its own ending in a colon: it introduces what follows.
_INTRODUCTION = re.compile(r"^\s*[A-Z][^.!?,;:]*:\s*$")
# "…,” it said": an organisation's pronoun as a speech verb's whole subject.
_IT_SUBJECT = re.compile(r"(?:^|[^\w\s]|\band|\bbut)\s*[Ii]t(?:\s+(?:also|then|later|has|had|would|will))?\s*$")


@dataclass(frozen=True)
class AttributedSpan:
    span: Span
    speaker: Person | None
    kind: QuoteKind
    turn: bool = False
    """An interview turn ('Q: …', 'Marsh: …'): the label before the span is not read."""
    basis: str = "no-cue"
    """Why this speaker: where the cue stood and how it named them, e.g. 'cue-after:name', 'cue-before:pronoun',
    'continues-quote', 'continues-speaker', 'same-paragraph', 'previous-paragraph', 'qa-label'."""
    confidence: float = 0.0
    """How sure the attribution is, 0-1 (see CONFIDENCE); below UNSURE the quote goes to an unidentified speaker."""



# How often each way of finding a speaker gives the right one, measured on the dev part of the corpus
# (`python -m audiobook.quality.corpus --by-basis tests/corpus/dev`, right over all, both cue positions
# together; kinds seen fewer than ten times keep a prior). `audiobook script` lists the quotes below
# UNCERTAIN first; below UNSURE a guess is more often wrong than right and is not voiced as anyone.
CONFIDENCE = {
    "qa-label": 0.95, "according-to": 0.9, "new-name": 0.85, "name": 0.8, "pronoun": 0.72, "sentence-before": 0.67,
    "continues-quote": 0.62, "role": 0.6, "description": 0.55, "same-paragraph": 0.45, "previous-paragraph": 0.3,
    "continues-speaker": 0.7, "continues-reported": 0.75, "continues-subject": 0.6, "shared-subject": 0.75, "continues-answer": 0.9,
    "organisation": 0.7, "same-sentence": 0.67, "signed-below": 0.8, "name-label": 0.8, "named-below": 0.6, "no-cue": 0.0,
}
UNCERTAIN = 0.7
UNSURE = 0.5
"""Below this a guess is worse than a neutral voice: the quote is heard as an unidentified speaker."""
CAUTIOUS = CONFIDENCE["name"]
"""Where a cautious render voices quotes from: only speakers a name gives (a cue naming them, a Q&A label,
a signature) and quotations going on from theirs; every other quote in the unidentified voice."""


class Attributor:
    """Reads an article's paragraphs in order and attributes each quotation to a person."""

    def __init__(
        self, interviewer: str | None = None, about: list[str] | None = None, whole: str = "",
        analysis: Analysis = Analysis((), ()), voiced_from: float = UNSURE,
    ) -> None:
        """``interviewer`` is the byline; ``about`` the article's title and standfirst, which in a numbered
        interview ("The actress has taken over from …") say who answers; ``whole`` the article's text, whose
        full names (with those the parser found in ``analysis``) tell who a bare surname or a title and
        surname is ("Musk said", "Mr Howard said" where "Prime Minister John Howard" is named anywhere).
        A quote less sure than ``voiced_from`` (UNSURE, or CAUTIOUS) is heard as an unidentified speaker."""
        self._voiced_from = voiced_from
        self.people: list[Person] = []
        known_first_names({word: set(codes) for word, codes in analysis.first_names})
        self.full_names = {
            match.group(0) for match in FULL_NAME.finditer(whole)
            if could_be_personal_name(match.group(0), whole[match.end():match.end() + 8])
        } | set(analysis.people)
        # "…, writes Colin Drury" under the headline: who wrote the story is nobody in it a "he" stands for.
        writers = {match.group("name") for line in about or [] for match in _WRITER.finditer(line)}
        self.full_names -= writers
        # "Rosenior was delighted" after "Liam Rosenior" in the headline: a surname stands for its full name.
        self._surnames = surname_index(self.full_names)
        # Either apostrophe in the text: the index keys "O'Neill" for "O’Neill" too.
        alternatives = "|".join(re.escape(surname).replace("'", "['’]") for surname in self._surnames)
        self._surname_pattern = re.compile(rf"\b(?:{alternatives})\b") if self._surnames else None
        # What the parser took for a place or a date, and nowhere for a person or a body, never speaks.
        # A surname it once took for a place ("Musk" beside "Elon Musk") is still a person's, and so is a name
        # whose first name the list firmly gives one sex ("Amara Okafor", taken for a place on some machines).
        name_words = {word for name in analysis.people for word in name.split()}
        self._not_people = {
            name for name in analysis.not_people
            if name not in analysis.organisations and not set(name.split()) <= name_words
            and not (len(name.split()) >= 2 and _first_name_gender(name) != "unknown")
        } | writers
        # What the parser took for an organisation and never for a person ("Samsung", "Hot Press") is no "he" or
        # "she"; "it", "the company" or "the statement" stand for the one named last.
        # Each as the parser found it ("the National Weather Service"), by its bare name.
        self._organisations: dict[str, str] = {}
        for found in analysis.organisations:
            bare = _DEFINITE.sub("", found)
            if bare and not set(bare.split()) <= name_words and not _could_be_first_name(bare.split()[0]):
                self._organisations[bare] = _DEFINITE.sub("the ", found)
        self._organisation_pattern = re.compile(
            rf"\b(?:{'|'.join(map(re.escape, sorted(self._organisations, key=len, reverse=True)))})\b"
        ) if self._organisations else None
        self._organisation_seen: dict[str, int] = {}
        """When each organisation was last mentioned, by the attributor's clock."""
        self._organisations_about = sorted(
            (name for name in self._organisations if name in "\n".join(about or [])),
            key="\n".join(about or []).index,
        )
        self._interviewee_description = next(filter(None, map(_leading_description, about or [])), None)
        self._interviewee: Person | None = None
        about_text = "\n".join(about or [])
        # In the order they are printed: the headline's before the standfirst's ("Q&A with Dionne Peart" over the
        # novel "Somerset Grove" its standfirst names); a set's order would change from run to run.
        self._named_in_about = sorted((name for name in self.full_names if name in about_text), key=about_text.index)
        self._numbered_interview = False
        self._clock = 0
        self._last_speaker: Person | None = None
        self._quoted_last: Person | None = None
        """Who the previous paragraph ended by quoting, when nobody else was named after the quote."""
        self._last_quote: AttributedSpan | None = None
        """The quote the previous paragraph ended with, if it quoted anyone."""
        self._reported_last: Person | str | None = None
        """Who the previous paragraph's last sentence reported as speaking ('Mr Clare said Millan owned up …'), or
        its pronoun when that stood for a name not yet quoted ('He praised his team …'), made a person only if
        a paragraph of quotation follows."""
        self._reported_basis = "continues-reported"
        """How: 'continues-subject' when that sentence only spoke of someone already quoted ('Brand was delighted …')."""
        self._introduced: tuple[Person, str] | None = None
        """Who the previous paragraph introduced with a colon ('After the win, he said:'), and how they were found."""
        self._answering: Person | None = None
        """Who answered in the previous paragraph of an interview, whose answer an unlabelled paragraph goes on."""
        self._pronoun_at: dict[int, Person | None] = {}
        """Whom each pronoun of the narration last read stood for, by its offset."""
        self._subjects_met_again: list[float] = []
        """Where the narration last read meets a sentence's subject again, past its object (_subjects_again)."""
        self._labels: dict[str, Person] = {}
        """A transcript's initials and whom they stand for ('PM: Peter Mansbridge')."""
        self._open_quote: AttributedSpan | None = None
        """The last quotation, when a paragraph ended inside it: the next paragraph goes on in its voice."""
        self._nobody: Person | None = None
        self._quotes_lead: bool | None = None
        """Whether the article names its speakers below their quotations; decided at its first quotation."""
        self._interviewer_name = interviewer
        self._interviewer: Person | None = None
        self._in_interview = _is_transcript(whole)
        self._seen_names: dict[str, SeenName] = {}
        self._seen_appositives: dict[str, str] = {}
        self._found_by = "name"
        """How the last cue's noun phrase was resolved: 'name', 'pronoun', 'role', 'description' or 'new-name'."""
        # A legend may be printed as a heading, which is not read as a paragraph: learn it from the whole text.
        for line in whole.splitlines():
            self._legend(line)
        # The standfirst is read just before the story, whose first "He said:" may mean someone it names.
        for standfirst in (about or [])[1:2]:
            self._note_mentions(standfirst)

    def paragraph(self, text: str, following: Sequence[str] = ()) -> list[AttributedSpan]:
        """The paragraph's quotes and who speaks each; ``following`` are the paragraphs after it, where a
        quote collection signs each quotation below it ('– South Africa captain Siya Kolisi')."""
        if self._legend(text):
            return []
        if turn := self._interview_turn(text) or self._numbered_turn(text) or self._answer_goes_on(text):
            self._answering = turn.speaker if turn.speaker is not self._interviewer else None
            self._reported_last = None
            return [turn]
        self._answering = None
        spans = [span for span in find_spans(text) if self._is_speech(text, span)]
        continuing = self._open_quote if spans and not text[: spans[0].start - 1].strip() else None
        self._open_quote = None
        introduced, self._introduced = self._introduced, None
        pieces = narration_pieces(text, spans)
        # "(on today's round) “…”": a quote collection's note of what was asked names nobody.
        all_quotation = not _PARENTHETICAL.sub("", "".join(pieces)).strip(" ,.;:—–-…")
        if self._quotes_lead is None and spans:
            # An article whose first quotation stands alone, with nobody before it to have said it, names
            # its speakers below their words.
            self._quotes_lead = all_quotation and not (continuing or introduced or self._quoted_last or self._reported_last)
        self._note_mentions(pieces[0])
        speakers: list[Person | None] = []
        bases: list[str] = []
        for index, span in enumerate(spans):
            before = clause_before(pieces[index])
            after = clause_after(pieces[index + 1])
            basis = "no-cue"
            if speaker := self._passive_agent(before, after):
                basis = f"cue-after:{self._found_by}"
            elif not _introduces_next(pieces[index + 1], index, spans) and (speaker := self._cue_after(after)):
                basis = f"cue-after:{self._found_by}"
            elif speaker := self._cue_before(before, len(pieces[index]) - len(before)):
                basis = f"cue-before:{self._found_by}"
            elif index == 0 and continuing:
                speaker, basis = continuing.speaker, "continues-quote"
            elif index == 0 and all_quotation and (signed := self._signed_below(following)):
                speaker, basis = signed
            elif index == 0 and introduced and not _PARENTHETICAL.sub("", before).strip():
                speaker, basis = introduced
            elif speaker := self._elided_subject(before, speakers[-1] if speakers else None):
                basis = "shared-subject"
            elif not before.strip():
                # "A passer-by shouted at the crowd. “Go home!”": the cue is the sentence just before.
                if speaker := self._cue_before(clause_before(pieces[index].rstrip()[:-1] + " ")):
                    basis = "sentence-before"
            speakers.append(speaker)
            bases.append(basis)
            self._note_mentions(pieces[index + 1])
        # A paragraph that is all quotation, after one that ended quoting someone or reporting what someone
        # said ("Mr Clare said Millan owned up …" then "‘He is someone with issues …’"), goes on in their voice.
        reported = self._reported_last
        if isinstance(reported, str):
            reported = self._pronoun(reported, speaking=True) if all_quotation else None
        carried_on, carried_basis = (reported, self._reported_basis) if reported else (self._quoted_last, "continues-speaker")
        speakers, bases = self._fill_gaps(speakers, bases, pieces, carried_on if all_quotation else None, carried_basis)
        result = [
            AttributedSpan(span, speaker, "partial" if is_partial(text, span) else "full", basis=basis,
                           # A quotation going on is as sure as where it began.
                           confidence=continuing.confidence if continuing and basis == "continues-quote" else _confidence(basis))
            for span, speaker, basis in zip(spans, speakers, bases)
        ]
        # Words going on from a quote, in a paragraph of quotation or after a pronoun standing for its speaker
        # ("“…,” Smith said. “…,” he added."), are as sure as that quote, when it is surer.
        for index, item in enumerate(result):
            earlier = result[index - 1] if index else self._last_quote
            if (item.basis == "continues-speaker" or item.basis.endswith(":pronoun")) and earlier and (
                    earlier.speaker is item.speaker and earlier.confidence > item.confidence):
                result[index] = replace(item, confidence=earlier.confidence)
        # A guess worse than a neutral voice: heard as an unidentified speaker, listed first for the producer.
        result = [
            replace(item, speaker=self._unidentified()) if item.confidence < self._voiced_from else item for item in result
        ]
        self._quoted_last = result[-1].speaker if result and not self._other_named(pieces[-1], result[-1].speaker) else None
        self._last_quote = result[-1] if result else None
        # "Sheila said:-" too: an old-fashioned colon and dash.
        if (intro := pieces[-1].rstrip().rstrip("-–")).endswith(":") and (speaker := self._cue_before(clause_before(intro + " "))):
            self._introduced = speaker, f"cue-before:{self._found_by}"
        elif not spans and (label := _NAME_LABEL.match(text)) and self._may_speak_on(label.group("np")) and (
                person := self._resolve(label.group("np"), None)):
            # "Lee Janzen (2-over-par 72)" above the quotes of a quote collection.
            self._introduced = person, "name-label"
        # After '“…,” she said.' the narration's first sentence is the quote's own cue, not indirect speech.
        self._reported_last, self._reported_basis = self._reported_speaker(
            pieces[-1], after_cue=bool(result) and "cue-after" in result[-1].basis)
        if result:
            self._last_speaker = result[-1].speaker or self._last_speaker
            if not result[-1].span.closed:
                self._open_quote = result[-1]
        return result

    def _signed_below(self, following: Sequence[str]) -> tuple[Person, str] | None:
        """Who signs a quotation in the first paragraph after it (and its other paragraphs): '– Japan coach Akira
        Nishino on …', 'Novak Djokovic after beating …', 'Great Britain coach, Brian Noble'; and how."""
        for text in following[:_SIGNATURE_REACH]:
            if not text.strip() or text.lstrip()[0] in _QUOTE_MARKS + "‘'":
                continue  # more of the quotation, or a caption between
            if any(mark in text for mark in _QUOTE_MARKS) or len(text) >= 400:
                return None
            signature = _SIGNATURE.match(text) or _ROLE_THEN_NAME.match(text)
            if signature and self._may_speak_on(signature.group("np")) and (
                    signer := self._resolve(signature.group("np"), None)):
                return signer, "signed-below"
            # Where quotations lead ("“…”" then "Goalkeeper Stephen O'Keeffe echoed Shanahan's sentiments."),
            # the one person the narration below names is whose words they were.
            # "Charles Howell III (Even-par (70) …)" heads the quotations below it, not those above.
            if self._quotes_lead and not _NAME_LABEL.match(text) and len(named := self._people_named_in(text)) == 1 and (
                    person := self._resolve(named.pop(), None)):
                return person, "named-below"
            return None
        return None

    def _people_named_in(self, text: str) -> set[str]:
        """The full names of people in a narration, each once ('Stephen O'Keeffe' within 'Goalkeeper Stephen O'Keeffe')."""
        named = {
            name for name in self.full_names
            if re.search(rf"\b{re.escape(name)}\b", text) and name not in self._not_people and could_be_personal_name(name, "")
        }
        return {name for name in named if not any(name != other and name in other for other in named)}

    def _interview_turn(self, text: str) -> AttributedSpan | None:
        """'Q: …' is the interviewer; once an interview has begun, or in a transcript, 'Name: …' is that person's turn."""
        match = _QA_LABEL.match(text) or _TURN_LABEL.match(text)
        if not match:
            return None
        label = match.group("label")
        if label.lower() in {"a", "answer"} and self._in_interview:
            speaker = self._answerer()
        elif label in self._labels:
            self._in_interview = True
            speaker = self._labels[label]
        elif label.lower() in {"q", "question"}:
            self._in_interview = True
            if self._interviewer is None:
                self._interviewer = Person(name=self._interviewer_name or "the interviewer", aliases=["Q"])
                self.people.append(self._interviewer)
            speaker = self._interviewer
        elif self._in_interview and label.lower() not in NOT_SPEAKER_LABELS:
            speaker = self._resolve(label, None)
        else:
            return None
        self._note_mentions(match.group("rest"))
        return AttributedSpan(
            Span(match.start("rest"), len(text), "", closed=True), speaker, "full", turn=True,
            basis="qa-label", confidence=CONFIDENCE["qa-label"],
        )

    def _legend(self, text: str) -> bool:
        """'PM: Peter Mansbridge' above a transcript: the initials that label that person's turns below."""
        match = _LEGEND.match(text.strip())
        if not match or match.group("label") != "".join(word[0] for word in match.group("name").split()):
            return False
        name = match.group("name")
        self._labels[match.group("label")] = self._find(name) or self._introduce(name, None)
        return True

    def _answer_goes_on(self, text: str) -> AttributedSpan | None:
        """An unlabelled paragraph with no quotation marks, right after an answer, is more of that answer."""
        if self._answering is None or any(mark in text for mark in _QUOTE_MARKS):
            return None
        return AttributedSpan(
            Span(0, len(text), "", closed=True), self._answering, "full", turn=True,
            basis="continues-answer", confidence=CONFIDENCE["continues-answer"],
        )

    def _answerer(self) -> Person:
        """Who answers under 'A:': the person the headline or standfirst names, else whom it describes."""
        if self._interviewee is None:
            named = next((name for name in self._named_in_about if name != self._interviewer_name), None)
            if named:
                self._interviewee = self._find(named) or self._introduce(named, None)
            else:
                self._interviewee = Person(name=self._interviewee_description or "the interviewee", described=True)
                learn_gender(self._interviewee, self._interviewee.name)
                self.people.append(self._interviewee)
        return self._interviewee

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
                learn_gender(self._interviewee, self._interviewee.name)
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
        before = text[max(0, span.start - 1 - CLAUSE_REACH): span.start - 1]
        if len(words) <= 3:
            # "“Three weeks,” she said": short, but punctuated and followed at once by its cue;
            # "… he said. “It's over.”": a short sentence of its own.
            after = text[span.end + 1: span.end + 40] if span.closed else ""
            cued = re.search(r"[,!?]$", inner) and re.match(rf"\s*(\S+\s+){{0,3}}({SPEECH_VERBS})\b", after)
            own_sentence = re.search(r"[.!?]$", inner) and inner[0].isupper() and re.search(
                r"(^|[.!?:]\s*)$", text[max(0, span.start - len(span.opener) - CLAUSE_REACH): span.start - len(span.opener)].strip())
            # "the firm said it was “bitterly disappointed”": a few words reported from a speech verb of the
            # same sentence are speech; a title in capitals ("the film “Jaws”") and a scare quote with no verb are not.
            sentence = re.split(r"[.!?]\s", before)[-1]
            reported = not all(word[:1].isupper() for word in words) and (
                REPORTING_VERB.search(sentence[-240:]) or _cue_follows(text, span))
            return bool(cued or own_sentence or reported)
        sentence_like = bool(re.search(r"[.,!?…;:—–-]$", inner)) or not span.closed
        starts_clause = not before.strip() or re.search(r"[:,.]\s*$", before)
        title_case = sum(word[0].isupper() for word in words) >= len(words) - 1 and not sentence_like
        if title_case:
            return False
        if sentence_like or (starts_clause and inner[0].isupper()):
            return True
        # A fragment inside a sentence is speech only when the sentence says someone spoke it.
        sentence = re.split(r"[.!?]\s", before)[-1]
        return bool(REPORTING_VERB.search(sentence[-240:]) or _cue_follows(text, span) or re.search(r"\bthat\s*$", before))

    # Cues

    def _cue_after(self, clause: str) -> Person | None:
        """'…,” said Smith', '…,” she said', '…,” Smith, the mayor, told Reuters', and in a quote collection
        '“…” Roger Black on learning he will …'."""
        if (according := _ACCORDING_TO.search(clause)) and according.start() < 3:
            return self._resolve(according.group("np"), None)
        if (named := _NAME_FIRST.match(clause)) and self._may_speak_on(named.group("np")):
            return self._resolve(named.group("np"), None)
        # "‘…’ – France captain Guilhem Guirado on the red card": a quote collection signing in the same paragraph.
        if (signed := _SIGNATURE.match(clause) or _SURNAME_SIGNATURE.match(clause)) and signed.group("dash") and \
                self._may_speak_on(signed.group("np")):
            return self._resolve(signed.group("np"), None)
        match = SPEECH_VERB.search(clause)
        # "… a “disgrace” as boss Michael O’Leary apologised": a clause of its own, not the quote's cue.
        if not match or match.start() > 120 or _SUBORDINATE.match(clause):
            return None
        left = clause[: match.start()].strip(" ,")
        if not left:
            if match.group(1).lower() in LISTENER_VERBS:
                return None
            noun_phrase, appositive = inverted_subject(clause[match.end():])
            return self._resolve(noun_phrase, appositive) if looks_like_speaker(noun_phrase) else None
        return self._subject(clause[: match.start()])

    def _passive_agent(self, before: str, after: str) -> Person | None:
        """'… his comments, which were branded “demeaning insulting remarks” by the opposition leader Vic Pritchard'."""
        if not (PASSIVE_NAMING.search(before) and (agent := _AGENT.match(after))):
            return None
        noun_phrase = agent.group("np")
        if (named := re.search(rf"(?P<name>{_PRINTED_NAME})$", noun_phrase)) and named.start() > 0:
            # "the opposition leader Vic Pritchard": the name, described by what comes before it.
            return self._resolve(named.group("name"), noun_phrase[:named.start()].strip())
        return self._resolve(noun_phrase, None) if looks_like_speaker(noun_phrase) else None

    def _cue_before(self, clause: str, at: int | None = None) -> Person | None:
        """'Smith said: “…', 'he announced on Monday that “…', 'according to Smith, “…'; ``at``: where the clause
        starts in the narration last read, when it is that narration's end."""
        if according := _ACCORDING_TO.search(clause):
            return self._resolve(according.group("np"), None)
        # The verb nearest the quote governs it: in "Ortiz said his coach told him “you're next”" the coach speaks.
        for match in reversed(list(SPEECH_VERB.finditer(clause))):
            left = clause[: match.start()]
            if _UNSAID.search(left):
                continue  # "Michaud countered that the governor will say “anything …”": said by the one who countered
            if left.strip(" ,"):
                if speaker := self._subject(left, at):
                    return speaker
            elif match.group(1).lower() not in LISTENER_VERBS:
                noun_phrase, appositive = inverted_subject(clause[match.end():])
                if looks_like_speaker(noun_phrase):
                    return self._resolve(noun_phrase, appositive)
        if speaker := self._characterised_by(clause):
            return speaker
        if participle := PARTICIPLE.search(clause):
            return self._participle_subject(clause[:participle.start()])
        # "Statement from Representative Kathleen Rice:": its writer's words follow.
        if clause.rstrip().endswith(":") and (writer := _WRITTEN_BY.search(clause)) and self._may_speak_on(writer.group("np")):
            return self._resolve(writer.group("np"), None)
        # "Jane Doe, writing in the Times: “…”": a name introducing the quote after a colon.
        if clause.rstrip().endswith(":") and (intro := re.match(r"\W*([A-Z][\w’'-]+(?: [A-Z][\w’'-]+)+)", clause)):
            if is_full_name(intro.group(1)):
                return self._resolve(intro.group(1), None)
        return None

    def _characterised_by(self, clause: str) -> Person | None:
        """'Judge William Gaskell described Williams as “clearly a violent man”': who puts words on someone
        speaks them. Only a named subject or a pronoun: 'A JUDGE has described as' names nobody yet."""
        for match in reversed(list(NAMING_VERB.finditer(clause))):
            found = subject_phrase(clause[: match.start()])
            if found and self._may_speak_on(found[0]):
                return self._resolve(*found)
        return None

    def _participle_subject(self, main_clause: str) -> Person | None:
        """Whose words a participle reports: 'Google criticised the proposal, saying it “…”' the sentence's
        subject; 'read out a letter from Evans, saying he had “wrecked” …' the writer's."""
        if (writer := _WRITTEN_BY.search(main_clause)) and self._may_speak_on(writer.group("np")):
            return self._resolve(writer.group("np"), None)
        if not (subject := _CLAUSE_SUBJECT.match(main_clause)):
            return None
        noun_phrase = subject.group("np")
        if self._may_speak_on(noun_phrase) or noun_phrase.lower() == "it" or ORGANISATION_REFERENCE.match(noun_phrase):
            return self._resolve(noun_phrase, None)
        return None

    def _elided_subject(self, before: str, previous: Person | None) -> Person | None:
        """A speech verb with no subject of its own shares one: '… “clearly helpless on the ground.” and said the
        impact had been “significant.”' the previous quote's speaker; 'Williams denied punching him, and said he
        pushed him and “presumed” …' the sentence's subject."""
        if previous and _ELIDED_SUBJECT.match(before):
            return previous
        for match in reversed(list(SPEECH_VERB.finditer(before))):
            left = before[: match.start()]
            if re.search(r"(?:,|\b(?:and|but))\s*$", left) and (subject := _CLAUSE_SUBJECT.match(left)):
                if self._may_speak_on(subject.group("np")):
                    return self._resolve(subject.group("np"), None)
        return None

    def _reported_speaker(self, narration: str, after_cue: bool = False) -> tuple[Person | str | None, str]:
        """Who the narration's last sentence reports as speaking, in indirect speech: 'Mr Clare said Millan owned
        up at the first opportunity.' → Mr Clare. The first speech verb with a subject is the main clause's.
        With the basis a paragraph of quotation after it would carry."""
        reported = "continues-reported"
        text = narration.rstrip().rstrip(".!?…")
        start = len(text) + 1 - len(clause_before(text + " "))
        if after_cue and not text[:start].strip(" ,.!?…"):
            return None, reported
        for match in SPEECH_VERB.finditer(text, start):
            left = text[start: match.start()]
            if not left.strip(" ,") or not (found := subject_phrase(left)):
                continue
            if found[0].lower() in {"he", "she"}:
                # Whom the pronoun stood for where it stands, not after the names the sentence goes on to mention.
                return self._pronoun_at.get(match.start() - len(left) + left.rindex(found[0])) or found[0].lower(), reported
            if self._may_speak_on(found[0]):
                return self._resolve(*found), reported
        # "Brand was delighted with his haul." then a paragraph of quotation: the one the sentence is about speaks.
        # Not a quote collection's signature ("— Belgium coach Roberto Martinez after …").
        if not after_cue and not text.lstrip().startswith(("—", "–", "-")) and (
                subject := _CLAUSE_SUBJECT.match(text[start:])):
            noun_phrase = subject.group("np")
            if noun_phrase.lower() in {"he", "she"}:
                person = self._pronoun_at.get(start + subject.start("np"))
            else:
                person = self._find(noun_phrase)
            if person is not None:
                return person, "continues-subject"
        return None, reported

    def _may_speak_on(self, noun_phrase: str) -> bool:
        """Whether a subject met away from a quote may be given its words: a pronoun, someone already met, a
        person's full name or the surname of one, an organisation the parser named; not 'the company', 'It', or a
        capitalised word that may be a body."""
        name = proper_name(noun_phrase)
        return noun_phrase.lower() in {"he", "she"} or self._find(noun_phrase) is not None or bool(
            name and name not in self._not_people and (
                (len(name.split()) >= 2 and could_be_personal_name(name, "")) or name.replace("’", "'") in self._surnames
                or name in self._organisations))

    def _other_named(self, narration: str, speaker: Person | None) -> bool:
        """Whether narration after a paragraph's last quote names someone besides that quote's speaker:
        '…,” said Smith. Jones, his rival, laughed.' does; '…,” Judge Chettle said in sentencing him.' does not."""
        names = [match.group(0) for pattern in (FULL_NAME, TITLED_NAME) for match in pattern.finditer(narration)]
        return any(speaker is None or self._find(name) is not speaker for name in names)

    def _subject(self, left: str, at: int | None = None) -> Person | None:
        """The subject standing just before a speech verb, past any appositive between commas (``at``: where
        ``left`` starts in the narration last read, if it does)."""
        if _IT_SUBJECT.search(left):
            return self._resolve("it", None)
        found = subject_phrase(left)
        if found and at is not None and found[0].lower() in {"he", "she"}:
            position = at + left.rindex(found[0])
            # "She added that she respected Ms Ardern, but said “…”": whom "She" stood for where it stands, unless
            # the sentence's subject was met again after it, past an object ("Verma praised Modi …, he said, “…”").
            if (then := self._pronoun_at.get(position)) and not any(met > position for met in self._subjects_met_again):
                self._found_by = "pronoun"
                self._see(then)
                return then
        return self._resolve(*found) if found else None

    # People

    def _resolve(self, noun_phrase: str, appositive: str | None) -> Person | None:
        noun_phrase = noun_phrase.strip(" ,.;:")
        if not noun_phrase:
            return None  # '“…” said: “…”': a verb with nothing for its subject but punctuation
        if described := _DESCRIBED_NAME.match(noun_phrase):
            # "said an inconsolable Kausar Bano": the name, described.
            noun_phrase, appositive = described.group("name"), appositive or described.group("description").strip()
        if noun_phrase.lower() in {"he", "she", "they"}:
            self._found_by = "pronoun"
            return self._pronoun(noun_phrase.lower(), speaking=True)
        if (noun_phrase.lower() == "it" or ORGANISATION_REFERENCE.match(noun_phrase)) and (
                organisation := self._organisation(noun_phrase)):
            self._found_by = "organisation"
            return organisation
        if noun_phrase.lower() in {"i", "we", "it"}:
            return None
        # "Singapore's Ministry of Foreign Affairs (MFA) said": the body, whose name is no person's.
        if (body := _POSSESSOR_BEFORE.sub("", noun_phrase)) in self._organisations:
            self._found_by = "organisation"
            return self._named_organisation(body)
        person = self._find(noun_phrase)
        if person is None and proper_name(noun_phrase) in self._not_people:
            return None
        self._found_by = "name" if proper_name(noun_phrase) else "description"
        if person is None and (person := self._by_role(noun_phrase) or self._by_epithet(noun_phrase)):
            self._found_by = "role"
        if person is None:
            person = self._introduce(noun_phrase, appositive)
            self._found_by = "new-name" if not person.described else "description"
        if appositive and not person.described and appositive not in person.aliases:
            person.aliases.append(appositive)
            learn_gender(person, appositive)
        self._see(person)
        return person

    def _pronoun(self, pronoun: str, speaking: bool = False) -> Person | None:
        """The most recent person the pronoun can stand for; their gender is learnt from it.

        A full name met in narration but not yet quoted also counts: when the pronoun is a
        speech cue (``speaking``), that name becomes a person; otherwise it only keeps the gender.
        """
        gender = {"she": "female", "he": "male"}.get(pronoun, "unknown")

        def fits(candidate_gender: Gender, singular: bool, name: str) -> bool:
            # "Prosecutor Victoria Maher told the court that he …": the text has not said she is a woman, her name has.
            candidate_gender = candidate_gender if candidate_gender != "unknown" else _first_name_gender(name)
            return pronoun == "they" or candidate_gender == gender or (candidate_gender == "unknown" and singular)

        recent_first = self._recent_first()
        person = next((
            person for person in recent_first
            if fits(person.gender, could_be_he_or_she(person) and not person.they, person.name)
        ), None)
        unquoted = [
            (entry.seen_at, name) for name, entry in self._seen_names.items()
            if fits(entry.gender, True, name) and not self._find(name)
        ]
        if person is None and not unquoted and speaking:
            # "But Cllr Bobby Feeley complained … She said:": a first name only suggests a sex the text has not
            # given; when nobody else fits, the text has the last word.
            person = next((
                person for person in recent_first if person.gender == "unknown" and not person.described
                and could_be_he_or_she(person) and not person.they
            ), None)
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

    def _recent_first(self) -> list[Person]:
        """The people met so far, the most recently seen first."""
        return sorted(self.people, key=lambda p: p.last_seen, reverse=True)

    def _find(self, noun_phrase: str) -> Person | None:
        if _ANOTHER.match(noun_phrase):
            # "One neighbour said … Another neighbour said": someone new, met only under these very words.
            return next((person for person in self._recent_first()
                         if person.described and person.name.lower() == noun_phrase.lower()), None)
        name = proper_name(noun_phrase)
        key = description_key(noun_phrase)
        said = gender_said_by(noun_phrase)
        for person in self._recent_first():
            if not _same_sex(said, person.gender):
                continue
            if name and not person.described and (name == person.name or name in person.aliases):
                return person
            if not name and key and (
                key == description_key(person.name)
                or any(key == description_key(alias) for alias in person.aliases)
                # "the group" is not "the group’s chief executive": a possessor is someone else.
                or any(re.search(rf"\b{re.escape(key)}\b(?![’']s)", alias.lower()) for alias in person.aliases)
            ):
                return person
        return None

    def _by_role(self, noun_phrase: str) -> Person | None:
        """'The nurse says …' after 'Leah Morgan, a 34-year-old nurse, …': the named person of that role."""
        if not noun_phrase.lower().startswith("the "):
            return None
        key = description_key(noun_phrase)
        for name, entry in sorted(self._seen_names.items(), key=lambda item: item[1].seen_at, reverse=True):
            if entry.appositive and re.search(rf"\b{re.escape(key)}\b", entry.appositive.lower()) and not self._find(name):
                person = self._introduce(name, None)
                person.aliases.extend([entry.appositive, noun_phrase])
                learn_gender(person, entry.appositive)
                return person
        return None

    def _by_epithet(self, noun_phrase: str) -> Person | None:
        """'The pensioner said …', 'the 46-year-old added': news names a person it has just named by what
        they are. The most recent named person whose gender fits is meant."""
        match = EPITHET.match(noun_phrase.strip())
        if not match:
            return None
        said = gender_said_by(noun_phrase)
        fits = {said, "unknown"} if said != "unknown" else {"female", "male", "unknown"}
        # "the judge" is Judge Ann Price, whoever was named since: someone the text gave that word first.
        noun = re.compile(rf"\b{re.escape(match.group(1))}\b", re.IGNORECASE)
        if titled := next((
            person for person in self._recent_first()
            if not person.described and any(noun.search(spelled_out(alias)) for alias in person.aliases)
        ), None):
            return titled
        # "the young man" is not Judge Sanchia Burrell, named since: someone known by an office is called by it.
        office = match.group(1).lower() in OFFICE_TITLES
        person = next((
            person for person in self._recent_first()
            if not person.described and not self._is_organisation(person) and person.gender in fits
            and (office or not _holds_office(person))
        ), None)
        # "Liam Rosenior's side won … 'We wore them down,' the Hull boss said": named, not yet quoted.
        unquoted = [
            (entry.seen_at, name) for name, entry in self._seen_names.items() if entry.gender in fits and not self._find(name)
        ]
        if unquoted and max(unquoted)[0] > (person.last_seen if person else 0):
            person = self._introduce(max(unquoted)[1], None)
        if person is not None and noun_phrase not in person.aliases:
            person.aliases.append(noun_phrase)
            if person.gender == "unknown":
                person.gender = said
        return person

    def _introduce(self, noun_phrase: str, appositive: str | None) -> Person:
        name = proper_name(noun_phrase)
        seen = None
        # "Sir Stuart" is a first name, and so is "Sheila" after "Sheila Gilmore" when it is no one's surname.
        first_name = name if name and " " not in name and (
            title_of(noun_phrase) in _FIRST_NAME_TITLES
            or (name.replace("’", "'") not in self._surnames and _first_name_gender(name) != "unknown")) else None
        if name and " " not in name:
            # "Marsh:" after "Ida Marsh has published …": the full name as first given; "Sir Stuart" is Stuart Rose.
            said = gender_said_by(noun_phrase)

            def fuller(full: str) -> bool:
                if not (full.startswith(f"{name} ") if first_name else full.endswith(f" {name}")):
                    return False
                known = next((person.gender for person in self.people if person.name == full), _first_name_gender(full))
                return _same_sex(said, known)

            full = [(entry.seen_at, full) for full, entry in self._seen_names.items() if fuller(full)]
            elsewhere = {full for full in self.full_names if fuller(full) and len(full.split()) == 2}
            if full:
                seen = self._seen_names[max(full)[1]]
                name = max(full)[1]
            elif len(elsewhere) == 1:
                # Named in full only in the headline, or further on: still one person with one name.
                name = elsewhere.pop()
        elif name in self._seen_names:
            seen = self._seen_names[name]
        title = title_of(noun_phrase)
        role = next((
            # "A Waterford judge" too: the description's last word is the title.
            p for p in self.people if p.described and title and description_key(p.name).split()[-1:] == [title.lower()]
        ), None) if name and " " in name else None
        if role:
            # "the mayor" quoted earlier, now "Mayor Ana Ruiz": one person, known from here on by name.
            role.aliases = [alias for alias in (role.name, *role.aliases) if alias != name]
            role.name, role.described = name, False
            if name.split()[-1] not in role.aliases:
                role.aliases.append(name.split()[-1])
            learn_gender(role, noun_phrase)
            return role
        if name:
            person = Person(name=name, gender=seen.gender if seen else "unknown")
            surname = name.split()[-1]
            # When two people share a surname ("Tom Reid", "Morag Reid"), the bare surname stays the first's.
            surname_taken = any(surname in other.aliases for other in self.people)
            for alias in (None if surname_taken else surname, noun_phrase, title_of(noun_phrase), first_name):
                if alias and alias != name and alias not in person.aliases:
                    person.aliases.append(alias)
        else:
            description = DETERMINERS.sub("", noun_phrase.strip())
            # "a teacher from Stepanakert" is also "the teacher from Stepanakert", or "the teacher", later on.
            person = Person(name=noun_phrase, described=True, aliases=[f"the {description}", description.split()[0]])
        learn_gender(person, noun_phrase)
        person.they = name in self._organisations
        self.people.append(person)
        return person

    def _organisation(self, noun_phrase: str) -> Person | None:
        """Whom 'it', 'the company' or 'the statement' stands for: the organisation last named whose name has the
        noun ('the council' after 'Moray Council'), else the last named, else the first the headline names."""
        reference = ORGANISATION_REFERENCE.match(noun_phrase)
        noun = (reference.group("noun") or "").lower() if reference else ""
        named = sorted(self._organisation_seen, key=self._organisation_seen.__getitem__, reverse=True)
        named = named or self._organisations_about
        if not named:
            return None
        return self._named_organisation(next((name for name in named if noun and noun in name.lower()), named[0]))

    def _named_organisation(self, name: str) -> Person:
        """The body the parser named (a key of ``_organisations``), as a speaker, met now."""
        person = self._find(name)
        if person is None:
            # "Cathay" and "Cathay Pacific" are one body.
            shorter = [other for other in self._organisations if other != name and re.search(rf"\b{re.escape(other)}\b", name)]
            person = Person(name=self._organisations[name], aliases=[name, *shorter], they=True)
            self.people.append(person)
        self._see(person)
        return person

    def _see(self, person: Person) -> None:
        self._clock += 1
        person.last_seen = self._clock
        if self._is_organisation(person):
            self._organisation_seen[_DEFINITE.sub("", person.name)] = self._clock

    def _is_organisation(self, person: Person) -> bool:
        return _DEFINITE.sub("", person.name) in self._organisations

    def _note_mentions(self, narration: str) -> None:
        """Bring people mentioned in narration forward in recency; introduce titled names; bind pronouns."""
        self._pronoun_at = {}
        events: list[tuple[float, str, str]] = []
        for match in TITLED_NAME.finditer(narration):
            # "Mr. President" names nobody; "Taoiseach Enda Kenny’s office" is his office, not him speaking.
            if match.group("name") not in NAME_PREFIXES and not match.group(0).endswith(("’s", "'s")):
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
                    if narration.startswith(("’s", "'s"), match.end()):
                        continue  # "Saraki’s position": his position is the topic, not him
                    events.append((match.start(), "known", alias))
        for match in self._organisation_pattern.finditer(narration) if self._organisation_pattern else ():
            events.append((match.start(), "organisation", match.group(0)))
        for match in _PRONOUN.finditer(narration):
            pronoun = (match.group(1) or match.group(2)).lower()
            events.append((match.start(), "pronoun", {"his": "he", "her": "she"}.get(pronoun, pronoun)))
        # "Her husband, Omar, agrees": a one-word name after a relation is a person, of the relation's gender.
        # "Dana Price’s 12-year-old son, Leo, …" too: the possessor is not the one named.
        # "Mr Patel’s wife Ranjan", "Helen’s 21-year-old sister Dorothy": a relative's name needs no commas.
        for match in [*_NAMED_RELATION.finditer(narration), *_NAMED_RELATIVE.finditer(narration)]:
            name = match.group("name")
            self._seen_appositives[name] = match.group(0)[:match.start("name") - match.start()].strip(" ,")
            events.append((match.start("name"), "seen", name))
        for match in FULL_NAME.finditer(narration):
            # Only names in subject position ("Tom Reid climbs …", "His daughter, Morag Reid, …") can be a
            # later pronoun's antecedent; "… between Azerbaijanis and Karabakh Armenians" cannot.
            lead = re.split(r"[.!?,]\s+", narration[max(0, match.start() - CLAUSE_REACH): match.start()])[-1].split()
            # "Malvern Hills district councillor Marian Walters attempted …": a longer lead ending in a role is still
            # the subject's own.
            role_lead = len(lead) <= 7 and lead[-1:] and lead[-1].capitalize() in NAME_PREFIXES
            subject_position = (len(lead) <= 3 or role_lead) and not any(word.lower() in NOT_ROLE_WORDS for word in lead)
            following = narration[match.end():match.end() + 8]
            # "… for former pupil Tracie Crascall, who has had three generations …": the person the story turns to.
            subject_position = subject_position or following.startswith((", who ", ", whose "))
            if following.startswith(("’s", "'s")):
                continue  # a possessor ("Dana Price’s son"), not the subject a later pronoun stands for
            if subject_position and could_be_personal_name(match.group(0), following) \
                    and match.group(0) not in self._not_people and match.group(0) not in self._organisations:
                # "Magistrate Peter Mithen" is Peter Mithen: a role before the name is no part of it.
                name = proper_name(match.group(0)) or match.group(0)
                events.append((match.start(), "seen", name))
                if appositive := re.match(r",\s*((?:a|an|the|his|her|their)\s[^,]{3,90}?|[a-z][^,]{3,90}?),", narration[match.end():]):
                    self._seen_appositives[name] = appositive.group(1)
        for match in self._surname_pattern.finditer(narration) if self._surname_pattern else ():
            lead = re.split(r"[.!?,]\s+", narration[max(0, match.start() - CLAUSE_REACH): match.start()])[-1].split()
            if not lead or (len(lead) == 1 and lead[0].lower() in _SENTENCE_LINKS):  # "Rosenior was …", "But Rosenior …"
                events.append((match.start(), "seen", self._surnames[match.group(0).replace("’", "'")]))
        # "Council leader Peter Vance said the result …": indirect speech introduces its speaker too.
        for match in SPEECH_VERB.finditer(narration):
            found = subject_phrase(clause_before(narration[max(0, match.start() - CLAUSE_REACH): match.start()]))
            # Not "A MAN who claimed …" (the verb of a clause describing him), nor "A reporter has been told" (the
            # listener).
            if found and found[0].lower() not in {"he", "she", "they"} and not _NOT_SPEAKING.search(found[0]):
                # "a KPT official said that …" (or "A spokesman for … said", opening a sentence) is someone too,
                # whom "the official" or "he" may later quote; not one that
                # describes a name before it ("Benedict Barboza, a 49-year-old accountant, also known as Ben, posted").
                described = re.match(r"(?:a|an)\s", found[0], re.IGNORECASE) and not found[1] and not (
                    ORGANISATION_REFERENCE.match(found[0]))
                # "the young man recounted …": the person the text calls so, met again or met now.
                kind = "described" if described else "epithet" if EPITHET.match(found[0]) else "subject"
                events.append((match.start() - 1, kind, found[0]))
        again = _subjects_again(narration, events)
        self._subjects_met_again = [position for position, _, _ in again]
        events.extend(again)
        for position, kind, words in sorted(events):
            if kind == "again" and (person := self._find(words)):
                self._see(person)  # "Howard" again, who has spoken: the person, not only the name
            elif kind == "again":
                self._clock += 1
                self._seen_names[words].seen_at = self._clock
            elif kind == "seen":
                self._clock += 1
                appositive = self._seen_appositives.get(words)
                seen = SeenName(self._clock, appositive=appositive)
                if appositive:
                    seen.gender = gender_said_by(appositive)
                self._seen_names[words] = seen
            elif kind == "organisation":
                self._clock += 1
                self._organisation_seen[words] = self._clock
            elif kind == "pronoun":
                self._pronoun_at[position] = self._pronoun(words)
            elif kind == "described":
                self._see(self._find(words) or self._introduce(words, None))
            elif kind == "epithet":
                self._see(self._find(words) or self._by_epithet(words) or self._introduce(words, None))
            elif kind == "subject" and ORGANISATION_REFERENCE.match(words) and words.lower() not in ("it", "its"):
                self._organisation(words)  # "the ministry revealed …": the body "it" will stand for next
            elif kind == "subject":
                # Narration names many subjects (countries, "the authorities"); only a full name is a new person.
                if person := self._find(words) or (self._introduce(words, None) if is_full_name(words) else None):
                    self._see(person)
            elif person := self._find(words) if kind == "known" else (self._find(words) or self._introduce(words, None)):
                if kind == "titled" and not person.described:
                    learn_gender(person, words)  # "Mr Howard" after "John Howard": a man
                self._see(person)

    def _fill_gaps(
        self, speakers: list[Person | None], bases: list[str], pieces: list[str], carried_on: Person | None,
        carried_basis: str,
    ) -> tuple[list[Person | None], list[str]]:
        """Quotes with no cue of their own take the speaker of their sentence ("saying he had “wrecked” his life and
        that he “hated himself”"), else of their paragraph, else the one the paragraph carries on from, else the
        last one heard."""
        known = [speaker for speaker in speakers if speaker]
        filled: list[Person | None] = []
        filled_bases: list[str] = []
        for index, (speaker, basis) in enumerate(zip(speakers, bases)):
            if speaker is None:
                earlier = next((s for s in reversed(filled) if s), None)
                later = next((s for s in speakers[index + 1:] if s), None)
                speaker = earlier or later or (known[0] if known else None)
                same_sentence = index > 0 and speaker is filled[-1] and not sentence_breaks(pieces[index])
                basis = ("same-sentence" if same_sentence else "same-paragraph") if speaker else basis
            if speaker is None and carried_on:
                speaker, basis = carried_on, carried_basis
            if speaker is None and self._last_speaker:
                speaker, basis = self._last_speaker, "previous-paragraph"
            filled.append(speaker or self._unidentified())
            filled_bases.append(basis)
        return filled, filled_bases

    def _unidentified(self) -> Person:
        """Who speaks a quote no cue explains: still a voice apart from the narrator's, so it is heard as a quote."""
        # Kept apart from the people the text names, so no pronoun, role or name is ever resolved to it.
        if self._nobody is None:
            self._nobody = Person(name="an unidentified speaker", described=True)
        return self._nobody


def _subjects_again(narration: str, events: list[tuple[float, str, str]]) -> list[tuple[float, str, str]]:
    """The subject of each sentence with a named object ("Harlow accused Mendes of …", "Okafor told Doyle"), met
    again at the sentence's end: a pronoun inside the sentence may mean the object, one after it the subject."""
    named = sorted(event for event in events if event[1] in ("seen", "known", "titled"))
    if len(named) < 2:
        return []  # no subject and object to tell apart
    ends = [match.end() for match in sentence_breaks(narration)] + [len(narration)]
    again = []
    for position, _, _ in named:
        verb = re.search(r"\b([a-z]+)\s+$", narration[max(0, int(position) - 40): int(position)])
        if not verb or not (verb.group(1).endswith("ed") or verb.group(1) in OBJECT_VERBS):
            continue
        end = next(end for end in ends if end > position)
        start = max([0, *(end for end in ends if end <= position)])
        if subject := next((event for event in named if start <= event[0] < position), None):
            again.append((end - 0.5, "again" if subject[1] == "seen" else subject[1], subject[2]))
    return again


def _introduces_next(between: str, index: int, spans: Sequence[Span]) -> bool:
    """Whether the words between a quote and the next are a sentence of their own introducing the next one
    ('“…” Dr Scamps replied: “…”'), not the end of the first one's ('“…,” he said, before adding: “…”')."""
    return index + 1 < len(spans) and bool(_INTRODUCTION.match(between))


def _holds_office(person: Person) -> bool:
    """Whether the text has given the person an office's title ("Judge Burrell", "Mayor Ana Ruiz")."""
    return any((title_of(alias) or "").lower() in OFFICE_TITLES for alias in (person.name, *person.aliases))


def _same_sex(said: Gender, gender: Gender) -> bool:
    """Whether what words say of someone fits a person of this gender: "Mrs Patel" is not Mr Patel, whose surname
    she shares."""
    return "unknown" in (said, gender) or said == gender


def _could_be_first_name(word: str) -> bool:
    """'Tom', or initials ('JP McMahon'): a name the parser calls an organisation may still be a person's."""
    return bool(first_name_genders(word)) or bool(re.fullmatch(r"[A-Z]{1,3}\.?", word))


def _leading_description(text: str) -> str | None:
    match = INTERVIEWEE.match(text.strip())
    return match.group(1) if match else None


def _first_name_gender(name: str) -> Gender:
    """What a name's first name says ('female' for Victoria Maher, Celia or Sharon; nothing for Jo or Sam Reid)."""
    words = name.split()
    # Only a capitalised word: those the analysis has asked the list about already ("a teacher" would read it whole).
    codes = first_name_genders(words[0]) if words and words[0][:1].isupper() else set()
    # A woman's (or a man's) name somewhere and nowhere a man's or a unisex one; leaning the other way in some
    # country ("Sharon": F, ?M) does not count against it.
    if codes & {"F", "1F"} and not codes & {"M", "1M", "?"}:
        return "female"
    if codes & {"M", "1M"} and not codes & {"F", "1F", "?"}:
        return "male"
    return "unknown"


def _is_transcript(whole: str) -> bool:
    """'Braviere: …' / 'Samuels: …' from the first paragraph: an interview printed as a transcript, whose
    turns are labelled with names, two or more of them each more than once."""
    labels = Counter(
        match.group("label") for line in whole.splitlines()
        if (match := _TURN_LABEL.match(line.strip())) and match.group("label").lower() not in NOT_SPEAKER_LABELS
    )
    return sum(1 for count in labels.values() if count >= 2) >= 2


def _cue_follows(text: str, span: Span) -> bool:
    """'… suffered an “unspeakable tragedy”, a coroner said.': a reporting clause after a comma ends the sentence."""
    following = text[span.end + (1 if span.closed else 0):]
    return following.startswith(",") and bool(REPORTING_VERB.search(clause_after(following)))


def _confidence(basis: str) -> float:
    """'cue-after:pronoun' is as sure as its resolution; a cue's place matters less than how it named them."""
    return CONFIDENCE[basis.rsplit(":", 1)[-1]]

