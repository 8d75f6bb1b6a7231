"""Streaming capture over the real sandbox into a real warehouse: batches of complete events, each stored
whole, memory released, and a failing store costing only the batches after it."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.engine import capture_odds
from palimpsest_pipeline.scrape.odds.model import (
    CaptureOptions,
    CaptureProgress,
    CaptureResult,
    CaptureTarget,
)
from palimpsest_pipeline.warehouse.capture_log import record_captures
from palimpsest_pipeline.warehouse.capture_stream import CaptureBatchStore, stored_sr_ids
from palimpsest_pipeline.warehouse.config import libpq_url
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.scrape.test_odds_sandbox import NOW, sandbox_settings, world_targets
from palimpsest_sandbox import SandboxHandle

pytestmark = pytest.mark.slow

BATCH = 7


def _targets(sandbox: SandboxHandle, n: int = 40) -> list[CaptureTarget]:
    return world_targets(sandbox)[:n]


def test_every_event_is_handed_over_once_whole_and_then_dropped(sandbox: SandboxHandle) -> None:
    targets = _targets(sandbox)
    batches: list[list[CaptureResult]] = []

    class KeepingStore:
        def write(self, results: Sequence[CaptureResult]) -> None:
            batches.append(list(results))

    capture = asyncio.run(
        capture_odds(
            targets,
            sandbox_settings(sandbox),
            now=NOW,
            store=KeepingStore(),
            options=CaptureOptions(parse_workers=0, batch_events=BATCH),
        )
    )
    events_per_batch = [len({r.sr_id for r in batch}) for batch in batches]
    assert all(n <= BATCH for n in events_per_batch) and sum(events_per_batch) == len(targets)
    assert len(batches) == -(-len(targets) // BATCH)  # full batches, then the rest
    seen = [r.sr_id for batch in batches for r in batch]
    by_target = {t.sr_id: t for t in targets}
    for sr_id in by_target:  # each event once, with a result for every book, in one batch
        assert seen.count(sr_id) == len(NIGERIA_BOOKS)
    for batch in batches:
        for result in batch:
            listed = result.book in by_target[result.sr_id].listings
            assert result.status == ("ok" if listed else "not_listed"), result.reason
            assert (result.odds is not None) == listed
    # what the caller gets back keeps statuses and times but no prices
    assert all(r.odds is None for r in capture.all_results())
    for book in NIGERIA_BOOKS:
        listing = sum(book in t.listings for t in targets)
        assert capture.stats[book].ok == listing


class _FailingStore(CaptureBatchStore):
    """Stores like the real one, then fails on batch ``fail_at`` (a database gone away, a disk full)."""

    def __init__(self, *args: object, fail_at: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fail_at = fail_at
        self.handed: list[set[int]] = []

    def write(self, results: Sequence[CaptureResult]) -> None:  # type: ignore[override]
        self.handed.append({r.sr_id for r in results})
        if len(self.handed) == self.fail_at:
            raise OSError("warehouse unreachable")
        super().write(results)


def test_a_failing_batch_keeps_the_batches_before_it_and_stores_nothing_after(
    sandbox: SandboxHandle, warehouse_url: str
) -> None:
    targets = _targets(sandbox)
    with psycopg.connect(libpq_url(warehouse_url), autocommit=True) as conn:
        store = _FailingStore(
            conn, batch_id="stream-fail", site_country="ng", cycle_at=datetime.now(UTC), fail_at=3
        )
        with pytest.raises(OSError, match="unreachable"):
            asyncio.run(
                capture_odds(
                    targets,
                    sandbox_settings(sandbox),
                    now=NOW,
                    store=store,
                    options=CaptureOptions(parse_workers=0, batch_events=BATCH),
                )
            )
        assert len(store.handed) == 3  # after the failure, nothing more is handed over
        assert stored_sr_ids(conn, ["stream-fail"]) == store.handed[0] | store.handed[1]
        priced = {
            sr_id
            for (sr_id,) in conn.execute(
                "SELECT DISTINCT sr_id FROM core.odds_current WHERE sr_id = ANY(%s)",
                ([t.sr_id for t in targets],),
            )
        }
        assert priced == store.handed[0] | store.handed[1]
        # the capture log has every book of each stored event: a batch is stored whole
        per_event = conn.execute(
            "SELECT sr_id, count(*) FROM core.odds_captures WHERE batch_id = 'stream-fail' GROUP BY sr_id"
        ).fetchall()
        assert {count for _sr_id, count in per_event} == {len(NIGERIA_BOOKS)}


def test_the_capture_waits_for_a_slow_store_so_memory_stays_bounded(sandbox: SandboxHandle) -> None:
    """A store slower than the capture (the usual case with deep events) must hold the dispatch back: the
    events captured but not yet stored stay under the stream's bound (two batches, plus the events in flight)
    instead of growing to the whole cycle."""
    targets = _targets(sandbox)
    batch, in_flight = 5, 2
    bound = 2 * batch - 1 + in_flight  # MAX_HELD_BATCHES batches less one, then the events in flight complete
    lock = threading.Lock()
    completed = stored = most_unstored = 0

    def progress(update: CaptureProgress) -> None:
        nonlocal completed, most_unstored
        with lock:
            completed = update.done
            most_unstored = max(most_unstored, completed - stored)

    class SlowStore:
        """Stores nothing: only its pace matters here."""

        def write(self, results: Sequence[CaptureResult]) -> None:
            nonlocal stored
            time.sleep(0.3)  # far slower than capturing five events on the latency-free sandbox
            with lock:
                stored += len({r.sr_id for r in results})

    asyncio.run(
        capture_odds(
            targets,
            sandbox_settings(sandbox),
            now=NOW,
            store=SlowStore(),
            options=CaptureOptions(
                parse_workers=0, batch_events=batch, max_pending_events=in_flight, progress_every=1
            ),
            on_progress=progress,
        )
    )
    assert stored == completed == len(targets)
    assert 0 < most_unstored <= bound, f"{most_unstored} events waited for the store (bound {bound})"


@dataclass(frozen=True)
class _Outcome:
    sr_id: int
    book: Book
    status: str
    reason: str | None = None
    sent_at: datetime | None = None
    received_at: datetime | None = None
    odds: None = None


def test_a_resume_skips_only_events_done_on_every_book(warehouse_conn: psycopg.Connection) -> None:
    """Failed captures are exactly what a resumed run must ask again."""
    outcomes = [
        *(_Outcome(1, book, "not_listed") for book in NIGERIA_BOOKS),
        _Outcome(2, Book.BETPAWA, "not_listed"),
        _Outcome(2, Book.SPORTYBET, "gone"),
        _Outcome(2, Book.BET9JA, "failed", "HTTP 503 (after 4 attempts)"),
        _Outcome(3, Book.BETPAWA, "gone"),
    ]
    record_captures(warehouse_conn, batch_id="died", cycle_at=NOW, results=outcomes, site_country="ng")
    record_captures(
        warehouse_conn,
        batch_id="other",
        cycle_at=NOW,
        results=[_Outcome(4, Book.BETPAWA, "gone")],
        site_country="ng",
    )
    assert stored_sr_ids(warehouse_conn, ["died"]) == {1, 3}
