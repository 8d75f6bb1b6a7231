"""Pools per book edition and per country's capture, claimed by the op as instance concurrency slots: a
``palimpsest refresh`` started while another run holds Nigeria's capture pool waits for it (no request,
nothing stored), then captures; a slow Nigerian book never holds Ghana's pool of the same book; a killed
holder is swept instead of waited for."""

from __future__ import annotations

import socket
import subprocess
import threading
from datetime import UTC, datetime

import dagster as dg
import pytest
from dagster._core.events import DagsterEvent, DagsterEventType

from palimpsest_pipeline.cli.refresh import refresh_now
from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.automation import CAPTURE_JOB, capture_odds_job
from palimpsest_pipeline.defs.runs.pool_turn import PoolHolders, hold_pool, pool_holders
from palimpsest_pipeline.deploy.pools import book_pool, odds_pool
from palimpsest_pipeline.deploy.run_liveness import TAG_HEARTBEAT, TAG_HOST, TAG_PID, TAG_PID_STARTED
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.automation.conftest import pipeline_resources
from palimpsest_pipeline_tests.automation.test_refresh import listed_by, query

__all__ = ["pipeline_resources"]

pytestmark = pytest.mark.slow

NG_CAPTURE = odds_pool("ng")


def _start(instance: dg.DagsterInstance, run: dg.DagsterRun) -> None:
    instance.report_dagster_event(
        DagsterEvent(event_type_value=DagsterEventType.RUN_START.value, job_name=run.job_name), run.run_id
    )


def _other_runs(instance: dg.DagsterInstance, but: str) -> list[dg.DagsterRun]:
    return [run for run in instance.get_runs() if run.run_id != but]


def _claim(instance: dg.DagsterInstance, run_id: str, pool: str) -> None:
    """A slot of ``pool`` held by ``run_id``, as its op would hold it."""
    assert instance.event_log_storage.claim_concurrency_slot(pool, run_id, f"holder[{pool}]").is_claimed


def test_a_refresh_waits_for_the_run_holding_the_capture_pool(
    catalogued: dict[str, object], catalogued_url: str
) -> None:
    sr_id = listed_by(catalogued_url, 3)[0]
    with dg.instance_for_test() as instance:
        instance.event_log_storage.set_concurrency_slots(NG_CAPTURE, 1)
        job = dg.Definitions(
            assets=ALL_ASSETS, jobs=[capture_odds_job], resources=catalogued
        ).resolve_job_def(CAPTURE_JOB)
        holder = instance.create_run_for_job(job_def=job)  # a daemon's capture, already running
        _start(instance, holder)
        _claim(instance, holder.run_id, NG_CAPTURE)
        lines: list[str] = []
        codes: list[int] = []
        refresh = threading.Thread(
            target=lambda: codes.append(
                refresh_now([sr_id], resources=catalogued, instance=instance, echo=lines.append)
            )
        )
        refresh.start()

        waiting = ""
        for _ in range(60_000):
            runs = _other_runs(instance, holder.run_id)
            logs = [e.user_message for run in runs for e in instance.all_logs(run.run_id)]
            waiting = next((m for m in logs if m.startswith(f"waiting for pool {NG_CAPTURE}")), "")
            if waiting:
                break
            assert refresh.is_alive(), f"the refresh ran beside the pool's holder: {lines}"
            refresh.join(0.01)
        assert holder.run_id in waiting
        assert len(_other_runs(instance, holder.run_id)) == 1  # the refresh's run, waiting
        assert pool_holders(instance, NG_CAPTURE).run_ids == (holder.run_id,)  # what the UI's pools show
        assert query(catalogued_url, "SELECT count(*) FROM core.odds_captures") == [(0,)]

        instance.report_run_canceled(holder, "the holder's capture ended")
        instance.event_log_storage.free_concurrency_slots_for_run(holder.run_id)
        refresh.join(300)
        assert codes == [0], lines
        assert not pool_holders(instance, NG_CAPTURE).run_ids  # the refresh gave its slot back
    assert query(catalogued_url, "SELECT DISTINCT sr_id FROM core.odds_captures") == [(sr_id,)]


