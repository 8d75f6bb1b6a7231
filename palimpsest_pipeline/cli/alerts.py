"""``palimpsest alerts``: try the receivers of ``PALIMPSEST_ALERT_URLS``, and evaluate the rules once now."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

import click

from palimpsest_pipeline import runtime
from palimpsest_pipeline.cli.app import loaded_settings, main

if TYPE_CHECKING:
    from palimpsest_pipeline.alerts.deliver import Receiver


@main.group()
def alerts() -> None:
    """Traders' alerts (the alerts_sensor's rules, docs/operations.md#alerts)."""


def _receivers() -> list[Receiver]:
    from palimpsest_pipeline.alerts.deliver import ReceiverError, receivers_from

    try:
        return receivers_from(loaded_settings().alert_urls.get_secret_value())
    except ReceiverError as error:
        raise click.ClickException(str(error)) from None


@alerts.command("test")
def test_receivers() -> None:
    """Send one test notification to each receiver; say, by label, which took it (never the URL)."""
    from palimpsest_pipeline.alerts.deliver import send

    receivers = _receivers()
    if not receivers:
        raise click.ClickException("PALIMPSEST_ALERT_URLS is not set: there is no receiver to try")
    failed = 0
    for receiver in receivers:
        error = send(receiver, "Palimpsest test alert", "A test notification from `palimpsest alerts test`.")
        failed += error is not None
        click.echo(f"{receiver.label}: " + ("sent" if error is None else f"failed: {error}"))
    if failed:
        raise click.exceptions.Exit(1)


@alerts.command("check")
def check() -> None:
    """Evaluate every rule now, record and deliver as the sensor does, and print what it did."""
    import psycopg

    from palimpsest_pipeline.alerts.evaluate import evaluate_alerts

    settings = loaded_settings()
    connect = partial(psycopg.connect, runtime.prepare(settings).psql_url)
    evaluation = evaluate_alerts(connect, settings.alert_settings(), _receivers(), now=datetime.now(UTC))
    click.echo(evaluation.describe())
