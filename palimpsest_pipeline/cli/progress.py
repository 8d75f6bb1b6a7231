"""Follow a Dagster run from the CLI, never silent: which step runs, how far each book is, elapsed time.

It reads the run's event log, so it follows a run executed anywhere: a terminal gets a live ``rich``
display, a pipe timestamped lines and a heartbeat every ``HEARTBEAT_S`` of silence.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

import dagster as dg

from palimpsest_pipeline.deploy.progress_log import ProgressRecord, parse_progress

#: A line at least this often while a run works (the first-hour issue asks for 10 s at most).
HEARTBEAT_S = 5.0
POLL_S = 0.5
#: How often the timer thread asks for a heartbeat (the display decides whether one is due).
TICK_S = 1.0

_STEP_EVENTS = {"STEP_START": "started", "STEP_SUCCESS": "succeeded", "STEP_FAILURE": "failed"}


@dataclass
class ProgressState:
    """What the run has done so far, as the follower saw it."""

    started: float
    running: dict[str, float] = field(default_factory=dict)
    finished: dict[str, str] = field(default_factory=dict)
    #: The run's failure message, once it failed (Dagster reports a Ctrl-C inside a step this way).
    run_failure: str | None = None

    def step(self, step: str, status: str, now: float) -> None:
        if status == "started":
            self.running[step] = now
        else:
            self.running.pop(step, None)
            self.finished[step] = status

    def kept(self) -> str:
        """The steps that finished successfully: what an interrupted run leaves stored."""
        done = [step for step, status in self.finished.items() if status == "succeeded"]
        return ", ".join(done) if done else "nothing"


def describe(record: ProgressRecord) -> str:
    """``odds capture ng: 250/1,000 events (ok 740, failed 2)``, ``catalogue gh betpawa: 120 responses``."""
    who = " ".join(part for part in (record.step, record.site_country, record.book) if part)
    amount = f"{record.done:,}" if record.total is None else f"{record.done:,}/{record.total:,}"
    detail = f" ({record.detail})" if record.detail else ""
    unit = record.unit.removesuffix("s") if record.done == 1 and record.total is None else record.unit
    return f"{who}: {amount} {unit}{detail}"


class PlainDisplay:
    """Timestamped lines for logs; a heartbeat names the running steps when nothing else was said."""

    def __init__(
        self,
        write: Callable[[str], None],
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], datetime] = lambda: datetime.now(UTC),
        heartbeat_s: float = HEARTBEAT_S,
    ) -> None:
        self._write = write
        self._clock = clock
        self._wall = wall
        self._heartbeat_s = heartbeat_s
        self.state = ProgressState(started=clock())
        self._last_line = self.state.started
        self._lock = threading.Lock()  # the follower's thread and the heartbeat's both write

    def _line(self, text: str) -> None:
        now = self._clock()
        self._last_line = now
        self._write(f"[{self._wall():%H:%M:%S}] +{now - self.state.started:5.0f}s {text}")

    def step(self, step: str, status: str, reason: str | None = None) -> None:
        with self._lock:
            now = self._clock()
            began = self.state.running.get(step)
            self.state.step(step, status, now)
            took = "" if began is None else f" in {now - began:.1f}s"
            self._line(f"{step} {status}{took}" + (f": {reason}" if reason else ""))

    def progress(self, record: ProgressRecord) -> None:
        with self._lock:
            self._line(describe(record))

    def tick(self) -> None:
        with self._lock:
            now = self._clock()
            if now - self._last_line < self._heartbeat_s:
                return
            running = ", ".join(
                f"{step} ({now - since:.0f}s)" for step, since in sorted(self.state.running.items())
            )
            self._line(f"working: {running or 'starting the run'}")

    def close(self) -> None:
        return None


class RichDisplay:
    """A live terminal display: a bar per (step, book) and the running steps, redrawn in place."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.state = ProgressState(started=time.monotonic())
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            console=Console(file=stream),
            transient=False,
        )
        self._tasks: dict[tuple[str, str | None, str | None], Any] = {}
        self._steps: dict[str, Any] = {}
        self._progress.start()

    def step(self, step: str, status: str, reason: str | None = None) -> None:
        self.state.step(step, status, time.monotonic())
        if status == "started":
            self._steps[step] = self._progress.add_task(f"[bold]{step}", total=None, detail="")
        elif step in self._steps:
            mark = "[green]done" if status == "succeeded" else f"[red]FAILED {reason or ''}"
            self._progress.update(self._steps[step], total=1, completed=1, detail=mark)

    def progress(self, record: ProgressRecord) -> None:
        key = record.key()
        label = "  " + " ".join(part for part in key if part) + f" ({record.unit})"
        if key not in self._tasks:
            self._tasks[key] = self._progress.add_task(label, total=record.total, detail="")
        self._progress.update(
            self._tasks[key], completed=record.done, total=record.total, detail=record.detail or ""
        )

    def tick(self) -> None:
        return None  # rich redraws on its own; elapsed columns keep moving

    def close(self) -> None:
        self._progress.stop()


