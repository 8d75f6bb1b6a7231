"""The ``archive_replay_of_outage`` chaos cell: an outage the live runs refused, rebuilt from the archive.

Part of the chaos benchmark (chaos.py), beside the truth matrix (chaos_truth.py). From a copy of the clean
run's database, one book's football lists go quiet for two runs, then the book answers every list empty for
two more: the live runs hold football and refuse the empty scrapes, so nothing is withdrawn, but each scrape
is archived. The documented backfill from the archive (Nigeria's pipeline with ``archive_run_config()``, as
``palimpsest backfill --from-archive``) then replays every archived scrape, and a reader must see the clean
run's truth (chaos_truth.py's four figures). ``outage_replays_missing`` counts outage scrapes the runs did not
archive or the backfill did not replay (a cell that replayed no outage tested nothing).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

import psycopg

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.archive.requests import MANIFEST_URL
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.benchmarks.chaos_memory import ChildOutcome
from palimpsest_pipeline_tests.benchmarks.chaos_truth import (
    MAX_MEMORY_RATIO,
    TruthFigures,
    TruthState,
    compare_truth,
    read_truth_state,
    served_where_it_applies,
)
from palimpsest_sandbox.config import FaultConfig
from palimpsest_sandbox.server import SandboxHandle

CELL = "archive_replay_of_outage"
#: The outage, phase by phase: the sandbox fault (FaultConfig fields) and the live runs it lasts. The empty
#: lists come last, so a replay that stored them would end with the book withdrawn whole.
PHASES: tuple[tuple[str, dict[str, Any], int], ...] = (
    ("quiet_sports", {"quiet_sports": ["football"]}, 2),
    ("empty_answer", {"empty_answer": 1.0}, 2),
)
OUTAGE_RUNS = sum(runs for _, _, runs in PHASES)


@dataclass
class ReplayFigures(TruthFigures):
    """The truth figures after the backfill, and what shows the backfill replayed the outage."""

    #: outage scrapes the live runs archived, and archived scrapes of the book the backfill replayed
    outage_scrapes_archived: int = 0
    scrapes_replayed: int = 0
    #: replayed scrapes the backfill refused, as the live runs refused the empty ones
    refused_replays: int = 0
    #: outage scrapes not archived, or archived and not replayed (must be zero)
    outage_replays_missing: int = 0
    #: answers the sandbox served with each phase's fault
    served_by_fault: dict[str, int] = field(default_factory=dict)

    def zero(self) -> bool:
        return super().zero() and not self.outage_replays_missing

    def over_memory(self) -> bool:
        return self.memory_ratio > MAX_MEMORY_RATIO


def run_archive_replay_cell(
    book: Book,
    sandbox: SandboxHandle,
    clean_copy: Callable[[], AbstractContextManager[str]],
    run_pipeline: Callable[[str, int], list[str]],
    backfill: Callable[[str, int], ChildOutcome],
    clean: TruthState,
    clean_peak_mb: float,
    peak_mb: Callable[[], float],
) -> ReplayFigures:
    """The cell on ``book``: ``run_pipeline(url, n)`` runs the live pipeline the ``n``-th time after the
    clean run and returns its failed steps; ``backfill(url, n)`` runs the archive backfill of the same
    dates, its clock ``n`` minutes after the clean run's. ``peak_mb()``: the peak RSS of the runs since its
    last call (chaos_memory.py), held against the clean capture's ``clean_peak_mb``."""
    figures = ReplayFigures(CELL, book.value)
    started = time.monotonic()
    peak_mb()  # what ran before the cell is not the cell's
    with clean_copy() as url:
        archived_before = _archived_scrapes(url, book)
        n = 0
        for fault, config, runs in PHASES:
            previous = sandbox.set_faults(book, FaultConfig(**config))
            served_before = served_where_it_applies(sandbox, book, fault)
            try:
                for _ in range(runs):
                    n += 1
                    failed = run_pipeline(url, n)
                    figures.failed_steps += failed
                    figures.healthy_runs_failed += sum(
                        1 for s in failed if s != f"ng__{book.value}_catalogue"
                    )
            finally:
                sandbox.set_behaviour(book, previous)
            figures.served_by_fault[fault] = served_where_it_applies(sandbox, book, fault) - served_before
        figures.outage_scrapes_archived = _archived_scrapes(url, book) - archived_before
        result = backfill(url, n + 1)
        figures.failed_steps += [f"backfill: {step}" for step in result.failed_steps]
        unexplained_failure = not result.failed_steps and not result.success
        figures.healthy_runs_failed += len(result.failed_steps) + unexplained_failure
        _read_replay_metadata(result, book, figures)
        seen = read_truth_state(url)
    figures.faults_served = sum(figures.served_by_fault.values())
    replayed_outages = min(figures.outage_scrapes_archived, figures.scrapes_replayed - archived_before)
    figures.outage_replays_missing = OUTAGE_RUNS - max(0, replayed_outages)
    figures.measure_memory(peak_mb(), clean_peak_mb)
    compare_truth(clean, seen, figures)
    figures.wall_s = round(time.monotonic() - started, 1)
    return figures


def _archived_scrapes(url: str, book: Book) -> int:
    """The book's catalogue scrapes in the archive (each archives one manifest)."""
    with psycopg.connect(libpq_url(url)) as conn:
        row = conn.execute(
            "SELECT count(DISTINCT batch_id) FROM core.raw_archive "
            "WHERE book = %s AND kind = 'catalogue' AND starts_with(url, %s)",
            (book.value, MANIFEST_URL + "?"),
        ).fetchone()
    return int(row[0]) if row else 0


def _read_replay_metadata(result: ChildOutcome, book: Book, figures: ReplayFigures) -> None:
    """The book's catalogue step's own count of what it replayed and refused (its events' metadata)."""
    metadata = result.catalogue_metadata.get(book.value)
    if metadata is None:
        figures.notes.append(f"the backfill materialized no {book.value} events")
        return
    figures.scrapes_replayed = metadata["archived_scrapes"]
    figures.refused_replays = metadata["refused_replays"]
    figures.notes.append(
        f"replayed {figures.scrapes_replayed} archived scrapes of {book.value} "
        f"({figures.refused_replays} refused, {metadata['incomplete_replays']} incomplete); "
        f"soft deleted {metadata['soft_deleted']}"
    )
