"""``PALIMPSEST_AUTOMATION=stopped`` loads every schedule and sensor stopped, the alerts sensor included: the
loaded code location's statuses, and the daemon's sensor ticks against a stale feed that would alert."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import dagster as dg
import psycopg
import pytest
from dagster._core.scheduler.instigation import TickStatus
from dagster._core.test_utils import create_test_daemon_workspace_context
from dagster._core.workspace.load_target import ModuleTarget
from dagster._daemon.sensor import execute_sensor_iteration

from palimpsest_pipeline.books.settings import env_var_name
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.alerts.receiver import Receiver
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

pytestmark = pytest.mark.slow
#: Runs the other sensors request stay queued: no run coordinator daemon dequeues them here.
QUEUE_ONLY = {"run_coordinator": {"module": "dagster._core.run_coordinator", "class": "QueuedRunCoordinator"}}

STATUSES = """
import json
from palimpsest_pipeline.definitions import defs
print(json.dumps({s.name: s.default_status.value for s in [*defs.schedules, *defs.sensors]}))
"""


def _statuses(automation: str) -> dict[str, str]:
    env = {**os.environ, "PALIMPSEST_AUTOMATION": automation, "PALIMPSEST_COUNTRIES": "ng,gh"}
    done = subprocess.run(
        [sys.executable, "-c", STATUSES], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


@pytest.mark.drill
def test_stopped_loads_every_schedule_and_sensor_stopped_and_running_loads_them_running() -> None:
    stopped, running = _statuses("stopped"), _statuses("running")
    # the location's automation, named independently: what docs/operations.md lists, per country
    expected = {"alerts_sensor", "dead_run_sensor", "record_run_failures", "archive_maintenance_schedule"}
    for cc in ("ng", "gh"):
        expected |= {f"catalogue_schedule_{cc}", f"catalogue_bootstrap_sensor_{cc}"}
        expected |= {f"odds_kickoff_window_sensor_{cc}", f"live_watch_schedule_{cc}"}
        expected |= {f"weekly_digest_schedule_{cc}"}
    assert set(stopped) == set(running) == expected
    assert set(stopped.values()) == {"STOPPED"}
    assert set(running.values()) == {"RUNNING"}


@pytest.fixture
def stale_sportybet(warehouse_conn: psycopg.Connection) -> None:
    """SportyBet's Nigerian odds three hours old while every other book's are a minute old: feed_stale."""
    now = datetime.now(UTC)
    for book in NIGERIA_BOOKS:
        at = now - (timedelta(hours=3) if book is Book.SPORTYBET else timedelta(minutes=1))
        warehouse_conn.execute(
            "INSERT INTO core.odds_captures (sr_id, book, captured_at, batch_id, status, site_country)"
            " VALUES (1, %s, %s, 'b', 'ok', 'ng')",
            (book.value, at),
        )


@pytest.fixture
def location_env(
    monkeypatch: pytest.MonkeyPatch, warehouse_url: str, receiver: Receiver
) -> Iterator[pytest.MonkeyPatch]:
    """The environment the daemon's code server loads the location with (it inherits this process's)."""
    monkeypatch.setenv("PALIMPSEST_DATABASE_URL", warehouse_url)
    monkeypatch.setenv("PALIMPSEST_ALERT_URLS", receiver.url)
    for book in NIGERIA_BOOKS:  # the bootstrap sensor's run request resolves them; its run only queues
        monkeypatch.setenv(env_var_name(book, "base_url", "ng"), "http://127.0.0.1:9/")
    yield monkeypatch


def _daemon_tick(automation: str, monkeypatch: pytest.MonkeyPatch) -> list[TickStatus]:
    """One sensor-daemon iteration over the real code location served by a code server; the alerts
    sensor's ticks recorded by the instance."""
    monkeypatch.setenv("PALIMPSEST_AUTOMATION", automation)
    target = ModuleTarget(
        module_name="palimpsest_pipeline.definitions",
        attribute="defs",
        working_directory=None,
        location_name="palimpsest_pipeline",
    )
    with (
        dg.instance_for_test(overrides=QUEUE_ONLY) as instance,
        create_test_daemon_workspace_context(target, instance) as workspace,
    ):
        list(execute_sensor_iteration(workspace, logging.getLogger("sensor-daemon"), None, None))
        states = [s for s in instance.all_instigator_state() if s.instigator_name == "alerts_sensor"]
        return [
            tick.status
            for state in states
            for tick in instance.get_ticks(state.instigator_origin_id, state.selector_id)
        ]


@pytest.mark.drill
def test_a_stopped_alerts_sensor_sends_nothing_when_the_daemon_ticks(
    stale_sportybet: None, location_env: pytest.MonkeyPatch, receiver: Receiver
) -> None:
    assert _daemon_tick("stopped", location_env) == []
    assert receiver.bodies == []


@pytest.mark.drill
def test_a_running_alerts_sensor_sends_the_alert_when_the_daemon_ticks(
    stale_sportybet: None, location_env: pytest.MonkeyPatch, receiver: Receiver
) -> None:
    """The control: the same location, seed and tick with the automation running does alert."""
    assert _daemon_tick("running", location_env) == [TickStatus.SKIPPED]
    assert [body["title"] for body in receiver.bodies] == ["SportyBet's odds feed is stale"]
