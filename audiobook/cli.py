"""The `audiobook` command: a thin layer that parses options, calls the library and prints results.

Library errors become one line on stderr and an exit code (2 for bad input, 1 for failures);
nothing else prints a traceback unless AUDIOBOOK_DEBUG is set. Each command imports the stages it
uses when it runs, so `--help`, `--version`, `script` and `voices` do not load the audio stack.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from audiobook import __version__
from audiobook.speech.engines import engine_names
from audiobook.errors import AudiobookError, OutputError

if TYPE_CHECKING:
    from audiobook.casting.profile import CastProfile

class _Terminated(KeyboardInterrupt):
    """SIGTERM (what timeout, Celery and Airflow send), unwound like Ctrl-C so temporary files go."""


def _terminate(signum: int, frame: object) -> None:
    raise _Terminated


def _cache_dir(ctx: click.Context, param: click.Parameter, value: str | None) -> dict[str, Path | str | None]:
    """The Options fields for --cache-dir, or without it for $AUDIOBOOK_CACHE, both read the same way:
    a local folder, or a store URL behind the user cache."""
    from audiobook.speech.cache import cache_location, environment_location

    # An empty value is an unset shell variable, not a wish to fill the current folder with cache files.
    folder, store = cache_location(value, "--cache-dir") if value is not None else environment_location()
    return {"cache_dir": folder, "cache_store": store}


_CACHE = click.option(
    "--cache-dir", "cache", type=click.Path(), callback=_cache_dir,
    help="Clip cache folder (default: the user cache), or a store every machine shares (s3://BUCKET/PREFIX).",
)


# Options more than one command takes, declared once so they read and behave the same everywhere.
_BITRATE = click.option(
    # The encoder runs MPEG-2 Layer III at 22,050 Hz, whose constant bit rates run from 8 to 160 kbps;
    # below 32 speech turns muffled.
    "--bitrate", type=click.Choice(["32", "64", "96", "128", "160"]), default="64", show_default=True,
    help="Constant MP3 bit rate in kbps.",
)
_CAST = click.option(
    "--cast", "cast_path", type=click.Path(path_type=Path), help="Cast file (TOML) naming the voices to use.",
)
_CLUSTER = click.option(
    "--cluster", metavar="ADDRESS",
    help="Render on a Dask cluster: its scheduler (tcp://HOST:8786), or local[:N] for N worker processes here.",
)
_JOBS = click.option("--jobs", type=click.IntRange(1, 256), help="Parallel synthesis workers (default: one per core).")
_LEXICON = click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), help="Extra pronunciations (TOML).")
_OVERRIDES = click.option(
    "--overrides", "overrides_path", type=click.Path(path_type=Path),
    help="Corrections file (default: ARTICLE.audiobook.toml beside the article).",
)
_PUBLICATION = click.option("--publication", help="Publication name for the artist and album tags.")
_RATE = click.option("--rate", type=click.IntRange(80, 500), help="Narrator's words per minute; other voices follow.")
_CAUTIOUS = click.option(
    "--cautious", is_flag=True,
    help="Voice a quote as its speaker only when a name says who that is; the rest in the unidentified voice.",
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
        except _Terminated:
            click.echo("audiobook: terminated", err=True)
            sys.exit(128 + signal.SIGTERM)
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
    # The library logs what a producer should know (an encoding assumed, a stale correction): one line each.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("audiobook: note: %(message)s"))
    logger = logging.getLogger("audiobook")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    signal.signal(signal.SIGTERM, _terminate)


@main.command()
@click.argument("articles", metavar="ARTICLE...", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="MP3 to write, for one article (default: output/<title>.mp3).")
@click.option("-d", "--output-dir", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder for the episodes when no -o is given.")
@_CAST
@_OVERRIDES
@_LEXICON
@_RATE
@_JOBS
@_BITRATE
@_PUBLICATION
@_CACHE
@click.option("--epub", is_flag=True, help="Also write OUT.epub: a talking book, text and audio in sync.")
@_CAUTIOUS
@_CLUSTER
@click.option("-q", "--quiet", is_flag=True, help="Print only the MP3 paths.")
def render(
    articles: tuple[str, ...], output: Path | None, output_dir: Path, cast_path: Path | None,
    overrides_path: Path | None, lexicon_path: Path | None, rate: int | None, jobs: int | None, bitrate: str,
    publication: str | None, cache: dict, epub: bool, cautious: bool, cluster: str | None, quiet: bool,
) -> None:
    """Render each ARTICLE (a text, Markdown or HTML file, a URL, an edited script .json, or - for
    standard input) to a tagged MP3 with transcript and chapters.

    Beside each MP3 go OUT.vtt and OUT.srt (captions with speaker names), OUT.json
    (Podcasting 2.0 transcript), OUT.chapters.json (Podcasting 2.0 chapters) and OUT.txt
    (plain transcript), as a published episode has them; with --epub, OUT.epub
    (EPUB 3 with the audio in sync, for reading systems such as Thorium). The MP3 paths are
    printed last, one a line. A bad article is reported and the others still render;
    the exit code is then non-zero.
    """
    if output and len(articles) > 1:
        raise click.UsageError("-o names one file; for several articles use --output-dir")
    from audiobook.api import Options, Outcome, render as render_article, render_many

    options = Options(
        cast_path=cast_path, lexicon_path=lexicon_path, overrides_path=overrides_path, output_dir=output_dir,
        **cache, jobs=jobs, bitrate=int(bitrate), rate=rate, publication=publication, epub=epub, cautious=cautious,
    )
    started = time.perf_counter()
    with _Progress(enabled=not quiet and sys.stderr.isatty()) as progress:
        if cluster:
            from audiobook import cluster as on_cluster  # dask loads only when a cluster is asked for

            outcomes = on_cluster.render(list(articles), options, cluster, output, None if quiet else _to_stderr)
        elif output:
            outcomes = [Outcome(articles[0], render_article(articles[0], output, options, progress=progress.single))]
        else:
            outcomes = render_many(list(articles), options, progress=progress.update)
    for outcome in outcomes:
        if outcome.error:
            click.echo(f"audiobook: {outcome.error}", err=True)
        elif not quiet:
            episode = outcome.episode
            click.echo(
                f"{outcome.location}: {episode.duration / 60:.1f} min of audio, {episode.synthesized} clips "
                f"synthesized; sidecars {episode.vtt.name}, {episode.chapters_json.name}, {episode.transcript.name}",
                err=True,
            )
    if not quiet and any(outcome.episode for outcome in outcomes):
        click.echo(f"done in {time.perf_counter() - started:.1f} s", err=True)
    for outcome in outcomes:
        if outcome.episode:
            click.echo(str(outcome.episode.mp3))
    failures = [outcome.error for outcome in outcomes if outcome.error]
    if failures:
        sys.exit(max(error.exit_code for error in failures))


def _to_stderr(line: str) -> None:
    click.echo(line, err=True)


class _Progress:
    """A progress bar on stderr while clips reach the encoder; nothing when stderr is not a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar = None
        self._label = None

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._close()

    def single(self, done: int, total: int) -> None:
        self.update("rendering", done, total)

    def update(self, label: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if label != self._label:
            self._close()
            self._label = label
            self._bar = click.progressbar(length=total, label=label[-40:], file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._bar.pos)

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@main.command()
@click.argument("articles", metavar="ARTICLE...", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the script as JSON (the stable contract).")
@_CAST
@_OVERRIDES
@_LEXICON
@_RATE
@_PUBLICATION
@_CAUTIOUS
def script(
    articles: tuple[str, ...], as_json: bool, cast_path: Path | None, overrides_path: Path | None,
    lexicon_path: Path | None, rate: int | None, publication: str | None, cautious: bool,
) -> None:
    """Show the script each ARTICLE would be rendered from, with the options render takes, without
    synthesizing anything. `speech` is what the engine will hear where it differs from the text.

    With --json and several articles, a JSON list of scripts. A bad article is reported and the
    others are still shown.
    """
    from audiobook.api import Options, prepare
    from audiobook.script.scriptfile import script_to_json

    options = Options(cast_path=cast_path, overrides_path=overrides_path, lexicon_path=lexicon_path, rate=rate,
                      publication=publication, cautious=cautious)
    documents, failures = [], []
    for article in articles:
        try:
            # Aside: a warm analyst shows an edited article's script at once (the model loads in 2 s).
            prepared = prepare(article, options, analyse_aside=True)
        except AudiobookError as error:
            click.echo(f"audiobook: {error}", err=True)
            failures.append(error)
            continue
        document = script_to_json(prepared.script, prepared.cast, prepared.lexicon)
        if prepared.corrections:
            click.echo(f"audiobook: note: {prepared.corrections}", err=True)
        if not as_json:
            _print_script(document)
        documents.append(document)
    if as_json and documents:
        shown = documents[0] if len(articles) == 1 else documents
        click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
    if failures:
        sys.exit(max(error.exit_code for error in failures))


def _print_script(document: dict) -> None:
    """The script as a table; quotes whose speaker is least sure come first, marked '?', to check them."""
    from audiobook.script.attribution.attributor import UNCERTAIN

    names = {speaker["id"]: speaker["name"] for speaker in document["speakers"]}
    click.echo(f"{document['title']}  ({document['date'] or 'no date'})")
    numbered = list(enumerate(document["segments"]))
    unsure = sorted(
        ((number, segment) for number, segment in numbered
         if segment["role"] == "quote" and (segment.get("confidence") or 0) < UNCERTAIN),
        key=lambda item: item[1].get("confidence") or 0,
    )
    if unsure:
        click.echo(f"check first: {len(unsure)} quote(s) whose speaker is uncertain")
        for number, segment in unsure:
            _print_segment(number, segment, names)
        click.echo("")
    for number, segment in numbered:
        _print_segment(number, segment, names)


def _print_segment(number: int, segment: dict, names: dict[str, str]) -> None:
    from audiobook.script.attribution.attributor import UNCERTAIN

    who = names.get(segment["speaker"], "") if segment["speaker"] else ""
    voice = segment["voice"] or "(silent)"
    text = segment["text"] if len(segment["text"]) <= 70 else segment["text"][:69] + "…"
    sure = "?" if segment["role"] == "quote" and (segment.get("confidence") or 0) < UNCERTAIN else " "
    click.echo(f"{number:>3}{sure}{segment['role']:<11} {who[:24]:<24} {voice:<18} {text}")


@main.command()
@click.argument("article", metavar="SCRIPT_OR_ARTICLE")
@click.argument("number", metavar="N", type=click.IntRange(0))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="WAV file to write instead of playing it.")
@_CAST
@_OVERRIDES
@_LEXICON
@_RATE
@_CACHE
@_CAUTIOUS
def say(
    article: str, number: int, output: Path | None, cast_path: Path | None, overrides_path: Path | None,
    lexicon_path: Path | None, rate: int | None, cache: dict, cautious: bool,
) -> None:
    """Hear segment N alone (numbered as `audiobook script` prints them), in the voice the render gives it."""
    from audiobook.api import Options, prepare, say as say_segment

    options = Options(cast_path=cast_path, overrides_path=overrides_path, lexicon_path=lexicon_path, rate=rate,
                      **cache, cautious=cautious)
    prepared = prepare(article, options, analyse_aside=True)
    if output:
        click.echo(str(say_segment(prepared, number, output, options)))
        return
    player = next((found for name in _PLAYERS if (found := shutil.which(name))), None)
    if player is None:
        raise OutputError(f"no audio player found ({', '.join(_PLAYERS)}); write the clip with -o clip.wav")
    with tempfile.TemporaryDirectory(prefix="audiobook-say-") as folder:
        clip = say_segment(prepared, number, Path(folder) / "segment.wav", options)
        if subprocess.run([player, str(clip)], check=False).returncode != 0:
            raise AudiobookError(f"{player} could not play the clip; write it with -o clip.wav")


# Command-line players that play a WAV file and exit: PulseAudio/PipeWire, ALSA, macOS.
_PLAYERS = ("paplay", "pw-play", "aplay", "afplay")


def _print_distances(profile: CastProfile) -> None:
    """The measured similarity of every pair of the cast's voices: 0.97+ is one voice, below 0.75 two people."""
    cast = [("narrator", profile.narrator), ("describer", profile.describer)] + [
        (gender, voice) for gender, pool in profile.pools.items() for voice in pool
    ]
    measured = [(role, voice) for role, voice in cast if voice in profile.space]
    if not measured:
        raise click.ClickException(
            f"{profile.source}: not measured; run 'python -m audiobook.quality.voices --cast "
            f"{profile.source} --write-space' (pip install audiobook[measure])"
        )
    width = max(len(voice.id) for _, voice in measured)
    click.echo(f"Speaker-embedding similarity of {profile.source} (1.0 = the same voice; below 0.75, different people)")
    for role, voice in measured:
        others = [other for _, other in measured if other is not voice]
        closest = max(others, key=lambda other: profile.space.similarity(voice, other) or 0.0)
        click.echo(
            f"  {role:<10} {voice.id:<{width}}  narrator {profile.space.similarity(voice, profile.narrator):.2f}"
            f"  closest {profile.space.similarity(voice, closest):.2f} ({closest.id})"
        )


@main.command()
@_CAST
@click.option("--engine", "engine_name", type=click.Choice(engine_names()), default="espeak", show_default=True,
              help="Engine whose voices to list.")
@click.option("--audition", is_flag=True, help="Render a sample of every cast voice into output/ to listen to.")
@click.option("-d", "--output-dir", type=click.Path(path_type=Path), default=Path("output"), show_default=True,
              help="Folder for the audition MP3.")
@click.option("--distances", is_flag=True, help="Print how alike the cast's voices sound, as measured.")
def voices(cast_path: Path | None, engine_name: str, audition: bool, output_dir: Path, distances: bool) -> None:
    """List the cast in use and the voices the speech engine offers (or, with --audition, hear the cast)."""
    from audiobook.casting.profile import load_profile
    from audiobook.speech.engines import load_engine

    profile = load_profile(cast_path)
    if distances:
        _print_distances(profile)
        return
    if audition:
        from audiobook.casting.audition import audition as audition_cast

        episode = audition_cast(profile, output_dir / f"audition-{Path(profile.source).stem}.mp3")
        click.echo(f"audition of {profile.source}: {episode.duration:.0f} s, one chapter a voice", err=True)
        click.echo(str(episode.mp3))
        return
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


@main.command()
@click.argument("articles", metavar="ARTICLE...", nargs=-1, required=True)
@click.option("--feed", "feed_dir", type=click.Path(path_type=Path), required=True, help="The feed's folder.")
@click.option("--base-url", help="Where the folder is served from (saved in DIR/feed.toml).")
@_CAST
@_RATE
@_JOBS
@_BITRATE
@_CACHE
@_CAUTIOUS
@_CLUSTER
def publish(
    articles: tuple[str, ...], feed_dir: Path, base_url: str | None, cast_path: Path | None, rate: int | None,
    jobs: int | None, bitrate: str, cache: dict, cautious: bool, cluster: str | None,
) -> None:
    """Render each ARTICLE as a podcast episode in the feed folder and update its feed.xml and web pages.

    Publishing the same article again replaces its episode (same guid); no other episode is lost.
    """
    from audiobook.api import Options
    from audiobook.publish.publisher import publish as publish_articles

    options = Options(cast_path=cast_path, **cache, jobs=jobs, rate=rate, bitrate=int(bitrate), cautious=cautious)
    if cluster:
        from audiobook import cluster as on_cluster  # dask loads only when a cluster is asked for

        results = on_cluster.publish(list(articles), feed_dir, base_url, options, cluster, _to_stderr)
    else:
        results = publish_articles(list(articles), feed_dir, base_url, options)
    for result in results:
        if result.error:
            click.echo(f"audiobook: {result.error}", err=True)
        else:
            click.echo(str(result.episode.mp3))
    click.echo(str(feed_dir / "feed.xml"))
    failures = [result.error for result in results if result.error]
    if failures:
        sys.exit(max(error.exit_code for error in failures))


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
def serve(folder: Path, port: int, host: str) -> None:
    """Serve a feed FOLDER over HTTP (HEAD and byte ranges included), until interrupted.

    Only what listeners need is served: feed.xml, the pages, the episodes' media and sidecars, the cover.
    """
    from audiobook.publish.serve import make_server

    server = make_server(folder, port, host)
    click.echo(f"serving {folder} at http://{host}:{server.server_address[1]}/ (Ctrl+C to stop)", err=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


@main.command("cache")
@_CACHE
@click.option("--prune", is_flag=True,
              help="Prune now: the local cache to its limit, and a store's entries older than a day to its limit.")
def cache_command(cache: dict, prune: bool) -> None:
    """Where the clip cache is, how much it holds, and what."""
    from audiobook.speech.cache import CURRENT_KINDS, ClipCache, cache_for

    clips = cache_for(cache["cache_dir"], cache["cache_store"])
    if prune:
        local = ClipCache(clips.folder, clips.limit_bytes).prune()
        stored = clips.shared.prune() if clips.shared else 0
        click.echo(f"pruned: {local} entries here" + (f", {stored} in the store" if clips.shared else ""))
    entries = list(clips.entries())
    current = [entry for entry in entries if entry.kind != "earlier"]
    kinds = ", ".join(f"{sum(entry.kind == kind for entry in current):,} {kind}" for kind in CURRENT_KINDS)
    click.echo(f"local: {clips.store}  {_size(sum(entry.size for entry in current))} of {_size(clips.limit_bytes)}, "
               f"{len(current):,} entries ({kinds} files)")
    if earlier := [entry for entry in entries if entry.kind == "earlier"]:
        click.echo(f"earlier versions: {len(earlier):,} entries, {_size(sum(entry.size for entry in earlier))}, "
                   "removed by the next prune once untouched for an hour")
    if clips.shared:
        stored = [(size, path) for _, size, path, kind in clips.shared.entries() if kind == "entry"]
        click.echo(f"store: {clips.shared.url}  {_size(sum(size for size, _ in stored))} of "
                   f"{_size(clips.shared.limit_bytes)}, {len(stored):,} entries")


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    raise AssertionError("unreachable")


@main.command()
@click.argument("name", metavar="SLUG")
@click.option("--feed", "feed_dir", type=click.Path(path_type=Path), required=True, help="The feed's folder.")
def unpublish(name: str, feed_dir: Path) -> None:
    """Take the episode SLUG (its file name in DIR/episodes/) out of the feed: feed.xml and the pages
    stop listing it, then its files are removed. Locked and atomic, like publish."""
    from audiobook.publish.publisher import unpublish as unpublish_episode

    record = unpublish_episode(name, feed_dir)
    click.echo(f"unpublished {record.slug} ({record.title})", err=True)
    click.echo(str(feed_dir / "feed.xml"))


def _describe(voice) -> str:  # noqa: ANN001
    variant = f"+{voice.variant}" if voice.variant else ""
    return f"{voice.id:<18} {voice.engine}:{voice.name}{variant} rate {voice.rate} pitch {voice.pitch}"


if __name__ == "__main__":
    main()
