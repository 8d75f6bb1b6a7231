"""Binary COPY of Python rows: the fast path for the big writes (odds, archived bodies).

Binary COPY skips text formatting and hex-encoding of bytea; the caller names each column's Postgres type.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
from psycopg import sql


def copy_binary(
    conn: psycopg.Connection,
    table: str,
    columns: Sequence[str],
    types: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    temp: bool = False,
) -> None:
    """COPY ``rows`` into ``table`` (``name`` or ``schema.name``) in binary; the caller owns the transaction.

    ``temp``: into a new session temp table of those columns and types, dropped at commit (a leftover of the
    caller's transaction is replaced).
    """
    if len(columns) != len(types):
        raise ValueError(f"copy_binary({table}): {len(columns)} columns but {len(types)} types")
    name = sql.Identifier(*table.split("."))
    if temp:
        conn.execute(sql.SQL("DROP TABLE IF EXISTS pg_temp.{}").format(name))
        definition = sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(column), sql.SQL(kind))
            for column, kind in zip(columns, types, strict=True)
        )
        conn.execute(sql.SQL("CREATE TEMP TABLE {} ({}) ON COMMIT DROP").format(name, definition))
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        name, sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with conn.cursor() as cur, cur.copy(statement) as copy:
        copy.set_types(list(types))
        for row in rows:
            copy.write_row(row)
