"""The listing tables, recomputed from what is stored (``derive/listing.py``)."""

from datetime import date, datetime

import dagster as dg
import psycopg

from palimpsest_pipeline.defs.countries import country_key
from palimpsest_pipeline.defs.coverage.assets import Result, matched_key, rebuilt_tables
from palimpsest_pipeline.defs.partitions import SITE_COUNTRIES
from palimpsest_pipeline.derive.listing import rebuild_listing


def lead_time_key(country: str) -> dg.AssetKey:
    """``country``'s listing lead times: ``ng/listing_lead_time``."""
    return country_key(country, "listing_lead_time")


def to_list_key(country: str) -> dg.AssetKey:
    """``country``'s matches BetPawa should list: ``ng/to_list_now``."""
    return country_key(country, "to_list_now")


def _listing_results(
    conn: psycopg.Connection, now: datetime, country: str, dates: list[date]
) -> list[Result]:
    tables = rebuild_listing(conn, dates, now, site_country=country)
    lead = tables.lead_time
    return [
        dg.MaterializeResult(
            asset_key=lead_time_key(country),
            metadata={
                "rows": lead.height,
                "events_measured": int(lead["events_measured"].sum()) if lead.height else 0,
            },
        ),
        dg.MaterializeResult(
            asset_key=to_list_key(country), metadata={"rows": tables.to_list.height, "dates": len(dates)}
        ),
    ]


def listing_asset(country: str) -> dg.AssetsDefinition:
    """``country``'s listing tables, after its matched events."""
    return rebuilt_tables(
        "listing",
        country,
        {
            lead_time_key(country): "Per kick-off date, tournament and book: how long before kick-off the "
            "book lists its matches, and how long after the first competitor BetPawa does. Table "
            "analytics.listing_lead_time.",
            to_list_key(country): "Matches a competitor lists and BetPawa does not, still to kick off, with "
            "how long the competitors have had them. Table analytics.to_list_now.",
        },
        [matched_key(country)],
        _listing_results,
    )


listing_assets = [listing_asset(country) for country in SITE_COUNTRIES]
