"""audiobook: accessible audio editions of news articles.

The library API, one call per thing a user does::

    from audiobook import Options, prepare, render, render_many

Names are imported on first use, so ``audiobook --version`` does not load the audio stack.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("audiobook")
except PackageNotFoundError:  # Running from a source tree that was never installed.
    __version__ = "0.0.0+source"

_PUBLIC = {
    "Options": "audiobook.api", "Prepared": "audiobook.api", "Outcome": "audiobook.api",
    "prepare": "audiobook.api", "render": "audiobook.api", "render_many": "audiobook.api",
    "publish": "audiobook.publish.publisher",
    "AudiobookError": "audiobook.errors", "InputError": "audiobook.errors", "CastError": "audiobook.errors",
    "EngineError": "audiobook.errors", "OutputError": "audiobook.errors",
}
__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(import_module(_PUBLIC[name]), name)
    raise AttributeError(f"module 'audiobook' has no attribute {name!r}")
