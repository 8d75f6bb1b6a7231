"""The per-sport judgement against the warehouse (scrape/catalogue_judgement.py), on a real database: a sport
listing none of its live events, or dropping too many at once, is held even when no count of the book's says
so, and the rest of the book is judged and stored as usual. Expectations are hand-counted from the events
stored below."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from palimpsest_pipeline.books.limits import StatsSummary
from palimpsest_pipeline.records import Book, Event
from palimpsest_pipeline.scrape.catalogue import CatalogueScrape
from palimpsest_pipeline.scrape.catalogue_judgement import judge_scrape, store_judged
from palimpsest_pipeline.warehouse.batches import record_scrape
from palimpsest_pipeline.warehouse.catalogue_store import store_catalogue
from palimpsest_pipeline.warehouse.withdrawal import WithdrawalPolicy

NOW = datetime(2026, 5, 6, 9, 0, tzinfo=UTC)
DATES = [NOW.date(), NOW.date() + timedelta(days=1)]
SPORTS = ["football", "basketball", "tennis"]
POLICY = WithdrawalPolicy(withdraw_after=2, max_drop_share=0.3)


def _event(n: int, sport: str) -> Event:
    return Event(
        book=Book.SPORTYBET, event_id=f"sr:match:{n}", sr_id=n, home=f"H{n}", away=f"A{n}",
        kickoff=NOW + timedelta(hours=3 + n % 10), tournament_id=f"t-{sport}", tournament_name=sport,
        country="X", sport=sport,
    )  # fmt: skip


FOOTBALL = [_event(n, "football") for n in range(1, 21)]
BASKETBALL = [_event(n, "basketball") for n in range(101, 107)]
TENNIS = [_event(n, "tennis") for n in range(201, 206)]


def _scrape(events: list[Event]) -> CatalogueScrape:
    return CatalogueScrape(
        book=Book.SPORTYBET, status="ok", complete=True, tournaments=[], events=events, started_at=NOW,
        finished_at=NOW, stats=StatsSummary(), site_country="ng",
    )  # fmt: skip


def _seed(conn: psycopg.Connection) -> None:
    store_catalogue(
        conn, book=Book.SPORTYBET, tournaments=[], events=FOOTBALL + BASKETBALL + TENNIS, dates=DATES,
        captured_at=NOW - timedelta(minutes=30), batch_id=None, complete=True, site_country="ng",
    )  # fmt: skip


def _live(conn: psycopg.Connection, sport: str) -> int:
    row = conn.execute(
        "SELECT count(*) FROM core.events WHERE book = 'sportybet' AND sport = %s AND deleted_at IS NULL",
        (sport,),
    ).fetchone()
    return int(row[0]) if row else -1


def test_a_sport_listing_none_of_its_live_events_is_held_and_the_rest_judged_as_usual(
    warehouse_conn: psycopg.Connection,
) -> None:
    _seed(warehouse_conn)
    # tennis answers nothing; football drops one event of twenty (a real withdrawal); basketball is whole
    listed = FOOTBALL[1:] + BASKETBALL
    for minutes in (0, 15):
        at = NOW + timedelta(minutes=minutes)
        judged = judge_scrape(
            warehouse_conn, _scrape(listed), sports=SPORTS, dates=DATES, captured_at=at, policy=POLICY
        )
        record_scrape(warehouse_conn, batch_id=f"b{minutes}", scrape=judged, trigger="test")
        assert judged.status == "ok"
        assert list(judged.held_sports) == ["tennis"]
        assert "listed no event on the run's dates, where 5 are live" in judged.held_sports["tennis"]
        stats = store_judged(
            warehouse_conn, judged, sports=SPORTS, dates=DATES, captured_at=at, policy=POLICY,
            batch_id=f"b{minutes}",
        )  # fmt: skip
    assert stats.deleted == 1  # football's one event, at its second miss
    assert (_live(warehouse_conn, "football"), _live(warehouse_conn, "basketball")) == (19, 6)
    assert _live(warehouse_conn, "tennis") == 5  # nothing of the quiet sport withdrawn


def test_a_sport_dropping_most_of_its_events_is_held(warehouse_conn: psycopg.Connection) -> None:
    _seed(warehouse_conn)
    listed = FOOTBALL + BASKETBALL[:2] + TENNIS  # basketball: 4 of 6 missing (67 %), the book: 4 of 31
    judged = judge_scrape(
        warehouse_conn, _scrape(listed), sports=SPORTS, dates=DATES, captured_at=NOW, policy=POLICY
    )
    assert judged.status == "ok" and list(judged.held_sports) == ["basketball"]
    assert "4 of the 6 live events" in judged.held_sports["basketball"]


def test_every_sport_implausible_is_a_suspect_scrape(warehouse_conn: psycopg.Connection) -> None:
    _seed(warehouse_conn)
    judged = judge_scrape(
        warehouse_conn, _scrape(FOOTBALL[:5]), sports=SPORTS, dates=DATES, captured_at=NOW, policy=POLICY
    )
    assert judged.status == "suspect"
    stats = store_judged(
        warehouse_conn, judged, sports=SPORTS, dates=DATES, captured_at=NOW, policy=POLICY, batch_id="x"
    )
    assert stats.inserted == stats.missed == stats.deleted == 0


def _msport(events: list[Event]) -> list[Event]:
    return [replace(event, book=Book.MSPORT) for event in events]


def _live_msport(conn: psycopg.Connection) -> int:
    row = conn.execute(
        "SELECT count(*) FROM core.events WHERE book = 'msport' AND deleted_at IS NULL"
    ).fetchone()
    return int(row[0]) if row else -1


@pytest.mark.parametrize(
    ("answer", "status"),
    [([], "suspect"), (FOOTBALL[:2], "ok")],
    ids=["empty", "two-of-twenty"],
)
def test_a_short_answer_of_a_book_without_counts_twice_withdraws_nothing(
    warehouse_conn: psycopg.Connection, answer: list[Event], status: str
) -> None:
    """MSport's lists give no counts: a short answer reads as complete. Only football is live (basketball
    and tennis have nothing to drop): an empty answer holds football and lists nothing, so it is suspect;
    two of twenty hold football and store the two. Twice over, no event is withdrawn."""
    store_catalogue(
        warehouse_conn, book=Book.MSPORT, tournaments=[], events=_msport(FOOTBALL), dates=DATES,
        captured_at=NOW - timedelta(minutes=30), batch_id=None, complete=True, site_country="ng",
    )  # fmt: skip
    for minutes in (0, 15):
        at = NOW + timedelta(minutes=minutes)
        scrape = replace(_scrape(_msport(answer)), book=Book.MSPORT)
        judged = judge_scrape(
            warehouse_conn, scrape, sports=SPORTS, dates=DATES, captured_at=at, policy=POLICY
        )
        record_scrape(warehouse_conn, batch_id=f"m{minutes}", scrape=judged, trigger="test")
        assert judged.status == status
        if status == "ok":
            assert list(judged.held_sports) == ["football"]
        else:
            assert (
                "suspect: listed no event on the run's dates while it holds football" in judged.error_messages
            )
        stats = store_judged(
            warehouse_conn, judged, sports=SPORTS, dates=DATES, captured_at=at, policy=POLICY,
            batch_id=f"m{minutes}",
        )  # fmt: skip
        assert stats.deleted == 0
    assert _live_msport(warehouse_conn) == len(FOOTBALL)
