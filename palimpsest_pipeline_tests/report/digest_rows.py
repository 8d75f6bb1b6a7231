"""Known rows for the weekly digest's tests: Nigeria's week 2026-W48 (Monday 23 to Sunday 29 November), a few
rows just outside it and Ghana's rows, which Nigeria's digest must leave out. ``EXPECTED`` holds Nigeria's
CSVs as worked out by hand from these rows (not from the digest's code)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import psycopg

WEEK = "2026-W48"
MONDAY = datetime(2026, 11, 23, tzinfo=UTC)
BUILT_AT = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)


def _change(
    conn: psycopg.Connection, cc: str, at: datetime, book: str, change: str, sport: str, n: int
) -> None:
    for i in range(n):
        conn.execute(
            "INSERT INTO analytics.catalogue_changes (changed_at, book, event_id, change, sr_id, kickoff,"
            " previous_kickoff, sport, country, tournament, home, away, site_country)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'England', 'Premier League', 'A', 'B', %s)",
            (
                at,
                book,
                f"{book}-{change}-{sport}-{at:%d%H%M}-{i}",
                change,
                9000 + i,
                at + timedelta(days=2),
                at + timedelta(days=1) if change == "moved" else None,
                sport,
                cc,
            ),
        )


def _coverage(
    conn: psycopg.Connection, cc: str, day: date, book: str, sport: str, events: int, missing: int
) -> None:
    conn.execute(
        "INSERT INTO analytics.coverage (kickoff_date, site_country, level, sport, book, events,"
        " not_on_betpawa,"
        " betpawa_not_on_it, only_on_it) VALUES (%s, %s, 'sport', %s, %s, %s, %s, 0, 0)",
        (day, cc, sport, book, events, missing),
    )


def _start(
    conn: psycopg.Connection,
    cc: str,
    sr_id: int,
    book: str,
    status: str,
    *,
    tournament: str = "Premier League",
    day: date = date(2026, 11, 25),
    minutes: float | None = None,
    minute: int | None = None,
) -> None:
    kickoff = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=15)
    reason = (
        None if minute is None or status != "late" else "match_delayed" if minute <= 5 else "coverage_late"
    )
    conn.execute(
        "INSERT INTO analytics.live_starts (kickoff_date, site_country, sr_id, book, event_id,"
        " sport, country,"
        " tournament, home, away, kickoff, status, first_live_at, minutes_to_live, match_minute, reason)"
        " VALUES (%s, %s, %s, %s, %s, 'football', 'England', %s, 'H', 'A', %s, %s, %s, %s, %s, %s)",
        (
            day,
            cc,
            sr_id,
            book,
            f"{book}-{sr_id}",
            tournament,
            kickoff,
            status,
            None if minutes is None else kickoff + timedelta(minutes=minutes),
            minutes,
            minute,
            reason,
        ),
    )


def _to_list(
    conn: psycopg.Connection,
    cc: str,
    sr_id: int,
    kickoff: datetime,
    listed_by: list[str],
    hours: float | None,
) -> None:
    conn.execute(
        "INSERT INTO analytics.to_list_now (kickoff_date, sr_id, match_key, sport, country, tournament, home,"
        " away, kickoff, hours_to_kickoff, listed_by, first_listed_at, hours_listed_by_competitor,"
        " computed_at,"
        " site_country) VALUES (%s, %s, %s, 'football', 'Spain', 'LaLiga', %s, %s, %s, 5, %s, %s,"
        " %s, %s, %s)",
        (
            kickoff.date(),
            sr_id,
            f"sr:{sr_id}",
            f"Home{sr_id}",
            f"Away{sr_id}",
            kickoff,
            listed_by,
            kickoff - timedelta(hours=30),
            hours,
            BUILT_AT,
            cc,
        ),
    )


def _lead(
    conn: psycopg.Connection,
    cc: str,
    day: date,
    tournament: str,
    events: int,
    lagged: int,
    hours: float | None,
) -> None:
    conn.execute(
        "INSERT INTO analytics.listing_lead_time (kickoff_date, sport, country, tournament, book, events,"
        " events_measured, median_lead_hours, betpawa_lag_events, betpawa_lag_hours, computed_at,"
        " site_country)"
        " VALUES (%s, 'football', 'England', %s, 'betpawa', %s, %s, 20, %s, %s, %s, %s)",
        (day, tournament, events, events, lagged, hours, BUILT_AT, cc),
    )


def _alert(conn: psycopg.Connection, rule: str, subject: str, status: str, at: datetime) -> None:
    suppressed_by = None
    if status == "suppressed":
        row = conn.execute("SELECT min(alert_id) FROM analytics.alerts").fetchone()
        suppressed_by = row[0] if row else None
    conn.execute(
        "INSERT INTO analytics.alerts (rule, subject, status, title, body, condition_since,"
        " raised_at, sent_at,"
        " suppressed_by) VALUES (%s, %s, %s, 't', 'b', %s, %s, %s, %s)",
        (rule, subject, status, at, at, at if status == "sent" else None, suppressed_by),
    )


def seed_digest_week(conn: psycopg.Connection) -> None:
    """Nigeria's week 2026-W48 as ``EXPECTED`` describes it, with rows outside it and Ghana's."""
    wed = MONDAY + timedelta(days=2, hours=10)
    # catalogue changes: in the week, outside it (the Sunday before, the Monday after), moved, Ghana's
    _change(conn, "ng", wed, "betpawa", "added", "football", 3)
    _change(conn, "ng", wed, "betpawa", "withdrawn", "football", 1)
    _change(conn, "ng", MONDAY, "sportybet", "added", "football", 2)
    _change(conn, "ng", MONDAY + timedelta(days=7, seconds=-1), "sportybet", "added", "basketball", 1)
    _change(conn, "ng", MONDAY - timedelta(seconds=1), "sportybet", "withdrawn", "football", 5)
    _change(conn, "ng", MONDAY + timedelta(days=7), "sportybet", "withdrawn", "football", 5)
    _change(conn, "ng", wed, "sportybet", "moved", "football", 4)
    _change(conn, "gh", wed, "sportybet", "added", "football", 7)
    # coverage: SportyBet's football 20 matches in the week, 5 not on BetPawa (75 %), the week before 10 and 5
    # (50 %); Bet9ja's basketball only in the week; BetPawa's own rows and Ghana's not shown
    _coverage(conn, "ng", date(2026, 11, 24), "sportybet", "football", 10, 4)
    _coverage(conn, "ng", date(2026, 11, 29), "sportybet", "football", 10, 1)
    _coverage(conn, "ng", date(2026, 11, 17), "sportybet", "football", 10, 5)
    _coverage(conn, "ng", date(2026, 11, 15), "sportybet", "football", 99, 0)  # two weeks before: not read
    _coverage(conn, "ng", date(2026, 11, 26), "bet9ja", "basketball", 8, 2)
    _coverage(conn, "ng", date(2026, 11, 26), "betpawa", "football", 30, 0)
    _coverage(conn, "gh", date(2026, 11, 26), "sportybet", "football", 40, 40)
    # starts: BetPawa late on 101 (coverage late, 7.5 min) and 102 (match delayed, 6 min) where SportyBet was
    # on time; late on 103 in the Serie A with no competitor on time; on time on 104, unmonitored on 105
    _start(conn, "ng", 101, "betpawa", "late", minutes=7.5, minute=12)
    _start(conn, "ng", 101, "sportybet", "on_time", minutes=1.0)
    _start(conn, "ng", 102, "betpawa", "late", minutes=6.0, minute=3)
    _start(conn, "ng", 102, "sportybet", "on_time", minutes=0.5)
    _start(conn, "ng", 102, "bet9ja", "on_time", minutes=0.5)
    _start(conn, "ng", 103, "betpawa", "late", tournament="Serie A")
    _start(conn, "ng", 103, "sportybet", "never_live", tournament="Serie A")
    _start(conn, "ng", 104, "betpawa", "on_time", minutes=0.5)
    _start(conn, "ng", 105, "betpawa", "unmonitored")
    _start(conn, "ng", 106, "betpawa", "late", day=date(2026, 11, 30), minutes=9.0, minute=20)  # next week
    _start(conn, "ng", 106, "sportybet", "on_time", day=date(2026, 11, 30), minutes=1.0)
    _start(conn, "gh", 101, "betpawa", "late", minutes=30.0, minute=30)
    _start(conn, "gh", 101, "sportybet", "on_time", minutes=1.0)
    # to list now: two of Nigeria's (one not timed), one of Ghana's
    _to_list(conn, "ng", 201, datetime(2026, 11, 30, 18, tzinfo=UTC), ["sportybet", "bet9ja"], 12.25)
    _to_list(conn, "ng", 202, datetime(2026, 11, 30, 20, tzinfo=UTC), ["msport"], None)
    _to_list(conn, "gh", 203, datetime(2026, 11, 30, 19, tzinfo=UTC), ["betika"], 3.0)
    # listing lag: the Premier League 2 + 1 lagged events of 10 + 6, longest daily median 5.5 h; LaLiga none
    _lead(conn, "ng", date(2026, 11, 24), "Premier League", 10, 2, 3.0)
    _lead(conn, "ng", date(2026, 11, 28), "Premier League", 6, 1, 5.5)
    _lead(conn, "ng", date(2026, 11, 28), "LaLiga", 4, 0, None)
    _lead(conn, "ng", date(2026, 11, 30), "Premier League", 6, 6, 50.0)  # next week
    # alerts: list_soon two sent and one off, price_out_of_line one failed and one suppressed in the week;
    # one the week before, and Ghana's
    _alert(conn, "list_soon", "ng:201", "sent", wed)
    _alert(conn, "list_soon", "ng:202", "sent", wed)
    _alert(conn, "list_soon", "ng:203", "off", wed)
    _alert(conn, "price_out_of_line", "ng:101", "failed", wed)
    _alert(conn, "price_out_of_line", "ng:101", "suppressed", wed + timedelta(minutes=5))
    _alert(conn, "live_gap", "ng:101", "sent", MONDAY - timedelta(minutes=1))
    _alert(conn, "live_gap", "gh:101", "sent", wed)


#: Nigeria's CSVs for 2026-W48, worked out by hand from the rows above (header, then rows).
EXPECTED: dict[str, list[list[str]]] = {
    "catalogue_changes": [
        ["Book", "Sport", "Added", "Withdrawn", "Net"],
        ["BetPawa", "football", "3", "1", "2"],
        ["SportyBet", "basketball", "1", "0", "1"],
        ["SportyBet", "football", "2", "0", "2"],
    ],
    "competitor_coverage": [
        [
            "Competitor", "Sport", "Matches", "Not on BetPawa", "BetPawa lists %", "Week before %",
            "Change (points)",
        ],
        ["Bet9ja", "basketball", "8", "2", "75", "", ""],
        ["SportyBet", "football", "20", "5", "75", "50", "25"],
    ],
    "late_starts": [
        [
            "Book", "On time", "Late", "Never live", "Removed", "Unmonitored", "Rescheduled", "Coverage late",
            "Match delayed", "Median minutes to live (late)",
        ],
        ["BetPawa", "1", "3", "0", "0", "1", "0", "1", "1", "6.8"],
        ["Bet9ja", "1", "0", "0", "0", "0", "0", "0", "0", ""],
        ["SportyBet", "2", "0", "1", "0", "0", "0", "0", "0", ""],
    ],
    "betpawa_late": [
        ["Sport", "Competition", "Matches", "Median minutes to live", "On time on"],
        ["football", "Premier League", "2", "6.8", "bet9ja, sportybet"],
    ],
    "to_list": [
        ["Kick-off (UTC)", "Sport", "Tournament", "Match", "Listed by", "Hours listed by them"],
        ["2026-11-30 18:00", "football", "LaLiga", "Home201 v Away201", "sportybet, bet9ja", "12.3"],
        ["2026-11-30 20:00", "football", "LaLiga", "Home202 v Away202", "msport", "unknown"],
    ],
    "listing_lag": [
        [
            "Sport", "Competition", "BetPawa events", "Listed after a competitor",
            "Longest daily median lag (h)",
        ],
        ["football", "Premier League", "16", "3", "5.5"],
    ],
    "alerts": [
        ["Rule", "State now", "Raised and sent", "Would have raised (off)", "Held back (cooldown)"],
        ["live_gap", "on", "0", "0", "0"],
        ["list_soon", "off", "2", "1", "0"],
        ["price_out_of_line", "on", "1", "0", "1"],
        ["feed_stale", "on", "0", "0", "0"],
        ["keys_drift", "on", "0", "0", "0"],
    ],
}  # fmt: skip
