"""Benchmark: one full odds capture cycle (every book together) against the book-by-book baseline.

Run by ``make bench`` (not collected by pytest). The sandbox runs in a separate process with its default
latency and its clock standing still (no price moves, so it serves the bodies it rendered for the catalogue);
targets come from a catalogue scrape of every book; then one cycle runs with every book together and, below
5,000 events per book, one book by book, under production limits. ``BENCH_CAPTURE_SIZE`` events per
book (default 3,000), ``BENCH_CAPTURE_BASELINE=1``/``0`` forces the baseline. The figures (wall time against
the limits' minimum by Little's law, skew, RSS, CPU per event and per captured outcome, the baseline's beside)
are explained in docs/capture-engine.md.

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import asyncio
import gc
import json
import math
import os
import resource
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from palimpsest_pipeline.books.settings import BookSettings, default_settings
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.engine import capture_odds
from palimpsest_pipeline.scrape.odds.model import (
    CaptureProgress,
    CaptureResult,
    CaptureTarget,
    OddsCapture,
)
from palimpsest_pipeline_tests.benchmarks.reference_work import reference_ms
from palimpsest_pipeline_tests.benchmarks.rss import PeakRss, own_max_rss_mb
from palimpsest_pipeline_tests.benchmarks.sandbox_process import free_port, start_sandbox
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.processes import process_cpu_s
from palimpsest_pipeline_tests.scrape.every_book import scrape_every_book, targets_from_events
from palimpsest_sandbox import SandboxConfig, base_urls

WORLD_SIZE = int(os.environ.get("BENCH_CAPTURE_SIZE", "3000"))  # BetPawa lists a little less than ``size``
RUN_BASELINE = os.environ.get("BENCH_CAPTURE_BASELINE", "1" if WORLD_SIZE < 5_000 else "0") == "1"
SPORTS = ["football", "basketball", "tennis"]
HORIZON = timedelta(days=14)
#: The catalogue scrape's timeouts (see main): generous; a partial catalogue would shrink the cycle measured.
CATALOGUE_PATIENCE = {"read_timeout_s": 300.0, "attempt_timeout_s": 600.0}
TARGET_WALL_RATIO = 1.15 if WORLD_SIZE <= 3_000 else 1.25
TARGET_PEAK_RSS_MB = 600.0 if WORLD_SIZE <= 3_000 else 1_024.0
TARGET_SKEW_P95_MS = 50.0
CORES = os.cpu_count() or 1


def main_cpu_s() -> float:
    """This process alone: the capture's event loop, its HTTP client and the pool's threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def own_cpu_s() -> float:
    """This process and its reaped children (the parse workers, reaped when the capture closes its pool;
    the sandbox is still running, so it is not counted here)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime


class DroppedBatches:
    """Counts what a store would write of each streamed batch, then drops it (the pipeline stores it)."""

    def __init__(self) -> None:
        self.batches = 0
        self.rows = 0

    def write(self, results: Sequence[CaptureResult]) -> None:
        self.batches += 1
        self.rows += sum(len(r.odds) for r in results if r.odds is not None)


def process_label(sandbox_pid: int) -> Callable[[int], str]:
    def label(pid: int) -> str:
        if pid == os.getpid():
            return "pipeline_main"
        if pid == sandbox_pid:
            return "sandbox"
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            cmdline = handle.read()
        return "mp_resource_tracker" if b"resource_tracker" in cmdline else "parse_worker"

    return label


def min_wall_s(
    capture: OddsCapture, settings: dict[Book, BookSettings], latency_s: dict[Book, float]
) -> float:
    return max(
        stats.requests * (latency_s[book] + settings[book].pause_s) / settings[book].max_in_flight
        for book, stats in capture.stats.items()
    )


def outcomes_captured(capture: OddsCapture) -> int:
    """Rows (keyed outcomes, open or suspended) the cycle's parses produced, every book."""
    return sum(stats.rows for stats in capture.stats.values())


