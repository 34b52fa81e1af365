"""The README's set-up stays true: the commands it shows exist, and every CLI command is documented."""

from __future__ import annotations

from audiobook.cli import main

from ..helpers import REPO

README = (REPO / "README.md").read_text()
MAKEFILE = (REPO / "Makefile").read_text()


def test_the_two_commands_are_make_targets():
    assert "make sample" in README and "make test" in README
    assert "\nsample:" in MAKEFILE and "\ntest:" in MAKEFILE


def test_readme_says_how_to_reach_the_installed_command():
    assert "source .venv/bin/activate" in README and ".venv/bin/audiobook" in README


def test_every_command_is_in_the_readme():
    for name in main.commands:
        assert f"audiobook {name}" in README, name
