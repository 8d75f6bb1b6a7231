"""Day partitions (``<table>_pYYYYMMDD``) of the range-partitioned tables, created by writers just before
inserting, dropped whole by retention."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial

import psycopg
from psycopg import sql

from palimpsest_pipeline.warehouse.locks import (
    DeferredStep,
    MaintenanceLockError,
    briefly,
    require_autocommit,
)


class PartitionError(ValueError):
    """A partitioned table or day is unusable; the message names it."""


def utc_day(moment: datetime) -> date:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise PartitionError(f"timestamp {moment.isoformat()} is naive; partitions are by UTC day")
    return moment.astimezone(UTC).date()


def ensure_day_partitions(conn: psycopg.Connection, parent: str, days: Iterable[date]) -> None:
    """Create the missing day partitions of ``parent`` for ``days``, each under an advisory lock and
    re-checked."""
    schema, table = parent.split(".")
    existing = {day for day, _name in _existing_days(conn, parent)}
    for day in sorted(set(days) - existing):
        name = f"{table}_p{day:%Y%m%d}"
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"{schema}.{name}",))
            if conn.execute("SELECT to_regclass(%s)", (f"{schema}.{name}",)).fetchone() != (None,):
                continue
            start = datetime.combine(day, time(0), tzinfo=UTC)
            conn.execute(
                sql.SQL("CREATE TABLE {} PARTITION OF {} FOR VALUES FROM ({}) TO ({})").format(
                    sql.Identifier(schema, name),
                    sql.Identifier(schema, table),
                    sql.Literal(start.isoformat()),
                    sql.Literal((start + timedelta(days=1)).isoformat()),
                )
            )


@dataclass(frozen=True)
class PartitionDrops:
    """The day partitions before ``cutoff`` dropped, and those left for the next maintenance with their
    reasons (no cutoff: none is dropped)."""

    cutoff: date | None = None
    dropped_partitions: tuple[str, ...] = ()
    deferred: tuple[DeferredStep, ...] = ()


def drop_day_partitions_before(conn: psycopg.Connection, parent: str, cutoff: date) -> PartitionDrops:
    """Drop the day partitions of ``parent`` before ``cutoff``, each detached concurrently (a pending detach
    finished) then dropped, with brief retried locks; a day whose locks never come is deferred. ``conn`` is
    autocommit."""
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
    return PartitionDrops(cutoff, tuple(dropped), tuple(deferred))


def _drop_day(conn: psycopg.Connection, parent: str, name: str) -> DeferredStep | None:
    """Detach (if still attached) and drop one day; None when done, else the step deferred with its reason."""
    schema = parent.split(".")[0]
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
    """Detach the day's partition: ``CONCURRENTLY`` if attached, ``FINALIZE`` if pending detach."""
    schema, table = parent.split(".")
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
    """The partition of ``parent`` marked pending detach (an interrupted concurrent detach), if any."""
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
    """The parent's day partitions; ``with_detached``: with the ones an interrupted drop left detached."""
    schema, table = parent.split(".")
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
    named = ((name, re.fullmatch(rf"{re.escape(table)}_p(\d{{8}})", name)) for (name,) in rows)
    return [(datetime.strptime(day[1], "%Y%m%d").date(), name) for name, day in named if day]
