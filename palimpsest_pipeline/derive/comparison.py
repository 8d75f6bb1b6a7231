"""The odds comparison tables (comparison, margins, availability, suspect markets) rebuilt for some kick-off
dates.

Events are compared a slice at a time (``transforms/comparison_chunks.py``): memory is bounded by a slice
whatever the range's size, and every slice is written in one transaction, so readers see the whole range
replaced at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import psycopg

from palimpsest_pipeline.markets.definitions import market_definitions_frame
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY
from palimpsest_pipeline.transforms.comparison_chunks import RangeSummary, comparison_tables, event_slices
from palimpsest_pipeline.transforms.freshness import stale_before
from palimpsest_pipeline.warehouse.capture_log import read_latest_attempts
from palimpsest_pipeline.warehouse.market_suspects import read_market_suspects
from palimpsest_pipeline.warehouse.matched_store import read_matched_listings
from palimpsest_pipeline.warehouse.odds_store import read_current_odds
from palimpsest_pipeline.warehouse.table_io import replace_partition

#: The tables written, in ``ComparisonTables.frames`` order.
COMPARISON_TABLES = (
    "analytics.outcome_comparison",
    "analytics.outcome_prices",
    "analytics.market_margins",
    "analytics.market_availability",
    "analytics.suspect_markets",
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
    site_country: str = DEFAULT_SITE_COUNTRY,
) -> RangeSummary:
    """Replace ``site_country``'s comparison tables of ``dates`` from the stored current prices and matched
    events, adding every slice to ``summary`` (the checks' figures). A price older than ``stale_factor``
    times its kick-off tier's cadence (``tiers``: (max lead, every)) is stale. The single-book suspects
    stored with the prices (``core.market_suspects``) join the comparison's own
    (``transforms/suspect_markets.py``)."""
    definitions = market_definitions_frame()
    matched_all = read_matched_listings(conn, dates, site_country)
    # Dates no event kicks off on any more are cleared with the first slice.
    left_over = sorted(set(dates) - set(matched_all["kickoff_date"].to_list()))
    with conn.transaction():
        for chunk in event_slices(matched_all, chunk_events):
            matched = chunk.matched
            sr_ids = matched["sr_id"].to_list()
            bounds = stale_before(
                matched.select("sr_id", "kickoff"),
                read_latest_attempts(conn, sr_ids, site_country=site_country),
                now=now,
                tiers=tiers,
                factor=stale_factor,
            )
            odds = read_current_odds(conn, site_country=site_country, sr_ids=sr_ids)
            single_book = read_market_suspects(conn, sr_ids, site_country=site_country)
            tables = comparison_tables(
                odds, matched, definitions, bounds, now, single_book=single_book, site_country=site_country
            )
            days, left_over = [*matched["kickoff_date"].unique().to_list(), *left_over], []
            # The first slice of a date replaces the date; the date's later slices add their events.
            where: dict[str, list[Any]] = {"kickoff_date": days, "site_country": [site_country]}
            if not chunk.first_of_date:
                where["sr_id"] = sr_ids
            for table, frame in zip(COMPARISON_TABLES, tables.frames(), strict=True):
                replace_partition(conn, table, where, frame)
            summary.add(tables)
            del odds, bounds, tables
    return summary


def comparison_summary(margin_low: float, margin_high: float, price_factor: float) -> RangeSummary:
    """An empty summary screening slices with the checks' bounds, over the vocabulary's main markets."""
    return RangeSummary(
        main_markets=market_definitions_frame(),
        margin_low=margin_low,
        margin_high=margin_high,
        price_factor=price_factor,
    )
