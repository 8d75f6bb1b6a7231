"""The price leadership tables, recomputed with the coverage tables from the stored odds history
(derive/leadership.py)."""

from collections.abc import Iterator
from datetime import date

import dagster as dg

from palimpsest_pipeline.defs.coverage.assets import COVERAGE_GROUP, MATCHED_KEY
from palimpsest_pipeline.defs.odds.assets import COMPARISON_KEY
from palimpsest_pipeline.defs.partitions import kickoff_table, single_run
from palimpsest_pipeline.defs.resources import ClockResource, WarehouseResource
from palimpsest_pipeline.defs.runs.by_country import Result, results_by_country
from palimpsest_pipeline.derive.leadership import rebuild_leadership
from palimpsest_pipeline.settings import load_settings

LEADERSHIP_KEY = dg.AssetKey("price_leadership")
STALE_KEY = dg.AssetKey("stale_vs_market")


@dg.multi_asset(
    name="price_leadership_tables",
    specs=[
        kickoff_table(
            LEADERSHIP_KEY,
            deps=[MATCHED_KEY, COMPARISON_KEY],
            description="Per kick-off date, tournament, main market and book: price moves led, moves "
            "followed and the median lag, and other books' moves missed within the window "
            "(PALIMPSEST_LEADERSHIP_WINDOW_MINUTES). Table analytics.price_leadership.",
            group_name=COVERAGE_GROUP,
        ),
        kickoff_table(
            STALE_KEY,
            deps=[MATCHED_KEY, COMPARISON_KEY],
            description="Main-market outcomes whose BetPawa price has not moved while two or more "
            "competitors moved the same way. Table analytics.stale_vs_market.",
            group_name=COVERAGE_GROUP,
        ),
    ],
    backfill_policy=single_run,
)
def price_leadership_tables(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, clock: ClockResource
) -> Iterator[dg.MaterializeResult]:
    window = load_settings().leadership_window

    def results(country: str, dates: list[date]) -> list[Result]:
        with warehouse.connect() as conn:
            tables = rebuild_leadership(conn, dates, clock.now(), window, site_country=country)
        return [
            dg.MaterializeResult(
                asset_key=LEADERSHIP_KEY,
                metadata={"rows": tables.leadership.height, "moves": tables.moves},
            ),
            dg.MaterializeResult(asset_key=STALE_KEY, metadata={"rows": tables.stale.outcomes.height}),
        ]

    yield from results_by_country(context, results)  # type: ignore[misc]
