"""``palimpsest backfill``: rebuild a range of kick-off dates as ONE run, from the books or the archive."""

from __future__ import annotations

import sys
from datetime import datetime

import click

from palimpsest_pipeline import runtime
from palimpsest_pipeline.cli.app import chosen_countries, country_option, edition_notes, loaded_settings, main
from palimpsest_pipeline.cli.running import materialize_range_followed


@main.command()
@click.argument("start", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.argument("end", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option(
    "--from-archive",
    is_flag=True,
    help="Replay the archived responses instead of asking the books (catalogues and odds).",
)
@country_option
def backfill(start: datetime, end: datetime, from_archive: bool, country: str | None) -> None:
    """Materialize every asset for kick-off dates START .. END (YYYY-MM-DD) of one site country (--country)
    or of every configured one, in one run, showing progress.

    The same run as `dg launch --assets '*' --partition-range 'START...END'` (or `--assets 'CC/*'` for one
    country); --from-archive replays the archive. Book URLs come from PALIMPSEST_*_URL (`palimpsest env`).
    """
    from palimpsest_pipeline.defs.catalogue.archive_source import archive_run_config

    first, last = start.date(), end.date()
    if last < first:
        raise click.BadParameter(f"END {last} is before START {first}", param_hint="END")
    countries = chosen_countries(country)
    runtime.prepare(loaded_settings())
    missing = loaded_settings().unset(runtime.url_variables(loaded_settings(), countries).values())
    if missing and not from_archive:
        raise click.ClickException(f'set {", ".join(missing)} (eval "$(palimpsest env)" for the sandbox\'s)')
    if missing:
        runtime.point_books_at_real()  # an archive replay never sends a request; the URLs only label it
    source = "the archive" if from_archive else "the books"
    for note in edition_notes(countries):
        click.echo(note)
    click.echo(
        f"backfilling kick-off dates {first} .. {last} of {', '.join(countries)} from {source}, "
        "in one run ..."
    )
    result = materialize_range_followed(
        first,
        last,
        country=country and countries[0],
        run_config=archive_run_config(countries=tuple(countries)) if from_archive else None,
    )
    click.echo(
        f"run {result.run_id} {'succeeded' if result.success else 'FAILED (see it in the Dagster UI)'}"
    )
    sys.exit(0 if result.success else 1)
