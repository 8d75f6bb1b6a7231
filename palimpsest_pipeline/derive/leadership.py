"""Who moves first and BetPawa's prices left behind: read from the warehouse, computed, replaced per
kick-off date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import polars as pl
import psycopg

from palimpsest_pipeline.markets.vocabulary import MAIN_MARKETS
from palimpsest_pipeline.transforms.price_leadership import (
    StaleVsMarket,
    move_roles,
    price_leadership,
    price_moves,
    stale_vs_market,
)
from palimpsest_pipeline.warehouse.table_io import read_frame, replace_partitions

WINDOW_VARIABLE = "PALIMPSEST_LEADERSHIP_WINDOW_MINUTES"


@dataclass(frozen=True)
class LeadershipTables:
    leadership: pl.DataFrame
    stale: StaleVsMarket
    moves: int


def rebuild_leadership(
    conn: psycopg.Connection,
    dates: Sequence[date],
    now: datetime,
    window: timedelta,
    site_country: str,
) -> LeadershipTables:
    """Replace ``site_country``'s price leadership and prices left behind by the market for ``dates``, from
    its matches with an SR id (whichever books list them), every book's stored changes of the main markets
    on them and its successful captures of them."""
    places = read_frame(
        conn,
        "SELECT sr_id, kickoff_date, sport, country, tournament FROM analytics.matches WHERE "
        "kickoff_date = ANY(%s) AND site_country = %s AND sr_id IS NOT NULL ORDER BY sr_id, kickoff_date",
        (list(dates), site_country),
    )
    sr_ids = places["sr_id"].unique().to_list()
    history = read_frame(
        conn,
        "SELECT sr_id, book, market, specifier, outcome, price, state, captured_at FROM core.odds_history "
        "WHERE sr_id = ANY(%s) AND market = ANY(%s) AND site_country = %s",
        (sr_ids, sorted(MAIN_MARKETS), site_country),
    )
    captures = read_frame(
        conn,
        "SELECT sr_id, book, captured_at FROM core.odds_captures "
        "WHERE sr_id = ANY(%s) AND status = 'ok' AND site_country = %s",
        (sr_ids, site_country),
    )
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
