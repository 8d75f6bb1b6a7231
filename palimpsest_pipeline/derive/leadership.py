"""Who moves first and BetPawa's prices left behind: read from the warehouse, computed, replaced per
kick-off date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import polars as pl
import psycopg

from palimpsest_pipeline.markets.vocabulary import MAIN_MARKETS
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY
from palimpsest_pipeline.transforms.price_leadership import (
    StaleVsMarket,
    move_roles,
    price_leadership,
    price_moves,
    stale_vs_market,
)
from palimpsest_pipeline.warehouse.leadership_store import (
    read_good_captures,
    read_main_history,
    read_match_places,
)
from palimpsest_pipeline.warehouse.table_io import replace_partitions

WINDOW_VARIABLE = "PALIMPSEST_LEADERSHIP_WINDOW_MINUTES"
DEFAULT_WINDOW = timedelta(minutes=30)


@dataclass(frozen=True)
class LeadershipTables:
    leadership: pl.DataFrame
    stale: StaleVsMarket
    moves: int


def rebuild_leadership(
    conn: psycopg.Connection,
    dates: Sequence[date],
    now: datetime,
    window: timedelta = DEFAULT_WINDOW,
    site_country: str = DEFAULT_SITE_COUNTRY,
) -> LeadershipTables:
    """Replace ``site_country``'s price leadership and prices left behind by the market (``analytics.
    price_leadership``, ``stale_outcomes``, ``stale_outcome_prices``) for ``dates`` from the stored matched
    events and main-market odds history; ``window``: ``PALIMPSEST_LEADERSHIP_WINDOW_MINUTES``."""
    places = read_match_places(conn, dates, site_country=site_country)
    sr_ids = places["sr_id"].unique().to_list()
    history = read_main_history(conn, sr_ids, sorted(MAIN_MARKETS), site_country=site_country)
    captures = read_good_captures(conn, sr_ids, site_country=site_country)
    moves = price_moves(history, captures)
    roles = move_roles(moves, history, captures, window)
    tables = LeadershipTables(
        price_leadership(roles, places, now, window, site_country=site_country),
        stale_vs_market(history, places, now, site_country=site_country),
        moves.height,
    )
    replace_partitions(
        conn,
        {"kickoff_date": list(dates), "site_country": [site_country]},
        {
            "analytics.price_leadership": tables.leadership,
            "analytics.stale_outcomes": tables.stale.outcomes,
            "analytics.stale_outcome_prices": tables.stale.prices,
        },
    )
    return tables
