"""Casting: every speaker distinct from the narrator, the describer and each other, fitting, and stable."""

from __future__ import annotations

import itertools

import pytest

from audiobook.casting.profile import at_rate, cast_script, load_profile
from audiobook.errors import CastError
from audiobook.model import Script, Speaker

GENDERS = ["female", "male", "unknown"]


def _script(count: int, gender: str | None = None) -> Script:
    speakers = tuple(
        Speaker(f"s{index}", f"Person Number{index}", gender or GENDERS[index % 3]) for index in range(count)
    )
    return Script(title="t", segments=(), speakers=speakers)


def _sound(voice):
    return (voice.engine, voice.name, voice.variant, voice.pitch, voice.rate)


def test_no_two_voices_in_a_crowded_article_sound_the_same():
    profile = load_profile()
    cast = cast_script(_script(30, "female"), profile)
    sounds = [_sound(cast.narrator), _sound(cast.describer), *(_sound(v) for v in cast.speakers.values())]
    assert len(set(sounds)) == len(sounds) == 32
    # Voices derived from the same engine voice and variant are far apart in pitch (measured in integration/test_voices.py).
    for first, second in itertools.combinations(cast.speakers.values(), 2):
        if (first.name, first.variant) == (second.name, second.variant):
            assert abs(first.pitch - second.pitch) >= 18 or abs(first.rate - second.rate) >= 8


def test_voices_fit_the_gender_the_text_gives():
    profile = load_profile()
    cast = cast_script(_script(9), profile)
    for index in range(9):
        voice = cast.speakers[f"s{index}"]
        assert voice.gender == GENDERS[index % 3]


def test_the_same_person_gets_the_same_voice_in_another_episode():
    """The first choice comes from the name, not from who else is quoted or in what order."""
    profile = load_profile()
    paturyan = Speaker("jenny-paturyan", "Jenny Paturyan", "female")
    alone = cast_script(Script("a", (), (paturyan,)), profile)
    others = (Speaker("x", "Tom Brennan", "male"), Speaker("y", "Greg Tomlinson", "male"), paturyan)
    in_company = cast_script(Script("b", (), others), profile)
    assert in_company.speakers["jenny-paturyan"] == alone.speakers["jenny-paturyan"]
    names = ["Ada Brown", "Bea Clarke", "Cora Dunn", "Dina Evans", "Edna Fox"]
    first_choices = {cast_script(Script("c", (), (Speaker("s", name, "female"),)), profile).speakers["s"].id for name in names}
    assert len(first_choices) > 1  # the hash spreads people over the pool


def test_pinned_voices_win_and_are_not_reused():
    profile = load_profile()
    pinned_voice = profile.pools["female"][0]
    cast = cast_script(_script(6, "female"), profile, pinned={"s3": pinned_voice})
    assert cast.speakers["s3"] == pinned_voice
    assert sum(_sound(v) == _sound(pinned_voice) for v in cast.speakers.values()) == 1


def test_rate_moves_every_voice_with_the_narrator():
    profile = load_profile()
    cast = cast_script(_script(3), at_rate(profile, 360))
    assert cast.narrator.rate == 360
    assert all(voice.rate > 300 for voice in cast.speakers.values())


def test_cast_file_errors_name_the_problem(tmp_path):
    bad = tmp_path / "cast.toml"
    bad.write_text('[cast]\nnarrator = "n"\ndescriber = "d"\n[voices.n]\nengine = "espeak"\nname = "en"\n')
    with pytest.raises(CastError, match="names voice 'd'"):
        load_profile(bad)
    bad.write_text('[cast]\nnarrator = "n"\n[voices.n]\nengine = "espeak"\nname = "en"\nspeed = 3\n')
    with pytest.raises(CastError, match="unknown settings: speed"):
        load_profile(bad)
    bad.write_text("not toml [")
    with pytest.raises(CastError, match="not a valid TOML"):
        load_profile(bad)
