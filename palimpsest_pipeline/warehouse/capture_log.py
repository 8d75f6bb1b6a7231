"""The capture log (``core.odds_captures``: how every (sr_id, book) capture of a cycle went), stored with the
cycle's prices and single-book suspects in one transaction, and the reads that say how current each book's
prices are. A pair's suspects (``core.market_suspects``) are replaced by its newest stored capture only."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

import polars as pl
import psycopg

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.frames import CAPTURE_LOG_SCHEMA, MARKET_SUSPECTS_SCHEMA
from palimpsest_pipeline.records import MAX_ID_CHARS, Book, OddsRow
from palimpsest_pipeline.warehouse.key_health import CaptureKey, record_payload_fields, refresh_key_health
from palimpsest_pipeline.warehouse.odds_store import OddsInputError, OddsStoreStats, Pair, store_odds
from palimpsest_pipeline.warehouse.quarantine import Quarantined, excerpt, record_quarantine, storable_text
from palimpsest_pipeline.warehouse.store_inputs import require_aware
from palimpsest_pipeline.warehouse.table_io import copy_binary, read_frame

#: How a capture can end (core.odds_captures.status).
CAPTURE_STATUSES = ("ok", "not_listed", "failed", "gone")


class CaptureOutcome(Protocol):
    """What the capture log needs of one (sr_id, book) capture (``scrape.odds.model.CaptureResult``)."""

    @property
    def sr_id(self) -> int: ...
    @property
    def book(self) -> Book: ...
    @property
    def status(self) -> str: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def sent_at(self) -> datetime | None: ...
    @property
    def received_at(self) -> datetime | None: ...
    @property
    def odds(self) -> EventOdds | None: ...


#: The capture's key account (``EventOdds``' counts), stored as they are.
_ODDS_COUNTS = (
    "open_outcomes", "mapped_outcomes", "native_outcomes", "composed_outcomes", "canonical_outcomes",
    "set_aside_outcomes", "suspect_outcomes",
)  # fmt: skip
#: The columns of a ``core.odds_captures`` row and their types for the binary COPY.
_CAPTURE_COLUMNS = (
    "sr_id", "book", "captured_at", "batch_id", "status", "reason", "sent_at", "received_at", *_ODDS_COUNTS,
    "new_fields", "site_country",
)  # fmt: skip
_CAPTURE_TYPES = (
    "int8", "text", "timestamptz", "text", "text", "text", "timestamptz", "timestamptz",
    *("int4" for _ in _ODDS_COUNTS), "text[]", "text",
)  # fmt: skip
#: What re-recording a capture overwrites: everything but its key; payload fields once known stay.
_OVERWRITTEN = ", ".join(
    f"{c} = EXCLUDED.{c}" for c in ("batch_id", "status", "reason", "sent_at", "received_at", *_ODDS_COUNTS)
)


def record_captures(
    conn: psycopg.Connection,
    *,
    batch_id: str,
    site_country: str,
    cycle_at: datetime,
    results: Iterable[CaptureOutcome],
) -> None:
    """Log how every (sr_id, book) capture of a cycle of ``site_country``'s sites went, with each payload's
    key account, at its send time (else ``cycle_at``), overwriting a row recorded before. Payload fields and
    ``analytics.key_health`` are updated in the same transaction."""
    if not batch_id:
        raise OddsInputError("record_captures: batch_id must not be empty")
    require_aware(cycle_at, "record_captures: cycle_at", OddsInputError)
    by_key: dict[CaptureKey, tuple[Any, ...]] = {}
    looked_at: dict[CaptureKey, tuple[str, ...]] = {}
    for r in results:
        where = f"record_captures: sr_id {r.sr_id} on {r.book}"
        if r.status not in CAPTURE_STATUSES:
            raise OddsInputError(f"{where}: status {r.status!r} is not one of {CAPTURE_STATUSES}")
        if r.status == "ok" and (r.sent_at is None or r.odds is None):
            raise OddsInputError(f"{where}: status ok needs sent_at and odds")
        for name, moment in (("sent_at", r.sent_at), ("received_at", r.received_at)):
            if moment is not None:
                require_aware(moment, f"{where}: {name}", OddsInputError)
        book = Book(r.book).value
        captured_at = r.sent_at or cycle_at
        by_key[(r.sr_id, book, captured_at)] = (
            r.sr_id,
            book,
            captured_at,
            batch_id,
            r.status,
            None if r.reason is None else storable_text(r.reason, 2_000),
            r.sent_at,
            r.received_at,
            *(None if r.odds is None else getattr(r.odds, name) for name in _ODDS_COUNTS),
            None,
            site_country,
        )
        paths = None if r.odds is None else r.odds.field_paths
        if r.status == "ok" and paths is not None:
            looked_at[(r.sr_id, book, captured_at)] = paths
    columns = ", ".join(_CAPTURE_COLUMNS)
    with conn.transaction():
        for key, fields in record_payload_fields(conn, list(looked_at.items()), site_country).items():
            by_key[key] = (*by_key[key][:-2], fields, site_country)
        copy_binary(conn, "captures_in", _CAPTURE_COLUMNS, _CAPTURE_TYPES, list(by_key.values()), temp=True)
        conn.execute(
            f"""
            INSERT INTO core.odds_captures ({columns})
            SELECT {columns} FROM captures_in
            ON CONFLICT (sr_id, book, site_country, captured_at) DO UPDATE SET {_OVERWRITTEN},
                new_fields = coalesce(core.odds_captures.new_fields, EXCLUDED.new_fields)
            """
        )
        conn.execute("DROP TABLE captures_in")
        refresh_key_health(conn, [(site_country, book, at) for _, book, at in by_key])


@dataclass(frozen=True)
class CaptureLine:
    """One row of the capture log: how one book's capture of one SR id went (``core.odds_captures``)."""

    sr_id: int
    book: str
    status: str
    reason: str | None
    open_outcomes: int | None
    mapped_outcomes: int | None


