"""Errors the library raises; the CLI turns each into one line and an exit code.

    AudiobookError
    ├── InputError       the article can't be read or holds no article (exit 2)
    ├── OutputError      the result can't be written where asked (exit 2)
    ├── CastError        a cast or voice file is wrong (exit 2)
    └── EngineError      a speech engine is missing or failed (exit 1)
"""


class AudiobookError(Exception):
    """Base of every error audiobook raises on purpose."""

    exit_code = 1


class InputError(AudiobookError, ValueError):
    exit_code = 2


class OutputError(AudiobookError, OSError):
    exit_code = 2


class CastError(AudiobookError, ValueError):
    exit_code = 2


class EngineError(AudiobookError, RuntimeError):
    exit_code = 1
