"""One writer at a time per unit of work: transaction-level advisory locks named by the unit.

Two writers of one unit would each read the state before the other commits. Locks are held to the end of
the transaction and taken in name order, so overlapping writers never deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable

import psycopg

_TAKE = """
SELECT count(pg_advisory_xact_lock(hashtextextended(name, 0)))
FROM (SELECT name FROM unnest(%s::text[]) WITH ORDINALITY AS u(name, position) ORDER BY position) AS ordered
"""


def lock_units(conn: psycopg.Connection, units: Iterable[str]) -> None:
    """Wait for and take the lock of every unit named, in name order; the caller must be in a transaction."""
    names = sorted(set(units))
    if names:
        conn.execute(_TAKE, (names,))
