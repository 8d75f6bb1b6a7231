"""The live-starts chaos cell's retention check: the prematch captures at T-61, T-16 and T-1.5 minutes of each
judged kick-off, and every stored ``analytics.market_retention`` row judged against the world's truth at the
chaos's full depth (``retention_truth.row_mismatches``: market types, lines and selections kept, the prices
compared and moved 30 % or more, the key markets offered and dropped, the spells forced on the live boards
included; the offered totals exactly where the truth holds the book's whole prematch list, else as at least
its main markets'), the down book's snapshots of the kick-offs it was down for missed with their reason,
never a retention, every book watched going live with its +0 taken. Each mismatch fails the cell's ``ok``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import psycopg

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.refresh import plan_capture
from palimpsest_pipeline.warehouse.connections import Connect
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.retention_truth import (
    PREMATCH_AT,
    capture_prematch,
    native_markets,
    read_retention,
    row_mismatches,
)
from palimpsest_sandbox import SandboxHandle, WorldEvent
from palimpsest_sandbox.config import SandboxConfig
from palimpsest_sandbox.live_coverage import ForcedSuspensions, live_start

RETENTION_MISMATCHES = (
    "retention_figure_wrong", "retention_while_down", "snapshot_while_down", "snapshot_missed_without_reason",
    "live_snapshot_missing", "retention_without_event",
)  # fmt: skip


def capture_instants(kickoffs: Sequence[datetime]) -> list[datetime]:
    """When the cell captures prematch: each kick-off's T-61, T-16 and T-1.5 minutes."""
    return sorted({k - lead for k in kickoffs for lead in PREMATCH_AT.values()})


def capture_at(
    connect: Connect, sandbox: SandboxHandle, settings: Any, day: date, sr_ids: list[int], at: datetime
) -> dict[str, int]:
    """A prematch capture of the judged matches at ``at`` (planned from the catalogue as it stands); its
    results by status."""
    targets = plan_capture(connect, [day], now=at, sr_ids=sr_ids, site_country="ng").targets
    with connect(autocommit=True) as conn:
        results = capture_prematch(conn, sandbox, settings, targets, at, f"chaos-retention-{at:%H%M%S}")
    statuses: dict[str, int] = {}
    for result in results:
        statuses[result.status] = statuses.get(result.status, 0) + 1
    return statuses


def judge_retention(
    conn: psycopg.Connection,
    events: dict[int, WorldEvent],
    config: SandboxConfig,
    polls: Sequence[datetime],
    kickoffs: Sequence[datetime],
    watched: timedelta,
    catalogued: set[tuple[int, str]],
    down: set[tuple[int, Book]],
    forced: ForcedSuspensions | None = None,
) -> tuple[dict[str, int], dict[str, int], list[str]]:
    """Every stored retention row of the judged kick-offs' matches against the world, and their snapshots
    (``watched``: how long after each kick-off the watch polled every 30 s): the figures (rows checked,
    snapshots by status, the down book's missed), the mismatches by kind, examples."""
    figures: dict[str, int] = {"retention_rows": 0, "retention_rows_unjudged": 0, "down_snapshots_missed": 0}
    mismatches = dict.fromkeys(RETENTION_MISMATCHES, 0)
    examples: list[str] = []

    def count(kind: str, example: str) -> None:
        mismatches[kind] += 1
        if len(examples) < 10:
            examples.append(f"{kind}: {example}")

    snapshots = {
        (sr_id, Book(book), snap): (status, due_at, reason)
        for sr_id, book, snap, status, due_at, reason in conn.execute(
            "SELECT sr_id, book, snapshot, status, due_at, reason FROM core.live_snapshots"
            " WHERE site_country = 'ng'"
        ).fetchall()
    }
    for (sr_id, book, snap), (status, _, reason) in snapshots.items():
        figures[f"snapshots_{status}"] = figures.get(f"snapshots_{status}", 0) + 1
        if status == "missed" and not reason:
            count("snapshot_missed_without_reason", f"{sr_id} {book.value} +{snap}")
        if (sr_id, book) in down:
            if status == "ok":
                count("snapshot_while_down", f"{sr_id} {book.value} +{snap}")
            elif status == "missed":
                figures["down_snapshots_missed"] += 1
    for row in read_retention(conn):
        book, event = Book(row["book"]), events.get(row["sr_id"])
        if event is None:
            count("retention_without_event", f"{row['sr_id']} {book.value}")
            continue
        if event.kickoff not in kickoffs:
            figures["retention_rows_unjudged"] += 1
            continue
        if (row["sr_id"], book) in down:
            count("retention_while_down", f"{row['sr_id']} {book.value}")
            continue
        _, due_at, _ = snapshots[(row["sr_id"], book, row["live_snapshot"])]
        taken_at = min(at for at in polls if at >= due_at)  # the poll that took it (the clock frozen there)
        native = native_markets(event, book, config)
        wrong = row_mismatches(row, event, taken_at, config, native, forced=forced)
        figures["retention_rows"] += 1
        exact = "retention_offered_exact" if native is not None else "retention_offered_at_least"
        figures[exact] = figures.get(exact, 0) + 1
        if forced is not None and forced.markets(event, book, taken_at) is not None:
            figures["retention_rows_in_forced_spells"] = figures.get("retention_rows_in_forced_spells", 0) + 1
        if wrong:
            count("retention_figure_wrong", f"{row['sr_id']} {book.value} {row['prematch_snapshot']}/"
                  f"+{row['live_snapshot']}: {', '.join(wrong)}")  # fmt: skip
    # a book seen going live while watched (a poll of it before, one after) took its +0
    poll = polls[1] - polls[0]
    for sr_id, event in events.items():
        if event.kickoff not in kickoffs:
            continue
        for book in NIGERIA_BOOKS:
            start = live_start(event, book)
            if (sr_id, book) in down or start is None or (sr_id, book.value) not in catalogued:
                continue
            if (
                event.visible_sr_id(book) is None
                or not event.kickoff <= start <= event.kickoff + watched - poll
            ):
                continue
            if snapshots.get((sr_id, book, 0), ("absent",))[0] != "ok":
                count("live_snapshot_missing", f"{sr_id} {book.value} live at {start:%H:%M:%S}")
    return figures, mismatches, examples
