"""kill -9 in the middle of a capture, then a rerun: the stored batches stay, the rerun captures only the
rest, and nothing is stored twice (scrape/odds/stream.py, defs/odds/assets.py, deploy/run_liveness.py)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import dagster as dg
import psycopg
import pytest

from palimpsest_pipeline.defs.catalogue.assets import catalogue_assets
from palimpsest_pipeline.defs.odds.assets import odds_asset
from palimpsest_pipeline.deploy.run_liveness import sweep_dead_runs
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.processes import alive, pool_workers
from palimpsest_sandbox import SandboxHandle
from palimpsest_sandbox.config import BookBehaviour, FaultConfig, LatencyConfig

pytestmark = pytest.mark.drill

#: A rerun that has not ended after this waits for something nothing will free (it takes seconds).
RERUN_HANG_S = 180.0
CAPTURE_POOL = "odds_capture_ng"
ENGINE_EVENT = dg.DagsterEventType.ENGINE_EVENT
DAY = "2026-05-05"
KEY = DAY  # a kick-off date: the country is in the assets' keys (ng/odds_snapshots)


def _rerun(
    instance: dg.DagsterInstance, resources: dict[str, object], killed_run_id: str
) -> dg.ExecuteInProcessResult:
    """Nigeria's capture of ``KEY`` again, on the instance of the killed run. A rerun still running after
    ``RERUN_HANG_S`` waits for something nothing will free: the test then frees the pool's slots for it (so
    the run ends) and fails naming who held them."""
    outcome: list[dg.ExecuteInProcessResult] = []
    rerun = threading.Thread(
        target=lambda: outcome.append(
            dg.materialize([odds_asset("ng")], instance=instance, resources=resources, partition_key=KEY)
        ),
        daemon=True,
    )
    rerun.start()
    rerun.join(RERUN_HANG_S)
    if not rerun.is_alive():
        (result,) = outcome
        return result
    storage = instance.event_log_storage
    holders = [slot.run_id for slot in storage.get_concurrency_info(CAPTURE_POOL).claimed_slots]
    blocked = [r.user_message for r in instance.all_logs(_last_run(instance), of_type=ENGINE_EVENT)]
    storage.free_concurrency_slots_for_run(killed_run_id)
    rerun.join()
    pytest.fail(
        f"the rerun did not end within {RERUN_HANG_S:.0f} s: pool {CAPTURE_POOL}'s slot held by {holders} "
        f"(the killed run: {killed_run_id}); the rerun's engine events: {blocked}; once the test freed the "
        f"killed run's slots, the rerun {'succeeded' if outcome and outcome[0].success else 'failed'}"
    )


def _last_run(instance: dg.DagsterInstance) -> str:
    return instance.get_runs(limit=1)[0].run_id


def _captured(conn: psycopg.Connection, run_id: str) -> set[int]:
    rows = conn.execute("SELECT DISTINCT sr_id FROM core.odds_captures WHERE batch_id = %s", (run_id,))
    return {sr_id for (sr_id,) in rows}


def test_a_killed_capture_keeps_its_batches_and_the_rerun_completes_the_rest(
    deploy_instance: dg.DagsterInstance,
    dagster_home: Path,
    pipeline_resources: dict[str, object],
    sandbox: SandboxHandle,
    warehouse_url: str,
) -> None:
    assert dg.materialize(catalogue_assets, resources=pipeline_resources, partition_key=KEY).success
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        expected = {  # every SR id some book lists on DAY, still ahead at the pinned clock
            sr_id
            for (sr_id,) in conn.execute(
                "SELECT DISTINCT sr_id FROM core.events WHERE kickoff_date = %s AND sr_id IS NOT NULL "
                "AND kickoff > %s AND deleted_at IS NULL",
                (DAY, SANDBOX_TEST_INSTANT),
            )
        }
    assert len(expected) > 20
    slow = BookBehaviour(latency=LatencyConfig(median_ms=60.0, sigma=0.0), faults=FaultConfig())
    previous = {book: sandbox.set_behaviour(book, slow) for book in NIGERIA_BOOKS}
    env = {
        **os.environ,
        "DAGSTER_HOME": str(dagster_home),
        **{f"PALIMPSEST_{book.name}_NG_MAX_IN_FLIGHT": "2" for book in NIGERIA_BOOKS},
    }
    urls = json.dumps({f"ng/{book.value}": sandbox.base_urls[book] for book in NIGERIA_BOOKS})
    workers: set[int] = set()
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("capture_run.py")), warehouse_url, urls,
         SANDBOX_TEST_INSTANT.isoformat(), DAY],
        env=env,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
            deadline = time.monotonic() + 120
            while True:
                assert child.poll() is None, "the capture ended before it could be killed"
                assert time.monotonic() < deadline, "the capture stored no batch in 2 minutes"
                (stored,) = conn.execute("SELECT count(DISTINCT sr_id) FROM core.odds_captures").fetchone()
                if stored >= 8:  # two batches of four events
                    break
                time.sleep(0.1)
        workers = pool_workers(child.pid)  # the capture's parse workers, seen from /proc
        assert workers, "the capture runs no parse worker to watch"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
        # they die with the run: orphans (~130 MB each) used to stay until the machine restarted
        deadline = time.monotonic() + 30
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in workers if alive(pid)], "parse workers outlived their killed run"
    finally:
        if child.poll() is None:
            child.kill()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        for book, behaviour in previous.items():
            sandbox.set_behaviour(book, behaviour)
    (killed,) = deploy_instance.get_runs()  # the child's run, the only one on this instance
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        kept = _captured(conn, killed.run_id)
        assert 8 <= len(kept) < len(expected)
        # a batch is whole: every book of each kept event is in the log
        assert {n for (n,) in conn.execute(
            "SELECT count(*) FROM core.odds_captures WHERE batch_id = %s GROUP BY sr_id", (killed.run_id,)
        )} == {len(NIGERIA_BOOKS)}  # fmt: skip
        history_before = conn.execute("SELECT count(*) FROM core.odds_history").fetchone()

    # The killed run's op held Nigeria's capture pool (one slot), and Dagster still counts it held: the
    # rerun's op claims that pool as it starts, so the dead holder must be let go for the rerun to run at all.
    held = deploy_instance.event_log_storage.get_concurrency_info(CAPTURE_POOL).claimed_slots
    assert [slot.run_id for slot in held] == [killed.run_id]
    # as the command line does before its runs (the daemon's dead-run sensor does it otherwise)
    assert [run_id for run_id, _reason in sweep_dead_runs(deploy_instance)] == [killed.run_id]
    assert not deploy_instance.event_log_storage.get_concurrency_info(CAPTURE_POOL).claimed_slots
    rerun = _rerun(deploy_instance, pipeline_resources, killed.run_id)
    assert rerun.success
    assert deploy_instance.get_run_by_id(killed.run_id).status == dg.DagsterRunStatus.FAILURE
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        completed = _captured(conn, rerun.run_id)
        assert completed.isdisjoint(kept) and completed | kept == expected
        duplicates = conn.execute(
            "SELECT count(*) - count(DISTINCT (sr_id, book, market, specifier, outcome, captured_at)) "
            "FROM core.odds_history"
        ).fetchone()
        assert duplicates == (0,)
        ok_twice = conn.execute(
            "SELECT count(*) FROM (SELECT sr_id, book FROM core.odds_captures WHERE status = 'ok' "
            "GROUP BY sr_id, book HAVING count(*) > 1) AS twice"
        ).fetchone()
        assert ok_twice == (0,)
        assert history_before is not None
        assert conn.execute("SELECT count(*) FROM core.odds_history").fetchone()[0] > history_before[0]
