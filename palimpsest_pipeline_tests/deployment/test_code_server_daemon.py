"""The cluster shape on one machine: a gRPC code server, the Dagster daemon and Postgres instance storage.

The warehouse is seeded with a catalogue holding an event that kicks off within 30 minutes of the pipeline's
"now"; the daemon, reading the shipped dagster.yaml and the shipped gRPC workspace file, ticks the
kick-off-window sensor, queues capture runs through the run queue and its pools, and the code server
launches them. The test waits for the imminent capture to succeed and for its prices to land in
core.odds_current. Bounded: everything must happen within DEADLINE_S.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import psycopg
import pytest
from sqlalchemy.engine import make_url

from palimpsest_pipeline.books.settings import env_var_name
from palimpsest_pipeline.defs.catalogue.assets import catalogue_assets
from palimpsest_pipeline.deploy.pools import apply_pool_limits, odds_pool, pool_limits
from palimpsest_pipeline.partition_keys import partition_key
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.defs.conftest import resources_for
from palimpsest_pipeline_tests.deployment.conftest import STORAGE_URL_VAR, shipped_file
from palimpsest_pipeline_tests.deployment.pool_spans import blocked_steps, held_at_once, step_spans
from palimpsest_pipeline_tests.fixtures_pg import fresh_warehouse
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.warehouse.stored import read_scrape_metrics
from palimpsest_sandbox import SandboxHandle

pytestmark = pytest.mark.drill

REPO_ROOT = Path(__file__).resolve().parents[2]
CODE_LOCATION_MODULE = "palimpsest_pipeline_tests.deployment.code_location"
LOCATION_NAME = "palimpsest_pipeline"
#: From starting the code server to the imminent capture's prices in the warehouse.
DEADLINE_S = 90.0
TIER_TAG = "palimpsest/tier"
#: Nigeria's capture job and its one op, as the automation names them (docs/deployment.md launches it).
CAPTURE_JOB_NG = "capture_odds_ng"
CAPTURE_STEP_NG = "ng__odds_snapshots"
CAPTURE_POOL_NG = "odds_capture_ng"


@dataclass
class Started:
    """A process this test started in its own session (so its children can be stopped with it)."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.name} (exit {self.process.poll()}) ---\n" + "\n".join(text.splitlines()[-lines:])

    def interrupt(self) -> None:
        """SIGINT to the process group it leads: Dagster shuts down cleanly on it, run workers included."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGINT)

    def kill(self) -> None:
        """SIGKILL to the process group it leads (run workers included), and wait for the exit: for a
        teardown, where nothing of the processes is judged any more and a clean shutdown takes seconds."""
        if self.alive():
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def wait_stopped(self, timeout_s: float = 15.0) -> None:
        """Wait for the exit; SIGKILL the group if it lingers."""
        try:
            self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(name: str, command: list[str], env: dict[str, str], log: Path) -> Started:
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Started(name, process, log)


@pytest.fixture(scope="module")
def _seeded_template(sandbox: SandboxHandle, module_warehouse_url: str) -> str:
    """A warehouse holding the catalogue of the sandbox's today and tomorrow (Nigeria), materialized once per
    module: each test starts from a copy of it."""
    now = SANDBOX_TEST_INSTANT
    first, last = now.date(), (now + timedelta(days=1)).date()
    result = dg.materialize(
        catalogue_assets,
        resources=resources_for(sandbox, module_warehouse_url),
        tags={
            "dagster/asset_partition_range_start": partition_key(first),
            "dagster/asset_partition_range_end": partition_key(last),
        },
    )
    assert result.success
    return module_warehouse_url


@pytest.fixture
def warehouse_url(pg_server_url: str, _seeded_template: str) -> Iterator[str]:
    """Every test's warehouse: a fresh copy of the seeded one (the daemon and its runs write to it)."""
    yield from fresh_warehouse(pg_server_url, make_url(_seeded_template).database or "")


def _pipeline_now(warehouse_url: str) -> tuple[datetime, int]:
    """The sandbox instant if an SR event kicks off within 30 minutes of it, else 20 minutes before the first
    one that does (the sandbox keeps listing it: it is still ahead of the sandbox's own clock)."""
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        row = conn.execute(
            "SELECT sr_id, min(kickoff) FROM core.events WHERE deleted_at IS NULL AND sr_id IS NOT NULL "
            "AND kickoff > %s GROUP BY sr_id ORDER BY 2, 1 LIMIT 1",
            (SANDBOX_TEST_INSTANT + timedelta(minutes=1),),
        ).fetchone()
    assert row is not None, "the seeded catalogue has no upcoming event with a SportRadar id"
    sr_id, kickoff = int(row[0]), row[1]
    if kickoff - SANDBOX_TEST_INSTANT <= timedelta(minutes=29):
        return SANDBOX_TEST_INSTANT, sr_id
    return kickoff - timedelta(minutes=20), sr_id


