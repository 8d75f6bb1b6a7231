"""``palimpsest refresh`` leaves no password in Dagster's instance storage (the UI serves run snapshots).

The command runs for real (its own process, the instance of a fresh ``DAGSTER_HOME`` on Postgres, the test
sandbox); afterwards every row of every table of Dagster's database is read, compressed snapshots inflated,
and neither the owner's nor the analyst's password may appear.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import zlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import dagster as dg
import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from palimpsest_pipeline.defs.catalogue.assets import catalogue_assets
from palimpsest_pipeline.defs.coverage.assets import matched_events_asset
from palimpsest_pipeline.partition_keys import partition_key
from palimpsest_pipeline.warehouse.config import (
    DAGSTER_DRIVER,
    libpq_url,
    with_database,
    with_driver,
)
from palimpsest_pipeline_tests.defs.conftest import pipeline_resources
from palimpsest_pipeline_tests.fixtures_pg import TEST_DB_PREFIX, drop_database
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle

__all__ = ["pipeline_resources"]

pytestmark = pytest.mark.drill

PALIMPSEST = str(Path(sys.executable).with_name("palimpsest"))
TOMORROW = (SANDBOX_TEST_INSTANT + timedelta(days=1)).date()


@pytest.fixture
def dagster_storage_url(pg_server_url: str) -> Iterator[str]:
    """A database of its own for Dagster's instance storage (the CLI creates it), dropped afterwards."""
    name = f"{TEST_DB_PREFIX}{os.getpid()}_refresh_dagster"
    drop_database(pg_server_url, name)
    try:
        yield with_driver(with_database(pg_server_url, name), DAGSTER_DRIVER)
    finally:
        drop_database(pg_server_url, name)


def _upcoming_sr_id(warehouse_url: str) -> int:
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        row = conn.execute(
            "SELECT sr_id FROM core.events WHERE deleted_at IS NULL AND sr_id IS NOT NULL AND kickoff > %s "
            "GROUP BY sr_id HAVING count(*) = %s ORDER BY sr_id LIMIT 1",
            (SANDBOX_TEST_INSTANT, len(NIGERIA_BOOKS)),
        ).fetchone()
    assert row is not None, "the catalogue listed no event on every scraped book"
    return int(row[0])


def _storage_text(storage_url: str) -> str:
    """Every value of every table of Dagster's database as text; compressed bodies (snapshots) inflated."""
    parts: list[str] = []
    with psycopg.connect(libpq_url(storage_url)) as conn:
        tables = conn.execute(
            "SELECT table_schema, table_name FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'"
        ).fetchall()
        for schema, table in tables:
            for row in conn.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(schema, table))):
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        raw = bytes(value)
                        with contextlib.suppress(zlib.error):
                            raw = zlib.decompress(raw)
                        parts.append(raw.decode("utf-8", "replace"))
                    elif value is not None:
                        parts.append(str(value))
    return "\n".join(parts)


def test_refresh_stores_no_password_in_dagster_storage(
    pipeline_resources: dict[str, object],
    sandbox: SandboxHandle,
    warehouse_url: str,
    dagster_storage_url: str,
    reader_password: str,
    tmp_path: Path,
) -> None:
    catalogued = dg.materialize(
        [*catalogue_assets, matched_events_asset("ng")],
        resources=pipeline_resources,
        tags={
            "dagster/asset_partition_range_start": partition_key(SANDBOX_TEST_INSTANT.date()),
            "dagster/asset_partition_range_end": partition_key(TOMORROW),
        },
    )
    assert catalogued.success
    sr_id = _upcoming_sr_id(warehouse_url)
    owner_password = make_url(warehouse_url).password
    assert owner_password
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PALIMPSEST_", "DAGSTER_"))},
        "PALIMPSEST_HOME": str(tmp_path),
        "PALIMPSEST_DATABASE_URL": warehouse_url,
        "PALIMPSEST_DAGSTER_STORAGE_URL": dagster_storage_url,
        "PALIMPSEST_ANALYST_PASSWORD": reader_password,
        "PALIMPSEST_FIXED_NOW": SANDBOX_TEST_INSTANT.isoformat(),
        **{f"PALIMPSEST_{book.value.upper()}_NG_URL": sandbox.base_urls[book] for book in NIGERIA_BOOKS},
    }
    done = subprocess.run(
        [PALIMPSEST, "refresh", str(sr_id)], env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"sr:{sr_id} " in done.stdout and done.stdout.count(" ok (") == len(NIGERIA_BOOKS), done.stdout

    stored = _storage_text(dagster_storage_url)
    assert "capture_odds" in stored  # the run and its snapshots were read
    assert owner_password not in stored
    assert reader_password not in stored
    # what the run's job snapshot says instead: where the URL comes from
    assert "PALIMPSEST_DATABASE_URL" in stored
