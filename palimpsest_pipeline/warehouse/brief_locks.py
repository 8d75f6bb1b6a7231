"""Maintenance that waits for its locks briefly, gives way and tries again.

A maintenance statement queued for a strong lock blocks every writer behind it, so each runs in its own
short transaction with a ``lock_timeout`` and is retried with a growing pause.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import psycopg
from psycopg import errors, sql

T = TypeVar("T")

#: How long one maintenance statement may wait for a lock: the most it delays a capture queued behind it.
LOCK_TIMEOUT_MS = 2_000
ATTEMPTS = 6
FIRST_PAUSE_S = 0.5


class MaintenanceLockError(RuntimeError):
    """A maintenance step could not take its locks in any of its attempts; the message names it."""


def briefly(
    conn: psycopg.Connection,
    what: str,
    work: Callable[[], T],
    *,
    in_transaction: bool = True,
    lock_timeout_ms: int = LOCK_TIMEOUT_MS,
    attempts: int = ATTEMPTS,
    first_pause_s: float = FIRST_PAUSE_S,
) -> T:
    """Run ``work`` with ``lock_timeout`` set, in its own transaction unless ``in_transaction`` is False
    (statements that refuse a transaction block); retry when a lock was not granted in time.

    ``conn`` must be in autocommit mode, so that each attempt commits (or rolls back) on its own.
    """
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
