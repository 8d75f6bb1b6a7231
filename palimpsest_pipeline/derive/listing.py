"""Listing lead time and what to list now: read from the warehouse, computed, replaced per kick-off date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import polars as pl
import psycopg

from palimpsest_pipeline.derive.coverage import read_match_listings, read_matches
from palimpsest_pipeline.transforms.listing import listing_lead_time, timed_listings, to_list_now
from palimpsest_pipeline.warehouse.table_io import read_frame, replace_partitions


@dataclass(frozen=True)
class ListingTables:
    lead_time: pl.DataFrame
    to_list: pl.DataFrame


def rebuild_listing(
    conn: psycopg.Connection, dates: Sequence[date], now: datetime, site_country: str
) -> ListingTables:
    """Replace ``analytics.listing_lead_time`` and ``analytics.to_list_now`` for ``dates`` and
    ``site_country`` from the stored matches (so run after them) and the books' first listings: of every
    event kicking off within a day of ``dates`` (a match can sit on a neighbouring date on one book), when
    it was first seen and the book's first scrape covering its date (a listing first seen then may have been
    listed long before)."""
    matches = read_matches(conn, dates, site_country)
    listings = read_match_listings(conn, dates, site_country)
    first_seen = read_frame(
        conn,
        """
        SELECT book, event_id, first_seen_at,
               min(first_seen_at) OVER (PARTITION BY book, kickoff_date) AS first_scrape_at
        FROM core.events WHERE kickoff_date BETWEEN %s AND %s AND site_country = %s
        """,
        (min(dates) - timedelta(days=1), max(dates) + timedelta(days=1), site_country),
    )
    timed = timed_listings(matches, listings, first_seen)
    country = pl.lit(site_country).alias("site_country")
    tables = ListingTables(
        listing_lead_time(timed, now).with_columns(country),
        to_list_now(matches, listings, timed, now).with_columns(country),
    )
    replace_partitions(
        conn,
        {"kickoff_date": list(dates), "site_country": site_country},
        {"analytics.listing_lead_time": tables.lead_time, "analytics.to_list_now": tables.to_list},
    )
    return tables
