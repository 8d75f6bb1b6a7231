"""Small commands around the books: serve the sandbox, parse a saved response, refresh some events."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from palimpsest_pipeline.cli.app import chosen_countries, country_option, edition_notes, loaded_settings, main
from palimpsest_pipeline.records import Book


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Listen address (loopback by default).")
@click.option("--port", default=8765, show_default=True)
@click.option("--seed", default=7, show_default=True)
@click.option("--size", default=1000, show_default=True)
def sandbox(host: str, port: int, seed: int, size: int) -> None:
    """Serve the books' APIs over the synthetic world until interrupted (runs ``palimpsest-sandbox``)."""
    from palimpsest_pipeline.cli.sandbox_process import sandbox_command

    command = sandbox_command("--host", host, "--port", str(port), "--seed", str(seed), "--size", str(size))
    os.execv(command[0], command)


@main.command()
@click.argument("book", type=click.Choice([b.value for b in Book]))
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def parse(book: str, file: Path) -> None:
    """Parse one saved event-detail response: the event header, then canonical odds rows, as JSON lines."""
    import orjson

    from palimpsest_pipeline.books.saved_response import SavedResponseError, parse_saved_response

    try:
        lines = parse_saved_response(Book(book), file)
        out = sys.stdout.buffer
        for line in lines:
            out.write(orjson.dumps(line) + b"\n")
    except BrokenPipeError:
        # The reader stopped early (`| head`): not an error. Send stdout to devnull so exit stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (SavedResponseError, OSError) as error:
        raise click.ClickException(str(error)) from None


@main.command()
@click.argument("sr_ids", nargs=-1, type=int, required=True)
@country_option
def refresh(sr_ids: tuple[int, ...], country: str | None) -> None:
    """Capture these SportRadar ids on every book of one site country (--country) or of every configured
    one now, and print what each book gave.

    Uses the books named by PALIMPSEST_*_URL (a running `palimpsest sandbox`, or the real books).
    """
    import dagster as dg

    from palimpsest_pipeline import runtime
    from palimpsest_pipeline.cli.refresh import refresh_now
    from palimpsest_pipeline.cli.running import run_followed
    from palimpsest_pipeline.defs.resources import resources_from_env

    countries = chosen_countries(country)
    for note in edition_notes(countries):
        click.echo(note)
    runtime.prepare(loaded_settings())
    missing = loaded_settings().unset(runtime.url_variables(loaded_settings(), countries).values())
    if missing:
        click.echo(
            f"refresh: set {', '.join(missing)} to the books' base URLs (the sandbox's are printed by "
            "`palimpsest sandbox`)"
        )
        sys.exit(2)
    # every URL an EnvVar: a plain string would be stored, password and all, in the run's job snapshot
    instance = dg.DagsterInstance.get()
    sys.exit(
        refresh_now(
            list(sr_ids),
            resources=resources_from_env(),
            instance=instance,
            around=lambda execute: run_followed(instance, execute),
            country=country and countries[0],
        )
    )
