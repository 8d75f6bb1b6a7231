"""The backfill command of docs/operations.md, run for real: `dg launch --assets 'key:"ng/*" ...'
--partition-range A...B` (kick-off dates, the country in the asset keys): one run."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import dagster as dg
import psycopg
import pytest

from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle

pytestmark = pytest.mark.drill

REPO = Path(__file__).resolve().parents[2]
DATES = [SANDBOX_TEST_INSTANT.date() + timedelta(days=i) for i in range(3)]
RANGE = f"{DATES[0]}...{DATES[-1]}"


def test_dg_launch_backfills_a_range_of_dates_as_one_run(
    sandbox: SandboxHandle, warehouse_url: str, tmp_path: Path
) -> None:
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "PALIMPSEST_DATABASE_URL": warehouse_url,
        "PALIMPSEST_FIXED_NOW": SANDBOX_TEST_INSTANT.isoformat(),
        **{f"PALIMPSEST_{book.value.upper()}_NG_URL": sandbox.base_urls[book] for book in NIGERIA_BOOKS},
    }
    dg_cli = Path(sys.executable).with_name("dg")
    launched = subprocess.run(
        [
            str(dg_cli),
            "launch",
            "--assets",
            'key:"ng/*" and group:catalogue',  # Nigeria's catalogues (the whole job also captures odds)
            "--partition-range",
            RANGE,
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert launched.returncode == 0, launched.stderr[-3000:]

    with dg.DagsterInstance.from_config(str(home)) as instance:
        runs = instance.get_runs()
        assert len(runs) == 1 and runs[0].status == dg.DagsterRunStatus.SUCCESS
        assert {key.to_user_string() for key in runs[0].asset_selection or ()} == {
            f"ng/{book.value}/{table}" for book in NIGERIA_BOOKS for table in ("tournaments", "events")
        }
        assert runs[0].tags["dagster/asset_partition_range_start"] == DATES[0].isoformat()
        assert runs[0].tags["dagster/asset_partition_range_end"] == DATES[-1].isoformat()
        for book in NIGERIA_BOOKS:
            done = instance.get_materialized_partitions(dg.AssetKey(["ng", book.value, "events"]))
            assert {d.isoformat() for d in DATES} <= done, book
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        stored = conn.execute(
            "SELECT count(DISTINCT (book, kickoff_date)) FROM core.events "
            "WHERE deleted_at IS NULL AND kickoff_date = ANY(%s)",
            (DATES,),
        ).fetchone()
    assert stored == (len(NIGERIA_BOOKS) * len(DATES),)
