"""Odds as change-only history plus a current table, written set-based in one transaction per call, and read
back as current prices. Each capture is compared with the state at its own time, so re-writing a capture adds
nothing and an archive replay reproduces the history row for row (docs/odds-storage.md)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl
import psycopg

from palimpsest_pipeline.frames import ODDS_SCHEMA
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.warehouse.locks import lock_units
from palimpsest_pipeline.warehouse.partitions import ensure_day_partitions, utc_day
from palimpsest_pipeline.warehouse.quarantine import Quarantined, record_quarantine, screen_odds
from palimpsest_pipeline.warehouse.store_inputs import Counts, checked_book, require_aware
from palimpsest_pipeline.warehouse.table_io import copy_binary, read_frame

#: The physical history: one row per (event, book, capture) with the capture's changes as integer arrays;
#: ``core.odds_history`` is its decoded view, one row per change.
HISTORY_TABLE = "core.odds_changes"


Pair = tuple[int, Book]
#: (market, specifier with its player masked by :func:`player_shape`): the prices of any player on one line.
PlayerShape = tuple[int, str]


class OddsInputError(ValueError):
    """Odds handed to the store are inconsistent; the message names the row or pair and the field."""


@dataclass(frozen=True)
class OddsStoreStats(Counts):
    """What one :func:`store_odds` call wrote (``closed``: history rows closing an outcome)."""

    history_rows: int = 0
    current_upserts: int = 0
    closed: int = 0
    quarantined: tuple[Quarantined, ...] = ()


def store_odds(
    conn: psycopg.Connection,
    rows: Iterable[OddsRow],
    *,
    site_country: str,
    captured: Mapping[Pair, datetime],
    batch_id: str | None = None,
    unread_lines: Mapping[Pair, Collection[PlayerShape]] | None = None,
) -> OddsStoreStats:
    """Store the prices of successful captures of ``site_country``'s sites; ``captured`` maps every
    successfully captured (sr_id, book) to its capture time, which each row must have. A pair with no rows
    closes everything it had open. Rows that cannot be stored are quarantined under ``batch_id``.
    ``unread_lines``: per pair, lines the capture could not read whole, whose prices it never closes."""
    pairs = _validated_pairs(captured)
    by_pair = _rows_by_pair(rows, pairs)
    if not pairs:
        return OddsStoreStats()
    quarantined: list[Quarantined] = []
    country = {"cc": site_country}
    with conn.transaction():
        # one writer per (site, event, book): a second capture of the pair waits, then sees this one's state
        lock_units(conn, (f"odds:{site_country}:{sr_id}:{book.value}" for sr_id, book in pairs))
        ensure_day_partitions(conn, HISTORY_TABLE, {utc_day(at) for at in pairs.values()})
        _load(conn, _screened(by_pair, pairs, quarantined), pairs)
        if batch_id is not None and quarantined:
            record_quarantine(conn, batch_id=batch_id, site_country=site_country, items=quarantined)
        conn.execute(_MARK_REWRITES, country)
        conn.execute(_PRIOR_STATE, country)
        conn.execute(_CHANGES)
        if _load_unread_lines(conn, unread_lines or {}, pairs):
            conn.execute(_KEEP_UNREAD_LINES)
        conn.execute("ANALYZE odds_delta")
        conn.execute(_ADD_MARKET_KEYS)
        counts = conn.execute(_INSERT_HISTORY_AND_CLOSE_CURRENT, country).fetchone()
        assert counts is not None
        history_rows, closed, closed_current = (int(c) for c in counts)
        current_upserts = conn.execute(_UPSERT_CURRENT, country).rowcount + closed_current
        conn.execute(_CONFIRM_PAIRS, country)
        conn.execute("DROP TABLE IF EXISTS odds_in, pairs_in, odds_prior, odds_delta, unread_in")
    return OddsStoreStats(history_rows, current_upserts, closed, tuple(quarantined))


_ODDS_COLUMNS = ("sr_id", "book", "market", "specifier", "outcome", "price", "state", "captured_at")
_ODDS_TYPES = ("int8", "text", "int4", "text", "int4", "float8", "text", "timestamptz")


def _load(conn: psycopg.Connection, odds: Iterable[tuple[Any, ...]], pairs: Mapping[Pair, datetime]) -> None:
    """COPY the capture into session temp tables (dropped at the end of the call)."""
    conn.execute(
        "DROP TABLE IF EXISTS pg_temp.pairs_in, pg_temp.odds_prior, pg_temp.odds_delta, pg_temp.unread_in"
    )
    copy_binary(conn, "odds_in", _ODDS_COLUMNS, _ODDS_TYPES, odds, temp=True)
    conn.execute(
        """
        CREATE TEMP TABLE pairs_in (
            sr_id bigint, book text, captured_at timestamptz, rewrite boolean NOT NULL DEFAULT false,
            newer_stored boolean NOT NULL DEFAULT false, PRIMARY KEY (sr_id, book)
        ) ON COMMIT DROP
        """
    )
    copy_binary(
        conn,
        "pairs_in",
        ("sr_id", "book", "captured_at"),
        ("int8", "text", "timestamptz"),
        [(sr_id, book.value, at) for (sr_id, book), at in pairs.items()],
    )
    conn.execute("ANALYZE pairs_in")


def _load_unread_lines(
    conn: psycopg.Connection, unread: Mapping[Pair, Collection[PlayerShape]], pairs: Mapping[Pair, datetime]
) -> bool:
    """COPY the player lines each pair could not read into ``unread_in``; False when there are none."""
    rows = [
        (sr_id, Book(book).value, market, shape)
        for (sr_id, book), shapes in unread.items()
        if (sr_id, Book(book)) in pairs
        for market, shape in shapes
    ]
    if not rows:
        return False
    columns = ("sr_id", "book", "market", "shape")
    copy_binary(conn, "unread_in", columns, ("int8", "text", "int4", "text"), rows, temp=True)
    return True


# A closing on a line the capture could not read whole is no closing (the player masked as
# markets.players.PLAYER_VALUE does; a shape ending "|*": every line of a family; "*": the whole pair).
_KEEP_UNREAD_LINES = r"""
DELETE FROM odds_delta AS d
USING unread_in AS u
WHERE d.state = 'closed' AND d.sr_id = u.sr_id AND d.book = u.book
  AND (u.shape = '*' OR d.market = u.market)
  AND (u.shape = '*' OR regexp_replace(d.specifier, '(^|\|)player=[^|]*', '\1player=*', 'g') = u.shape
       OR (right(u.shape, 2) = '|*'
           AND strpos('|' || d.specifier || '|', '|' || left(u.shape, -2) || '|') > 0))
