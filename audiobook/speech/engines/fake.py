"""A fake engine for fast tests of everything around speech: a hum at the voice's pitch, as long as the words.

It speaks at the voice's rate (words per minute) and pitch (0-99 maps to 80-330 Hz), so
timings, casting and pitch measures behave as with a real engine; the same text and voice
always give the same samples. Like httpx's MockTransport: the real pipeline, offline and fast.
"""

from __future__ import annotations

import math
import struct

from audiobook.model import Voice
from audiobook.speech.engines import Audio, EngineVoice

_SAMPLE_RATE = 16000


class FakeEngine:
    name = "fake"
    version = "fake 1"

    @classmethod
    def available(cls) -> bool:
        return True

    def voices(self) -> list[EngineVoice]:
        return [EngineVoice("hum", "A steady hum at the voice's pitch", ("en",), "unknown")]

    def synthesize(self, text: str, voice: Voice) -> Audio:
        words = max(1, len(text.split()))
        seconds = words * 60.0 / max(voice.rate, 1)
        frequency = 80.0 + 250.0 * voice.pitch / 99
        samples = round(seconds * _SAMPLE_RATE)
        # Half amplitude, so levelling has room either way.
        pcm = struct.pack(
            f"<{samples}h",
            *(round(16000 * math.sin(2 * math.pi * frequency * n / _SAMPLE_RATE)) for n in range(samples)),
        )
        return Audio(pcm, _SAMPLE_RATE)
