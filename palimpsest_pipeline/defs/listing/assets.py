"""The listing tables, recomputed from what is stored (``derive/listing.py``)."""

from datetime import date, datetime

import dagster as dg
import psycopg

from palimpsest_pipeline.defs.coverage.assets import MATCHED_KEY, rebuilt_tables
from palimpsest_pipeline.defs.runs.by_country import Result
from palimpsest_pipeline.derive.listing import rebuild_listing

LEAD_TIME_KEY = dg.AssetKey("listing_lead_time")
TO_LIST_KEY = dg.AssetKey("to_list_now")


def _listing_results(
    conn: psycopg.Connection, now: datetime, country: str, dates: list[date]
) -> list[Result]:
    tables = rebuild_listing(conn, dates, now, site_country=country)
    lead = tables.lead_time
    return [
        dg.MaterializeResult(
            asset_key=LEAD_TIME_KEY,
            metadata={
                "rows": lead.height,
                "events_measured": int(lead["events_measured"].sum()) if lead.height else 0,
            },
        ),
        dg.MaterializeResult(
            asset_key=TO_LIST_KEY, metadata={"rows": tables.to_list.height, "dates": len(dates)}
        ),
    ]


listing = rebuilt_tables(
    "listing",
    {
        LEAD_TIME_KEY: "Per kick-off date, tournament and book: how long before kick-off the book lists its "
        "matches, and how long after the first competitor BetPawa does. Table analytics.listing_lead_time.",
        TO_LIST_KEY: "Matches a competitor lists and BetPawa does not, still to kick off, with how long the "
        "competitors have had them. Table analytics.to_list_now.",
    },
    [MATCHED_KEY],
    _listing_results,
)