"""

# A pair is a re-write when something stored for it is at least as new as this capture: its state as of the
# capture must then come from the history, and current rows newer than the capture must not be touched.
_MARK_REWRITES = """
UPDATE pairs_in AS p
SET rewrite = c.captured_at >= p.captured_at, newer_stored = c.captured_at > p.captured_at
FROM core.odds_confirmed AS c
WHERE c.sr_id = p.sr_id AND c.book = p.book AND c.site_country = %(cc)s
"""

# Every outcome's (price, state) as of each pair's capture, and since when (its latest change).
_PRIOR_STATE = """
CREATE TEMP TABLE odds_prior ON COMMIT DROP AS
SELECT c.sr_id, c.book, c.market, c.specifier, c.outcome, c.price, c.state, c.changed_at,
       p.captured_at AS capture_at, p.newer_stored
FROM pairs_in AS p
JOIN core.odds_current_prices AS c USING (sr_id, book)
WHERE NOT p.rewrite AND c.site_country = %(cc)s
UNION ALL
(SELECT DISTINCT ON (h.sr_id, h.book, h.market, h.specifier, h.outcome)
        h.sr_id, h.book, h.market, h.specifier, h.outcome, h.price, h.state, h.captured_at,
        p.captured_at, p.newer_stored
 FROM pairs_in AS p
 JOIN core.odds_history AS h ON h.sr_id = p.sr_id AND h.book = p.book AND h.captured_at < p.captured_at
                          AND h.site_country = %(cc)s
 WHERE p.rewrite
 ORDER BY h.sr_id, h.book, h.market, h.specifier, h.outcome, h.captured_at DESC)
