"""``palimpsest report``: the traders' report, one self-contained HTML page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from palimpsest_pipeline import runtime
from palimpsest_pipeline.cli.app import loaded_settings, main


@main.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where to write the page [default: $PALIMPSEST_HOME/reports/traders_report.html].",
)
@click.option("--days", default=15, show_default=True, help="Kick-off dates to cover, from today (UTC).")
def report(out: Path | None, days: int) -> None:
    """Write the traders' report: coverage, price position, margins and changes, as one HTML page.

    The page needs no network to open: scripts, styles and data are inline.
    """
    import psycopg

    from palimpsest_pipeline.report.build import build_report, default_report_path

    if days < 1:
        raise click.BadParameter("must be at least 1", param_hint="--days")
    rt = runtime.prepare(loaded_settings())
    first = datetime.now(UTC).date()
    path = out or default_report_path(rt.home)
    with psycopg.connect(rt.psql_url) as conn:
        built = build_report(conn, first, first + timedelta(days=days - 1), path)
    click.echo(
        f"report: {built.path} ({built.bytes / 1e6:.1f} MB, {built.drawn} of {built.charts} charts "
        f"with data, built in {built.seconds:.1f} s)"
    )
