"""The demo: the whole pipeline once on the embedded defaults, the soonest matches captured again as the
sandbox's clock moves on by ``STEP`` (one capture sees no price move), then the summary. Captures carry real
send times, seconds apart, so leadership is judged over a real-time ``WINDOW`` (docs/price-leadership.md)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import click
import dagster as dg
import psycopg

from palimpsest_pipeline import runtime
from palimpsest_pipeline.books.competitors import COUNTRIES_VAR
from palimpsest_pipeline.cli.app import loaded_settings, main, scraped_in
from palimpsest_pipeline.cli.demo_clock import pinned_clock
from palimpsest_pipeline.cli.progress import heartbeat
from palimpsest_pipeline.cli.running import materialize_range_followed
from palimpsest_pipeline.cli.sandbox_process import SandboxProcess, start_sandbox_process
from palimpsest_pipeline.defs.countries import capture_op, country_key
from palimpsest_pipeline.derive.leadership import WINDOW_VARIABLE
from palimpsest_pipeline.settings import SettingsLoadError, load_settings
from palimpsest_pipeline.warehouse.capture_listings import read_upcoming
from palimpsest_pipeline.warehouse.config import redacted_url

#: Sandbox time between two captures: longer than Bet9ja's lag (2-5 min), about BetPawa's (7-12 min).
STEP = timedelta(minutes=10)
#: Captures after the demo's first one.
ROUNDS = 2
#: How many of the soonest matches are captured again.
MATCHES = 30
#: The later runs' leadership window by default, in real time: longer than a capture run of ``MATCHES``.
WINDOW = timedelta(seconds=20)


def later_assets(countries: Sequence[str], *, closing: bool) -> list[dg.AssetKey]:
    """What a later run materializes: each country's capture, and after the last one who moves first and
    the report."""
    names = ("odds_snapshots", "price_leadership", "stale_vs_market") if closing else ("odds_snapshots",)
    keys = [country_key(country, name) for country in countries for name in names]
    return [*keys, dg.AssetKey("traders_report")] if closing else keys


def capture_config(countries: Sequence[str], **config: object) -> dict[str, object]:
    """Run config giving every country's capture op ``config``."""
    return {"ops": {capture_op(country): {"config": config} for country in countries}}


