"""Processes seen from Linux's /proc, independently of the code that started them (for tests)."""

from __future__ import annotations

from pathlib import Path


def children_of(pid: int) -> set[int]:
    """Live processes whose parent is ``pid`` (from /proc: field 4 of /proc/<pid>/stat)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state, ppid, ...
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


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
