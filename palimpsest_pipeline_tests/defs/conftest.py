"""Fixtures for the Dagster layer: the real definitions wired to the test sandbox and a fresh warehouse."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import dagster as dg
import pytest

from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.resources import BooksResource, ClockResource, WarehouseResource
from palimpsest_pipeline.partition_keys import partition_key
from palimpsest_pipeline.records import SCRAPED_BOOKS
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_sandbox import SandboxHandle

Materialize = Callable[..., dg.ExecuteInProcessResult]


@pytest.fixture
def pipeline_resources(sandbox: SandboxHandle, warehouse_url: str) -> dict[str, object]:
    return {
        "warehouse": WarehouseResource(database_url=warehouse_url),
        "books": BooksResource(base_urls={book.value: sandbox.base_urls[book] for book in SCRAPED_BOOKS}),
        "clock": ClockResource(fixed_utc=SANDBOX_TEST_INSTANT.isoformat()),
    }


@pytest.fixture
def materialize_range(pipeline_resources: dict[str, object]) -> Materialize:
    """Materialize the given assets (default: all) for kick-off dates [first, last] (YYYY-MM-DD) of site
    ``country`` in ONE run."""

    def run(
        first: str, last: str, *, assets: Any = None, raise_on_error: bool = True, country: str = "ng"
    ) -> dg.ExecuteInProcessResult:
        return dg.materialize(
            assets if assets is not None else ALL_ASSETS,
            resources=pipeline_resources,
            tags={
                "dagster/asset_partition_range_start": partition_key(date.fromisoformat(first), country),
                "dagster/asset_partition_range_end": partition_key(date.fromisoformat(last), country),
            },
            raise_on_error=raise_on_error,
        )

    return run
