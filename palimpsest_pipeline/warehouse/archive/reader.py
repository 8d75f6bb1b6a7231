"""Reading the archive back: every body exactly as received, in the order a rebuild replays them, packs and
``core.raw_archive`` rows in one ordered query through a server-side cursor; deltas decode against a
byte-bounded cache of bases, else their chain is read back."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import psycopg
from psycopg import sql

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.archive.bases import LastBodies
from palimpsest_pipeline.warehouse.archive.codec import (
    ChainKey,
    ChainRow,
    chain_url,
    decode_row,
    resolve_chain,
)
from palimpsest_pipeline.warehouse.archive.dictionaries import KeyframeDecompressors
from palimpsest_pipeline.warehouse.archive.packs import ENTRIES_SQL, entry_chain_row, load_packed_chains
from palimpsest_pipeline.warehouse.archive.records import (
    ArchiveCorruptError,
    ArchivedBody,
    ArchiveError,
    ArchiveKind,
)

#: Decoded bodies a reader keeps as bases (the last one per (book, event)); beyond it, bases are re-read.
READER_CACHE_BYTES = 64 * 1024 * 1024

OnCorrupt = Callable[[ArchiveCorruptError], None]
#: A decoded body as the reader keeps it for the next delta: its key, raw bytes and URL.
_Decoded = tuple[ChainKey, bytes, str]


def iter_event_bodies(
    conn: psycopg.Connection,
    start: date,
    end: date,
    *,
    site_country: str,
    books: Sequence[Book] | None = None,
    by_event: bool = False,
    on_corrupt: OnCorrupt | None = None,
) -> Iterator[ArchivedBody]:
    """Archived event-detail bodies of ``site_country``'s sites kicking off from ``start`` to ``end`` (UTC),
    in capture order; ``by_event``: grouped per sr_id so each event rebuilds alone. ``on_corrupt``: called
    for a row that does not decode, which is skipped (default: raise :class:`ArchiveCorruptError`)."""
    if end < start:
        raise ArchiveError(f"iter_event_bodies: end {end} is before start {start}")
    condition: sql.Composable = sql.SQL(
        "kind = 'event' AND kickoff_date BETWEEN %(start)s AND %(end)s AND site_country = %(cc)s"
    )
    packed: sql.Composable = sql.SQL(
        "d.kickoff_date BETWEEN %(start)s AND %(end)s AND d.site_country = %(cc)s AND p.event_keys && ARRAY("
        "SELECT event_key FROM core.archive_events WHERE kickoff_date BETWEEN %(start)s AND %(end)s"
        " AND site_country = %(cc)s)"
    )
    params: dict[str, Any] = {"start": start, "end": end, "cc": site_country}
    if books is not None:
        condition = condition + sql.SQL(" AND book = ANY(%(books)s)")
        packed = packed + sql.SQL(" AND d.book = ANY(%(books)s)")
        params["books"] = [Book(b).value for b in books]
    return _iter_archived(
        conn, condition, packed, params, site_country, by_event=by_event, on_corrupt=on_corrupt
    )


def iter_batch_bodies(
    conn: psycopg.Connection,
    batch_ids: Sequence[str],
    *,
    site_country: str,
    kinds: Sequence[ArchiveKind] = ("catalogue", "list"),
) -> Iterator[ArchivedBody]:
    """Archived bodies of the given batches read from ``site_country``'s sites (by default their catalogue
    and list pages), in capture order."""
    condition = sql.SQL("batch_id = ANY(%(batches)s) AND kind = ANY(%(kinds)s) AND site_country = %(cc)s")
    packed = (
        sql.SQL("p.batch_id = ANY(%(batches)s) AND d.site_country = %(cc)s") if "event" in kinds else None
    )
    params = {"batches": list(batch_ids), "kinds": list(kinds), "cc": site_country}
    return _iter_archived(conn, condition, packed, params, site_country)


_ROWS_SQL = """
SELECT batch_id, book, kind, url, status, captured_at, sr_id, event_id, kickoff_date, dict_id, body,
       raw_hash, base_at, base_hash, key_at, NULL::smallint AS chain_pos
