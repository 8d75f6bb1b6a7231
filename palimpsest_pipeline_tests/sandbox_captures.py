"""Chosen matches of a sandbox world captured into a warehouse over sandbox time, as the engine would: every
Nigerian book's catalogue scraped at the start, the matches matched and planned, then their prices captured
on every book at each instant until kick-off (real sockets, parsers and odds store), each capture stamped with
the sandbox's instant as the engine stamps real captures with the real one."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

import psycopg

from palimpsest_pipeline.derive.coverage import rebuild_matched_events
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.catalogue_refresh import refresh_catalogue
from palimpsest_pipeline.scrape.odds.engine import capture_odds
from palimpsest_pipeline.scrape.odds.model import CaptureResult
from palimpsest_pipeline.scrape.odds.refresh import plan_capture
from palimpsest_pipeline.warehouse.capture_log import store_capture_cycle
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.fixtures_sandbox import fast_book_settings
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle
from palimpsest_sandbox.world_event import WorldEvent

#: Whether a book is down for a match at an instant: it is not captured then.
BookDown = Callable[[WorldEvent, Book, datetime], bool]


def never_down(_event: WorldEvent, _book: Book, _at: datetime) -> bool:
    return False


def world_matches(
    sandbox: SandboxHandle, at: datetime, kickoffs: Sequence[datetime]
) -> dict[int, WorldEvent]:
    """The football matches SportyBet lists at ``at`` kicking off at ``kickoffs``, each listed and visible on
    every Nigerian book, by SportRadar id; one per kick-off."""
    listed = sandbox.world.listed_events(Book.SPORTYBET, at, sport="football")
    matches = {
        e.sr_id: e
        for e in listed
        if e.kickoff in kickoffs
        and all(e.visible_sr_id(book) and book in e.listings for book in NIGERIA_BOOKS)
    }
    assert sorted(e.kickoff for e in matches.values()) == list(kickoffs)
    return matches


def capture_matches(
    sandbox: SandboxHandle,
    warehouse_url: str,
    matches: dict[int, WorldEvent],
    day: date,
    instants: Sequence[datetime],
    batch: str,
    down: BookDown = never_down,
) -> None:
    """Scrape every book's catalogue of ``day`` at the first of ``instants``, match it and plan ``matches``,
    then capture the matches not yet kicked off at each instant on each book not ``down`` then, stored as
    Nigeria's capture cycles (batches ``<batch>-catalogue`` and ``<batch>-<k>``)."""
    settings = fast_book_settings(sandbox)
    start = instants[0]

    def connect(*, autocommit: bool = False) -> psycopg.Connection:
        return psycopg.connect(libpq_url(warehouse_url), autocommit=autocommit)

    sandbox.set_clock(at=start, frozen=True)
    for book in NIGERIA_BOOKS:
        refreshed = asyncio.run(
            refresh_catalogue(
                connect, book, settings[book], sports=["football"], horizon=timedelta(days=2), now=start,
                dates=[day], batch_id=f"{batch}-catalogue", trigger="test",
            )
        )  # fmt: skip
        assert refreshed.scrape.status == "ok"
    with connect() as conn:
        rebuild_matched_events(conn, [day], start, "ng")
    targets = plan_capture(connect, [day], now=start, sr_ids=list(matches), site_country="ng").targets
    assert sorted(t.sr_id for t in targets) == sorted(matches)
    with connect(autocommit=True) as conn:
        for k, at in enumerate(instants):
            sandbox.set_clock(at=at, frozen=True)
            capture = asyncio.run(capture_odds([t for t in targets if t.kickoff > at], settings, now=at))
            results = [
                stamped(result, at)
                for sr_id, by_book in capture.results.items()
                for book, result in by_book.items()
                if not down(matches[sr_id], book, at)
            ]
            assert all(r.status == "ok" for r in results)
            store_capture_cycle(
                conn, results, at, capture.unmapped, batch_id=f"{batch}-{k}", site_country="ng"
            )


def stamped(result: CaptureResult, at: datetime) -> CaptureResult:
    """``result`` as if captured at the world's instant ``at``: its times and its prices' capture time."""
    odds = result.odds
    if odds is not None:
        odds = replace(odds, rows=[row._replace(captured_at=at) for row in odds.rows])
    return replace(result, sent_at=at, received_at=at, odds=odds)
