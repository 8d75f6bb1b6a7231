"""The closing prices, recomputed from what is stored (``derive/closing.py``) for the matches kicked off."""

from datetime import date, datetime

import dagster as dg
import psycopg

from palimpsest_pipeline.defs.countries import country_key
from palimpsest_pipeline.defs.coverage.assets import Result, matched_key, rebuilt_tables
from palimpsest_pipeline.defs.odds.assets import odds_key
from palimpsest_pipeline.defs.partitions import SITE_COUNTRIES
from palimpsest_pipeline.derive.closing import rebuild_closing_prices
from palimpsest_pipeline.settings import load_settings


def closing_key(country: str) -> dg.AssetKey:
    """``country``'s closing prices: ``ng/closing_prices``."""
    return country_key(country, "closing_prices")


def _closing_results(
    conn: psycopg.Connection, now: datetime, country: str, dates: list[date]
) -> list[Result]:
    window = load_settings().cadence_policy().tiers[0].max_lead  # the imminent tier's reach
    summary = rebuild_closing_prices(conn, dates, now, window=window, site_country=country)
    return [
        dg.MaterializeResult(
            asset_key=closing_key(country),
            metadata={
                "matches_judged": summary.matches_judged,
                "rows": summary.rows,
                "set_aside": summary.set_aside,
                "rows_written": summary.written.rows,
            },
        )
    ]


def closing_prices_asset(country: str) -> dg.AssetsDefinition:
    """``country``'s closing prices, after its matched events and its captured odds."""
    return rebuilt_tables(
        "closing_prices",
        country,
        {
            closing_key(country): "Per match kicked off, outcome of a complete market and book: its last "
            "prematch price against the other competitors' fair (no-vig, proportional) consensus, and "
            "BetPawa's opening price against it. Table analytics.closing_prices; view "
            "analytics.closing_price_summary per competition and market family."
        },
        [matched_key(country), odds_key(country)],
        _closing_results,
    )


closing_price_assets = [closing_prices_asset(country) for country in SITE_COUNTRIES]