def read_captured_sr_ids(conn: psycopg.Connection, batch_id: str, *, site_country: str) -> list[int]:
    """The SR ids one capture run asked any book of ``site_country``'s sites about, whatever the answer: a
    failed attempt changes the comparison too (its prices turn stale)."""
    rows = conn.execute(
        "SELECT DISTINCT sr_id FROM core.odds_captures WHERE batch_id = %s AND site_country = %s ORDER BY 1",
        (batch_id, site_country),
    ).fetchall()
    return [int(r[0]) for r in rows]


def read_capture_lines(conn: psycopg.Connection, batch_id: str) -> list[CaptureLine]:
    """What each book gave for each SR id in one capture run (``core.odds_captures`` of the batch), by
    SR id, book and capture time: what was stored, not what the run remembers."""
    rows = conn.execute(
        "SELECT sr_id, book, status, reason, open_outcomes, mapped_outcomes FROM core.odds_captures "
        "WHERE batch_id = %s ORDER BY sr_id, book, captured_at",
        (batch_id,),
    ).fetchall()
    return [CaptureLine(int(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in rows]


def record_unmapped(
    conn: psycopg.Connection, *, batch_id: str, site_country: str, unmapped: Mapping[tuple[Book, str], int]
) -> None:
    """Record the book markets a batch of ``site_country``'s sites could not map (open outcomes per (book,
    market key)); re-recording a batch replaces its counts of that country."""
    if not batch_id:
        raise OddsInputError("record_unmapped: batch_id must not be empty")
    merged: dict[tuple[str, str], int] = {}
    for (book, key), outcomes in unmapped.items():
        if outcomes < 0:
            raise OddsInputError(f"record_unmapped: {book} market {key!r} has a negative count {outcomes}")
        if outcomes:  # a book's key is its text: NULs out, bounded (two hostile keys may then merge)
            storable = (Book(book).value, storable_text(str(key), MAX_ID_CHARS))
            merged[storable] = merged.get(storable, 0) + outcomes
    rows = [(batch_id, book, key, outcomes, site_country) for (book, key), outcomes in merged.items()]
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            "DELETE FROM core.unmapped_markets WHERE batch_id = %s AND site_country = %s",
            (batch_id, site_country),
        )
        cur.executemany(
            "INSERT INTO core.unmapped_markets (batch_id, book, market_key, outcomes, site_country) "
            "VALUES (%s, %s, %s, %s, %s)",
            sorted(rows),
        )


def store_capture_cycle(
    conn: psycopg.Connection,
    results: Iterable[Any],
    cycle_at: datetime,
    unmapped: Mapping[tuple[Book, str], int] | None = None,
    *,
    batch_id: str,
    site_country: str,
) -> OddsStoreStats:
    """Store one capture cycle of ``site_country``'s sites atomically: the capture log of its ``results``
    (``cycle_at`` stamps those never sent) and key health, the ``unmapped`` markets (None: a rebuild's, left
    as recorded), the prices and each successful capture's single-book suspects. A 'gone' result closes
    everything its pair had; 'failed' and 'not_listed' change no price."""
    results = list(results)
    captured: dict[Pair, datetime] = {}
    priced: list[Any] = []
    noted: list[Quarantined] = []
    suspects: dict[Pair, list[SuspectRow]] = {}
    unread: dict[Pair, tuple[tuple[int, str], ...]] = {}
    for r in results:
        if r.status in ("ok", "gone") and r.sent_at is not None:
            pair = (r.sr_id, Book(r.book))
            captured[pair] = r.sent_at
            suspects[pair] = list(r.odds.suspects) if r.status == "ok" else []
            if r.status == "ok":
                priced.append(r)
                unread[pair] = tuple(r.odds.unread_lines)
                noted.extend(_parse_notes(r))
    # Rows materialised result by result as the store reads them: a batch of deep events is large.
    rows: Iterator[OddsRow] = (row for r in priced for row in r.rows())
    with conn.transaction():
        record_captures(
            conn, batch_id=batch_id, site_country=site_country, cycle_at=cycle_at, results=results
        )
        if unmapped is not None:
            record_unmapped(conn, batch_id=batch_id, site_country=site_country, unmapped=unmapped)
        record_quarantine(conn, batch_id=batch_id, site_country=site_country, items=noted)
        stats = store_odds(
            conn,
            rows,
            site_country=site_country,
            captured=captured,
            batch_id=batch_id,
            unread_lines=unread,
        )
        store_market_suspects(conn, captured, suspects, site_country=site_country)
    return replace(stats, quarantined=(*noted, *stats.quarantined))


def _parse_notes(result: CaptureOutcome) -> list[Quarantined]:
    """What the parser set aside (a malformed outcome) or cleaned (a NUL) in one capture: quarantine items."""
    notes = result.odds.notes if result.odds is not None else ()
    book = Book(result.book).value
    return [
        Quarantined("odds", book, kind, reason, excerpt(reason), sr_id=result.sr_id, key=f"parse|{reason}")
        for kind, reason in notes
    ]


def read_latest_attempts(
    conn: psycopg.Connection, sr_ids: Sequence[int], *, site_country: str
) -> pl.DataFrame:
    """Per (sr_id, book) ever captured on ``site_country``'s sites: the latest attempt (time, status) and the
    latest successful one, in ``CAPTURE_LOG_SCHEMA`` (``transforms.freshness.stale_before``'s input)."""
    return read_frame(
        conn,
        """
        SELECT sr_id, book,
               max(captured_at) AS last_attempt_at,
               (array_agg(status ORDER BY captured_at DESC))[1] AS last_attempt_status,
               max(captured_at) FILTER (WHERE status = 'ok') AS last_ok_at
        FROM core.odds_captures
        WHERE sr_id = ANY(%s::bigint[]) AND site_country = %s
        GROUP BY sr_id, book
        ORDER BY sr_id, book
        """,
        (list(sr_ids), site_country),
    ).cast(CAPTURE_LOG_SCHEMA)  # type: ignore[arg-type]


#: (market, specifier, reason, detail) of one suspect market (``markets.checks.verdicts.Suspect``).
SuspectRow = tuple[int, str, str, str]

# A pair's suspects are replaced only by its newest stored capture (core.odds_confirmed), in two statements
# (a row deleted and re-inserted by one would collide with itself in the primary key).
_NEWEST = """
CREATE TEMP TABLE newest_pairs ON COMMIT DROP AS
SELECT p.sr_id, p.book, p.captured_at FROM suspect_pairs AS p
WHERE NOT EXISTS (SELECT 1 FROM core.odds_confirmed AS c
                  WHERE c.sr_id = p.sr_id AND c.book = p.book AND c.site_country = %(cc)s
                    AND c.captured_at > p.captured_at)
"""
_CLEAR = """
DELETE FROM core.market_suspects AS s USING newest_pairs AS n
WHERE s.sr_id = n.sr_id AND s.book = n.book AND s.site_country = %(cc)s
"""
_INSERT = """
INSERT INTO core.market_suspects (sr_id, book, market, specifier, reason, detail, captured_at, site_country)
SELECT i.sr_id, i.book, i.market, i.specifier, i.reason, i.detail, n.captured_at, %(cc)s
FROM suspects_in AS i JOIN newest_pairs AS n USING (sr_id, book)
ORDER BY i.sr_id, i.book, i.market, i.specifier
"""


def store_market_suspects(
    conn: psycopg.Connection,
    captured: Mapping[Pair, datetime],
    suspects: Mapping[Pair, Iterable[SuspectRow]],
    *,
    site_country: str,
) -> None:
    """Replace the suspects of every pair of ``site_country``'s sites in ``captured`` (its capture time) with
    its rows in ``suspects``, in the odds store's transaction (under its pair locks); a pair with a newer
    stored capture is left alone."""
    if not captured:
        return
    rows: dict[tuple[int, str, int, str], tuple[object, ...]] = {}
    for (sr_id, book), found in suspects.items():
        if (sr_id, book) not in captured:
            raise ValueError(f"store_market_suspects: ({sr_id}, {book}) has suspects but no capture")
        for market, specifier, reason, detail in found:
            key = (sr_id, Book(book).value, market, specifier)
            rows.setdefault(key, (*key, reason, storable_text(detail, 2_000)))
    conn.execute("DROP TABLE IF EXISTS pg_temp.newest_pairs")
    copy_binary(
        conn,
        "suspect_pairs",
        ("sr_id", "book", "captured_at"),
        ("int8", "text", "timestamptz"),
        [(sr_id, Book(book).value, at) for (sr_id, book), at in captured.items()],
        temp=True,
    )
    copy_binary(
        conn,
        "suspects_in",
        ("sr_id", "book", "market", "specifier", "reason", "detail"),
        ("int8", "text", "int4", "text", "text", "text"),
        list(rows.values()),
        temp=True,
    )
    country = {"cc": site_country}
    conn.execute(_NEWEST, country)
    conn.execute(_CLEAR, country)
    conn.execute(_INSERT, country)
    conn.execute("DROP TABLE suspect_pairs, suspects_in, newest_pairs")


def read_market_suspects(
    conn: psycopg.Connection, sr_ids: Sequence[int], *, site_country: str
) -> pl.DataFrame:
    """The current single-book suspects of ``sr_ids`` on ``site_country``'s sites
    (``MARKET_SUSPECTS_SCHEMA``), for the comparison."""
    return read_frame(
        conn,
        "SELECT sr_id, book, market, specifier, reason, detail FROM core.market_suspects "
        "WHERE sr_id = ANY(%s::bigint[]) AND site_country = %s ORDER BY sr_id, book, market, specifier",
        (list(sr_ids), site_country),
    ).cast(MARKET_SUSPECTS_SCHEMA)  # type: ignore[arg-type]
