"""How a parse worker process starts and ends: spawned without its parent's ``__main__``, at lower priority,
deaf to Ctrl-C, gone without the interpreter's teardown, and exiting once reparented (a pool worker never
notices its parent die).
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
    """Pool initializer (in the worker): yield the CPU to the event loop, ignore Ctrl-C (the parent decides
    how to stop), collect garbage as rarely as the capture's process (gc_tuning.py), exit with the parent."""
    atexit.register(_exit_without_teardown)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(CAPTURE_GC_THRESHOLD0, *gc.get_threshold()[1:])
    if niceness > 0:
        with contextlib.suppress(OSError, AttributeError):  # not permitted / not POSIX: normal priority
            os.nice(niceness)
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="exit-with-parent", daemon=True).start()


def _exit_without_teardown() -> None:
    """A worker's last step (the first atexit call): end the process now, its streams and log handlers
    flushed, without the interpreter freeing the parsers' caches object by object: it holds no data."""
    logging.shutdown()
    os._exit(0)


def _watch_parent(parent_pid: int) -> None:
    """End this process once ``parent_pid`` is no longer its parent: a worker holds no data of its own, and
    its parent's work died with it."""
    while os.getppid() == parent_pid:
        time.sleep(PARENT_CHECK_S)
    os._exit(0)


#: What ``spawn`` tells a child about its parent's ``__main__`` (which the child would then import again).
_MAIN_KEYS = ("init_main_from_name", "init_main_from_path")


class _PopenWithoutMain(popen_spawn_posix.Popen):
    """CPython 3.11's ``popen_spawn_posix.Popen._launch``, less the parent's ``__main__``, whose whole world
    a worker (handed module-level functions only) would import for nothing."""

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
