"""Fixtures of the automation tests: a Dagster instance, events seeded straight into the warehouse, the
defs tests' ``pipeline_resources`` (the real resources wired to the test sandbox), a catalogued warehouse
built once per module and copied per test (``catalogued``), and the alert tests' local receiver."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta

import dagster as dg
import psycopg
import pytest
from sqlalchemy.engine import make_url

from palimpsest_pipeline.defs.catalogue.assets import catalogue_assets
from palimpsest_pipeline.defs.coverage.assets import matched_events_asset
from palimpsest_pipeline.partition_keys import partition_key
from palimpsest_pipeline.records import Book, Event
from palimpsest_pipeline.warehouse import catalogue_store
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.alerts.receiver import receiver
from palimpsest_pipeline_tests.defs.conftest import pipeline_resources, resources_for
from palimpsest_pipeline_tests.fixtures_pg import fresh_warehouse
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle

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
        for book in NIGERIA_BOOKS:
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


@pytest.fixture(scope="module")
def _catalogued_template(sandbox: SandboxHandle, module_warehouse_url: str) -> str:
    """Every book's catalogue for today and tomorrow and the matched events, as the catalogue schedule
    leaves them: materialized once per module into a warehouse each test then copies (they only read it)."""
    today = SANDBOX_TEST_INSTANT.date()
    result = dg.materialize(
        [*catalogue_assets, matched_events_asset("ng")],
        resources=resources_for(sandbox, module_warehouse_url),
        tags={
            "dagster/asset_partition_range_start": partition_key(today),
            "dagster/asset_partition_range_end": partition_key(today + timedelta(days=1)),
        },
    )
    assert result.success
    return module_warehouse_url


@pytest.fixture
def catalogued_url(pg_server_url: str, _catalogued_template: str) -> Iterator[str]:
    """A fresh copy of the catalogued warehouse, dropped after the test."""
    yield from fresh_warehouse(pg_server_url, make_url(_catalogued_template).database or "")


@pytest.fixture
def catalogued(sandbox: SandboxHandle, catalogued_url: str) -> dict[str, object]:
    """The pipeline's resources over the test's copy of the catalogued warehouse."""
    return resources_for(sandbox, catalogued_url)
