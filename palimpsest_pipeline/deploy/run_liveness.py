"""Dead runs are failed, so they stop holding the pools later captures need: a killed run stays STARTED, and
Dagster cannot monitor in-process runs, so each run records its process and stamps a heartbeat;
:func:`sweep_dead_runs` fails a run whose process is gone or whose last heartbeat is past ``DEAD_AFTER_S``."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import dagster as dg
import psutil

log = logging.getLogger(__name__)

HEARTBEAT_S = 10.0
#: Nine missed heartbeats: long enough for a stalled database, short enough for a capture after a kill.
DEAD_AFTER_S = 90.0

TAG_HOST = "palimpsest/host"
TAG_PID = "palimpsest/pid"
TAG_PID_STARTED = "palimpsest/pid_started"
TAG_HEARTBEAT = "palimpsest/heartbeat"

IN_PROGRESS = (
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
)


@dataclass(frozen=True)
class RunLife:
    """What a run's tags say about the process executing it."""

    host: str | None
    pid: int | None
    pid_started: float | None
    heartbeat: datetime | None

    @classmethod
    def from_tags(cls, tags: dict[str, str]) -> RunLife:
        def number(key: str) -> float | None:
            try:
                return float(tags[key])
            except (KeyError, ValueError):
                return None

        try:  # a garbled tag is no heartbeat: it must not make the whole sweep raise
            beat: datetime | None = datetime.fromisoformat(tags.get(TAG_HEARTBEAT) or "")
        except ValueError:
            beat = None
        pid = number(TAG_PID)
        return cls(tags.get(TAG_HOST), None if pid is None else int(pid), number(TAG_PID_STARTED), beat)


def dead_reason(
    life: RunLife, *, now: datetime, this_host: str, process_alive: Callable[[int, float | None], bool]
) -> str | None:
    """Pure: why an in-progress run is dead, or None when it may be alive (or never said either way)."""
    if life.heartbeat is None:
        return None
    if life.host == this_host and life.pid is not None:
        # the process is the evidence: a running one with a stalled heartbeat may still be writing
        if process_alive(life.pid, life.pid_started):
            return None
        return f"its process {life.pid} on {this_host} is gone (last heartbeat {life.heartbeat.isoformat()})"
    silent = (now - life.heartbeat).total_seconds()
    if silent > DEAD_AFTER_S:
        return f"no heartbeat for {silent:.0f} s (limit {DEAD_AFTER_S:.0f} s) from {life.host}:{life.pid}"
    return None


def process_alive(pid: int, started: float | None) -> bool:
    """Whether ``pid`` runs and is the process that started at ``started`` (not a reused pid)."""
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return False
        return started is None or abs(process.create_time() - started) < 1.0
    except psutil.Error:
        return False


class _Heartbeat:
    """One per process: stamps the runs this process executes until each ends."""

    _lock = threading.Lock()
    _instance: _Heartbeat | None = None

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._runs: dict[str, dg.DagsterInstance] = {}
        self._failing_since: dict[str, float] = {}  # run id -> monotonic time of its first failed beat
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="palimpsest-heartbeat", daemon=True)
        self._thread.start()

    @classmethod
    def get(cls) -> _Heartbeat:
        with cls._lock:
            if cls._instance is None or not cls._instance._thread.is_alive():
                cls._instance = cls()
            return cls._instance

    def add(self, instance: dg.DagsterInstance, run_id: str) -> None:
        with self._lock:
            known = run_id in self._runs
            self._runs[run_id] = instance
        if not known:
            runner = run_process(instance, run_id)
            instance.add_run_tags(
                run_id,
                {
                    TAG_HOST: socket.gethostname(),
                    TAG_PID: str(runner.pid),
                    TAG_PID_STARTED: f"{runner.create_time():.3f}",
                    TAG_HEARTBEAT: datetime.now(UTC).isoformat(),
                },
            )

    def _loop(self) -> None:
        while not self._wake.wait(HEARTBEAT_S):
            self.beat()

    def beat(self) -> None:
        """Stamp every run this process executes; forget the finished ones."""
        with self._lock:
            runs = list(self._runs.items())
        for run_id, instance in runs:
            try:
                run = instance.get_run_by_id(run_id)
                if run is None or run.is_finished:
                    self._forget(run_id)
                    continue
                instance.add_run_tags(run_id, {TAG_HEARTBEAT: datetime.now(UTC).isoformat()})
                self._failing_since.pop(run_id, None)
            except Exception:  # a storage hiccup must not kill the heartbeat (the run would look dead)
                self._beat_failed(run_id)

    def _beat_failed(self, run_id: str) -> None:
        """Log a run's first failed beat; stop beating for it once its storage has failed for ``DEAD_AFTER_S``
        (its instance is gone, e.g. a test's temporary one, and the sweep judges the run without us)."""
        now = self._clock()
        first = self._failing_since.setdefault(run_id, now)
        if first == now:
            log.warning("heartbeat of run %s failed", run_id, exc_info=True)
        elif now - first > DEAD_AFTER_S:
            log.warning(
                "heartbeat of run %s: its run storage failed for %.0f s, beating stops", run_id, now - first
            )
            self._forget(run_id)

    def _forget(self, run_id: str) -> None:
        with self._lock:
            self._runs.pop(run_id, None)
        self._failing_since.pop(run_id, None)


def run_process(instance: dg.DagsterInstance, run_id: str) -> psutil.Process:
    """The process that runs the run: the one Dagster recorded starting it (the pid of the run's latest
    ``RUN_START`` event, the run worker on every launcher path), when that is this process or one of its
    ancestors; else this process."""
    this = psutil.Process()
    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.RUN_START, limit=1, ascending=False
    ).records
    event = records[0].event_log_entry.dagster_event if records else None
    if event is not None and event.pid is not None:
        # an ancestor that ends while being read leaves this process as what is left of the run
        with contextlib.suppress(psutil.Error):
            for process in (this, *this.parents()):
                if process.pid == event.pid:
                    return process
    return this


def start_heartbeat(instance: dg.DagsterInstance | None, run_id: str | None) -> None:
    """Say, while this process lives and the run is in progress, that this process executes it (not for
    ephemeral instances: there is no other process to tell)."""
    if instance is None or not run_id or instance.is_ephemeral:
        return
    _Heartbeat.get().add(instance, run_id)


def sweep_dead_runs(
    instance: dg.DagsterInstance,
    now: datetime | None = None,
    *,
    job_name: str | None = None,
    tags: dict[str, str] | None = None,
) -> list[tuple[str, str]]:
    """Fail every in-progress run (of ``job_name`` with ``tags``, when given) whose process is dead and free
    its pool slots; (run id, reason) each."""
    moment = now or datetime.now(UTC)
    this_host = socket.gethostname()
    swept: list[tuple[str, str]] = []
    runs = dg.RunsFilter(statuses=list(IN_PROGRESS), job_name=job_name, tags=tags or {})
    for record in instance.get_run_records(filters=runs):
        run = record.dagster_run
        reason = dead_reason(
            RunLife.from_tags(dict(run.tags)),
            now=moment,
            this_host=this_host,
            process_alive=process_alive,
        )
        if reason is None:
            continue
        instance.report_run_failed(run, f"run {run.run_id} is dead: {reason}")
        if instance.event_log_storage.supports_global_concurrency_limits:
            instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        swept.append((run.run_id, reason))
    return swept
