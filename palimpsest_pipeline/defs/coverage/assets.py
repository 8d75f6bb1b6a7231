"""Matched events and coverage tables, computed with Polars from the stored catalogues (not upstream outputs,
so a re-run sees exactly what is stored); each write replaces whole kick-off dates in one transaction."""

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import dagster as dg
import polars as pl
import psycopg

from palimpsest_pipeline.defs.catalogue.assets import events_keys
from palimpsest_pipeline.defs.countries import country_key
from palimpsest_pipeline.defs.coverage.crosswalk import Result, crosswalk_key
from palimpsest_pipeline.defs.partitions import SITE_COUNTRIES, kickoff_table, single_run
from palimpsest_pipeline.defs.resources import ClockResource, WarehouseResource
from palimpsest_pipeline.derive.coverage import CoverageTables, rebuild_coverage, rebuild_matched_events
from palimpsest_pipeline.partition_keys import key_dates
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.transforms.catalogue_freshness import freshness_metadata
from palimpsest_pipeline.transforms.coverage import COVERAGE_LEVELS
from palimpsest_pipeline.transforms.invariants import coverage_adds_up, match_rate_within

COVERAGE_GROUP = "coverage"


def matched_key(country: str) -> dg.AssetKey:
    """``country``'s matched events: ``ng/matched_events``."""
    return country_key(country, "matched_events")


def coverage_key(country: str, level: str) -> dg.AssetKey:
    """``country``'s asset of one coverage level, named as the old wide tables (``ng/coverage_by_sport``)."""
    return country_key(country, "coverage_overall" if level == "overall" else f"coverage_by_{level}")


def rebuilt_tables(
    name: str,
    country: str,
    tables: Mapping[dg.AssetKey, str],
    deps: Sequence[dg.AssetKey],
    results_of: Callable[[psycopg.Connection, datetime, str, list[date]], list[Result]],
) -> dg.AssetsDefinition:
    """``country``'s multi-asset ``name`` of the coverage group's kick-off-date ``tables`` (key:
    description) rebuilt from the warehouse after ``deps``: ``results_of(conn, now, country, dates)``
    rebuilds them and returns their figures."""
    specs = [
        kickoff_table(key, deps=deps, description=text, group_name=COVERAGE_GROUP)
        for key, text in tables.items()
    ]

    @dg.multi_asset(name=f"{country}__{name}", specs=specs, backfill_policy=single_run)
    def _tables(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource, clock: ClockResource
    ) -> Iterator[Result]:
        with warehouse.connect() as conn:
            yield from results_of(conn, clock.now(), country, key_dates(context.partition_keys))

    return _tables


class CoverageConfig(dg.Config):
    """The band a healthy overall match rate stays in (outside it: a scrape or matching fault), on settled
    dates only: the horizon's last days legitimately match less, and a handful of events says nothing."""

    match_rate_low: float = 0.5
    match_rate_high: float = 1.0
    match_rate_settled_days: int = 10
    match_rate_min_events: int = 25


def _matched_results(
    conn: psycopg.Connection, now: datetime, country: str, dates: list[date]
) -> list[Result]:
    """One country's matched events rebuilt, with their figures."""
    matched = rebuild_matched_events(conn, dates, now, country, load_settings().competitors())
    by_status = {row["status"]: row["len"] for row in matched.group_by("status").len().to_dicts()}
    return [
        dg.MaterializeResult(
            metadata={
                "rows": matched.height,
                "matched": by_status.get("matched", 0),
                "betpawa_only": by_status.get("betpawa_only", 0),
                "competitor_only": by_status.get("competitor_only", 0),
                "with_sr_id": int(matched["sr_id"].is_not_null().sum()),
                "linked_by_genius": int((matched["linked_by"] == "genius").sum()),
                "unplaced": int(matched["sr_tournament_id"].is_null().sum()),
                "dates": len(dates),
            }
        )
    ]


