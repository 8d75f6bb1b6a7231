"""The tournament crosswalk asset of each site country (``derive/crosswalk.py``): every book tournament placed
on one SportRadar tournament. Partitioned like the catalogues only to run in the same runs: a country's
crosswalk reads its whole current catalogue."""

from collections.abc import Iterator
from datetime import datetime

import dagster as dg

from palimpsest_pipeline.books.kits import KITS, TOURNAMENT_KEYS_BOOK
from palimpsest_pipeline.defs.catalogue.assets import events_keys
from palimpsest_pipeline.defs.countries import country_key
from palimpsest_pipeline.defs.partitions import SITE_COUNTRIES, kickoff_dates, single_run
from palimpsest_pipeline.defs.resources import ClockResource, WarehouseResource
from palimpsest_pipeline.derive.crosswalk import rebuild_crosswalks
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.transforms.crosswalk import (
    PLACEMENT_UNPLACED,
    books_agree_on_country,
    tournaments_not_split,
)

Result = dg.MaterializeResult | dg.AssetCheckResult


def crosswalk_key(country: str) -> dg.AssetKey:
    """``country``'s crosswalk asset: ``ng/tournament_crosswalk``."""
    return country_key(country, "tournament_crosswalk")


def crosswalk_asset(country: str) -> dg.AssetsDefinition:
    """``country``'s tournament crosswalk, rebuilt after its books' catalogues."""
    key = crosswalk_key(country)

    @dg.asset(
        key=key,
        deps=events_keys(country),
        description=f"Every {country} book's tournaments placed on one canonical tournament keyed by the "
        f"SportRadar tournament id ({KITS[TOURNAMENT_KEYS_BOOK].name}'s own; for the other books' "
        f"competitions and groups, a majority vote of their events linked to "
        f"{KITS[TOURNAMENT_KEYS_BOOK].name}'s; kept while evidence is absent), and every book's countries on "
        "SportRadar categories. Tables analytics.tournament_crosswalk, analytics.country_crosswalk.",
        group_name="coverage",  # COVERAGE_GROUP, which imports this module
        kinds={"polars", "postgres"},
        partitions_def=kickoff_dates,
        backfill_policy=single_run,
        check_specs=[
            dg.AssetCheckSpec(
                "tournaments_not_split",
                asset=key,
                description="No book tournament's events split across canonical tournaments.",
            ),
            dg.AssetCheckSpec(
                "books_agree_on_country",
                asset=key,
                description="Every book files each canonical tournament under a country it places on the "
                "tournament's SportRadar category.",
            ),
        ],
    )
    def tournament_crosswalk(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource, clock: ClockResource
    ) -> Iterator[Result]:
        yield from _crosswalk_of(country, warehouse, clock.now())

    return tournament_crosswalk


def _crosswalk_of(country: str, warehouse: WarehouseResource, now: datetime) -> list[Result]:
    """One site country's crosswalk rebuilt, with its checks."""
    with warehouse.connect() as conn:
        crosswalk, countries = rebuild_crosswalks(conn, now, site_country=country)
    metadata: dict[str, dg.RawMetadataValue] = {"rows": crosswalk.height, "countries": countries.height}
    for book in load_settings().competitors().scraped_books(country):
        rows = crosswalk.filter(crosswalk["book"] == book.value)
        placed = rows.filter(rows["placement"] != PLACEMENT_UNPLACED).height
        metadata[f"{book.value}_placed"] = placed
        metadata[f"{book.value}_unplaced"] = rows.height - placed
    checks = {
        "tournaments_not_split": tournaments_not_split(crosswalk),
        "books_agree_on_country": books_agree_on_country(crosswalk, countries),
    }
    return [
        dg.MaterializeResult(metadata=metadata),
        *(
            dg.AssetCheckResult(
                check_name=name, passed=passed, metadata=details, severity=dg.AssetCheckSeverity.WARN
            )
            for name, (passed, details) in checks.items()
        ),
    ]


crosswalk_assets = [crosswalk_asset(country) for country in SITE_COUNTRIES]