FROM core.raw_archive WHERE {}
"""


def _iter_archived(
    conn: psycopg.Connection,
    condition: sql.Composable,
    packed: sql.Composable | None,
    params: Mapping[str, Any],
    site_country: str,
    *,
    by_event: bool = False,
    on_corrupt: OnCorrupt | None = None,
) -> Iterator[ArchivedBody]:
    """Rows of ``core.raw_archive`` meeting ``condition`` and entries of packs meeting ``packed`` (on ``p``
    the pack, ``d`` its event; None: no entries), decoded, in order."""
    order = (
        "sr_id NULLS FIRST, captured_at, book, url"
        if by_event
        else "captured_at, book, sr_id NULLS FIRST, url"
    )
    parts = [sql.SQL(_ROWS_SQL).format(condition)]
    if packed is not None:
        parts.append(sql.SQL(ENTRIES_SQL.replace("{where}", "{}")).format(packed))
    query = sql.SQL("{} ORDER BY {}").format(sql.SQL(" UNION ALL ").join(parts), sql.SQL(order))
    keyframes = KeyframeDecompressors(conn)
    last: LastBodies[_Decoded] = LastBodies(READER_CACHE_BYTES, lambda item: len(item[1]))
    with conn.transaction(), conn.cursor(name="palimpsest_archive_reader") as cur:
        cur.itersize = 64
        cur.execute(query, params)
        for row in cur:
            (batch_id, book, kind, _url, status, captured_at, sr_id, event_id, kickoff_date, *_rest) = row
            chain_row = entry_chain_row(row)
            key_at = row[14]
            try:
                raw, url = _decode(conn, chain_row, book, event_id, key_at, last, keyframes, site_country)
            except ArchiveCorruptError as error:
                if on_corrupt is None:
                    raise
                on_corrupt(error)
                continue
            if event_id is not None and chain_row.raw_hash is not None:
                last.put((book, event_id), (chain_row.key, raw, url))
            yield ArchivedBody(
                batch_id=batch_id,
                book=Book(book),
                kind=kind,
                url=url,
                status=int(status),
                captured_at=captured_at,
                sr_id=sr_id,
                event_id=event_id,
                kickoff_date=kickoff_date,
                body=raw,
            )


def _decode(
    conn: psycopg.Connection,
    row: ChainRow,
    book: str,
    event_id: str | None,
    key_at: datetime | None,
    last: LastBodies[_Decoded],
    keyframes: KeyframeDecompressors,
    site_country: str,
) -> tuple[bytes, str]:
    """The row's raw bytes and the URL it was asked at (a delta's own, else its base's)."""
    base_key = row.base_key
    if base_key is None:
        if row.url is None:
            raise ArchiveCorruptError(f"{row.where}: a keyframe without its URL")
        return decode_row(row, None, keyframes), row.url
    if event_id is None or (not row.packed and (key_at is None or row.base_at is None)):
        raise ArchiveCorruptError(f"{row.where}: a delta without its event id or keyframe time")
    cached = last.get((book, event_id))
    if cached is None or cached[0] != base_key:
        if row.packed:
            [chain] = load_packed_chains(conn, [(book, event_id, row.captured_at)], site_country=site_country)
        else:
            chain = _row_chain(conn, (book, event_id, key_at, row.base_at, site_country))
        base = resolve_chain(base_key, chain, keyframes, where=row.where)
        base_url = chain_url(base_key, chain, where=row.where)
    else:
        _, base, base_url = cached
    return decode_row(row, base, keyframes), row.url if row.url is not None else base_url


def _row_chain(conn: psycopg.Connection, event: tuple[Any, ...]) -> dict[ChainKey, ChainRow]:
    """The ``core.raw_archive`` rows (event details older versions wrote) of (book, event id, from, to,
    site country) ``event``, keyed by (captured_at, raw_hash)."""
    where = "kind = 'event' AND book = %s AND event_id = %s AND captured_at BETWEEN %s AND %s"
    query = sql.SQL(_ROWS_SQL).format(sql.SQL(where + " AND raw_hash IS NOT NULL AND site_country = %s"))
    rows = [entry_chain_row(row) for row in conn.execute(query, event)]
    return {row.key: row for row in rows}
