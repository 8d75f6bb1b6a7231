"""Fixtures for the Dagster layer: the real definitions wired to the test sandbox and a fresh warehouse.

``materialized_day`` (session, per xdist worker): every asset materialized once for :data:`DAY` into a
database that ``day_warehouse_url`` clones per test (``CREATE DATABASE ... TEMPLATE``), so the tests that
start from a materialized day share that run. ``dg.materialize`` without an instance runs in a fresh
ephemeral Dagster instance each call, so the warehouse is the only state a test inherits from that run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import dagster as dg
import pytest

from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.resources import BooksResource, ClockResource, WarehouseResource
from palimpsest_pipeline.partition_keys import partition_key
from palimpsest_pipeline.records import SCRAPED_BOOKS
from palimpsest_pipeline.warehouse.config import (
    WAREHOUSE_DRIVER,
    create_database,
    drop_database,
    with_database,
    with_driver,
)
from palimpsest_pipeline_tests.fixtures_pg import TEST_DB_PREFIX, _fresh_warehouse
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_sandbox import SandboxHandle

Materialize = Callable[..., dg.ExecuteInProcessResult]

#: The kick-off date ``materialized_day`` holds: the day after the sandbox's frozen instant.
DAY = (SANDBOX_TEST_INSTANT + timedelta(days=1)).date().isoformat()


def resources_for(sandbox: SandboxHandle, warehouse_url: str) -> dict[str, object]:
    """The pipeline's resources pointed at ``sandbox`` and the warehouse at ``warehouse_url``."""
    return {
        "warehouse": WarehouseResource(database_url=warehouse_url),
        "books": BooksResource(base_urls={book.value: sandbox.base_urls[book] for book in SCRAPED_BOOKS}),
        "clock": ClockResource(fixed_utc=SANDBOX_TEST_INSTANT.isoformat()),
    }


def materializer(resources: dict[str, object]) -> Materialize:
    """Materialize the given assets (default: all) for kick-off dates [first, last] (YYYY-MM-DD) of site
    ``country`` in ONE run, with ``resources``."""

    def run(
        first: str, last: str, *, assets: Any = None, raise_on_error: bool = True, country: str = "ng"
    ) -> dg.ExecuteInProcessResult:
        return dg.materialize(
            assets if assets is not None else ALL_ASSETS,
            resources=resources,
            tags={
                "dagster/asset_partition_range_start": partition_key(date.fromisoformat(first), country),
                "dagster/asset_partition_range_end": partition_key(date.fromisoformat(last), country),
            },
            raise_on_error=raise_on_error,
        )

    return run


@pytest.fixture
def pipeline_resources(sandbox: SandboxHandle, warehouse_url: str) -> dict[str, object]:
    return resources_for(sandbox, warehouse_url)


@pytest.fixture
def materialize_range(pipeline_resources: dict[str, object]) -> Materialize:
    """Materialize the given assets (default: all) for kick-off dates [first, last] (YYYY-MM-DD) of site
    ``country`` in ONE run."""
    return materializer(pipeline_resources)


@dataclass(frozen=True)
class MaterializedDay:
    """A database holding one run of every asset for :data:`DAY` (never connected to: it is a template), and
    that run's result."""

    database: str
    result: dg.ExecuteInProcessResult


@pytest.fixture(scope="session")
def materialized_day(
    sandbox: SandboxHandle, pg_server_url: str, _warehouse_template: str
) -> Iterator[MaterializedDay]:
    name = f"{TEST_DB_PREFIX}{os.getpid()}_day"
    drop_database(pg_server_url, name)
    create_database(pg_server_url, name, template=_warehouse_template)
    try:
        url = with_driver(with_database(pg_server_url, name), WAREHOUSE_DRIVER)
        result = materializer(resources_for(sandbox, url))(DAY, DAY)
        assert result.success
        yield MaterializedDay(name, result)
    finally:
        drop_database(pg_server_url, name)


@pytest.fixture
def day_warehouse_url(pg_server_url: str, materialized_day: MaterializedDay) -> Iterator[str]:
    """A fresh copy of ``materialized_day``'s warehouse for one test."""
    yield from _fresh_warehouse(pg_server_url, materialized_day.database)
