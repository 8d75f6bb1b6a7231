"""The cluster shape on one machine: a gRPC code server, the Dagster daemon and Postgres instance storage.

The warehouse is seeded with a catalogue holding an event that kicks off within 30 minutes of the pipeline's
"now"; the daemon, reading the shipped dagster.yaml and the shipped gRPC workspace file, ticks the
kick-off-window sensor, which fills the capture queue and asks for the capture worker, queued through the run
queue and its pool and launched by the code server. The test waits for the imminent request to be captured
and for its prices to land in core.odds_current; then a worker killed -9 is swept, its requests go back in
the queue and another worker takes the pool. Bounded: everything must happen within DEADLINE_S.
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
from palimpsest_pipeline.deploy.pools import apply_pool_limits, pool_limits, worker_pool
from palimpsest_pipeline.deploy.run_liveness import TAG_PID
from palimpsest_pipeline.partition_keys import partition_key
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.defs.conftest import resources_for
from palimpsest_pipeline_tests.deployment.conftest import STORAGE_URL_VAR, shipped_file
from palimpsest_pipeline_tests.deployment.pool_spans import blocked_steps, held_at_once, step_spans
from palimpsest_pipeline_tests.fixtures_pg import fresh_warehouse
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox import SandboxHandle

pytestmark = pytest.mark.drill

REPO_ROOT = Path(__file__).resolve().parents[2]
CODE_LOCATION_MODULE = "palimpsest_pipeline_tests.deployment.code_location"
LOCATION_NAME = "palimpsest_pipeline"
#: From starting the code server to the imminent capture's prices in the warehouse.
DEADLINE_S = 90.0
#: Nigeria's capture worker job, its one op and its pool, as the automation names them.
WORKER_JOB_NG = "capture_worker_ng"
WORKER_STEP_NG = "ng__capture_worker"
WORKER_POOL_NG = "capture_worker_ng"
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
            **{env_var_name(book, "base_url", "ng"): sandbox.base_urls[book] for book in NIGERIA_BOOKS},
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


def _start_location(env: dict[str, str], tmp_path: Path, started: list[Started]) -> tuple[Started, Started]:
    """The code server and the daemon, as a cluster runs them."""
    bin_dir = Path(sys.executable).parent
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
    return code_server, daemon


def _requests(warehouse_url: str) -> list[dict[str, Any]]:
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        rows = conn.execute(
            "SELECT tier, window_start, sr_ids, taken_by, takes, outcome FROM core.capture_requests "
            "ORDER BY window_start, priority DESC"
        ).fetchall()
    keys = ("tier", "window_start", "sr_ids", "taken_by", "takes", "outcome")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def _step_started(instance: dg.DagsterInstance, run_id: str) -> bool:
    return bool(instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_START))


def test_daemon_ticks_the_sensor_and_the_worker_captures_the_imminent_request(
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
    began = time.monotonic()
    code_server, daemon = _start_location(env, tmp_path, started)

    def diagnostics() -> str:
        runs = deploy_instance.get_runs()
        summary = "\n".join(f"{r.run_id} {r.job_name} {r.status} {dict(r.tags)}" for r in runs)
        queue = "\n".join(str(r) for r in _requests(warehouse_url))
        return f"runs:\n{summary}\nqueue:\n{queue}\n{code_server.tail()}\n{daemon.tail()}"

    done: dict[str, Any] | None = None
    while time.monotonic() - began < DEADLINE_S:
        assert code_server.alive() and daemon.alive(), diagnostics()
        failed = deploy_instance.get_runs(
            dg.RunsFilter(job_name=WORKER_JOB_NG, statuses=[dg.DagsterRunStatus.FAILURE])
        )
        assert not failed, diagnostics()
        imminent = [r for r in _requests(warehouse_url) if r["tier"] == "imminent" and r["outcome"] == "done"]
        if imminent:
            done = imminent[0]
            break
        time.sleep(0.25)
    elapsed = time.monotonic() - began
    assert done is not None, f"no imminent request captured within {DEADLINE_S} s\n{diagnostics()}"
    worker = deploy_instance.get_run_by_id(done["taken_by"])
    assert worker is not None and worker.job_name == WORKER_JOB_NG
    print(f"\nimminent request captured {elapsed:.1f} s after the code server was started")

    # The sensor asked for the imminent event and for the worker; its prices are in the warehouse, from it.
    assert imminent_sr_id in done["sr_ids"]
    assert worker.tags["dagster/sensor_name"] == "odds_kickoff_window_sensor_ng"
    with psycopg.connect(libpq_url(warehouse_url)) as conn:
        landed = conn.execute(
            "SELECT count(*), count(DISTINCT book) FROM core.odds_current o "
            "JOIN core.odds_captures c USING (sr_id, book) WHERE o.sr_id = %s AND c.batch_id LIKE %s "
            "AND c.status = 'ok'",
            (imminent_sr_id, f"{worker.run_id}/%"),
        ).fetchone()
        metrics = conn.execute(
            "SELECT DISTINCT kind, book FROM core.scrape_metrics WHERE run_id LIKE %s",
            (f"{worker.run_id}/%",),
        ).fetchall()
    assert landed is not None and landed[0] > 0 and landed[1] >= 1
    assert {kind for kind, _ in metrics} == {"odds"} and len({book for _, book in metrics}) == len(
        NIGERIA_BOOKS
    )

    # Its op declared the country's worker pool, capture_worker_ng (one slot), and holds it while it serves
    # the queue; the one-shot captures' pool is not touched.
    assert worker_pool(DEFAULT_SITE_COUNTRY) == WORKER_POOL_NG
    pool = deploy_instance.event_log_storage.get_concurrency_info(WORKER_POOL_NG)
    assert pool.slot_count == 1 and [slot.run_id for slot in pool.claimed_slots] == [worker.run_id]
    assert not deploy_instance.event_log_storage.get_concurrency_info(CAPTURE_POOL_NG).claimed_slots
    _assert_workers_never_overlapped(deploy_instance)


def _assert_workers_never_overlapped(instance: dg.DagsterInstance) -> None:
    """Pool capture_worker_ng has one slot: the worker steps of every run held it one after another, from
    their STEP_START to their end (a run may start while another holds it, and wait in its run)."""
    spans = step_spans(instance, WORKER_STEP_NG)
    assert spans, "no worker step started"
    assert not held_at_once(spans), f"worker steps held the pool at once: {spans}"
    workers = instance.get_runs(dg.RunsFilter(job_name=WORKER_JOB_NG))
    waited = sum(bool(blocked_steps(instance, r.run_id, WORKER_POOL_NG)) for r in workers)
    print(f"{len(spans)} worker step(s) over {len(workers)} run(s), {waited} held back for the pool's slot")


#: After a worker's kill -9, another must take the worker pool within this: the kick-off sensor's next tick
#: (or Dagster) fails the dead run, its slot is given back (run monitoring, every 10 s, 5 s after its end)
#: and the run the sensor asked for starts; a deadline, generous for a loaded machine.
AFTER_KILL_S = 120.0


def test_a_killed_worker_is_swept_its_requests_go_back_and_another_takes_its_pool(
    warehouse_url: str,
    deploy_instance: dg.DagsterInstance,
    deployment_env: dict[str, str],
    started: list[Started],
    tmp_path: Path,
) -> None:
    now, _imminent = _pipeline_now(warehouse_url)
    apply_pool_limits(deploy_instance)
    env = {**deployment_env, "PALIMPSEST_FIXED_NOW": now.isoformat()}
    began = time.monotonic()
    _start_location(env, tmp_path, started)

    def workers() -> list[dg.DagsterRun]:
        return deploy_instance.get_runs(dg.RunsFilter(job_name=WORKER_JOB_NG))

    first: dg.DagsterRun | None = None
    while first is None and time.monotonic() - began < DEADLINE_S:
        assert all(p.alive() for p in started), "\n".join(p.tail() for p in started)
        going = [r for r in workers() if _step_started(deploy_instance, r.run_id) and TAG_PID in r.tags]
        first = going[0] if going else None
        time.sleep(0.25)
    assert first is not None, "no worker started within the deadline\n" + "\n".join(p.tail() for p in started)
    # An OOM kill, a node gone: the worker's process dies without a word, Dagster says STARTED for ever.
    os.kill(int(first.tags[TAG_PID]), signal.SIGKILL)
    killed_at = time.monotonic()

    second: dg.DagsterRun | None = None
    while second is None and time.monotonic() - killed_at < AFTER_KILL_S:
        assert all(p.alive() for p in started), "\n".join(p.tail() for p in started)
        going = [
            r for r in workers() if r.run_id != first.run_id and _step_started(deploy_instance, r.run_id)
        ]
        second = going[0] if going else None
        time.sleep(0.25)
    waited = time.monotonic() - killed_at
    assert second is not None, f"no worker took the pool within {AFTER_KILL_S} s of the kill\n" + "\n".join(
        f"{r.run_id} {r.job_name} {r.status}" for r in deploy_instance.get_runs()
    )
    print(f"\nanother capture worker took the worker pool {waited:.1f} s after the kill")
    after = deploy_instance.get_run_by_id(first.run_id)
    assert after is not None and after.status is dg.DagsterRunStatus.FAILURE  # swept
    # the sensor's run replaces it; no automatic retry of the dead worker waits beside it for the pool
    retries = [r.run_id for r in workers() if r.tags.get("dagster/parent_run_id") == first.run_id]
    assert retries == []
    # nothing undone is left with the dead worker: what it held went back in the queue (or was superseded)
    held = [r for r in _requests(warehouse_url) if r["taken_by"] == first.run_id and r["outcome"] is None]
    assert held == []
    # the sweep gave the dead worker's slot back: the pool's one slot is the new worker's (the killed step
    # never ended in Dagster's events, so the spans cannot say it)
    holders = deploy_instance.event_log_storage.get_concurrency_info(WORKER_POOL_NG).claimed_slots
    assert [slot.run_id for slot in holders] == [second.run_id]
