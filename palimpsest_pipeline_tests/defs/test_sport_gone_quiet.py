"""One sport gone quiet, end to end under the real Dagster job (issue 33 item 1): after a clean run (a copy of
the materialized day), two runs of Nigeria's ``palimpsest_comparison_ng`` job with SportyBet's basketball and
tennis lists answering empty withdraw none of their live events; the book's events asset names them stale and
its ``sports_refreshed`` check fails, while football is refreshed and the run succeeds.

The truth is the sandbox world's listing of SportyBet's basketball and tennis on the run's date.
"""

from __future__ import annotations

from datetime import date

import dagster as dg
import psycopg
import pytest

from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.automation import catalogue_jobs
from palimpsest_pipeline.partition_keys import partition_key
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.defs.conftest import DAY as MATERIALIZED_DAY
from palimpsest_pipeline_tests.fixtures_sandbox import FaultSetter
from palimpsest_sandbox import SandboxHandle

pytestmark = pytest.mark.slow

DAY = date.fromisoformat(MATERIALIZED_DAY)
QUIET = ["basketball", "tennis"]


@pytest.fixture
def warehouse_url(day_warehouse_url: str) -> str:
    """A copy of the materialized day, the clean run before the quiet ones (``pipeline_resources`` use it)."""
    return day_warehouse_url


def test_two_catalogue_runs_with_two_sports_quiet_withdraw_none_of_them(
    sandbox: SandboxHandle,
    warehouse_url: str,
    pipeline_resources: dict[str, object],
    sandbox_faults: FaultSetter,
) -> None:
    truth = {
        e.record(Book.SPORTYBET).event_id
        for e in sandbox.world.listed_events(Book.SPORTYBET, sandbox.now())
        if e.sport in QUIET and e.kickoff.date() == DAY
    }
    assert truth, "the world must list basketball or tennis on SportyBet that day"
    job = dg.Definitions(
        assets=ALL_ASSETS, jobs=catalogue_jobs, resources=pipeline_resources
    ).resolve_job_def("palimpsest_comparison_ng")
    tags = {
        "dagster/asset_partition_range_start": partition_key(DAY),
        "dagster/asset_partition_range_end": partition_key(DAY),
    }

    def run() -> dg.ExecuteInProcessResult:
        with dg.DagsterInstance.ephemeral() as instance:
            return job.execute_in_process(tags=tags, instance=instance, raise_on_error=False)

    sandbox_faults(Book.SPORTYBET, quiet_sports=QUIET)
    quiet_runs = [run(), run()]
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        rows = conn.execute(
            "SELECT event_id, deleted_at IS NOT NULL FROM core.events WHERE book = 'sportybet' "
            "AND sport = ANY(%s) AND kickoff_date = %s",
            (QUIET, DAY),
        ).fetchall()
    assert {event_id for event_id, _ in rows} == truth
    assert not [event_id for event_id, withdrawn in rows if withdrawn]
    assert sandbox.served(Book.SPORTYBET, outcome="quiet_sports") >= 2 * len(QUIET)
    for result in quiet_runs:
        assert result.success
        md = {
            m.asset_key.to_user_string(): m.step_materialization_data.materialization.metadata
            for m in result.get_asset_materialization_events()
            if m.asset_key and m.asset_key.to_user_string() == "ng/sportybet/events"
        }["ng/sportybet/events"]
        assert set(md["stale_sports"].value) == set(QUIET)  # type: ignore[arg-type]
        assert md["soft_deleted"].value == 0 and md["stale"].value is False  # football was refreshed
        failed = {
            (e.asset_key.to_user_string(), e.check_name)
            for e in result.get_asset_check_evaluations()
            if not e.passed
        }
        assert ("ng/sportybet/events", "sports_refreshed") in failed
        assert ("ng/sportybet/events", "catalogue_refreshed") not in failed
