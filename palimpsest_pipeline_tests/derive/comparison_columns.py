"""The columns a rebuilt and an updated comparison must agree on: all but when a row was computed."""

from __future__ import annotations

import psycopg


def compared_columns(conn: psycopg.Connection, table: str) -> list[str]:
    """``table``'s columns in order but ``computed_at``, which a rebuild and an update stamp differently."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
            "AND NOT attisdropped AND attname <> 'computed_at' ORDER BY attnum",
            (table,),
        ).fetchall()
    ]
