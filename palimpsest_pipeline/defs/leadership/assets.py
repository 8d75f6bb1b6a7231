"""The price leadership tables, recomputed from what is stored (``derive/leadership.py``)."""

from datetime import date, datetime

import dagster as dg
import psycopg

from palimpsest_pipeline.defs.countries import country_key
from palimpsest_pipeline.defs.coverage.assets import Result, matched_key, rebuilt_tables
from palimpsest_pipeline.defs.odds.assets import comparison_key
from palimpsest_pipeline.defs.partitions import SITE_COUNTRIES
from palimpsest_pipeline.derive.leadership import rebuild_leadership
from palimpsest_pipeline.settings import load_settings


def leadership_key(country: str) -> dg.AssetKey:
    """``country``'s price leadership: ``ng/price_leadership``."""
    return country_key(country, "price_leadership")


def stale_key(country: str) -> dg.AssetKey:
    """``country``'s BetPawa prices left behind the market: ``ng/stale_vs_market``."""
    return country_key(country, "stale_vs_market")


def _leadership_results(
    conn: psycopg.Connection, now: datetime, country: str, dates: list[date]
) -> list[Result]:
    window = load_settings().leadership_window
    tables = rebuild_leadership(conn, dates, now, window, site_country=country)
    return [
        dg.MaterializeResult(
            asset_key=leadership_key(country),
            metadata={"rows": tables.leadership.height, "moves": tables.moves},
        ),
        dg.MaterializeResult(asset_key=stale_key(country), metadata={"rows": tables.stale.outcomes.height}),
    ]


def price_leadership_asset(country: str) -> dg.AssetsDefinition:
    """``country``'s price leadership tables, after its matched events and comparison."""
    return rebuilt_tables(
        "price_leadership_tables",
        country,
        {
            leadership_key(country): "Per kick-off date, tournament, main market and book: price moves led, "
            "moves followed and the median lag, and other books' moves missed within the window "
            "(PALIMPSEST_LEADERSHIP_WINDOW_MINUTES). Table analytics.price_leadership.",
            stale_key(country): "Main-market outcomes whose BetPawa price has not moved while two or more "
            "competitors moved the same way. Table analytics.stale_vs_market.",
        },
        [matched_key(country), comparison_key(country)],
        _leadership_results,
    )


price_leadership_assets = [price_leadership_asset(country) for country in SITE_COUNTRIES]
