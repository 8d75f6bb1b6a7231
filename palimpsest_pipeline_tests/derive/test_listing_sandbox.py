"""Catalogue history, listing lead time and what to list now against the sandbox world's listing times.

The sandbox's clock is moved through catalogue scrapes every CADENCE; the truth is the world's own
``Listing.appear_at`` and what each book lists at each instant (``World.listed_events``), never the code under
test. A listing is timed by the first scrape that sees it, so it lags the truth by less than one cadence.
"""

from __future__ import annotations

import asyncio
import itertools
import statistics
from collections.abc import Iterator
from datetime import datetime, timedelta

import psycopg
import pytest

from palimpsest_pipeline.derive.coverage import rebuild_matched_events
from palimpsest_pipeline.derive.listing import rebuild_listing
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.catalogue_refresh import refresh_catalogue
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.fixtures_sandbox import (
    SANDBOX_TEST_INSTANT,
    fast_book_settings,
    sandbox_test_config,
)
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle, start_in_thread
from palimpsest_sandbox.world_event import WorldEvent

pytestmark = pytest.mark.slow

CADENCE = timedelta(hours=24)
INSTANTS = [SANDBOX_TEST_INSTANT + k * CADENCE for k in range(4)]
DATES = [(SANDBOX_TEST_INSTANT + timedelta(days=d)).date() for d in range(3, 12)]
SPORTS = ["football"]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxHandle]:
    """A world of its own, smaller than the session's, main markets only (each scrape re-renders every listed
    event; the listings are the same at any depth)."""
    with start_in_thread(sandbox_test_config(size=120, depth_scale=0.0)) as handle:
        yield handle


@pytest.fixture(scope="module")
def scraped(sandbox: SandboxHandle, module_warehouse_url: str) -> Iterator[psycopg.Connection]:
    """The warehouse after a catalogue scrape of every book at each instant (withdrawn at the first miss, so
    the warehouse follows the world scrape by scrape), shared by the module's tests."""
    warehouse_url = module_warehouse_url
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("PALIMPSEST_WITHDRAW_AFTER_MISSES", "1")
    settings = fast_book_settings(sandbox)

    def connect(*, autocommit: bool = False) -> psycopg.Connection:
        return psycopg.connect(libpq_url(warehouse_url), autocommit=autocommit)

    try:
        for k, at in enumerate(INSTANTS):
            sandbox.set_clock(at=at, frozen=True)
            for book in NIGERIA_BOOKS:
                refreshed = asyncio.run(
                    refresh_catalogue(
                        connect, book, settings[book], sports=SPORTS, horizon=timedelta(days=14), now=at,
                        dates=DATES, batch_id=f"lead-{k}", trigger="test",
                    )
                )  # fmt: skip
                assert refreshed.scrape.status == "ok" and refreshed.scrape.complete
        with connect() as conn:
            rebuild_matched_events(conn, DATES, INSTANTS[-1], "ng")
            rebuild_listing(conn, DATES, INSTANTS[-1], "ng")
            conn.commit()
        with connect(autocommit=True) as conn:
            yield conn
    finally:
        monkeypatch.undo()


def _listed(sandbox: SandboxHandle, book: Book, at: datetime) -> dict[str, WorldEvent]:
    return {
        e.record(book).event_id: e
        for e in sandbox.world.listed_events(book, at, sport="football")
        if e.kickoff.date() in DATES
    }


