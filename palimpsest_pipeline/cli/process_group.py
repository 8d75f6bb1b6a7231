"""Stop every process of a child's process group, however deep or re-parented, within a bounded time.

SIGINT to `dagster dev` alone leaves code servers waiting minutes for their runs, so the child's whole
group (``start_new_session=True``) is interrupted as a terminal would, then what remains is killed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time

import psutil


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
    """SIGINT to every process of group ``pgid``, wait up to ``grace_s`` for the group to empty (a member
    started meanwhile included), then SIGKILL what remains and wait for it; returns the processes killed."""
    _signal_group(pgid, signal.SIGINT)
    deadline = time.monotonic() + grace_s
    while (members := group_members(pgid)) and (left := deadline - time.monotonic()) > 0:
        wait_gone(members, timeout_s=min(1.0, left))  # returns as soon as they end; then look again
    killed = group_members(pgid)
    if killed:
        _signal_group(pgid, signal.SIGKILL)
        wait_gone(killed, timeout_s=grace_s)
    return killed


def wait_gone(processes: list[psutil.Process], *, timeout_s: float) -> list[psutil.Process]:
    """Wait until every process has ended (an unreaped zombie counts as ended), at most ``timeout_s``;
    returns those still running."""
    deadline = time.monotonic() + timeout_s
    alive = processes
    while alive:
        _gone, alive = psutil.wait_procs(alive, timeout=max(0.0, min(0.25, deadline - time.monotonic())))
        alive = [p for p in alive if not _zombie(p)]
        if time.monotonic() >= deadline:
            break
    return alive


def _zombie(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.Error:
        return True


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # the group emptied meanwhile
        os.killpg(pgid, signum)
