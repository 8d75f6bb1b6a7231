"""Storing a capture batch by batch as it streams in (``scrape.odds.engine.streamed_capture``).

Each batch is written in one transaction (capture log, unmapped counts, prices, rosters), after flushing the
raw archive, so a crash keeps whole batches and a rerun captures only the rest (:func:`stored_sr_ids`).
Writing a batch twice adds nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import psycopg

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.capture_log import CaptureOutcome, store_capture_cycle
from palimpsest_pipeline.warehouse.event_rosters import ListedRoster, store_event_rosters
from palimpsest_pipeline.warehouse.odds_store import OddsStoreStats


class _Archive(Protocol):
    def flush(self) -> int: ...


@dataclass
class _Batch:
    """One batch in the shape ``store_capture_cycle`` takes."""

    started_at: datetime
    unmapped: Mapping[tuple[Book, str], int]
    results: Sequence[Any]

    def all_results(self) -> Iterator[Any]:
        return iter(self.results)


@dataclass(frozen=True)
class StreamStats(OddsStoreStats):
    """What the stream stored so far, summed over batches (its rows set aside are not kept)."""

    batches: int = 0


class CaptureBatchStore:
    """Stores each batch of a streamed capture atomically on its own connection (:meth:`write`).

    Written from one worker thread at a time (the capture hands out one batch at a time); the lock guards
    against misuse.
    """

    def __init__(
        self,
        conn: psycopg.Connection,
        *,
        batch_id: str,
        site_country: str,
        cycle_at: datetime,
        archive: _Archive | None = None,
    ) -> None:
        self._conn = conn
        self._batch_id = batch_id
        self._site_country = site_country
        self._cycle_at = cycle_at
        self._archive = archive
        self._lock = threading.Lock()
        self._unmapped: dict[tuple[Book, str], int] = {}
        self.stats = StreamStats()

    def write(self, results: Sequence[CaptureOutcome]) -> None:
        """Archive flushed first, then the batch's capture log, unmapped counts, prices and rosters in one
        transaction."""
        with self._lock:
            for result in results:
                unmapped = getattr(result.odds, "unmapped", None) or {}
                for key, count in unmapped.items():
                    pair = (Book(result.book), key)
                    self._unmapped[pair] = self._unmapped.get(pair, 0) + count
            if self._archive is not None:
                self._archive.flush()
            batch = _Batch(self._cycle_at, dict(self._unmapped), list(results))
            # one transaction: log + unmapped (running totals: they overwrite) + prices + the rosters listed
            with self._conn.transaction():
                stored: OddsStoreStats = store_capture_cycle(
                    self._conn, batch, batch_id=self._batch_id, site_country=self._site_country
                )
                store_event_rosters(self._conn, listed_rosters(results), site_country=self._site_country)
            summed = self.stats + stored
            self.stats = StreamStats(
                summed.history_rows, summed.current_upserts, summed.closed, batches=self.stats.batches + 1
            )


def listed_rosters(results: Iterable[Any]) -> Iterator[ListedRoster]:
    """The rosters the successful answers among ``results`` listed (``EventOdds.roster``), at their capture
    times: what ``store_event_rosters`` remembers beside their prices."""
    for r in results:
        players = tuple(getattr(r.odds, "roster", ()) or ())
        if players and getattr(r, "status", None) == "ok" and getattr(r, "sent_at", None) is not None:
            yield ListedRoster(r.sr_id, Book(r.book), r.sent_at, players)


def stored_sr_ids(conn: psycopg.Connection, batch_ids: Iterable[str]) -> set[int]:
    """SR ids whose capture one of the given runs stored as done on every book (ok, not listed or gone); an
    event that failed on a book is not done (every book of an event is stored in the same batch)."""
    ids = list(batch_ids)
    if not ids:
        return set()
    rows = conn.execute(
        """
        SELECT DISTINCT sr_id FROM core.odds_captures WHERE batch_id = ANY(%s)
        GROUP BY batch_id, sr_id HAVING bool_and(status IN ('ok', 'not_listed', 'gone'))
        """,
        (ids,),
    ).fetchall()
    return {int(sr_id) for (sr_id,) in rows}
