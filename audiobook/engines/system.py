"""The operating system's own voices through pyttsx3: SAPI5 on Windows, NSSpeechSynthesizer on macOS.

On Linux pyttsx3 drives espeak-ng asynchronously and its file output can end before the file
is written, so each call here waits for a complete file and checks it is not empty; the
'espeak' engine is the better choice there and is the default.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
from pathlib import Path

from ..errors import EngineError
from ..mix import load_pcm
from ..model import Voice
from . import Audio, EngineVoice

_FILE_WAIT_SECONDS = 30.0


class SystemEngine:
    name = "pyttsx3"
    install_hint = (
        "pyttsx3 found no system speech engine: on Linux install espeak-ng "
        "('apt-get install espeak-ng'); on macOS and Windows it uses the built-in voices"
    )

    @classmethod
    def available(cls) -> bool:
        try:
            cls._driver()
        except Exception:  # pyttsx3 raises whatever its platform driver raises when none loads.
            return False
        return True

    @staticmethod
    def _driver():
        import pyttsx3

        return pyttsx3.init()

    def __init__(self) -> None:
        try:
            self._engine = self._driver()
        except Exception as error:
            raise EngineError(f"{self.install_hint} ({error})") from None

    @property
    def version(self) -> str:
        import pyttsx3

        return f"pyttsx3 {getattr(pyttsx3, '__version__', 'unknown')} {self._engine.proxy._driver.__class__.__module__}"

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
        known = {offered.id for offered in self.voices()}
        if voice.name not in known:
            # pyttsx3 would silently keep the previous voice.
            raise EngineError(f"pyttsx3 has no voice {voice.name!r} (see 'audiobook voices')")
        self._engine.setProperty("voice", voice.name)
        self._engine.setProperty("rate", voice.rate)
        self._engine.setProperty("volume", max(0.0, min(1.0, voice.volume / 100)))
        with tempfile.TemporaryDirectory(prefix="audiobook-pyttsx3-") as folder:
            path = Path(folder) / "utterance.wav"
            # The espeak driver announces each saved file on stdout; the CLI's stdout is for results.
            with contextlib.redirect_stdout(io.StringIO()):
                self._engine.save_to_file(text, str(path))
                self._engine.runAndWait()
                _wait_for_complete_file(path)
            pcm, sample_rate = load_pcm(path)
        if not pcm:
            raise EngineError(f"pyttsx3 produced no audio for: {text[:60]!r}")
        return Audio(pcm, sample_rate)


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
