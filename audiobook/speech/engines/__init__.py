"""Speech engines behind one small interface.

An engine has a ``name``, a ``version`` (part of every cache key), lists the ``voices()`` it
offers and ``synthesize()``s text in a Voice to 16-bit mono PCM. Engines are found by name in
ENGINES; the first whose ``available()`` says yes serves as the default.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from audiobook.errors import EngineError
from audiobook.model import Voice


@dataclass(frozen=True)
class Audio:
    """Mono 16-bit little-endian PCM."""

    pcm: bytes
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.pcm) / 2 / self.sample_rate


@dataclass(frozen=True)
class EngineVoice:
    """A voice an engine offers, as it describes itself."""

    id: str
    name: str
    languages: tuple[str, ...] = ()
    gender: str = "unknown"


class Engine(Protocol):
    name: str

    @property
    def version(self) -> str: ...

    def voices(self) -> list[EngineVoice]: ...

    def synthesize(self, text: str, voice: Voice) -> Audio: ...


class EngineFactory(Protocol):
    name: str

    def available(self) -> bool: ...

    def __call__(self) -> Engine: ...


def _registry() -> dict[str, EngineFactory]:
    from audiobook.speech.engines.espeak import EspeakEngine
    from audiobook.speech.engines.piper import PiperEngine
    from audiobook.speech.engines.system import SystemEngine

    return {engine.name: engine for engine in (EspeakEngine, SystemEngine, PiperEngine)}


def engine_names() -> list[str]:
    return list(_registry())


def load_engine(name: str) -> Engine:
    """The engine registered as ``name``, or an EngineError saying how to install it."""
    registry = _registry()
    if name not in registry:
        raise EngineError(f"unknown speech engine {name!r}; known engines: {', '.join(registry)}")
    factory = registry[name]
    if not factory.available():
        raise EngineError(getattr(factory, "install_hint", f"speech engine {name!r} is not installed"))
    return factory()
