"""Score a script against a hand-checked answer key (*.gold.json): the quality gate for understanding articles.

The key's conventions are in its `notes` field: one entry per quoted span, speakers by
canonical name, captions once with their credit, pull quotes and boilerplate not read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audiobook.script.quotes import normalise_for_match

UNIDENTIFIED = "an unidentified speaker"


@dataclass(frozen=True)
class Scores:
    quotes: int
    found: int
    """Gold quotes that a quote segment matches."""
    attributed: int
    """Gold quotes matched by a segment whose speaker is the right person."""
    quote_segments: int
    real_quote_segments: int
    """Spoken quote segments that match some gold quote."""
    wrong_named: int
    """Gold quotes matched by a segment voiced as a named wrong person (not the unidentified speaker)."""
    people: int
    """Gold speakers with at least one quote found."""
    people_in_one_voice: int
    """Of those, speakers whose found quotes all go to one speaker of ours that voices nobody else."""
    genders_known: int
    genders_right: int
    captions_right: bool
    pull_quotes_silent: bool
    boilerplate_silent: bool
    boilerplate_lines: int
    boilerplate_lines_silent: int
    story_lines_silenced: int
    """Lines silenced as page chrome that the key does not call chrome: story lost to buy chrome silenced."""
    header_right: bool
    problems: tuple[str, ...]
    outcomes: tuple[tuple[str, str], ...] = ()
    """(basis, 'right' | 'wrong' | 'unidentified') for each quote found: how well each way of attributing does."""

    @property
    def recall(self) -> float:
        return self.found / self.quotes if self.quotes else 1.0

    @property
    def attribution(self) -> float:
        return self.attributed / self.quotes if self.quotes else 1.0

    @property
    def precision(self) -> float:
        return self.real_quote_segments / self.quote_segments if self.quote_segments else 1.0


def score(document: dict[str, Any], gold: dict[str, Any]) -> Scores:
    """Compare `audiobook script --json` output with an answer key."""
    problems: list[str] = []
    speakers = {speaker["id"]: speaker for speaker in document["speakers"]}
    segments = [segment for segment in document["segments"] if segment["role"] == "quote" and segment["spoken"]]
    used: set[int] = set()
    found = attributed = wrong_named = 0
    voiced_as: dict[str, set[str | None]] = {}
    outcomes: list[tuple[str, str]] = []
    for entry in gold["quotes"]:
        match = _best_match(entry["text"], segments, used)
        if match is None:
            problems.append(f"quote not found: {entry['text'][:60]!r}")
            continue
        used.add(match)
        found += 1
        speaker = speakers.get(segments[match]["speaker"])
        voiced_as.setdefault(entry["speaker"], set()).add(speaker["id"] if speaker else None)
        right = bool(speaker and _same_person(speaker, entry["speaker"], gold.get("speakers", [])))
        unidentified = not right and (not speaker or speaker["name"] == UNIDENTIFIED)
        outcomes.append((segments[match].get("basis", ""), "right" if right else "unidentified" if unidentified else "wrong"))
        if right:
            attributed += 1
        else:
            wrong_named += bool(speaker and speaker["name"] != UNIDENTIFIED)
            problems.append(
                f"quote {entry['text'][:40]!r} given to {speaker['name'] if speaker else None!r}, not {entry['speaker']!r}"
                f" ({segments[match].get('basis', '')})"
            )
    people_in_one_voice = sum(
        1 for name, ids in voiced_as.items()
        if len(ids) == 1 and None not in ids
        and not any(ids & other for other_name, other in voiced_as.items() if other_name != name)
    )
    real = sum(1 for index, segment in enumerate(segments) if index in used or _is_gold_quote(segment, gold))
    for index, segment in enumerate(segments):
        if index not in used and not _is_gold_quote(segment, gold):
            problems.append(f"not a quote: {segment['text'][:60]!r}")

    genders_known = genders_right = 0
    for gold_speaker in gold.get("speakers", []):
        if gold_speaker["gender"] == "unknown":
            continue
        genders_known += 1
        # Of a person split over two names, the one the key calls them by carries their gender.
        ours = next((s for s in speakers.values() if _same_person(s, gold_speaker["name"], [])), None) or next(
            (s for s in speakers.values() if _same_person(s, gold_speaker["name"], gold["speakers"])), None)
        if ours and ours["gender"] == gold_speaker["gender"]:
            genders_right += 1
        else:
            problems.append(f"gender of {gold_speaker['name']!r}: {ours['gender'] if ours else 'no speaker'}")

    captions = [segment for segment in document["segments"] if segment["role"] == "caption" and segment["spoken"]]
    captions_right = len(captions) == len(gold.get("captions", [])) and all(
        any(_same_words(c["text"], g["text"]) and (c["credit"] or "") == (g["credit"] or "") for c in captions)
        for g in gold.get("captions", [])
    )
    if not captions_right:
        problems.append(f"captions: {[(c['text'][:30], c['credit']) for c in captions]}")
    pull_quotes_silent = all(
        any(s["role"] == "pull_quote" and not s["spoken"] and _same_words(s["text"], text) for s in document["segments"])
        for text in gold.get("pull_quotes", [])
    )
    if not pull_quotes_silent:
        problems.append("a pull quote is read aloud or missing")
    chrome = gold.get("boilerplate", [])
    chrome_silent = 0
    every_segment = document["segments"]
    for text in chrome:
        silenced = any(s["role"] == "boilerplate" and not s["spoken"] and _same_words(s["text"], text) for s in every_segment)
        heard = any(s["spoken"] and _heard_in(text, s["text"]) for s in every_segment)
        if silenced and not heard:
            chrome_silent += 1
        else:
            problems.append(f"chrome read aloud or missing: {text[:60]!r}")
    boilerplate_silent = chrome_silent == len(chrome)
    story_silenced = _story_silenced(document, gold)
    problems.extend(f"story silenced as chrome: {text[:60]!r}" for text in story_silenced)
    header_right = (
        document["title"] == gold["title"] and document["date"] == gold.get("date")
        and _same_words(document["subtitle"] or "", gold.get("subtitle") or "")
    )
    if not header_right:
        problems.append(f"header: {document['title']!r} / {document['subtitle']!r} / {document['date']!r}")
    return Scores(
        len(gold["quotes"]), found, attributed, len(segments), real, wrong_named, len(voiced_as), people_in_one_voice,
        genders_known, genders_right,
        captions_right, pull_quotes_silent, boilerplate_silent, len(chrome), chrome_silent, len(story_silenced), header_right,
        tuple(problems),
        tuple(outcomes),
    )


def article_for(key: Path) -> Path:
    """The article an answer key belongs to: the file beside it with the same name and another suffix."""
    stem = key.name.removesuffix(".gold.json")
    return next(path for path in key.parent.glob(f"{stem}.*") if not path.name.endswith(".gold.json"))


def score_key(key: Path, cautious: bool = False) -> Scores:
    """Understand the key's article as `audiobook script --json` (with ``--cautious``) would, and score it."""
    from audiobook.api import Options, prepare
    from audiobook.script.scriptfile import script_to_json

    prepared = prepare(str(article_for(key)), Options(cautious=cautious))
    return score(script_to_json(prepared.script, prepared.cast), json.loads(key.read_text()))


