"""The demo: the whole pipeline once on the embedded defaults, the soonest matches captured again as the
sandbox's clock moves on (cli/demo_captures.py), then the summary."""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime, timedelta

import click

from palimpsest_pipeline import runtime
from palimpsest_pipeline.books.competitors import COUNTRIES_VAR
from palimpsest_pipeline.cli.app import loaded_settings, main
from palimpsest_pipeline.cli.countries import scraped_in
from palimpsest_pipeline.cli.demo_captures import WINDOW, capture_again
from palimpsest_pipeline.cli.progress import heartbeat
from palimpsest_pipeline.cli.running import materialize_range_followed
from palimpsest_pipeline.settings import SettingsLoadError, load_settings
from palimpsest_pipeline.warehouse.config import redacted_url

#: The demo's site countries: Nigeria, and Ghana, where BetPawa meets SportyBet, MSport, Betway and Betika.
DEMO_COUNTRIES = "ng,gh"


@main.command()
@click.option("--days", default=15, show_default=True, help="Kick-off dates to cover, from today (UTC).")
@click.option("--seed", default=7, show_default=True, help="Seed of the sandbox's synthetic world.")
@click.option(
    "--size", default=1000, show_default=True, help="About how many events each sandbox book lists."
)
@click.option(
    "--countries",
    default=DEMO_COUNTRIES,
    show_default=True,
    help=f"The site countries to run (sets {COUNTRIES_VAR}): codes separated by commas.",
)
@click.option(
    "--odds-hours",
    type=click.FloatRange(min=0),
    default=None,
    help="Capture odds of the events kicking off within this many hours (default: the kick-off sensor's "
    "horizon, PALIMPSEST_ODDS_HORIZON_HOURS, as a running deployment holds them; 0: every event of the "
    "dates).",
)
@click.option(
    "--window",
    type=click.FloatRange(min=1),
    default=WINDOW.total_seconds(),
    show_default=True,
    help="Seconds of real time over which the later captures judge who moves first (they are seconds apart "
    "on the clock that stamps captures; the first waits until two windows have passed).",
)
@click.option(
    "--real-books", is_flag=True, help="Scrape the real books (PALIMPSEST_*_URL) instead of the sandbox."
)
def demo(
    days: int,
    seed: int,
    size: int,
    countries: str,
    odds_hours: float | None,
    window: float,
    real_books: bool,
) -> None:
    """Run the whole pipeline once on the embedded defaults and print the coverage summary: catalogues and
    coverage of every kick-off date, odds of the events the kick-off sensor would be capturing now."""
    run_countries(countries)
    started = time.monotonic()
    settings = loaded_settings()
    site_countries = settings.site_countries()
    with heartbeat("warehouse", "starting the database and migrating it"):
        rt = runtime.prepare(settings)
    from palimpsest_pipeline.cli.sandbox_process import start_sandbox_process
    from palimpsest_pipeline.report.build import default_report_path
    from palimpsest_pipeline.summary import format_countries, format_key_health, read_key_health

    if odds_hours is None:
        odds_hours = settings.cadence_policy().horizon.total_seconds() / 3600
    click.echo(f"warehouse: {redacted_url(rt.psql_url)}")
    first = datetime.now(UTC).date()
    last = first + timedelta(days=days - 1)
    # A port of its own (any free one): the demo's sandbox lives as long as its run, nothing else calls it,
    # and `make dev`'s sandbox may hold 8765 meanwhile. Its own process: its memory is not the pipeline's.
    sandbox = None
    if not real_books:
        with heartbeat("sandbox", "starting"):
            sandbox = start_sandbox_process(seed=seed, size=size)
    try:
        if sandbox is not None:
            runtime.point_books_at(sandbox.base_urls, edition_urls=sandbox.edition_urls)
            click.echo(f"sandbox: {sandbox.url} (seed {seed}, about {size} events per book)")
        else:
            runtime.point_books_at_real()
        reach = "every event" if not odds_hours else f"the events kicking off within {odds_hours:g} h"
        click.echo(
            f"materializing every asset for kick-off dates {first} .. {last} in one run, odds of {reach} ..."
        )
        within = {"ops": {"odds_snapshots": {"config": {"within_hours": odds_hours}}}} if odds_hours else None
        result = materialize_range_followed(first, last, run_config=within)
        later = None
        if sandbox is not None and result.success:
            later = capture_again(
                sandbox,
                rt.psql_url,
                first,
                last,
                countries=site_countries,
                window=timedelta(seconds=window),
            )
    finally:
        if sandbox is not None:
            sandbox.stop()
    import psycopg

    with heartbeat("summary", "reading the warehouse"), psycopg.connect(rt.psql_url) as conn:
        per_country = format_countries(conn, first, last)
        books = [book.value for book in scraped_in(site_countries)]
        key_health = format_key_health(read_key_health(conn, result.run_id, books))
    click.echo("")
    click.echo(per_country)
    if later is not None and later.sr_ids:
        click.echo(f"  ({later.note()})")
    click.echo("")
    click.echo(key_health)
    click.echo("")
    status = "succeeded" if result.success else "FAILED (see the run in the Dagster UI)"
    if later is not None and not later.success:
        status = "succeeded, its later captures FAILED (see the runs in the Dagster UI)"
    click.echo(f"run {result.run_id} {status} in {time.monotonic() - started:.1f} s")
    report_path = default_report_path(rt.home)
    if report_path.exists():
        click.echo(f"Traders' report (one page, opens offline): {report_path}")
    click.echo("Open the same data:")
    click.echo("  Dagster UI:  make dev, then http://127.0.0.1:3000 (this run is in its Runs tab)")
    click.echo('  psql:        psql "$(.venv/bin/palimpsest db url)"   (read-only analyst login; the owner:')
    click.echo("               db url --owner)")
    if not result.success or (later is not None and not later.success):
        sys.exit(1)


def run_countries(countries: str) -> None:
    """Make ``countries`` the pipeline's site countries before its definitions load (they read
    ``PALIMPSEST_COUNTRIES`` once): a country the competitors file does not list is a usage error."""
    if "palimpsest_pipeline.defs.partitions" in sys.modules:
        raise click.ClickException("the definitions loaded before the demo chose its countries")
    os.environ[COUNTRIES_VAR] = countries
    try:
        load_settings()
    except SettingsLoadError as error:
        os.environ.pop(COUNTRIES_VAR, None)
        raise click.BadParameter(str(error), param_hint="--countries") from None
