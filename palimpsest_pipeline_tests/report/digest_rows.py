"""Known rows for the weekly digest's tests: Nigeria's week 2026-W48 (Monday 23 to Sunday 29 November), a few
rows just outside it and Ghana's rows, which Nigeria's digest must leave out. ``EXPECTED`` holds Nigeria's
CSVs as worked out by hand from these rows (not from the digest's code)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import psycopg

from palimpsest_pipeline.warehouse.closing_price_days import replace_closing_price_days

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


def _retention(
    conn: psycopg.Connection,
    cc: str,
    day: date,
    sr_id: int,
    book: str,
    types: tuple[int, int],
    lines: tuple[int, int],
    selections: tuple[int, int],
    *,
    pair: tuple[str, int] = ("T-1", 5),
    tournament: str = "Premier League",
    provider: str = "sportradar",
    key: tuple[list[str], list[str]] = ([], []),
    prices: tuple[int, int] = (0, 0),
) -> None:
    """A row of analytics.market_retention: (offered, kept) market types, lines and selections."""
    kickoff = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=18)

    def share(pair: tuple[int, int]) -> float | None:
        return pair[1] / pair[0] if pair[0] else None

    conn.execute(
        "INSERT INTO analytics.market_retention (kickoff_date, site_country, sr_id, book, prematch_snapshot,"
        " live_snapshot, sport, country, tournament, home, away, kickoff, provider, prematch_captured_at,"
        " live_captured_at, market_types_prematch, market_types_kept, market_retention, lines_prematch,"
        " lines_kept, line_retention, selections_prematch, selections_kept, selection_retention,"
        " key_markets_offered, key_markets_dropped, prices_compared, prices_moved) VALUES (%s, %s, %s, %s,"
        " %s, %s, 'football', 'Europe', %s, 'H', 'A', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
        " %s, %s, %s, %s)",
        (
            day, cc, sr_id, book, pair[0], pair[1], tournament, kickoff, provider,
            kickoff - timedelta(minutes=1), kickoff + timedelta(minutes=5 + pair[1]),
            *types, share(types), *lines, share(lines), *selections, share(selections), *key, *prices,
        ),
    )  # fmt: skip


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


#: The closing rows' markets: the market family's canonical market, specifier and outcomes.
_MARKETS = {"score 1x2": (1, "", (1, 2, 3)), "score total": (18, "total=2.5", (12, 13))}


def insert_closing(
    conn: psycopg.Connection,
    cc: str,
    day: date,
    sr_id: int,
    competition: str,
    family: str,
    book: str,
    gaps: list[float | None],
    *,
    fair: list[float] | None = None,
    opening: list[float] | None = None,
    set_aside: str | None = None,
    consensus: bool = True,
    outcomes: tuple[int, ...] | None = None,
) -> None:
    """One book's closing rows of a market line, an outcome per gap: the consensus price is 2 (probability
    0.5) on every row, so a closing price is ``2 * (1 + gap)`` and an opening one ``2 * (1 + opening)``;
    ``fair`` is the book's own fair probability (its margin follows from it). A gap of None is a row priced
    1.9 without a gap: set aside (suspended or closed: no price) or without a consensus (``consensus``
    False: one competitor). ``outcomes`` picks some of the market's outcomes (all by default). The day sums
    of the competition are rewritten after, as the closing prices step writes them with its rows."""
    market, specifier, every = _MARKETS[family]
    outcomes = every if outcomes is None else outcomes
    kickoff = datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=15)
    for place, (outcome, gap) in enumerate(zip(outcomes, gaps, strict=True)):
        price = None if set_aside in ("suspended", "closed") else 1.9 if gap is None else 2 * (1 + gap)
        own_fair = None if fair is None else fair[place]
        opening_price = None if opening is None else 2 * (1 + opening[place])
        conn.execute(
            "INSERT INTO analytics.closing_prices (kickoff_date, site_country, sr_id, kickoff, sport,"
            " competition, market_family, market, specifier, outcome, book, closing_price, closing_at,"
            " set_aside, implied_probability, book_margin, book_fair_probability, consensus_probability,"
            " consensus_price, consensus_books, gap, opening_price, opening_at, opening_gap)"
            " VALUES (%s, %s, %s, %s, 'football', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
            " %s, %s, %s, %s, %s)",
            (
                day,
                cc,
                sr_id,
                kickoff,
                competition,
                family,
                market,
                specifier,
                outcome,
                book,
                price,
                kickoff - timedelta(minutes=1),
                set_aside,
                None if price is None else 1 / price,
                None if price is None or own_fair is None else 1 / price / own_fair - 1,
                own_fair,
                0.5 if consensus else None,
                2.0 if consensus else None,
                2 if consensus else 1,
                None if gap is None or price is None else price / 2.0 - 1,
                opening_price,
                None if opening_price is None else kickoff - timedelta(days=2),
                None if opening_price is None or not consensus else opening_price / 2.0 - 1,
            ),
        )
    replace_closing_price_days(conn, cc, [(day, competition)])


def _suspension(
    conn: psycopg.Connection,
    country: str,
    day: date,
    book: str,
    family: str,
    phase: str,
    lines: int,
    held: int,
) -> None:
    conn.execute(
        "INSERT INTO analytics.inplay_suspension (site_country, kickoff_date, book, market_family, phase,"
        " lines_observed, lines_suspended, matches, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, 1, %s)",
        (country, day, book, family, phase, lines, held, BUILT_AT),
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
    # retention (offered, kept): match 401 of the Premier League (sportradar) on three books, BetPawa's at
    # three pairs; match 402 of the Serie A (genius_sports) on two; 403 of the Serie A, BetPawa offering
    # nothing at T-1; outside the week (the Monday after) and Ghana's
    bt, dc = "Both teams to score", "Double chance"
    _retention(conn, "ng", date(2026, 11, 24), 401, "betpawa", (10, 4), (20, 6), (50, 12),
               key=(["1X2", bt, "Total goals"], [bt]), prices=(12, 3))  # fmt: skip
    _retention(conn, "ng", date(2026, 11, 24), 401, "betpawa", (10, 8), (20, 16), (50, 40), pair=("T-1", 0))
    _retention(conn, "ng", date(2026, 11, 24), 401, "betpawa", (12, 4), (24, 6), (60, 12), pair=("T-60", 5))
    _retention(conn, "ng", date(2026, 11, 24), 401, "sportybet", (10, 8), (20, 15), (50, 40),
               key=(["1X2", "Total goals"], []), prices=(40, 0))  # fmt: skip
    _retention(conn, "ng", date(2026, 11, 24), 401, "bet9ja", (10, 6), (10, 5), (30, 15),
               key=(["1X2"], []), prices=(15, 1))  # fmt: skip
    _retention(conn, "ng", date(2026, 11, 28), 402, "betpawa", (5, 5), (10, 10), (20, 20),
               tournament="Serie A", provider="genius_sports", key=(["1X2", dc], []),
               prices=(20, 0))  # fmt: skip
    _retention(conn, "ng", date(2026, 11, 28), 402, "sportybet", (5, 4), (10, 8), (20, 16),
               tournament="Serie A", provider="genius_sports", key=(["1X2", dc], [dc]),
               prices=(16, 2))  # fmt: skip
    _retention(conn, "ng", date(2026, 11, 29), 403, "betpawa", (0, 0), (0, 0), (0, 0), tournament="Serie A")
    _retention(conn, "ng", date(2026, 11, 30), 404, "betpawa", (10, 0), (10, 0), (10, 0))
    _retention(conn, "gh", date(2026, 11, 24), 401, "betpawa", (10, 1), (10, 1), (10, 1))
    _alert(conn, "retention_low", "ng:401", "sent", wed)
    _alert(conn, "key_market_dropped", "ng:401", "off", wed)
    # alerts: list_soon two sent and one off, price_out_of_line one failed and one suppressed in the week;
    # one the week before, and Ghana's
    _alert(conn, "list_soon", "ng:201", "sent", wed)
    _alert(conn, "list_soon", "ng:202", "sent", wed)
    _alert(conn, "list_soon", "ng:203", "off", wed)
    _alert(conn, "price_out_of_line", "ng:101", "failed", wed)
    _alert(conn, "price_out_of_line", "ng:101", "suppressed", wed + timedelta(minutes=5))
    _alert(conn, "live_gap", "ng:101", "sent", MONDAY - timedelta(minutes=1))
    _alert(conn, "live_gap", "gh:101", "sent", wed)
    # in-play suspension: BetPawa's 1x2 first half 15 of 150 over two days, after goals 15 of 20, its total's
    # second half 4 of 80; SportyBet's 1x2 at half time 30 of 30, after goals 10 of 40; the Monday after and
    # Ghana's not read
    d24, d25 = date(2026, 11, 24), date(2026, 11, 25)
    _suspension(conn, "ng", d24, "betpawa", "score 1x2", "first_half", 100, 10)
    _suspension(conn, "ng", d25, "betpawa", "score 1x2", "first_half", 50, 5)
    _suspension(conn, "ng", d24, "betpawa", "score 1x2", "after_goal", 20, 15)
    _suspension(conn, "ng", d24, "betpawa", "score total", "second_half", 80, 4)
    _suspension(conn, "ng", d24, "sportybet", "score 1x2", "half_time", 30, 30)
    _suspension(conn, "ng", d24, "sportybet", "score 1x2", "after_goal", 40, 10)
    _suspension(conn, "ng", date(2026, 11, 30), "betpawa", "score 1x2", "first_half", 999, 999)
    _suspension(conn, "gh", d24, "betpawa", "score 1x2", "first_half", 10, 10)
    # closing prices (gaps in hundredths, the consensus price 2 everywhere): match 301 of the Premier League,
    # 1x2 on three books and the total on two (Bet9ja's stale); match 302 of the Serie A, MSport's kick-off
    # disagreeing; match 303 with too few competitors for a consensus and one BetPawa outcome suspended
    pl, sa, one, total = "Premier League", "Serie A", "score 1x2", "score total"
    tue, sat, sun = date(2026, 11, 25), date(2026, 11, 28), date(2026, 11, 29)
    insert_closing(conn, "ng", tue, 301, pl, one, "betpawa", [-0.04, -0.06, -0.08],
             fair=[0.52, 0.47, 0.50], opening=[-0.10, -0.02, -0.06])  # fmt: skip
    insert_closing(conn, "ng", tue, 301, pl, one, "sportybet", [-0.03, -0.05, -0.01], fair=[0.49, 0.51, 0.50])
    insert_closing(conn, "ng", tue, 301, pl, one, "bet9ja", [-0.07, -0.09, -0.05], fair=[0.55, 0.46, 0.50])
    insert_closing(
        conn, "ng", tue, 301, pl, total, "betpawa", [-0.02, 0.04], fair=[0.51, 0.49], opening=[-0.08, 0.02]
    )
    insert_closing(conn, "ng", tue, 301, pl, total, "sportybet", [-0.06, -0.04], fair=[0.49, 0.51])
    insert_closing(conn, "ng", tue, 301, pl, total, "bet9ja", [None, None], set_aside="stale")
    insert_closing(conn, "ng", sat, 302, sa, one, "betpawa", [-0.12, -0.10, -0.14],
             fair=[0.56, 0.44, 0.50], opening=[-0.12, -0.03, -0.18])  # fmt: skip
    insert_closing(conn, "ng", sat, 302, sa, one, "sportybet", [-0.02, -0.04, -0.06], fair=[0.51, 0.49, 0.50])
    insert_closing(conn, "ng", sat, 302, sa, one, "bet9ja", [-0.04, -0.06, 0.02], fair=[0.52, 0.48, 0.50])
    insert_closing(conn, "ng", sat, 302, sa, one, "msport", [None] * 3, set_aside="kickoff_disagrees")
    insert_closing(conn, "ng", sun, 303, pl, one, "betpawa", [None, None],
             opening=[-0.05, -0.05], consensus=False, outcomes=(1, 3))  # fmt: skip
    insert_closing(conn, "ng", sun, 303, pl, one, "betpawa", [None],
             opening=[-0.05], set_aside="suspended", consensus=False, outcomes=(2,))  # fmt: skip
    insert_closing(conn, "ng", sun, 303, pl, one, "sportybet", [None] * 3, consensus=False)
    # outside Nigeria's week: the Monday after, the Sunday before; and Ghana's
    insert_closing(conn, "ng", date(2026, 11, 30), 304, pl, one, "betpawa", [-0.30],
             fair=[0.60], opening=[-0.30], outcomes=(1,))  # fmt: skip
    insert_closing(
        conn, "ng", date(2026, 11, 30), 304, pl, one, "sportybet", [-0.02], fair=[0.5], outcomes=(1,)
    )
    insert_closing(
        conn, "ng", date(2026, 11, 22), 305, pl, one, "sportybet", [0.20], fair=[0.4], outcomes=(1,)
    )
    insert_closing(
        conn, "gh", tue, 401, sa, one, "betpawa", [0.20], fair=[0.5], opening=[0.10], outcomes=(1,)
    )
    insert_closing(conn, "gh", tue, 401, sa, one, "sportybet", [-0.02], fair=[0.5], outcomes=(1,))


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
    "suspension": [
        [
            "Book", "Lines observed", "First half %", "Half time %", "Second half %", "After a goal %",
            "Overall %",
        ],
        ["BetPawa", "250", "10", "none observed", "5", "75", "13.6"],
        ["SportyBet", "70", "none observed", "100", "none observed", "25", "57.1"],
    ],
    "suspension_families": [
        [
            "Market family", "Book", "Lines observed", "First half %", "Half time %", "Second half %",
            "After a goal %",
        ],
        ["score 1x2", "BetPawa", "170", "10", "none observed", "none observed", "75"],
        ["score 1x2", "SportyBet", "70", "none observed", "100", "none observed", "25"],
        ["score total", "BetPawa", "80", "none observed", "none observed", "5", "none observed"],
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
    # closing: BetPawa's 8 gaps -4 -6 -8 -2 +4 -12 -10 -14 (mean -52/8, median of -8 and -6, one above fair),
    # its openings on them -10 -2 -6 -8 +2 -12 -3 -18 (-57/8); SportyBet's -31/8, Bet9ja's -29/6 (median of -6
    # and -5). Against the competitors on BetPawa's bets: the Premier League's 1x2 -30/6, its total (SportyBet
    # alone) -10/2, the Serie A's -20/6; fair probabilities off 0.5 by BetPawa 2 3 0 / 1 1 / 6 6 0 points, by
    # the competitors 1 1 0 5 4 0 / 1 1 / 1 1 0 2 2 0; nearer at close: mean |opening| less mean |closing|
    "closing_books": [
        [
            "Book", "Outcomes", "Compared", "Mean gap %", "Median gap %", "Above fair %", "Opening gap %",
            "No consensus", "Stale", "Suspended or closed", "Other set aside",
        ],
        ["BetPawa", "11", "8", "-6.5", "-7", "12.5", "-7.1", "2", "0", "1", "0"],
        ["Bet9ja", "8", "6", "-4.8", "-5.5", "16.7", "", "0", "2", "0", "0"],
        ["MSport", "3", "0", "", "", "", "", "0", "0", "0", "3"],
        ["SportyBet", "11", "8", "-3.9", "-4", "0", "", "3", "0", "0", "0"],
    ],
    "closing_gaps": [
        [
            "Sport", "Competition", "Market family", "Book", "Outcomes", "Compared", "Mean gap %",
            "Median gap %", "Above fair %", "Set aside",
        ],
        ["football", "Premier League", "score 1x2", "BetPawa", "6", "3", "-6", "-6", "0", "1"],
        ["football", "Premier League", "score 1x2", "Bet9ja", "3", "3", "-7", "-7", "0", "0"],
        ["football", "Premier League", "score 1x2", "SportyBet", "6", "3", "-3", "-3", "0", "0"],
        ["football", "Premier League", "score total", "BetPawa", "2", "2", "1", "1", "50", "0"],
        ["football", "Premier League", "score total", "Bet9ja", "2", "0", "", "", "", "2"],
        ["football", "Premier League", "score total", "SportyBet", "2", "2", "-5", "-5", "0", "0"],
        ["football", "Serie A", "score 1x2", "BetPawa", "3", "3", "-12", "-12", "0", "0"],
        ["football", "Serie A", "score 1x2", "Bet9ja", "3", "3", "-2.7", "-4", "33.3", "0"],
        ["football", "Serie A", "score 1x2", "MSport", "3", "0", "", "", "", "3"],
        ["football", "Serie A", "score 1x2", "SportyBet", "3", "3", "-4", "-4", "0", "0"],
    ],
    "closing_betpawa": [
        [
            "Sport", "Competition", "Market family", "Outcomes", "At close", "Opening gap %", "Closing gap %",
            "Competitors' gap %", "Vs competitors (points)", "Nearer at close (points)", "Moved nearer %",
            "Off fair (points)", "Competitors off fair (points)",
        ],
        ["football", "Premier League", "score 1x2", "3", "sharper",
         "-6", "-6", "-5", "-1", "0", "33.3", "1.7", "1.8"],
        ["football", "Premier League", "score total", "2", "level",
         "-3", "1", "-5", "6", "2", "50", "1", "1"],
        ["football", "Serie A", "score 1x2", "3", "softer",
         "-11", "-12", "-3.3", "-8.7", "-1", "33.3", "4", "1"],
    ],
    "closing_worst": [
        [
            "Sport", "Competition", "Matches", "Outcomes", "Opening gap %", "Closing gap %",
            "Competitors' gap %", "Vs competitors (points)",
        ],
        ["football", "Serie A", "1", "3", "-11", "-12", "-3.3", "-8.7"],
        ["football", "Premier League", "1", "5", "-4.8", "-3.2", "-5", "1.8"],
    ],
    "alerts": [
        ["Rule", "State now", "Raised and sent", "Would have raised (off)", "Held back (cooldown)"],
        ["live_gap", "on", "0", "0", "0"],
        ["list_soon", "off", "2", "1", "0"],
        ["price_out_of_line", "on", "1", "0", "1"],
        ["feed_stale", "on", "0", "0", "0"],
        ["keys_drift", "on", "0", "0", "0"],
        ["retention_low", "on", "1", "0", "0"],
        ["key_market_dropped", "on", "0", "1", "0"],
        ["switch_price_moved", "on", "0", "0", "0"],
    ],
    "retention_books": [
        [
            "Book", "Matches", "Market types kept %", "Lines kept %", "Selections kept %", "Under 50 %",
            "Key market dropped", "Prices compared", "Moved 30 %+",
        ],
        ["BetPawa", "3", "60", "53.3", "45.7", "1", "1", "32", "3"],
        ["Bet9ja", "1", "60", "50", "50", "0", "0", "15", "1"],
        ["SportyBet", "2", "80", "76.7", "80", "0", "1", "56", "2"],
    ],
    "retention_pairs": [
        [
            "Book", "Prematch", "Live (+ minutes)", "Matches", "Market types kept %", "Lines kept %",
            "Selections kept %",
        ],
        ["BetPawa", "T-60", "5", "1", "33.3", "25", "20"],
        ["BetPawa", "T-1", "0", "1", "80", "80", "80"],
        ["BetPawa", "T-1", "5", "3", "60", "53.3", "45.7"],
        ["Bet9ja", "T-1", "5", "1", "60", "50", "50"],
        ["SportyBet", "T-1", "5", "2", "80", "76.7", "80"],
    ],
    "retention_betpawa": [
        [
            "Sport", "Competition", "Matches", "BetPawa kept %", "Best competitor kept %", "Gap (points)",
            "BetPawa kept less", "Key markets BetPawa dropped", "Best",
        ],
        ["football", "Premier League", "1", "40", "80", "-40", "1", "1", "sportybet"],
        ["football", "Serie A", "1", "100", "80", "20", "0", "0", "sportybet"],
    ],
    "retention_key_markets": [
        ["Book", "Key market", "Offered", "Dropped"],
        ["BetPawa", "1X2", "2", "0"],
        ["BetPawa", "Both teams to score", "1", "1"],
        ["BetPawa", "Double chance", "1", "0"],
        ["BetPawa", "Total goals", "1", "0"],
        ["Bet9ja", "1X2", "1", "0"],
        ["SportyBet", "1X2", "2", "0"],
        ["SportyBet", "Double chance", "1", "1"],
        ["SportyBet", "Total goals", "1", "0"],
    ],
    "retention_competitions": [
        [
            "Sport", "Competition", "Provider", "Book", "Matches", "Market types kept %", "Lines kept %",
            "Selections kept %", "Under 50 %", "Key market dropped", "Prices compared", "Moved 30 %+",
        ],
        ["football", "Premier League", "sportradar", "BetPawa", "1", "40", "30", "24", "1", "1", "12", "3"],
        ["football", "Premier League", "sportradar", "Bet9ja", "1", "60", "50", "50", "0", "0", "15", "1"],
        ["football", "Premier League", "sportradar", "SportyBet", "1", "80", "75", "80", "0", "0", "40", "0"],
        ["football", "Serie A", "genius_sports", "BetPawa", "1", "100", "100", "100", "0", "0", "20", "0"],
        ["football", "Serie A", "genius_sports", "SportyBet", "1", "80", "80", "80", "0", "1", "16", "2"],
        ["football", "Serie A", "sportradar", "BetPawa", "1", "none offered", "none offered", "none offered",
         "0", "0", "0", "0"],
    ],
    "retention_providers": [
        [
            "Provider", "Book", "Matches", "Market types kept %", "Lines kept %", "Selections kept %",
            "Under 50 %", "Key market dropped", "Prices compared", "Moved 30 %+",
        ],
        ["genius_sports", "BetPawa", "1", "100", "100", "100", "0", "0", "20", "0"],
        ["genius_sports", "SportyBet", "1", "80", "80", "80", "0", "1", "16", "2"],
        ["sportradar", "BetPawa", "2", "40", "30", "24", "1", "1", "12", "3"],
        ["sportradar", "Bet9ja", "1", "60", "50", "50", "0", "0", "15", "1"],
        ["sportradar", "SportyBet", "1", "80", "75", "80", "0", "0", "40", "0"],
    ],
}  # fmt: skip
