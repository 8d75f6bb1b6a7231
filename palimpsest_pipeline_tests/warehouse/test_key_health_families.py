"""``analytics.key_health_families`` on a real warehouse: per event, book and market family, the open keyed
outcomes another book of the same site country prices openly under the same key, written with the event's
comparison; their sums per hour (``analytics.key_health_family_hours``), kept by the writer, checked against
a GROUP BY of the per-event rows after every write, also by two writers at once; and the read that judges a
book's latest hour against its seven days before. Prices are stored as a capture stores them; every expected
figure is counted by hand from the rows written below."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

import polars as pl
import psycopg
import pytest

from palimpsest_pipeline.derive.comparison import rebuild_comparison
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.transforms.comparison_chunks import RangeSummary
from palimpsest_pipeline.transforms.key_sharing import FAMILY_SHARING_SCHEMA
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline.warehouse.daily_maintenance import RETENTION_RULES, apply_table_retention
from palimpsest_pipeline.warehouse.key_health import judged_families, write_family_sharing
from palimpsest_pipeline.warehouse.odds_store import store_odds
from palimpsest_pipeline_tests.warehouse.match_rows import insert_match

DAY = date(2026, 5, 6)
KICKOFF = datetime(2026, 5, 6, 18, 0, tzinfo=UTC)
TEN = datetime(2026, 5, 6, 10, 0, tzinfo=UTC)
ELEVEN, NOON = TEN + timedelta(hours=1), TEN + timedelta(hours=2)
ONE_X_TWO, TOTAL, CS = "score 1x2", "score total", "score cs"  # the families of UOF markets 1, 18 and 45

Row = tuple[int, Book, int, str, int, float | None, str]
FIRST: list[Row] = [
    # event 1: BetPawa prices 1X2 home and draw openly, away suspended, and both sides of total 2.5.
    (1, Book.BETPAWA, 1, "", 1, 2.4, "open"),
    (1, Book.BETPAWA, 1, "", 2, 3.2, "open"),
    (1, Book.BETPAWA, 1, "", 3, 3.0, "suspended"),
    (1, Book.BETPAWA, 18, "total=2.5", 12, 1.9, "open"),
    (1, Book.BETPAWA, 18, "total=2.5", 13, 1.9, "open"),
    (1, Book.SPORTYBET, 1, "", 1, 2.41, "open"),  # meets BetPawa's
    (1, Book.SPORTYBET, 1, "", 3, 3.1, "open"),  # BetPawa's is suspended: meets nothing
    (1, Book.SPORTYBET, 18, "total=2.5", 12, 1.95, "suspended"),  # not open: priced by nobody
    (1, Book.SPORTYBET, 18, "total=3.5", 12, 2.8, "open"),  # no other book prices this line
    # event 2: 1X2 home on both, total 1.5 over on both, under on SportyBet alone.
    (2, Book.BETPAWA, 1, "", 1, 1.5, "open"),
    (2, Book.BETPAWA, 18, "total=1.5", 12, 1.3, "open"),
    (2, Book.SPORTYBET, 1, "", 1, 1.52, "open"),
    (2, Book.SPORTYBET, 18, "total=1.5", 12, 1.31, "open"),
    (2, Book.SPORTYBET, 18, "total=1.5", 13, 3.2, "open"),
]
#: When each (event, book) of FIRST was captured: SportyBet's event 2 in the next hour.
FIRST_AT = {
    (1, Book.BETPAWA): TEN + timedelta(minutes=5),
    (1, Book.SPORTYBET): TEN + timedelta(minutes=7),
    (2, Book.BETPAWA): TEN + timedelta(minutes=9),
    (2, Book.SPORTYBET): ELEVEN + timedelta(minutes=2),
}
#: (sr_id, book, family): (hour, open keyed outcomes, of them priced openly by another book).
EXPECTED_FIRST = {
    (1, "betpawa", ONE_X_TWO): (TEN, 2, 1),
    (1, "betpawa", TOTAL): (TEN, 2, 0),
    (1, "sportybet", ONE_X_TWO): (TEN, 2, 1),
    (1, "sportybet", TOTAL): (TEN, 1, 0),
    (2, "betpawa", ONE_X_TWO): (TEN, 1, 1),
    (2, "betpawa", TOTAL): (TEN, 1, 1),
    (2, "sportybet", ONE_X_TWO): (ELEVEN, 1, 1),
    (2, "sportybet", TOTAL): (ELEVEN, 2, 1),
}

Table = dict[tuple[int, str, str], tuple[datetime, int, int]]


def _store(
    conn: psycopg.Connection, rows: list[Row], at: dict[tuple[int, Book], datetime], cc: str = "ng"
) -> None:
    odds = [OddsRow(sr, book, market, spec, outcome, price, state, at[sr, book]) for sr, book, market, spec,
            outcome, price, state in rows]  # fmt: skip
    store_odds(conn, odds, site_country=cc, captured=at, batch_id=f"run-{cc}")


def _rebuild(conn: psycopg.Connection, now: datetime, sr_ids: list[int] | None = None) -> list[date]:
    return rebuild_comparison(
        conn,
        [DAY],
        now,
        summary=RangeSummary(margin_low=0.0, margin_high=0.25, price_factor=1.5),
        tiers=[(timedelta(days=400), timedelta(days=400))],  # no price turns stale here
        stale_factor=2.0,
        chunk_events=1,  # one event per slice: each slice writes its own event's rows
        site_country="ng",
        sr_ids=sr_ids,
    )


def _table(conn: psycopg.Connection, cc: str = "ng") -> Table:
    rows = conn.execute(
        "SELECT sr_id, book, family, hour, keyed_outcomes, competitor_priced "
        "FROM analytics.key_health_families WHERE site_country = %s",
        (cc,),
    ).fetchall()
    return {(sr, b, f): (h, k, c) for sr, b, f, h, k, c in rows}


def _stamps(conn: psycopg.Connection, sr_id: int) -> list[tuple[object, ...]]:
    return conn.execute(
        "SELECT book, family, computed_at FROM analytics.key_health_families WHERE sr_id = %s ORDER BY 1, 2",
        (sr_id,),
    ).fetchall()


HourRows = dict[tuple[str, str, datetime, str], tuple[int, int]]


def _hours(conn: psycopg.Connection) -> HourRows:
    """Every row of the hourly sums: (site country, book, hour, family): (keyed, priced)."""
    rows = conn.execute(
        "SELECT site_country, book, hour, family, keyed_outcomes, competitor_priced "
        "FROM analytics.key_health_family_hours"
    ).fetchall()
    return {(cc, b, h, f): (k, c) for cc, b, h, f, k, c in rows}


def _exact(conn: psycopg.Connection) -> HourRows:
    """The hourly sums equal the per-event rows summed here, independently of the writer; returns them."""
    summed = conn.execute(
        "SELECT site_country, book, hour, family, sum(keyed_outcomes)::int, sum(competitor_priced)::int "
        "FROM analytics.key_health_families GROUP BY 1, 2, 3, 4"
    ).fetchall()
    hours = _hours(conn)
    assert hours == {(cc, b, h, f): (k, c) for cc, b, h, f, k, c in summed}
    return hours


def _write(conn: psycopg.Connection, rows: list[tuple[object, ...]], cc: str = "ng") -> None:
    frame = pl.DataFrame(rows, schema=FAMILY_SHARING_SCHEMA, orient="row")
    assert write_family_sharing(conn, frame, site_country=cc) == len(rows)


def _matches(conn: psycopg.Connection) -> None:
    for sr_id in (1, 2):
        insert_match(conn, sr_id, KICKOFF, {"betpawa": f"bp{sr_id}", "sportybet": f"sb{sr_id}"})


def test_the_comparison_writes_each_event_s_families_and_an_update_rewrites_only_the_touched_event(
    warehouse_conn: psycopg.Connection,
) -> None:
    conn = warehouse_conn
    _matches(conn)
    _store(conn, FIRST, FIRST_AT)
    # Ghana's SportyBet prices event 1's total 2.5 over openly: it meets nothing of Nigeria's.
    _store(conn, [(1, Book.SPORTYBET, 18, "total=2.5", 12, 1.9, "open")], {(1, Book.SPORTYBET): TEN}, "gh")
    assert _rebuild(conn, NOON) == [DAY]
    assert _table(conn) == EXPECTED_FIRST
    assert _table(conn, "gh") == {}
    assert _exact(conn)[("ng", "sportybet", ELEVEN, TOTAL)] == (2, 1)

    # Rebuilt whole from the same prices: the same rows.
    _rebuild(conn, NOON)
    assert _table(conn) == EXPECTED_FIRST
    event_two = _stamps(conn, 2)

    # Event 1 captured again on BetPawa at eleven: away open now, total 2.5 under gone (closed by it).
    again = [(1, Book.BETPAWA, 1, "", o, p, "open") for o, p in ((1, 2.4), (2, 3.2), (3, 3.05))]
    again.append((1, Book.BETPAWA, 18, "total=2.5", 12, 1.85, "open"))
    _store(conn, again, {(1, Book.BETPAWA): ELEVEN + timedelta(minutes=30)})
    assert _rebuild(conn, NOON, sr_ids=[1]) == []
    touched = {
        (1, "betpawa", ONE_X_TWO): (ELEVEN, 3, 2),  # home and away on SportyBet
        (1, "betpawa", TOTAL): (ELEVEN, 1, 0),  # SportyBet's over 2.5 is suspended
        (1, "sportybet", ONE_X_TWO): (TEN, 2, 2),  # not captured again: its hour stays; BetPawa's away opened
        (1, "sportybet", TOTAL): (TEN, 1, 0),
    }
    assert _table(conn) == {**EXPECTED_FIRST, **touched}
    assert _stamps(conn, 2) == event_two  # event 2's rows were not written again
    hours = _exact(conn)
    assert hours[("ng", "betpawa", TEN, ONE_X_TWO)] == (1, 1)  # event 2's alone now
    assert hours[("ng", "betpawa", ELEVEN, ONE_X_TWO)] == (3, 2)

    # SportyBet withdraws event 1 (its capture closes every price): it keeps the rows of its last open
    # prices; BetPawa's are counted again, no competitor left.
    _store(conn, [], {(1, Book.SPORTYBET): NOON})
    _rebuild(conn, NOON, sr_ids=[1])
    assert _table(conn) == {
        **EXPECTED_FIRST,
        **touched,
        (1, "betpawa", ONE_X_TWO): (ELEVEN, 3, 0),
        (1, "betpawa", TOTAL): (ELEVEN, 1, 0),
    }
    _exact(conn)


def test_the_judged_read_sums_each_book_s_latest_hour_against_its_seven_days_before(
    warehouse_conn: psycopg.Connection,
) -> None:
    latest = datetime(2026, 5, 13, 12, 0, tzinfo=UTC)
    hours = timedelta(hours=1)
    days = timedelta(days=1)
    written = {
        "ng": [
            (10, "betpawa", ONE_X_TWO, latest, 3, 2),
            (10, "betpawa", TOTAL, latest, 4, 1),
            (11, "betpawa", ONE_X_TWO, latest, 3, 3),
            (12, "betpawa", ONE_X_TWO, latest - hours, 6, 3),
            (12, "betpawa", TOTAL, latest - hours, 2, 2),
            (13, "betpawa", ONE_X_TWO, latest - 6 * days, 3, 0),
            (13, "betpawa", CS, latest - 6 * days, 5, 5),  # no correct score in the latest hour: not judged
            (15, "betpawa", TOTAL, latest - 7 * days, 2, 0),  # the first hour of the seven days
            (14, "betpawa", ONE_X_TWO, latest - 7 * days - hours, 9, 9),  # before the seven days
            (10, "sportybet", ONE_X_TWO, latest - 2 * hours, 3, 2),  # SportyBet's latest hour, nothing before
        ],
        # Ghana's BetPawa: a later hour and other sums, none of Nigeria's.
        "gh": [
            (10, "betpawa", ONE_X_TWO, latest + hours, 3, 0),
            (12, "betpawa", TOTAL, latest - hours, 8, 0),
        ],
    }
    for cc, rows in written.items():
        _write(warehouse_conn, rows, cc)
    _exact(warehouse_conn)
    columns = ("book", "hour", "family", "keyed_outcomes", "competitor_priced", "competitor_share",
               "baseline_keyed_outcomes", "baseline_competitor_priced", "baseline_share")  # fmt: skip
    judged = [tuple(r[c] for c in columns) for r in judged_families(warehouse_conn, "ng")]
    assert judged == [
        # 1X2: events 10 and 11 in the hour (3 + 3 keyed, 2 + 3 priced); 12 and 13 before (6 + 3, 3 + 0).
        ("betpawa", latest, ONE_X_TWO, 6, 5, 5 / 6, 9, 3, 3 / 9),
        # total: event 10 in the hour; 12 and 15 before (2 + 2 keyed, 2 + 0 priced).
        ("betpawa", latest, TOTAL, 4, 1, 1 / 4, 4, 2, 2 / 4),
        ("sportybet", latest - 2 * hours, ONE_X_TWO, 3, 2, 2 / 3, None, None, None),
    ]


H0 = datetime(2026, 5, 12, 10, 0, tzinfo=UTC)
H1 = datetime(2026, 5, 13, 11, 0, tzinfo=UTC)
F1, F2, F3 = ONE_X_TWO, TOTAL, CS
JUDGED = ("site_country", "book", "hour", "family", "keyed_outcomes", "competitor_priced", "competitor_share",
          "baseline_keyed_outcomes", "baseline_competitor_priced", "baseline_share")  # fmt: skip


def _judged(
    conn: psycopg.Connection, site_country: str | None = None, **bounds: datetime
) -> list[tuple[object, ...]]:
    return [tuple(row[c] for c in JUDGED) for row in judged_families(conn, site_country, **bounds)]


def _retain(conn: psycopg.Connection, today: date, *, days: int) -> None:
    """The daily maintenance's retention of the two tables, in its order."""
    for rule in RETENTION_RULES:
        if rule.table.startswith("analytics.key_health_famil"):
            apply_table_retention(conn, rule, today=today, days=days)


