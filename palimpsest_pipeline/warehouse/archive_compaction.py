"""Compaction of closed archive days: every packed frame re-encoded by zstd's strongest parser.

Why: a capture writes each event detail as a delta against the previous body of its (book, event) at
``PACKED_DELTA_LEVEL``, about 1.5 ms per body, so the archive keeps up with the capture. On those bodies
(JSON whose prices, probabilities and timestamps move a few at a time among thousands of look-alike
outcomes) a fast match finder often misses the aligned match for a nearer look-alike; zstd's optimal parser
(level 19) finds it, and stores the same deltas about a sixth smaller (470 -> 394 bytes per delta on the
sandbox's bodies at real depth) at some 20 ms per body: too slow for the capture, affordable once a day off
its path. Keyframes (one per event and day) are re-encoded at the same level with the dictionary they were
written with.

How: for one UTC day before today, the events with entries in packs not yet compacted are read back a group
at a time in chain order (their whole day, compacted packs included), each entry decoded against the body
before it and checked against its hash, then re-encoded against the same base; the smaller of the two frames
is kept, so nothing grows. New frames are staged in a temporary table, each group in its own short
transaction; then every staged pack of the day is rewritten in one transaction (body, ends,
``compaction_level``): a crash before that commit leaves the day as it was, after it the day compacted. The
day's partition is then rewritten (``VACUUM FULL``: the old frames' space goes back to the system instead of
staying inside a partition nothing inserts into any more); a crash there leaves the old relation in place.

Readers notice nothing: a frame decodes to the same bytes whatever level wrote it, and entries keep their
identity (hash, chain position, base). An entry that does not decode (corrupt, or its base missing) keeps its
frame, and so does the rest of its chain: a bad body costs its own event's compaction, never the day's.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

import psycopg
import zstandard
from psycopg import sql

from palimpsest_pipeline.warehouse.archive_codec import (
    ChainKey,
    ChainRow,
    compress_exact,
    decode_row,
    encode_packed_delta,
)
from palimpsest_pipeline.warehouse.archive_maintenance import KeyframeDecompressors, load_dictionary
from palimpsest_pipeline.warehouse.archive_records import PACK_TABLE, ArchiveError, describe_row
from palimpsest_pipeline.warehouse.copy import copy_binary
from palimpsest_pipeline.warehouse.partitions import day_partitions

COMPACTION_LEVEL_VAR = "PALIMPSEST_ARCHIVE_COMPACTION_LEVEL"
#: Measured on consecutive sandbox bodies at real depth (bench_storage's flush sample, 1,422 deltas): level
#: 12 (the capture's) 470 bytes per delta in 1.6 ms, 17 427 in 17.8 ms, 18 423 in 19.1 ms, 19 394 in 21.6 ms,
#: 20 394 in 21.9 ms. 19 is where it stops gaining.
DEFAULT_COMPACTION_LEVEL = 19
#: Events read back per query: a query per event would be thousands a day, one for all would hold the day.
EVENTS_PER_READ = 64
_LOCK = "palimpsest archive compaction"
_STAGED = ("pack", "i", "frame")
_STAGED_TYPES = ("text", "int4", "bytea")

_ENTRIES = """
SELECT p.ctid::text, e.i, p.event_keys[e.i], p.chain_pos[e.i], p.dict_ids[e.i],
       substring(p.raw_hashes FROM (e.i - 1) * 8 + 1 FOR 8),
       substring(p.base_hashes FROM (e.i - 1) * 4 + 1 FOR 4),
       substring(p.body FROM COALESCE(p.ends[e.i - 1], 0) + 1
                 FOR p.ends[e.i] - COALESCE(p.ends[e.i - 1], 0)),
       p.start_at + p.at_us[e.i] * interval '1 microsecond' AS at,
       p.compaction_level IS NULL AS pending, d.book, d.event_id, p.batch_id, p.urls[e.i]
