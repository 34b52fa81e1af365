"""The `audiobook` command: a thin layer that parses options, calls the library and prints results.

Library errors become one line on stderr and an exit code (2 for bad input, 1 for failures);
nothing else prints a traceback unless AUDIOBOOK_DEBUG is set.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import click

from . import __version__
from .casting import load_profile
from .engines import engine_names, load_engine
from .errors import AudiobookError
from .pipeline import Options, prepare, render as render_article
from .scriptfile import script_to_json

_ARTICLE = click.argument("article", metavar="ARTICLE")
_CAST = click.option(
    "--cast", "cast_path", type=click.Path(path_type=Path), help="Cast file (TOML) naming the voices to use.",
)


class _Command(click.Group):
    def invoke(self, ctx: click.Context):  # noqa: ANN201
        try:
            return super().invoke(ctx)
        except AudiobookError as error:
            click.echo(f"audiobook: {error}", err=True)
            sys.exit(error.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except BrokenPipeError:
            # The reader went away (`audiobook script … | head`): stop quietly, as other tools do.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("audiobook: interrupted", err=True)
            sys.exit(130)
        except Exception as error:  # The one place unexpected failures become a line, not a traceback.
            if os.environ.get("AUDIOBOOK_DEBUG"):
                raise
            click.echo(f"audiobook: internal error: {type(error).__name__}: {error}", err=True)
            sys.exit(1)


@click.group(cls=_Command)
@click.version_option(__version__, prog_name="audiobook")
def main() -> None:
    """Turn news articles into accessible audio editions: narrated, attributed, tagged and chaptered."""


@main.command()
@_ARTICLE
@click.option("-o", "--output", type=click.Path(path_type=Path), help="MP3 to write (default: output/<title>.mp3).")
@_CAST
@click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), help="Extra pronunciations (TOML).")
@click.option("--jobs", type=click.IntRange(1, 256), help="Parallel synthesis workers (default: one per core).")
@click.option("--bitrate", type=click.Choice(["64", "96", "128", "160"]), default="64", show_default=True,
              help="Constant MP3 bit rate in kbps.")
@click.option("--publication", help="Publication name for the artist and album tags.")
@click.option("--cache-dir", type=click.Path(path_type=Path), help="Clip cache folder (default: the user cache).")
@click.option("-q", "--quiet", is_flag=True, help="Print only the MP3's path.")
def render(
    article: str, output: Path | None, cast_path: Path | None, lexicon_path: Path | None, jobs: int | None,
    bitrate: str, publication: str | None, cache_dir: Path | None, quiet: bool,
) -> None:
    """Render ARTICLE (a text file, or - for standard input) to a tagged MP3 with transcript and chapters.

    Beside the MP3 go OUT.vtt (captions with speaker tags), OUT.chapters.json
    (Podcasting 2.0 chapters) and OUT.txt (plain transcript). The last line printed
    is the MP3's path.
    """
    options = Options(
        cast_path=cast_path, lexicon_path=lexicon_path, cache_dir=cache_dir, jobs=jobs, bitrate=int(bitrate),
        publication=publication,
    )
    started = time.perf_counter()
    episode = render_article(article, output, options)
    if not quiet:
        click.echo(
            f"rendered {episode.duration / 60:.1f} min of audio in {time.perf_counter() - started:.1f} s "
            f"({episode.synthesized} clips synthesized); sidecars: {episode.vtt.name}, "
            f"{episode.chapters_json.name}, {episode.transcript.name}",
            err=True,
        )
    click.echo(str(episode.mp3))


@main.command()
@_ARTICLE
@click.option("--json", "as_json", is_flag=True, help="Print the script as JSON (the stable contract).")
@_CAST
def script(article: str, as_json: bool, cast_path: Path | None) -> None:
    """Show the script ARTICLE would be rendered from, without synthesizing anything."""
    prepared = prepare(article, Options(cast_path=cast_path))
    document = script_to_json(prepared.script, prepared.cast)
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    names = {speaker["id"]: speaker["name"] for speaker in document["speakers"]}
    click.echo(f"{document['title']}  ({document['date'] or 'no date'})")
    for segment in document["segments"]:
        who = names.get(segment["speaker"], "") if segment["speaker"] else ""
        voice = segment["voice"] or "(silent)"
        text = segment["text"] if len(segment["text"]) <= 70 else segment["text"][:69] + "…"
        click.echo(f"{segment['role']:<11} {who[:24]:<24} {voice:<18} {text}")


@main.command()
@_CAST
@click.option("--engine", "engine_name", type=click.Choice(engine_names()), default="espeak", show_default=True,
              help="Engine whose voices to list.")
def voices(cast_path: Path | None, engine_name: str) -> None:
    """List the cast in use and the voices the speech engine offers."""
    profile = load_profile(cast_path)
    click.echo(f"Cast: {profile.source}")
    click.echo(f"  narrator   {_describe(profile.narrator)}")
    click.echo(f"  describer  {_describe(profile.describer)}")
    for gender, pool in profile.pools.items():
        for voice in pool:
            click.echo(f"  {gender:<10} {_describe(voice)}")
    engine = load_engine(engine_name)
    click.echo(f"\nVoices offered by {engine.version}:")
    for offered in engine.voices():
        click.echo(f"  {offered.id:<24} {offered.name:<40} {offered.gender}")


def _describe(voice) -> str:  # noqa: ANN001
    variant = f"+{voice.variant}" if voice.variant else ""
    return f"{voice.id:<18} {voice.engine}:{voice.name}{variant} rate {voice.rate} pitch {voice.pitch}"


if __name__ == "__main__":
    main()
