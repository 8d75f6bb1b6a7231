"""Alerts per site country, end to end: Nigeria's and Ghana's hand-built rows (``two_countries.py``) in a real
warehouse, apprise posting to a local receiver.

Expected by hand at 12:00 with a 6 h window and a 5 % gap: to list soon, Nigeria's 1002 (16:00) and Ghana's
2002 (15:00), not Ghana's 2003 (19:00); out of line, match 1001 in both countries (Nigeria's home price 9.1 %
below MSport's, Ghana's draw 14.3 % below SportyBet's). The same match in two countries is two conditions: one
clearing or cooling down never touches the other.
"""

from __future__ import annotations

from datetime import timedelta

import psycopg

from palimpsest_pipeline.alerts.deliver import receivers_from
from palimpsest_pipeline.alerts.evaluate import evaluate_alerts
from palimpsest_pipeline.alerts.settings import AlertSettings
from palimpsest_pipeline.defs.resources import WarehouseResource
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.alerts.receiver import Receiver
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.two_countries import AT, seed_two_countries
from palimpsest_pipeline_tests.warehouse.previous_version.load import previous_warehouse

SETTINGS = AlertSettings(price_minutes=0, list_within_hours=6, price_gap=0.05)


def _alerts(conn: psycopg.Connection) -> list[tuple[object, ...]]:
    return conn.execute(
        "SELECT rule, subject, status, details->>'site_country', cleared_at IS NOT NULL "
        "FROM analytics.alerts ORDER BY rule, subject, alert_id"
    ).fetchall()


def test_each_country_alerts_on_its_own_and_never_silences_the_other(
    warehouse_url: str, warehouse_conn: psycopg.Connection, receiver: Receiver
) -> None:
    connect = WarehouseResource(database_url=warehouse_url).connect
    receivers = receivers_from(receiver.url)
    seed_two_countries(warehouse_conn)

    first = evaluate_alerts(connect, SETTINGS, receivers, AT)
    assert (first.raised, first.suppressed, first.sent) == (4, 0, 4)
    assert _alerts(warehouse_conn) == [
        ("list_soon", "gh:2002", "sent", "gh", False),
        ("list_soon", "ng:1002", "sent", "ng", False),
        ("price_out_of_line", "gh:1001", "sent", "gh", False),
        ("price_out_of_line", "ng:1001", "sent", "ng", False),
    ]
    titles = sorted(body["title"] for body in receiver.bodies)
    assert titles == [
        "Ghana: BetPawa 14% below SportyBet on 1 outcome(s): Arsenal v Chelsea (football / Premier League)",
        "Ghana: not on BetPawa, kicks off in 3.0 h: Hearts v Kotoko (football / Ghana Premier League)",
        "Nigeria: BetPawa 9% below MSport on 1 outcome(s): Arsenal v Chelsea (football / Premier League)",
        "Nigeria: not on BetPawa, kicks off in 4.0 h: Everton v Fulham (football / Premier League)",
    ]
    bodies = {
        body["title"].split(":")[0]: body["message"] for body in receiver.bodies if "below" in body["title"]
    }
    assert "1X2: 1: BetPawa 2.00, best 2.20 (MSport), 9% below" in bodies["Nigeria"]
    assert "1X2: X: BetPawa 3.00, best 3.50 (SportyBet), 14% below" in bodies["Ghana"]
    assert "Ghana sites" in bodies["Ghana"] and "Nigeria" not in bodies["Ghana"]

    # Ghana's draw comes into line: its condition clears, Nigeria's on the same match holds and stays sent.
    warehouse_conn.execute(
        "UPDATE analytics.outcome_prices_stored SET price = 3.50 "
        "WHERE site_country = 'gh' AND book = 'betpawa' AND sr_id = 1001 AND outcome = 2"
    )
    later = evaluate_alerts(connect, SETTINGS, receivers, AT + timedelta(minutes=1))
    assert (later.cleared, later.raised, later.sent) == (1, 0, 0)
    assert [row for row in _alerts(warehouse_conn) if row[0] == "price_out_of_line"] == [
        ("price_out_of_line", "gh:1001", "sent", "gh", True),
        ("price_out_of_line", "ng:1001", "sent", "ng", False),
    ]

    # Ghana's draw out of line again within the cooldown: held back by Ghana's own alert, not Nigeria's.
    warehouse_conn.execute(
        "UPDATE analytics.outcome_prices_stored SET price = 3.00 "
        "WHERE site_country = 'gh' AND book = 'betpawa' AND sr_id = 1001 AND outcome = 2"
    )
    again = evaluate_alerts(connect, SETTINGS, receivers, AT + timedelta(minutes=2))
    assert (again.raised, again.suppressed) == (0, 1)
    held = warehouse_conn.execute(
        "SELECT a.subject, b.subject FROM analytics.alerts a "
        "JOIN analytics.alerts b ON b.alert_id = a.suppressed_by"
    ).fetchall()
    assert held == [("gh:1001", "gh:1001")]
    assert len(receiver.bodies) == 4


