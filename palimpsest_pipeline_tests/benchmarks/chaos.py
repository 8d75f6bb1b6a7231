"""Chaos benchmark (``make chaos``): every fault on every book, hostile values, and kill -9 of the run.

Not collected by pytest (``deployment/test_chaos_small.py`` runs a small version). Against the sandbox with
its clock frozen (``CHAOS_SIZE`` events per book), one throw-away database per run:

1. **reference**: the pipeline for ``CHAOS_DAYS`` kick-off dates with no fault;
2. **fault matrix**: one fault or hostile value on one book at ``CHAOS_RATE`` of its requests; per cell
   ``lost_outside``, ``unexplained``, ``crashes``, ``duplicates`` and ``partial_partitions`` (another book's
   players set aside for want of the roster the faulted book lends are its loss: ``lost_for_faulted_roster``);
3. **truth matrix** (``chaos_truth.py``): faults that answer well-formed but wrong, and machine faults, each
   reporting ``false_withdrawals``, ``wrong_current_prices``, ``rows_lost`` and ``healthy_runs_failed``; and
   ``payload_drift`` (``chaos_drift.py``) on each book: its details switch to a shape the parsers misread,
   reporting ``wrong_prices_in_comparison``, ``rows_lost``, ``healthy_runs_failed`` and ``drift_alerted``;
   and ``archive_replay_of_outage`` (``chaos_replay.py``) on each book: an outage the live runs refused,
   rebuilt by the archive backfill, reporting the truth figures and ``outage_replays_missing``; and
   ``live_starts_book_down`` (``chaos_live_starts.py``): the live watcher polling through a day's kick-offs,
   Bet9ja down for every other one, its matches captured prematch and their live snapshots taken, a
   suspension spell forced at a goal per kick-off; each start, each retention row's figures and each in-play
   suspension row judged against the world's (``live_start_mismatches``, retention's and suspension's
   included: ``inplay_suspension_mismatches`` among them);
4. **kill -9**: ``CHAOS_KILLS`` rounds, the pipeline SIGKILLed inside each step in turn then rerun; the final
   tables must equal the reference with no duplicate and no partial partition seen.

Every count must be zero for ``ok`` (docs/benchmarks.md). The last line printed is one JSON object.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import psycopg
import yaml

from palimpsest_pipeline.cli.refresh import refresh_now
from palimpsest_pipeline.definitions import ALL_ASSETS
from palimpsest_pipeline.defs.automation import capture_job, odds_kickoff_window_sensors
from palimpsest_pipeline.defs.resources import BooksResource, ClockResource, WarehouseResource
from palimpsest_pipeline.deploy.pools import odds_pool
from palimpsest_pipeline.partition_keys import partition_key
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.warehouse.config import (
    DAGSTER_DRIVER,
    create_database,
    embedded_server_home,
    libpq_url,
    with_database,
    with_driver,
)
from palimpsest_pipeline.warehouse.embedded.server import ensure_embedded_server
from palimpsest_pipeline.warehouse.migrate import migrate
from palimpsest_pipeline_tests.benchmarks.chaos_drift import CELL as DRIFT_CELL
from palimpsest_pipeline_tests.benchmarks.chaos_drift import DriftFigures, run_payload_drift_cell
from palimpsest_pipeline_tests.benchmarks.chaos_live_starts import CELL as LIVE_STARTS_CELL
from palimpsest_pipeline_tests.benchmarks.chaos_live_starts import LiveStartFigures, run_live_starts_cell
from palimpsest_pipeline_tests.benchmarks.chaos_live_suspension import SUSPENSION_MISMATCHES
from palimpsest_pipeline_tests.benchmarks.chaos_memory import ChildPipeline
from palimpsest_pipeline_tests.benchmarks.chaos_replay import CELL as REPLAY_CELL
from palimpsest_pipeline_tests.benchmarks.chaos_replay import ReplayFigures, run_archive_replay_cell
from palimpsest_pipeline_tests.benchmarks.chaos_snapshot import CellFigures, Snapshot, compare, snapshot
from palimpsest_pipeline_tests.benchmarks.chaos_truth import (
    CELL_BOOKS,
    DATA_FAULTS,
    MACHINE_CELLS,
    MEMORY_BOUND_CELLS,
    TruthFigures,
    TruthState,
    compare_truth,
    read_truth_state,
    run_data_cell,
    run_postgres_restart,
)
from palimpsest_pipeline_tests.deployment import multistep_job
from palimpsest_pipeline_tests.deployment.liveness_scenarios import run_under_sweep
from palimpsest_pipeline_tests.deployment.pool_spans import held_at_once, step_spans
from palimpsest_pipeline_tests.fixtures_pg import copy_database, drop_database
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox.config import BookBehaviour, FaultConfig, LatencyConfig, SandboxConfig
from palimpsest_sandbox.server import SandboxHandle, start_in_thread

NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
#: The chaos runs Nigeria alone, against the sandbox's Nigerian books.
COUNTRY = "ng"
#: Nigeria's assets, the traders' report left out (the page adds nothing here).
PIPELINE = [asset for asset in ALL_ASSETS if all(key.path[0] == COUNTRY for key in asset.keys)]
TRANSPORT_FAULTS: dict[str, dict[str, Any]] = {
    "throttle_429": {"throttle_429": 1.0, "retry_after_s": 1},
    "throttle_403": {"throttle_403": 1.0, "retry_after_s": 1},
    "server_error": {"server_error": 1.0},
    "hang": {"hang": 1.0, "hang_s": 20.0},
    "dropped_connection": {"dropped_connection": 1.0},
    "truncated_json": {"truncated_json": 1.0},
    "html_block_page": {"html_block_page": 1.0},
    "error_envelope": {"error_envelope": 1.0},
}
HOSTILE_KINDS = (
    "nul", "long_text", "wrong_type", "conflicting_duplicate", "unknown_market", "long_digits", "huge_number"
)  # fmt: skip
TRUTH_FIGURES = (
    "false_withdrawals", "wrong_current_prices", "rows_lost", "healthy_runs_failed", "unexpected_status",
    "requests_past_bound",
)  # fmt: skip
_PARTITIONED = ("matched_events", "coverage_overall", "coverage_by_tournament", "odds_comparison")

#: Nigeria's capture pool and the step that claims it (Dagster's executor, as the step starts).
NG_CAPTURE_POOL = odds_pool(COUNTRY)
NG_CAPTURE_STEP = f"{COUNTRY}__odds_snapshots"


def catalogue_step(book: Book) -> str:
    """The step of ``book``'s Nigerian catalogue: the one step a fault on ``book`` may fail."""
    return f"{COUNTRY}__{book.value}_catalogue"


