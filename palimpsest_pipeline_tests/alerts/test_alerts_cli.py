"""``palimpsest alerts test`` and ``check`` against a local receiver and a real warehouse."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner

from palimpsest_pipeline.cli import main
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.alerts.receiver import SECRET, Receiver
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_alerts_test_says_which_receiver_took_it_by_label_only(receiver: Receiver) -> None:
    down = f"json://127.0.0.1:{_closed_port()}/hook/{SECRET}"
    result = CliRunner().invoke(
        main, ["alerts", "test"], env={"PALIMPSEST_ALERT_URLS": f"{receiver.url}, {down}"}
    )
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert lines[0] == "json#1: sent" and lines[1].startswith("json#2: failed: ")
    assert SECRET not in result.output
    assert [body["title"] for body in receiver.bodies] == ["Palimpsest test alert"]


def test_alerts_test_without_receivers_says_so() -> None:
    result = CliRunner().invoke(main, ["alerts", "test"], env={"PALIMPSEST_ALERT_URLS": ""})
    assert result.exit_code != 0 and "PALIMPSEST_ALERT_URLS is not set" in result.output


def test_alerts_check_evaluates_the_rules_on_the_warehouse(
    receiver: Receiver,
    warehouse_url: str,
    warehouse_conn: psycopg.Connection,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = datetime.now(UTC)
    ages = {
        book.value: timedelta(hours=2) if book is Book.BETPAWA else timedelta(0) for book in NIGERIA_BOOKS
    }
    for book, age in ages.items():
        warehouse_conn.execute(
            "INSERT INTO core.odds_captures (sr_id, book, captured_at, batch_id, status, site_country)"
            " VALUES (1, %s, %s, 'b', 'ok', 'ng')",
            (book, now - age),
        )
    for variable in ("PALIMPSEST_DATABASE_URL", "PALIMPSEST_DAGSTER_STORAGE_URL", "DAGSTER_HOME"):
        monkeypatch.delenv(variable, raising=False)  # runtime.prepare exports these: restored after the test
    env = {
        "PALIMPSEST_DATABASE_URL": warehouse_url,
        "PALIMPSEST_HOME": str(tmp_path),
        "PALIMPSEST_ALERT_URLS": receiver.url,
    }
    result = CliRunner().invoke(main, ["alerts", "check"], env=env)
    assert result.exit_code == 0, result.output
    assert "1 alert(s) raised" in result.output and "1 delivery(ies) sent" in result.output
    assert [body["title"] for body in receiver.bodies] == ["BetPawa's odds feed is stale"]