def test_each_listing_is_timed_within_one_cadence_of_when_the_world_listed_it(
    sandbox: SandboxHandle, scraped: psycopg.Connection
) -> None:
    truth: dict[Book, dict[str, WorldEvent]] = {book: {} for book in NIGERIA_BOOKS}
    for at in INSTANTS:
        for book in NIGERIA_BOOKS:
            truth[book].update(_listed(sandbox, book, at))
    timed = 0
    for book in NIGERIA_BOOKS:
        rows = scraped.execute(
            "SELECT event_id, first_seen_at FROM core.events WHERE book = %s AND first_seen_at > %s",
            (book.value, INSTANTS[0]),
        ).fetchall()
        for event_id, first_seen in rows:
            appeared = truth[book][event_id].listings[book].appear_at
            assert timedelta(0) <= first_seen - appeared < CADENCE, (book, event_id)
        timed += len(rows)
    assert timed >= 15, "too few listings appeared during the scrapes to judge"

    # the table's medians: the same listings' true leads, within one cadence
    measured = scraped.execute(
        "SELECT t.sport, t.country, t.tournament, t.book, t.median_lead_hours, t.kickoff_date "
        "FROM analytics.listing_lead_time t WHERE t.events_measured > 0"
    ).fetchall()
    assert measured
    for sport, country, tournament, book, median_hours, day in measured:
        event_ids = scraped.execute(
            "SELECT e.event_id FROM analytics.matches m"
            " JOIN analytics.match_listings l USING (kickoff_date, site_country, match_key)"
            " JOIN core.events e ON e.book = l.book AND e.event_id = l.event_id"
            " WHERE l.book = %s AND m.kickoff_date = %s AND m.sport = %s AND coalesce(m.country, '') = %s"
            " AND coalesce(m.tournament, '') = %s AND e.first_seen_at > %s",
            (book, day, sport, country, tournament, INSTANTS[0]),
        ).fetchall()
        true_leads = [
            (event.kickoff - event.listings[Book(book)].appear_at).total_seconds() / 3600
            for event in (truth[Book(book)][event_id] for (event_id,) in event_ids)
        ]
        assert abs(median_hours - statistics.median(true_leads)) < CADENCE.total_seconds() / 3600


def test_catalogue_changes_are_the_worlds_additions_and_withdrawals_between_scrapes(
    sandbox: SandboxHandle, scraped: psycopg.Connection
) -> None:
    changes = 0
    for before, at in itertools.pairwise(INSTANTS):
        for book in NIGERIA_BOOKS:
            was, now = _listed(sandbox, book, before), _listed(sandbox, book, at)
            expected = {(event_id, "added") for event_id in now.keys() - was.keys()} | {
                (event_id, "withdrawn") for event_id in was.keys() - now.keys() if was[event_id].kickoff > at
            }
            stored = set(
                scraped.execute(
                    "SELECT event_id, change FROM analytics.catalogue_changes"
                    " WHERE book = %s AND changed_at = %s",
                    (book.value, at),
                ).fetchall()
            )
            assert stored == expected, (book, at)
            changes += len(expected)
    assert changes >= 15


def test_to_list_now_is_what_a_competitor_lists_and_betpawa_does_not(
    sandbox: SandboxHandle, scraped: psycopg.Connection
) -> None:
    at = INSTANTS[-1]
    on_betpawa = {e.sr_id for e in _listed(sandbox, Book.BETPAWA, at).values()}
    hidden_on_betpawa = {  # listed on BetPawa without an id to match it by: it reads as missing
        e.sr_id for e in _listed(sandbox, Book.BETPAWA, at).values() if e.visible_sr_id(Book.BETPAWA) is None
    }
    competitors = {
        e.sr_id: e
        for book in NIGERIA_BOOKS
        if book is not Book.BETPAWA
        for e in _listed(sandbox, book, at).values()
        if e.visible_sr_id(book) is not None and e.kickoff > at
    }
    expected = set(competitors) - on_betpawa
    stored = {sr_id for (sr_id,) in scraped.execute("SELECT sr_id FROM analytics.to_list_now").fetchall()}
    assert expected and expected <= stored
    assert stored - expected <= hidden_on_betpawa | {None}
    hours = scraped.execute(
        "SELECT sr_id, hours_to_kickoff FROM analytics.to_list_now WHERE sr_id IS NOT NULL"
    ).fetchall()
    for sr_id, to_kickoff in hours:
        if sr_id in competitors:
            assert to_kickoff == pytest.approx((competitors[sr_id].kickoff - at).total_seconds() / 3600)
