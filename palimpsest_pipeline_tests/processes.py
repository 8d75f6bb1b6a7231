"""Processes seen from Linux's /proc, independently of the code that started them (for tests)."""

from __future__ import annotations

import os
from pathlib import Path


def _state_and_parent(pid: int | str) -> tuple[str, int] | None:
    """A process's state letter and parent pid (fields 3 and 4 of /proc/<pid>/stat); None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()  # after "pid (comm)"
    except OSError:
        return None
    return fields[0], int(fields[1])


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds a process has used (fields 14 and 15 of /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_of(pid: int) -> set[int]:
    """Live processes whose parent is ``pid``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _state_and_parent(entry.name)
            if stat is not None and stat[1] == pid and stat[0] != "Z":
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    stat = _state_and_parent(pid)
    return stat is not None and stat[0] != "Z"


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def pool_workers(pid: int) -> set[int]:
    """``pid``'s live process-pool workers: spawned children running ``spawn_main`` (no resource tracker)."""
    return {
        child
        for child in children_of(pid)
        if "spawn_main" in cmdline(child) and "resource_tracker" not in cmdline(child)
    }