FROM {partition} AS p
CROSS JOIN LATERAL generate_subscripts(p.event_keys, 1) AS e(i)
JOIN core.archive_events AS d ON d.event_key = p.event_keys[e.i]
WHERE p.event_keys && %(keys)s::int4[] AND p.event_keys[e.i] = ANY(%(keys)s::int4[])
ORDER BY p.event_keys[e.i], at, p.chain_pos[e.i]
"""

_REWRITE = """
WITH staged AS (
    SELECT pack, i, frame, sum(length(frame)) OVER (PARTITION BY pack ORDER BY i) AS end_at
    FROM pg_temp.compacted_frames
), packs AS (
    SELECT pack, count(*) AS entries, string_agg(frame, ''::bytea ORDER BY i) AS body,
           array_agg(end_at::int4 ORDER BY i) AS ends
    FROM staged GROUP BY pack
)
UPDATE {partition} AS p SET body = packs.body, ends = packs.ends, compaction_level = %(level)s
FROM packs
WHERE p.ctid = packs.pack::tid AND p.compaction_level IS NULL AND cardinality(p.event_keys) = packs.entries
"""


@dataclass(slots=True)
class CompactionStats:
    """What compacting one day did."""

    day: date
    packs: int = 0
    entries: int = 0
    #: Entries left as written: they did not decode (named in ``problems``), or re-encoding gained nothing.
    kept: int = 0
    frame_bytes_before: int = 0
    frame_bytes_after: int = 0
    partition_bytes_before: int = 0
    partition_bytes_after: int = 0
    cpu_s: float = 0.0
    problems: list[str] = field(default_factory=list)


def archive_compaction_level(env: Mapping[str, str] = os.environ) -> int:
    """``PALIMPSEST_ARCHIVE_COMPACTION_LEVEL``: the zstd level closed days are re-encoded at (1-22), default
    19; 0 turns compaction off."""
    text = env.get(COMPACTION_LEVEL_VAR, "").strip()
    if not text:
        return DEFAULT_COMPACTION_LEVEL
    try:
        level = int(text)
    except ValueError:
        raise ArchiveError(f"{COMPACTION_LEVEL_VAR}={text!r} is not a whole number") from None
    if not 0 <= level <= zstandard.MAX_COMPRESSION_LEVEL:
        raise ArchiveError(
            f"{COMPACTION_LEVEL_VAR}={level} must be 0 (off) to {zstandard.MAX_COMPRESSION_LEVEL}"
        )
    return level


def compactable_days(conn: psycopg.Connection, *, today: date) -> list[date]:
    """Days before ``today`` (UTC) whose packs are not all compacted yet, oldest first."""
    days = []
    for day, name in sorted(day_partitions(conn, PACK_TABLE).items()):
        if day >= today:
            continue
        query = sql.SQL("SELECT EXISTS (SELECT 1 FROM {} WHERE compaction_level IS NULL)").format(
            sql.Identifier("core", name)
        )
        if conn.execute(query).fetchone() == (True,):
            days.append(day)
    return days


def compact_archive_day(
    conn: psycopg.Connection, day: date, *, level: int = DEFAULT_COMPACTION_LEVEL
) -> CompactionStats:
    """Re-encode the packs of ``day`` not yet compacted at ``level`` (see the module docstring). ``conn``
    must be in autocommit: each step commits on its own, and ``VACUUM FULL`` runs outside a transaction."""
    if not conn.autocommit:
        raise ArchiveError(
            "compact_archive_day needs an autocommit connection (each step commits on its own)"
        )
    if not 1 <= level <= zstandard.MAX_COMPRESSION_LEVEL:
        raise ArchiveError(
            f"compact_archive_day: level must be 1 to {zstandard.MAX_COMPRESSION_LEVEL}, got {level}"
        )
    stats = CompactionStats(day)
    name = day_partitions(conn, PACK_TABLE).get(day)
    if name is None:
        return stats
    partition = sql.Identifier("core", name)
    if conn.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", (_LOCK,)).fetchone() != (True,):
        raise ArchiveError(f"compacting {day}: another compaction is running")
    started = time.process_time()
    try:
        with conn.transaction():
            stats.partition_bytes_before = _total_bytes(conn, name)
            conn.execute("DROP TABLE IF EXISTS pg_temp.compacted_frames")
            conn.execute("CREATE TEMP TABLE compacted_frames (pack text, i int4, frame bytea)")
            events = [
                int(key)
                for (key,) in conn.execute(
                    sql.SQL(
                        "SELECT DISTINCT unnest(event_keys) FROM {} WHERE compaction_level IS NULL ORDER BY 1"
                    ).format(partition)
                )
            ]
        encoder = _Encoder(conn, level)
        for start in range(0, len(events), EVENTS_PER_READ):
            with conn.transaction():  # short transactions: no snapshot held while encoding
                rows = conn.execute(
                    sql.SQL(_ENTRIES).format(partition=partition),
                    {"keys": events[start : start + EVENTS_PER_READ]},
                ).fetchall()
            staged = list(encoder.frames(rows, stats))
            with conn.transaction():
                copy_binary(conn, "pg_temp.compacted_frames", _STAGED, _STAGED_TYPES, staged)
        with conn.transaction():
            staged_packs = conn.execute(
                "SELECT count(DISTINCT pack) FROM pg_temp.compacted_frames"
            ).fetchone()
            rewritten = conn.execute(sql.SQL(_REWRITE).format(partition=partition), {"level": level}).rowcount
            if staged_packs is None or rewritten != staged_packs[0]:
                raise ArchiveError(
                    f"compacting {day}: {rewritten} of {staged_packs[0] if staged_packs else 0} staged packs "
                    "rewritten (did another writer change the day meanwhile?); nothing was changed"
                )
            stats.packs = rewritten
            conn.execute("DROP TABLE pg_temp.compacted_frames")
    finally:
        if not conn.closed:  # a broken connection took its temporary table and lock with it
            conn.execute("DROP TABLE IF EXISTS pg_temp.compacted_frames")
            conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (_LOCK,))
    if stats.packs:
        _vacuum_full(conn, partition)
    stats.partition_bytes_after = _total_bytes(conn, name)
    stats.cpu_s = time.process_time() - started
    return stats


class _Entry(NamedTuple):
    """One row of ``_ENTRIES``."""

    pack: str
    i: int
    key: int
    chain_pos: int
    dict_id: int | None
    digest: bytes
    base_prefix: bytes
    frame: bytes
    captured_at: datetime
    pending: bool
    book: str
    event_id: str
    batch_id: str
    url: str | None


class _Encoder:
    """Decodes an event's entries in chain order and re-encodes each against the same base."""

    def __init__(self, conn: psycopg.Connection, level: int) -> None:
        self._conn = conn
        self._level = level
        self._decompressors = KeyframeDecompressors(conn)
        self._compressors: dict[int | None, zstandard.ZstdCompressor] = {}

    def frames(
        self, rows: Sequence[tuple[Any, ...]], stats: CompactionStats
    ) -> Iterator[tuple[str, int, bytes]]:
        """(pack, entry index, frame) of every entry of ``rows`` (events in chain order) in a pack not
        compacted yet: re-encoded where it decodes, else as it was."""
        raws: dict[ChainKey, bytes] = {}  # the event's decoded bodies, keyed as their deltas name them
        event, broken = None, False
        for entry in (_Entry(*row) for row in rows):
            if entry.key != event:
                event, raws, broken = entry.key, {}, False
            row = _chain_row(entry)
            base = raws.get(row.base_key) if row.base_key is not None else None
            raw = None if broken else self._decode(row, base, stats)
            if raw is None:
                broken = True  # the rest of this event's chain cannot be decoded either: kept as written
            else:
                position = int(entry.chain_pos)
                # a branch (two writers at one position) is one step deep: older bodies are no base again
                raws = {k: v for k, v in raws.items() if k[0] in (position - 1, position)}
                raws[row.key] = raw
            if not entry.pending:
                continue
            new = row.body if raw is None else self._encode(raw, base, entry.dict_id)
            if len(new) >= len(row.body):
                new = row.body
                stats.kept += 1
            stats.entries += 1
            stats.frame_bytes_before += len(row.body)
            stats.frame_bytes_after += len(new)
            yield entry.pack, int(entry.i), new

    def _decode(self, row: ChainRow, base: bytes | None, stats: CompactionStats) -> bytes | None:
        if row.is_delta and base is None:
            stats.problems.append(f"{row.where}: its base is not in the day's archive")
            return None
        try:
            return decode_row(row, base, self._decompressors)
        except ArchiveError as err:  # ArchiveCorruptError, or a dictionary gone
            stats.problems.append(str(err))
            return None

    def _encode(self, raw: bytes, base: bytes | None, dict_id: int | None) -> bytes:
        if base is not None:
            return encode_packed_delta(raw, base, level=self._level)
        compressor = self._compressors.get(dict_id)
        if compressor is None:
            data = None if dict_id is None else load_dictionary(self._conn, dict_id)
            compressor = zstandard.ZstdCompressor(level=self._level, dict_data=data)
            self._compressors[dict_id] = compressor
        return compress_exact(compressor, raw)


