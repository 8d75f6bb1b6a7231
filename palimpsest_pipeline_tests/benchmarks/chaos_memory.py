"""The pipeline run in a fresh child process, its peak memory measured: how ``make chaos`` holds a
memory-bound cell to its bound.

Why a child per run: Python keeps most of what a process freed, so a cell measured in the harness's own
process (the sandbox in it, some ninety cells before it) carries every earlier cell's leftovers and is judged
against a clean capture measured first, on a younger process. Here the clean capture and each memory-bound
cell's runs are measured alike: each run a new process (``chaos_pipeline_child.py``) on an ephemeral Dagster
instance, against the sandbox over its sockets, its peak the tree of that process and its parse workers
(benchmarks/rss.py), so the sandbox building the bomb is not counted and the pipeline holding it is.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.benchmarks.rss import PeakRss
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

CHILD = Path(__file__).with_name("chaos_pipeline_child.py")


@dataclass
class ChildOutcome:
    """What a child run reports: its failed steps, whether the run succeeded, and per book the metadata
    of its catalogue step's events (the archive backfill's counts of what it replayed and refused)."""

    failed_steps: list[str]
    success: bool
    catalogue_metadata: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class ChildPipeline:
    """Runs the pipeline (every asset but the report) for ``days`` in a child process, the clock ``n``
    minutes after ``now``; keeps the highest peak RSS of the runs since :meth:`take_peak_mb`."""

    base_urls: dict[Book, str]
    days: tuple[date, date]
    now: datetime
    peak_bytes: int = 0

    def run(self, url: str, n: int) -> list[str]:
        """The live pipeline; its failed steps."""
        return self._child(url, n, archive=False).failed_steps

    def backfill(self, url: str, n: int) -> ChildOutcome:
        """``palimpsest backfill --from-archive`` of the days: one run, every scraping op on the archive."""
        return self._child(url, n, archive=True)

    def take_peak_mb(self) -> float:
        """The highest peak of the runs since the last call, in MB; starts the next measure."""
        peak, self.peak_bytes = self.peak_bytes, 0
        return round(peak / 2**20, 1)

    def _child(self, url: str, n: int, *, archive: bool) -> ChildOutcome:
        args = [
            sys.executable, str(CHILD), url,
            json.dumps({f"ng/{book.value}": self.base_urls[book] for book in NIGERIA_BOOKS}),
            (self.now + timedelta(minutes=n)).isoformat(), self.days[0].isoformat(), self.days[1].isoformat(),
            "archive" if archive else "live",
        ]  # fmt: skip
        child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        with PeakRss(root=child.pid) as memory:
            out, err = child.communicate()
        self.peak_bytes = max(self.peak_bytes, memory.peak_total)
        if child.returncode != 0 or not out.strip():
            return ChildOutcome([f"child exit {child.returncode}: {err.strip()[-300:]}"], success=False)
        report = json.loads(out.strip().splitlines()[-1])
        return ChildOutcome(report["failed_steps"], report["success"], report["catalogue_metadata"])