def cpu_us_per_outcome(pipeline_cpu_s: float, capture: OddsCapture) -> float:
    """The pipeline's CPU (main process and parse workers, or either) per captured outcome, in us."""
    return round(pipeline_cpu_s * 1e6 / max(1, outcomes_captured(capture)), 2)


def print_capture(name: str, capture: OddsCapture, sandbox_cpu: float, pipeline_cpu: float) -> None:
    skew = capture.skew_summary()
    print(
        f"\n== {name}: {capture.wall_s:.1f} s wall, skew p50 {skew['p50_ms']} ms, p95 {skew['p95_ms']} ms, "
        f"max {skew['max_ms']} ms over {int(skew['events'] or 0)} events on >= 2 books"
    )
    print(
        f"   CPU: sandbox process {sandbox_cpu:.1f} s, pipeline process {pipeline_cpu:.1f} s; "
        f"{outcomes_captured(capture)} outcomes captured, {cpu_us_per_outcome(pipeline_cpu, capture)} us "
        "of pipeline CPU per outcome"
    )
    for book, stats in capture.stats.items():
        print(
            f"   {book.value:<10} {stats.requests:>5} requests ({stats.attempts} attempts), ok {stats.ok}, "
            f"gone {stats.gone}, failed {stats.failed}; latency p50/p95/p99 {stats.latency_p50_ms}/"
            f"{stats.latency_p95_ms}/{stats.latency_p99_ms} ms; {stats.bytes_received / 2**20:.0f} MiB; "
            f"{stats.rows} rows; parse CPU {stats.parse_cpu_s:.1f} s; peak {stats.peak_in_flight}/"
            f"{stats.max_in_flight} in flight; errors {stats.errors}"
        )


def progress() -> Callable[[CaptureProgress], None]:
    """A capture's progress printer, timing the capture from now."""
    started = time.monotonic()

    def show(update: CaptureProgress) -> None:
        statuses = ", ".join(f"{status} {count}" for status, count in sorted(update.by_status.items()))
        elapsed = time.monotonic() - started
        print(f"   {update.done}/{update.total} events in {elapsed:.1f} s ({statuses})", flush=True)

    return show


async def capture_book_by_book(
    targets: Sequence[CaptureTarget], settings: dict[Book, BookSettings], *, now: datetime
) -> OddsCapture:
    """The baseline: all of BetPawa's captures, then SportyBet's, then Bet9ja's, under the same limits."""
    captures = []
    for book in settings:
        print(f"   book by book: {book.value}", flush=True)
        captures.append(await capture_odds(targets, {book: settings[book]}, now=now, on_progress=progress()))
    results: dict[int, dict[Book, CaptureResult]] = {}
    for one in captures:
        for sr_id, by_book in one.results.items():
            results.setdefault(sr_id, {}).update(by_book)
    return OddsCapture(
        started_at=captures[0].started_at,
        finished_at=captures[-1].finished_at,
        results=results,
        stats={book: stats for one in captures for book, stats in one.stats.items()},
        unmapped={key: count for one in captures for key, count in one.unmapped.items()},
    )


BENCH_STARTED = time.monotonic()