"""

# What the capture changed: incoming rows that differ from the prior state (or are new to it), and prior
# outcomes absent from the capture (closings, at the capture's time).
_CHANGES = """
CREATE TEMP TABLE odds_delta ON COMMIT DROP AS
SELECT sr_id, book, market, specifier, outcome,
       CASE WHEN i.sr_id IS NULL THEN NULL ELSE i.price END AS price,
       CASE WHEN i.sr_id IS NULL THEN 'closed' ELSE i.state END AS state,
       coalesce(i.captured_at, p.capture_at) AS captured_at
FROM odds_in AS i
FULL JOIN odds_prior AS p USING (sr_id, book, market, specifier, outcome)
WHERE CASE WHEN i.sr_id IS NULL THEN p.state <> 'closed'
           ELSE p.sr_id IS NULL OR (p.price, p.state) IS DISTINCT FROM (i.price, i.state) END
"""

# Keys the changes refer to that the dimension lacks, in key order (two writers never deadlock).
_ADD_MARKET_KEYS = """
INSERT INTO core.market_keys (market, specifier, outcome)
SELECT DISTINCT n.market, n.specifier, n.outcome
FROM odds_delta AS n
WHERE NOT EXISTS (SELECT 1 FROM core.market_keys AS k
                  WHERE k.market = n.market AND k.specifier = n.specifier AND k.outcome = n.outcome)
ORDER BY n.market, n.specifier, n.outcome
ON CONFLICT DO NOTHING
"""

# New history: the changes, coded, one row per (event, book, capture); the closings really inserted also close
# the current rows unless the pair has newer captures stored (a repeated capture changes nothing).
_INSERT_HISTORY_AND_CLOSE_CURRENT = """
WITH coded AS (
    SELECT c.captured_at, c.sr_id, c.book, k.key_id,
           CASE c.state WHEN 'closed' THEN 0
                        WHEN 'suspended' THEN coalesce(-round(c.price * 1000)::integer, -1)
                        ELSE round(c.price * 1000)::integer END AS code
    FROM odds_delta AS c
    JOIN core.market_keys AS k USING (market, specifier, outcome)
), inserted AS (
    INSERT INTO core.odds_changes AS h (captured_at, sr_id, book, key_ids, codes, site_country)
    SELECT c.captured_at, c.sr_id, b.history_code, array_agg(c.key_id ORDER BY c.key_id),
           array_agg(c.code ORDER BY c.key_id), %(cc)s
    FROM coded AS c
    JOIN core.books AS b USING (book)
    GROUP BY c.captured_at, c.sr_id, b.history_code
    ON CONFLICT (sr_id, book, site_country, captured_at) DO NOTHING
    RETURNING h.sr_id, h.book, h.captured_at, h.key_ids, h.codes
), inserted_changes AS (
    SELECT x.sr_id, b.book, x.captured_at, u.key_id, u.code
    FROM inserted AS x
    JOIN core.books AS b ON b.history_code = x.book
    CROSS JOIN LATERAL unnest(x.key_ids, x.codes) AS u (key_id, code)
), closed_current AS (
    UPDATE core.odds_current_prices AS c
    SET price = NULL, state = 'closed', changed_at = x.captured_at
    FROM inserted_changes AS x
    JOIN core.market_keys AS k ON k.key_id = x.key_id
    JOIN pairs_in AS q ON q.sr_id = x.sr_id AND q.book = x.book
    WHERE x.code = 0 AND NOT q.newer_stored
      AND c.sr_id = x.sr_id AND c.book = x.book AND c.site_country = %(cc)s
      AND c.market = k.market AND c.specifier = k.specifier AND c.outcome = k.outcome
      AND c.changed_at <= x.captured_at
    RETURNING 1
)
SELECT (SELECT count(*) FROM inserted_changes), (SELECT count(*) FROM inserted_changes WHERE code = 0),
       (SELECT count(*) FROM closed_current)
"""

# Only what changed is written, at the capture's time; the capture confirming the rest is recorded once per
# pair (_CONFIRM_PAIRS).
_UPSERT_CURRENT = """
INSERT INTO core.odds_current_prices AS c (sr_id, book, market, specifier, outcome, price, state, changed_at,
                                           site_country)
SELECT d.sr_id, d.book, d.market, d.specifier, d.outcome, d.price, d.state, d.captured_at, %(cc)s
FROM odds_delta AS d
JOIN pairs_in AS q USING (sr_id, book)
WHERE NOT q.newer_stored AND d.state <> 'closed'
ON CONFLICT (sr_id, book, site_country, market, specifier, outcome) DO UPDATE SET
    price = EXCLUDED.price, state = EXCLUDED.state, changed_at = EXCLUDED.changed_at
