"""Packed event details: one ``core.archive_packs`` row per (flush, UTC day) holding many entries (a pack
pays a row's cost once for all of them); its body is stored uncompressed so one entry reads only its slice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import psycopg

from palimpsest_pipeline.warehouse.archive.codec import (
    BASE_PREFIX_BYTES,
    PACKED_HASH_BYTES,
    ChainKey,
    ChainRow,
)
from palimpsest_pipeline.warehouse.archive.records import PACK_TABLE, describe_row
from palimpsest_pipeline.warehouse.table_io import copy_binary

#: The longest a pack spans: its entries' offsets from its start are 32-bit microseconds.
PACK_SPAN = timedelta(microseconds=2**31 - 1)

EventLabel = tuple[str, str, int | None, date | None]  # book, event id, SR id, kick-off date

#: Columns of a ``core.archive_packs`` row and their types for the binary COPY.
_COLUMNS, _TYPES = zip(
    *(
        ("start_at", "timestamptz"), ("batch_id", "text"), ("event_keys", "int4[]"), ("at_us", "int4[]"),
        ("chain_pos", "int2[]"), ("statuses", "int2[]"), ("ends", "int4[]"), ("dict_ids", "int4[]"),
        ("urls", "text[]"), ("raw_hashes", "bytea"), ("base_hashes", "bytea"), ("body", "bytea"),
    ),
    strict=True,
)  # fmt: skip

#: One entry per row: the pack's columns and entry ``i``'s, named as ``core.raw_archive``'s (``{where}``:
#: conditions on ``p``, the pack, ``d``, its event, and ``i``).
ENTRIES_SQL = """
SELECT p.batch_id, d.book, 'event'::text AS kind, p.urls[e.i] AS url,
       COALESCE(p.statuses[e.i], 200::smallint) AS status,
       p.start_at + p.at_us[e.i] * interval '1 microsecond' AS captured_at, d.sr_id, d.event_id,
       d.kickoff_date, p.dict_ids[e.i] AS dict_id,
       substring(p.body FROM COALESCE(p.ends[e.i - 1], 0) + 1
                 FOR p.ends[e.i] - COALESCE(p.ends[e.i - 1], 0)) AS body,
       substring(p.raw_hashes FROM (e.i - 1) * 8 + 1 FOR 8) AS raw_hash,
       NULL::timestamptz AS base_at, substring(p.base_hashes FROM (e.i - 1) * 4 + 1 FOR 4) AS base_hash,
       NULL::timestamptz AS key_at, p.chain_pos[e.i] AS chain_pos
