"""The tournament and country crosswalks rebuilt from the live catalogue and the previous crosswalk."""

from __future__ import annotations

from datetime import datetime

import polars as pl
import psycopg

from palimpsest_pipeline.transforms.crosswalk import build_country_crosswalk, build_crosswalk
from palimpsest_pipeline.warehouse.crosswalk_store import (
    read_crosswalk,
    read_crosswalk_evidence,
    write_crosswalks,
)


def rebuild_crosswalks(
    conn: psycopg.Connection, now: datetime, *, site_country: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Vote every book tournament of ``site_country``'s sites onto a canonical tournament and every country
    onto a SportRadar category, store both, and return (tournaments, countries)."""
    evidence = read_crosswalk_evidence(conn, now, site_country=site_country)
    crosswalk = build_crosswalk(evidence, read_crosswalk(conn, site_country=site_country), now)
    countries = build_country_crosswalk(crosswalk)
    write_crosswalks(conn, crosswalk, countries, now, site_country=site_country)
    return crosswalk, countries