def _best_match(text: str, segments: list[dict], used: set[int]) -> int | None:
    wanted = normalise_for_match(text)
    best, best_overlap = None, 0.0
    for index, segment in enumerate(segments):
        if index in used:
            continue
        overlap = _overlap(wanted, normalise_for_match(segment["text"]))
        if overlap > best_overlap:
            best, best_overlap = index, overlap
    return best if best_overlap >= 0.8 else None


def _overlap(first: str, second: str) -> float:
    """Token overlap, as the key's notes allow: shared words over the longer span's words."""
    a, b = first.split(), second.split()
    if not a or not b:
        return 0.0
    shared = sum(min(a.count(word), b.count(word)) for word in set(a))
    return shared / max(len(a), len(b))


def _is_gold_quote(segment: dict, gold: dict) -> bool:
    words = normalise_for_match(segment["text"])
    return any(_overlap(words, normalise_for_match(entry["text"])) >= 0.8 for entry in gold["quotes"])


def _same_person(speaker: dict, gold_name: str, gold_speakers: list[dict]) -> bool:
    names = [speaker["name"], *speaker.get("aliases", [])]
    wanted = normalise_for_match(gold_name)
    ours = normalise_for_match(speaker["name"])
    # "Ministry of Foreign Affairs" for "Singapore's Ministry of Foreign Affairs": the owner said, the body the same.
    unowned = re.sub(r"^\S+['’]s? ", "", wanted)
    return ours in (wanted, unowned) or ours in _own_aliases(gold_name, gold_speakers) or (
        # "a teacher from Stepanakert" and "the teacher from Stepanakert" name the same person.
        wanted.split()[0] in {"a", "an", "the"} and any(
            normalise_for_match(name).split()[1:] == wanted.split()[1:] for name in names
        )
    )


def _own_aliases(gold_name: str, gold_speakers: list[dict]) -> set[str]:
    """What the key says the person is also called ('Judge Bozarth' for 'Bozarth'), less what it also calls another."""
    def aliases(entry: dict) -> set[str]:
        return {normalise_for_match(alias) for alias in entry.get("aliases", [])}
    own = set().union(*(aliases(entry) for entry in gold_speakers if entry["name"] == gold_name))
    return own.difference(*(aliases(entry) for entry in gold_speakers if entry["name"] != gold_name))


def _story_silenced(document: dict[str, Any], gold: dict[str, Any]) -> list[str]:
    """Our silent chrome that the key calls neither chrome nor a repeat of the header or of a caption
    (a byline printed twice may be silenced either way): story the listener does not hear."""
    chrome = {normalise_for_match(text) for text in gold.get("boilerplate", [])}
    header = [normalise_for_match(text) for text in (gold["title"], gold.get("subtitle"), gold.get("byline")) if text]
    captions = [normalise_for_match(caption["text"]) for caption in gold.get("captions", [])]

    def repeats_header(words: str) -> bool:
        # 'By Rachel Cunningham' repeats the byline 'Rachel Cunningham'; a piece of the title repeats it;
        # a slideshow's '1 of 2 | caption | License Photo' repeats a caption.
        return any(words in part or (part in words and len(words.split()) <= len(part.split()) + 2) for part in header) \
            or any(caption in words for caption in captions)

    return [
        segment["text"] for segment in document["segments"]
        if segment["role"] == "boilerplate" and not segment["spoken"]
        and (words := normalise_for_match(segment["text"])) not in chrome and not repeats_header(words)
    ]


def _heard_in(chrome: str, spoken: str) -> bool:
    """Whether a chrome line is read aloud in a spoken segment: as the segment itself, or run into it.
    A line of a word or two ('on', 'Share') is heard only as a segment of its own: inside a sentence
    those words are the sentence's."""
    words, heard = normalise_for_match(chrome), normalise_for_match(spoken)
    return words == heard or (len(words.split()) >= 3 and f" {words} " in f" {heard} ")


def _same_words(first: str, second: str) -> bool:
    return normalise_for_match(first) == normalise_for_match(second)
