"""Fixtures for the Dagster layer: the real definitions wired to the test sandbox and a fresh warehouse.

A test that starts from a materialized day (:data:`DAY`) uses the fixtures of ``defs/materialized_day.py``
(a plugin of the root conftest) instead of materializing it again: one run per session (per xdist worker),
cloned per test.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.automation import country_assets
from palimpsest_pipeline.defs.resources import BooksResource, ClockResource, WarehouseResource
from palimpsest_pipeline.partition_keys import partition_key
from palimpsest_pipeline.warehouse.config import (
    WAREHOUSE_DRIVER,
    with_database,
    with_driver,
)
from palimpsest_pipeline_tests.fixtures_pg import TEST_DB_PREFIX, copy_database, drop_database
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle

Materialize = Callable[..., dg.ExecuteInProcessResult]

#: The kick-off date ``materialized_day`` holds: the day after the sandbox's frozen instant.
DAY = (SANDBOX_TEST_INSTANT + timedelta(days=1)).date().isoformat()

#: The report step's config in that run: its page in a directory of the session's own; every BetPawa price
#: below the best is "out of line" (the report's desk test needs rows).
DAY_REPORT_GAP = 0.0


def resources_for(sandbox: SandboxHandle, warehouse_url: str) -> dict[str, object]:
    """The pipeline's resources pointed at ``sandbox`` and the warehouse at ``warehouse_url``."""
    return {
        "warehouse": WarehouseResource(database_url=warehouse_url),
        "books": BooksResource(
            base_urls={f"ng/{book.value}": sandbox.base_urls[book] for book in NIGERIA_BOOKS}
        ),
        "clock": ClockResource(fixed_utc=SANDBOX_TEST_INSTANT.isoformat()),
    }


def materializer(resources: dict[str, object]) -> Materialize:
    """Materialize ``assets`` (default: every asset of site ``country`` and the report; ``selection``: only
    those of them) for kick-off dates [first, last] (YYYY-MM-DD) in ONE run, with ``resources``."""

    def run(
        first: str,
        last: str,
        *,
        assets: Any = None,
        selection: dg.AssetSelection | None = None,
        raise_on_error: bool = True,
        country: str = "ng",
        run_config: dict[str, Any] | None = None,
    ) -> dg.ExecuteInProcessResult:
        return dg.materialize(
            assets if assets is not None else ALL_ASSETS,
            resources=resources,
            tags={
                "dagster/asset_partition_range_start": partition_key(date.fromisoformat(first)),
                "dagster/asset_partition_range_end": partition_key(date.fromisoformat(last)),
            },
            raise_on_error=raise_on_error,
            run_config=run_config,
            selection=country_assets(country) if selection is None and assets is None else selection,
        )

    return run


@dataclass(frozen=True)
class MaterializedDay:
    """A template database (never connected to) holding one run of every asset over some kick-off dates,
    the run's result, and the directory its report page was written to."""

    database: str
    result: dg.ExecuteInProcessResult
    report_dir: Path


@contextmanager
def materialized_template(
    sandbox: SandboxHandle,
    pg_server_url: str,
    migrated: str,
    name: str,
    dates: tuple[str, str],
    report_dir: Path,
    selection: dg.AssetSelection | None = None,
    **report: object,
) -> Iterator[MaterializedDay]:
    """Every asset (or ``selection``'s) materialized in one run for kick-off ``dates`` (first, last) of
    Nigeria into a new database ``name`` made from ``migrated``, the report page into ``report_dir``
    (``report``: more of its config); the database is dropped on exit. Tests copy it with
    ``fresh_warehouse``."""
    database = f"{TEST_DB_PREFIX}{os.getpid()}_{name}"
    drop_database(pg_server_url, database)
    copy_database(pg_server_url, database, migrated)
    try:
        url = with_driver(with_database(pg_server_url, database), WAREHOUSE_DRIVER)
        config = {"directory": str(report_dir), **report}
        result = materializer(resources_for(sandbox, url))(
            *dates, selection=selection, run_config={"ops": {"traders_report": {"config": config}}}
        )
        assert result.success
        yield MaterializedDay(database, result, report_dir)
    finally:
        drop_database(pg_server_url, database)


@pytest.fixture
def pipeline_resources(sandbox: SandboxHandle, warehouse_url: str) -> dict[str, object]:
    return resources_for(sandbox, warehouse_url)


@pytest.fixture
def materialize_range(pipeline_resources: dict[str, object]) -> Materialize:
    """Materialize the given assets (default: all) for kick-off dates [first, last] (YYYY-MM-DD) of site
    ``country`` in ONE run."""
    return materializer(pipeline_resources)
