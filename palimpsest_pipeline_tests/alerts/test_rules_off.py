"""A rule switched off (``PALIMPSEST_ALERT_RULES_OFF``) still evaluates: its alerts are recorded with status
``off`` and reach no receiver, the other rules' are sent as before, and the weekly digest counts what the
rule would have raised. Nigeria's and Ghana's hand-built rows (``two_countries.py``): at 12:00 with a 6 h
window, list_soon finds Nigeria's 1002 and Ghana's 2002, price_out_of_line match 1001 in both countries."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from palimpsest_pipeline.alerts.deliver import receivers_from
from palimpsest_pipeline.alerts.evaluate import evaluate_alerts
from palimpsest_pipeline.alerts.rules import RULES
from palimpsest_pipeline.alerts.settings import AlertSettings
from palimpsest_pipeline.defs.resources import WarehouseResource
from palimpsest_pipeline.partition_keys import iso_week
from palimpsest_pipeline.report.digest_build import build_digest
from palimpsest_pipeline.settings import SettingsLoadError, load_settings
from palimpsest_pipeline.warehouse.digest_reader import DigestWeek
from palimpsest_pipeline_tests.alerts.receiver import Receiver
from palimpsest_pipeline_tests.two_countries import AT, seed_two_countries

SETTINGS = AlertSettings(price_minutes=0, list_within_hours=6, price_gap=0.05, rules_off=("list_soon",))


def test_a_rule_switched_off_records_what_it_would_raise_and_sends_nothing(
    warehouse_url: str, warehouse_conn: psycopg.Connection, receiver: Receiver, tmp_path: Path
) -> None:
    connect = WarehouseResource(database_url=warehouse_url).connect
    receivers = receivers_from(receiver.url)
    seed_two_countries(warehouse_conn)
    warehouse_conn.commit()

    first = evaluate_alerts(connect, SETTINGS, receivers, AT)
    assert (first.raised, first.switched_off, first.sent) == (2, 2, 2)
    assert sorted(body["title"].split(":")[0] for body in receiver.bodies) == ["Ghana", "Nigeria"]
    assert all("below" in body["title"] for body in receiver.bodies)  # price_out_of_line's only
    statuses = warehouse_conn.execute(
        "SELECT rule, subject, status, (SELECT count(*) FROM analytics.alert_deliveries d"
        " WHERE d.alert_id = a.alert_id) FROM analytics.alerts a ORDER BY rule, subject"
    ).fetchall()
    assert statuses == [
        ("list_soon", "gh:2002", "off", 0),
        ("list_soon", "ng:1002", "off", 0),
        ("price_out_of_line", "gh:1001", "sent", 1),
        ("price_out_of_line", "ng:1001", "sent", 1),
    ]
    # the condition holds a minute later: an off alert cools its subject down as a sent one would
    later = evaluate_alerts(connect, SETTINGS, receivers, AT + timedelta(minutes=1))
    assert (later.raised, later.switched_off, later.sent) == (0, 0, 0)

    built = build_digest(
        warehouse_conn, DigestWeek("ng", iso_week(AT.date())), tmp_path, rules=RULES,
        rules_off=SETTINGS.rules_off, now=AT + timedelta(minutes=2),
    )  # fmt: skip
    counts = (tmp_path / "alerts_ng.csv").read_text().splitlines()
    assert "list_soon,off,0,1,0" in counts and "price_out_of_line,on,1,0,0" in counts
    assert "alarms: 1 raised, 1 more from rules switched off" in built.summary


def test_the_settings_name_rules_and_a_public_url_and_refuse_what_is_neither() -> None:
    settings = load_settings({"PALIMPSEST_ALERT_RULES_OFF": "list_soon, keys_drift"})
    assert settings.alert_settings().rules_off == ("list_soon", "keys_drift")
    assert load_settings({}).alert_settings().rules_off == ()
    with pytest.raises(SettingsLoadError, match=r"PALIMPSEST_ALERT_RULES_OFF.*names no rule: late_start"):
        load_settings({"PALIMPSEST_ALERT_RULES_OFF": "live_gap,late_start"})
    assert load_settings({"PALIMPSEST_REPORT_PUBLIC_URL": "https://r.example/p"}).report_public_url
    with pytest.raises(SettingsLoadError, match="PALIMPSEST_REPORT_PUBLIC_URL"):
        load_settings({"PALIMPSEST_REPORT_PUBLIC_URL": "reports.example/p"})
