"""The live snapshots, taken by the live watch after each stored poll: each book's in-play event detail of a
match at +0, +2 and +5 minutes after the match was first seen live on it (or its kick-off if later), the
books due at one poll asked together (the capture engine's same-moment rule), stored with the match's
market retention rewritten by the caller's ``Recompute`` (``derive.market_retention``) in the same
transaction. No run of its own: the watch already polls every 30 s and sees the first sightings.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import polars as pl
import psycopg

from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.scrape.odds.engine import capture_odds
from palimpsest_pipeline.scrape.odds.model import CaptureOptions, CaptureResult, CaptureTarget
from palimpsest_pipeline.transforms.live_starts import NEVER_AFTER, WATCH_GAP
from palimpsest_pipeline.transforms.market_retention import LIVE_SNAPSHOTS
from palimpsest_pipeline.warehouse.connections import Connect
from palimpsest_pipeline.warehouse.live_snapshot_store import (
    TakenSnapshot,
    snapshot_candidates,
    write_snapshots,
)

#: Rewrites the market retention of some matches of a site country (the caller's transaction).
Recompute = Callable[[psycopg.Connection, str, Sequence[int]], object]
#: A snapshot not taken this long after it was due is missed (no poll came: the watch was down); the same
#: margin as a watched kick-off's (transforms/live_starts.py).
MISSED_AFTER = WATCH_GAP
#: Why the snapshots of a sighting that is not the match's start on the book are missed.
UNWATCHED = (
    f"first seen live with no usable poll of the book in the {WATCH_GAP.seconds} s before: when it went live "
    "is unknown"
)
#: The snapshot requests' limits, caps on the book's own: they ride in the live watch between two polls, so
#: a slow or failing book must not hold the next poll back (a failed snapshot is retried at the next poll).
SNAPSHOT_CAPS = {
    "max_in_flight": 10, "max_attempts": 2, "connect_timeout_s": 5.0, "read_timeout_s": 8.0,
    "attempt_timeout_s": 10.0, "backoff_cap_s": 1.0, "retry_after_cap_s": 1.0,
}  # fmt: skip
#: Sightings looked at: recent enough that a snapshot of theirs may still be due, or just missed.
LOOK_BACK = timedelta(minutes=max(LIVE_SNAPSHOTS)) + MISSED_AFTER + timedelta(minutes=10)


@dataclass(frozen=True)
class DueSnapshot:
    """One (match, book, snapshot) whose moment has come."""

    sr_id: int
    book: Book
    snapshot: int
    event_id: str
    kickoff: datetime
    due_at: datetime
    #: Why it is missed (None: to take).
    missed: str | None = None


@dataclass
class SnapshotOutcome:
    """What one round of snapshots did: snapshots taken by status, and the matches whose retention changed."""

    statuses: dict[str, int] = field(default_factory=dict)
    matches: list[int] = field(default_factory=list)


def due_snapshots(
    candidates: pl.DataFrame, now: datetime, books: Sequence[Book]
) -> tuple[list[DueSnapshot], list[DueSnapshot]]:
    """The snapshots of ``candidates`` (``snapshot_candidates``' rows) on ``books`` due at ``now``: those to
    take (due at most ``MISSED_AFTER`` ago) and those missed (due longer ago, never taken; or of a sighting
    that is not the match's start on the book: its moments are unknown)."""
    take: list[DueSnapshot] = []
    missed: list[DueSnapshot] = []
    for row in candidates.iter_rows(named=True):
        book = Book(row["book"])
        if book not in books:
            continue
        anchor = max(row["first_live_at"], row["kickoff"])
        for minutes in LIVE_SNAPSHOTS:
            due_at = anchor + timedelta(minutes=minutes)
            if minutes in (row["done"] or ()) or due_at > now:
                continue
            due = DueSnapshot(row["sr_id"], book, minutes, row["event_id"], row["kickoff"], due_at)
            if not row["watched"]:
                missed.append(replace(due, missed=UNWATCHED))
            elif now - due_at > MISSED_AFTER:
                missed.append(replace(due, missed=f"no poll within {MISSED_AFTER.seconds} s of it"))
            else:
                take.append(due)
    return take, missed


async def take_live_snapshots(
    connect: Connect,
    settings: Mapping[Book, BookSettings],
    site_country: str,
    now: datetime,
    recompute: Recompute,
) -> SnapshotOutcome:
    """Take ``site_country``'s snapshots due at ``now`` (the poll's instant) and store them with the market
    retention of their matches (``recompute``), in one transaction."""
    with connect() as conn:
        candidates = await asyncio.to_thread(
            snapshot_candidates, conn, site_country, now, LOOK_BACK, NEVER_AFTER, WATCH_GAP
        )
    take, missed = due_snapshots(candidates, now, list(settings))
    taken = [_not_taken(due, "missed", due.missed or "missed") for due in missed]
    if take:
        taken.extend(await _capture(take, settings, now))
    outcome = SnapshotOutcome()
    if not taken:
        return outcome
    for snap in taken:
        outcome.statuses[snap.status] = outcome.statuses.get(snap.status, 0) + 1
    outcome.matches = await asyncio.to_thread(_store, connect, site_country, taken, recompute)
    return outcome


def _store(
    connect: Connect, site_country: str, taken: Sequence[TakenSnapshot], recompute: Recompute
) -> list[int]:
    with connect() as conn, conn.transaction():
        written = write_snapshots(conn, site_country, taken)
        if written:
            recompute(conn, site_country, written)
    return written


async def _capture(
    due: Sequence[DueSnapshot], settings: Mapping[Book, BookSettings], now: datetime
) -> list[TakenSnapshot]:
    """Ask each due snapshot's book for the match's in-play detail, the books of one match together."""
    by_match: dict[int, dict[Book, DueSnapshot]] = defaultdict(dict)
    for snap in due:
        by_match[snap.sr_id][snap.book] = snap
    targets = [
        CaptureTarget(sr_id, min(s.kickoff for s in of.values()), {b: s.event_id for b, s in of.items()})
        for sr_id, of in sorted(by_match.items())
    ]
    asked = {
        book: snapshot_settings(settings[book])
        for book in sorted({s.book for s in due}, key=lambda b: b.value)
    }
    options = CaptureOptions(live=True, parse_workers=0, breaker_threshold=0)
    capture = await capture_odds(targets, asked, now=now, options=options)
    return [_taken(snap, capture.results[snap.sr_id][snap.book]) for snap in due]


def _taken(due: DueSnapshot, result: CaptureResult) -> TakenSnapshot:
    if result.status != "ok" or result.odds is None or result.sent_at is None:
        status = "gone" if result.status == "gone" else "failed"
        return _not_taken(due, status, result.reason or result.status)
    rows, conflicting = keep_one_per_outcome(result.rows())
    return TakenSnapshot(
        due.sr_id, due.book, due.snapshot, due.event_id, due.due_at, "ok", captured_at=result.sent_at,
        rows=rows, set_aside=result.odds.set_aside_outcomes + conflicting,
    )  # fmt: skip


def _not_taken(due: DueSnapshot, status: str, reason: str) -> TakenSnapshot:
    return TakenSnapshot(due.sr_id, due.book, due.snapshot, due.event_id, due.due_at, status, reason[:2_000])


def keep_one_per_outcome(rows: Sequence[OddsRow]) -> tuple[tuple[OddsRow, ...], int]:
    """The rows the snapshot keeps: one per outcome, an outcome given twice at two prices or states set aside
    (neither can be told right), as is an open price that is no decimal odds (a suspended one's is dropped);
    and how many were set aside."""
    by_key: dict[tuple[int, str, int], list[OddsRow]] = defaultdict(list)
    for row in rows:
        by_key[(row.market, row.specifier, row.outcome)].append(row)
    kept = []
    for same in by_key.values():
        first = same[0]
        if not all((r.price, r.state) == (first.price, first.state) for r in same):
            continue
        if first.state == "suspended":  # a suspended line's placeholder odds (Bet9ja's 1) are no price
            kept.append(first if first.price is None or first.price > 1 else first._replace(price=None))
        elif first.state == "open" and first.price is not None and first.price > 1:
            kept.append(first)
    return tuple(kept), len(by_key) - len(kept)


def snapshot_settings(settings: BookSettings) -> BookSettings:
    """The book's client settings with ``SNAPSHOT_CAPS`` as caps."""
    return settings.model_copy(
        update={name: min(getattr(settings, name), cap) for name, cap in SNAPSHOT_CAPS.items()}
    )