def fault_cells(rate: float) -> dict[str, FaultConfig]:
    """Every fault kind at ``rate`` of a book's requests."""
    cells = {
        name: FaultConfig(
            **{k: (v * rate if isinstance(v, float) and v == 1.0 else v) for k, v in cfg.items()}
        )
        for name, cfg in TRANSPORT_FAULTS.items()
    }
    for kind in HOSTILE_KINDS:
        cells[f"hostile_{kind}"] = FaultConfig(hostile_values=rate, hostile_kind=kind)
    return cells


# ------------------------------------------------------------------------------------------- plumbing


@contextmanager
def scratch_database(server: str, name: str, template: str | None = None) -> Iterator[str]:
    drop_database(server, name)
    if template is None:
        create_database(server, name)
    else:
        copy_database(server, name, template)
    try:
        yield with_database(server, name)
    finally:
        drop_database(server, name)


class PartitionWatcher:
    """Polls the partitioned analytics tables while a run writes them: a partition holding rows of two
    different writes (two ``computed_at``) at once is a partial partition a reader could see."""

    def __init__(self, url: str) -> None:
        self._url = libpq_url(url)
        self._stop = threading.Event()
        self.partial = 0
        self.polls = 0
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> PartitionWatcher:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(10)

    def _loop(self) -> None:
        query = " UNION ALL ".join(
            f"(SELECT count(*) FROM (SELECT kickoff_date FROM analytics.{t} GROUP BY kickoff_date "
            f"HAVING count(DISTINCT computed_at) > 1) AS x{i})"
            for i, t in enumerate(_PARTITIONED)
        )
        with psycopg.connect(self._url, autocommit=True) as conn:
            while not self._stop.wait(0.05):
                try:
                    self.partial += sum(n for (n,) in conn.execute(query))
                    self.polls += 1
                except psycopg.Error:
                    pass  # tables not created yet


def resources(url: str, sandbox: SandboxHandle, now: datetime = NOW) -> dict[str, object]:
    return {
        "warehouse": WarehouseResource(database_url=url),
        "books": BooksResource(
            base_urls={f"ng/{book.value}": sandbox.base_urls[book] for book in NIGERIA_BOOKS}
        ),
        "clock": ClockResource(fixed_utc=now.isoformat()),
    }


def range_tags(first: date, last: date) -> dict[str, str]:
    """One run over kick-off dates ``first`` .. ``last`` (the country is in the assets' keys)."""
    return {
        "dagster/asset_partition_range_start": partition_key(first),
        "dagster/asset_partition_range_end": partition_key(last),
    }


