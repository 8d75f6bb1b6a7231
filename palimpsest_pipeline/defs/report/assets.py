"""The traders' report as an asset over every site country, rewritten after each country's catalogue run
(no ``from __future__ import annotations``: Dagster resolves the config class from the real annotation)."""

from pathlib import Path

import dagster as dg
from pydantic import Field

from palimpsest_pipeline import runtime
from palimpsest_pipeline.defs.coverage.assets import COVERAGE_LEVELS, coverage_key
from palimpsest_pipeline.defs.leadership.assets import leadership_key
from palimpsest_pipeline.defs.listing.assets import to_list_key
from palimpsest_pipeline.defs.odds.assets import comparison_key, margins_key
from palimpsest_pipeline.defs.partitions import SITE_COUNTRIES, kickoff_dates, single_run
from palimpsest_pipeline.defs.resources import WarehouseResource
from palimpsest_pipeline.partition_keys import key_dates
from palimpsest_pipeline.report.build import REPORT_FILE, build_report, default_report_path

REPORT_GROUP = "report"
REPORT_KEY = dg.AssetKey("traders_report")


def report_deps(country: str) -> list[dg.AssetKey]:
    """The tables of ``country`` the report draws."""
    return [
        *(coverage_key(country, level) for level in COVERAGE_LEVELS),
        comparison_key(country),
        margins_key(country),
        to_list_key(country),
        leadership_key(country),  # it draws who moves first
    ]


class ReportConfig(dg.Config):
    """Where the page goes: ``directory`` (default ``$PALIMPSEST_HOME/reports``); the desk lists BetPawa's
    prices more than ``desk_price_gap`` (a share of the best price) below the best competitor's."""

    directory: str | None = None
    desk_price_gap: float = Field(default=0.02, ge=0, lt=1)


@dg.asset(
    key=REPORT_KEY,
    deps=[key for country in SITE_COUNTRIES for key in report_deps(country)],
    description="The traders' report of every site country: one self-contained HTML page (opens offline) "
    "with coverage by sport, country and tournament, match rate over time, BetPawa's price position and "
    "gap, margins per book and what the latest catalogue run changed. Its path is in the metadata.",
    group_name=REPORT_GROUP,
    kinds={"html", "postgres"},
    partitions_def=kickoff_dates,
    backfill_policy=single_run,
)
def traders_report(
    context: dg.AssetExecutionContext, config: ReportConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    dates = key_dates(context.partition_keys)
    path = (
        Path(config.directory) / REPORT_FILE
        if config.directory
        else default_report_path(runtime.project_home())
    )
    with warehouse.connect() as conn:
        built = build_report(conn, min(dates), max(dates), path, price_gap=config.desk_price_gap)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(built.path)),
            "url": dg.MetadataValue.url(built.path.resolve().as_uri()),
            "bytes": built.bytes,
            "charts": built.charts,
            "charts_with_data": built.drawn,
            "build_s": built.seconds,
        }
    )
