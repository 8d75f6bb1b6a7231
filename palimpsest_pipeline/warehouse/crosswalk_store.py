"""The tournament and country crosswalks in ``analytics``: read the previous state, replace it atomically.

The crosswalks are one state for the whole catalogue, replaced in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def read_crosswalk_evidence(conn: psycopg.Connection, now: datetime, *, site_country: str) -> pl.DataFrame:
    """The live events of every book of ``site_country``'s sites kicking off from ``EVIDENCE_DAYS_BACK`` days
    before ``now`` on (``EVENTS_SCHEMA``): the whole current catalogue, whatever partition the run is for."""
    today = now.date()
    return read_live_events(
        conn,
        today - timedelta(days=EVIDENCE_DAYS_BACK),
        min(date.max, today + timedelta(EVIDENCE_DAYS_AHEAD)),
        site_country=site_country,
    )


def read_crosswalk(conn: psycopg.Connection, *, site_country: str) -> pl.DataFrame:
    """The stored tournament crosswalk of ``site_country``'s sites in ``CROSSWALK_SCHEMA`` (empty before the
    first run)."""
    return _read(conn, TOURNAMENT_TABLE, CROSSWALK_SCHEMA, "book, tournament_id", site_country)


def read_country_crosswalk(conn: psycopg.Connection, *, site_country: str) -> pl.DataFrame:
    """The stored country crosswalk of ``site_country``'s sites in ``COUNTRY_CROSSWALK_SCHEMA`` (empty before
    the first run)."""
    return _read(conn, COUNTRY_TABLE, COUNTRY_CROSSWALK_SCHEMA, "book, sport, country", site_country)


def _read(
    conn: psycopg.Connection, table: str, schema: Mapping[str, pl.DataType], order: str, site_country: str
) -> pl.DataFrame:
    """``site_country``'s rows of a crosswalk ``table`` in ``schema``, in ``order``."""
    frame = read_frame(
        conn,
        f"SELECT {', '.join(schema)} FROM {table} WHERE site_country = %s ORDER BY {order}",
        (site_country,),
    )
    return frame.cast(schema)  # type: ignore[arg-type]


def write_crosswalks(
    conn: psycopg.Connection,
    crosswalk: pl.DataFrame,
    countries: pl.DataFrame,
    computed_at: datetime,
    *,
    site_country: str,
) -> None:
    """Replace ``site_country``'s rows of both crosswalk tables with ``crosswalk`` and ``countries``, in one
    transaction (another country's crosswalk is its own)."""
    for frame, schema, table in (
        (crosswalk, CROSSWALK_SCHEMA, TOURNAMENT_TABLE),
        (countries, COUNTRY_CROSSWALK_SCHEMA, COUNTRY_TABLE),
    ):
        if list(frame.columns) != list(schema):
            raise ValueError(f"{table}: frame columns {frame.columns} are not {list(schema)}")
    with conn.transaction():
        for frame, table in ((crosswalk, TOURNAMENT_TABLE), (countries, COUNTRY_TABLE)):
            conn.execute(f"DELETE FROM {table} WHERE site_country = %s", (site_country,))
            columns = [*frame.columns, "computed_at", "site_country"]
            rows = ((*row, computed_at, site_country) for row in frame.iter_rows())
            copy_rows(conn, table, columns, rows)
