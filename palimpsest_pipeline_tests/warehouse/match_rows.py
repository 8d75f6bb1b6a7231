"""Tests' seed of one match in analytics.matches and analytics.match_listings (what analytics.matched_events
shows), for tests that need a match in the warehouse without running the matching."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import psycopg


def insert_match(
    conn: psycopg.Connection,
    sr_id: int,
    kickoff: datetime,
    books: Mapping[str, str],
    *,
    home: str = "Home",
    away: str = "Away",
    sport: str = "football",
    site_country: str = "ng",
) -> None:
    """Match ``sr:<sr_id>`` kicking off at ``kickoff`` (its UTC date), listed by ``books`` (book -> its event
    id); names from BetPawa when it lists it, else from the first book given."""
    on_betpawa = "betpawa" in books
    status = ("matched" if len(books) > 1 else "betpawa_only") if on_betpawa else "competitor_only"
    source = "betpawa" if on_betpawa else next(iter(books))
    key = (kickoff.date(), site_country, f"sr:{sr_id}")
    conn.execute(
        "INSERT INTO analytics.matches (kickoff_date, site_country, match_key, sr_id, kickoff, sport, home, "
        "away, name_source, book_count, status, linked_by) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (*key, sr_id, kickoff, sport, home, away, source, len(books), status,
         None if len(books) == 1 else "sportradar"),
    )  # fmt: skip
    for book, event_id in books.items():
        conn.execute(
            "INSERT INTO analytics.match_listings (kickoff_date, site_country, match_key, book, event_id) "
            "VALUES (%s, %s, %s, %s, %s)",
            (*key, book, event_id),
        )
