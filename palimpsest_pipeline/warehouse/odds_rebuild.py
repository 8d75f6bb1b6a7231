"""Safe rebuilds: re-deriving an event's odds from the archive replaces only what the archive recreates. The
history is change-only, so a rebuild removes the event's history rows at exactly the replayed capture times,
resets its current rows from the rest, then stores the replays in order, all in the caller's transaction."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

import psycopg

from palimpsest_pipeline.records import Book

# One history row holds every change of one capture; the changes removed count.
_CLEAR_HISTORY = """
WITH removed AS (
    DELETE FROM core.odds_changes
    WHERE sr_id = %(sr_id)s AND book = (SELECT history_code FROM core.books WHERE book = %(book)s::text)
      AND site_country = %(cc)s AND captured_at = ANY(%(times)s)
    RETURNING cardinality(key_ids) AS changes
)
SELECT coalesce(sum(changes), 0) FROM removed
"""

# The current state as the remaining history gives it: each outcome's latest row (closed ones included, as
# the store keeps them), and the pair confirmed by its newest remaining capture.
_DROP_CURRENT = """
DELETE FROM core.odds_current_prices WHERE sr_id = %(sr_id)s AND book = %(book)s AND site_country = %(cc)s
"""
_RESET_CURRENT = """
INSERT INTO core.odds_current_prices (sr_id, book, market, specifier, outcome, price, state, changed_at,
                                      site_country)
SELECT DISTINCT ON (h.market, h.specifier, h.outcome)
       h.sr_id, h.book, h.market, h.specifier, h.outcome, h.price, h.state, h.captured_at, h.site_country
FROM core.odds_history AS h
WHERE h.sr_id = %(sr_id)s AND h.book = %(book)s AND h.site_country = %(cc)s
ORDER BY h.market, h.specifier, h.outcome, h.captured_at DESC
"""
_DROP_CONFIRMED = """
DELETE FROM core.odds_confirmed WHERE sr_id = %(sr_id)s AND book = %(book)s AND site_country = %(cc)s
"""
# The newest remaining capture is the latest change of the outcomes just reset (each holds its latest one).
_RESET_CONFIRMED = """
INSERT INTO core.odds_confirmed (sr_id, book, captured_at, site_country)
SELECT sr_id, book, max(changed_at), site_country
FROM core.odds_current_prices
WHERE sr_id = %(sr_id)s AND book = %(book)s AND site_country = %(cc)s
GROUP BY sr_id, book, site_country
"""


def clear_recreated(
    conn: psycopg.Connection, sr_id: int, captures: Mapping[Book, Collection[datetime]], *, site_country: str
) -> int:
    """Make way for re-deriving ``sr_id``'s captures on ``site_country``'s sites at these times, per book,
    inside the transaction that then stores the replays; return the history rows removed."""
    removed = 0
    with conn.transaction():
        for book, times in sorted(captures.items(), key=lambda item: item[0].value):
            if not times:
                continue
            params = {"sr_id": sr_id, "book": Book(book).value, "times": sorted(times), "cc": site_country}
            row = conn.execute(_CLEAR_HISTORY, params).fetchone()
            removed += int(row[0]) if row is not None else 0
            conn.execute(_DROP_CURRENT, params)  # then rebuilt from what history remains
            conn.execute(_RESET_CURRENT, params)
            conn.execute(_DROP_CONFIRMED, params)
            conn.execute(_RESET_CONFIRMED, params)
    return removed
