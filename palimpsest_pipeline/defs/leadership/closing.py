"""The closing prices, recomputed from what is stored (``derive/closing.py``) for the matches kicked off."""

from collections.abc import Iterator

import dagster as dg

from palimpsest_pipeline.defs.countries import country_key
from palimpsest_pipeline.defs.coverage.assets import COVERAGE_GROUP, matched_key
from palimpsest_pipeline.defs.odds.assets import odds_key
from palimpsest_pipeline.defs.partitions import SITE_COUNTRIES, kickoff_table, single_run
from palimpsest_pipeline.defs.resources import ClockResource, WarehouseResource
from palimpsest_pipeline.derive.closing import rebuild_closing_prices
from palimpsest_pipeline.partition_keys import key_dates
from palimpsest_pipeline.settings import load_settings


def closing_key(country: str) -> dg.AssetKey:
    """``country``'s closing prices: ``ng/closing_prices``."""
    return country_key(country, "closing_prices")


class ClosingConfig(dg.Config):
    """``rebuild``: judge again every match kicked off, those settled too (after an archive replay rewrote
    their odds history, or a crosswalk change renamed their competition)."""

    rebuild: bool = False


def closing_prices_asset(country: str) -> dg.AssetsDefinition:
    """``country``'s closing prices, after its matched events and its captured odds: each run judges the
    matches kicked off since the imminent tier's reach ago, and those never judged."""

    @dg.multi_asset(
        name=f"{country}__closing_prices",
        specs=[
            kickoff_table(
                closing_key(country),
                deps=[matched_key(country), odds_key(country)],
                description="Per match kicked off, outcome of a complete market and book: its last prematch "
                "price against the other competitors' fair (no-vig, proportional) consensus, and BetPawa's "
                "opening price against it. Table analytics.closing_prices; view "
                "analytics.closing_price_summary per competition and market family.",
                group_name=COVERAGE_GROUP,
            )
        ],
        backfill_policy=single_run,
    )
    def _closing(
        context: dg.AssetExecutionContext,
        config: ClosingConfig,
        warehouse: WarehouseResource,
        clock: ClockResource,
    ) -> Iterator[dg.MaterializeResult]:
        window = load_settings().cadence_policy().tiers[0].max_lead  # the imminent tier's reach
        with warehouse.connect() as conn:
            summary = rebuild_closing_prices(
                conn,
                key_dates(context.partition_keys),
                clock.now(),
                window=window,
                site_country=country,
                settled_after=None if config.rebuild else window,
            )
        if summary.kept:
            context.log.warning(
                f"{len(summary.kept)} match(es) kept as stored, their odds history or capture log gone "
                f"(in full or in part): {dict(sorted(summary.kept.items())[:20])}"
            )
        yield dg.MaterializeResult(
            asset_key=closing_key(country),
            metadata={
                "matches_judged": summary.matches_judged,
                "rows": summary.rows,
                "set_aside": summary.set_aside,
                "rows_written": summary.written.rows,
                "matches_kept_without_history": summary.matches_kept_without_history,
                "matches_kept_with_partial_history": summary.matches_kept_with_partial_history,
            },
        )

    return _closing


closing_price_assets = [closing_prices_asset(country) for country in SITE_COUNTRIES]
