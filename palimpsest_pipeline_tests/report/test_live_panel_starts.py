"""The live panel's late starts and retention, read from a real warehouse holding hand-written rows: BetPawa's
late starts where a competitor was on time over the day before the latest poll, and each book's T-1 against
+5 retention summed over its matches (shares hand-computed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg

from palimpsest_pipeline.warehouse.live_store import read_live_panel

LATEST = datetime(2026, 5, 4, 19, 0, tzinfo=UTC)
KICKOFF = datetime(2026, 5, 4, 18, 0, tzinfo=UTC)


def _start(conn: psycopg.Connection, sr_id: int, book: str, status: str, kickoff: datetime) -> None:
    conn.execute(
        "INSERT INTO analytics.live_starts (kickoff_date, site_country, sr_id, book, event_id, sport,"
        " country, tournament, home, away, kickoff, status, first_live_at, minutes_to_live, match_minute,"
        " reason)"
        " VALUES (%s, 'ng', %s, %s, 'e', 'football', 'England', 'Premier League', 'A', 'B', %s, %s,"
        " %s, %s, %s, %s)",
        (
            kickoff.date(),
            sr_id,
            book,
            kickoff,
            status,
            kickoff + timedelta(minutes=7) if status == "late" else None,
            7.0 if status == "late" else None,
            6 if status == "late" else None,
            "coverage_late" if status == "late" else None,
        ),
    )


def _retention(
    conn: psycopg.Connection, sr_id: int, book: str, snapshot: str, live: int, figures: tuple
) -> None:
    types, types_kept, selections, selections_kept, dropped, moved = figures
    conn.execute(
        "INSERT INTO analytics.market_retention (kickoff_date, site_country, sr_id, book, prematch_snapshot,"
        " live_snapshot, sport, country, tournament, home, away, kickoff, provider, prematch_captured_at,"
        " live_captured_at, market_types_prematch, market_types_kept, market_retention, lines_prematch,"
        " lines_kept, line_retention, selections_prematch, selections_kept, selection_retention,"
        " key_markets_offered, key_markets_dropped, prices_compared, prices_moved)"
        " VALUES (%s, 'ng', %s, %s, %s, %s, 'football', 'England', 'Premier League', 'A', 'B', %s,"
        " 'sportradar', %s, %s, %s, %s, NULL, 0, 0, NULL, %s, %s, NULL, %s, %s, %s, %s)",
        (
            KICKOFF.date(),
            sr_id,
            book,
            snapshot,
            live,
            KICKOFF,
            KICKOFF - timedelta(minutes=1),
            KICKOFF + timedelta(minutes=live),
            types,
            types_kept,
            selections,
            selections_kept,
            ["1x2", "total"],
            dropped,
            selections_kept,
            moved,
        ),
    )


def test_the_panel_shows_betpawas_late_starts_and_each_books_retention(
    warehouse_conn: psycopg.Connection,
) -> None:
    conn = warehouse_conn
    conn.execute(
        "INSERT INTO analytics.live_suspension (site_country, polled_at, book, status, live_events, markets,"
        " suspended, suspended_share) VALUES ('ng', %s, 'betpawa', 'ok', 3, 10, 1, 0.1)",
        (LATEST,),
    )
    _start(conn, 1, "betpawa", "late", KICKOFF)  # late, SportyBet on time: shown
    _start(conn, 1, "sportybet", "on_time", KICKOFF)
    _start(conn, 2, "betpawa", "late", KICKOFF)  # late, every competitor late too: not shown
    _start(conn, 2, "sportybet", "late", KICKOFF)
    old = KICKOFF - timedelta(days=2)  # a day and more before the latest poll: not shown
    _start(conn, 3, "betpawa", "late", old)
    _start(conn, 3, "bet9ja", "on_time", old)
    _retention(conn, 1, "betpawa", "T-1", 5, (10, 4, 40, 10, ["1x2"], 2))
    _retention(conn, 2, "betpawa", "T-1", 5, (10, 6, 60, 20, [], 1))
    _retention(conn, 1, "betpawa", "T-15", 5, (99, 0, 99, 0, [], 0))  # another pair: not summed
    _retention(conn, 1, "sportybet", "T-1", 5, (20, 5, 100, 25, ["1x2", "total"], 3))

    panel = read_live_panel(conn, "ng")

    assert panel.betpawa_late.select("sr_id", "on_time_on", "minutes_to_live", "reason").rows() == [
        (1, "sportybet", 7.0, "coverage_late")
    ]
    retention = {row["book"]: row for row in panel.retention.iter_rows(named=True)}
    assert retention["betpawa"]["matches"] == 2
    assert retention["betpawa"]["market_types_kept_pct"] == 50.0  # (4 + 6) / (10 + 10)
    assert retention["betpawa"]["selections_kept_pct"] == 30.0  # (10 + 20) / (40 + 60)
    assert (retention["betpawa"]["key_markets_dropped"], retention["betpawa"]["prices_moved"]) == (1, 3)
    assert retention["sportybet"]["market_types_kept_pct"] == 25.0
    assert retention["sportybet"]["key_markets_dropped"] == 2