def run_pipeline(
    url: str,
    sandbox: SandboxHandle,
    first: date,
    last: date,
    instance: dg.DagsterInstance | None = None,
    now: datetime = NOW,
) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        PIPELINE,
        resources=resources(url, sandbox, now),
        tags=range_tags(first, last),
        raise_on_error=False,
        instance=instance,
    )


def failed_steps(result: dg.ExecuteInProcessResult) -> list[str]:
    return sorted({event.step_key or "?" for event in result.all_events if event.is_step_failure})


def run_cell(
    server: str, template: str, sandbox: SandboxHandle, days: tuple[date, date], name: str,
    book: Book | None, faults: FaultConfig | None, reference: Snapshot | None,
) -> tuple[CellFigures, Snapshot]:  # fmt: skip
    figures = CellFigures(name, None if book is None else book.value)
    previous = None if book is None else sandbox.set_faults(book, faults)
    started = time.monotonic()
    try:
        with scratch_database(server, f"palimpsest_chaos_{os.getpid()}_cell", template) as url:
            with PartitionWatcher(url) as watcher:
                try:
                    result = run_pipeline(url, sandbox, *days)
                    figures.failed_steps = failed_steps(result)
                except Exception as error:  # the harness itself must not stop: a crash is a figure
                    figures.failed_steps = [f"crash: {error!r}"]
            figures.partial_partitions = watcher.partial
            with psycopg.connect(libpq_url(url)) as conn:
                seen = snapshot(conn)
    finally:
        if book is not None and previous is not None:
            sandbox.set_behaviour(book, previous)
    own_catalogue = catalogue_step(book) if book is not None else None
    figures.crashes = sum(1 for step in figures.failed_steps if step != own_catalogue)
    if reference is not None:
        compare(reference, seen, figures.book, figures)
    figures.wall_s = round(time.monotonic() - started, 1)
    return figures, seen


# ------------------------------------------------------------------------------------------- kill -9

CHILD = Path(__file__).with_name("chaos_child.py")