def matched_events_asset(country: str) -> dg.AssetsDefinition:
    """``country``'s matched events, after its books' catalogues and its crosswalk."""
    return rebuilt_tables(
        "matched_events",
        country,
        {
            matched_key(country): "One row per match across the books, linked by SportRadar id and, where "
            "a book lacks it, by the Genius Sports id (linked_by says which); names from the first book "
            "listing it, in records.Book order (BetPawa first); the canonical tournament and country from "
            "the crosswalk. Tables analytics.matches and analytics.match_listings (one row per book listing "
            "a match); view analytics.matched_events."
        },
        [*events_keys(country), crosswalk_key(country)],
        _matched_results,
    )


def coverage_asset(country: str) -> dg.AssetsDefinition:
    """``country``'s coverage tables, one asset per level, with their checks."""
    matched, crosswalk = matched_key(country), crosswalk_key(country)

    @dg.multi_asset(
        name=f"{country}__coverage",
        specs=[
            kickoff_table(
                coverage_key(country, level),
                deps=[matched, crosswalk] if level == "tournament" else [matched],
                description=f"Coverage of BetPawa against its {country} competitors, "
                f"{'overall' if not keys else 'per ' + level}"
                f", per kick-off date: matched, BetPawa-only, competitor-only, match rate. Tables "
                f"analytics.coverage_groups and analytics.coverage (level {level!r}, one row per book); view "
                f"analytics.{coverage_key(country, level).path[-1]}.",
                group_name=COVERAGE_GROUP,
            )
            for level, keys in COVERAGE_LEVELS.items()
        ],
        check_specs=[
            dg.AssetCheckSpec(
                "adds_up",
                asset=coverage_key(country, level),
                description="matched + BetPawa-only + competitor-only = total on every row.",
                blocking=True,
            )
            for level in COVERAGE_LEVELS
        ]
        + [
            dg.AssetCheckSpec(
                "match_rate_in_band",
                asset=coverage_key(country, "overall"),
                description="The overall match rate of each date lies in the configured band.",
            )
        ],
        backfill_policy=single_run,
    )
    def coverage_tables(
        context: dg.AssetExecutionContext,
        config: CoverageConfig,
        warehouse: WarehouseResource,
        clock: ClockResource,
    ) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        now = clock.now()
        dates = key_dates(context.partition_keys)
        with warehouse.connect() as conn:
            rebuilt = rebuild_coverage(
                conn,
                dates,
                now,
                run_id=context.run.run_id,
                site_country=country,
                competitors=load_settings().competitors(),
            )
        yield from _coverage_results(country, rebuilt, config, now)

    return coverage_tables


def _coverage_results(
    country: str, rebuilt: CoverageTables, config: CoverageConfig, now: datetime
) -> Iterator[Result]:
    """The coverage tables' figures and checks of ``country``."""
    tables, freshness = rebuilt.by_level, rebuilt.freshness
    for level, table in tables.items():
        passed, details = coverage_adds_up(table)
        metadata: dict[str, Any] = {"rows": table.height, "stale_catalogues": freshness_metadata(freshness)}
        if level == "overall" and table.height:
            sums = pl.col("total", "matched", "betpawa_only", "competitor_only").sum()
            totals = table.select(sums).row(0, named=True)
            rate = round(totals["matched"] / totals["total"], 4) if totals["total"] else None
            metadata.update(totals, match_rate=rate)
        yield dg.MaterializeResult(asset_key=coverage_key(country, level), metadata=metadata)
        yield dg.AssetCheckResult(
            asset_key=coverage_key(country, level), check_name="adds_up", passed=passed, metadata=details
        )
    settled = tables["overall"].filter(
        (pl.col("kickoff_date") <= now.date() + timedelta(days=config.match_rate_settled_days))
        & (pl.col("total") >= config.match_rate_min_events)
    )
    band_ok, band_details = match_rate_within(settled, config.match_rate_low, config.match_rate_high)
    yield dg.AssetCheckResult(
        asset_key=coverage_key(country, "overall"),
        check_name="match_rate_in_band",
        passed=band_ok,
        metadata=band_details,
        severity=dg.AssetCheckSeverity.WARN,
    )


coverage_assets = [
    asset for country in SITE_COUNTRIES for asset in (matched_events_asset(country), coverage_asset(country))
]
