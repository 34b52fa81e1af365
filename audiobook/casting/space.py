"""The measured voice space: how alike two voices sound, looked up from similarities measured ahead.

Casting spreads speakers through this space; it never runs the measuring model (see
audiobook.quality.voices, which writes a cast's CAST.voice-space.json beside it: the voices
and the cosine similarity of every pair of their speaker embeddings, so a lookup is an index,
not a dot product). A voice that was never measured is cast by pitch, as before.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from audiobook.model import Voice

SIMILAR_ENOUGH_APART = 0.70
"""Among voices at most this alike (on the test passage) to anyone already cast, casting keeps its stable
choice. Set below the ~0.75 that separates clearly different people, because whole episodes measure
about 0.05-0.08 more alike than the passage does."""


def voice_key(voice: Voice) -> str:
    """What a voice sounds like, whatever its id: its engine, engine voice, variant and pitch."""
    return f"{voice.engine}:{voice.name}:{voice.variant or ''}:{voice.pitch}"


class VoiceSpace:
    def __init__(self, voices: list[str], similarity: list[list[float]]) -> None:
        self._index = {key: position for position, key in enumerate(voices)}
        self._similarity = similarity

    def __contains__(self, voice: Voice) -> bool:
        return voice_key(voice) in self._index

    def __len__(self) -> int:
        return len(self._index)

    def similarity(self, first: Voice, second: Voice) -> float | None:
        """Cosine similarity of the two voices' embeddings, or None when either was never measured."""
        a, b = self._index.get(voice_key(first)), self._index.get(voice_key(second))
        if a is None or b is None:
            return None
        return self._similarity[a][b]

    def closest(self, voice: Voice, others: list[Voice]) -> float:
        """How alike the voice sounds to the most alike of the others (0.0 when none were measured)."""
        found = [s for other in others if (s := self.similarity(voice, other)) is not None]
        return max(found, default=0.0)


@cache
def load_space(path: Path) -> VoiceSpace:
    """The embeddings measured for a cast file, or an empty space when it has none."""
    if not path.exists():
        return VoiceSpace([], [])
    data = json.loads(path.read_text())
    return VoiceSpace(data["voices"], data["similarity"])
