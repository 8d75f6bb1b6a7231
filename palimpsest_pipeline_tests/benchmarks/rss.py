"""Peak resident memory (RSS) of a process tree, sampled from /proc in a background thread (Linux).

Why sampled, not ``getrusage``: ``ru_maxrss`` covers only the calling process (RUSAGE_CHILDREN only reaped
children, and only the largest), while the figures wanted are per process: the pipeline's main process, each
parse worker, the sandbox. A 0.2 s sampling interval can miss a spike shorter than that; the main process's
own ``ru_maxrss`` (exact) is reported beside the samples for that reason. Plain /proc rather than psutil: two
files per process are all it takes.
"""

from __future__ import annotations

import os
import resource
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

PAGE_INTERVAL_S = 0.2


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kids
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as handle:
                kids.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return kids


def rss_bytes(pid: int) -> int:
    """Current RSS of ``pid`` in bytes (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return 0
    return 0


def tree(root: int) -> list[int]:
    """``root`` and all its descendants alive now."""
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(_children(pid))
    return found


@dataclass
class PeakRss:
    """Peak RSS per process of the tree rooted at ``root`` (default: this process), labelled by ``label``."""

    root: int = field(default_factory=os.getpid)
    label: Callable[[int], str] | None = None
    interval_s: float = PAGE_INTERVAL_S
    peaks: dict[int, int] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    peak_total: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> PeakRss:
        self._thread = threading.Thread(target=self._run, name="peak-rss", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.sample()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.sample()

    def sample(self) -> None:
        total = 0
        for pid in tree(self.root):
            rss = rss_bytes(pid)
            total += rss
            if rss > self.peaks.get(pid, 0):
                self.peaks[pid] = rss
            if pid not in self.names:
                self.names[pid] = self.label(pid) if self.label else _cmdline(pid)
        self.peak_total = max(self.peak_total, total)

    def by_name_mb(self) -> dict[str, float]:
        """Peak MB per process name (same-named processes numbered in pid order)."""
        out: dict[str, float] = {}
        for pid in sorted(self.peaks):
            name = self.names.get(pid, str(pid))
            key, n = name, 1
            while key in out:
                n += 1
                key = f"{name}#{n}"
            out[key] = round(self.peaks[pid] / 2**20, 1)
        return out


def own_max_rss_mb() -> float:
    """This process's exact lifetime peak RSS (Linux reports kB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode(errors="replace")[:80] or str(pid)
    except OSError:
        return str(pid)
