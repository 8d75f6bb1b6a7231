"""The tournament and country crosswalks in ``analytics``, rebuilt from the live catalogue and the previous
crosswalk and replaced atomically."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

import polars as pl
import psycopg

from palimpsest_pipeline.frames import COUNTRY_CROSSWALK_SCHEMA, CROSSWALK_SCHEMA
from palimpsest_pipeline.transforms.crosswalk import build_country_crosswalk, build_crosswalk
from palimpsest_pipeline.warehouse.catalogue_store import read_live_events
from palimpsest_pipeline.warehouse.table_io import copy_rows, read_frame

TOURNAMENT_TABLE = "analytics.tournament_crosswalk"
COUNTRY_TABLE = "analytics.country_crosswalk"
#: The vote reads the kicked-off events of the last days too (more evidence), not the whole history.
EVIDENCE_DAYS_BACK = 7
EVIDENCE_DAYS_AHEAD = 366


def rebuild_crosswalks(
    conn: psycopg.Connection, now: datetime, *, site_country: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Vote every book tournament of ``site_country``'s sites (their live events from
    ``EVIDENCE_DAYS_BACK`` days before ``now`` on) onto a canonical tournament and every country onto a
    SportRadar category, replace both tables in one transaction, and return (tournaments, countries)."""
    today = now.date()
    evidence = read_live_events(
        conn,
        today - timedelta(days=EVIDENCE_DAYS_BACK),
        min(date.max, today + timedelta(EVIDENCE_DAYS_AHEAD)),
        site_country=site_country,
    )
    crosswalk = build_crosswalk(evidence, read_crosswalk(conn, site_country=site_country), now)
    countries = build_country_crosswalk(crosswalk)
    with conn.transaction():
        for frame, table in ((crosswalk, TOURNAMENT_TABLE), (countries, COUNTRY_TABLE)):
            conn.execute(f"DELETE FROM {table} WHERE site_country = %s", (site_country,))
            columns = [*frame.columns, "computed_at", "site_country"]
            rows = ((*row, now, site_country) for row in frame.iter_rows())
            copy_rows(conn, table, columns, rows)
    return crosswalk, countries


def read_crosswalk(conn: psycopg.Connection, *, site_country: str) -> pl.DataFrame:
    """The stored tournament crosswalk of ``site_country``'s sites in ``CROSSWALK_SCHEMA``."""
    return _read(conn, TOURNAMENT_TABLE, CROSSWALK_SCHEMA, "book, tournament_id", site_country)


def read_country_crosswalk(conn: psycopg.Connection, *, site_country: str) -> pl.DataFrame:
    """The stored country crosswalk of ``site_country``'s sites in ``COUNTRY_CROSSWALK_SCHEMA``."""
    return _read(conn, COUNTRY_TABLE, COUNTRY_CROSSWALK_SCHEMA, "book, sport, country", site_country)


def _read(
    conn: psycopg.Connection, table: str, schema: Mapping[str, pl.DataType], order: str, site_country: str
) -> pl.DataFrame:
    frame = read_frame(
        conn,
        f"SELECT {', '.join(schema)} FROM {table} WHERE site_country = %s ORDER BY {order}",
        (site_country,),
    )
    return frame.cast(schema)  # type: ignore[arg-type]
