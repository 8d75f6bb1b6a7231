"""Late live starts against the sandbox over real sockets and a real warehouse: the catalogue refreshed before
Monday evening's kick-offs, the live lists polled every 30 s around each with Bet9ja failing through two,
then once after ninety minutes. ``analytics.live_starts`` is compared with the world's truth
(``live_coverage.start_truth``): every late start found within one poll, none invented, no late for a
kick-off Bet9ja was down for."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import psycopg
import pytest

from palimpsest_pipeline.defs.resources import WarehouseResource
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.live import live_clients, poll_once
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT, FaultSetter, fast_book_settings
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.scrape.sandbox_refresh import catalogue_refresher
from palimpsest_sandbox import SandboxHandle, WorldEvent
from palimpsest_sandbox.live_coverage import start_truth

SPORTS = ["football", "basketball", "tennis"]
POLL = timedelta(seconds=30)
START = SANDBOX_TEST_INSTANT.replace(hour=17, minute=25)
#: Monday evening's kick-offs of the test world (17:30 to 20:00): BetPawa late by 7, 5.3, 5.9 and 5.8
#: minutes on four, never live on two basketball matches; Bet9ja fails from 18:57 to 19:07, through two.
KICKOFFS = [START.replace(hour=h, minute=m) for h, m in ((17, 30), (18, 0), (19, 0), (19, 15), (19, 30),
                                                           (19, 45), (20, 0))]  # fmt: skip
DOWN = (START.replace(hour=18, minute=57), START.replace(hour=19, minute=7))


def _instants() -> list[datetime]:
    """A poll every 30 s from two minutes before each kick-off to nine after, and one 91 minutes after."""
    instants = set()
    for kickoff in KICKOFFS:
        instants.update(kickoff + POLL * n for n in range(-4, 19))
        instants.add(kickoff + timedelta(minutes=91))
    return sorted(instants)


def _linkable(event: WorldEvent) -> bool:
    return all(event.visible_sr_id(book) is not None for book in NIGERIA_BOOKS)


def _kicking_off(sandbox: SandboxHandle) -> list[WorldEvent]:
    """The linkable matches kicking off at KICKOFFS that some book listed until kick-off."""
    found = {
        e.sr_id: e
        for book in NIGERIA_BOOKS
        for kickoff in KICKOFFS
        for e in sandbox.world.in_play_events(book, kickoff + timedelta(minutes=1))
        if _linkable(e) and e.kickoff == kickoff
    }
    return sorted(found.values(), key=lambda e: (e.kickoff, e.sr_id))


@pytest.mark.slow
def test_late_starts_match_the_worlds_truth(
    sandbox_clock: SandboxHandle,
    warehouse_url: str,
    warehouse_conn: psycopg.Connection,
    sandbox_faults: FaultSetter,
) -> None:
    sandbox = sandbox_clock
    refresh = catalogue_refresher(sandbox, warehouse_url)
    for step, at in enumerate((START - timedelta(hours=2), START - timedelta(hours=1), START)):
        sandbox.set_clock(at, frozen=True)
        for book in NIGERIA_BOOKS:
            refresh(book, f"live-starts-{step}-{book.value}")
    events = _kicking_off(sandbox)
    bet9ja_listed = [
        e for e in events if Book.BET9JA in e.listings and e.kickoff > START + timedelta(minutes=10)
    ]
    assert events and bet9ja_listed
    down_for = bet9ja_listed[0].kickoff
    down = (down_for - timedelta(minutes=3), down_for + timedelta(minutes=7))

    connect = WarehouseResource(database_url=warehouse_url).connect
    instants = _instants()

    async def run() -> None:
        async with live_clients(fast_book_settings(sandbox)) as clients:
            failing = False
            for at in instants:
                if (down[0] <= at < down[1]) != failing:
                    failing = not failing
                    sandbox_faults(Book.BET9JA, fail_status=503 if failing else None)
                sandbox.set_clock(at, frozen=True)
                await poll_once(connect, clients, SPORTS, lambda at=at: at, "ng")

    asyncio.run(run())
    stored = {
        (sr_id, Book(book)): (status, first_live_at, reason)
        for sr_id, book, status, first_live_at, reason in warehouse_conn.execute(
            "SELECT sr_id, book, status, first_live_at, reason FROM analytics.live_starts"
            " WHERE site_country = 'ng'"
        ).fetchall()
    }
    catalogued = set(
        warehouse_conn.execute("SELECT sr_id, book FROM core.events WHERE site_country = 'ng'").fetchall()
    )
    checked = {"late": 0, "on_time": 0, "never_live": 0, "unmonitored": 0}
    for event in events:
        for book in NIGERIA_BOOKS:
            truth = start_truth(event, book)
            if truth is None or (event.sr_id, book.value) not in catalogued:
                continue  # not listed, or withdrawn before the catalogue ever read it
            key = (event.sr_id, book)
            status, first_live_at, reason = stored.get(key, (None, None, None))
            was_down = book is Book.BET9JA and down[0] - timedelta(seconds=90) < event.kickoff < down[1]
            if was_down:
                assert status != "late", (key, truth)  # kicked off while Bet9ja failed: never late
                if status == "unmonitored":
                    checked["unmonitored"] += 1
                continue
            expected, start = truth.status, truth.live_at
            if status == "late":  # none invented
                assert expected in ("late", "never_live"), (key, truth, status)
            if expected == "late":
                assert start is not None
                if start >= event.kickoff + timedelta(minutes=5) + POLL:  # found within one poll
                    assert status == "late", (key, truth, status)
                    assert first_live_at is not None and timedelta(0) <= first_live_at - start <= POLL
                    assert reason == truth.reason
                    checked["late"] += 1
                else:
                    assert status in ("late", "on_time"), (key, truth, status)
            elif expected == "on_time":
                assert status == "on_time", (key, truth, status)
                assert first_live_at is not None and timedelta(0) <= first_live_at - start <= POLL
                checked["on_time"] += 1
            elif expected == "never_live":
                assert status == "never_live", (key, truth, status)
                checked["never_live"] += 1
            else:  # removed: withdrawn after the catalogue's last read, it is judged as any (never live)
                assert status in ("removed", "never_live"), (key, truth, status)
    assert all(checked.values()), checked