def test_the_hourly_sums_follow_every_rewrite_of_an_event_and_the_retention(
    warehouse_conn: psycopg.Connection,
) -> None:
    conn = warehouse_conn
    # Three BetPawa events and one SportyBet event in one hour.
    _write(conn, [
        (1, "betpawa", F1, H0, 4, 2), (1, "betpawa", F2, H0, 3, 3), (2, "betpawa", F1, H0, 2, 1),
        (3, "betpawa", F1, H0, 3, 3), (1, "sportybet", F1, H0, 5, 0),
    ])  # fmt: skip
    assert _exact(conn) == {
        ("ng", "betpawa", H0, F1): (9, 6),
        ("ng", "betpawa", H0, F2): (3, 3),
        ("ng", "sportybet", H0, F1): (5, 0),
    }
    _write(conn, [(1, "betpawa", F1, H0, 7, 7)], "gh")  # another country: none of Nigeria's rows
    # Event 1 captured again on BetPawa in a later hour, its total gone; SportyBet's event 1 untouched.
    _write(conn, [(1, "betpawa", F1, H1, 5, 4)])
    # Event 2 rewritten as it was: nothing moves.
    _write(conn, [(2, "betpawa", F1, H0, 2, 1)])
    assert _exact(conn) == {
        ("ng", "betpawa", H0, F1): (5, 4),  # events 2 and 3
        ("ng", "betpawa", H1, F1): (5, 4),
        ("ng", "sportybet", H0, F1): (5, 0),
        ("gh", "betpawa", H0, F1): (7, 7),
    }
    # Event 2 captured again in the later hour, with a family new to it.
    _write(conn, [(2, "betpawa", F1, H1, 2, 2), (2, "betpawa", F3, H1, 1, 0)])
    hours = {
        ("ng", "betpawa", H0, F1): (3, 3),  # event 3 alone
        ("ng", "betpawa", H1, F1): (7, 6),
        ("ng", "betpawa", H1, F3): (1, 0),
        ("ng", "sportybet", H0, F1): (5, 0),
        ("gh", "betpawa", H0, F1): (7, 7),
    }
    assert _exact(conn) == hours
    assert _judged(conn, "ng") == [
        ("ng", "betpawa", H1, F1, 7, 6, 6 / 7, 3, 3, 1.0),  # event 3's hour is the day before
        ("ng", "betpawa", H1, F3, 1, 0, 0.0, None, None, None),
        ("ng", "sportybet", H0, F1, 5, 0, 0.0, None, None, None),
    ]
    assert _judged(conn, latest=H0 + timedelta(hours=5)) == [
        ("gh", "betpawa", H0, F1, 7, 7, 1.0, None, None, None),
        ("ng", "betpawa", H0, F1, 3, 3, 1.0, None, None, None),
        ("ng", "sportybet", H0, F1, 5, 0, 0.0, None, None, None),
    ]
    assert [row[:4] for row in _judged(conn, earliest=H1)] == [
        ("ng", "betpawa", H1, F1),
        ("ng", "betpawa", H1, F3),
    ]

    # The retention cuts both tables at one midnight: the hours it leaves keep their events, still exact.
    today = H1.date() + timedelta(days=1)
    _retain(conn, today, days=1)
    assert _exact(conn) == {key: value for key, value in hours.items() if key[2] == H1}


