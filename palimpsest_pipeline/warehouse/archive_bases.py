"""Where the writer finds each event detail's base: the newest stored body of the same (book, event) and UTC
day, with its raw bytes (the writer's cache, else decoded back from the database, one query per flush).

Each Dagster capture is a new process, so the database is where a run finds the previous run's bodies:
writing a keyframe on every miss would make every first body of a run a keyframe (``bench_archive.py``
measures both). Packed entries (``archive_packs.py``) find their bases among packed entries only; rows of
``core.raw_archive`` among rows (an event's first packed body of the day after the migration is a keyframe).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

import psycopg

from palimpsest_pipeline.warehouse.archive_codec import BASE_PREFIX_BYTES, ChainKey, chain_url, resolve_chain
from palimpsest_pipeline.warehouse.archive_maintenance import KeyframeDecompressors
from palimpsest_pipeline.warehouse.archive_packs import (
    day_start,
    keys_by_event,
    load_packed_chains,
    stored_entries,
)
from palimpsest_pipeline.warehouse.archive_reader import load_chains
from palimpsest_pipeline.warehouse.archive_records import RawResponse

Event = tuple[str, str]  # book, event id


@dataclass(frozen=True, slots=True)
class Base:
    """A stored body a delta can be written against: its identity, place in its chain, and raw bytes."""

    captured_at: datetime
    digest: bytes
    chain_pos: int
    key_at: datetime
    raw: bytes | None = None
    url: str | None = None  # the URL it was asked at (resolved along its chain), with ``raw``
    packed: bool = False

    @property
    def key(self) -> ChainKey:
        """How a delta against it names it (see ``ChainRow.key``)."""
        if self.packed:
            return (self.chain_pos, self.digest[:BASE_PREFIX_BYTES])
        return (self.captured_at, self.digest)


class BaseCache:
    """The last body per (book, event) a writer stored, least recently stored evicted beyond a byte budget."""

    def __init__(self, budget: int) -> None:
        self._items: OrderedDict[Event, Base] = OrderedDict()
        self._budget = budget
        self._bytes = 0

    def get(self, event: Event) -> Base | None:
        return self._items.get(event)

    def remember(self, event: Event, base: Base) -> None:
        old = self._items.pop(event, None)
        if old is not None and old.raw is not None:
            self._bytes -= len(old.raw)
        if base.raw is None or len(base.raw) > self._budget:
            return
        self._items[event] = base
        self._bytes += len(base.raw)
        while self._bytes > self._budget:
            _, evicted = self._items.popitem(last=False)
            self._bytes -= len(evicted.raw or b"")


def find_bases(
    conn: psycopg.Connection,
    pending: Sequence[RawResponse],
    *,
    packed: bool,
    chain_length: int,
    cache: BaseCache,
    keyframes: KeyframeDecompressors,
    from_database: bool = True,
) -> tuple[dict[Event, Base], int]:
    """For each (book, event) of ``pending``: the newest stored body of the same UTC day no later than its
    first body here, with its raw bytes; and how many were decoded back from the database."""
    first: dict[Event, datetime] = {}
    for r in pending:
        if r.kind == "event" and r.event_id is not None:
            event = (r.book.value, r.event_id)
            first[event] = min(first.get(event, r.captured_at), r.captured_at)
    if not first:
        return {}, 0
    keys = keys_by_event(conn, list(first)) if packed else {}
    heads = _packed_heads(conn, first, keys) if packed else _row_heads(conn, first)
    bases: dict[Event, Base] = {}
    missing: list[tuple[Event, Base]] = []
    for event, base in heads.items():
        if base.chain_pos + 1 >= chain_length:
            continue  # the next body is a keyframe anyway: no need for the base's bytes
        cached = cache.get(event)
        if cached is not None and (cached.captured_at, cached.digest) == (base.captured_at, base.digest):
            bases[event] = cached
        elif from_database:
            missing.append((event, base))
    if packed:
        chains = load_packed_chains(conn, [(e[0], e[1], b.captured_at) for e, b in missing], keys)
    else:
        chains = load_chains(conn, [(e[0], e[1], b.key_at, b.captured_at) for e, b in missing])
    for (event, base), chain in zip(missing, chains, strict=True):
        where = f"{event[0]} event {event[1]!r}: the base captured at {base.captured_at.isoformat()}"
        raw = resolve_chain(base.key, chain, keyframes, where=where)
        bases[event] = replace(base, raw=raw, url=chain_url(base.key, chain, where=where))
    return bases, len(missing)


def _row_heads(conn: psycopg.Connection, first: dict[Event, datetime]) -> dict[Event, Base]:
    events = list(first)
    ats = [first[e] for e in events]
    rows = conn.execute(
        """
        SELECT k.i, a.captured_at, a.raw_hash, a.chain_pos, a.key_at
        FROM unnest(%s::text[], %s::text[], %s::timestamptz[], %s::timestamptz[])
             WITH ORDINALITY AS k(book, event_id, day_start, at, i)
        CROSS JOIN LATERAL (
            SELECT captured_at, raw_hash, chain_pos, key_at FROM core.raw_archive AS a
            WHERE a.kind = 'event' AND a.book = k.book AND a.event_id = k.event_id
              AND a.captured_at >= k.day_start AND a.captured_at <= k.at AND a.raw_hash IS NOT NULL
            ORDER BY a.captured_at DESC LIMIT 1
        ) AS a
        """,
        ([e[0] for e in events], [e[1] for e in events], [day_start(at) for at in ats], ats),
    ).fetchall()
    return {
        events[i - 1]: Base(at, bytes(digest), int(chain_pos), key_at)
        for i, at, digest, chain_pos, key_at in rows
    }


def _packed_heads(
    conn: psycopg.Connection, first: dict[Event, datetime], keys: dict[Event, list[int]]
) -> dict[Event, Base]:
    owner = {key: event for event, event_keys in keys.items() for key in event_keys}
    wanted = [e for e in first if e in keys]
    if not wanted:
        return {}
    entries = stored_entries(
        conn,
        sorted(owner),
        min(day_start(first[e]) for e in wanted),
        max(first[e] for e in wanted),
    )
    heads: dict[Event, Base] = {}
    for entry in entries:
        event = owner[entry.key]
        if not day_start(first[event]) <= entry.captured_at <= first[event]:
            continue
        head = heads.get(event)
        if head is None or entry.captured_at > head.captured_at:
            heads[event] = Base(
                entry.captured_at, entry.digest, entry.chain_pos, entry.captured_at, packed=True
            )
    return heads
