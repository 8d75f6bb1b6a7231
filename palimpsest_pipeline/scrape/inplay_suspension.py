"""One live poll's in-play suspension, in the poll's transaction: the usable books' linked live rows as
frames (each line's canonical market family), placed in phases against the books' earlier scores and added
to ``analytics.inplay_suspension`` (docs/live.md, "In-play suspension")."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import polars as pl
import psycopg

from palimpsest_pipeline.markets.families import market_family
from palimpsest_pipeline.records import Book, LiveEvent
from palimpsest_pipeline.transforms.inplay_suspension import (
    AFTER_GOAL,
    EARLIER_SLACK,
    LINES,
    ROWS,
    poll_suspension,
)
from palimpsest_pipeline.warehouse import inplay_store

#: Scores are kept as long as the comparison reads them, and a minute more.
SCORES_KEPT = AFTER_GOAL + EARLIER_SLACK + EARLIER_SLACK


def live_frames(linked: Mapping[Book, Mapping[int, LiveEvent]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The rows (one per book and match) and their lines (one per live line read, with its family)."""
    rows: list[tuple[object, ...]] = []
    lines: list[tuple[str, int, str, bool]] = []
    for book, by_match in linked.items():
        for sr_id, live in by_match.items():
            home, away = live.score if live.score is not None else (None, None)
            kickoff = live.event.kickoff.date()
            rows.append((book.value, sr_id, kickoff, live.event.sport, home, away, live.half))
            lines.extend(
                (book.value, sr_id, market_family(market, specifier), suspended)
                for market, specifier, suspended in live.lines
            )
    return (
        pl.DataFrame(rows, schema=ROWS, orient="row"),
        pl.DataFrame(lines, schema=LINES, orient="row"),
    )


def record_inplay_suspension(
    conn: psycopg.Connection,
    site_country: str,
    polled_at: datetime,
    linked: Mapping[Book, Mapping[int, LiveEvent]],
) -> pl.DataFrame:
    """Place the poll's rows in phases, add their lines' counts and note what was set aside (the caller's
    transaction, under the country's poll lock); returns the counts added."""
    rows, lines = live_frames(linked)
    earlier = inplay_store.earlier_scores(conn, site_country, polled_at, AFTER_GOAL, EARLIER_SLACK)
    counts, set_aside = poll_suspension(rows, lines, earlier)
    inplay_store.record_scores(conn, site_country, polled_at, rows, SCORES_KEPT)
    inplay_store.add_suspension(conn, site_country, polled_at, counts)
    inplay_store.note_set_aside(conn, site_country, polled_at, set_aside)
    return counts
