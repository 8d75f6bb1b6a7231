"""Alerts end to end: conditions in a real warehouse, apprise posting to a local JSON receiver over real
sockets, the receiver down and back, and the Dagster sensor evaluated. Expected times are worked out by hand
from the backoff (5 s doubling, at most 60 s) and the evaluation cadence (15 s)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import dagster as dg
import psycopg

from palimpsest_pipeline.alerts.deliver import receivers_from
from palimpsest_pipeline.alerts.evaluate import evaluate_alerts
from palimpsest_pipeline.alerts.settings import AlertSettings
from palimpsest_pipeline.defs.alerts.sensor import alerts_sensor
from palimpsest_pipeline.defs.resources import AlertsResource, WarehouseResource
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse import alert_findings
from palimpsest_pipeline_tests.alerts.receiver import SECRET, Receiver
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SETTINGS = AlertSettings(stale_minutes=45, retry_max_seconds=60)


def _capture(conn: psycopg.Connection, book: str, at: datetime) -> None:
    conn.execute(
        "INSERT INTO core.odds_captures (sr_id, book, captured_at, batch_id, status, site_country)"
        " VALUES (1, %s, %s, 'b', 'ok', 'ng')",
        (book, at),
    )


def _others(stale: Book) -> list[str]:
    """Every scraped book but ``stale``: the books whose feeds a test keeps fresh."""
    return [book.value for book in NIGERIA_BOOKS if book is not stale]


def _alerts(conn: psycopg.Connection) -> list[tuple[object, ...]]:
    return conn.execute(
        "SELECT a.rule, a.subject, a.status, a.cleared_at, d.attempts, d.sent_at"
        " FROM analytics.alerts a LEFT JOIN analytics.alert_deliveries d USING (alert_id) ORDER BY alert_id"
    ).fetchall()


def test_a_stale_feed_is_sent_once_and_clears_when_the_book_catches_up(
    warehouse_url: str, warehouse_conn: psycopg.Connection, receiver: Receiver
) -> None:
    connect = WarehouseResource(database_url=warehouse_url).connect
    receivers = receivers_from(receiver.url)
    for book in _others(Book.BETPAWA):
        _capture(warehouse_conn, book, T0 - timedelta(minutes=1))
    _capture(warehouse_conn, "betpawa", T0 - timedelta(hours=2))

    first = evaluate_alerts(connect, SETTINGS, receivers, T0)
    assert (first.raised, first.sent) == (1, 1)
    assert [b["title"] for b in receiver.bodies] == ["BetPawa's odds feed is stale"]
    for seconds in (15, 30, 45):
        evaluate_alerts(connect, SETTINGS, receivers, T0 + timedelta(seconds=seconds))
    assert len(receiver.bodies) == 1  # one alert per condition

    _capture(warehouse_conn, "betpawa", T0 + timedelta(seconds=50))
    cleared = evaluate_alerts(connect, SETTINGS, receivers, T0 + timedelta(seconds=60))
    assert cleared.cleared == 1
    assert _alerts(warehouse_conn) == [
        ("feed_stale", "ng:betpawa", "sent", T0 + timedelta(seconds=60), 1, T0)
    ]
    assert warehouse_conn.execute("SELECT count(*) FROM analytics.alert_conditions").fetchone() == (0,)


def test_a_receiver_down_for_five_minutes_gets_the_alert_once_when_it_returns(
    warehouse_url: str, warehouse_conn: psycopg.Connection, receiver: Receiver
) -> None:
    connect = WarehouseResource(database_url=warehouse_url).connect
    receivers = receivers_from(receiver.url)
    for book in _others(Book.BET9JA):
        _capture(warehouse_conn, book, T0 - timedelta(minutes=1))
    _capture(warehouse_conn, "bet9ja", T0 - timedelta(hours=2))
    receiver.stop()

    # evaluations every 15 s; attempts fall due at 0, 5, 25, 50, 100, 165, 225, 285, 345 s (5 s doubling,
    # at most 60 s) and are made at the first evaluation at or after each: 0, 15, 30, 60, 105, 165, 225, 285
    attempted_at = []
    for tick in range(0, 345, 15):
        if tick == 300:
            receiver.start()  # back on its port after five minutes
        at = T0 + timedelta(seconds=tick)
        if evaluate_alerts(connect, SETTINGS, receivers, at).failed:
            attempted_at.append(tick)
    assert attempted_at == [0, 15, 30, 60, 105, 165, 225, 285]
    assert receiver.bodies == []
    assert _alerts(warehouse_conn) == [("feed_stale", "ng:bet9ja", "failed", None, 8, None)]

    delivered = evaluate_alerts(connect, SETTINGS, receivers, T0 + timedelta(seconds=345))
    assert delivered.sent == 1
    for tick in (360, 375, 600):
        evaluate_alerts(connect, SETTINGS, receivers, T0 + timedelta(seconds=tick))
    assert [b["title"] for b in receiver.bodies] == ["Bet9ja's odds feed is stale"]
    assert _alerts(warehouse_conn) == [
        ("feed_stale", "ng:bet9ja", "sent", None, 9, T0 + timedelta(seconds=345))
    ]
    errors = warehouse_conn.execute("SELECT last_error FROM analytics.alert_deliveries").fetchall()
    assert SECRET not in str(errors)


def test_the_sensor_evaluates_the_rules_and_never_shows_a_receivers_url(
    warehouse_url: str, warehouse_conn: psycopg.Connection, receiver: Receiver
) -> None:
    now = datetime.now(UTC)
    for book in _others(Book.SPORTYBET):
        _capture(warehouse_conn, book, now - timedelta(minutes=1))
    _capture(warehouse_conn, "sportybet", now - timedelta(hours=3))
    resources = {
        "warehouse": WarehouseResource(database_url=warehouse_url),
        "alerting": AlertsResource(urls=receiver.url),
    }
    with dg.instance_for_test() as instance:
        context = dg.build_sensor_context(instance=instance, resources=resources)
        result = alerts_sensor(context)
    assert isinstance(result, dg.SkipReason)
    assert "1 alert(s) raised" in str(result.skip_message) and "1 delivery(ies) sent" in str(
        result.skip_message
    )
    assert SECRET not in str(result.skip_message)
    assert [b["title"] for b in receiver.bodies] == ["SportyBet's odds feed is stale"]
    stored = warehouse_conn.execute("SELECT receiver, status FROM analytics.alert_deliveries").fetchall()
    assert stored == [("json#1", "sent")]


def test_a_fourth_books_feed_is_judged_stale_like_the_first_three(warehouse_conn: psycopg.Connection) -> None:
    """The books judged are those scraped, not a written list: MSport's feed two hours old while BetPawa's
    and SportyBet's are a minute old is stale; a book not scraped (Bet9ja here, never captured) is not."""
    for book in ("betpawa", "sportybet"):
        _capture(warehouse_conn, book, T0 - timedelta(minutes=1))
    _capture(warehouse_conn, "msport", T0 - timedelta(hours=2))
    books = (Book.BETPAWA, Book.SPORTYBET, Book.MSPORT)
    stale = alert_findings.stale_feeds(warehouse_conn, T0, SETTINGS.stale_minutes, books)
    assert [(row["book"], row["feed"]) for row in stale] == [("msport", "odds")]
