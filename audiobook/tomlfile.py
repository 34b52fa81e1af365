"""Reading the project's TOML files (casts, lexicons, corrections, feed settings) with one kind of error."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from audiobook.errors import AudiobookError


def read_toml(path: Path, what: str, error: type[AudiobookError]) -> dict[str, Any]:
    """The file's tables, or ``error`` in one line naming the file and what it should have been."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise error(f"{path}: no such {what}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as problem:
        raise error(f"{path}: not a valid TOML {what} ({problem})") from None
    except ValueError as problem:  # a number of thousands of digits
        raise error(f"{path}: not a valid TOML {what} ({str(problem).split(':')[0].lower()})") from None
    except RecursionError:
        raise error(f"{path}: not a valid TOML {what} (nested too deeply)") from None
    except OSError as problem:
        raise error(f"{path}: cannot read the {what} ({problem.strerror})") from None
