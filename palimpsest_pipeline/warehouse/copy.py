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
) -> None:
    """COPY ``rows`` into ``table`` (``name`` or ``schema.name``) in binary; the caller owns the
    transaction."""
    if len(columns) != len(types):
        raise ValueError(f"copy_binary({table}): {len(columns)} columns but {len(types)} types")
    statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
        sql.Identifier(*table.split(".")), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with conn.cursor() as cur, cur.copy(statement) as copy:
        copy.set_types(list(types))
        for row in rows:
            copy.write_row(row)
