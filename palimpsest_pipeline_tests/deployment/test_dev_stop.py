"""Stopping `palimpsest dev` leaves no process behind: every descendant (dagster dev, webserver, daemon, code
servers, run workers, the sandbox) is gone after Ctrl-C (SIGINT to its process group, as a terminal sends it)
or SIGTERM to the palimpsest process alone, a run in progress included.

`palimpsest dev` runs for real as a subprocess in its own session, on free ports, over a fresh warehouse and
Dagster database on the suite's server, with its own sandbox; its automation starts a catalogue run at once.
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
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

pytestmark = pytest.mark.drill

#: From starting `palimpsest dev` to its UI serving the loaded code location and a run in progress.
START_DEADLINE_S = 300.0
#: Generous: the assertion is that every process ends, not how fast (they end within seconds).
STOP_DEADLINE_S = 90.0

LOCATION_QUERY = """{ workspaceOrError { __typename ... on Workspace { locationEntries {
  name loadStatus locationOrLoadError { __typename } } } } }"""
STARTED_RUNS_QUERY = """{ runsOrError(filter: {statuses: [STARTED]}) { __typename ... on Runs {
  results { runId jobName } } } }"""


@dataclass
class Dev:
    """A running `palimpsest dev`: its process (leading its own session), UI URL, state folder and log."""

    process: subprocess.Popen[bytes]
    url: str
    home: Path
    log: Path

    def tail(self) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- palimpsest dev (exit {self.process.poll()}) ---\n" + "\n".join(
            line for line in text.splitlines()[-400:] if " - DEBUG - " not in line
        )

    def graphql(self, query: str) -> Any:
        answer = httpx.post(f"{self.url}/graphql", json={"query": query}, timeout=30.0)
        answer.raise_for_status()
        return answer.json()["data"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def dev(tmp_path: Path, warehouse_url: str, dagster_storage_url: str) -> Iterator[Dev]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PALIMPSEST_", "DAGSTER_"))}
    home = tmp_path / "home"
    env.update(
        PALIMPSEST_HOME=str(home),
        PALIMPSEST_DATABASE_URL=warehouse_url,
        PALIMPSEST_DAGSTER_STORAGE_URL=dagster_storage_url,
        PYTHONUNBUFFERED="1",
    )
    port = _free_port()
    log = tmp_path / "dev.log"
    command = [
        sys.executable, "-m", "palimpsest_pipeline.cli", "dev",
        "--port", str(port), "--sandbox-port", "0", "--size", "300",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )  # fmt: skip
    started = Dev(process, f"http://127.0.0.1:{port}", home, log)
    try:
        yield started
    finally:
        for leftover in _processes_of(home):  # whatever a failed test left: never leak into the suite
            leftover.kill()
        if process.poll() is None:
            process.kill()
        process.wait(30)


def _processes_of(home: Path) -> list[psutil.Process]:
    """Every live process whose environment names this `palimpsest dev`'s state folder: it and all it
    started, however they were re-parented or grouped since."""
    marker = f"PALIMPSEST_HOME={home}"
    found = []
    for process in psutil.process_iter():
        try:
            if process.status() != psutil.STATUS_ZOMBIE and marker in _environ_entries(process):
                found.append(process)
        except psutil.Error:
            continue
    return found


def _environ_entries(process: psutil.Process) -> set[str]:
    return {f"{key}={value}" for key, value in process.environ().items()}


def _wait_until_running_a_run(dev: Dev) -> list[psutil.Process]:
    """Wait (polling the UI with a deadline) until the code location is loaded and a run is in progress;
    every descendant of `palimpsest dev` then."""
    deadline = time.monotonic() + START_DEADLINE_S
    loaded = False
    while True:
        assert dev.process.poll() is None, dev.tail()
        assert time.monotonic() < deadline, f"no run in progress within {START_DEADLINE_S} s\n{dev.tail()}"
        try:
            if not loaded:
                entries = dev.graphql(LOCATION_QUERY)["workspaceOrError"].get("locationEntries", [])
                loaded = bool(entries) and all(
                    e["loadStatus"] == "LOADED"
                    and e["locationOrLoadError"]["__typename"] == "RepositoryLocation"
                    for e in entries
                )
            if loaded and dev.graphql(STARTED_RUNS_QUERY)["runsOrError"].get("results"):
                break
        except httpx.HTTPError:
            pass  # the webserver is not listening yet
        time.sleep(1.0)
    return psutil.Process(dev.process.pid).children(recursive=True)


def _cmdline(process: psutil.Process) -> str:
    try:
        return " ".join(process.cmdline())[:300]
    except psutil.Error:
        return "(gone)"


def _described(processes: list[psutil.Process]) -> str:
    return "\n".join(f"{p.pid} {_cmdline(p)}" for p in processes)


def _is_running_dagster(recorded: list[psutil.Process]) -> bool:
    """The tree holds what the defect left behind: code servers and a run worker, beside the sandbox."""
    lines = [_cmdline(p) for p in recorded]
    return (
        any("code-server" in line or "api grpc" in line for line in lines)
        and any("spawn_main" in line for line in lines)
        and any("palimpsest_sandbox" in line for line in lines)
    )


def _assert_all_gone(dev: Dev, recorded: list[psutil.Process]) -> None:
    """`palimpsest dev` exits, then every recorded process and every other process carrying its environment
    ends (event waits with a generous deadline, not a timing assert)."""
    began = time.monotonic()
    dev.process.wait(STOP_DEADLINE_S)
    watched = {p.pid: p for p in [*recorded, *_processes_of(dev.home)]}
    _gone, alive = psutil.wait_procs(list(watched.values()), timeout=STOP_DEADLINE_S)
    assert not alive, f"left running after the stop:\n{_described(alive)}\n{dev.tail()}"
    if os.environ.get("PALIMPSEST_TEST_VERBOSE"):
        print(dev.tail())
    print(f"\n{len(watched)} processes, all gone {time.monotonic() - began:.1f} s after the signal")


def test_ctrl_c_stops_every_process_it_started(dev: Dev) -> None:
    recorded = _wait_until_running_a_run(dev)
    assert _is_running_dagster(recorded), _described(recorded)
    os.killpg(dev.process.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group gets it
    _assert_all_gone(dev, recorded)
    assert dev.process.returncode == 0, dev.tail()


def test_sigterm_to_palimpsest_alone_stops_every_process_it_started(dev: Dev) -> None:
    recorded = _wait_until_running_a_run(dev)
    assert _is_running_dagster(recorded), _described(recorded)
    os.kill(dev.process.pid, signal.SIGTERM)  # a service manager's stop, or `kill <pid>`
    _assert_all_gone(dev, recorded)
    assert dev.process.returncode == 0, dev.tail()