def test_a_slow_book_in_one_country_never_holds_its_pool_in_another() -> None:
    """Nigeria's SportyBet scrape holds its pool until released (an event, not a clock): Ghana's SportyBet
    goes through at once, a second Nigerian scrape waits, told who holds the pool, and goes on release."""
    ng, gh = book_pool(Book.SPORTYBET, "ng"), book_pool(Book.SPORTYBET, "gh")
    with dg.instance_for_test() as instance:
        for pool in (ng, gh):
            instance.event_log_storage.set_concurrency_slots(pool, 1)
        slow_holds, release = threading.Event(), threading.Event()

        def slow_nigerian_scrape() -> None:
            with hold_pool(instance, "slow-ng-run", "sportybet_catalogue", ng):
                slow_holds.set()
                release.wait(300)

        slow = threading.Thread(target=slow_nigerian_scrape)
        slow.start()
        assert slow_holds.wait(300)
        told: list[PoolHolders] = []
        with hold_pool(instance, "ghana-run", "sportybet_catalogue", gh, on_wait=told.append):
            assert pool_holders(instance, gh).run_ids == ("ghana-run",)
        assert told == []  # Ghana never waited for Nigeria

        second_told, second_done = threading.Event(), threading.Event()
        waits: list[PoolHolders] = []

        def second_nigerian_scrape() -> None:
            def on_wait(holders: PoolHolders) -> None:
                waits.append(holders)
                second_told.set()

            with hold_pool(
                instance, "second-ng-run", "sportybet_catalogue", ng, on_wait=on_wait, poll_s=0.05
            ):
                second_done.set()

        second = threading.Thread(target=second_nigerian_scrape)
        second.start()
        assert second_told.wait(300)
        assert not second_done.is_set()
        assert waits[0].run_ids == ("slow-ng-run",) and waits[0].limit == 1
        release.set()
        slow.join(300)
        assert second_done.wait(300)
        second.join(300)
        assert not pool_holders(instance, ng).run_ids


def test_a_pool_without_a_limit_is_not_waited_for() -> None:
    with (
        dg.instance_for_test() as instance,
        hold_pool(instance, "run", "step", "book_betpawa_zz", on_wait=lambda holders: pytest.fail()),
    ):
        assert pool_holders(instance, "book_betpawa_zz").limit is None


def test_a_killed_run_holding_the_pool_is_swept_instead_of_waited_for(
    pipeline_resources: dict[str, object],
) -> None:
    """A capture killed with SIGKILL stays STARTED: without a daemon (``palimpsest refresh`` alone) nothing
    else would fail it, and the next capture would wait for it for ever."""
    job = dg.Definitions(
        assets=ALL_ASSETS, jobs=[capture_odds_job], resources=pipeline_resources
    ).resolve_job_def(CAPTURE_JOB)
    gone = subprocess.Popen(["true"])
    gone.wait()
    with dg.instance_for_test() as instance:
        instance.event_log_storage.set_concurrency_slots(NG_CAPTURE, 1)
        killed, next_run = (instance.create_run_for_job(job_def=job) for _ in range(2))
        for run in (killed, next_run):
            _start(instance, run)
        _claim(instance, killed.run_id, NG_CAPTURE)
        instance.add_run_tags(
            killed.run_id,
            {
                TAG_HOST: socket.gethostname(),
                TAG_PID: str(gone.pid),
                TAG_PID_STARTED: "0",
                TAG_HEARTBEAT: datetime.now(UTC).isoformat(),
            },
        )
        holders = pool_holders(instance, NG_CAPTURE)
        assert holders.limit is not None and len(holders.run_ids) >= holders.limit
        told: list[object] = []
        with hold_pool(instance, next_run.run_id, "odds_snapshots", NG_CAPTURE, on_wait=told.append):
            assert pool_holders(instance, NG_CAPTURE).run_ids == (next_run.run_id,)
        assert told == []  # it never waited
        assert instance.get_run_by_id(killed.run_id).status == dg.DagsterRunStatus.FAILURE  # type: ignore[union-attr]
