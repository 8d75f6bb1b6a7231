"""Never silent while a step blocks: the heartbeat speaks from a timer thread, whatever holds the work up.

Each test blocks a step for real (an event the test holds, a lock on Dagster's run table, the embedded
server's start lock held by the test) and waits for a heartbeat line to arrive while it is blocked; then it
releases the step. No timing: a line arriving while blocked is the whole expectation.
"""

from __future__ import annotations

import fcntl
import itertools
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import psycopg
import pytest
import yaml

from palimpsest_pipeline.cli.progress import PlainDisplay, RunFollower, heartbeat
from palimpsest_pipeline.warehouse.config import (
    DAGSTER_DRIVER,
    create_database,
    embedded_server_home,
    libpq_url,
    with_database,
    with_driver,
)
from palimpsest_pipeline.warehouse.embedded.accounts import ensure_service_user
from palimpsest_pipeline.warehouse.embedded.location import ServerPaths, server_folder
from palimpsest_pipeline.warehouse.embedded.server import remove_embedded_server
from palimpsest_pipeline_tests.fixtures_pg import TEST_DB_PREFIX, drop_database

#: How long a test waits for the line it expects before failing (a busy machine is slow, never silent).
DEADLINE_S = 120.0

_counter = itertools.count(1)


def _heartbeat_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "progress-heartbeat"]


def test_a_blocked_step_is_announced_then_beats_until_it_ends() -> None:
    lines: list[str] = []
    beat_seen = threading.Event()

    def write(line: str) -> None:
        lines.append(line)
        if "still" in line:
            beat_seen.set()

    with heartbeat("warehouse", "starting the database", write=write, every_s=0.05, tick_s=0.01):
        blocked_until_a_beat = beat_seen.wait(DEADLINE_S)  # the step blocks until the heartbeat speaks
    assert blocked_until_a_beat, lines
    assert lines[0] == "warehouse: starting the database ..."
    assert lines[1].startswith("warehouse: still starting the database (") and lines[1].endswith(" s)")
    assert _heartbeat_threads() == []  # it ended with the step


def test_ctrl_c_in_a_blocked_step_stops_its_heartbeat() -> None:
    lines: list[str] = []
    beat_seen = threading.Event()

    def write(line: str) -> None:
        lines.append(line)
        if "still" in line:
            beat_seen.set()

    with (
        pytest.raises(KeyboardInterrupt),
        heartbeat("sandbox", "starting", write=write, every_s=0.05, tick_s=0.01),
    ):
        assert beat_seen.wait(DEADLINE_S), lines
        raise KeyboardInterrupt
    assert _heartbeat_threads() == []


@pytest.fixture
def dagster_instance(pg_server_url: str, tmp_path: Path) -> Iterator[tuple[dg.DagsterInstance, str]]:
    """A Dagster instance on a fresh Postgres database of the suite's server, and that database's URL."""
    name = f"{TEST_DB_PREFIX}{os.getpid()}_heartbeat_{next(_counter)}"
    create_database(pg_server_url, name)
    url = with_driver(with_database(pg_server_url, name), DAGSTER_DRIVER)
    (tmp_path / "dagster.yaml").write_text(yaml.safe_dump({"storage": {"postgres": {"postgres_url": url}}}))
    try:
        with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
            instance.get_runs(limit=1)  # the storages make their tables on first use
            yield instance, url
    finally:
        drop_database(pg_server_url, name)


def test_the_run_display_beats_while_the_event_log_does_not_answer(
    dagster_instance: tuple[dg.DagsterInstance, str],
) -> None:
    instance, url = dagster_instance
    lines: list[str] = []
    beat_seen = threading.Event()

    def write(line: str) -> None:
        lines.append(line)
        if "working: starting the run" in line:
            beat_seen.set()

    display = PlainDisplay(write, heartbeat_s=0.2)
    with psycopg.connect(libpq_url(url)) as locker:
        # A stalled database: the follower's first read of the run table waits behind this lock.
        locker.execute("LOCK TABLE runs IN ACCESS EXCLUSIVE MODE")
        with RunFollower(instance, ("palimpsest/cli_run", "heartbeat-test"), display):
            beat_while_blocked = beat_seen.wait(DEADLINE_S)
            locker.rollback()  # the database answers again
    assert beat_while_blocked, lines
    assert _heartbeat_threads() == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.drill
@pytest.mark.parametrize("command", ["demo", "dev"])
def test_the_cli_says_it_waits_while_the_embedded_server_cannot_start(command: str, tmp_path: Path) -> None:
    """Another command holds the embedded server's start lock on a fresh PALIMPSEST_HOME: `demo` and `dev`
    read through a pipe say what they wait for, again and again, and Ctrl-C ends them without a trace."""
    home = tmp_path / "home"
    folder = server_folder(embedded_server_home(home), ensure_service_user() if os.geteuid() == 0 else None)
    folder.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PALIMPSEST_", "DAGSTER_"))}
    env.update(PALIMPSEST_HOME=str(home), PYTHONUNBUFFERED="1")
    args = ["--port", str(_free_port()), "--sandbox-port", "0"] if command == "dev" else []
    lock = os.open(ServerPaths(folder).lock, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(lock, fcntl.LOCK_EX)
    process = subprocess.Popen(
        [sys.executable, "-m", "palimpsest_pipeline.cli", command, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_read_lines, args=(process, lines), daemon=True).start()
        seen = _until_a_beat(lines)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does, while the server still cannot start
        _rest, errors = process.communicate(timeout=DEADLINE_S)
        assert not (folder / "data" / "PG_VERSION").exists()  # nothing started behind the held lock
    finally:
        if process.poll() is None:  # a failed test: it must not start the server once the lock is gone
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        os.close(lock)
        remove_embedded_server(embedded_server_home(home))
    assert seen[0] == "warehouse: starting the database and migrating it ...", seen
    assert any(line.startswith("warehouse: still starting the database and migrating it (") for line in seen)
    assert process.returncode != 0
    assert "Traceback" not in errors, errors


def _read_lines(process: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def _until_a_beat(lines: queue.Queue[str | None]) -> list[str]:
    """The lines read until the first heartbeat line; fails if the output ends or stays silent first."""
    seen: list[str] = []
    while True:
        try:
            line = lines.get(timeout=DEADLINE_S)
        except queue.Empty:
            pytest.fail(f"silent for {DEADLINE_S:.0f} s while the server could not start; said {seen}")
        if line is None:
            pytest.fail(f"ended without a heartbeat while the server could not start; said {seen}")
        seen.append(line)
        if ": still " in line:
            return seen
