"""The operating system's own voices through pyttsx3: SAPI5 on Windows, NSSpeechSynthesizer on macOS.

pyttsx3's drivers keep state between utterances: on Linux its espeak driver returns before the
file is written, re-speaks the previous text and applies a new rate to the wrong utterance
(13 of 30 alternating clips here). So every utterance is spoken in a fresh process of its
own, which starts with exactly the settings it is given, and the file is checked before use.
Even so, that driver now and then speaks at its default rate: there, an utterance is spoken
again until two in a row agree.
The 'espeak' engine is the better choice on Linux and is the default.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from audiobook.errors import EngineError
from audiobook.model import Voice
from audiobook.speech.engines import Audio, EngineVoice

_FILE_WAIT_SECONDS = 30.0
# How many more times an utterance is spoken, at most, until two in a row agree (see SystemEngine.synthesize).
_AGREEING_TRIES = 3


class SystemEngine:
    name = "pyttsx3"
    install_hint = (
        "pyttsx3 found no system speech engine: on Linux install espeak-ng "
        "('apt-get install espeak-ng'); on macOS and Windows it uses the built-in voices"
    )

    @classmethod
    def available(cls) -> bool:
        try:
            _driver()
        except Exception:  # pyttsx3 raises whatever its platform driver raises when none loads.
            return False
        return True

    def __init__(self) -> None:
        try:
            self._engine = _driver()
        except Exception as error:
            raise EngineError(f"{self.install_hint} ({error})") from None
        self._driver_module = self._engine.proxy._driver.__class__.__module__
        # One task per child: each utterance gets a process that has spoken nothing before.
        self._pool = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"), max_tasks_per_child=1,
        )

    @property
    def version(self) -> str:
        import pyttsx3

        return f"pyttsx3 {getattr(pyttsx3, '__version__', '2')} {self._driver_module}"

    def voices(self) -> list[EngineVoice]:
        return [
            EngineVoice(
                id=voice.id, name=voice.name or voice.id,
                languages=tuple(str(language) for language in (voice.languages or ())),
                gender=(voice.gender or "unknown").lower(),
            )
            for voice in self._engine.getProperty("voices")
        ]

    def synthesize(self, text: str, voice: Voice) -> Audio:
        if voice.name not in {offered.id for offered in self.voices()}:
            # pyttsx3 would silently keep the previous voice.
            raise EngineError(f"pyttsx3 has no voice {voice.name!r} (see 'audiobook voices')")
        pcm, sample_rate = self._spoken(text, voice)
        if self._driver_module.endswith(".espeak"):
            # espeak-ng through pyttsx3 drops the rate asked for in about one utterance in forty, a fresh process
            # or not (measured here: its own default, 200 words a minute, comes out): two that agree are kept.
            for _ in range(_AGREEING_TRIES):
                again, _ = self._spoken(text, voice)
                if len(again) == len(pcm):
                    break
                pcm = again
        if not pcm:
            raise EngineError(f"pyttsx3 produced no audio for: {text[:60]!r}")
        return Audio(pcm, sample_rate)

    def _spoken(self, text: str, voice: Voice) -> tuple[bytes, int]:
        return self._pool.submit(_speak, text, voice.name, voice.rate, voice.volume).result()


def _driver():
    import pyttsx3

    return pyttsx3.init()


def _speak(text: str, voice_name: str, rate: int, volume: int) -> tuple[bytes, int]:
    """Runs in a fresh process: set the voice, save one utterance, wait until the file is whole."""
    engine = _driver()
    engine.setProperty("voice", voice_name)
    engine.setProperty("rate", rate)
    engine.setProperty("volume", max(0.0, min(1.0, volume / 100)))
    with tempfile.TemporaryDirectory(prefix="audiobook-pyttsx3-") as folder:
        path = Path(folder) / "utterance.wav"
        # The espeak driver announces each saved file on stdout; the CLI's stdout is for results.
        with contextlib.redirect_stdout(io.StringIO()):
            engine.save_to_file(text, str(path))
            engine.runAndWait()
            _wait_for_complete_file(path)
        return _read_audio(path)


def _wait_for_complete_file(path: Path) -> None:
    """runAndWait() may return before the driver has written the file: wait until its size settles."""
    deadline = time.monotonic() + _FILE_WAIT_SECONDS
    last_size = -1
    while time.monotonic() < deadline:
        size = path.stat().st_size if path.exists() else -1
        if size > 44 and size == last_size:
            return
        last_size = size
        time.sleep(0.05)
    raise EngineError(f"pyttsx3 wrote no audio file within {_FILE_WAIT_SECONDS:.0f} s")


def _read_audio(path: Path) -> tuple[bytes, int]:
    """The utterance as mono 16-bit PCM: WAV on Windows and Linux, AIFF on macOS (through ffmpeg)."""
    from pydub import AudioSegment  # only this engine writes files in the platform's format

    with open(path, "rb") as handle:  # pydub leaves files it opens itself unclosed
        audio = AudioSegment.from_file(handle, format=path.suffix.lstrip(".") or None)
    audio = audio.set_channels(1).set_sample_width(2)
    return audio.raw_data, audio.frame_rate
