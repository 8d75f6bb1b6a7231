"""A run whose process is killed is found dead and failed, and stops holding its pool."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest

from palimpsest_pipeline.defs.runs.observability import dead_run_sensor
from palimpsest_pipeline.deploy.run_liveness import (
    DEAD_AFTER_S,
    IN_PROGRESS,
    TAG_HEARTBEAT,
    TAG_PID,
    RunLife,
    _Heartbeat,
    dead_reason,
)

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def _life(host: str = "here", beat_s_ago: float = 5, pid: int | None = 42) -> RunLife:
    return RunLife(host, pid, 1000.0, NOW - timedelta(seconds=beat_s_ago))


@pytest.mark.parametrize(
    ("life", "alive", "dead"),
    [
        (_life(), True, False),  # beating, process there
        (_life(), False, True),  # same host, process gone: dead at once
        (_life(host="elsewhere"), False, False),  # another host's pid says nothing here
        (_life(host="elsewhere", beat_s_ago=DEAD_AFTER_S + 1), True, True),  # silent too long
        (_life(beat_s_ago=DEAD_AFTER_S - 1), True, False),
        # same host, the very process still running: a stalled heartbeat (a busy machine, a locked run
        # storage) is no death; failing it would free its pool slots under a capture that still writes
        (_life(beat_s_ago=DEAD_AFTER_S * 3), True, False),
        (_life(pid=None, beat_s_ago=DEAD_AFTER_S + 1), True, True),  # no pid to check: silence decides
        (RunLife(None, None, None, None), False, False),  # never beat: not ours to judge
    ],
)
def test_dead_reason(life: RunLife, alive: bool, dead: bool) -> None:
    reason = dead_reason(life, now=NOW, this_host="here", process_alive=lambda _pid, _started: alive)
    assert (reason is not None) == dead


def test_an_unreadable_heartbeat_tag_is_no_heartbeat() -> None:
    """One run's garbled tag must not make every sweep raise (and leave every other dead run in place)."""
    life = RunLife.from_tags({"palimpsest/heartbeat": "not a time", "palimpsest/pid": "7"})
    assert (life.pid, life.heartbeat) == (7, None)


#: The pool doomed_run.py's op declares.
CAPTURE_POOL = "odds_capture_ng"


def _wait_for(path: Path, child: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert child.poll() is None, child.stderr.read().decode() if child.stderr else "child died"
        assert time.monotonic() < deadline, "the doomed run never started"
        time.sleep(0.2)


@pytest.mark.drill
def test_a_killed_run_is_failed_by_the_sensor_and_frees_its_pool(
    deploy_instance: dg.DagsterInstance, dagster_home: Path, warehouse_url: str, tmp_path: Path
) -> None:
    marker = tmp_path / "running"
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home)}
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("doomed_run.py")), str(marker), warehouse_url],
        env=env,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for(marker, child)
        (run,) = deploy_instance.get_runs(filters=dg.RunsFilter(statuses=list(IN_PROGRESS)))
        assert run.tags[TAG_PID] == str(child.pid) and TAG_HEARTBEAT in run.tags
        # its op holds Nigeria's capture pool: Dagster's executor claimed the one slot as the op started
        holding = deploy_instance.event_log_storage.get_concurrency_info(CAPTURE_POOL).claimed_slots
        assert [slot.run_id for slot in holding] == [run.run_id]
        # alive: the sensor leaves it alone
        context = dg.build_sensor_context(instance=deploy_instance)
        assert "no dead run" in str(dead_run_sensor(context))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
    finally:
        if child.poll() is None:
            child.kill()
    assert (
        deploy_instance.get_run_by_id(run.run_id).status == dg.DagsterRunStatus.STARTED
    )  # as Dagster left it
    result = dead_run_sensor(dg.build_sensor_context(instance=deploy_instance))
    assert "failed 1 dead run" in str(result)
    after = deploy_instance.get_run_by_id(run.run_id)
    assert after is not None and after.status == dg.DagsterRunStatus.FAILURE
    assert deploy_instance.get_runs(filters=dg.RunsFilter(statuses=list(IN_PROGRESS))) == []
    assert deploy_instance.event_log_storage.get_concurrency_info(CAPTURE_POOL).claimed_slots == []


@pytest.mark.drill
def test_a_healthy_multi_process_run_is_never_failed_by_the_sweep(
    deploy_instance: dg.DagsterInstance, warehouse_url: str
) -> None:
    """Each step of the multi-process executor is a child process that ends with its step: the run's
    process is the run worker, and a sweep ticking through every step boundary must leave the run alone."""
    from palimpsest_pipeline_tests.deployment import multistep_job
    from palimpsest_pipeline_tests.deployment.liveness_scenarios import run_under_sweep

    outcome = run_under_sweep(deploy_instance, warehouse_url, multistep_job.chain_of_4, tick_s=0.2)
    assert outcome.swept == [] and outcome.status == dg.DagsterRunStatus.SUCCESS, outcome
    assert outcome.sweeps > 0
    (run,) = deploy_instance.get_runs()
    assert int(run.tags[TAG_PID]) == os.getpid()  # the run worker (here: this process), not a step child


def test_the_heartbeat_stops_beating_for_a_run_whose_storage_is_gone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A run whose instance went away (a test's temporary one, a deleted DAGSTER_HOME) costs one warning and
    is dropped once its storage has failed for ``DEAD_AFTER_S``, not a warning every beat for ever."""
    now = [1000.0]
    heartbeat = _Heartbeat(clock=lambda: now[0])
    home = tmp_path / "home"
    home.mkdir()
    with dg.instance_for_test(temp_dir=str(home)) as instance:
        run = instance.add_run(dg.DagsterRun(job_name="j", run_id="r1", status=dg.DagsterRunStatus.STARTED))
        heartbeat.add(instance, run.run_id)
        instance.add_run_tags("r1", {TAG_HEARTBEAT: "2000-01-01T00:00:00+00:00"})
        heartbeat.beat()
        assert instance.get_run_by_id("r1").tags[TAG_HEARTBEAT] > "2026"  # type: ignore[union-attr]
        shutil.rmtree(home)
        with caplog.at_level(logging.WARNING, logger="palimpsest_pipeline.deploy.run_liveness"):
            for _ in range(5):
                heartbeat.beat()
                now[0] += 10
            assert set(heartbeat._runs) == {"r1"}  # 40 s of failures: still beating (a storage hiccup)
            now[0] += DEAD_AFTER_S
            heartbeat.beat()
        assert set(heartbeat._runs) == set()
        messages = [r.getMessage() for r in caplog.records if "run r1" in r.getMessage()]  # not other tests
        assert messages == ["heartbeat of run r1 failed", messages[1]]
        assert "beating stops" in messages[1]