FROM core.archive_packs AS p
CROSS JOIN LATERAL generate_subscripts(p.event_keys, 1) AS e(i)
JOIN core.archive_events AS d ON d.event_key = p.event_keys[e.i]
WHERE {where}
"""


@dataclass(slots=True)
class Pack:
    """Entries of one (flush, UTC day) being built, in the order they were added."""

    start_at: datetime
    keys: list[int] = field(default_factory=list)
    ats: list[int] = field(default_factory=list)
    chain: list[int] = field(default_factory=list)
    statuses: list[int | None] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    dict_ids: list[int | None] = field(default_factory=list)
    urls: list[str | None] = field(default_factory=list)
    hashes: bytearray = field(default_factory=bytearray)
    bases: bytearray = field(default_factory=bytearray)
    frames: list[bytes] = field(default_factory=list)
    size: int = 0

    def fits(self, captured_at: datetime) -> bool:
        return timedelta(0) <= captured_at - self.start_at <= PACK_SPAN

    def add(
        self,
        *,
        key: int,
        captured_at: datetime,
        chain_pos: int,
        status: int,
        frame: bytes,
        dict_id: int | None,
        url: str | None,
        digest: bytes,
        base: bytes | None,
    ) -> None:
        assert len(digest) == PACKED_HASH_BYTES
        offset = captured_at - self.start_at
        self.keys.append(key)
        self.ats.append(offset // timedelta(microseconds=1))
        self.chain.append(chain_pos)
        self.statuses.append(None if status == 200 else status)
        self.size += len(frame)
        self.ends.append(self.size)
        self.dict_ids.append(dict_id)
        self.urls.append(url)
        self.hashes += digest
        self.bases += (base or b"")[:BASE_PREFIX_BYTES].ljust(BASE_PREFIX_BYTES, b"\0")
        self.frames.append(frame)

    def row(self, batch_id: str) -> tuple[Any, ...]:
        return (
            self.start_at,
            batch_id,
            self.keys,
            self.ats,
            self.chain,
            self.statuses,
            self.ends,
            self.dict_ids,
            self.urls,
            bytes(self.hashes),
            bytes(self.bases),
            b"".join(self.frames),
        )


def write_packs(conn: psycopg.Connection, batch_id: str, packs: Sequence[Pack]) -> None:
    """COPY ``packs`` (the caller owns the transaction and has created the day partitions)."""
    copy_binary(conn, PACK_TABLE, _COLUMNS, _TYPES, (p.row(batch_id) for p in packs if p.keys))


def event_keys(
    conn: psycopg.Connection, labels: Sequence[EventLabel], site_country: str
) -> dict[EventLabel, int]:
    """The ``core.archive_events`` key of each label on ``site_country``'s sites, inserted when new (in one
    order: two writers never deadlock)."""
    unique = sorted(set(labels), key=lambda u: (u[0], u[1], u[2] or 0, u[3] or date.min))
    if not unique:
        return {}
    columns = ([u[0] for u in unique], [u[1] for u in unique], [u[2] for u in unique], [u[3] for u in unique])
    conn.execute(
        """
        INSERT INTO core.archive_events (book, event_id, sr_id, kickoff_date, site_country)
        SELECT *, %s FROM unnest(%s::text[], %s::text[], %s::bigint[], %s::date[])
        ON CONFLICT ON CONSTRAINT archive_events_labels_key DO NOTHING
        """,
        (site_country, *columns),
    )
    rows = conn.execute(
        """
        SELECT a.event_key, a.book, a.event_id, a.sr_id, a.kickoff_date
        FROM unnest(%s::text[], %s::text[], %s::bigint[], %s::date[])
             AS k(book, event_id, sr_id, kickoff_date)
        JOIN core.archive_events AS a
          ON (a.book, a.event_id) = (k.book, k.event_id)
         AND a.sr_id IS NOT DISTINCT FROM k.sr_id AND a.kickoff_date IS NOT DISTINCT FROM k.kickoff_date
         AND a.site_country = %s
        """,
        (*columns, site_country),
    ).fetchall()
    return {(book, event_id, sr_id, kickoff): int(key) for key, book, event_id, sr_id, kickoff in rows}


def keys_by_event(
    conn: psycopg.Connection, events: Sequence[tuple[str, str]], site_country: str
) -> dict[tuple[str, str], list[int]]:
    """Every key of each (book, event id) on ``site_country``'s sites, whatever SR id or kick-off date it was
    labelled with."""
    found: dict[tuple[str, str], list[int]] = {}
    if not events:
        return found
    rows = conn.execute(
        """
        SELECT a.book, a.event_id, a.event_key FROM core.archive_events AS a
        JOIN unnest(%s::text[], %s::text[]) AS k(book, event_id)
          ON (a.book, a.event_id) = (k.book, k.event_id)
        WHERE a.site_country = %s
        """,
        ([e[0] for e in events], [e[1] for e in events], site_country),
    ).fetchall()
    for book, event_id, key in rows:
        found.setdefault((book, event_id), []).append(int(key))
    return found


def stored_entries(
    conn: psycopg.Connection, keys: Sequence[int], since: datetime, until: datetime
) -> list[tuple[int, datetime, bytes, int]]:
    """(key, captured_at, digest, chain position) of the newest entry of each of events ``keys`` captured from
    ``since`` to ``until`` (one query, no bodies)."""
    if not keys:
        return []
    rows = conn.execute(
        """
        SELECT DISTINCT ON (e.key)
               e.key, e.at, substring(p.raw_hashes FROM (e.i - 1) * 8 + 1 FOR 8), p.chain_pos[e.i]
        FROM core.archive_packs AS p
        CROSS JOIN LATERAL (
            SELECT i, p.event_keys[i] AS key, p.start_at + p.at_us[i] * interval '1 microsecond' AS at
            FROM generate_subscripts(p.event_keys, 1) AS i
        ) AS e
        WHERE p.event_keys && %(keys)s::int4[] AND p.start_at BETWEEN %(since)s - %(span)s AND %(until)s
          AND e.key = ANY(%(keys)s::int4[]) AND e.at BETWEEN %(since)s AND %(until)s
        ORDER BY e.key, e.at DESC
        """,
        {"keys": list(keys), "since": since, "until": until, "span": PACK_SPAN},
    ).fetchall()
    return [(int(k), at, bytes(digest), int(pos)) for k, at, digest, pos in rows]


def load_packed_chains(
    conn: psycopg.Connection,
    targets: Sequence[tuple[str, str, datetime]],
    keys: dict[tuple[str, str], list[int]] | None = None,
    *,
    site_country: str,
) -> list[dict[ChainKey, ChainRow]]:
    """For each (book, event_id, base_at) of ``site_country``'s sites: the entries of that (book, event)
    captured from the start of ``base_at``'s UTC day to ``base_at`` (one query for all), keyed as their
    deltas name them. ``keys``: the events' keys when the caller has them."""
    found: list[dict[ChainKey, ChainRow]] = [{} for _ in targets]
    if not targets:
        return found
    if keys is None:
        keys = keys_by_event(conn, [(t[0], t[1]) for t in targets], site_country)
    wanted = sorted({k for t in targets for k in keys.get((t[0], t[1]), [])})
    if not wanted:
        return found
    since = min(day_start(t[2]) for t in targets)
    until = max(t[2] for t in targets)
    query = ENTRIES_SQL.format(
        where="p.event_keys && %(keys)s::int4[] AND p.start_at BETWEEN %(since)s - %(span)s AND %(until)s"
        " AND p.event_keys[e.i] = ANY(%(keys)s::int4[])"
    )
    rows = conn.execute(query, {"keys": wanted, "since": since, "until": until, "span": PACK_SPAN}).fetchall()
    by_event: dict[tuple[str, str], list[int]] = {}
    for n, t in enumerate(targets):
        by_event.setdefault((t[0], t[1]), []).append(n)
    for row in rows:
        chain_row = entry_chain_row(row)
        book, event_id, at = row[1], row[7], row[5]
        for n in by_event.get((book, event_id), []):
            if day_start(targets[n][2]) <= at <= targets[n][2]:
                found[n][chain_row.key] = chain_row
    return found


def entry_chain_row(row: Sequence[Any]) -> ChainRow:
    """What decoding needs of one row of :data:`ENTRIES_SQL` (or of ``core.raw_archive`` selected alike)."""
    (batch_id, book, kind, url, _status, captured_at, _sr_id, event_id, _kickoff, dict_id, body, digest,
     base_at, base_hash, _key_at, chain_pos) = row  # fmt: skip
    return ChainRow(
        captured_at,
        None if digest is None else bytes(digest),
        base_at,
        None if base_hash is None else bytes(base_hash),
        dict_id,
        bytes(body),
        describe_row(book, kind, event_id, captured_at, batch_id, url),
        url,
        None if chain_pos is None else int(chain_pos),
    )


def day_start(moment: datetime) -> datetime:
    return datetime.combine(moment.astimezone(UTC).date(), time(), tzinfo=UTC)
