"""Day partitions of the range-partitioned tables (odds history, raw archive), created on demand.

A partition per UTC day keeps retention cheap (dropping a day is a catalogue operation, not a DELETE that
leaves dead rows for vacuum) and lets reads of a time range touch only its days. Partitions are created by
the writers just before they insert, not ahead by a scheduler, so a pipeline that was down for a week needs
no catching up. Naming is fixed — ``<table>_pYYYYMMDD`` beside the parent, bounds ``[day 00:00Z, next day
00:00Z)`` — so retention can read a partition's day from its name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

import psycopg
from psycopg import sql

_SUFFIX = re.compile(r"_p(\d{8})$")


class PartitionError(ValueError):
    """A partitioned table name or day is unusable; the message names it."""


def partition_name(parent: str, day: date) -> str:
    """``core.odds_history`` + 2026-05-06 -> ``odds_history_p20260506`` (same schema as the parent)."""
    _schema, table = _split(parent)
    return f"{table}_p{day:%Y%m%d}"


def utc_day(moment: datetime) -> date:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise PartitionError(f"timestamp {moment.isoformat()} is naive; partitions are by UTC day")
    return moment.astimezone(UTC).date()


def ensure_day_partitions(conn: psycopg.Connection, parent: str, days: Iterable[date]) -> list[str]:
    """Create the missing day partitions of ``parent`` for ``days``; return the names created.

    Safe under concurrency: creation of one day is serialised by a transaction-level advisory lock and
    re-checked under it, so two writers racing for the same new day both succeed. Runs inside the caller's
    transaction (a savepoint when one is open); the lock is released when that transaction ends.
    """
    schema, _table = _split(parent)
    existing = {day for day, _name in _existing_days(conn, parent)}
    created: list[str] = []
    for day in sorted(set(days) - existing):
        name = partition_name(parent, day)
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"{schema}.{name}",))
            if conn.execute("SELECT to_regclass(%s)", (f"{schema}.{name}",)).fetchone() != (None,):
                continue
            start = datetime.combine(day, time(0), tzinfo=UTC)
            conn.execute(
                sql.SQL("CREATE TABLE {} PARTITION OF {} FOR VALUES FROM ({}) TO ({})").format(
                    sql.Identifier(schema, name),
                    sql.Identifier(*_split(parent)),
                    sql.Literal(start.isoformat()),
                    sql.Literal((start + timedelta(days=1)).isoformat()),
                )
            )
            created.append(name)
    return created


def day_partitions(conn: psycopg.Connection, parent: str) -> dict[date, str]:
    """The day partitions ``parent`` has, by day (partitions not named by this module are ignored)."""
    return dict(_existing_days(conn, parent))


def drop_day_partitions_before(conn: psycopg.Connection, parent: str, cutoff: date) -> list[str]:
    """Drop the day partitions of ``parent`` for days strictly before ``cutoff``; return their names.

    Each day is dropped in its own transaction (a savepoint inside the caller's): a failure half-way keeps
    every day not yet dropped intact, and dropping a whole table leaves nothing for vacuum to clean.
    """
    schema, _table = _split(parent)
    dropped: list[str] = []
    for day, name in sorted(_existing_days(conn, parent)):
        if day >= cutoff:
            continue
        with conn.transaction():
            conn.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(schema, name)))
        dropped.append(name)
    return dropped


def _existing_days(conn: psycopg.Connection, parent: str) -> list[tuple[date, str]]:
    rows = conn.execute(
        """
        SELECT c.relname
        FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
        WHERE i.inhparent = to_regclass(%s)
        """,
        (parent,),
    ).fetchall()
    if not rows and conn.execute("SELECT to_regclass(%s)", (parent,)).fetchone() == (None,):
        raise PartitionError(f"partitioned table {parent!r} does not exist (are migrations applied?)")
    days = []
    for (name,) in rows:
        match = _SUFFIX.search(name)
        if match:
            days.append((datetime.strptime(match.group(1), "%Y%m%d").date(), name))
    return days


def _split(parent: str) -> tuple[str, str]:
    parts = parent.split(".")
    if len(parts) != 2 or not all(parts):
        raise PartitionError(f"partitioned table {parent!r} must be given as 'schema.table'")
    return parts[0], parts[1]
