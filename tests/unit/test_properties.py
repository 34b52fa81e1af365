"""Property-based tests: generated and mutated articles, script files and correction files give a
result or an AudiobookError (one line at the CLI), never another exception."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from audiobook.api import Options, prepare
from audiobook.casting.profile import load_profile
from audiobook.errors import AudiobookError
from audiobook.extract import extract
from audiobook.script.build import build_script
from audiobook.script.overrides import apply, load_overrides
from audiobook.script.scriptfile import script_from_json, script_to_json

from ..helpers import FIXTURES, SHORT

# Fixed seeds and no example database: CI runs the same cases every time and writes nothing to the checkout.
CASES = settings(derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def cases(count: int) -> settings:
    return settings(CASES, max_examples=count)

# The pieces articles are made of, hostile ones included.
PIECES = [
    "“", "”", "‘", "’", '"', "'", "«", "»", "„", "‹", "›", "「", "」",
    "said", "says", "told Reuters", "according to", "she said", "he added", "they said", "Q:", "A:", "Marsh:",
    "Dr.", "Mr", "Mayor", "Ana Ruiz", "Tom Reid", "a teacher from Stepanakert", "the teacher", "Her husband, Omar,",
    ",", ".", ":", "?", "!", "…", "—", "-", "(", ")", "/", "©", "Photo:", "Ab.", "U.S.", "No. 10", "£1.2m", "1990s",
    "#", "##", "*", "**", ">", "- ", "1.", "[link](http://example.org)", "`code`", "---", "<p>", "</p>", "<h1>",
    "<article>", "<img alt='x'>", "<figcaption>", "<!--", "-->", "<script>", "&amp;", "&#0;", "\x00", "\x1b", "\ufeff",
    "\ufffe", "\u200b", "\u202e", "é", "ß", "İ", "ﬁ", "🎙️", "日本語", "العربية", " ", "  ", "\t", "\r", "\n", "\n\n",
]
word = st.one_of(st.sampled_from(PIECES), st.text(max_size=8))
paragraph = st.lists(word, max_size=40).map(" ".join)
article_text = st.lists(paragraph, min_size=0, max_size=8).map("\n\n".join)
FORMATS = {
    "plain": lambda body: f"A title for the story\n\n{body}\n",
    "markdown": lambda body: f"# A title for the story\n\n{body}\n",
    "html": lambda body: f"<html><head><title>A title</title></head><body><article><h1>A title</h1><p>{body}</p></article></body></html>",
}
FIXTURE_TEXTS = [path.read_text() for path in sorted(FIXTURES.glob("*")) if path.suffix in (".txt", ".md", ".html")]


def _understood_or_refused(text: str) -> None:
    try:
        build_script(extract(text, label="generated"))
    except AudiobookError:
        pass


@given(body=article_text, form=st.sampled_from(sorted(FORMATS)))
@cases(600)
def test_generated_articles_are_understood_or_refused(body, form):
    _understood_or_refused(FORMATS[form](body))


@st.composite
def mutated_fixture(draw) -> str:
    text = draw(st.sampled_from(FIXTURE_TEXTS))
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 200)))
        action = draw(st.sampled_from(["delete", "insert", "duplicate"]))
        if action == "delete":
            text = text[:start] + text[end:]
        elif action == "insert":
            text = text[:start] + draw(word) + text[start:]
        else:
            text = text[:end] + text[start:end] + text[end:]
    return text


@given(text=mutated_fixture())
@cases(300)
def test_mutated_real_articles_are_understood_or_refused(text):
    _understood_or_refused(text)


# Script files

PROFILE = load_profile()
_prepared = prepare(str(SHORT))
SCRIPT = script_to_json(_prepared.script, _prepared.cast, _prepared.lexicon)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
    | st.sampled_from(["", "quote", "narrator", "anna-fischer", "2024-02-30", "\ud800", "female"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


@st.composite
def mutated_script(draw) -> str:
    document = json.loads(json.dumps(SCRIPT))
    for _ in range(draw(st.integers(1, 4))):
        target, key = _random_place(draw, document)
        if draw(st.booleans()) and isinstance(target, dict) and key in target:
            del target[key]
        elif isinstance(target, dict) or (isinstance(target, list) and key < len(target)):
            target[key] = draw(json_value)
    return json.dumps(document, ensure_ascii=draw(st.booleans()))


def _random_place(draw, document):
    target, key = document, draw(st.sampled_from(sorted(document)))
    while isinstance(target[key], (dict, list)) and target[key] and draw(st.booleans()):
        target = target[key]
        key = draw(st.sampled_from(sorted(target))) if isinstance(target, dict) else draw(st.integers(0, len(target) - 1))
    return target, key


# Texts the generators above cannot make: the parser's own limits.
HOSTILE_JSON = ['{"title": ' + "9" * 5000 + "}", "[" * 5000 + "]" * 5000, '{"segments": "\\ud800"}', "\ufeff{}"]


def _script_or_refused(text: str) -> None:
    try:
        script, cast = script_from_json(text, PROFILE, "ep.json")
    except AudiobookError:
        return
    for segment in script.segments:
        cast.voice_for(segment)
    json.dumps(script_to_json(script, cast)).encode()  # what was accepted can be written back


@given(text=mutated_script())
@cases(600)
def test_mutated_script_files_are_read_or_refused(text):
    _script_or_refused(text)


@given(text=st.one_of(st.text(max_size=60), json_value.map(json.dumps), st.sampled_from(HOSTILE_JSON)))
@cases(300)
def test_any_json_or_text_as_a_script_file_is_read_or_refused(text):
    _script_or_refused(text)


# Correction files

toml_key = st.one_of(st.sampled_from(["Tom Brennan", "Anna Fischer", "Riverside", "", " ", "Mayor"]), st.text(max_size=10))
toml_scalar = st.one_of(st.text(max_size=20), st.integers(), st.booleans(), st.sampled_from(["", "…", "I have never", "neutral-1"]))


def _toml_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid TOML basic string for what the generators make


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int) else _toml_string(value)


@st.composite
def corrections_file(draw) -> str:
    lines: list[str] = []
    for table in draw(st.lists(st.sampled_from(["rename", "voices", "pronounce", "quote", "skip", "other"]), max_size=5, unique=True)):
        if table in ("quote", "skip"):
            for _ in range(draw(st.integers(0, 3))):
                lines.append(f"[[{table}]]")
                for key in draw(st.lists(st.sampled_from(["words", "speaker", "extra"]), max_size=3, unique=True)):
                    lines.append(f"{key} = {_toml_value(draw(toml_scalar))}")
        else:
            lines.append(f"[{table}]")
            for key in draw(st.lists(toml_key, max_size=3, unique=True)):
                lines.append(f"{_toml_string(key)} = {_toml_value(draw(toml_scalar))}")
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(["skip = 5", "[rename", "x = [[[1]]]", "\x00", "x = " + "[" * 3000 + "]" * 3000, "x = " + "9" * 5000])))
    return "\n".join(lines) + "\n"


@given(text=corrections_file())
@cases(600)
def test_generated_correction_files_apply_or_are_refused(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "story.audiobook.toml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            overrides = load_overrides(path)
        except AudiobookError:
            return
        applied = apply(_prepared.script, overrides)
        applied.summary(path)
        try:
            prepare(str(SHORT), Options(overrides_path=path))
        except AudiobookError:
            pass
