"""The archive replay takes the live refresh's own judgement and store (issue 33 item 2): what the live run
refused, held or kept, the replay refuses, holds and keeps. Live runs against the sandbox archive their
answers; the catalogue is then wiped and rebuilt from the archive alone, and compared with what the live runs
left (and with the sandbox world's listing: the truth)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import psycopg
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.archive.catalogue_replay import (
    CatalogueReplay,
    rebuild_catalogue_from_archive,
)
from palimpsest_pipeline.scrape.catalogue_refresh import CatalogueRefresh, refresh_catalogue
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.fixtures_sandbox import (
    SANDBOX_TEST_INSTANT,
    FaultSetter,
    fast_book_settings,
    sandbox_test_config,
)
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import start_in_thread
from palimpsest_sandbox.server import SandboxHandle

SPORTS = ["football", "basketball", "tennis"]
HORIZON = timedelta(days=14)
#: One kick-off date: a moved event leaves it (to the next day) and stays in the scrape's window.
DATE = (SANDBOX_TEST_INSTANT + timedelta(days=2)).date()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxHandle]:
    """The same world, smaller than the session's (each refresh lists all of it), still large enough that
    every book lists ten events or more on DATE (asserted by the tests that need them); main markets only (the
    lists are the same at any depth)."""
    with start_in_thread(sandbox_test_config(size=180, depth_scale=0.0)) as handle:
        yield handle


class _Runs:
    def __init__(self, sandbox: SandboxHandle, warehouse_url: str) -> None:
        self.sandbox, self.url = sandbox, warehouse_url
        self.settings = fast_book_settings(sandbox)

    def connect(self, *, autocommit: bool = False) -> psycopg.Connection:
        return psycopg.connect(libpq_url(self.url), autocommit=autocommit)

    def refresh(self, book: Book, n: int) -> CatalogueRefresh:
        now = self.sandbox.now() + timedelta(seconds=n)  # archived scrapes replay in the order of their "now"
        return asyncio.run(
            refresh_catalogue(
                self.connect, book, self.settings[book], sports=SPORTS, horizon=HORIZON, now=now,
                dates=[DATE], batch_id=f"live-{book.value}-{n}", trigger="test",
            )
        )  # fmt: skip

    def rebuild(self, book: Book) -> CatalogueReplay:
        with self.connect() as conn:
            conn.execute("DELETE FROM core.events WHERE book = %s", (book.value,))
            conn.execute("DELETE FROM core.tournaments WHERE book = %s", (book.value,))
            return asyncio.run(
                rebuild_catalogue_from_archive(
                    conn, book, self.settings[book], [DATE], batch_id=f"replay-{book.value}", trigger="test"
                )
            )

    def events(self, book: Book) -> dict[str, Any]:
        """event id -> withdrawn, of ``book`` on DATE and the day after."""
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT event_id, deleted_at IS NOT NULL FROM core.events WHERE book = %s", (book.value,)
            ).fetchall()
        return dict(rows)


def _truth(sandbox: SandboxHandle, book: Book) -> set[str]:
    return {
        e.record(book).event_id
        for e in sandbox.world.listed_events(book, sandbox.now())
        if e.kickoff.date() == DATE and e.sport in SPORTS
    }


@pytest.mark.parametrize("book", list(NIGERIA_BOOKS))
def test_empty_answers_refused_live_withdraw_nothing_when_replayed(
    sandbox: SandboxHandle, warehouse_url: str, sandbox_faults: FaultSetter, book: Book
) -> None:
    runs = _Runs(sandbox, warehouse_url)
    truth = _truth(sandbox, book)
    assert len(truth) >= 10
    assert runs.refresh(book, 0).scrape.status == "ok"
    sandbox_faults(book, empty_answer=1.0)
    for n in (1, 2):
        refused = runs.refresh(book, n)
        assert refused.scrape.status == "suspect" and not refused.refreshed
    live = runs.events(book)
    assert set(live) == truth and not any(live.values())  # every event kept by the live runs

    replay = runs.rebuild(book)
    assert runs.events(book) == live  # nothing withdrawn, as live
    assert replay.last_scrape is not None and replay.last_scrape.status == "suspect"
    assert replay.scrapes == 3 and replay.refused == 2
    with runs.connect() as conn:
        (status,) = conn.execute(
            "SELECT status FROM core.book_runs WHERE batch_id = %s AND book = %s",
            (f"replay-{book.value}", book.value),
        ).fetchone() or (None,)
    assert status == "failed"  # the replay records the suspect scrape as the live run did


@pytest.mark.parametrize("book", [Book.SPORTYBET, Book.BET9JA])
def test_a_quiet_sport_and_a_moved_event_replay_as_they_ran(
    sandbox: SandboxHandle, warehouse_url: str, sandbox_faults: FaultSetter, book: Book
) -> None:
    """A sport held live is held in replay, and an event moved off the rebuilt date is seen, not missed."""
    runs = _Runs(sandbox, warehouse_url)
    truth = _truth(sandbox, book)
    assert runs.refresh(book, 0).scrape.status == "ok"
    sandbox_faults(book, quiet_sports=["tennis"], moved_event=1.0)
    for n in (1, 2):
        held = runs.refresh(book, n)
        assert held.refreshed and "tennis" in held.scrape.held_sports
        assert held.stats.deleted == 0
    live = runs.events(book)
    assert truth <= set(live) and not any(live.values())

    replay = runs.rebuild(book)
    rebuilt = runs.events(book)
    assert truth <= set(rebuilt) and not any(rebuilt.values())
    assert replay.last_scrape is not None and "tennis" in replay.last_scrape.held_sports
    assert replay.refused == 0 and replay.stats.deleted == 0