def kill_round(
    server: str, template: str, sandbox: SandboxHandle, days: tuple[date, date], reference: Snapshot,
    at_s: float | None, name: str,
) -> tuple[CellFigures, float, dict[str, tuple[float, float]]]:  # fmt: skip
    """Run the pipeline in a child, SIGKILL it ``at_s`` seconds in (None: let it finish), rerun in this
    process on the same instance and compare with the reference. Returns the figures, the child's own wall
    time (up to the kill) and each of its steps' (start, end) in seconds from its spawn. ``failed_steps``
    names the steps the kill interrupted ("killed in ...")."""
    figures = CellFigures(name, None)
    started = time.monotonic()
    with (
        scratch_database(server, f"palimpsest_chaos_{os.getpid()}_kill", template) as url,
        scratch_database(server, f"palimpsest_chaos_{os.getpid()}_dagster") as dagster_url,
        tempfile.TemporaryDirectory() as home,
    ):
        storage = with_driver(dagster_url, DAGSTER_DRIVER)
        (Path(home) / "dagster.yaml").write_text(
            yaml.safe_dump({"storage": {"postgres": {"postgres_url": storage}}})
        )
        env = {**os.environ, "DAGSTER_HOME": home}
        urls = json.dumps({f"ng/{book.value}": sandbox.base_urls[book] for book in NIGERIA_BOOKS})
        # The instance's storage is created before the run, as a deployment migrates it before its first run:
        # a kill while the child created Dagster's own schema would test Dagster, not the pipeline.
        with dg.DagsterInstance.from_config(home):
            pass
        with PartitionWatcher(url) as watcher:
            child = subprocess.Popen(
                [sys.executable, str(CHILD), url, urls, NOW.isoformat(),
                 days[0].isoformat(), days[1].isoformat()],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            child_started, spawned_at = time.monotonic(), time.time()
            try:
                child.wait(at_s)
                if at_s is not None:
                    figures.failed_steps.append("child finished before the kill")
            except subprocess.TimeoutExpired:
                os.kill(child.pid, signal.SIGKILL)
                child.wait(30)
            child_wall = time.monotonic() - child_started
            with dg.DagsterInstance.from_config(home) as instance:
                windows = step_windows(instance, spawned_at)
                if at_s is not None and child.returncode == -signal.SIGKILL:
                    interrupted = steps_in_progress(instance)
                    where = ", ".join(interrupted) or ("between steps" if windows else "start-up")
                    figures.failed_steps.append(f"killed in {where}")
                result = run_pipeline(url, sandbox, *days, instance=instance)
                figures.failed_steps += failed_steps(result)
        figures.partial_partitions = watcher.partial
        figures.crashes = len([s for s in figures.failed_steps if not s.startswith(("child", "killed"))])
        with psycopg.connect(libpq_url(url)) as conn:
            seen = snapshot(conn)
        compare(reference, seen, None, figures)
    figures.wall_s = round(time.monotonic() - started, 1)
    return figures, child_wall, windows


def step_windows(instance: dg.DagsterInstance, spawned_at: float) -> dict[str, tuple[float, float]]:
    """(start, end) of each step of the instance's run, in seconds from the child's spawn: from its
    STEP_START (the run's planning events name every step at once) to its last event."""
    windows: dict[str, tuple[float, float]] = {}
    for run in instance.get_runs():
        for record in instance.all_logs(run.run_id):
            event = record.dagster_event
            if event is None or event.step_key is None:
                continue
            at = record.timestamp - spawned_at
            if event.event_type_value == "STEP_START":
                windows[event.step_key] = (at, at)
            elif event.step_key in windows:
                windows[event.step_key] = (windows[event.step_key][0], at)
    return windows


def steps_in_progress(instance: dg.DagsterInstance) -> list[str]:
    """The steps the killed run (the instance's only run) had started and not finished."""
    runs = instance.get_runs()
    if not runs:
        return []
    started: list[str] = []
    finished: set[str] = set()
    for record in instance.all_logs(runs[-1].run_id):
        event = record.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type_value == "STEP_START":
            started.append(event.step_key)
        elif event.is_step_success or event.is_step_failure or event.is_step_skipped:
            finished.add(event.step_key)
    return [step for step in started if step not in finished]


def real_kill(
    server: str, template: str, sandbox: SandboxHandle, days: tuple[date, date], reference: Snapshot,
    at_s: float, name: str, rng: random.Random,
) -> CellFigures:  # fmt: skip
    """A kill round at ``at_s``; when the child finishes first, again at an earlier moment (three more
    tries), so the round's figures are those of a run really killed."""
    for _attempt in range(4):
        figures, _, _ = kill_round(server, template, sandbox, days, reference, at_s, f"{name}_at_{at_s:.1f}s")
        if "child finished before the kill" not in figures.failed_steps:
            break
        at_s = rng.uniform(1.0, max(1.0, at_s * 0.7))
    return figures


def kill_rounds(
    server: str, template: str, sandbox: SandboxHandle, days: tuple[date, date], reference: Snapshot,
    kills: int, rng: random.Random,
) -> list[CellFigures]:  # fmt: skip
    """A calibration round (the child uninterrupted: its wall time, its steps' windows, and its tables
    against the reference), then ``kills`` rounds, each SIGKILLed at a random moment inside one step's
    window, the steps taken in turn (catalogues, capture, matching, coverage, comparison), so the kills
    cover every phase however short. A round whose child finishes first is redrawn earlier, so every counted
    round is a real kill; each records the step it really interrupted."""
    calibration, wall, windows = kill_round(
        server, template, sandbox, days, reference, None, "kill_calibration"
    )
    shown = {step: (round(a, 1), round(b, 1)) for step, (a, b) in windows.items()}
    print(f"kill: {asdict(calibration)} (child {wall:.1f} s, steps {shown})", file=sys.stderr)
    phases = sorted(windows.values()) or [(1.0, wall * 0.95)]
    cells = [calibration]
    for round_no in range(kills):
        start, end = phases[round_no % len(phases)]
        at_s = rng.uniform(max(0.5, start), max(start + 0.1, end))
        figures = real_kill(server, template, sandbox, days, reference, at_s, f"kill_{round_no}", rng)
        print(f"kill: {asdict(figures)}", file=sys.stderr)
        cells.append(figures)
    return cells


# ------------------------------------------------------------------------------------------- truth


@dataclass
class CleanCapture:
    """The truth matrix's starting point: a clean run of the pipeline in a fresh child process, in its own
    database ``name`` (``url``); what a reader saw of it, its peak memory, and the child that ran it (which
    runs the memory-bound cells' pipelines, measured alike)."""

    name: str
    url: str
    state: TruthState
    peak_mb: float
    child: ChildPipeline


@contextmanager
def clean_capture(
    server: str, template: str, sandbox: SandboxHandle, days: tuple[date, date]
) -> Iterator[CleanCapture]:
    """A clean run of ``days`` from a copy of ``template``, its database dropped on exit."""
    child = ChildPipeline(dict(sandbox.base_urls), days, NOW)
    clean_name = f"palimpsest_chaos_{os.getpid()}_clean"
    with scratch_database(server, clean_name, template) as clean_url:
        if failed := child.run(clean_url, 0):
            raise RuntimeError(f"the clean run failed: {failed}")
        clean = read_truth_state(clean_url)
        clean_peak_mb = child.take_peak_mb()
        print(f"clean capture: peak RSS {clean_peak_mb} MB (a fresh process)", file=sys.stderr)
        yield CleanCapture(clean_name, clean_url, clean, clean_peak_mb, child)


def truth_cells(
    server: str,
    template: str,
    sandbox: SandboxHandle,
    days: tuple[date, date],
    wanted: Callable[[str], bool],
    pairs: list[tuple[str, Book]] | None = None,
    clean: CleanCapture | None = None,
) -> list[TruthFigures | DriftFigures]:
    """The truth matrix (chaos_truth.py): each data fault, ``payload_drift`` (chaos_drift.py) and
    ``archive_replay_of_outage`` (chaos_replay.py) on each book (or only the (cell, book) ``pairs``) from a
    copy of one clean run (``clean``, else one made here), then the machine cells ``wanted``. The clean run
    and the memory-bound cells run the pipeline in fresh child processes, their memory measured alike
    (chaos_memory.py)."""

    def run(url: str, n: int) -> list[str]:
        return failed_steps(run_pipeline(url, sandbox, *days, now=NOW + timedelta(minutes=n)))

    if clean is None:
        with clean_capture(server, template, sandbox, days) as made:
            cells = _cells_from_clean(server, sandbox, days, wanted, pairs, made, run)
    else:
        cells = _cells_from_clean(server, sandbox, days, wanted, pairs, clean, run)
    if wanted("postgres_restart"):
        with tempfile.TemporaryDirectory(prefix="palimpsest-chaos-pg-") as home:
            cells.append(run_postgres_restart(migrate, run, Path(home)))
        print(f"postgres_restart: {asdict(cells[-1])}", file=sys.stderr)
    if wanted("live_multiprocess_run"):
        cells.append(live_multiprocess_cell(server, template))
        print(f"live_multiprocess_run: {asdict(cells[-1])}", file=sys.stderr)
    return cells


def _cells_from_clean(
    server: str,
    sandbox: SandboxHandle,
    days: tuple[date, date],
    wanted: Callable[[str], bool],
    pairs: list[tuple[str, Book]] | None,
    made: CleanCapture,
    run: Callable[[str, int], list[str]],
) -> list[TruthFigures | DriftFigures]:
    """The truth matrix's cells that start from a copy of the clean run ``made``."""
    child, clean, clean_name, clean_peak_mb = made.child, made.state, made.name, made.peak_mb
    peak_mb = child.take_peak_mb
    cells: list[TruthFigures | DriftFigures] = []

    def clean_copy() -> AbstractContextManager[str]:
        return scratch_database(server, f"palimpsest_chaos_{os.getpid()}_truth", clean_name)

    every = [(name, book) for name in DATA_FAULTS for book in CELL_BOOKS.get(name, NIGERIA_BOOKS)]
    for name, book in pairs or every:
        if wanted(name) and name in DATA_FAULTS and name in MEMORY_BOUND_CELLS:
            cells.append(
                run_data_cell(name, book, sandbox, clean_copy, child.run, clean, clean_peak_mb, peak_mb)
            )
            print(f"{name} on {book.value}: {asdict(cells[-1])}", file=sys.stderr)
        elif wanted(name) and name in DATA_FAULTS:
            cells.append(run_data_cell(name, book, sandbox, clean_copy, run, clean))
            print(f"{name} on {book.value}: {asdict(cells[-1])}", file=sys.stderr)
    for book in [b for name, b in pairs if name == DRIFT_CELL] if pairs else list(NIGERIA_BOOKS):
        if wanted(DRIFT_CELL):
            cells.append(run_payload_drift_cell(book, sandbox, clean_copy, run, clean))
            print(f"{DRIFT_CELL} on {book.value}: {asdict(cells[-1])}", file=sys.stderr)
    for book in [b for name, b in pairs if name == REPLAY_CELL] if pairs else list(NIGERIA_BOOKS):
        if wanted(REPLAY_CELL):
            replay = run_archive_replay_cell(
                book, sandbox, clean_copy, child.run, child.backfill, clean, clean_peak_mb, peak_mb
            )
            cells.append(replay)
            print(f"{REPLAY_CELL} on {book.value}: {asdict(cells[-1])}", file=sys.stderr)
    if wanted("concurrent_refresh"):
        cells.append(concurrent_refresh_cell(server, clean_name, clean, sandbox, days))
        print(f"concurrent_refresh: {asdict(cells[-1])}", file=sys.stderr)
    if wanted("clock_step_back"):
        cells.append(clock_step_back_cell(made.url))
        print(f"clock_step_back: {asdict(cells[-1])}", file=sys.stderr)
    return cells


def concurrent_refresh_cell(
    server: str, clean_name: str, clean: TruthState, sandbox: SandboxHandle, days: tuple[date, date]
) -> TruthFigures:
    """A ``palimpsest refresh`` of 20 events started while a daemon-style capture run of their dates is
    storing, both on one Postgres-backed instance: with the capture pool at 1 the refresh waits its turn,
    at 2 the two runs store the same (event, book) at once. Either way both succeed and every price is
    the book's."""
    figures = TruthFigures("concurrent_refresh", None)
    started = time.monotonic()
    for limit in (1, 2):
        _refresh_beside_capture(server, clean_name, clean, sandbox, days, limit, figures)
    figures.wall_s = round(time.monotonic() - started, 1)
    return figures


def _refresh_beside_capture(
    server: str,
    clean_name: str,
    clean: TruthState,
    sandbox: SandboxHandle,
    days: tuple[date, date],
    limit: int,
    figures: TruthFigures,
) -> None:
    with (
        scratch_database(server, f"palimpsest_chaos_{os.getpid()}_refresh", clean_name) as url,
        scratch_database(server, f"palimpsest_chaos_{os.getpid()}_refresh_dagster") as dagster_url,
        tempfile.TemporaryDirectory() as home,
    ):
        (Path(home) / "dagster.yaml").write_text(
            yaml.safe_dump(
                {
                    "storage": {"postgres": {"postgres_url": with_driver(dagster_url, DAGSTER_DRIVER)}},
                    # Two runs in one process: capturing their output would swap this process's own
                    # stdout and stderr under each other.
                    "compute_logs": {
                        "module": "dagster._core.storage.noop_compute_log_manager",
                        "class": "NoOpComputeLogManager",
                    },
                }
            )
        )
        with dg.DagsterInstance.from_config(home) as instance:
            instance.event_log_storage.set_concurrency_slots(NG_CAPTURE_POOL, limit)
            res = resources(url, sandbox, NOW + timedelta(minutes=1))
            capture = capture_job(COUNTRY)
            job = dg.Definitions(assets=PIPELINE, jobs=[capture], resources=res).resolve_job_def(capture.name)
            with psycopg.connect(libpq_url(url), autocommit=True) as conn:
                sr_ids = [
                    sr_id
                    for (sr_id,) in conn.execute(
                        "SELECT sr_id FROM core.events WHERE deleted_at IS NULL AND sr_id IS NOT NULL "
                        "AND kickoff > %s GROUP BY sr_id HAVING count(DISTINCT book) = %s "
                        "ORDER BY sr_id LIMIT 20",
                        (NOW + timedelta(minutes=5), len(NIGERIA_BOOKS)),
                    )
                ]
                (before,) = conn.execute("SELECT count(*) FROM core.odds_captures").fetchone() or (0,)
                outcome: dict[str, Any] = {}
                capturing = threading.Thread(
                    target=lambda: outcome.update(
                        capture=job.execute_in_process(
                            instance=instance, tags=range_tags(*days), raise_on_error=False
                        )
                    )
                )
                capturing.start()
                while capturing.is_alive():  # until the capture has stored its first events
                    (now,) = conn.execute("SELECT count(*) FROM core.odds_captures").fetchone() or (0,)
                    if now > before:
                        break
                    time.sleep(0.05)
                overlapped = capturing.is_alive()
            lines: list[str] = []
            code = refresh_now(sr_ids, resources=res, instance=instance, echo=lines.append, country=COUNTRY)
            capturing.join()
            result: dg.ExecuteInProcessResult = outcome["capture"]
            held_together = held_at_once(step_spans(instance, NG_CAPTURE_STEP))
        figures.failed_steps += failed_steps(result) + ([f"refresh exit {code}"] if code else [])
        figures.healthy_runs_failed += (not result.success) + (code != 0)
        compare_truth(clean, read_truth_state(url), figures)
        figures.notes.append(
            f"pool limit {limit}: refresh of {len(sr_ids)} events started while the capture stored: "
            f"{overlapped}; both runs held the capture pool at once: {held_together}"
            + ("" if code == 0 else f"; refresh said {lines[-3:]}")
        )


def clock_step_back_cell(url: str) -> TruthFigures:
    """The odds sensor evaluated an hour fast, then at the true time (NTP stepped the clock back): every tier
    with events must be queued at once. A tier left silent counts as a healthy capture not run."""
    figures = TruthFigures("clock_step_back", None)
    started = time.monotonic()

    def evaluate(now: datetime, cursor: str | None) -> dg.SensorResult:
        context = dg.build_sensor_context(
            instance=dg.DagsterInstance.ephemeral(),
            cursor=cursor,
            resources={
                "warehouse": WarehouseResource(database_url=url),
                "clock": ClockResource(fixed_utc=now.isoformat()),
            },
        )
        result = odds_kickoff_window_sensors[0](context)  # Nigeria's
        assert isinstance(result, dg.SensorResult)
        return result

    def queued(resets: int) -> set[str]:
        with psycopg.connect(libpq_url(url)) as conn:
            rows = conn.execute(
                "SELECT tier FROM core.capture_requests WHERE requested_at = %s AND resets = %s",
                (NOW, resets),
            ).fetchall()
        return {tier for (tier,) in rows}

    fast = evaluate(NOW + timedelta(hours=1), None)
    evaluate(NOW, fast.cursor)
    requested = queued(1)  # the tiers reset by the step, queued again under their reset count
    evaluate(NOW, None)  # what a sensor with no history queues at the true time
    due = queued(0)
    figures.healthy_runs_failed = len(due - requested)
    figures.notes.append(
        f"tiers due at the true time {sorted(due)}, requested after the step {sorted(requested)}"
    )
    figures.wall_s = round(time.monotonic() - started, 1)
    return figures


def live_multiprocess_cell(server: str, template: str) -> TruthFigures:
    """A 20-step run under Dagster's multi-process executor on a Postgres-backed instance, the dead-run sweep
    ticking every second from another thread: the run must end SUCCESS, never swept."""
    figures = TruthFigures("live_multiprocess_run", None)
    started = time.monotonic()
    with (
        scratch_database(server, f"palimpsest_chaos_{os.getpid()}_steps", template) as url,
        scratch_database(server, f"palimpsest_chaos_{os.getpid()}_steps_dagster") as dagster_url,
        tempfile.TemporaryDirectory() as home,
    ):
        storage = with_driver(dagster_url, DAGSTER_DRIVER)
        (Path(home) / "dagster.yaml").write_text(
            yaml.safe_dump({"storage": {"postgres": {"postgres_url": storage}}})
        )
        with dg.DagsterInstance.from_config(home) as instance:
            outcome = run_under_sweep(instance, url, multistep_job.chain_of_20, tick_s=1.0)
    figures.healthy_runs_failed = outcome.healthy_runs_failed
    figures.failed_steps = [f"swept: {reason}" for _, reason in outcome.swept]
    figures.notes.append(f"20 steps, {outcome.sweeps} sweeps while it ran, ended {outcome.status.value}")
    figures.wall_s = round(time.monotonic() - started, 1)
    return figures


def live_starts_cells(
    server: str, template: str, sandbox: SandboxHandle, config: SandboxConfig, wanted: Callable[[str], bool]
) -> list[LiveStartFigures]:
    """The live-starts cell (chaos_live_starts.py) on the chaos day, in its own copy of the template."""
    if not wanted(LIVE_STARTS_CELL):
        return []

    def database() -> AbstractContextManager[str]:
        return scratch_database(server, f"palimpsest_chaos_{os.getpid()}_live_starts", template)

    figures = run_live_starts_cell(sandbox, database, NOW.date(), NOW, config)
    print(f"{LIVE_STARTS_CELL}: {asdict(figures)}", file=sys.stderr)
    return [figures]


def live_summary(size: int, live: list[LiveStartFigures], only: str | None) -> dict[str, Any]:
    """The live cells' totals (every mismatch, and the in-play suspension's on their own), and the whole
    result when they ran alone (``CHAOS_CELLS``)."""
    totals = {
        "live_start_mismatches": sum(c.wrong() for c in live),
        "inplay_suspension_mismatches": sum(c.mismatches[k] for c in live for k in SUSPENSION_MISMATCHES),
    }
    return {
        "size": size,
        "only": only,
        "live_cells": [asdict(c) for c in live],
        "totals": totals,
        "ok": all(v == 0 for v in totals.values()) and bool(live),
    }


# ------------------------------------------------------------------------------------------- main


def main() -> dict[str, Any]:
    size = int(os.environ.get("CHAOS_SIZE", "1000"))
    n_days = int(os.environ.get("CHAOS_DAYS", "1"))
    rate = float(os.environ.get("CHAOS_RATE", "0.3"))
    kills = int(os.environ.get("CHAOS_KILLS", "10"))
    only = os.environ.get("CHAOS_CELLS")  # comma-separated cell names, for a partial run
    rng = random.Random(int(os.environ.get("CHAOS_SEED", "5")))
    days = (NOW.date(), NOW.date() + timedelta(days=n_days - 1))
    server = ensure_embedded_server(embedded_server_home(load_settings().home))
    template = f"palimpsest_chaos_{os.getpid()}_template"
    quiet = BookBehaviour(latency=LatencyConfig(median_ms=0.0, sigma=0.0), faults=FaultConfig())
    config = SandboxConfig(seed=11, size=size, port=0, frozen_at=NOW, books={b: quiet for b in NIGERIA_BOOKS})

    def wanted(name: str) -> bool:
        return not only or name in only.split(",")

    with scratch_database(server, template) as template_url, start_in_thread(config) as sandbox:
        migrate(template_url)
        live = live_starts_cells(server, template, sandbox, config, wanted)
        if only and not set(only.split(",")) - {LIVE_STARTS_CELL}:  # the live cell alone: nothing else runs
            return live_summary(size, live, only)
        ref, reference = run_cell(server, template, sandbox, days, "reference", None, None, None)
        print(f"reference: {asdict(ref)}", file=sys.stderr)
        cells = [ref]
        for name, faults in fault_cells(rate).items():
            for book in NIGERIA_BOOKS:
                if only and name not in only.split(","):
                    continue
                figures, _seen = run_cell(server, template, sandbox, days, name, book, faults, reference)
                print(f"{name} on {book.value}: {asdict(figures)}", file=sys.stderr)
                cells.append(figures)
        truth = truth_cells(server, template, sandbox, days, wanted)
        if kills:
            cells += kill_rounds(server, template, sandbox, days, reference, kills, rng)
    totals = {
        key: sum(getattr(c, key) for c in cells)
        for key in ("lost_outside", "unexplained", "crashes", "duplicates", "partial_partitions")
    } | {key: sum(getattr(c, key, 0) for c in truth) for key in TRUTH_FIGURES}
    drifts = [c for c in truth if isinstance(c, DriftFigures)]
    totals["wrong_prices_in_comparison"] = sum(c.wrong_prices_in_comparison for c in drifts)
    totals["drifts_not_alerted"] = sum(not c.drift_alerted for c in drifts)
    replays = [c for c in truth if isinstance(c, ReplayFigures)]
    totals["outage_replays_missing"] = sum(c.outage_replays_missing for c in replays)
    ratios = [c.memory_ratio for c in truth if isinstance(c, TruthFigures) and c.peak_rss_mb]
    totals["cells_over_memory_ratio"] = sum(c.over_memory() for c in truth if isinstance(c, TruthFigures))
    totals["cells_with_nothing_at_risk"] = sum(
        c.cell == "sport_gone_quiet" and not c.events_at_risk for c in truth if isinstance(c, TruthFigures)
    )
    expected = (
        {(name, book.value) for name in DATA_FAULTS for book in CELL_BOOKS.get(name, NIGERIA_BOOKS)}
        | {(DRIFT_CELL, book.value) for book in NIGERIA_BOOKS}
        | {(REPLAY_CELL, book.value) for book in NIGERIA_BOOKS}
        | {(name, None) for name in MACHINE_CELLS}
    )
    ran = {(c.cell, c.book) for c in truth} | {(c.cell, None) for c in live}
    missing = [] if only else sorted(map(str, (expected | {(LIVE_STARTS_CELL, None)}) - ran))
    totals |= live_summary(size, live, only)["totals"]
    return {
        "size": size,
        "days": n_days,
        "rate": rate,
        "reference_wall_s": ref.wall_s,
        "reference_odds_rows": sum(len(v) for v in reference.odds.values()),
        "lost_for_faulted_roster": sum(c.lost_for_faulted_roster for c in cells),
        "kills_landed": sum(any(s.startswith("killed in") for s in c.failed_steps) for c in cells),
        "cells": [asdict(c) for c in cells],
        "truth_cells": [asdict(c) for c in truth],
        "live_cells": [asdict(c) for c in live],
        "truth_cells_missing": missing,
        "max_memory_ratio": max(ratios, default=0.0),
        "totals": totals,
        "ok": all(v == 0 for v in totals.values())
        and not missing
        and sum(any(s.startswith("killed in") for s in c.failed_steps) for c in cells) >= kills,
    }


if __name__ == "__main__":
    print(json.dumps(main()))
