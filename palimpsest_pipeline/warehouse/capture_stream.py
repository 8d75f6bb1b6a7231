"""Storing a capture batch by batch as it streams in, each in one transaction after flushing the raw archive,
so a crash keeps whole batches and a rerun captures only the rest (:func:`stored_sr_ids`). With its prices go
the players each book listed with their SportRadar ids per event (``core.event_rosters``), read back by the
next capture so names resolve against every roster an event showed."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import KW_ONLY, dataclass, field
from datetime import datetime
from typing import Any

import psycopg

from palimpsest_pipeline.markets.players import RosterPlayer
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.archive.writer import RawArchiveWriter
from palimpsest_pipeline.warehouse.capture_log import CaptureOutcome, store_capture_cycle
from palimpsest_pipeline.warehouse.odds_store import OddsStoreStats
from palimpsest_pipeline.warehouse.table_io import copy_binary


@dataclass(frozen=True, slots=True)
class StoredPlayer:
    """A stored roster entry: the player, and the capture time of the first answer that listed it."""

    player: RosterPlayer
    first_seen_at: datetime


_BIGINT_LIMIT = 1 << 63
_COLUMNS = ("sr_id", "book", "player_sr_id", "name", "team", "seen_at")
_TYPES = ("int8", "text", "int8", "text", "text", "timestamptz")

_UPSERT = """
INSERT INTO core.event_rosters AS r (sr_id, book, player_sr_id, name, team, first_seen_at, last_seen_at,
                                     site_country)
SELECT sr_id, book, player_sr_id, name, team, min(seen_at), max(seen_at), %(cc)s
FROM rosters_in
GROUP BY sr_id, book, player_sr_id, name, team
ORDER BY sr_id, book, player_sr_id, name, team
ON CONFLICT (sr_id, book, site_country, player_sr_id, name, team) DO UPDATE SET
    first_seen_at = least(r.first_seen_at, EXCLUDED.first_seen_at),
    last_seen_at = greatest(r.last_seen_at, EXCLUDED.last_seen_at)
WHERE EXCLUDED.first_seen_at < r.first_seen_at OR EXCLUDED.last_seen_at > r.last_seen_at
"""


def store_event_rosters(conn: psycopg.Connection, results: Iterable[Any], *, site_country: str) -> None:
    """Remember the players the successful answers among ``results`` listed (``EventOdds.roster``) on
    ``site_country``'s sites, at their capture times, in key order, in the caller's transaction (an entry
    that cannot be stored is left out)."""
    rows = [
        (r.sr_id, Book(r.book).value, p.sr_id, p.name, p.team, r.sent_at)
        for r in results
        if getattr(r, "status", None) == "ok" and getattr(r, "sent_at", None) is not None
        for p in getattr(r.odds, "roster", ()) or ()
        if _storable(p)
    ]
    if not rows:
        return
    copy_binary(conn, "rosters_in", _COLUMNS, _TYPES, rows, temp=True)
    conn.execute(_UPSERT, {"cc": site_country})
    conn.execute("DROP TABLE rosters_in")


def read_event_rosters(
    conn: psycopg.Connection, sr_ids: Sequence[int], *, site_country: str
) -> dict[int, tuple[StoredPlayer, ...]]:
    """Every player stored for the events ``sr_ids`` (any book of ``site_country``'s sites), by event, in one
    query; events without a stored roster are absent."""
    if not sr_ids:
        return {}
    by_event: dict[int, list[StoredPlayer]] = {}
    for sr_id, player_sr_id, name, team, first_seen_at in conn.execute(
        """
        SELECT sr_id, player_sr_id, name, team, min(first_seen_at) FROM core.event_rosters
        WHERE sr_id = ANY(%s) AND site_country = %s GROUP BY sr_id, player_sr_id, name, team
        ORDER BY sr_id, player_sr_id, name, team
        """,
        (list(sr_ids), site_country),
    ):
        player = RosterPlayer(int(player_sr_id), name, team)
        by_event.setdefault(int(sr_id), []).append(StoredPlayer(player, first_seen_at))
    return {sr_id: tuple(players) for sr_id, players in by_event.items()}


def _storable(player: RosterPlayer) -> bool:
    """Whether the entry fits the table: a positive id within bigint, a name, no NUL (text refuses it)."""
    return (
        0 < player.sr_id < _BIGINT_LIMIT
        and bool(player.name.strip())
        and "\x00" not in player.name
        and "\x00" not in player.team
    )


@dataclass(frozen=True)
class StreamStats(OddsStoreStats):
    """What the stream stored so far, summed over batches (its rows set aside are not kept)."""

    batches: int = 0


@dataclass(eq=False)
class CaptureBatchStore:
    """Stores each batch of a streamed capture atomically on its own connection (:meth:`write`), one batch
    at a time."""

    conn: psycopg.Connection
    _: KW_ONLY
    batch_id: str
    site_country: str
    cycle_at: datetime
    archive: RawArchiveWriter | None = None
    stats: StreamStats = field(default_factory=StreamStats, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _unmapped: Counter[tuple[Book, str]] = field(default_factory=Counter, init=False)

    def write(self, results: Sequence[CaptureOutcome]) -> None:
        """Archive flushed first, then the batch's capture log, unmapped counts, prices and rosters in one
        transaction."""
        with self._lock:
            for result in results:
                unmapped = getattr(result.odds, "unmapped", None) or {}
                self._unmapped.update({(Book(result.book), key): count for key, count in unmapped.items()})
            if self.archive is not None:
                self.archive.flush()
            # one transaction: log + unmapped (running totals: they overwrite) + prices + the rosters listed
            with self.conn.transaction():
                stored = store_capture_cycle(
                    self.conn,
                    results,
                    self.cycle_at,
                    dict(self._unmapped),
                    batch_id=self.batch_id,
                    site_country=self.site_country,
                )
                store_event_rosters(self.conn, results, site_country=self.site_country)
            summed = stored + self.stats  # a sum takes its left side's fields: batches are counted below
            self.stats = StreamStats(
                summed.history_rows, summed.current_upserts, summed.closed, batches=self.stats.batches + 1
            )


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
