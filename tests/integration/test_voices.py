"""Voices as heard: measured on rendered MP3s with the VTT cue times, not taken from settings."""

from __future__ import annotations

import itertools

import numpy as np
from mutagen.id3 import ID3

from audiobook.speech.analysis import loudness_lufs, median_f0, samples
from audiobook.casting.audition import audition
from audiobook.casting.profile import load_profile
from audiobook.speech.engines import load_engine
from audiobook.model import Voice
from audiobook.api import Options, prepare, render
from audiobook.quality.measures import decode, parse_vtt

from ..helpers import REPO, SHORT

WOMEN = ["Ada Brown", "Bea Clarke", "Cora Dunn", "Dina Evans", "Edna Fox", "Fay Grant", "Gwen Hale", "Hana Irwin"]


def _by_speaker(mp3):
    signal, rate = decode(mp3)
    cues = parse_vtt(mp3.with_suffix(".vtt").read_text())
    grouped = {}
    for cue in cues:
        grouped.setdefault(cue.speaker, []).append(cue)
    return {
        name: (np.concatenate([signal[int(c.start * rate):int(c.end * rate)] for c in own]), own)
        for name, own in grouped.items()
    }, rate


def test_a_crowd_of_speakers_gets_voices_that_differ_in_pitch(tmp_path):
    """Eight women outrun the four-voice pool; the derived voices still differ by 15 Hz or more."""
    paragraphs = [
        f"“We counted every boat in the harbour twice this morning, and there were fewer than last year,” said {name}, "
        f"a volunteer. “She said she would stay until the end of the season, whatever the weather does next.”"
        for name in WOMEN
    ]
    article = tmp_path / "crowd.txt"
    article.write_text("Harbour Count Falls\n\nBy Staff\n\n" + "\n\n".join(paragraphs) + "\n")
    prepared = prepare(str(article))
    episode = render(str(article), tmp_path / "crowd-episode.mp3", Options(cache_dir=tmp_path / "cache"))
    heard, rate = _by_speaker(episode.mp3)
    voices = {prepared.script.speaker(sid).name: voice for sid, voice in prepared.cast.speakers.items()}
    voices.update({"Narrator": prepared.cast.narrator, "Describer": prepared.cast.describer})
    assert set(WOMEN) <= set(heard)
    for first, second in itertools.combinations(voices, 2):
        a, b = voices[first], voices[second]
        assert (a.engine, a.name, a.variant, a.pitch, a.rate) != (b.engine, b.name, b.variant, b.pitch, b.rate)
        if first in heard and second in heard and (a.engine, a.name, a.variant) == (b.engine, b.name, b.variant):
            difference = abs(median_f0(heard[first][0], rate) - median_f0(heard[second][0], rate))
            assert difference >= 15, f"{first} and {second} share {a.name}+{a.variant}: {difference:.0f} Hz apart"


def test_sample_narrator_pace_and_every_voice_level(rendered_sample):
    heard, rate = _by_speaker(rendered_sample.mp3)
    audio, cues = heard["Narrator"]
    words = sum(len(c.text.split()) for c in cues)
    pace = words / sum(c.end - c.start for c in cues) * 60
    assert 160 <= pace <= 185
    levels = {name: loudness_lufs(audio, rate) for name, (audio, _) in heard.items()}
    assert max(levels.values()) - min(levels.values()) <= 2.0, levels


def test_rate_speeds_up_the_narrator_for_fast_listeners(tmp_path):
    episode = render(str(SHORT), tmp_path / "fast.mp3", Options(cache_dir=tmp_path / "cache", rate=320))
    heard, _ = _by_speaker(episode.mp3)
    cues = heard["Narrator"][1]
    pace = sum(len(c.text.split()) for c in cues) / sum(c.end - c.start for c in cues) * 60
    assert pace > 260


def test_audition_has_a_chapter_for_every_cast_voice(tmp_path):
    profile = load_profile()
    episode = audition(profile, tmp_path / "audition.mp3", Options(cache_dir=tmp_path / "cache"))
    titles = [str(frame.sub_frames["TIT2"]) for frame in ID3(episode.mp3).getall("CHAP")]
    expected = 2 + sum(len(pool) for pool in profile.pools.values())
    assert len(titles) == expected
    assert titles[0] == "narrator (narrator)"
    heard, _ = _by_speaker(episode.mp3)
    assert len(heard) == expected


def test_piper_speaks_and_its_pitch_setting_is_heard():
    engine = load_engine("piper")
    assert "en_US-joe-medium" in {voice.id for voice in engine.voices()}
    text = "The river peaked just below the top of the new flood wall on Sunday night."
    low = engine.synthesize(text, Voice("low", "piper", "en_US-joe-medium", pitch=32))
    high = engine.synthesize(text, Voice("high", "piper", "en_US-joe-medium", pitch=68))
    assert low.duration > 2 and high.duration > 2
    assert median_f0(samples(high.pcm), high.sample_rate) - median_f0(samples(low.pcm), low.sample_rate) >= 15


def test_a_cast_across_engines_keeps_speakers_apart(tmp_path):
    cast = REPO / "voices" / "piper-narrator.toml"
    episode = render(str(SHORT), tmp_path / "mixed.mp3", Options(cast_path=cast, cache_dir=tmp_path / "cache"))
    heard, rate = _by_speaker(episode.mp3)
    narrator = median_f0(heard["Narrator"][0], rate)
    assert abs(median_f0(heard["Describer"][0], rate) - narrator) >= 15
    assert abs(median_f0(heard["Anna Fischer"][0], rate) - narrator) >= 15
    assert prepare(str(SHORT), Options(cast_path=cast)).cast.narrator.engine == "piper"
