"""Pools per book edition and per country's odds capture, Dagster's own: each catalogue op declares its
edition's pool (``book_<book>_<cc>``), each capture op its country's (``odds_capture_<cc>``) and each capture
worker its own (``capture_worker_<cc>``), every such pool
gets its limit up front (``deploy/pools.py``), and on the shipped instance (Postgres, granularity ``op``) a
second capture of one country waits inside its run for the first to give the pool back, while another
country's capture goes through at once; a killed holder is swept instead of waited for. The runs wait on
each other's events, never on the clock."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.events import DagsterEvent, DagsterEventType
from dagster._core.instance.config import PoolGranularity
from pydantic import PrivateAttr

from palimpsest_pipeline.cli.refresh import refresh_now
from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.automation import capture_job
from palimpsest_pipeline.defs.odds.assets import comparison_asset, odds_asset
from palimpsest_pipeline.defs.resources import BooksResource, ClockResource, WarehouseResource
from palimpsest_pipeline.deploy.pools import apply_pool_limits, pool_limits
from palimpsest_pipeline.deploy.run_liveness import (
    TAG_HEARTBEAT,
    TAG_HOST,
    TAG_PID,
    TAG_PID_STARTED,
    _Heartbeat,
)
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.warehouse.config import DAGSTER_DRIVER, create_database, with_database, with_driver
from palimpsest_pipeline_tests.automation.conftest import Seed, event
from palimpsest_pipeline_tests.fixtures_pg import TEST_DB_PREFIX, drop_database
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

TWO_COUNTRIES = {"PALIMPSEST_COUNTRIES": "ng,gh"}
NG_CAPTURE = "odds_capture_ng"
#: Where a run's test gate is named (``GatedClock``).
GATE_TAG = "test/gate"
#: A bound on every wait, only so that a broken pool fails the test instead of hanging it.
PATIENCE_S = 120

# ------------------------------------------------------------------------------------------ declarations

_POOLS_OF_OPS = """
import json
from palimpsest_pipeline.definitions import defs
from palimpsest_pipeline.deploy.pools import pool_limits
jobs = defs.get_repository_def().get_all_jobs()
ops = {node.definition.name: node.definition.pool for job in jobs for node in job.nodes}
print(json.dumps({"ops": ops, "limits": pool_limits()}))
"""


def _location_pools(env: dict[str, str]) -> tuple[dict[str, str | None], dict[str, int]]:
    """Each op's declared pool and the pool limits, as the code location loads them in ``env``."""
    done = subprocess.run(
        [sys.executable, "-c", _POOLS_OF_OPS],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    return found["ops"], found["limits"]


@pytest.mark.slow
def test_each_op_declares_its_own_editions_or_countrys_pool_and_every_pool_has_a_limit() -> None:
    ops, limits = _location_pools(TWO_COUNTRIES)
    competitors = load_settings(TWO_COUNTRIES).competitors()
    expected: dict[str, str] = {}
    for cc in ("ng", "gh"):
        books = competitors.scraped_books(cc)
        assert books, cc
        expected |= {f"{cc}__{book.value}_catalogue": f"book_{book.value}_{cc}" for book in books}
        expected[f"{cc}__odds_snapshots"] = f"odds_capture_{cc}"
        expected[f"{cc}__capture_worker"] = f"capture_worker_{cc}"
    assert {op: pool for op, pool in ops.items() if pool is not None} == expected
    assert "gh__odds_snapshots" in ops and "ng__odds_comparison_tables" in ops  # both countries loaded
    # every pool an op declares is limited before its first run, and no limit names a pool nobody declares
    assert limits == dict.fromkeys(expected.values(), 1)


# ------------------------------------------------------------------------------------------------- runs


@pytest.fixture
def shipped_instance(
    pg_server_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dg.DagsterInstance]:
    """The instance the shipped dagster.yaml describes, on a Postgres database of its own, with the pool
    limits of Nigeria and Ghana written as ``palimpsest dev`` and a cluster's deploy step write them."""
    name = f"{TEST_DB_PREFIX}{os.getpid()}_pools"
    drop_database(pg_server_url, name)
    create_database(pg_server_url, name)
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copyfile(str(files("palimpsest_pipeline.deploy").joinpath("dagster.yaml")), home / "dagster.yaml")
    storage_url = with_driver(with_database(pg_server_url, name), DAGSTER_DRIVER)
    monkeypatch.setenv("PALIMPSEST_DAGSTER_STORAGE_URL", storage_url)
    try:
        with dg.DagsterInstance.from_config(str(home)) as instance:
            assert instance.get_concurrency_config().pool_config.pool_granularity is PoolGranularity.OP
            assert apply_pool_limits(instance, pool_limits(TWO_COUNTRIES)) == pool_limits(TWO_COUNTRIES)
            yield instance
    finally:
        _stop_heartbeat()
        drop_database(pg_server_url, name)


def _stop_heartbeat() -> None:
    """Stop this process's run heartbeat (the runs' warehouse resource started it): it would beat on into
    the storage database dropped after the test."""
    heartbeat = _Heartbeat._instance
    if heartbeat is not None:
        heartbeat._wake.set()
        heartbeat._thread.join()


@dataclass
class Gate:
    """Where a run's capture op stops: it says it is inside (and who holds its pool then), and goes on when
    released."""

    holders: Callable[[], frozenset[str]]
    inside: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    holders_inside: frozenset[str] = frozenset()


#: The gates of the test running, by name (a run's ``GATE_TAG``).
_GATES: dict[str, Gate] = {}


@pytest.fixture
def gates() -> Iterator[dict[str, Gate]]:
    """The test's gates, every one released at its end (a failed test leaves no run waiting)."""
    try:
        yield _GATES
    finally:
        for gate in _GATES.values():
            gate.release.set()
        _GATES.clear()


class GatedClock(ClockResource):
    """The pipeline clock, whose first reading in a run (the capture op's, before it reads the warehouse)
    waits at the gate the run's ``GATE_TAG`` names."""

    _gate: str | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        assert context.run is not None
        self._gate = context.run.tags.get(GATE_TAG)

    def now(self) -> datetime:
        if self._gate is not None:
            gate = _GATES[self._gate]
            self._gate = None  # the comparison op's reading goes by
            gate.holders_inside = gate.holders()
            gate.inside.set()
            assert gate.release.wait(PATIENCE_S), "the test never released the gate"
        return super().now()


def _holders(instance: dg.DagsterInstance, pool: str) -> Callable[[], frozenset[str]]:
    """Who holds ``pool``'s slots, read from the instance's storage."""

    def read() -> frozenset[str]:
        info = instance.event_log_storage.get_concurrency_info(pool)
        return frozenset(slot.run_id for slot in info.claimed_slots)

    return read


def _capture_job(country: str, resources: dict[str, object]) -> dg.JobDefinition:
    """``country``'s capture job over the code location's assets and Ghana's (the tests load Nigeria's)."""
    return dg.Definitions(
        assets=[*ALL_ASSETS, odds_asset("gh"), comparison_asset("gh")],
        jobs=[capture_job(country)],
        resources=resources,
    ).resolve_job_def(f"capture_odds_{country}")


@dataclass
class CaptureRun:
    """A capture run of one country executing in a thread, stopped at its gate ``name``."""

    name: str
    gate: Gate
    thread: threading.Thread
    results: list[dg.ExecuteInProcessResult]

    def run_id(self, instance: dg.DagsterInstance) -> str:
        (run,) = instance.get_runs(filters=dg.RunsFilter(tags={GATE_TAG: self.name}))
        return run.run_id

    def finish(self) -> dg.ExecuteInProcessResult:
        self.gate.release.set()
        self.thread.join(PATIENCE_S)
        assert not self.thread.is_alive() and len(self.results) == 1
        return self.results[0]


def _start_capture(
    instance: dg.DagsterInstance, resources: dict[str, object], country: str, name: str
) -> CaptureRun:
    """Start ``country``'s capture job in a thread, its run tagged with the gate ``name``."""
    gate = _GATES[name] = Gate(_holders(instance, f"odds_capture_{country}"))
    job = _capture_job(country, resources)
    results: list[dg.ExecuteInProcessResult] = []

    def execute() -> None:
        results.append(
            job.execute_in_process(
                run_config={"ops": {f"{country}__odds_snapshots": {"config": {"sr_ids": [4242]}}}},
                tags={GATE_TAG: name},
                instance=instance,
                partition_key=SANDBOX_TEST_INSTANT.date().isoformat(),
                raise_on_error=False,
            )
        )

    thread = threading.Thread(target=execute, name=f"capture-{name}", daemon=True)
    thread.start()
    return CaptureRun(name, gate, thread, results)


def _wait_for(what: str, ready: Callable[[], bool], alive: threading.Thread) -> None:
    """Wait until ``ready()`` (read from the instance between the runs' events), while ``alive`` runs."""
    paused = threading.Event()
    for _ in range(PATIENCE_S * 20):
        if ready():
            return
        assert alive.is_alive(), f"the run ended before {what}"
        paused.wait(0.05)
    pytest.fail(f"never {what}")


def _step_events(instance: dg.DagsterInstance, run_id: str, step: str) -> list[dg.EventLogEntry]:
    return [e for e in instance.all_logs(run_id) if e.step_key == step]


def _step_times(
    instance: dg.DagsterInstance, run_id: str, step: str, kind: dg.DagsterEventType
) -> list[float]:
    return [e.timestamp for e in _step_events(instance, run_id, step) if e.dagster_event_type == kind]


def _blocked(instance: dg.DagsterInstance, run_id: str, step: str, pool: str) -> bool:
    """Whether the run's log says its ``step`` waits for ``pool`` (Dagster's engine event)."""
    says = f"Step blocked by limit for pool {pool}"
    return any((e.user_message or "").startswith(says) for e in _step_events(instance, run_id, step))


#: Nothing listed, so nothing to capture: no book is asked anything (and none could answer).
UNREACHABLE_BOOKS = BooksResource(
    base_urls={f"ng/{book.value}": "http://127.0.0.1:9" for book in NIGERIA_BOOKS}
)


@pytest.mark.slow
def test_a_second_capture_of_a_country_waits_for_the_first_and_another_country_does_not(
    shipped_instance: dg.DagsterInstance, warehouse_url: str, gates: dict[str, Gate]
) -> None:
    instance = shipped_instance
    resources: dict[str, object] = {
        "warehouse": WarehouseResource(database_url=warehouse_url),  # migrated, no event listed
        "books": UNREACHABLE_BOOKS,
        "clock": GatedClock(fixed_utc=SANDBOX_TEST_INSTANT.isoformat()),
    }
    step = "ng__odds_snapshots"
    first = _start_capture(instance, resources, "ng", "ng-first")
    assert first.gate.inside.wait(PATIENCE_S)
    first_id = first.run_id(instance)
    assert first.gate.holders_inside == {first_id}  # inside its op, the run holds Nigeria's capture pool

    # Ghana's capture goes through from start to end while Nigeria's pool is held.
    ghana = _start_capture(instance, resources, "gh", "gh")
    assert ghana.gate.inside.wait(PATIENCE_S)
    assert ghana.gate.holders_inside == {ghana.run_id(instance)}
    assert ghana.finish().success
    assert first.thread.is_alive() and not first.gate.release.is_set()

    # A second Nigerian capture waits, before its op, for the pool the first holds.
    second = _start_capture(instance, resources, "ng", "ng-second")
    _wait_for(
        "the second capture was blocked by Nigeria's pool",
        lambda: (
            bool(instance.get_runs(filters=dg.RunsFilter(tags={GATE_TAG: "ng-second"})))
            and _blocked(instance, second.run_id(instance), step, NG_CAPTURE)
        ),
        second.thread,
    )
    second_id = second.run_id(instance)
    assert not second.gate.inside.is_set()
    assert not _step_times(instance, second_id, step, dg.DagsterEventType.STEP_START)
    info = instance.event_log_storage.get_concurrency_info(NG_CAPTURE)
    assert {slot.run_id for slot in info.claimed_slots} == {first_id}  # what the UI's pools page shows
    assert info.pending_run_ids == {second_id}

    # The first ends; only then does the second start its op, alone in the pool.
    assert first.finish().success
    assert second.gate.inside.wait(PATIENCE_S)
    assert second.gate.holders_inside == {second_id}
    assert second.finish().success
    # in the runs' own logs: the second's step started after the first's had ended
    (first_ended,) = _step_times(instance, first_id, step, dg.DagsterEventType.STEP_SUCCESS)
    (second_started,) = _step_times(instance, second_id, step, dg.DagsterEventType.STEP_START)
    assert first_ended <= second_started
    assert not instance.event_log_storage.get_concurrency_info(NG_CAPTURE).claimed_slots  # given back


@pytest.mark.slow
def test_a_refresh_behind_a_killed_capture_holding_the_pool_sweeps_it_instead_of_waiting_for_ever(
    shipped_instance: dg.DagsterInstance,
    pipeline_resources: dict[str, object],
    seed: Seed,
) -> None:
    """A capture killed with SIGKILL stays STARTED, holding its slot: without a daemon (``palimpsest refresh``
    alone) nothing else fails it, and the next capture of the country would wait for it for ever."""
    instance = shipped_instance
    seed([event(4242, SANDBOX_TEST_INSTANT + timedelta(hours=2))])  # upcoming: the refresh captures it
    killed = instance.create_run_for_job(job_def=_capture_job("ng", pipeline_resources))
    instance.report_dagster_event(
        DagsterEvent(event_type_value=DagsterEventType.RUN_START.value, job_name=killed.job_name),
        killed.run_id,
    )
    claimed = instance.event_log_storage.claim_concurrency_slot(
        NG_CAPTURE, killed.run_id, "ng__odds_snapshots"
    )
    assert claimed.is_claimed
    gone = subprocess.Popen(["true"])
    gone.wait()
    instance.add_run_tags(
        killed.run_id,
        {
            TAG_HOST: socket.gethostname(),
            TAG_PID: str(gone.pid),
            TAG_PID_STARTED: "0",
            TAG_HEARTBEAT: datetime.now(UTC).isoformat(),
        },
    )
    lines: list[str] = []
    refresh = threading.Thread(
        target=lambda: refresh_now(
            [4242], resources=pipeline_resources, instance=instance, echo=lines.append, country="ng"
        ),
        daemon=True,
    )
    refresh.start()
    try:
        refresh.join(PATIENCE_S)
        assert not refresh.is_alive(), f"the refresh waited for the killed run's slot: {lines}"
    finally:  # a refresh left waiting is let go, so the test ends either way
        instance.event_log_storage.free_concurrency_slots_for_run(killed.run_id)
        refresh.join(PATIENCE_S)
    swept = instance.get_run_by_id(killed.run_id)
    assert swept is not None and swept.status == dg.DagsterRunStatus.FAILURE
    (run,) = [run for run in instance.get_runs() if run.run_id != killed.run_id]
    assert _step_times(instance, run.run_id, "ng__odds_snapshots", dg.DagsterEventType.STEP_START)
    assert any(line.startswith("sr:4242") for line in lines), lines
