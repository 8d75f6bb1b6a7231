"""The tournament crosswalk table: read the previous placements, upsert this run's."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import psycopg

from palimpsest_pipeline.transforms.crosswalk import CROSSWALK_SCHEMA, PREVIOUS_SCHEMA
from palimpsest_pipeline.warehouse.frames import copy_rows, read_frame

_COLUMNS = [*CROSSWALK_SCHEMA, "computed_at"]


def read_crosswalk(conn: psycopg.Connection) -> pl.DataFrame:
    """Every stored placement (``PREVIOUS_SCHEMA``): what keeps a tournament placed in a run without votes."""
    frame = read_frame(
        conn, f"SELECT {', '.join(PREVIOUS_SCHEMA)} FROM analytics.tournament_crosswalk ORDER BY 1, 2"
    )
    return frame.cast(PREVIOUS_SCHEMA)  # type: ignore[arg-type]


def upsert_crosswalk(conn: psycopg.Connection, crosswalk: pl.DataFrame, computed_at: datetime) -> int:
    """Insert or update this run's rows in one transaction; rows of tournaments not listed now stay."""
    frame = crosswalk.select(list(CROSSWALK_SCHEMA)).with_columns(
        pl.lit(computed_at).cast(pl.Datetime("us", "UTC")).alias("computed_at")
    )
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS if c not in ("book", "tournament_id"))
    with conn.transaction():
        conn.execute("CREATE TEMP TABLE crosswalk_in (LIKE analytics.tournament_crosswalk) ON COMMIT DROP")
        copy_rows(conn, "crosswalk_in", _COLUMNS, frame.iter_rows())
        conn.execute(
            f"INSERT INTO analytics.tournament_crosswalk ({', '.join(_COLUMNS)}) "
            f"SELECT {', '.join(_COLUMNS)} FROM crosswalk_in "
            f"ON CONFLICT (book, tournament_id) DO UPDATE SET {updates}"
        )
        conn.execute("DROP TABLE crosswalk_in")
    return frame.height
