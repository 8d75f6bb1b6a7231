"""The tournament and country crosswalks in ``analytics``: read the previous state, replace it atomically.

Unlike the date-partitioned analytics tables, the crosswalks are one state for the whole catalogue: each run
reads the previous crosswalk (placements are kept while evidence is absent, see ``transforms.crosswalk``),
computes the next one and replaces both tables in one transaction, so readers never see half a crosswalk.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import polars as pl
import psycopg

from palimpsest_pipeline.frames import COUNTRY_CROSSWALK_SCHEMA, CROSSWALK_SCHEMA
from palimpsest_pipeline.warehouse.catalogue_store import read_live_events
from palimpsest_pipeline.warehouse.table_io import copy_rows, read_frame

TOURNAMENT_TABLE = "analytics.tournament_crosswalk"
COUNTRY_TABLE = "analytics.country_crosswalk"
#: Kicked-off events stay in the catalogue; the vote reads those of the last days too (more evidence), not
#: the whole history.
EVIDENCE_DAYS_BACK = 7
EVIDENCE_DAYS_AHEAD = 366


def read_crosswalk_evidence(conn: psycopg.Connection, now: datetime) -> pl.DataFrame:
    """The live events of every book kicking off from ``EVIDENCE_DAYS_BACK`` days before ``now`` on
    (``EVENTS_SCHEMA``): the whole current catalogue, whatever partition the run is for."""
    today = now.date()
    return read_live_events(
        conn,
        today - timedelta(days=EVIDENCE_DAYS_BACK),
        min(date.max, today + timedelta(EVIDENCE_DAYS_AHEAD)),
    )


def read_crosswalk(conn: psycopg.Connection) -> pl.DataFrame:
    """The stored tournament crosswalk in ``CROSSWALK_SCHEMA`` (empty before the first run)."""
    columns = ", ".join(CROSSWALK_SCHEMA)
    frame = read_frame(conn, f"SELECT {columns} FROM {TOURNAMENT_TABLE} ORDER BY book, tournament_id")
    return frame.cast(CROSSWALK_SCHEMA)  # type: ignore[arg-type]


def read_country_crosswalk(conn: psycopg.Connection) -> pl.DataFrame:
    """The stored country crosswalk in ``COUNTRY_CROSSWALK_SCHEMA`` (empty before the first run)."""
    columns = ", ".join(COUNTRY_CROSSWALK_SCHEMA)
    frame = read_frame(conn, f"SELECT {columns} FROM {COUNTRY_TABLE} ORDER BY book, sport, country")
    return frame.cast(COUNTRY_CROSSWALK_SCHEMA)  # type: ignore[arg-type]


def write_crosswalks(
    conn: psycopg.Connection, crosswalk: pl.DataFrame, countries: pl.DataFrame, computed_at: datetime
) -> None:
    """Replace both crosswalk tables with ``crosswalk`` and ``countries``, in one transaction."""
    for frame, schema, table in (
        (crosswalk, CROSSWALK_SCHEMA, TOURNAMENT_TABLE),
        (countries, COUNTRY_CROSSWALK_SCHEMA, COUNTRY_TABLE),
    ):
        if list(frame.columns) != list(schema):
            raise ValueError(f"{table}: frame columns {frame.columns} are not {list(schema)}")
    with conn.transaction():
        for frame, table in ((crosswalk, TOURNAMENT_TABLE), (countries, COUNTRY_TABLE)):
            conn.execute(f"DELETE FROM {table}")
            columns = [*frame.columns, "computed_at"]
            copy_rows(conn, table, columns, ((*row, computed_at) for row in frame.iter_rows()))
