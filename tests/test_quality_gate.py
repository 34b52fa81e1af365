"""The quality gate: scripts scored against every hand-checked answer key, failing below the floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audiobook.quality.evaluation import score
from audiobook.api import prepare
from audiobook.script.scriptfile import script_to_json

from .helpers import FIXTURES, REPO

SAMPLE_KEY = REPO / "samples" / "karabakh-uncertain-future.gold.json"
FIXTURE_KEYS = sorted(FIXTURES.glob("*.gold.json"))
# Floors for articles of other shapes (issue 3): quotes found, attributed right, spoken quote segments real.
FLOOR = 0.95


def _article_for(key: Path) -> Path:
    stem = key.name.removesuffix(".gold.json")
    return next(path for path in key.parent.glob(f"{stem}.*") if not path.name.endswith(".gold.json"))


def _scores(key: Path):
    prepared = prepare(str(_article_for(key)))
    return score(script_to_json(prepared.script, prepared.cast), json.loads(key.read_text()))


def test_sample_answer_key_is_met_in_full():
    result = _scores(SAMPLE_KEY)
    assert result.problems == ()
    assert (result.found, result.attributed, result.quotes) == (21, 21, 21)
    assert result.real_quote_segments == result.quote_segments == 21
    assert result.genders_right == result.genders_known


@pytest.mark.parametrize("key", FIXTURE_KEYS, ids=lambda key: key.name.removesuffix(".gold.json"))
def test_fixture_meets_the_floors(key):
    result = _scores(key)
    report = "\n".join(result.problems)
    assert result.recall >= FLOOR, report
    assert result.attribution >= FLOOR, report
    assert result.precision >= FLOOR, report
    assert result.captions_right and result.pull_quotes_silent and result.boilerplate_silent, report
    assert result.header_right, report
    assert result.genders_right == result.genders_known, report


def test_there_are_fixtures_of_several_shapes():
    suffixes = {_article_for(key).suffix for key in FIXTURE_KEYS}
    assert {".txt", ".md", ".html"} <= suffixes
    assert len(FIXTURE_KEYS) >= 5
