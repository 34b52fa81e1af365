"""How alike voices sound, measured with a speaker-embedding model (Resemblyzer), not declared.

The same voice reading two texts scores 0.97-0.99 cosine similarity; clearly different people
score below about 0.75. Renders never need the model: the embeddings of the packaged cast's
voices (and the voices derived from them past a pool's end) are measured ahead by

    python -m audiobook.quality.voices --write-space

and shipped in audiobook/casting/defaults/default.voice-space.json, which casting reads (the
same command with --cast measures a cast of your own and writes its space beside it). Measuring
needs the optional extra: ``pip install audiobook[measure]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from audiobook.casting.profile import CastProfile, derived_voices, load_profile, space_path
from audiobook.casting.space import voice_key
from audiobook.model import Voice

# A fixed passage of plain news prose, about fifteen seconds in any voice.
TEST_PASSAGE = (
    "The council met on Tuesday evening to discuss the new budget. Residents said the plan would "
    "close two libraries, and several of them asked why the city could not find the money elsewhere. "
    "The mayor promised a decision before the end of the month."
)
DERIVED_ROUNDS = 4
"""Rounds of derived voices measured ahead for each pool voice (pitch steps up and down)."""


def _resemblyzer():  # noqa: ANN202 - the module, imported only when measuring
    with warnings.catch_warnings():
        # webrtcvad under it still imports pkg_resources, and it imports scipy names scipy has moved.
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        import resemblyzer

    return resemblyzer


def _encoder():  # noqa: ANN202 - resemblyzer's VoiceEncoder
    return _resemblyzer().VoiceEncoder("cpu", verbose=False)


def embed(signal: np.ndarray, sample_rate: int, encoder=None) -> np.ndarray:  # noqa: ANN001
    """A unit-length voice embedding of mono float samples in [-1, 1]."""
    encoder = encoder or _encoder()
    wav = _resemblyzer().preprocess_wav(signal.astype(np.float32), source_sr=sample_rate)
    vector = encoder.embed_utterance(wav)
    return vector / np.linalg.norm(vector)


def embed_voices(voices: Iterable[Voice]) -> dict[str, list[float]]:
    """Each voice speaking the test passage, embedded; keyed as casting looks voices up."""
    from audiobook.speech.engines import load_engine

    encoder, engines, space = _encoder(), {}, {}
    for voice in voices:
        if voice_key(voice) in space:
            continue
        engine = engines.setdefault(voice.engine, load_engine(voice.engine))
        audio = engine.synthesize(TEST_PASSAGE, voice)
        signal = np.frombuffer(audio.pcm, dtype="<i2").astype(np.float32) / 32768
        space[voice_key(voice)] = [round(float(x), 4) for x in embed(signal, audio.sample_rate, encoder)]
    return space


def speaker_similarities(mp3: Path, cues: Iterable[tuple[float, float, str]]) -> dict[tuple[str, str], float]:
    """Cosine similarity of every pair of speakers as heard in an episode: each speaker's cues joined, embedded."""
    import miniaudio  # an MP3 decoder independent of the encoder that wrote the episode

    decoded = miniaudio.decode_file(str(mp3), output_format=miniaudio.SampleFormat.SIGNED16, nchannels=1)
    signal = np.frombuffer(decoded.samples.tobytes(), dtype="<i2").astype(np.float32) / 32768
    rate = decoded.sample_rate
    by_speaker: dict[str, list[np.ndarray]] = {}
    for start, end, speaker in cues:
        by_speaker.setdefault(speaker, []).append(signal[int(start * rate):int(end * rate)])
    encoder = _encoder()
    vectors = {name: embed(np.concatenate(parts), rate, encoder) for name, parts in by_speaker.items()}
    names = sorted(vectors)
    return {
        (first, second): float(vectors[first] @ vectors[second])
        for index, first in enumerate(names) for second in names[index + 1:]
    }


def cast_voices(profile: CastProfile) -> list[Voice]:
    """Every voice a render of this cast can use: narrator, describer, pools and their derived rounds."""
    voices = [profile.narrator, profile.describer, *profile.voices.values()]
    for pool in profile.pools.values():
        for voice in pool:
            voices.extend(derived_voices(voice, DERIVED_ROUNDS))
    return voices


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Measure how alike a cast's voices sound.")
    parser.add_argument("--cast", type=Path, help="cast file (default: the packaged cast)")
    parser.add_argument("--write-space", action="store_true", help="write CAST.voice-space.json beside the cast file")
    arguments = parser.parse_args(argv)
    profile = load_profile(arguments.cast)
    space = embed_voices(cast_voices(profile))
    keys = list(space)
    vectors = np.array([space[key] for key in keys])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    document = {"voices": keys, "similarity": np.round(vectors @ vectors.T, 3).tolist()}
    target = space_path(Path(profile.source)) if arguments.write_space else None
    if target:
        target.write_text(json.dumps(document, separators=(",", ":")) + "\n")
        print(f"{target}: {len(keys)} voices")
    else:
        json.dump(document, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
