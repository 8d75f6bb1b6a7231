"""Fixtures of the automation tests: a Dagster instance, events seeded straight into the warehouse, the
defs tests' ``pipeline_resources`` (the real resources wired to the test sandbox) and the alert tests' local
receiver, reused here."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime

import dagster as dg
import psycopg
import pytest

from palimpsest_pipeline.records import SCRAPED_BOOKS, Book, Event
from palimpsest_pipeline.warehouse import catalogue_store
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.alerts.receiver import receiver
from palimpsest_pipeline_tests.defs.conftest import pipeline_resources

__all__ = ["pipeline_resources", "receiver"]

#: Seeded events are "captured" long before any instant the tests evaluate at.
SEEDED_AT = datetime(2026, 5, 1, tzinfo=UTC)

Seed = Callable[[Sequence[Event]], None]


def event(
    sr_id: int | None, kickoff: datetime, *, book: Book = Book.BETPAWA, event_id: str | None = None
) -> Event:
    """A minimal listed event; the event id defaults to one derived from the SR id."""
    return Event(
        book=book,
        event_id=event_id or f"{book.value}-{sr_id}",
        sr_id=sr_id,
        home=f"Home {sr_id}",
        away=f"Away {sr_id}",
        kickoff=kickoff,
        tournament_id="t1",
        tournament_name="Test League",
        country="Testland",
        sport="football",
    )


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.DagsterInstance.ephemeral() as inst:
        yield inst


@pytest.fixture
def seed(warehouse_url: str) -> Seed:
    """Store events per book as a (partial, so nothing is soft-deleted) catalogue scrape would."""

    def store(events: Sequence[Event]) -> None:
        store_events(warehouse_url, events)

    return store


def store_events(warehouse_url: str, events: Sequence[Event]) -> None:
    """Store ``events`` per book in ``warehouse_url`` as a partial catalogue scrape (the ``seed`` fixture)."""
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        for book in SCRAPED_BOOKS:
            mine = [e for e in events if e.book == book]
            if mine:
                catalogue_store.store_catalogue(
                    conn,
                    book=book,
                    tournaments=[],
                    events=mine,
                    dates=sorted({e.kickoff.date() for e in mine}),
                    captured_at=SEEDED_AT,
                    batch_id=None,
                    complete=False,
                    site_country="ng",
                )