def test_an_hour_the_retention_cleared_under_a_writer_is_neither_revived_nor_taken_below_zero(
    warehouse_conn: psycopg.Connection,
) -> None:
    conn = warehouse_conn
    old = datetime.combine(H0.date() - timedelta(days=40), time(9), tzinfo=UTC)
    # Event 1's rows were written at an old hour after the per-event table's pass; the hourly pass clears it.
    _write(conn, [(1, "betpawa", F1, old, 4, 3)])
    (hourly,) = (rule for rule in RETENTION_RULES if rule.table == "analytics.key_health_family_hours")
    apply_table_retention(conn, hourly, today=H0.date(), days=28)
    assert _hours(conn) == {}
    _write(conn, [(1, "betpawa", F1, old, 3, 3)])  # less to subtract than nothing: no row
    assert _hours(conn) == {}
    _write(conn, [(2, "betpawa", F1, old, 2, 0)])
    _write(conn, [(1, "betpawa", F1, old, 3, 1)])  # two fewer priced, of a row that never counted them
    assert _hours(conn) == {("ng", "betpawa", old, F1): (2, 0)}
    _retain(conn, H0.date(), days=28)  # the next maintenance: both tables' old hours go
    assert _exact(conn) == {}


def _blocked_by(spy: psycopg.Connection, waiting: int, holder: int, thread: threading.Thread) -> None:
    """Return once backend ``waiting`` waits on a lock ``holder`` holds."""
    while True:
        row = spy.execute("SELECT %s = ANY(pg_blocking_pids(%s))", (holder, waiting)).fetchone()
        if row and row[0]:
            return
        assert thread.is_alive(), "the second writer finished without waiting for the first"
        spy.execute("SELECT pg_sleep(0.01)")


