"""Where the writer finds each event detail's base: the newest packed entry of the same (book, event) and UTC
day, with its raw bytes (the writer's cache, else decoded back from the database, one query per flush)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Generic, TypeVar

import psycopg

from palimpsest_pipeline.warehouse.archive.codec import BASE_PREFIX_BYTES, ChainKey, chain_url, resolve_chain
from palimpsest_pipeline.warehouse.archive.dictionaries import KeyframeDecompressors
from palimpsest_pipeline.warehouse.archive.packs import (
    day_start,
    keys_by_event,
    load_packed_chains,
    stored_entries,
)
from palimpsest_pipeline.warehouse.archive.records import RawResponse

Event = tuple[str, str]  # book, event id
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Base:
    """A stored body a delta can be written against: its identity, place in its chain, and raw bytes."""

    captured_at: datetime
    digest: bytes
    chain_pos: int
    raw: bytes | None = None
    url: str | None = None  # the URL it was asked at (resolved along its chain), with ``raw``

    @property
    def key(self) -> ChainKey:
        """How a delta against it names it (see ``ChainRow.key``)."""
        return (self.chain_pos, self.digest[:BASE_PREFIX_BYTES])


class LastBodies(Generic[T]):
    """The last item per (book, event), least recently used evicted once the bodies ``size`` counts pass a
    byte budget."""

    def __init__(self, budget: int, size: Callable[[T], int]) -> None:
        self._items: OrderedDict[Event, T] = OrderedDict()
        self._budget = budget
        self._size = size
        self._bytes = 0

    def get(self, event: Event) -> T | None:
        item = self._items.get(event)
        if item is not None:
            self._items.move_to_end(event)
        return item

    def put(self, event: Event, item: T) -> None:
        old = self._items.pop(event, None)
        if old is not None:
            self._bytes -= self._size(old)
        if self._size(item) > self._budget:
            return
        self._items[event] = item
        self._bytes += self._size(item)
        while self._bytes > self._budget:
            _, evicted = self._items.popitem(last=False)
            self._bytes -= self._size(evicted)


def find_bases(
    conn: psycopg.Connection,
    pending: Sequence[RawResponse],
    *,
    chain_length: int,
    cache: LastBodies[Base],
    keyframes: KeyframeDecompressors,
    site_country: str,
) -> tuple[dict[Event, Base], int]:
    """For each (book, event) of ``pending`` (read from ``site_country``'s sites): the newest stored body of
    the same UTC day no later than its first body here, with its raw bytes; and how many were decoded back
    from the database."""
    first: dict[Event, datetime] = {}
    for r in pending:
        if r.kind == "event" and r.event_id is not None:
            event = (r.book.value, r.event_id)
            first[event] = min(first.get(event, r.captured_at), r.captured_at)
    if not first:
        return {}, 0
    keys = keys_by_event(conn, list(first), site_country)
    bases: dict[Event, Base] = {}
    missing: list[tuple[Event, Base]] = []
    for event, base in _heads(conn, first, keys).items():
        if base.chain_pos + 1 >= chain_length:
            continue  # the next body is a keyframe anyway: no need for the base's bytes
        cached = cache.get(event)
        if cached is not None and (cached.captured_at, cached.digest) == (base.captured_at, base.digest):
            bases[event] = cached
        else:
            missing.append((event, base))
    chains = load_packed_chains(
        conn, [(e[0], e[1], b.captured_at) for e, b in missing], keys, site_country=site_country
    )
    for (event, base), chain in zip(missing, chains, strict=True):
        where = f"{event[0]} event {event[1]!r}: the base captured at {base.captured_at.isoformat()}"
        raw = resolve_chain(base.key, chain, keyframes, where=where)
        bases[event] = replace(base, raw=raw, url=chain_url(base.key, chain, where=where))
    return bases, len(missing)


def _heads(
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
    for key, captured_at, digest, chain_pos in entries:
        event = owner[key]
        if not day_start(first[event]) <= captured_at <= first[event]:
            continue
        head = heads.get(event)
        if head is None or captured_at > head.captured_at:
            heads[event] = Base(captured_at, digest, chain_pos)
    return heads
