"""How a parse worker process starts and ends: spawned without its parent's ``__main__``, at lower priority,
deaf to Ctrl-C, bound to its parent's life, and gone without the interpreter's teardown.

A ``ProcessPoolExecutor`` worker never notices its parent die (its own copy of the call queue keeps the pipe
open), so a killed run would leave its workers behind; each worker watches its parent pid and exits once
Linux has reparented it.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import io
import logging
import os
import signal
import threading
import time
from multiprocessing import popen_spawn_posix, reduction, resource_tracker, spawn, util
from multiprocessing.context import SpawnContext, SpawnProcess, set_spawning_popen
from multiprocessing.process import BaseProcess
from typing import Any

from palimpsest_pipeline.scrape.odds.gc_tuning import CAPTURE_GC_THRESHOLD0

#: How often a worker checks that its parent is alive (one ``getppid`` per second costs nothing).
PARENT_CHECK_S = 1.0


def init_parse_worker(niceness: int, parent_pid: int) -> None:
    """Pool initializer (runs in the worker).

    Workers yield the CPU to the event loop, ignore Ctrl-C (the parent decides how to stop) and collect
    garbage as rarely as the capture's process (gc_tuning.py).
    """
    atexit.register(_exit_without_teardown)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(CAPTURE_GC_THRESHOLD0, *gc.get_threshold()[1:])
    if niceness > 0:
        with contextlib.suppress(OSError, AttributeError):  # not permitted / not POSIX: normal priority
            os.nice(niceness)
    exit_with_parent(parent_pid)


def _exit_without_teardown() -> None:
    """A worker's last step (the first atexit call, registered last): end the process now, its standard
    streams flushed (multiprocessing did it) and its log handlers too. The interpreter's teardown would free
    the parsers' caches object by object, a quarter of a second of CPU per worker for nothing: a worker holds
    no data of its own, and no one reads its exit status (the pool watches its process, not its status)."""
    logging.shutdown()
    os._exit(0)


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


#: What ``spawn`` tells a child about its parent's ``__main__`` (which the child would then import again).
_MAIN_KEYS = ("init_main_from_name", "init_main_from_path")


class _PopenWithoutMain(popen_spawn_posix.Popen):
    """``spawn``'s process start (CPython 3.11's ``popen_spawn_posix.Popen._launch``), less the parent's
    ``__main__``: a worker is handed module-level functions only, and re-running the parent's main script in
    it (a CLI, a benchmark) would import that script's whole world in every worker for nothing."""

    def _launch(self, process_obj: BaseProcess) -> None:
        tracker_fd = resource_tracker.getfd()
        fds: list[Any] = self._fds  # type: ignore[attr-defined]
        fds.append(tracker_fd)
        prep_data = spawn.get_preparation_data(process_obj._name)  # type: ignore[attr-defined]
        for key in _MAIN_KEYS:
            prep_data.pop(key, None)
        fp = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, fp)
            reduction.dump(process_obj, fp)
        finally:
            set_spawning_popen(None)
        parent_r = child_w = child_r = parent_w = None
        try:
            parent_r, child_w = os.pipe()
            child_r, parent_w = os.pipe()
            cmd = spawn.get_command_line(tracker_fd=tracker_fd, pipe_handle=child_r)
            fds.extend([child_r, child_w])
            self.pid = util.spawnv_passfds(spawn.get_executable(), cmd, fds)  # type: ignore[arg-type]
            self.sentinel = parent_r
            with open(parent_w, "wb", closefd=False) as f:
                f.write(fp.getbuffer())
        finally:
            self.finalizer = util.Finalize(
                self,
                util.close_fds,  # type: ignore[attr-defined]
                [fd for fd in (parent_r, parent_w) if fd is not None],
            )
            for fd in (child_r, child_w):
                if fd is not None:
                    os.close(fd)


class _WorkerProcess(SpawnProcess):
    @staticmethod
    def _Popen(process_obj: BaseProcess) -> popen_spawn_posix.Popen:
        return _PopenWithoutMain(process_obj)


class WorkerContext(SpawnContext):
    """The ``spawn`` start method for parse workers, without importing the parent's ``__main__`` there."""

    Process = _WorkerProcess
