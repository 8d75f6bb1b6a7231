"""The local deployment: Dagster UI and daemon over the same data, with the sandbox beside them; on stop,
`dagster dev`'s whole process group is interrupted (SIGINT to it alone leaves code servers waiting minutes
for their runs), then what remains is killed."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time

import click
import psutil

from palimpsest_pipeline import runtime
from palimpsest_pipeline.cli.app import loaded_settings, main
from palimpsest_pipeline.cli.progress import heartbeat
from palimpsest_pipeline.deploy.settings_files import REPO_ROOT

#: How long `dagster dev` and everything it started are given to stop on SIGINT before SIGKILL.
STOP_GRACE_S = 10.0
_LOCATIONS_QUERY = """{ workspaceOrError { __typename ... on Workspace { locationEntries {
  loadStatus locationOrLoadError { __typename } } } } }"""


@main.command()
@click.option("--port", default=3000, show_default=True)
@click.option("--seed", default=7, show_default=True)
@click.option("--size", default=1000, show_default=True)
@click.option(
    "--sandbox-port", default=8765, show_default=True, help="Port of the sandbox (0: any free one)."
)
@click.option("--real-books", is_flag=True, help="Point Dagster at the real books instead of the sandbox.")
def dev(port: int, seed: int, size: int, sandbox_port: int, real_books: bool) -> None:
    """Dagster UI and daemon on 127.0.0.1 over the same data, with the sandbox running beside them.

    Ctrl-C or SIGTERM stops all of it; the embedded Postgres, shared by every command, keeps running."""
    with heartbeat("warehouse", "starting the database and migrating it"):
        embedded = runtime.prepare(loaded_settings()).embedded
    import dagster as dg

    from palimpsest_pipeline.cli.sandbox_process import SandboxStartError, start_sandbox_process
    from palimpsest_pipeline.deploy.pools import apply_pool_limits
    from palimpsest_pipeline.deploy.run_liveness import sweep_dead_runs

    # Dagster applies a pool's default limit only after its first queue pass: set the limits up front.
    with (
        heartbeat("dagster", "opening the instance, setting the pool limits"),
        dg.DagsterInstance.get() as instance,
    ):
        apply_pool_limits(instance)
        # a run killed earlier (a demo's SIGKILL) must not hold the pools the sensor's captures need
        for run_id, reason in sweep_dead_runs(instance):
            click.echo(f"failed dead run {run_id}: {reason}")
    sandbox = None
    if not real_books:
        try:
            with heartbeat("sandbox", "starting"):
                sandbox = start_sandbox_process(seed=seed, size=size, port=sandbox_port)
        except SandboxStartError as error:
            raise click.ClickException(str(error)) from None
    if sandbox is not None:
        runtime.point_books_at(sandbox.edition_urls)
        click.echo(f"sandbox: {sandbox.url}")
    else:
        runtime.point_books_at_real()
    command = [
        sys.executable, "-m", "dagster", "dev",
        "-w", str(REPO_ROOT / "workspace.yaml"),
        "-h", "127.0.0.1", "-p", str(port),
    ]  # fmt: skip
    try:
        code = _run_dagster_dev(command, f"http://127.0.0.1:{port}")
    finally:
        if sandbox is not None:
            sandbox.stop()  # after Dagster: no run of it is left to fail on a vanished book
    if embedded:
        click.echo("the embedded Postgres keeps running for the next command (palimpsest db stop stops it)")
    sys.exit(code)


def _run_dagster_dev(command: list[str], url: str) -> int:
    """Run `dagster dev` (its UI on ``url``) until it exits or we get SIGINT or SIGTERM, then stop its whole
    process group; its exit code when it failed on its own, else 0."""
    stop_asked, signalled = threading.Event(), threading.Event()

    def ask_to_stop(_signum: int, _frame: object) -> None:
        signalled.set()
        stop_asked.set()

    # Set BEFORE the child starts: exec keeps an ignored SIGINT (a background job's) but resets a handler.
    signal.signal(signal.SIGINT, ask_to_stop)
    signal.signal(signal.SIGTERM, ask_to_stop)
    # Its own session: a terminal's Ctrl-C reaches only us; its process group holds all Dagster starts.
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=os.environ.copy(), start_new_session=True)

    def wait_for_exit() -> None:
        process.wait()
        stop_asked.set()

    threading.Thread(target=wait_for_exit, name="dagster-dev", daemon=True).start()
    threading.Thread(
        target=_say_when_ready, args=(url, stop_asked), name="dagster-dev-ready", daemon=True
    ).start()
    try:
        stop_asked.wait()
    finally:
        killed = stop_process_group(process.pid, grace_s=STOP_GRACE_S)
        process.wait()
    if killed:
        click.echo(f"killed {len(killed)} Dagster processes still running {STOP_GRACE_S:.0f} s after SIGINT")
    return 0 if signalled.is_set() else max(process.returncode, 0)


def _say_when_ready(url: str, stop: threading.Event) -> None:
    """Heartbeat lines while `dagster dev` starts, then one once its UI serves the code location (or not)."""
    with heartbeat("dagster dev", "starting the UI, the daemon and the code location"):
        while (state := _code_location_state(url)) is None:
            if stop.wait(1.0):  # ask the UI again every second
                return
    if state == "loaded":
        click.echo(f"ready: the Dagster UI serves the code location on {url} (Ctrl-C stops it all)")
    else:
        click.echo(f"dagster dev: the code location failed to load; {url} shows why")


def _code_location_state(url: str) -> str | None:
    """``loaded`` once the UI on ``url`` serves every code location, ``failed`` when one failed, else None."""
    import httpx

    try:
        answer = httpx.post(f"{url}/graphql", json={"query": _LOCATIONS_QUERY}, timeout=10.0)
        entries = answer.json()["data"]["workspaceOrError"]["locationEntries"]
    except (httpx.HTTPError, ValueError, KeyError, TypeError):
        return None
    if not entries or any(entry["loadStatus"] != "LOADED" for entry in entries):
        return None
    loaded = all(entry["locationOrLoadError"]["__typename"] == "RepositoryLocation" for entry in entries)
    return "loaded" if loaded else "failed"


def group_members(pgid: int) -> list[psutil.Process]:
    """The live processes of process group ``pgid`` (zombies awaiting their parent's wait excluded)."""
    members = []
    for process in psutil.process_iter():
        try:
            if os.getpgid(process.pid) == pgid and process.status() != psutil.STATUS_ZOMBIE:
                members.append(process)
        except (ProcessLookupError, psutil.Error):
            continue
    return members


def stop_process_group(pgid: int, *, grace_s: float) -> list[psutil.Process]:
    """SIGINT to every process of group ``pgid``, up to ``grace_s`` for the group to empty, then SIGKILL what
    remains; returns the processes killed."""
    with contextlib.suppress(ProcessLookupError):  # the group emptied meanwhile
        os.killpg(pgid, signal.SIGINT)
    deadline = time.monotonic() + grace_s
    while (members := group_members(pgid)) and (left := deadline - time.monotonic()) > 0:
        wait_gone(members, timeout_s=min(1.0, left))  # returns as soon as they end; then look again
    killed = group_members(pgid)
    if killed:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        wait_gone(killed, timeout_s=grace_s)
    return killed


def wait_gone(processes: list[psutil.Process], *, timeout_s: float) -> None:
    """Wait at most ``timeout_s`` until every process has ended (an unreaped zombie counts as ended)."""
    deadline = time.monotonic() + timeout_s
    alive = processes
    while alive and (left := deadline - time.monotonic()) > 0:
        _gone, alive = psutil.wait_procs(alive, timeout=min(0.25, left))
        alive = [p for p in alive if not _zombie(p)]


def _zombie(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.Error:
        return True