WHERE c.changed_at <= EXCLUDED.changed_at
  AND (c.price, c.state, c.changed_at) IS DISTINCT FROM (EXCLUDED.price, EXCLUDED.state, EXCLUDED.changed_at)
"""

# Each pair's newest successful capture, moved forward only, in key order.
_CONFIRM_PAIRS = """
INSERT INTO core.odds_confirmed AS c (sr_id, book, captured_at, site_country)
SELECT sr_id, book, captured_at, %(cc)s FROM pairs_in WHERE NOT newer_stored ORDER BY sr_id, book
ON CONFLICT (sr_id, book, site_country) DO UPDATE SET captured_at = EXCLUDED.captured_at
WHERE c.captured_at < EXCLUDED.captured_at
"""


def _validated_pairs(captured: Mapping[Pair, datetime]) -> dict[Pair, datetime]:
    pairs: dict[Pair, datetime] = {}
    for key, at in captured.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            raise OddsInputError(f"store_odds: captured keys must be (sr_id, book) pairs, got {key!r}")
        sr_id, book_value = key
        where = f"store_odds: captured pair ({sr_id}, {book_value})"
        if not isinstance(sr_id, int) or sr_id <= 0:
            raise OddsInputError(f"{where}: sr_id must be a positive int")
        book = checked_book(book_value, where, OddsInputError)
        require_aware(at, f"{where}: captured_at", OddsInputError)
        pairs[(sr_id, book)] = at
    return pairs


def _rows_by_pair(rows: Iterable[OddsRow], pairs: Mapping[Pair, datetime]) -> dict[Pair, list[OddsRow]]:
    """The rows grouped by (sr_id, book), each checked against its capture. A row that does not belong to one
    of the captures is the caller's bug, not the book's: it raises, before anything is written."""
    by_pair: dict[Pair, list[OddsRow]] = {}
    for row in rows:
        at = pairs.get((row.sr_id, row.book))
        if at is None:
            raise OddsInputError(f"{_where(row)}: its (sr_id, book) is not among the successful captures")
        if row.captured_at != at:
            raise OddsInputError(
                f"{_where(row)}: captured_at {row.captured_at.isoformat()} differs from the pair's capture "
                f"time {at.isoformat()}"
            )
        by_pair.setdefault((row.sr_id, row.book), []).append(row)
    return by_pair


def _screened(
    by_pair: dict[Pair, list[OddsRow]], pairs: Mapping[Pair, datetime], quarantined: list[Quarantined]
) -> Iterator[tuple[Any, ...]]:
    """COPY tuples, screened one (sr_id, book) at a time (a key belongs to one pair, so only one pair's rows
    are held); what is set aside is appended to ``quarantined`` as it goes."""
    for pair in list(by_pair):
        odds, found = screen_odds(by_pair.pop(pair), pairs)
        quarantined.extend(found)
        yield from odds


def _where(row: OddsRow) -> str:
    return (
        f"store_odds: {row.book} sr_id={row.sr_id} market={row.market} {row.specifier!r} "
        f"outcome={row.outcome}"
    )


def read_current_odds(
    conn: psycopg.Connection, *, site_country: str, sr_ids: Sequence[int] | None = None
) -> pl.DataFrame:
    """Open and suspended current odds (closed ones excluded) read from ``site_country``'s sites, as a frame
    in ``frames.ODDS_SCHEMA``, the input ``transforms.odds_compare`` expects; narrowed to ``sr_ids``."""
    return read_frame(
        conn,
        """
        SELECT o.sr_id, o.book, o.market, o.specifier, o.outcome, o.price, o.state, o.captured_at
        FROM core.odds_current AS o
        WHERE o.state <> 'closed' AND o.site_country = %(cc)s
          AND (%(ids)s::bigint[] IS NULL OR o.sr_id = ANY(%(ids)s::bigint[]))
        ORDER BY o.sr_id, o.book, o.market, o.specifier, o.outcome
        """,
        {"cc": site_country, "ids": None if sr_ids is None else list(sr_ids)},
    ).cast(ODDS_SCHEMA)  # type: ignore[arg-type]
