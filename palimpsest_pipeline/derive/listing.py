"""Listing lead time and what to list now: read from the warehouse, computed, replaced per kick-off date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl
import psycopg

from palimpsest_pipeline.transforms.listing import listing_lead_time, timed_listings, to_list_now
from palimpsest_pipeline.warehouse.listing_store import read_first_seen, replace_listing_tables
from palimpsest_pipeline.warehouse.matched_store import read_matched_events


@dataclass(frozen=True)
class ListingTables:
    lead_time: pl.DataFrame
    to_list: pl.DataFrame


def rebuild_listing(conn: psycopg.Connection, dates: Sequence[date], now: datetime) -> ListingTables:
    """Replace ``analytics.listing_lead_time`` and ``analytics.to_list_now`` for ``dates`` from the stored
    matched events (so run after them) and the books' first listings."""
    matched = read_matched_events(conn, dates)
    listings = timed_listings(matched, read_first_seen(conn, dates))
    tables = ListingTables(listing_lead_time(listings, now), to_list_now(matched, listings, now))
    replace_listing_tables(conn, dates, tables.lead_time, tables.to_list)
    return tables
