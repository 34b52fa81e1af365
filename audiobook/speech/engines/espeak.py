"""espeak-ng through its C library in synchronous mode: deterministic, in-process, fast.

pyttsx3's espeak driver runs the library in its asynchronous playback mode, where a voice or
rate change can race the utterance before it and file output can end early. Asking the
library for AUDIO_OUTPUT_SYNCHRONOUS and collecting samples in our own callback makes every
call return exactly the audio of its own text, in its own voice.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from pathlib import Path

from audiobook.errors import EngineError
from audiobook.model import Voice
from audiobook.speech.engines import Audio, EngineVoice

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_CHARS_UTF8 = 1
_PARAM = {"rate": 1, "volume": 2, "pitch": 3, "range": 4}
_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class _VoiceStruct(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p), ("languages", ctypes.c_char_p), ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte), ("age", ctypes.c_ubyte), ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte), ("score", ctypes.c_int), ("spare", ctypes.c_void_p),
    ]


def _library_and_data() -> tuple[str, str | None] | None:
    """The bundled libespeak-ng (espeakng-loader) first, else the system's."""
    try:
        import espeakng_loader

        return espeakng_loader.get_library_path(), espeakng_loader.get_data_path()
    except (ImportError, OSError):
        found = ctypes.util.find_library("espeak-ng")
        return (found, None) if found else None


class EspeakEngine:
    name = "espeak"
    install_hint = "espeak-ng library not found: run 'pip install espeakng-loader' (or install espeak-ng)"
    # One library instance per process holds global state: calls are serialised.
    _lock = threading.Lock()
    _library: ctypes.CDLL | None = None
    _sample_rate = 0

    @classmethod
    def available(cls) -> bool:
        return _library_and_data() is not None

    def __init__(self) -> None:
        with self._lock:
            if EspeakEngine._library is None:
                EspeakEngine._library, EspeakEngine._sample_rate = _initialise()
        self._chunks: list[bytes] = []
        self._callback = _CALLBACK(self._collect)

    @property
    def version(self) -> str:
        return self.installed_version()

    @classmethod
    def installed_version(cls) -> str:
        """The library's version, read without starting it (starting it loads its voice data: 0.3 s)."""
        found = _library_and_data()
        if found is None:
            raise EngineError(cls.install_hint)
        lib = cls._library or ctypes.cdll.LoadLibrary(found[0])
        lib.espeak_Info.restype = ctypes.c_char_p
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        return f"espeak-ng {lib.espeak_Info(None).decode()}"

    def voices(self) -> list[EngineVoice]:
        with self._lock:  # listing voices re-reads the library's voice data, which a synthesis in flight uses
            return self._voices()

    def _voices(self) -> list[EngineVoice]:
        lib = self._library
        lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_VoiceStruct))
        listing = lib.espeak_ListVoices(None)
        voices: list[EngineVoice] = []
        index = 0
        while listing[index]:
            entry = listing[index].contents
            languages = _languages(ctypes.string_at(entry.languages, 64))
            voices.append(EngineVoice(
                id=entry.identifier.decode(errors="replace").split("/")[-1] if not languages else languages[0],
                name=entry.name.decode(errors="replace"), languages=tuple(languages),
                gender={1: "male", 2: "female"}.get(entry.gender, "unknown"),
            ))
            index += 1
        return voices

    def synthesize(self, text: str, voice: Voice) -> Audio:
        name = voice.name + (f"+{voice.variant}" if voice.variant else "")
        data = text.encode("utf-8")
        with self._lock:
            lib = self._library
            if lib.espeak_SetVoiceByName(name.encode()) != 0:
                raise EngineError(f"espeak-ng has no voice {name!r} (see 'audiobook voices')")
            for parameter, value in (("rate", voice.rate), ("pitch", voice.pitch), ("volume", voice.volume)):
                lib.espeak_SetParameter(_PARAM[parameter], int(value), 0)
            lib.espeak_SetSynthCallback(self._callback)
            self._chunks = []
            status = lib.espeak_Synth(data, len(data) + 1, 0, 0, 0, _CHARS_UTF8, None, None)
            pcm = b"".join(self._chunks)
            self._chunks = []
        if status != 0 or not pcm:
            raise EngineError(f"espeak-ng produced no audio for: {text[:60]!r}")
        return Audio(pcm, self._sample_rate)

    def _collect(self, samples: ctypes.POINTER(ctypes.c_short), count: int, events: ctypes.c_void_p) -> int:
        if count > 0 and samples:
            self._chunks.append(ctypes.string_at(samples, count * 2))
        return 0


def _initialise() -> tuple[ctypes.CDLL, int]:
    found = _library_and_data()
    if found is None:
        raise EngineError(EspeakEngine.install_hint)
    library_path, data_path = found
    lib = ctypes.cdll.LoadLibrary(library_path)
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
    lib.espeak_Synth.argtypes = [
        ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
        ctypes.c_void_p, ctypes.c_void_p,
    ]
    data = str(Path(data_path)) if data_path else os.environ.get("ESPEAK_DATA_PATH")
    sample_rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data.encode() if data else None, 0)
    if sample_rate <= 0:
        raise EngineError("espeak-ng failed to start: its data files were not found")
    return lib, sample_rate


def _languages(raw: bytes) -> list[str]:
    """espeak packs languages as <priority byte><name>\\0 ... \\0\\0."""
    languages, position = [], 0
    while position < len(raw) and raw[position] != 0:
        end = raw.index(b"\0", position + 1)
        languages.append(raw[position + 1:end].decode(errors="replace"))
        position = end + 1
    return languages