@pytest.mark.parametrize("first", ["event_1", "event_2"])
def test_two_writers_of_different_events_in_the_same_hours_end_exact(
    warehouse_url: str, warehouse_conn: psycopg.Connection, first: str
) -> None:
    # Both events in H0, then each moved to H1 by its own writer, at once: H0's rows fall to zero (one
    # writer's subtraction waits on the other's), H1's are created by one and added to by the other.
    _write(
        warehouse_conn,
        [(1, "betpawa", F1, H0, 4, 2), (1, "betpawa", F2, H0, 3, 1), (2, "betpawa", F1, H0, 2, 2)],
    )
    moves = {
        "event_1": [(1, "betpawa", F1, H1, 5, 3)],
        "event_2": [(2, "betpawa", F1, H1, 1, 0), (2, "betpawa", F2, H1, 2, 2)],
    }
    second = next(name for name in moves if name != first)
    failures: list[BaseException] = []
    with (
        psycopg.connect(libpq_url(warehouse_url)) as one,
        psycopg.connect(libpq_url(warehouse_url)) as two,
        psycopg.connect(libpq_url(warehouse_url), autocommit=True) as spy,
    ):

        def write_second() -> None:
            try:
                with two.transaction():
                    _write(two, moves[second])
            except BaseException as error:  # re-raised below, in the test's thread
                failures.append(error)

        thread = threading.Thread(target=write_second)
        with one.transaction():
            _write(one, moves[first])  # step 1: the first writer's rows, uncommitted
            thread.start()  # step 2: the second writer runs until it waits on the first's hour rows
            _blocked_by(spy, two.info.backend_pid, one.info.backend_pid, thread)
        thread.join(60)  # step 3: the first commits, the second goes on and commits
    assert not thread.is_alive()
    if failures:
        raise failures[0]
    assert _exact(warehouse_conn) == {
        ("ng", "betpawa", H1, F1): (6, 3),
        ("ng", "betpawa", H1, F2): (2, 2),
    }
