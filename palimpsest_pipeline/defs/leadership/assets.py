"""The price leadership tables, recomputed from what is stored (``derive/leadership.py``)."""

from datetime import date, datetime

import dagster as dg
import psycopg

from palimpsest_pipeline.defs.coverage.assets import MATCHED_KEY, rebuilt_tables
from palimpsest_pipeline.defs.odds.assets import COMPARISON_KEY
from palimpsest_pipeline.defs.runs.by_country import Result
from palimpsest_pipeline.derive.leadership import rebuild_leadership
from palimpsest_pipeline.settings import load_settings

LEADERSHIP_KEY = dg.AssetKey("price_leadership")
STALE_KEY = dg.AssetKey("stale_vs_market")


def _leadership_results(
    conn: psycopg.Connection, now: datetime, country: str, dates: list[date]
) -> list[Result]:
    window = load_settings().leadership_window
    tables = rebuild_leadership(conn, dates, now, window, site_country=country)
    return [
        dg.MaterializeResult(
            asset_key=LEADERSHIP_KEY,
            metadata={"rows": tables.leadership.height, "moves": tables.moves},
        ),
        dg.MaterializeResult(asset_key=STALE_KEY, metadata={"rows": tables.stale.outcomes.height}),
    ]


price_leadership_tables = rebuilt_tables(
    "price_leadership_tables",
    {
        LEADERSHIP_KEY: "Per kick-off date, tournament, main market and book: price moves led, moves "
        "followed and the median lag, and other books' moves missed within the window "
        "(PALIMPSEST_LEADERSHIP_WINDOW_MINUTES). Table analytics.price_leadership.",
        STALE_KEY: "Main-market outcomes whose BetPawa price has not moved while two or more competitors "
        "moved the same way. Table analytics.stale_vs_market.",
    },
    [MATCHED_KEY, COMPARISON_KEY],
    _leadership_results,
)
