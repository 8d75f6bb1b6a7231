"""Runs the daemon launches through a gRPC code server are tagged with their run worker, not the code server:
the code server dying while its runs live must not get them failed by the dead-run sweep.

The real shape on one machine: ``dagster api grpc`` serving a small location, ``dagster job launch`` queueing
two runs (QueuedRunCoordinator of the shipped dagster.yaml), the Dagster daemon dequeuing and launching them
through the code server, which spawns each run worker. One job runs its step in the run worker itself
(in-process executor), the other in a child of the run worker (multi-process executor).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import psutil
import pytest

from palimpsest_pipeline.deploy.run_liveness import TAG_PID, TAG_PID_STARTED, sweep_dead_runs
from palimpsest_pipeline_tests.deployment import held_runs
from palimpsest_pipeline_tests.deployment.conftest import STORAGE_URL_VAR, shipped_file
from palimpsest_pipeline_tests.deployment.test_code_server_daemon import Started, _free_port, _start

pytestmark = pytest.mark.drill

REPO_ROOT = Path(__file__).resolve().parents[2]
#: From starting the code server and the daemon to both held steps running (a busy two-core machine).
DEADLINE_S = 180.0


@pytest.fixture
def started() -> Iterator[list[Started]]:
    processes: list[Started] = []
    try:
        yield processes
    finally:
        for process in reversed(processes):
            process.kill()


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait(condition: object, what: str, processes: list[Started], instance: dg.DagsterInstance) -> None:
    assert callable(condition)
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        runs = "\n".join(f"{r.run_id} {r.job_name} {r.status} {dict(r.tags)}" for r in instance.get_runs())
        logs = "\n".join(p.tail() for p in processes)
        assert all(p.alive() for p in processes), f"{what}: a process ended\nruns:\n{runs}\n{logs}"
        assert time.monotonic() < deadline, f"{what}: not within {DEADLINE_S} s\nruns:\n{runs}\n{logs}"
        time.sleep(0.5)


def test_a_run_launched_by_the_daemon_outlives_its_code_server(
    deploy_instance: dg.DagsterInstance,
    dagster_home: Path,
    dagster_storage_url: str,
    warehouse_url: str,
    started: list[Started],
    tmp_path: Path,
) -> None:
    hold_dir = tmp_path / "hold"
    hold_dir.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PALIMPSEST_")}
    env.update(
        {
            "DAGSTER_HOME": str(dagster_home),
            STORAGE_URL_VAR: dagster_storage_url,
            held_runs.DATABASE_ENV: warehouse_url,
            held_runs.HOLD_DIR_ENV: str(hold_dir),
            "PALIMPSEST_CODE_SERVER_HOST": "127.0.0.1",
            "PALIMPSEST_CODE_SERVER_PORT": str(_free_port()),
            "PYTHONUNBUFFERED": "1",
        }
    )
    bin_dir = Path(sys.executable).parent
    workspace = str(shipped_file("workspace.grpc.yaml"))
    code_server = _start(
        "code server",
        [
            str(bin_dir / "dagster"), "api", "grpc",
            "-m", held_runs.__name__, "-a", "defs", "-d", str(REPO_ROOT),
            "--location-name", "palimpsest_pipeline",
            "-h", env["PALIMPSEST_CODE_SERVER_HOST"], "-p", env["PALIMPSEST_CODE_SERVER_PORT"],
        ],
        env,
        tmp_path / "code_server.log",
    )  # fmt: skip
    started.append(code_server)
    port = int(env["PALIMPSEST_CODE_SERVER_PORT"])
    _wait(lambda: _listening(port), "code server up", started, deploy_instance)
    daemon_command = [str(bin_dir / "dagster-daemon"), "run", "-w", workspace]
    daemon = _start("daemon", daemon_command, env, tmp_path / "daemon.log")
    started.append(daemon)
    for job in ("held_in_worker", "held_in_step_child"):
        launched = subprocess.run(
            [str(bin_dir / "dagster"), "job", "launch", "-w", workspace, "-j", job],
            cwd=REPO_ROOT, env=env, capture_output=True, timeout=DEADLINE_S, check=False,
        )  # fmt: skip
        assert launched.returncode == 0, launched.stderr.decode()[-3000:]
    runs = {run.job_name: run.run_id for run in deploy_instance.get_runs()}
    assert set(runs) == {"held_in_worker", "held_in_step_child"}

    def both_held() -> bool:
        return all((hold_dir / f"{run_id}.pid").exists() for run_id in runs.values())

    _wait(both_held, "both steps running", [code_server, daemon], deploy_instance)
    step_pids = {job: int((hold_dir / f"{run_id}.pid").read_text()) for job, run_id in runs.items()}
    # the run workers: the step's own process in-process, the step's parent under the multi-process executor
    workers = {
        "held_in_worker": psutil.Process(step_pids["held_in_worker"]),
        "held_in_step_child": psutil.Process(step_pids["held_in_step_child"]).parent(),
    }
    for job, worker in workers.items():
        assert worker is not None and worker.parent().pid == code_server.process.pid  # spawned by the server
        tags = deploy_instance.get_run_by_id(runs[job]).tags  # type: ignore[union-attr]
        assert int(tags[TAG_PID]) == worker.pid, f"{job}: tagged {tags[TAG_PID]}, run worker {worker.pid}"
        assert abs(float(tags[TAG_PID_STARTED]) - worker.create_time()) < 1.0

    daemon.interrupt()  # nothing more to launch; its run monitoring must not judge the runs either
    daemon.wait_stopped()
    os.kill(code_server.process.pid, signal.SIGKILL)  # the code server dies, its runs live on
    code_server.process.wait(30)
    assert all(worker.is_running() for worker in workers.values())

    assert sweep_dead_runs(deploy_instance) == []
    (hold_dir / "release").write_text("go")

    def both_ended() -> bool:
        return all(deploy_instance.get_run_by_id(run_id).is_finished for run_id in runs.values())  # type: ignore[union-attr]

    _wait(both_ended, "both runs ended", [], deploy_instance)
    for run_id in runs.values():
        assert deploy_instance.get_run_by_id(run_id).status is dg.DagsterRunStatus.SUCCESS  # type: ignore[union-attr]
