"""Locks: one writer at a time per unit of work (advisory locks held to the end of the transaction, taken
in name order so overlapping writers never deadlock), and maintenance that waits for its locks briefly and
tries again (a statement queued for a strong lock blocks every writer behind it)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

import psycopg
from psycopg import errors, sql

T = TypeVar("T")
_TAKE = """
SELECT count(pg_advisory_xact_lock(hashtextextended(name, 0)))
FROM (SELECT name FROM unnest(%s::text[]) WITH ORDINALITY AS u(name, position) ORDER BY position) AS ordered
"""


def lock_units(conn: psycopg.Connection, units: Iterable[str]) -> None:
    """Wait for and take the lock of every unit named, in name order; the caller must be in a transaction."""
    names = sorted(set(units))
    if names:
        conn.execute(_TAKE, (names,))


class MaintenanceLockError(RuntimeError):
    """A maintenance step could not take its locks in any of its attempts; the message names it."""


@dataclass(frozen=True)
class DeferredStep:
    """A maintenance step that gave way to the captures and readers, left for the next one with its reason."""

    step: str
    reason: str


def briefly(
    conn: psycopg.Connection,
    what: str,
    work: Callable[[], T],
    *,
    in_transaction: bool = True,
    lock_timeout_ms: int = 2_000,
    attempts: int = 6,
    first_pause_s: float = 0.5,
) -> T:
    """Run ``work`` with ``lock_timeout`` set (the most it delays a capture queued behind it), in its own
    transaction unless ``in_transaction`` is False; retry with a growing pause when a lock was not granted.
    ``conn`` must be in autocommit mode, so that each attempt commits (or rolls back) on its own."""
    require_autocommit(conn, what)
    pause = first_pause_s
    for attempt in range(1, attempts + 1):
        try:
            if in_transaction:
                with conn.transaction():
                    conn.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(lock_timeout_ms)))
                    return work()
            conn.execute(sql.SQL("SET lock_timeout = {}").format(sql.Literal(lock_timeout_ms)))
            try:
                return work()
            finally:
                conn.execute("RESET lock_timeout")
        except errors.LockNotAvailable as err:
            if attempt == attempts:
                raise MaintenanceLockError(
                    f"{what}: its locks were not granted within {lock_timeout_ms} ms in {attempts} attempts "
                    f"(a long transaction holds the table; it will be tried again at the next maintenance): "
                    f"{err}"
                ) from err
            time.sleep(pause)
            pause *= 2
    raise AssertionError("unreachable")


def require_autocommit(conn: psycopg.Connection, what: str) -> None:
    """Refuse a connection inside a transaction: its steps would hold every lock until the caller commits."""
    if not conn.autocommit:
        raise MaintenanceLockError(f"{what}: needs an autocommit connection, so each step commits alone")
