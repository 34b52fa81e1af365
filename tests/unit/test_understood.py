"""Scripts understood once are kept: an unchanged article is neither extracted nor attributed again,
and anything that could change its script (text, code, a damaged entry) makes it again."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiobook.api import Options, prepare
from audiobook.script import build, understood
from audiobook.speech.cache import STORE_NAME
from ..helpers import SHORT


@pytest.fixture
def counted_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    builds: list[int] = []
    original = build.build_script
    monkeypatch.setattr(build, "build_script", lambda *args, **kwargs: builds.append(1) or original(*args, **kwargs))
    return builds


def test_an_unchanged_article_is_understood_once(tmp_path: Path, counted_builds: list[int]):
    options = Options(cache_dir=tmp_path / "cache")
    first = prepare(str(SHORT), options)
    built = len(counted_builds)
    again = prepare(str(SHORT), options)
    assert built >= 1 and len(counted_builds) == built
    assert again.script == first.script and again.cast == first.cast


def test_a_changed_article_or_changed_code_is_understood_again(tmp_path: Path, counted_builds: list[int],
                                                               monkeypatch: pytest.MonkeyPatch):
    article = tmp_path / "a.txt"
    article.write_text(SHORT.read_text())
    options = Options(cache_dir=tmp_path / "cache")
    prepare(str(article), options)
    article.write_text(SHORT.read_text().replace("\n\n", "\n\nA new first line of the story.\n\n", 1))
    built = len(counted_builds)
    changed = prepare(str(article), options)
    assert len(counted_builds) > built and "A new first line of the story." in [s.text for s in changed.script.segments]
    monkeypatch.setattr(understood, "_understanding_digest", lambda: "code that reads articles differently")
    built = len(counted_builds)
    prepare(str(article), options)
    assert len(counted_builds) > built


@pytest.mark.parametrize("damage", [
    lambda data: b"", lambda data: data[: len(data) // 2],
    lambda data: data.replace(b"]", b", 1]"),  # still JSON, and a script of the wrong types
    lambda data: b"0" * 64 + b"\n" + data.partition(b"\n")[2],
])
def test_a_damaged_entry_is_understood_again(tmp_path: Path, counted_builds: list[int], damage):
    options = Options(cache_dir=tmp_path / "cache")
    first = prepare(str(SHORT), options)
    (entry,) = (tmp_path / "cache" / STORE_NAME / understood.CACHE_FOLDER).iterdir()
    entry.write_bytes(damage(entry.read_bytes()))
    built = len(counted_builds)
    assert prepare(str(SHORT), options).script == first.script
    assert len(counted_builds) > built


def test_the_code_digest_covers_the_word_lists_and_not_the_audio_code():
    covered = set(understood._UNDERSTANDING)
    assert {"extract", "script", "source"} <= covered
    assert (understood._PACKAGE / "script" / "attribution" / "lexicon.toml").is_file()
    assert not covered & {"audio", "speech", "publish"}


def test_recasting_an_understood_script_does_not_read_the_first_name_list(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch):
    from audiobook import names

    options = Options(cache_dir=tmp_path / "cache")
    first = prepare(str(SHORT), options)
    monkeypatch.setattr(names, "_known", {})
    monkeypatch.setattr(names, "_first_names", lambda: pytest.fail("the whole first-name list was read"))
    again = prepare(str(SHORT), options)
    assert again.cast == first.cast


def test_keeping_a_script_asks_the_first_name_list_only_what_the_analysis_asked(tmp_path: Path,
                                                                                monkeypatch: pytest.MonkeyPatch):
    """A described speaker ('a teacher from Stepanakert') has no first name to look up; asking would read the
    whole list (0.1-0.2 s) in a render the analysis had spared it."""
    from audiobook import names
    from audiobook.model import Script, Speaker

    monkeypatch.setattr(names, "_known", {"jenny": {"F"}})
    monkeypatch.setattr(names, "_first_names", lambda: pytest.fail("the whole first-name list was read"))
    speakers = (Speaker("teacher", "a teacher from Stepanakert", "female", ()), Speaker("jenny", "Jenny Paturyan", "female", ()))
    understood.keep_script("key", tmp_path, Script("A title", (), speakers))
    assert understood.cached_script("key", tmp_path).speakers == speakers
