"""Paths shared by the tests."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = REPO / "samples" / "karabakh-uncertain-future.txt"
SHORT = FIXTURES / "short-wire.txt"
