"""The retention rules over hand-built BetPawa rows of analytics.market_retention in a real warehouse,
delivered to a local apprise ``json://`` receiver: each rule raises on its own condition alone, at T-1
against +5 only, within its half hour, per site country, once per match; a switched-off rule records ``off``.

Rows (evaluated at 20:10, +5 snapshots at 20:06 unless said): match 1, 3 of 8 market types kept (37.5 %:
retention_low), nothing else; match 2, 6 of 8 kept but 1X2 dropped (key_market_dropped); match 3, 8 of 8
kept, 2 of 40 prices moved 30 % or more (switch_price_moved); match 4, 4 of 8 kept (50 %: not under) and
clean; match 5 as match 1 but on SportyBet (not BetPawa's); match 6 as match 1 at T-15 against +5 and T-1
against +2 (not the weekly pair); match 7 as match 1, its +5 at 19:39 (older than 30 minutes); Ghana's match
1 as Nigeria's."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import psycopg

from palimpsest_pipeline.alerts.deliver import receivers_from
from palimpsest_pipeline.alerts.evaluate import evaluate_alerts
from palimpsest_pipeline.alerts.settings import AlertSettings
from palimpsest_pipeline.defs.resources import WarehouseResource
from palimpsest_pipeline_tests.alerts.receiver import Receiver

NOW = datetime(2026, 11, 26, 20, 10, tzinfo=UTC)
KICKOFF = datetime(2026, 11, 26, 20, 0, tzinfo=UTC)
TAKEN = datetime(2026, 11, 26, 20, 6, tzinfo=UTC)


def _row(
    conn: psycopg.Connection,
    sr_id: int,
    kept: int,
    *,
    dropped: tuple[str, ...] = (),
    moved: int = 0,
    book: str = "betpawa",
    site_country: str = "ng",
    pair: tuple[str, int] = ("T-1", 5),
    taken: datetime = TAKEN,
) -> None:
    offered = ["1X2", "Total", "Both teams to score"]
    conn.execute(
        "INSERT INTO analytics.market_retention (kickoff_date, site_country, sr_id, book, prematch_snapshot,"
        " live_snapshot, sport, country, tournament, home, away, kickoff, provider, prematch_captured_at,"
        " live_captured_at, market_types_prematch, market_types_kept, market_retention, lines_prematch,"
        " lines_kept, line_retention, selections_prematch, selections_kept, selection_retention,"
        " key_markets_offered, key_markets_dropped, prices_compared, prices_moved)"
        " VALUES (%s, %s, %s, %s, %s, %s, 'football', 'England', 'Premier League', %s, %s, %s, 'sportradar',"
        " %s, %s, 8, %s, %s, 8, %s, %s, 40, 40, 1, %s, %s, 40, %s)",
        (
            date(2026, 11, 26), site_country, sr_id, book, pair[0], pair[1], f"Home{sr_id}", f"Away{sr_id}",
            KICKOFF, KICKOFF - timedelta(minutes=1), taken, kept, kept / 8, kept, kept / 8, offered,
            list(dropped), moved,
        ),
    )  # fmt: skip


def test_each_retention_rule_raises_on_betpawas_weekly_pair_alone(
    warehouse_url: str, warehouse_conn: psycopg.Connection, receiver: Receiver
) -> None:
    _row(warehouse_conn, 1, 3)
    _row(warehouse_conn, 2, 6, dropped=("1X2",))
    _row(warehouse_conn, 3, 8, moved=2)
    _row(warehouse_conn, 4, 4)
    _row(warehouse_conn, 5, 3, book="sportybet")
    _row(warehouse_conn, 6, 3, pair=("T-15", 5))
    _row(warehouse_conn, 6, 3, pair=("T-1", 2))
    _row(warehouse_conn, 7, 3, taken=NOW - timedelta(minutes=31))
    _row(warehouse_conn, 1, 3, site_country="gh")
    warehouse_conn.commit()
    connect = WarehouseResource(database_url=warehouse_url).connect
    settings = AlertSettings(rules_off=("switch_price_moved",))

    first = evaluate_alerts(connect, settings, receivers_from(receiver.url), NOW)
    assert (first.raised, first.switched_off, first.sent) == (3, 1, 3)
    alerts = warehouse_conn.execute(
        "SELECT rule, subject, status, condition_since FROM analytics.alerts ORDER BY rule, subject"
    ).fetchall()
    assert alerts == [
        ("key_market_dropped", "ng:2", "sent", TAKEN),
        ("retention_low", "gh:1", "sent", TAKEN),
        ("retention_low", "ng:1", "sent", TAKEN),
        ("switch_price_moved", "ng:3", "off", TAKEN),
    ]
    titles = sorted(body["title"] for body in receiver.bodies)
    assert titles == [
        "BetPawa dropped 1X2 at the switch: Home2 v Away2 (football / Premier League)",
        "BetPawa kept 38% of its markets into live: Home1 v Away1 (football / Premier League)",
        "Ghana: BetPawa kept 38% of its markets into live: Home1 v Away1 (football / Premier League)",
    ]
    low = next(body["message"] for body in receiver.bodies if body["title"].startswith("BetPawa kept"))
    assert "3 of 8 market types kept (under 50%)" in low

    # a minute later the same switches hold: nothing new; past the half hour they clear
    again = evaluate_alerts(connect, settings, receivers_from(receiver.url), NOW + timedelta(minutes=1))
    assert (again.holding, again.raised, again.switched_off) == (4, 0, 0)
    gone = evaluate_alerts(connect, settings, receivers_from(receiver.url), TAKEN + timedelta(minutes=31))
    assert (gone.holding, gone.cleared, gone.raised) == (0, 4, 0)
    assert len(receiver.bodies) == 3
