"""The weekly digest's deliveries: one row per site country, ISO week and receiver. Each receiver's turn is
one transaction holding that unit's advisory lock, so two runs of one week never send it twice: the second
waits, then finds it sent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

import psycopg

from palimpsest_pipeline.warehouse.locks import lock_units


@contextmanager
def receiver_turn(conn: psycopg.Connection, site_country: str, week: str, receiver: str) -> Iterator[bool]:
    """A transaction holding the (country, week, receiver) lock; yields whether the receiver still lacks the
    digest (False: it was sent before)."""
    with conn.transaction():
        lock_units(conn, [f"digest:{site_country}:{week}:{receiver}"])
        row = conn.execute(
            "SELECT status FROM analytics.digest_deliveries"
            " WHERE site_country = %s AND iso_week = %s AND receiver = %s",
            (site_country, week, receiver),
        ).fetchone()
        yield row is None or row[0] != "sent"


def record_delivery(
    conn: psycopg.Connection,
    *,
    site_country: str,
    week: str,
    receiver: str,
    title: str,
    error: str | None,
    now: datetime,
) -> None:
    """One attempt's outcome (inside :func:`receiver_turn`'s transaction)."""
    conn.execute(
        """
        INSERT INTO analytics.digest_deliveries AS d
            (site_country, iso_week, receiver, status, attempts, last_attempt_at, sent_at, last_error, title)
        VALUES (%(cc)s, %(week)s, %(receiver)s, %(status)s, 1, %(now)s, %(sent_at)s, %(error)s, %(title)s)
        ON CONFLICT (site_country, iso_week, receiver) DO UPDATE SET
            status = EXCLUDED.status, attempts = d.attempts + 1, last_attempt_at = EXCLUDED.last_attempt_at,
            sent_at = EXCLUDED.sent_at, last_error = EXCLUDED.last_error, title = EXCLUDED.title
        """,
        {
            "cc": site_country,
            "week": week,
            "receiver": receiver,
            "status": "sent" if error is None else "failed",
            "now": now,
            "sent_at": now if error is None else None,
            "error": error,
            "title": title,
        },
    )


def deliver_once(
    conn: psycopg.Connection,
    site_country: str,
    week: str,
    receiver: str,
    title: str,
    send: Callable[[], str | None],
    now: datetime,
) -> str:
    """Send through ``send`` (None: taken, else why not) unless the receiver has the week's digest already;
    what happened: ``sent``, ``failed`` or ``already sent``."""
    with receiver_turn(conn, site_country, week, receiver) as wanted:
        if not wanted:
            return "already sent"
        error = send()
        record_delivery(
            conn, site_country=site_country, week=week, receiver=receiver, title=title, error=error, now=now
        )
        return "sent" if error is None else "failed"
