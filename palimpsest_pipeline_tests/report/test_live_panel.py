"""The report's live panel, from a real warehouse filled by the live watcher polling the sandbox: the gaps it
lists are the world's at that instant, its suspended shares the world's, and the page carries it."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path

import psycopg

from palimpsest_pipeline.defs.resources import WarehouseResource
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.report.build import build_report
from palimpsest_pipeline.report.desk import render_live_panel
from palimpsest_pipeline.scrape.live import live_clients, poll_once
from palimpsest_pipeline.warehouse.live_store import read_live_panel
from palimpsest_pipeline.warehouse.site_books import competitor_names
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT, fast_book_settings
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle
from palimpsest_sandbox.live_coverage import live_lines

AT = SANDBOX_TEST_INSTANT.replace(hour=18, minute=30)


def _poll_twice(sandbox: SandboxHandle, warehouse_url: str) -> None:
    connect = WarehouseResource(database_url=warehouse_url).connect

    async def run() -> None:
        async with live_clients(fast_book_settings(sandbox)) as clients:
            for at in (AT - timedelta(seconds=30), AT):
                sandbox.set_clock(at, frozen=True)
                await poll_once(
                    connect, clients, ["football", "basketball", "tennis"], lambda at=at: at, "ng"
                )

    asyncio.run(run())


def test_the_panel_lists_the_worlds_gaps_and_suspended_shares(
    sandbox_clock: SandboxHandle, warehouse_url: str, warehouse_conn: psycopg.Connection, tmp_path: Path
) -> None:
    _poll_twice(sandbox_clock, warehouse_url)
    panel = read_live_panel(warehouse_conn, "ng")
    world = sandbox_clock.world
    live = {book: {e.sr_id for e in world.live_events(book, AT)} for book in NIGERIA_BOOKS}
    competitors = set().union(*(live[book] for book in NIGERIA_BOOKS if book is not Book.BETPAWA))
    assert set(panel.betpawa_missing["sr_id"].to_list()) == competitors - live[Book.BETPAWA]
    assert panel.betpawa_missing.height > 0
    for book in NIGERIA_BOOKS:
        lines = [line for e in world.live_events(book, AT) for line in live_lines(e, book, AT)]
        row = panel.suspension.filter(panel.suspension["book"] == book.value).row(0, named=True)
        assert row["suspended_pct"] == round(100 * sum(line.suspended for line in lines) / len(lines), 1)
        assert (row["live_events"], row["polls_hour"]) == (len(live[book]), 2)
    html = render_live_panel(panel, "ng", competitor_names([book.value for book in NIGERIA_BOOKS]))
    assert (
        'data-table="live_missing_on_betpawa"' in html
        and "Live lists last polled 2026-05-04 18:30:00" in html
    )
    built = build_report(warehouse_conn, date(2026, 5, 4), date(2026, 5, 5), tmp_path / "report.html")
    assert 'data-panel="live"' in built.path.read_text()
