"""Speech engines behind one small interface.

An engine has a ``name``, a ``version`` (part of every cache key), lists the ``voices()`` it
offers and ``synthesize()``s text in a Voice to 16-bit mono PCM. Engines are registered in the
``audiobook.engines`` entry-point group, the built-in ones (espeak, pyttsx3, piper, fake) exactly
as a third-party package would register its own; a voice names its engine in the cast file.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from importlib.metadata import EntryPoint, entry_points
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
    """An engine class; it may also offer ``installed_version()``, the engine's version without starting it."""

    name: str

    def available(self) -> bool: ...

    def __call__(self) -> Engine: ...


ENTRY_POINTS = "audiobook.engines"


def engine_names() -> list[str]:
    return sorted(_registered())


@cache
def _registered() -> dict[str, EntryPoint]:
    """The engines in the entry-point group, by name: one look through the installed packages per
    process (each took 40 ms here, and the CLI needs the names before every command)."""
    return {entry.name: entry for entry in entry_points(group=ENTRY_POINTS)}


def load_engine(name: str) -> Engine:
    """The engine registered as ``name``, or an EngineError saying how to install it."""
    factory = _factory(name)
    if not factory.available():
        raise EngineError(getattr(factory, "install_hint", f"speech engine {name!r} is not installed"))
    return factory()


_loading = threading.Lock()


@cache
def _shared(name: str) -> Engine:
    return load_engine(name)


def shared_engine(name: str) -> Engine:
    """This process's one instance of the engine: a speech library's state is process-wide, so it is loaded once."""
    with _loading:
        return _shared(name)


def engine_version(name: str) -> str:
    """The engine's version, part of every clip's cache key: a render whose clips are all cached
    asks for it without starting the engine, when the engine can tell."""
    installed_version = getattr(_factory(name), "installed_version", None)
    return installed_version() if installed_version else shared_engine(name).version


def _factory(name: str) -> EngineFactory:
    if (entry := _registered().get(name)) is None:
        raise EngineError(f"unknown speech engine {name!r}; known engines: {', '.join(engine_names())}")
    return entry.load()
