"""``palimpsest digest``: one site country's weekly digest, built offline (and sent with ``--send``)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from palimpsest_pipeline import runtime
from palimpsest_pipeline.cli.app import chosen_countries, loaded_settings, main
from palimpsest_pipeline.partition_keys import PartitionKeyError, week_before, week_dates


@main.command()
@click.option("--country", required=True, metavar="CC", help="The site country (ISO code, e.g. ng).")
@click.option("--week", default=None, metavar="YYYY-Www", help="The ISO week [default: the last full one].")
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="The folder for the page and its CSVs [default: $PALIMPSEST_HOME/reports/digests/<cc>/<week>].",
)
@click.option("--send", is_flag=True, help="Also send it to PALIMPSEST_ALERT_URLS (once per receiver).")
def digest(country: str, week: str | None, out: Path | None, send: bool) -> None:
    """Write one site country's weekly digest: coverage gained and lost, late starts, what to list and the
    per-event alarms, as one HTML page that opens offline and a CSV per table."""
    import psycopg

    from palimpsest_pipeline.alerts.deliver import ReceiverError, receivers_from
    from palimpsest_pipeline.alerts.rules import RULES
    from palimpsest_pipeline.report.build import default_report_path
    from palimpsest_pipeline.report.digest_build import build_digest, deliver_digest, digest_directory
    from palimpsest_pipeline.warehouse.digest_reader import DigestWeek

    (cc,) = chosen_countries(country)
    now = datetime.now(UTC)
    chosen = week or week_before(now.date())
    try:
        week_dates(chosen)
    except PartitionKeyError as error:
        raise click.BadParameter(str(error), param_hint="--week") from None
    settings = loaded_settings()
    try:
        receivers = receivers_from(settings.alert_urls.get_secret_value()) if send else []
    except ReceiverError as error:
        raise click.ClickException(str(error)) from None
    rt = runtime.prepare(settings)
    directory = out or digest_directory(default_report_path(rt.home).parent, cc, chosen)
    rules_off = settings.alert_settings().rules_off
    with psycopg.connect(rt.psql_url, autocommit=True) as conn:
        built = build_digest(
            conn, DigestWeek(cc, chosen), directory, rules=RULES, rules_off=rules_off, now=now
        )
        click.echo(
            f"digest: {built.page} and {len(built.csvs)} CSV(s), {built.charts} chart(s), built in "
            f"{built.seconds:.1f} s"
            + (f"; not measured yet: {', '.join(built.not_measured)}" if built.not_measured else "")
        )
        if send:
            delivered = deliver_digest(conn, built, receivers, public_url=settings.report_public_url, now=now)
            click.echo(f"sent: {delivered.describe()}")
