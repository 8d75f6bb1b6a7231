"""The demo's "who moves prices first": per book, the price leadership rows of the dates summed.

The rows are seeded by hand; every expected figure is worked out here from them (the lag: the per-market
medians weighted by moves followed), not read back from the code."""

from __future__ import annotations

from datetime import UTC, date, datetime

import psycopg

from palimpsest_pipeline.summary import BookLeadership, format_leadership, read_leadership

DAY = date(2026, 11, 25)
AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def _seed(conn: psycopg.Connection) -> None:
    rows = [
        # (date, tournament, market, book, moves, led, followed, late, median lag, missed)
        (DAY, "League", 1, "sportybet", 20, 20, 0, 0, None, 1),
        (DAY, "League", 1, "bet9ja", 10, 4, 6, 0, 2.0, 0),
        (DAY, "League", 18, "bet9ja", 5, 2, 2, 1, 6.0, 3),
        (date(2026, 11, 27), "League", 1, "betpawa", 7, 7, 0, 0, None, 0),  # another date: left out
    ]
    for day, tournament, market, book, moves, led, followed, late, lag, missed in rows:
        conn.execute(
            "INSERT INTO analytics.price_leadership (kickoff_date, site_country, sport, country, tournament, "
            "market, book, moves, moves_led, led_moves_followed, moves_followed, moves_late, "
            "median_follow_lag_minutes, moves_missed, window_minutes, computed_at) "
            "VALUES (%s, 'ng', 'football', 'England', %s, %s, %s, %s, %s, 0, %s, %s, %s, %s, 30, %s)",
            (day, tournament, market, book, moves, led, followed, late, lag, missed, AT),
        )


def test_each_book_sums_its_rows_of_the_dates(warehouse_conn: psycopg.Connection) -> None:
    _seed(warehouse_conn)
    books = read_leadership(warehouse_conn, DAY, date(2026, 11, 26), site_country="ng")
    assert books == [
        BookLeadership("betpawa", 0, 0, 0, None, 0),
        BookLeadership("sportybet", 20, 20, 0, None, 1),
        BookLeadership("bet9ja", 15, 6, 8, (6 * 2.0 + 2 * 6.0) / 8, 3),
    ]
    lines = format_leadership(books, "ng").splitlines()
    assert lines[2:] == [
        "  betpawa          0    n/a        0       n/a      0",
        "  sportybet       20   100%        0       n/a      1",
        "  bet9ja          15    40%        8      3.00      3",
    ]


def test_no_move_says_so(warehouse_conn: psycopg.Connection) -> None:
    text = format_leadership(read_leadership(warehouse_conn, DAY, DAY, site_country="ng"), "ng")
    assert text.splitlines()[1] == "  (no price move judged yet: it takes captures that see prices move)"