@main.command()
@click.option("--days", default=15, show_default=True, help="Kick-off dates to cover, from today (UTC).")
@click.option("--seed", default=7, show_default=True, help="Seed of the sandbox's synthetic world.")
@click.option(
    "--size", default=1000, show_default=True, help="About how many events each sandbox book lists."
)
@click.option(
    "--countries",
    default="ng,gh",  # Nigeria, and Ghana where BetPawa meets four competitors
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
    started_at = datetime.now(UTC)  # the sandbox's clock starts here: earlier kick-offs are not the demo's
    settings = loaded_settings()
    site_countries = settings.site_countries()
    with heartbeat("warehouse", "starting the database and migrating it"):
        rt = runtime.prepare(settings)
    # demo_live loads the definitions: imported once the countries are chosen
    from palimpsest_pipeline.cli.demo_live import KickoffWatch, watch_kickoff
    from palimpsest_pipeline.live_summary import format_live_countries
    from palimpsest_pipeline.report.build import default_report_path
    from palimpsest_pipeline.summary import format_countries, format_key_health, read_key_health

    if odds_hours is None:
        odds_hours = settings.cadence_policy().horizon.total_seconds() / 3600
    click.echo(f"warehouse: {redacted_url(rt.psql_url)}")
    first = datetime.now(UTC).date()
    last = first + timedelta(days=days - 1)
    # Any free port: `make dev`'s sandbox may hold 8765 meanwhile.
    sandbox = None
    if not real_books:
        with heartbeat("sandbox", "starting"):
            sandbox = start_sandbox_process(seed=seed, size=size)
    try:
        if sandbox is not None:
            runtime.point_books_at(sandbox.edition_urls)
            click.echo(f"sandbox: {sandbox.url} (seed {seed}, about {size} events per book)")
        else:
            runtime.point_books_at_real()
        reach = "every event" if not odds_hours else f"the events kicking off within {odds_hours:g} h"
        click.echo(
            f"materializing every asset for kick-off dates {first} .. {last} in one run, odds of {reach} ..."
        )
        within = capture_config(site_countries, within_hours=odds_hours) if odds_hours else None
        result = materialize_range_followed(first, last, run_config=within)
        later = None
        live: KickoffWatch | None = None
        if sandbox is not None and result.success:
            later = capture_again(
                sandbox,
                rt.psql_url,
                first,
                last,
                countries=site_countries,
                window=timedelta(seconds=window),
            )
            if later.success:
                live = watch_kickoff(sandbox, rt.psql_url, first, last, countries=site_countries)
    finally:
        if sandbox is not None:
            sandbox.stop()
    with heartbeat("summary", "reading the warehouse"), psycopg.connect(rt.psql_url) as conn:
        per_country = format_countries(conn, first, last)
        books = [book.value for book in scraped_in(site_countries)]
        key_health = format_key_health(read_key_health(conn, result.run_id, books))
        in_play = (
            format_live_countries(conn, started_at, live.kickoff, site_countries)
            if live and live.kickoff
            else None
        )
    click.echo("")
    click.echo(per_country)
    if later is not None and later.sr_ids:
        click.echo(f"  ({later.note()})")
    if in_play is not None and live is not None:
        click.echo("")
        click.echo(in_play)
        click.echo(f"  ({live.note()})")
    click.echo("")
    click.echo(key_health)
    click.echo("")
    status = "succeeded" if result.success else "FAILED (see the run in the Dagster UI)"
    if later is not None and not later.success:
        status = "succeeded, its later captures FAILED (see the runs in the Dagster UI)"
    elif live is not None and not live.success:
        status = "succeeded, its live watch FAILED (see the watch_live runs in the Dagster UI)"
    click.echo(f"run {result.run_id} {status} in {time.monotonic() - started:.1f} s")
    report_path = default_report_path(rt.home)
    if report_path.exists():
        click.echo(f"Traders' report (one page, opens offline): {report_path}")
    click.echo("Open the same data:")
    click.echo("  Dagster UI:  make dev, then http://127.0.0.1:3000 (this run is in its Runs tab)")
    click.echo('  psql:        psql "$(.venv/bin/palimpsest db url)"   (read-only analyst login; the owner:')
    click.echo("               db url --owner)")
    if (
        not result.success
        or (later is not None and not later.success)
        or (live is not None and not live.success)
    ):
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


@dataclass(frozen=True)
class LaterCaptures:
    sr_ids: list[int]
    instants: list[datetime]  # the sandbox's instant at each later capture
    success: bool
    window: timedelta  # the leadership window the later runs judged over

    def note(self) -> str:
        return (
            f"the {len(self.sr_ids)} soonest matches captured {len(self.instants)} more times, "
            f"{STEP.total_seconds() / 60:.0f} sandbox minutes apart but seconds apart on the real clock that "
            f"stamps captures: a {self.window.total_seconds():g} s window, lags in the demo's time, not the "
            "books'"
        )


def capture_again(
    sandbox: SandboxProcess,
    psql_url: str,
    first: date,
    last: date,
    *,
    countries: Sequence[str],
    window: timedelta,
) -> LaterCaptures:
    """``ROUNDS`` more captures of the soonest matches of ``first`` .. ``last`` on each of ``countries``'
    sites (one run covers them all), ``STEP`` of sandbox time apart; the last run recomputes the leadership
    tables and the report over the whole range, judged over ``window`` of real time."""
    instants: list[datetime] = []
    sr_ids: list[int] = []
    for done in range(1, ROUNDS + 1):
        at = sandbox.advance_clock(STEP.total_seconds())
        instants.append(at)
        if not sr_ids:
            found = (soonest(psql_url, at + ROUNDS * STEP, first, last, site_country=cc) for cc in countries)
            sr_ids = list(dict.fromkeys(sr_id for ids in found for sr_id in ids))
            if not sr_ids:
                click.echo("no match left to capture again: who moves first stays as one capture left it")
                return LaterCaptures([], instants, True, window)
            wait_past_first_capture(psql_url, sr_ids, window)
        closing = done == ROUNDS
        click.echo(
            f"sandbox clock moved on to {at:%H:%M:%S} UTC: capture {done + 1} of the {len(sr_ids)} soonest "
            "matches" + (", then who moves first and the report" if closing else "")
        )
        with pinned_clock(at, {WINDOW_VARIABLE: str(window.total_seconds() / 60)}):
            result = materialize_range_followed(
                first,
                last,
                run_config=capture_config(countries, sr_ids=sr_ids),
                selection=later_assets(countries, closing=closing),
            )
        if not result.success:
            return LaterCaptures(sr_ids, instants, False, window)
    return LaterCaptures(sr_ids, instants, True, window)


def soonest(psql_url: str, after: datetime, first: date, last: date, *, site_country: str) -> list[int]:
    """The SR ids of the ``MATCHES`` soonest matches of ``site_country`` after ``after``, within the dates."""
    until = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=after.tzinfo)
    with psycopg.connect(psql_url) as conn:
        upcoming = read_upcoming(conn, after, until, site_country=site_country)
    ordered = sorted((kickoff, sr_id) for sr_id, kickoff in upcoming if kickoff.date() >= first)
    return [sr_id for _kickoff, sr_id in ordered[:MATCHES]]


def wait_past_first_capture(psql_url: str, sr_ids: Sequence[int], window: timedelta) -> None:
    """Until two windows have passed (real time) since the latest capture of ``sr_ids`` so far."""
    with psycopg.connect(psql_url) as conn:
        row = conn.execute(
            "SELECT max(captured_at), now() FROM core.odds_captures WHERE sr_id = ANY(%s)", (list(sr_ids),)
        ).fetchone()
    if row is None or row[0] is None:
        return
    until = time.monotonic() + (row[0] + 2 * window - row[1]).total_seconds()
    while (left := until - time.monotonic()) > 0:
        click.echo(f"waiting {left:.0f} s: a price move counts two windows after a match's first capture")
        time.sleep(min(left, 5.0))  # a line every 5 s (the progress promise: one every 10 s or less)