@pytest.fixture
def deployment_env(
    sandbox: SandboxHandle, warehouse_url: str, dagster_home: Path, dagster_storage_url: str
) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PALIMPSEST_")}
    env.update(
        {
            "DAGSTER_HOME": str(dagster_home),
            STORAGE_URL_VAR: dagster_storage_url,
            "PALIMPSEST_DATABASE_URL": warehouse_url,
            # every scraped book's base URL: the capture job's config names each
            **{env_var_name(book, "base_url"): sandbox.base_urls[book] for book in NIGERIA_BOOKS},
            "PALIMPSEST_CODE_SERVER_HOST": "127.0.0.1",
            "PALIMPSEST_CODE_SERVER_PORT": str(_free_port()),
            # Keep the run count small: the later tiers reach only 3 hours, the catalogue schedule (if the
            # location has it) does not fall due during the test.
            "PALIMPSEST_ODDS_HORIZON_HOURS": "3",
            "PALIMPSEST_CATALOGUE_CRON": "0 0 1 1 *",
            "PALIMPSEST_ODDS_SENSOR_INTERVAL_S": "5",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@pytest.fixture
def started(tmp_path: Path) -> Iterator[list[Started]]:
    processes: list[Started] = []
    try:
        yield processes
    finally:
        for process in reversed(processes):  # the daemon first: it launches nothing more meanwhile
            process.kill()


def test_daemon_ticks_the_sensor_and_a_capture_lands(
    warehouse_url: str,
    deploy_instance: dg.DagsterInstance,
    deployment_env: dict[str, str],
    started: list[Started],
    tmp_path: Path,
) -> None:
    now, imminent_sr_id = _pipeline_now(warehouse_url)
    # What `palimpsest dev` (or a cluster's deploy step) does before the daemon starts.
    assert apply_pool_limits(deploy_instance) == pool_limits()
    env = {**deployment_env, "PALIMPSEST_FIXED_NOW": now.isoformat()}
    bin_dir = Path(sys.executable).parent

    began, began_wall = time.monotonic(), time.time()
    code_server = _start(
        "code server",
        [
            str(bin_dir / "dagster"), "code-server", "start",
            "-m", CODE_LOCATION_MODULE, "-a", "defs", "-d", str(REPO_ROOT),
            "--location-name", LOCATION_NAME,
            "-h", env["PALIMPSEST_CODE_SERVER_HOST"], "-p", env["PALIMPSEST_CODE_SERVER_PORT"],
        ],
        env,
        tmp_path / "code_server.log",
    )  # fmt: skip
    started.append(code_server)
    daemon = _start(
        "daemon",
        [str(bin_dir / "dagster-daemon"), "run", "-w", str(shipped_file("workspace.grpc.yaml"))],
        env,
        tmp_path / "daemon.log",
    )
    started.append(daemon)

    def diagnostics() -> str:
        runs = deploy_instance.get_runs()
        summary = "\n".join(f"{r.run_id} {r.job_name} {r.status} {dict(r.tags)}" for r in runs)
        return f"runs:\n{summary}\n{code_server.tail()}\n{daemon.tail()}"

    capture: dg.DagsterRun | None = None
    while time.monotonic() - began < DEADLINE_S:
        assert code_server.alive() and daemon.alive(), diagnostics()
        runs = deploy_instance.get_runs(dg.RunsFilter(job_name=CAPTURE_JOB_NG, tags={TIER_TAG: "imminent"}))
        failed = [r for r in runs if r.status is dg.DagsterRunStatus.FAILURE]
        assert not failed, diagnostics()
        done = [r for r in runs if r.status is dg.DagsterRunStatus.SUCCESS]
        if done:
            capture = done[0]
            break
        time.sleep(0.25)
    elapsed = time.monotonic() - began
    assert capture is not None, f"no imminent capture succeeded within {DEADLINE_S} s\n{diagnostics()}"
    if os.environ.get("PALIMPSEST_TEST_VERBOSE"):
        for entry in deploy_instance.all_logs(capture.run_id):
            print(
                f"+{entry.timestamp - began_wall:.2f}s {entry.step_key or '':24} "
                f"{entry.dagster_event_type or ''} {(entry.message or '')[:80]}"
            )
    record = deploy_instance.get_run_record_by_id(capture.run_id)
    assert record is not None and record.start_time is not None and record.end_time is not None
    queued_at = record.create_timestamp.timestamp() - began_wall
    print(
        f"\nimminent capture stored {elapsed:.1f} s after the code server was started: requested by the "
        f"sensor at +{queued_at:.1f} s, run {record.end_time - record.start_time:.1f} s "
        f"(launch to end {record.end_time - record.create_timestamp.timestamp():.1f} s)"
    )

    # The sensor asked for the imminent event, and its prices are in the warehouse, from that run.
    config: Any = capture.run_config
    sr_ids = config["ops"][CAPTURE_STEP_NG]["config"]["sr_ids"]
    assert imminent_sr_id in sr_ids
    assert capture.tags["dagster/sensor_name"] == "odds_kickoff_window_sensor_ng"
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        landed = conn.execute(
            "SELECT count(*), count(DISTINCT book) FROM core.odds_current o "
            "JOIN core.odds_captures c USING (sr_id, book) WHERE o.sr_id = %s AND c.batch_id = %s "
            "AND c.status = 'ok'",
            (imminent_sr_id, capture.run_id),
        ).fetchone()
        metrics = read_scrape_metrics(conn, capture.run_id)
    assert landed is not None and landed[0] > 0 and landed[1] >= 1
    assert {m["kind"] for m in metrics} == {"odds"} and len(metrics) == len(NIGERIA_BOOKS)

    # Its op declared its country's capture pool, odds_capture_ng (one slot): Dagster's executor claimed it as
    # the op started and gave it back as it ended.
    assert odds_pool(DEFAULT_SITE_COUNTRY) == CAPTURE_POOL_NG
    pool = deploy_instance.event_log_storage.get_concurrency_info(CAPTURE_POOL_NG)
    # (the sensor's next window may have started another capture meanwhile: only this run's slot is judged)
    assert pool.slot_count == 1 and capture.run_id not in {slot.run_id for slot in pool.claimed_slots}
    _assert_captures_never_overlapped(deploy_instance)


def _assert_captures_never_overlapped(instance: dg.DagsterInstance) -> None:
    """Pool odds_capture_ng has one slot: the capture steps of every run held it one after another, from
    their STEP_START to their end (a run may start while another holds it, and wait in its run)."""
    spans = step_spans(instance, CAPTURE_STEP_NG)
    assert spans, "no capture step started"
    assert not held_at_once(spans), f"capture steps held the pool at once: {spans}"
    captures = instance.get_runs(dg.RunsFilter(job_name=CAPTURE_JOB_NG))
    waited = sum(bool(blocked_steps(instance, r.run_id, CAPTURE_POOL_NG)) for r in captures)
    print(f"{len(spans)} capture step(s) over {len(captures)} run(s), {waited} held back for the pool's slot")


#: A capture the sensor asks for after a kill -9 must take the capture pool within this (issue: nine captures
#: stayed queued for minutes behind a killed run's pool slot).
AFTER_KILL_S = 120.0


def test_a_killed_run_does_not_hold_the_capture_pool(
    warehouse_url: str,
    deploy_instance: dg.DagsterInstance,
    deployment_env: dict[str, str],
    started: list[Started],
    tmp_path: Path,
) -> None:
    now, _imminent = _pipeline_now(warehouse_url)
    apply_pool_limits(deploy_instance)
    env = {**deployment_env, "PALIMPSEST_FIXED_NOW": now.isoformat()}
    # A run in the capture pool, killed -9 (an OOM kill, a container stop): Dagster says STARTED for ever.
    marker = tmp_path / "doomed_running"
    doomed = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("doomed_run.py")), str(marker), warehouse_url], env=env
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert doomed.poll() is None and time.monotonic() < deadline, "the doomed run never started"
        time.sleep(0.2)
    (killed,) = deploy_instance.get_runs()
    # its op holds the capture pool's one slot (Dagster's executor claimed the pool the op declares)
    holders = deploy_instance.event_log_storage.get_concurrency_info(CAPTURE_POOL_NG).claimed_slots
    assert [slot.run_id for slot in holders] == [killed.run_id]
    os.kill(doomed.pid, signal.SIGKILL)
    doomed.wait(30)
    killed_at = time.monotonic()
    assert deploy_instance.get_run_by_id(killed.run_id).status is dg.DagsterRunStatus.STARTED

    bin_dir = Path(sys.executable).parent
    started.append(
        _start(
            "code server",
            [
                str(bin_dir / "dagster"), "code-server", "start",
                "-m", CODE_LOCATION_MODULE, "-a", "defs", "-d", str(REPO_ROOT),
                "--location-name", LOCATION_NAME,
                "-h", env["PALIMPSEST_CODE_SERVER_HOST"], "-p", env["PALIMPSEST_CODE_SERVER_PORT"],
            ],
            env,
            tmp_path / "code_server.log",
        )
    )  # fmt: skip
    started.append(
        _start(
            "daemon",
            [str(bin_dir / "dagster-daemon"), "run", "-w", str(shipped_file("workspace.grpc.yaml"))],
            env,
            tmp_path / "daemon.log",
        )
    )
    capture: dg.DagsterRun | None = None
    while time.monotonic() - killed_at < AFTER_KILL_S:
        assert all(p.alive() for p in started), "\n".join(p.tail() for p in started)
        # a capture whose step started: it holds the pool (a run may start and wait in it for the slot)
        runs = deploy_instance.get_runs(dg.RunsFilter(job_name=CAPTURE_JOB_NG))
        holding = [
            r for r in runs if deploy_instance.all_logs(r.run_id, of_type=dg.DagsterEventType.STEP_START)
        ]
        if holding:
            capture = holding[0]
            break
        time.sleep(0.25)
    waited = time.monotonic() - killed_at
    assert capture is not None, f"no capture took the pool within {AFTER_KILL_S} s of the kill\n" + "\n".join(
        f"{r.run_id} {r.job_name} {r.status}" for r in deploy_instance.get_runs()
    )
    print(f"\na sensor-requested capture took the capture pool {waited:.1f} s after the kill")
    after = deploy_instance.get_run_by_id(killed.run_id)
    assert after is not None and after.status is dg.DagsterRunStatus.FAILURE
