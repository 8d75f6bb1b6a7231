"""Market retention into live against the sandbox over real sockets and a real warehouse: Monday evening's
18:00, 19:00 and 19:15 kick-offs captured prematch at T-61, T-16 and T-1.5 minutes, then the live lists
polled every 30 s through the first twelve minutes with the live snapshots taken after each poll.
``analytics.market_retention`` is compared with the world's truth: what each book priced openly prematch
(``markets.book_prices`` at the capture's instant) and what it showed open in play at the poll that took each
snapshot (``live_coverage.live_lines`` less the suspended lines and the market types it never lists live)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import psycopg
import pytest

from palimpsest_pipeline.defs.resources import WarehouseResource
from palimpsest_pipeline.derive.market_retention import refresh_market_retention
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.live import live_clients, poll_once
from palimpsest_pipeline.scrape.live_snapshots import UNWATCHED, take_live_snapshots
from palimpsest_pipeline.scrape.odds.refresh import plan_capture
from palimpsest_pipeline_tests.fixtures_sandbox import (
    SANDBOX_TEST_INSTANT,
    fast_book_settings,
    sandbox_test_config,
)
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.retention_truth import (
    PREMATCH_AT,
    capture_prematch,
    native_markets,
    read_retention,
    row_mismatches,
)
from palimpsest_pipeline_tests.scrape.sandbox_refresh import catalogue_refresher
from palimpsest_sandbox import SandboxHandle, WorldEvent
from palimpsest_sandbox.live_coverage import live_start

SPORTS = ["football", "basketball", "tennis"]
POLL = timedelta(seconds=30)
KICKOFFS = [SANDBOX_TEST_INSTANT.replace(hour=h, minute=m) for h, m in ((18, 0), (19, 0), (19, 15))]


def _matches(sandbox: SandboxHandle, at: datetime) -> dict[int, WorldEvent]:
    """The matches kicking off at KICKOFFS listed with their SR id on BetPawa and two competitors."""
    return {
        e.sr_id: e
        for e in sandbox.world.listed_events(Book.BETPAWA, at)
        if e.kickoff in KICKOFFS
        and e.visible_sr_id(Book.BETPAWA)
        and sum(book in e.listings and bool(e.visible_sr_id(book)) for book in NIGERIA_BOOKS) >= 3
    }


@pytest.mark.drill  # polls through three kick-offs: make test-slow
@pytest.mark.slow
def test_retention_equals_the_worlds_market_lists(
    sandbox_clock: SandboxHandle, warehouse_url: str, warehouse_conn: psycopg.Connection
) -> None:
    sandbox = sandbox_clock
    refresh = catalogue_refresher(sandbox, warehouse_url)
    first = KICKOFFS[0] - timedelta(minutes=65)
    for step, at in enumerate((first - timedelta(hours=1), first)):
        sandbox.set_clock(at, frozen=True)
        for book in NIGERIA_BOOKS:
            refresh(book, f"retention-{step}-{book.value}")
    matches = _matches(sandbox, first)
    assert {e.kickoff for e in matches.values()} == set(KICKOFFS)
    connect = WarehouseResource(database_url=warehouse_url).connect
    settings = fast_book_settings(sandbox)
    day = KICKOFFS[0].date()
    targets = plan_capture(connect, [day], now=first, sr_ids=list(matches), site_country="ng").targets
    assert sorted(t.sr_id for t in targets) == sorted(matches)

    prematch_at = sorted(k - lead for k in KICKOFFS for lead in PREMATCH_AT.values())
    with connect(autocommit=True) as conn:
        for n, at in enumerate(prematch_at):
            results = capture_prematch(conn, sandbox, settings, targets, at, f"retention-{n}")
            assert all(r.status in ("ok", "not_listed") for r in results), [r.reason for r in results]

    polls = sorted({k + POLL * n for k in KICKOFFS for n in range(-2, 25)})

    async def watch() -> None:
        async with live_clients(settings) as clients:
            for at in polls:
                sandbox.set_clock(at, frozen=True)
                await poll_once(connect, clients, SPORTS, lambda at=at: at, "ng")
                await take_live_snapshots(connect, settings, "ng", at, refresh_market_retention)

    asyncio.run(watch())

    snapshots = {
        (sr_id, Book(book), snap): (status, due_at)
        for sr_id, book, snap, status, due_at in warehouse_conn.execute(
            "SELECT sr_id, book, snapshot, status, due_at FROM core.live_snapshots WHERE site_country = 'ng'"
        ).fetchall()
    }
    rows = read_retention(warehouse_conn)
    assert rows
    checked: dict[Book, int] = {}
    moves = 0
    config = sandbox_test_config()
    for row in rows:
        sr_id, book, live = row["sr_id"], Book(row["book"]), row["live_snapshot"]
        event = matches[sr_id]
        status, due_at = snapshots[(sr_id, book, live)]
        assert status == "ok"
        taken_at = min(at for at in polls if at >= due_at)  # the poll that took it (the clock frozen there)
        assert row["prematch_captured_at"] in prematch_at  # the latest capture at or before the instant
        # MSport's and Betway's own early-payout 1X2s (1 and 2 goals up at this depth: two lines of three,
        # one market type): never live
        native = (1, 6) if book in (Book.MSPORT, Book.BETWAY) and event.sport == "football" else (0, 0)
        assert native_markets(event, book, config) == native  # the chaos cell's reckoning, at this depth
        assert row_mismatches(row, event, taken_at, config, native) == [], row
        checked[book] = checked.get(book, 0) + 1
        moves += row["prices_moved"]
    assert Book.BETPAWA in checked and len(checked) >= 3, checked
    assert moves  # prices do move by 30 % or more across the switch
    for sr_id, event in matches.items():  # every book live on a match by the last poll took its +0 snapshot
        for book in NIGERIA_BOOKS:
            start = live_start(event, book)
            if book in event.listings and event.visible_sr_id(book) and start and start <= polls[-1] - POLL:
                assert snapshots[(sr_id, book, 0)][0] == "ok", (sr_id, book)
    assert {status for (sr_id, _, _), (status, _) in snapshots.items() if sr_id in matches} == {"ok"}
    # matches that went live while the watch was not polling (before its first poll, or between the
    # kick-offs' spells): when they went live is unknown, every snapshot missed
    after_gap = {
        at
        for previous, at in zip([None, *polls], polls, strict=False)
        if previous is None or at - previous > POLL
    }
    missed = warehouse_conn.execute(
        "SELECT DISTINCT s.first_live_at, n.reason FROM core.live_snapshots n JOIN core.live_sightings s"
        " USING (site_country, sr_id, book) WHERE n.status = 'missed'"
    ).fetchall()
    assert missed and all(at in after_gap and reason == UNWATCHED for at, reason in missed), missed
