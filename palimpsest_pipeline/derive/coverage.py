"""Matched events and the coverage tables rebuilt for some kick-off dates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import polars as pl
import psycopg

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.transforms.catalogue_freshness import (
    CatalogueFreshness,
    catalogue_freshness,
    with_catalogue_freshness,
)
from palimpsest_pipeline.transforms.coverage import COVERAGE_LEVELS, coverage
from palimpsest_pipeline.transforms.matching import keep_partition, match_events
from palimpsest_pipeline.transforms.placement import attach_book_tournaments, place_matches
from palimpsest_pipeline.warehouse.batches import books_failed_in, last_good_catalogues
from palimpsest_pipeline.warehouse.catalogue_store import read_live_events
from palimpsest_pipeline.warehouse.crosswalk_store import read_country_crosswalk, read_crosswalk
from palimpsest_pipeline.warehouse.matched_store import read_matched_events
from palimpsest_pipeline.warehouse.table_io import replace_partition, replace_partitions

#: Columns of analytics.coverage_history: the overall coverage of one computation.
COVERAGE_HISTORY_COLUMNS = (
    "computed_at",
    "kickoff_date",
    "total",
    "matched",
    "betpawa_only",
    "competitor_only",
    "match_rate",
    "betpawa_coverage",
)


def coverage_table(level: str) -> str:
    """The analytics table of one coverage level."""
    return "analytics.coverage_overall" if level == "overall" else f"analytics.coverage_by_{level}"


@dataclass(frozen=True)
class CoverageTables:
    """The coverage of some dates at every level, and the books whose catalogue it ran on stale."""

    by_level: dict[str, pl.DataFrame]
    freshness: Mapping[Book, CatalogueFreshness]


def rebuild_matched_events(conn: psycopg.Connection, dates: Sequence[date], now: datetime) -> pl.DataFrame:
    """Match the live events of ``dates`` across books, place them on canonical tournaments, and replace
    those dates of ``analytics.matched_events``; returns the stored rows."""
    # Books can disagree on a kick-off around midnight: match over a one-day margin, keep our dates.
    events = read_live_events(conn, min(dates) - timedelta(days=1), max(dates) + timedelta(days=1))
    placed = place_matches(match_events(events), read_crosswalk(conn), read_country_crosswalk(conn))
    matched = _stamp(keep_partition(placed, dates), now)
    replace_partitions(conn, "analytics.matched_events", "kickoff_date", dates, matched)
    return matched


def rebuild_coverage(
    conn: psycopg.Connection, dates: Sequence[date], now: datetime, *, run_id: str
) -> CoverageTables:
    """Replace the coverage tables of ``dates`` and append their overall figures to the history, in one
    transaction. Catalogues that failed in ``run_id`` are reported stale, aged on the real clock."""
    matched = read_matched_events(conn, dates)
    freshness = catalogue_freshness(
        last_good_catalogues(conn), books_failed_in(conn, run_id), datetime.now(UTC)
    )
    tables = {level: coverage(matched, keys) for level, keys in COVERAGE_LEVELS.items()}
    tables["overall"] = with_catalogue_freshness(tables["overall"], freshness)
    tables["tournament"] = attach_book_tournaments(tables["tournament"], read_crosswalk(conn))
    with conn.transaction():
        for level, table in tables.items():
            replace_partitions(conn, coverage_table(level), "kickoff_date", dates, _stamp(table, now))
        # The same overall figures, appended: the coverage tables only keep the latest computation.
        history = _stamp(tables["overall"], now).select(COVERAGE_HISTORY_COLUMNS)
        replace_partition(conn, "analytics.coverage_history", {"computed_at": [now]}, history)
    return CoverageTables(tables, freshness)


def _stamp(frame: pl.DataFrame, now: datetime) -> pl.DataFrame:
    return frame.with_columns(pl.lit(now).cast(pl.Datetime("us", "UTC")).alias("computed_at"))
