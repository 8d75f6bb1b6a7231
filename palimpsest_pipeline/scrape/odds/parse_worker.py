"""How a parse worker process starts: at lower priority, deaf to Ctrl-C, and bound to its parent's life.

A ``ProcessPoolExecutor`` worker never notices its parent die (its own copy of the call queue keeps the pipe
open), so a killed run would leave its workers behind; each worker watches its parent pid and exits once
Linux has reparented it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import threading
import time

from palimpsest_pipeline.scrape.odds.gc_tuning import CAPTURE_GC_THRESHOLD0

#: How often a worker checks that its parent is alive (one ``getppid`` per second costs nothing).
PARENT_CHECK_S = 1.0


def init_parse_worker(niceness: int, parent_pid: int) -> None:
    """Pool initializer (runs in the worker).

    Parse workers yield the CPU to the event loop (and to the books' server, in a benchmark) and ignore
    Ctrl-C: the terminal sends SIGINT to the whole process group, and the parent, not each worker, decides
    how to stop (a worker's KeyboardInterrupt traceback helps nobody). A payload is tens of thousands of
    acyclic objects that reference counting frees: the young generation is collected as rarely as in the
    capture's own process (gc_tuning.py), not every 700 allocations.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(CAPTURE_GC_THRESHOLD0, *gc.get_threshold()[1:])
    if niceness > 0:
        with contextlib.suppress(OSError, AttributeError):  # not permitted / not POSIX: normal priority
            os.nice(niceness)
    exit_with_parent(parent_pid)


def exit_with_parent(parent_pid: int, *, every_s: float = PARENT_CHECK_S) -> None:
    """Start a daemon thread that ends this process once ``parent_pid`` is no longer its parent."""
    threading.Thread(
        target=_watch_parent, args=(parent_pid, every_s), name="exit-with-parent", daemon=True
    ).start()


def _watch_parent(parent_pid: int, every_s: float) -> None:
    while os.getppid() == parent_pid:
        time.sleep(every_s)
    # No clean-up to do: a worker holds no data of its own, and its parent's work died with it.
    os._exit(0)
