"""Day partitions of the range-partitioned tables (odds history, raw archive), created on demand.

A day per partition makes retention a catalogue operation, not a DELETE. Writers create them just before
inserting, so downtime needs no catching up; names are ``<table>_pYYYYMMDD`` so retention reads the day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

import psycopg
from psycopg import sql

from palimpsest_pipeline.warehouse.brief_locks import MaintenanceLockError, briefly, require_autocommit
from palimpsest_pipeline.warehouse.deferred_steps import DeferredStep

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

    Safe under concurrency: each day is created under a transaction advisory lock and re-checked.
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


@dataclass(frozen=True)
class PartitionDrops:
    """The day partitions dropped, and those left for the next maintenance with their reasons."""

    dropped: tuple[str, ...] = ()
    deferred: tuple[DeferredStep, ...] = ()


def drop_day_partitions_before(conn: psycopg.Connection, parent: str, cutoff: date) -> PartitionDrops:
    """Drop the day partitions of ``parent`` for days strictly before ``cutoff``.

    Each day is detached concurrently then dropped, with brief retried locks so no capture queues behind it;
    a pending detach is finished, never resent. A day whose locks never come is deferred with its later days.
    ``conn`` must be in autocommit mode (a concurrent detach refuses a transaction block).
    """
    require_autocommit(conn, f"dropping days of {parent}")
    dropped: list[str] = []
    deferred: list[DeferredStep] = []
    pending = _pending_detach(conn, parent)
    # the day left pending by an earlier attempt first: no other day of the parent can be detached before it
    days = sorted(_existing_days(conn, parent, with_detached=True), key=lambda day: (day[1] != pending, day))
    for _day, name in (day for day in days if day[0] < cutoff):
        postponed = _drop_day(conn, parent, name)
        if postponed is None:
            dropped.append(name)
        else:
            deferred.append(postponed)
    return PartitionDrops(tuple(dropped), tuple(deferred))


def _drop_day(conn: psycopg.Connection, parent: str, name: str) -> DeferredStep | None:
    """Detach (if still attached) and drop one day; None when done, else the step deferred with its reason."""
    schema, _table = _split(parent)
    step = f"dropping {schema}.{name}"
    blocker = _pending_detach(conn, parent)
    if blocker not in (None, name) and _attached(conn, parent, f"{schema}.{name}"):
        return DeferredStep(step, f"{schema}.{blocker} is still pending detach from {parent}")
    drop = sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(schema, name))
    try:
        briefly(
            conn, f"detaching {schema}.{name}", partial(_detach, conn, parent, name), in_transaction=False
        )
        briefly(conn, step, partial(conn.execute, drop))
    except MaintenanceLockError as err:
        return DeferredStep(step, str(err))
    return None


def _detach(conn: psycopg.Connection, parent: str, name: str) -> None:
    """Take the day's partition from its state in the catalogue now to detached: attached -> ``DETACH
    CONCURRENTLY``, pending detach -> ``DETACH FINALIZE``, standing alone already -> nothing."""
    schema, table = _split(parent)
    if not _attached(conn, parent, f"{schema}.{name}"):
        return
    how = "FINALIZE" if _pending_detach(conn, parent) == name else "CONCURRENTLY"
    conn.execute(
        sql.SQL("ALTER TABLE {} DETACH PARTITION {} {}").format(
            sql.Identifier(schema, table), sql.Identifier(schema, name), sql.SQL(how)
        )
    )


def _attached(conn: psycopg.Connection, parent: str, child: str) -> bool:
    row = conn.execute(
        """
        SELECT EXISTS (SELECT 1 FROM pg_inherits
                       WHERE inhparent = to_regclass(%s) AND inhrelid = to_regclass(%s))
        """,
        (parent, child),
    ).fetchone()
    return bool(row and row[0])


def _pending_detach(conn: psycopg.Connection, parent: str) -> str | None:
    """The partition of ``parent`` marked pending detach (a concurrent detach interrupted after its first
    transaction), if any: a parent has at most one."""
    row = conn.execute(
        """
        SELECT c.relname FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
        WHERE i.inhparent = to_regclass(%s) AND i.inhdetachpending
        """,
        (parent,),
    ).fetchone()
    return row[0] if row else None


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