def test_an_open_condition_of_the_previous_version_keeps_its_episode_through_the_upgrade(
    pg_server_url: str, reader_password: str, receiver: Receiver
) -> None:
    """Before, Nigeria's match 1002 was subject "1002"; it becomes "ng:1002" and, alerted ten minutes ago,
    is not alerted again within the cooldown (the book-named feed_stale subject becomes "ng:bet9ja")."""
    since = AT - timedelta(minutes=10)
    with previous_warehouse(pg_server_url) as url:
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            captured = {row[0] for row in conn.execute("SELECT DISTINCT book FROM core.odds_captures")}
            for rule, subject in (("list_soon", "1002"), ("feed_stale", "bet9ja")):
                conn.execute(
                    "INSERT INTO analytics.alert_conditions (rule, subject, first_seen_at, last_seen_at, "
                    "title) VALUES (%s, %s, %s, %s, 'then')",
                    (rule, subject, since, AT - timedelta(minutes=1)),
                )
                conn.execute(
                    "INSERT INTO analytics.alerts (rule, subject, status, title, body, condition_since, "
                    "raised_at, sent_at) VALUES (%s, %s, 'sent', 'then', 'then', %s, %s, %s)",
                    (rule, subject, since, since, since),
                )
        migrate(url, password=reader_password)
        with psycopg.connect(libpq_url(url), autocommit=True) as conn:
            subjects = conn.execute(
                "SELECT rule, subject FROM analytics.alert_conditions UNION ALL "
                "SELECT rule, subject FROM analytics.alerts ORDER BY 1, 2"
            ).fetchall()
            assert subjects == [("feed_stale", "ng:bet9ja")] * 2 + [("list_soon", "ng:1002")] * 2
            seed_two_countries(conn)
            connect = WarehouseResource(database_url=url).connect
            evaluation = evaluate_alerts(connect, SETTINGS, receivers_from(receiver.url), AT)
            raised = conn.execute(
                "SELECT rule, subject FROM analytics.alerts WHERE raised_at = %s ORDER BY subject", (AT,)
            ).fetchall()
            first_seen = conn.execute(
                "SELECT first_seen_at FROM analytics.alert_conditions WHERE subject = 'ng:1002'"
            ).fetchone()
    # a scraped book the previous version never captured, beside those it did, has a stale feed
    never_captured = [("feed_stale", f"ng:{b.value}") for b in NIGERIA_BOOKS if b.value not in captured]
    countries = [("price_out_of_line", "gh:1001"), ("list_soon", "gh:2002"), ("price_out_of_line", "ng:1001")]
    assert sorted(raised, key=lambda row: row[1]) == sorted(
        [*countries, *never_captured], key=lambda row: row[1]
    )
    assert evaluation.raised == len(countries) + len(never_captured)
    assert first_seen == (since,)
