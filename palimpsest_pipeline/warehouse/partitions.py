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
from functools import partial

import psycopg
from psycopg import sql

from palimpsest_pipeline.warehouse.brief_locks import briefly, require_autocommit

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

    Each day is detached concurrently (a lock that lets writers and readers of the parent go on), then
    dropped alone, each step waiting briefly for its locks and retried (``brief_locks``): a capture is never
    queued behind a drop for more than the lock timeout, and a failure half-way keeps every day not yet
    dropped intact. A detach left pending by an interrupted run is finished first. ``conn`` must be in
    autocommit mode (a concurrent detach refuses a transaction block).
    """
    require_autocommit(conn, f"dropping days of {parent}")
    schema, _table = _split(parent)
    dropped: list[str] = []
    for day, name in sorted(_existing_days(conn, parent, with_detached=True)):
        if day >= cutoff:
            continue
        child = sql.Identifier(schema, name)
        if _attached(conn, parent, f"{schema}.{name}"):
            how = "FINALIZE" if _detach_pending(conn, f"{schema}.{name}") else "CONCURRENTLY"
            detach = sql.SQL("ALTER TABLE {} DETACH PARTITION {} {}").format(
                sql.Identifier(*_split(parent)), child, sql.SQL(how)
            )
            briefly(conn, f"detaching {schema}.{name}", partial(conn.execute, detach), in_transaction=False)
        drop = sql.SQL("DROP TABLE {}").format(child)
        briefly(conn, f"dropping {schema}.{name}", partial(conn.execute, drop))
        dropped.append(name)
    return dropped


def _attached(conn: psycopg.Connection, parent: str, child: str) -> bool:
    row = conn.execute(
        """
        SELECT EXISTS (SELECT 1 FROM pg_inherits
                       WHERE inhparent = to_regclass(%s) AND inhrelid = to_regclass(%s))
        """,
        (parent, child),
    ).fetchone()
    return bool(row and row[0])


def _detach_pending(conn: psycopg.Connection, child: str) -> bool:
    row = conn.execute(
        "SELECT COALESCE(bool_or(inhdetachpending), false) FROM pg_inherits WHERE inhrelid = to_regclass(%s)",
        (child,),
    ).fetchone()
    return bool(row and row[0])


def _existing_days(
    conn: psycopg.Connection, parent: str, *, with_detached: bool = False
) -> list[tuple[date, str]]:
    """The parent's day partitions; ``with_detached`` adds tables of the same naming that a drop interrupted
    after their detach left standing alone."""
    schema, table = _split(parent)
    rows = conn.execute(
        """
        SELECT c.relname
        FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
        WHERE i.inhparent = to_regclass(%(parent)s)
        UNION
        SELECT c.relname
        FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
        WHERE %(with_detached)s AND n.nspname = %(schema)s AND c.relkind = 'r'
          AND left(c.relname, length(%(prefix)s)) = %(prefix)s
          AND NOT EXISTS (SELECT 1 FROM pg_inherits AS i WHERE i.inhrelid = c.oid)
        """,
        {"parent": parent, "with_detached": with_detached, "schema": schema, "prefix": f"{table}_p"},
    ).fetchall()
    if not rows and conn.execute("SELECT to_regclass(%s)", (parent,)).fetchone() == (None,):
        raise PartitionError(f"partitioned table {parent!r} does not exist (are migrations applied?)")
    days = []
    for (name,) in rows:
        match = _SUFFIX.search(name)
        if match and name == f"{table}_p{match.group(1)}":
            days.append((datetime.strptime(match.group(1), "%Y%m%d").date(), name))
    return days


def _split(parent: str) -> tuple[str, str]:
    parts = parent.split(".")
    if len(parts) != 2 or not all(parts):
        raise PartitionError(f"partitioned table {parent!r} must be given as 'schema.table'")
    return parts[0], parts[1]