Display = PlainDisplay | RichDisplay


def line_writer(stream: TextIO) -> Callable[[str], None]:
    """Writes one whole line and flushes it (a pipe sees it at once; threads never split a line)."""

    def write(line: str) -> None:
        stream.write(line + "\n")
        stream.flush()

    return write


def make_display(stream: TextIO = sys.stdout) -> Display:
    """The live display on a terminal, timestamped lines otherwise."""
    return RichDisplay(stream) if stream.isatty() else PlainDisplay(line_writer(stream))


@contextlib.contextmanager
def ticking(tick: Callable[[], None], every_s: float = TICK_S) -> Iterator[None]:
    """``tick()`` every ``every_s`` seconds from a timer thread while the block runs, however it blocks."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every_s):
            tick()

    thread = threading.Thread(target=loop, name="progress-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@contextlib.contextmanager
def heartbeat(
    what: str,
    doing: str,
    *,
    write: Callable[[str], None] | None = None,
    every_s: float = HEARTBEAT_S,
    tick_s: float = TICK_S,
) -> Iterator[None]:
    """Say ``<what>: <doing> ...`` now, then ``<what>: still <doing> (N s)`` every ``every_s`` seconds until
    the block ends: a blocking step outside a run (a server starting, migrations) is never silent."""
    say = write or line_writer(sys.stdout)
    say(f"{what}: {doing} ...")
    started = last = time.monotonic()

    def tick() -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= every_s:
            last = now
            say(f"{what}: still {doing} ({now - started:.0f} s)")

    with ticking(tick, tick_s):
        yield


class RunFollower:
    """Follows the run tagged ``tag`` in ``instance`` on a background thread, feeding ``display``."""

    def __init__(self, instance: dg.DagsterInstance, tag: tuple[str, str], display: Display) -> None:
        self._instance = instance
        self._tag = tag
        self.display = display
        self.run_id: str | None = None
        self._cursor: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="run-follower", daemon=True)
        self._heartbeat = contextlib.ExitStack()

    def __enter__(self) -> RunFollower:
        self._heartbeat.enter_context(ticking(self.display.tick))
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._heartbeat.close()
        self._drain()  # the run's last events (its last step's end) arrive as it finishes
        self.display.close()

    def _loop(self) -> None:
        while not self._stop.wait(POLL_S):
            try:
                self._drain()
            except Exception as error:  # never let display trouble kill the run being shown
                self.display.progress(ProgressRecord("progress display", 0, detail=f"error: {error}"))

    def _drain(self) -> None:
        if self.run_id is None:
            runs = self._instance.get_runs(filters=dg.RunsFilter(tags={self._tag[0]: self._tag[1]}), limit=1)
            if not runs:
                return
            self.run_id = runs[0].run_id
        while True:
            batch = self._instance.get_records_for_run(self.run_id, cursor=self._cursor, limit=500)
            for record in batch.records:
                self._show(record.event_log_entry)
            self._cursor = batch.cursor
            if not batch.has_more:
                return

    def _show(self, entry: Any) -> None:
        event = entry.dagster_event
        if event is None:
            parsed = parse_progress(entry.user_message or "")
            if parsed is not None:
                self.display.progress(parsed)
            return
        if event.event_type == dg.DagsterEventType.RUN_FAILURE:  # its value is still "PIPELINE_FAILURE"
            self.display.state.run_failure = f"{event.message or ''} {entry.user_message or ''}".strip()
        status = _STEP_EVENTS.get(event.event_type_value)
        if status is not None and event.step_key:
            reason = _first_line(getattr(event.event_specific_data, "error", None))  # a failure's, or None
            self.display.step(event.step_key, status, reason)


def _first_line(error: Any) -> str | None:
    """The first line of a step failure's error message (the whole trace stays in the run's log)."""
    lines = (getattr(error, "message", None) or "").strip().splitlines()
    return lines[0][:200] if lines else None