def main() -> dict[str, Any]:
    port = free_port()
    now = datetime.now(UTC)
    # Default latency, no faults. The sandbox's clock stands still, so no price moves during the benchmark and
    # each detail is served from the body its catalogue scrape rendered: a real book's servers cost this
    # machine no CPU, and the sandbox re-rendering moved prices would take the two cores from the pipeline.
    config = SandboxConfig(seed=11, size=WORLD_SIZE, port=port, cache_mb=3_072, frozen_at=now)
    latency = {book: config.books[book].latency for book in NIGERIA_BOOKS}
    print(f"starting the sandbox (size {WORLD_SIZE}, latency {latency[Book.BETPAWA]}) on port {port}")
    sandbox = start_sandbox(config)
    try:
        urls = base_urls(config.host, port)
        settings = {
            book: default_settings(book).model_copy(update={"base_url": urls[book]}) for book in NIGERIA_BOOKS
        }
        started = time.monotonic()
        # The catalogue only discovers the targets; it must be whole, or the cycle is not a full one. While
        # the sandbox renders every listed event on two shared cores, list pages can take longer than the
        # books' production timeouts, so this scrape alone waits longer (the capture keeps production's).
        patient = {book: s.model_copy(update=CATALOGUE_PATIENCE) for book, s in settings.items()}
        catalogues = asyncio.run(scrape_every_book(patient, sports=SPORTS, horizon=HORIZON, now=now))
        catalogue_status = {book.value: scrape.status for book, scrape in catalogues.items()}
        for book, scrape in catalogues.items():
            print(f"catalogue {book.value:<10} {scrape.status}: {len(scrape.events)} events")
            for message in scrape.error_messages[:5]:  # why a catalogue is partial
                print(f"   {message}")
        print(f"catalogue scrape: {time.monotonic() - started:.1f} s")
        targets = targets_from_events(e for scrape in catalogues.values() for e in scrape.events)
        print(f"targets: {len(targets)} SR ids")

        del catalogues
        gc.collect()

        reference_before = reference_ms()
        cpu_sandbox, cpu_own, cpu_main = process_cpu_s(sandbox.pid or 0), own_cpu_s(), main_cpu_s()
        dropped = DroppedBatches()
        with PeakRss(label=process_label(sandbox.pid or 0)) as memory:
            together = asyncio.run(
                capture_odds(targets, settings, now=now, store=dropped, on_progress=progress())
            )
        together_cpu = (process_cpu_s(sandbox.pid or 0) - cpu_sandbox, own_cpu_s() - cpu_own)
        together_main_cpu = main_cpu_s() - cpu_main
        print_capture("together", together, *together_cpu)
        print(f"   peak RSS MB: {memory.by_name_mb()}; {dropped.batches} batches, {dropped.rows} rows")
        main_max_rss = own_max_rss_mb()  # catalogue scrape + together cycle: what the pipeline runs
        reference_after = reference_ms()
        print(f"   reference work: {reference_before} ms of CPU before the cycle, {reference_after} ms after")

        baseline = None
        if RUN_BASELINE:
            cpu_sandbox, cpu_own = process_cpu_s(sandbox.pid or 0), own_cpu_s()
            # book by book, an event completes only with the last book: nothing to stream before then
            baseline = asyncio.run(capture_book_by_book(targets, settings, now=now))
            baseline_cpu = (process_cpu_s(sandbox.pid or 0) - cpu_sandbox, own_cpu_s() - cpu_own)
            print_capture("book by book", baseline, *baseline_cpu)
    finally:
        sandbox.terminate()
        sandbox.join(10)

    # Lognormal: mean = median * exp(sigma^2 / 2).
    configured_mean = {b: lat.median_ms * math.exp(lat.sigma**2 / 2) / 1000 for b, lat in latency.items()}
    configured_median = {b: lat.median_ms / 1000 for b, lat in latency.items()}
    floor = min_wall_s(together, settings, configured_mean)
    skew = together.skew_summary()
    ok_events = sum(
        1 for by_book in together.results.values() if any(r.status == "ok" for r in by_book.values())
    )
    parse_cpu = sum(stats.parse_cpu_s for stats in together.stats.values())
    cpu_floor = (together_cpu[0] + together_cpu[1]) / CORES
    figures = {
        "catalogue_status": catalogue_status,  # anything but "ok": a partial target list, not a full cycle
        "events": len(targets),
        "events_captured": ok_events,
        "wall_s": round(together.wall_s, 2),
        "min_wall_s": round(floor, 2),
        "min_wall_p50_s": round(min_wall_s(together, settings, configured_median), 2),
        "min_wall_formula": "max_b requests_b * (configured mean latency + pause_b) / max_in_flight_b",
        "wall_ratio": round(together.wall_s / floor, 3) if floor else None,
        # The other floor on a shared machine: the CPU the cycle needed (pipeline AND the sandbox, which plays
        # the books on the same cores; a real book's servers are elsewhere) over the cores there are.
        "cpu_floor_s": round(cpu_floor, 2),
        "cpu_floor_vs_min_wall": round(cpu_floor / floor, 3) if floor else None,
        "pipeline_cpu_floor_s": round(together_cpu[1] / CORES, 2),
        "skew_p50_ms": skew["p50_ms"],
        "skew_p95_ms": skew["p95_ms"],
        "skew_max_ms": skew["max_ms"],
        "baseline_wall_s": round(baseline.wall_s, 2) if baseline else None,
        "baseline_skew_p50_ms": baseline.skew_summary()["p50_ms"] if baseline else None,
        "baseline_skew_p95_ms": baseline.skew_summary()["p95_ms"] if baseline else None,
        "peak_rss_mb": memory.by_name_mb(),
        "peak_rss_tree_mb": round(memory.peak_total / 2**20, 1),
        "main_max_rss_mb": main_max_rss,
        # The baseline keeps every price of its cycle (an event completes only with its last book, so nothing
        # streams): the benchmark's yardstick, never a pipeline path, so its peak is reported apart.
        "baseline_main_max_rss_mb": own_max_rss_mb() if baseline else None,
        "pipeline_cpu_ms_per_event": round(together_cpu[1] * 1000 / max(1, ok_events), 2),
        # CPU per price: the pipeline's (main process and parse workers) over the outcomes the cycle captured
        "outcomes_captured": outcomes_captured(together),
        "cpu_us_per_outcome": cpu_us_per_outcome(together_cpu[1], together),
        # of which the main process (HTTP, the pool's traffic, the players' re-keying) and the parse workers
        "main_us_per_outcome": cpu_us_per_outcome(together_main_cpu, together),
        "workers_us_per_outcome": cpu_us_per_outcome(together_cpu[1] - together_main_cpu, together),
        # The machine's speed beside the cycle (reference_work.py): CPU figures taken at other hours compare
        # divided by it; before and after far apart mean the speed changed during the cycle.
        "reference_ms": round((reference_before + reference_after) / 2, 1),
        "reference_ms_before_after": [reference_before, reference_after],
        "baseline_outcomes_captured": outcomes_captured(baseline) if baseline else None,
        "baseline_cpu_us_per_outcome": cpu_us_per_outcome(baseline_cpu[1], baseline) if baseline else None,
        "cpu_ms_per_event": round(parse_cpu * 1000 / max(1, ok_events), 2),
        "requests": {book.value: stats.requests for book, stats in together.stats.items()},
        "latency_p50_ms": {book.value: stats.latency_p50_ms for book, stats in together.stats.items()},
        "sandbox_cpu_s": round(together_cpu[0], 1),
        "pipeline_cpu_s": round(together_cpu[1], 1),
        "main_cpu_s": round(together_main_cpu, 1),
        "parse_cpu_s": round(parse_cpu, 1),
        "statuses": {book.value: counts for book, counts in together.status_counts().items()},
        # The machine is shared: a load average above its 2 cores means the figures include others' work.
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "meets_wall_target": bool(floor) and together.wall_s <= TARGET_WALL_RATIO * floor,
        "meets_skew_target": (skew["p95_ms"] or 0.0) <= TARGET_SKEW_P95_MS,
        "meets_rss_target": max(
            mb for name, mb in memory.by_name_mb().items() if not name.startswith("sandbox")
        )
        <= TARGET_PEAK_RSS_MB,
        "bench_wall_s": round(time.monotonic() - BENCH_STARTED, 1),
    }
    return figures


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # progress visible when piped
    print(json.dumps(main(), sort_keys=False))
