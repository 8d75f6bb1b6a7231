"""A pytest plugin (the root conftest's, so one instance serves every module that uses it):
every asset materialized once per session (per xdist worker) for :data:`DAY`, cloned per test.

``materialized_day`` holds that run in a database never connected to (a template) and the run's result;
``day_warehouse_url`` is a fresh copy of it (``CREATE DATABASE ... TEMPLATE``) for one test.
``dg.materialize`` without an instance runs in a fresh ephemeral Dagster instance each call, so the
warehouse (and the report page the run wrote) is the only state a test inherits from that run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from palimpsest_pipeline_tests.defs.conftest import (
    DAY,
    DAY_REPORT_GAP,
    MaterializedDay,
    materialized_template,
)
from palimpsest_pipeline_tests.fixtures_pg import fresh_warehouse
from palimpsest_sandbox import SandboxHandle


@pytest.fixture(scope="session")
def materialized_day(
    sandbox: SandboxHandle,
    pg_server_url: str,
    _warehouse_template: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[MaterializedDay]:
    report_dir = tmp_path_factory.mktemp("materialized_day_report")
    with materialized_template(
        sandbox,
        pg_server_url,
        _warehouse_template,
        "day",
        (DAY, DAY),
        report_dir,
        desk_price_gap=DAY_REPORT_GAP,
    ) as day:
        yield day


@pytest.fixture
def day_warehouse_url(pg_server_url: str, materialized_day: MaterializedDay) -> Iterator[str]:
    """A fresh copy of ``materialized_day``'s warehouse for one test."""
    yield from fresh_warehouse(pg_server_url, materialized_day.database)
