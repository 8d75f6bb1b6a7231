"""store_catalogue and friends against a real, freshly migrated database."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

import polars as pl
import psycopg
import pytest

from palimpsest_pipeline.frames import EVENTS_SCHEMA
from palimpsest_pipeline.records import Book, Event, Tournament
from palimpsest_pipeline.settings import SettingsLoadError, load_settings
from palimpsest_pipeline.warehouse.batches import record_scrape
from palimpsest_pipeline.warehouse.catalogue_store import read_live_events, store_catalogue
from palimpsest_pipeline.warehouse.store_inputs import StoreInputError
from palimpsest_pipeline.warehouse.withdrawal import (
    SportCounts,
    WithdrawalPolicy,
    counts_by_sport,
    drop_verdict,
)
from palimpsest_pipeline_tests.warehouse.stored import read_quarantined_body, start_batch

NOW = datetime(2026, 5, 6, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
TOMORROW = TODAY + timedelta(days=1)
LATER = NOW + timedelta(hours=6)


def event(
    event_id: str,
    sr_id: int | None,
    kickoff: datetime,
    *,
    book: Book = Book.BETPAWA,
    home: str = "Home",
    sport: str = "football",
) -> Event:
    return Event(
        book=book,
        event_id=event_id,
        sr_id=sr_id,
        home=f"{home} {event_id}",
        away=f"Away {event_id}",
        kickoff=kickoff,
        tournament_id="t1",
        tournament_name="Premier League",
        country="England",
        sport=sport,
    )


def tournament(tournament_id: str, *, book: Book = Book.BETPAWA, sport: str = "football") -> Tournament:
    return Tournament(
        book=book,
        tournament_id=tournament_id,
        name=f"T {tournament_id}",
        country="England",
        sport=sport,
        event_count=3,
    )


def store(
    conn: psycopg.Connection,
    events: list[Event],
    *,
    complete: bool = True,
    captured_at: datetime = NOW,
    dates: list[date] | None = None,
    tournaments: list[Tournament] | None = None,
    sports: list[str] | None = None,
    book: Book = Book.BETPAWA,
    withdraw_after: int = 1,  # most tests here are about what one withdrawal does; the policy has its own
):
    return store_catalogue(
        conn,
        book=book,
        tournaments=tournaments or [],
        events=events,
        dates=dates or [TODAY, TOMORROW],
        captured_at=captured_at,
        batch_id="batch-1",
        complete=complete,
        sports=sports,
        withdraw_after=withdraw_after,
        site_country="ng",
    )


def rows(conn: psycopg.Connection) -> dict[str, tuple[object, ...]]:
    result = conn.execute(
        "SELECT event_id, sr_id, home, kickoff, first_seen_at, last_seen_at, deleted_at FROM core.events"
    ).fetchall()
    return {r[0]: r[1:] for r in result}


@pytest.fixture
def conn(warehouse_conn: psycopg.Connection) -> psycopg.Connection:
    start_batch(warehouse_conn, started_at=NOW, batch_id="batch-1", site_country="ng")
    return warehouse_conn


def test_insert_then_same_input_changes_only_last_seen(conn: psycopg.Connection) -> None:
    listing = [event("e1", 101, LATER), event("e2", None, LATER + timedelta(days=1))]
    first = store(conn, listing)
    assert (first.inserted, first.updated, first.unchanged, first.deleted) == (2, 0, 0, 0)
    before = rows(conn)
    again = store(conn, listing, captured_at=NOW + timedelta(minutes=5))
    assert (again.inserted, again.updated, again.unchanged, again.deleted, again.revived) == (0, 0, 2, 0, 0)
    after = rows(conn)
    for event_id, old in before.items():
        new = after[event_id]
        assert new[:4] == old[:4] and new[5] == old[5]  # content, first_seen_at, deleted_at unchanged
        assert new[4] == NOW + timedelta(minutes=5)


def test_changed_content_counts_as_update(conn: psycopg.Connection) -> None:
    store(conn, [event("e1", 101, LATER)])
    stats = store(conn, [event("e1", 101, LATER + timedelta(minutes=30), home="Renamed")])
    assert (stats.updated, stats.unchanged, stats.inserted) == (1, 0, 0)
    assert rows(conn)["e1"][1] == "Renamed e1"


def test_complete_scrape_soft_deletes_unlisted_future_events_of_its_dates_only(
    conn: psycopg.Connection,
) -> None:
    past = event("past", 1, NOW - timedelta(hours=1))  # kicked off already: must stay
    gone = event("gone", 2, LATER)  # future, today, not listed again: withdrawn
    kept = event("kept", 3, LATER)
    other_day = event("other", 4, NOW + timedelta(days=3))  # outside the scraped dates: untouched
    store(conn, [past, gone, kept], dates=[TODAY])
    store(conn, [other_day], dates=[NOW.date() + timedelta(days=3)])
    stats = store(conn, [kept], dates=[TODAY], captured_at=NOW + timedelta(minutes=1))
    assert stats.deleted == 1
    state = rows(conn)
    assert state["gone"][5] == NOW + timedelta(minutes=1)
    assert state["past"][5] is None and state["kept"][5] is None and state["other"][5] is None


def test_incomplete_scrape_never_deletes(conn: psycopg.Connection) -> None:
    store(
        conn, [event("e1", 1, LATER), event("e2", 2, LATER)], tournaments=[tournament("t1"), tournament("t2")]
    )
    stats = store(conn, [event("e1", 1, LATER)], complete=False, tournaments=[tournament("t1")])
    assert stats.deleted == 0
    assert all(r[5] is None for r in rows(conn).values())
    live = conn.execute("SELECT count(*) FROM analytics.tournaments").fetchone()
    assert live == (2,)


def test_withdrawn_event_listed_again_is_revived_keeping_first_seen(conn: psycopg.Connection) -> None:
    store(conn, [event("e1", 1, LATER), event("e2", 2, LATER)])
    store(conn, [event("e1", 1, LATER)], captured_at=NOW + timedelta(minutes=1))
    assert rows(conn)["e2"][5] is not None
    stats = store(
        conn, [event("e1", 1, LATER), event("e2", 2, LATER)], captured_at=NOW + timedelta(minutes=2)
    )
    assert (stats.revived, stats.unchanged, stats.inserted) == (1, 1, 0)
    e2 = rows(conn)["e2"]
    assert e2[5] is None and e2[3] == NOW and e2[4] == NOW + timedelta(minutes=2)


def test_sr_id_relisted_under_new_event_id_supersedes_old_event(conn: psycopg.Connection) -> None:
    store(conn, [event("old", 777, LATER)])
    # Even an incomplete scrape may supersede: the SR id now belongs to another event of the book.
    stats = store(conn, [event("new", 777, LATER)], complete=False, captured_at=NOW + timedelta(minutes=1))
    assert (stats.inserted, stats.deleted) == (1, 0)
    live = conn.execute("SELECT event_id FROM analytics.events WHERE sr_id = 777").fetchall()
    assert live == [("new",)]
    assert rows(conn)["old"][5] == NOW + timedelta(minutes=1)


def test_two_events_swapping_sr_ids_store_cleanly(conn: psycopg.Connection) -> None:
    store(conn, [event("a", 1, LATER), event("b", 2, LATER)])
    stats = store(conn, [event("a", 2, LATER), event("b", 1, LATER)])
    assert stats.updated == 2
    state = rows(conn)
    assert (state["a"][0], state["b"][0]) == (2, 1)
    assert state["a"][5] is None and state["b"][5] is None


def test_sports_narrow_what_a_complete_scrape_may_delete(conn: psycopg.Connection) -> None:
    store(
        conn,
        [event("f", 1, LATER), event("b", 2, LATER, sport="basketball")],
        tournaments=[tournament("tf"), tournament("tb", sport="basketball")],
    )
    stats = store(conn, [event("f2", 3, LATER)], sports=["football"], tournaments=[])
    assert stats.deleted == 1
    events = conn.execute("SELECT event_id FROM analytics.events ORDER BY event_id").fetchall()
    assert [r[0] for r in events] == ["b", "f2"]
    assert [r[0] for r in conn.execute("SELECT tournament_id FROM analytics.tournaments")] == ["tb"]


def test_a_scrape_listing_no_event_of_a_sport_withdraws_none_of_its_tournaments(
    conn: psycopg.Connection,
) -> None:
    store(conn, [event("f", 1, LATER)], tournaments=[tournament("tf")])
    store(conn, [], tournaments=[], captured_at=NOW + timedelta(minutes=1))
    assert [r[0] for r in conn.execute("SELECT tournament_id FROM analytics.tournaments")] == ["tf"]


def test_an_event_is_withdrawn_only_when_two_consecutive_complete_scrapes_miss_it(
    conn: psycopg.Connection,
) -> None:
    keep, flaky = event("keep", 1, LATER), event("flaky", 2, LATER)
    store(conn, [keep, flaky], withdraw_after=2)
    missed = store(conn, [keep], withdraw_after=2, captured_at=NOW + timedelta(minutes=1))
    assert (missed.missed, missed.deleted) == (1, 0) and rows(conn)["flaky"][5] is None
    store(conn, [keep, flaky], withdraw_after=2, captured_at=NOW + timedelta(minutes=2))  # seen: count reset
    again = store(conn, [keep], withdraw_after=2, captured_at=NOW + timedelta(minutes=3))
    assert (again.missed, again.deleted) == (1, 0)
    store(conn, [keep], complete=False, withdraw_after=2, captured_at=NOW + timedelta(minutes=4))
    gone = store(conn, [keep], withdraw_after=2, captured_at=NOW + timedelta(minutes=5))
    assert (gone.missed, gone.deleted) == (0, 1)
    assert rows(conn)["flaky"][5] == NOW + timedelta(minutes=5)


def test_events_seen_on_another_date_or_set_aside_are_never_withdrawn(conn: psycopg.Connection) -> None:
    moved, named = event("moved", 1, LATER), event("named", 2, LATER)
    store(conn, [moved, named], dates=[TODAY])
    later_kickoff = NOW + timedelta(days=3)
    huge_name = replace(named, home="x" * 5_000)  # set aside by the quarantine, still listed
    stats = store(conn, [replace(moved, kickoff=later_kickoff), huge_name], dates=[TODAY])
    assert (stats.deleted, stats.missed, stats.outside_dates) == (0, 0, 1)
    state = rows(conn)
    assert state["moved"][2] == later_kickoff and state["moved"][5] is None  # the move is stored
    assert state["named"][5] is None and state["named"][1] == "Home named"


@pytest.mark.parametrize(
    ("live", "missing", "listed", "suspect"),
    [(10, 10, 0, True), (10, 4, 6, True), (10, 3, 7, False), (2, 2, 1, False), (0, 0, 0, False)],
)
def test_drop_verdict(live: int, missing: int, listed: int, suspect: bool) -> None:
    assert (drop_verdict(live, missing, listed, 0.3) is not None) is suspect


def _implausible(
    conn: psycopg.Connection, events: list[Event], dates: list[date], sports: list[str] | None
) -> str | None:
    """``drop_verdict`` of a complete scrape of BetPawa NG listing ``events``, all its sports together."""
    counts = counts_by_sport(
        conn, book=Book.BETPAWA, site_country="ng", events=events, dates=dates, captured_at=NOW, sports=sports
    )
    total = sum(counts.values(), SportCounts())
    return drop_verdict(total.live, total.missing, total.listed, 0.3)


def test_implausible_scrape_compares_with_the_live_catalogue(conn: psycopg.Connection) -> None:
    store(conn, [event(f"e{i}", i + 1, LATER) for i in range(10)])
    half = [event(f"e{i}", i + 1, LATER) for i in range(5)]
    reason = _implausible(conn, half, [TODAY, TOMORROW], None)
    assert reason is not None and "5 of the 10 live events" in reason
    empty = _implausible(conn, [], [TODAY], None)
    assert empty is not None and "where 10 are live" in empty
    assert _implausible(conn, [], [TODAY], ["basketball"]) is None


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"PALIMPSEST_WITHDRAW_AFTER_MISSES": "0"}, "PALIMPSEST_WITHDRAW_AFTER_MISSES='0'"),
        ({"PALIMPSEST_WITHDRAW_AFTER_MISSES": "two"}, "PALIMPSEST_WITHDRAW_AFTER_MISSES='two'"),
        ({"PALIMPSEST_CATALOGUE_MAX_DROP_SHARE": "1.5"}, "PALIMPSEST_CATALOGUE_MAX_DROP_SHARE='1.5'"),
    ],
)
def test_withdrawal_policy_names_a_bad_setting(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsLoadError, match=message):
        load_settings(env)
    assert load_settings({}).withdrawal_policy() == WithdrawalPolicy(2, 0.3) == WithdrawalPolicy()


def test_events_outside_dates_are_ignored(conn: psycopg.Connection) -> None:
    stats = store(conn, [event("in", 1, LATER), event("out", 2, NOW + timedelta(days=5))], dates=[TODAY])
    assert (stats.inserted, stats.outside_dates) == (1, 1)
    assert set(rows(conn)) == {"in"}


def test_tournaments_upsert_and_revive(conn: psycopg.Connection) -> None:
    listed = [event("a", 1, LATER)]
    store(conn, listed, tournaments=[tournament("t1"), tournament("t2")])
    store(conn, listed, tournaments=[tournament("t1")], captured_at=NOW + timedelta(minutes=1))
    assert conn.execute("SELECT tournament_id FROM analytics.tournaments").fetchall() == [("t1",)]
    renamed = replace(tournament("t2"), name="Renamed")
    store(conn, listed, tournaments=[tournament("t1"), renamed], captured_at=NOW + timedelta(minutes=2))
    row = conn.execute(
        "SELECT name, first_seen_at, deleted_at FROM core.tournaments WHERE tournament_id = 't2'"
    ).fetchone()
    assert row == ("Renamed", NOW, None)


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([event("a", 5, LATER, book=Book.BET9JA)], "belongs to book"),
        ([event("a", 5, datetime(2026, 5, 6, 12, 0))], "must be timezone-aware"),
    ],
)
def test_inconsistent_input_is_rejected_before_touching_the_database(
    conn: psycopg.Connection, events: list[Event], message: str
) -> None:
    with pytest.raises(StoreInputError, match=message):
        store(conn, events)
    assert rows(conn) == {}


def test_read_live_events_schema_range_and_liveness(conn: psycopg.Connection) -> None:
    store(conn, [event("a", 1, LATER), event("b", None, NOW + timedelta(days=1)), event("gone", 3, LATER)])
    store(conn, [event("a", 1, LATER), event("b", None, NOW + timedelta(days=1))])
    store(conn, [event("s", 1, LATER, book=Book.SPORTYBET)], book=Book.SPORTYBET)
    frame = read_live_events(conn, TODAY, TODAY, site_country="ng")
    assert frame.schema == pl.Schema(EVENTS_SCHEMA)
    assert frame.select("book", "event_id").rows() == [("betpawa", "a"), ("sportybet", "s")]
    assert frame["kickoff"][0] == LATER
    both_days = read_live_events(conn, TODAY, TOMORROW, site_country="ng")
    assert both_days.filter(pl.col("event_id") == "b")["sr_id"].to_list() == [None]
    empty = read_live_events(conn, date(2030, 1, 1), date(2030, 1, 2), site_country="ng")
    assert empty.height == 0 and empty.schema == pl.Schema(EVENTS_SCHEMA)


@dataclass
class _Stats:
    requests: int = 12
    errors: dict[str, int] = field(default_factory=lambda: {"status_503": 2})


@dataclass
class _Quarantined:
    book: Book
    url: str
    reason: str
    body: bytes


@dataclass
class _Scrape:
    book: Book
    status: str
    complete: bool
    started_at: datetime
    finished_at: datetime
    site_country: str = "ng"
    tournaments: list[Tournament] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    stats: _Stats = field(default_factory=_Stats)
    error_messages: list[str] = field(default_factory=list)
    quarantined: list[_Quarantined] = field(default_factory=list)


def _batch_status(conn: psycopg.Connection, batch_id: str) -> str:
    row = conn.execute("SELECT status FROM core.scrape_batches WHERE batch_id = %s", (batch_id,)).fetchone()
    assert row is not None
    return str(row[0])


def test_record_scrape_fills_batch_runs_and_quarantine(warehouse_conn: psycopg.Connection) -> None:
    ok = _Scrape(Book.BETPAWA, "ok", True, NOW, NOW + timedelta(seconds=30), events=[event("a", 1, LATER)])
    failed = _Scrape(
        Book.BET9JA,
        "failed",
        False,
        NOW + timedelta(seconds=1),
        NOW + timedelta(seconds=40),
        error_messages=["every request 503"],
        quarantined=[
            _Quarantined(Book.BET9JA, "http://x/GetSports", "not JSON", b"<html>blocked</html>" * 50)
        ],
    )
    record_scrape(warehouse_conn, batch_id="run-1", scrape=ok, trigger="schedule:hourly")
    assert _batch_status(warehouse_conn, "run-1") == "ok"
    record_scrape(warehouse_conn, batch_id="run-1", scrape=failed)
    assert _batch_status(warehouse_conn, "run-1") == "partial"
    runs = warehouse_conn.execute(
        "SELECT book, status, batch_status, trigger, requests, errors, error_messages, duration_s "
        "FROM analytics.scrape_runs ORDER BY book"
    ).fetchall()
    assert runs == [
        (
            "bet9ja",
            "failed",
            "partial",
            "schedule:hourly",
            12,
            {"status_503": 2},
            ["every request 503"],
            39.0,
        ),
        ("betpawa", "ok", "partial", "schedule:hourly", 12, {"status_503": 2}, [], 30.0),
    ]
    batch = warehouse_conn.execute("SELECT finished_at FROM core.scrape_batches").fetchone()
    assert batch == (NOW + timedelta(seconds=40),)
    row = warehouse_conn.execute("SELECT id, length(body), body_bytes FROM core.quarantine").fetchone()
    assert row is not None
    qid, stored, size = row
    assert size == 1000 and stored < size
    assert read_quarantined_body(warehouse_conn, qid) == b"<html>blocked</html>" * 50


def test_batch_lifecycle_derives_status_from_book_runs(warehouse_conn: psycopg.Connection) -> None:
    def scrape(book: Book, status: str, seconds: int) -> _Scrape:
        return _Scrape(book, status, status == "ok", NOW, NOW + timedelta(seconds=seconds))

    for book in (Book.BETPAWA, Book.SPORTYBET):
        record_scrape(warehouse_conn, batch_id="b", scrape=scrape(book, "failed", 5))
        assert _batch_status(warehouse_conn, "b") == "failed"
    record_scrape(warehouse_conn, batch_id="b", scrape=scrape(Book.SPORTYBET, "ok", 7))
    assert _batch_status(warehouse_conn, "b") == "partial"
    runs = "SELECT book, status FROM core.book_runs WHERE batch_id = 'b' ORDER BY book"
    assert warehouse_conn.execute(runs).fetchall() == [("betpawa", "failed"), ("sportybet", "ok")]
    finished = "SELECT finished_at FROM core.scrape_batches WHERE batch_id = 'b'"
    assert warehouse_conn.execute(finished).fetchone() == (NOW + timedelta(seconds=7),)
    suspect = scrape(Book.SPORTYBET, "suspect", 1)  # stored as failed; the batch's finish never moves back
    record_scrape(warehouse_conn, batch_id="b", scrape=suspect)
    assert _batch_status(warehouse_conn, "b") == "failed"
    assert warehouse_conn.execute(finished).fetchone() == (NOW + timedelta(seconds=7),)
    with pytest.raises(StoreInputError, match="unknown book 'pinnacle'"):
        record_scrape(warehouse_conn, batch_id="b", scrape=scrape("pinnacle", "ok", 1))  # type: ignore[arg-type]


def changes(conn: psycopg.Connection) -> list[tuple[object, ...]]:
    return conn.execute(
        "SELECT changed_at, event_id, change, kickoff, previous_kickoff FROM analytics.catalogue_changes"
        " ORDER BY changed_at, event_id, change"
    ).fetchall()


def test_catalogue_changes_record_additions_moves_withdrawals_and_returns_once(
    conn: psycopg.Connection,
) -> None:
    t1, t2, t3, t4 = (NOW + timedelta(minutes=15 * k) for k in range(4))
    store(conn, [event("e1", 101, LATER), event("e2", 102, LATER)], captured_at=t1)
    store(conn, [event("e1", 101, LATER), event("e2", 102, LATER)], captured_at=t1)  # the same scrape again
    moved = LATER + timedelta(hours=2)
    store(conn, [event("e1", 101, moved)], captured_at=t2)  # e1 moved, e2 missed (withdrawn at one miss)
    store(conn, [event("e1", 101, moved), event("e2", 102, LATER)], captured_at=t3)  # e2 back
    store(conn, [event("e1", 101, moved), event("e2", 102, LATER)], captured_at=t4)  # nothing changed
    assert changes(conn) == [
        (t1, "e1", "added", LATER, None),
        (t1, "e2", "added", LATER, None),
        (t2, "e1", "moved", moved, LATER),
        (t2, "e2", "withdrawn", LATER, None),
        (t3, "e2", "added", LATER, None),
    ]


def test_an_incomplete_scrape_records_no_withdrawal(conn: psycopg.Connection) -> None:
    store(conn, [event("e1", 101, LATER), event("e2", 102, LATER)])
    store(conn, [event("e1", 101, LATER)], complete=False, captured_at=NOW + timedelta(minutes=15))
    assert [c[2] for c in changes(conn)] == ["added", "added"]