def _chain_row(entry: _Entry) -> ChainRow:
    """What decoding needs of an entry, named in errors as the readers name it."""
    return ChainRow(
        entry.captured_at,
        bytes(entry.digest),
        None,
        bytes(entry.base_prefix),
        entry.dict_id,
        bytes(entry.frame),
        describe_row(entry.book, "event", entry.event_id, entry.captured_at, entry.batch_id, entry.url),
        entry.url,
        int(entry.chain_pos),
    )


def _vacuum_full(conn: psycopg.Connection, partition: sql.Identifier) -> None:
    """Rewrite the partition without the frames compaction replaced. It holds the partition's exclusive lock
    for the rewrite (seconds: a day's partition is tens of megabytes per thousand events): a reader of that
    day waits, other days are untouched."""
    conn.execute(sql.SQL("VACUUM (FULL, ANALYZE) {}").format(partition))


def _total_bytes(conn: psycopg.Connection, name: str) -> int:
    row = conn.execute("SELECT pg_total_relation_size(%s::regclass)", (f"core.{name}",)).fetchone()
    return int(row[0]) if row else 0


def compact_closed_days(
    conn: psycopg.Connection, *, today: date, env: Mapping[str, str] = os.environ
) -> list[CompactionStats]:
    """Compact every day before ``today`` not compacted yet at the level setting (none when it is 0)."""
    level = archive_compaction_level(env)
    if level == 0:
        return []
    return [compact_archive_day(conn, day, level=level) for day in compactable_days(conn, today=today)]


def describe(stats: CompactionStats) -> dict[str, object]:
    """A day's compaction as run metadata."""
    return asdict(stats) | {
        "day": stats.day.isoformat(),
        "cpu_s": round(stats.cpu_s, 1),
        "problems": stats.problems[:10],
    }
