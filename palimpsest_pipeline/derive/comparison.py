"""The odds comparison tables of some kick-off dates, rebuilt whole or updated for the events a capture
touched (rows depend on their own event alone, so an update equals a rebuild), in one transaction; an update
writes only the rows that differ from those stored. With them, each compared event's rows of
``analytics.key_health_families``, from the same prices.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import polars as pl
import psycopg

from palimpsest_pipeline.derive.coverage import read_matched_listings
from palimpsest_pipeline.markets.definitions import market_definitions_frame
from palimpsest_pipeline.transforms.comparison_chunks import (
    ComparisonTables,
    RangeSummary,
    comparison_tables,
    event_slices,
)
from palimpsest_pipeline.transforms.freshness import stale_before
from palimpsest_pipeline.transforms.key_sharing import family_sharing
from palimpsest_pipeline.warehouse.capture_log import read_latest_attempts, read_market_suspects
from palimpsest_pipeline.warehouse.key_health import write_family_sharing
from palimpsest_pipeline.warehouse.odds_store import read_current_odds
from palimpsest_pipeline.warehouse.table_io import (
    analyze_tables,
    delete_partition,
    replace_partition,
    write_partition_changes,
)

#: The tables written, in ``ComparisonTables.frames`` order (analysts read ``analytics.outcome_prices`` and
#: ``analytics.market_margins``: the stored tables with their books' confirmations).
COMPARISON_TABLES = (
    "analytics.outcome_comparison",
    "analytics.outcome_prices_stored",
    "analytics.market_margins_stored",
    "analytics.market_availability",
    "analytics.suspect_markets",
    "analytics.comparison_confirmations",
)


def rebuild_comparison(
    conn: psycopg.Connection,
    dates: Sequence[date],
    now: datetime,
    *,
    summary: RangeSummary,
    tiers: Sequence[tuple[timedelta, timedelta]],
    stale_factor: float,
    chunk_events: int,
    site_country: str,
    sr_ids: Collection[int] | None = None,
) -> list[date]:
    """Replace ``site_country``'s comparison tables of ``dates`` from the stored prices and matched events,
    adding every slice and the rows written to ``summary``; returns the dates rebuilt whole. Given ``sr_ids``,
    only their rows that differ are written, except on a date never built or whose every event is touched."""
    compare = _Comparison(conn, now, summary, tiers, stale_factor, site_country)
    touched = sorted(set(sr_ids or ()))
    matched = read_matched_listings(conn, dates, site_country)
    partial: list[date] = []
    if sr_ids is not None:
        untouched = set(matched.filter(~pl.col("sr_id").is_in(touched))["kickoff_date"].to_list())
        built = conn.execute(  # the dates whose comparison holds a row (built at least once)
            "SELECT d FROM unnest(%s::date[]) AS d WHERE EXISTS (SELECT 1 FROM analytics.outcome_comparison "
            "c WHERE c.kickoff_date = d AND c.site_country = %s)",
            (list(dates), site_country),
        ).fetchall()
        partial = sorted({row[0] for row in built} & untouched)
    whole = sorted(set(dates) - set(partial))
    with conn.transaction():
        if whole:
            compare.rebuild(matched.filter(pl.col("kickoff_date").is_in(whole)), whole, chunk_events)
        if partial and touched:
            updated = matched.filter(pl.col("kickoff_date").is_in(partial) & pl.col("sr_id").is_in(touched))
            for chunk in event_slices(updated, chunk_events):
                if chunk.matched.height:
                    compare.update(chunk.matched, partial)
            # A touched event matched on none of these dates (its kick-off moved, its books withdrew it)
            # keeps no row on them.
            gone = sorted(set(touched) - set(updated["sr_id"].to_list()))
            if gone:
                compare.delete({"kickoff_date": partial, "site_country": [site_country], "sr_id": gone})
        if whole:  # a few events' rows barely move a day's statistics; a new day's would mislead the planner
            analyze_tables(conn, COMPARISON_TABLES)
    return whole


@dataclass(eq=False)
class _Comparison:
    """Compares slices of events and writes their rows, in the caller's transaction."""

    conn: psycopg.Connection
    now: datetime
    summary: RangeSummary
    tiers: Sequence[tuple[timedelta, timedelta]]
    stale_factor: float
    site_country: str
    definitions: pl.DataFrame = field(default_factory=market_definitions_frame, init=False)

    def rebuild(self, matched: pl.DataFrame, dates: Sequence[date], chunk_events: int) -> None:
        """Replace ``dates`` with ``matched``'s events (dates without any are emptied)."""
        left_over = sorted(set(dates) - set(matched["kickoff_date"].to_list()))
        for chunk in event_slices(matched, chunk_events):
            if left_over:
                self.delete({"kickoff_date": left_over, "site_country": [self.site_country]})
                left_over = []
            if chunk.matched.height:
                # The first slice of a date replaces the date; the date's later slices add their events.
                self.replace(chunk.matched, by_event=not chunk.first_of_date)

    def replace(self, matched: pl.DataFrame, *, by_event: bool) -> None:
        """Compare ``matched``'s events and replace their dates' rows (``by_event``: only theirs)."""
        tables, sharing = self.compare(matched)
        where: dict[str, Any] = {
            "kickoff_date": matched["kickoff_date"].unique().to_list(),
            "site_country": [self.site_country],
        }
        if by_event:
            where["sr_id"] = matched["sr_id"].to_list()
        for table, frame in zip(COMPARISON_TABLES, tables.frames(), strict=True):
            written = replace_partition(self.conn, table, where, frame, analyze=False)
            self.summary.rows_written += written.rows
        write_family_sharing(self.conn, sharing, site_country=self.site_country)

    def update(self, matched: pl.DataFrame, dates: Sequence[date]) -> None:
        """Compare ``matched``'s events and write their rows on ``dates`` that differ from those stored (their
        rows on the other dates of ``dates`` deleted)."""
        tables, sharing = self.compare(matched)
        where = {
            "kickoff_date": list(dates),
            "site_country": [self.site_country],
            "sr_id": matched["sr_id"].to_list(),
        }
        for table, frame in zip(COMPARISON_TABLES, tables.frames(), strict=True):
            self.summary.rows_written += write_partition_changes(self.conn, table, where, frame).rows
        write_family_sharing(self.conn, sharing, site_country=self.site_country)

    def delete(self, where: dict[str, Any]) -> None:
        """Delete the rows ``where`` covers from every comparison table."""
        for table in COMPARISON_TABLES:
            self.summary.rows_written += delete_partition(self.conn, table, where)

    def compare(self, matched: pl.DataFrame) -> tuple[ComparisonTables, pl.DataFrame]:
        """The comparison tables of ``matched``'s events (added to the summary), and their rows of
        ``analytics.key_health_families``, counted from the same prices; written after the tables, whose
        partition locks come first in every writer (two writers then never wait for each other in a cycle)."""
        sr_ids = matched["sr_id"].to_list()
        bounds = stale_before(
            matched.select("sr_id", "kickoff"),
            read_latest_attempts(self.conn, sr_ids, site_country=self.site_country),
            now=self.now,
            tiers=self.tiers,
            factor=self.stale_factor,
        )
        odds = read_current_odds(self.conn, site_country=self.site_country, sr_ids=sr_ids)
        single_book = read_market_suspects(self.conn, sr_ids, site_country=self.site_country)
        tables = comparison_tables(
            odds, matched, self.definitions, bounds, self.now, single_book=single_book,
            site_country=self.site_country,
        )  # fmt: skip
        self.summary.add(tables)
        return tables, family_sharing(odds)
