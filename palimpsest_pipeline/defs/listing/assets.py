"""The listing tables, recomputed with the coverage tables after every catalogue run (derive/listing.py)."""

from collections.abc import Iterator
from datetime import date

import dagster as dg

from palimpsest_pipeline.defs.coverage.assets import COVERAGE_GROUP, MATCHED_KEY
from palimpsest_pipeline.defs.partitions import kickoff_table, single_run
from palimpsest_pipeline.defs.resources import ClockResource, WarehouseResource
from palimpsest_pipeline.defs.runs.by_country import Result, results_by_country
from palimpsest_pipeline.derive.listing import rebuild_listing

LEAD_TIME_KEY = dg.AssetKey("listing_lead_time")
TO_LIST_KEY = dg.AssetKey("to_list_now")


@dg.multi_asset(
    name="listing",
    specs=[
        kickoff_table(
            LEAD_TIME_KEY,
            deps=[MATCHED_KEY],
            description="Per kick-off date, tournament and book: how long before kick-off the book lists "
            "its matches, and how long after the first competitor BetPawa does. "
            "Table analytics.listing_lead_time.",
            group_name=COVERAGE_GROUP,
        ),
        kickoff_table(
            TO_LIST_KEY,
            deps=[MATCHED_KEY],
            description="Matches a competitor lists and BetPawa does not, still to kick off, with how long "
            "the competitors have had them. Table analytics.to_list_now.",
            group_name=COVERAGE_GROUP,
        ),
    ],
    backfill_policy=single_run,
)
def listing(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, clock: ClockResource
) -> Iterator[dg.MaterializeResult]:
    def results(country: str, dates: list[date]) -> list[Result]:
        with warehouse.connect() as conn:
            tables = rebuild_listing(conn, dates, clock.now(), site_country=country)
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
                asset_key=TO_LIST_KEY,
                metadata={"rows": tables.to_list.height, "dates": len(dates)},
            ),
        ]

    yield from results_by_country(context, results)  # type: ignore[misc]
