"""Which book's catalogue is stale: matching and coverage run on the last good one rather than stopping.

Stopping for everyone while one book is down would leave traders without updates; running silently would
pass an old catalogue off as current. So every coverage row says, per book, when its catalogue was last
refreshed and whether it is stale (older than ``max_age``, or failed in the run that computed the row).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import polars as pl

from palimpsest_pipeline.records import SCRAPED_BOOKS, Book

#: Twice the catalogue schedule's cadence (defs/automation.py: every 15 minutes).
DEFAULT_MAX_AGE = timedelta(minutes=30)


@dataclass(frozen=True)
class CatalogueFreshness:
    """One book's catalogue as the tables see it."""

    book: Book
    refreshed_at: datetime | None  # its last successful (ok or partial) scrape; None: never
    stale: bool
    age_s: float | None


def catalogue_freshness(
    last_good: Mapping[Book, datetime | None],
    failed_now: Collection[Book],
    now: datetime,
    max_age: timedelta = DEFAULT_MAX_AGE,
) -> dict[Book, CatalogueFreshness]:
    """Pure: each book's catalogue age and staleness at ``now``."""
    out: dict[Book, CatalogueFreshness] = {}
    for book in SCRAPED_BOOKS:
        at = last_good.get(book)
        age = None if at is None else max(0.0, (now - at).total_seconds())
        stale = book in failed_now or at is None or now - at > max_age
        out[book] = CatalogueFreshness(book, at, stale, None if age is None else round(age, 1))
    return out


def with_catalogue_freshness(
    frame: pl.DataFrame, freshness: Mapping[Book, CatalogueFreshness]
) -> pl.DataFrame:
    """``frame`` with ``catalogue_at_<book>`` and ``catalogue_stale_<book>`` for every book (the same on
    every row: they describe the catalogues the whole computation read)."""
    columns = []
    for book in SCRAPED_BOOKS:
        f = freshness[book]
        at = pl.lit(f.refreshed_at, dtype=pl.Datetime("us", "UTC"))
        columns.append(at.alias(f"catalogue_at_{book.value}"))
        columns.append(pl.lit(f.stale, dtype=pl.Boolean).alias(f"catalogue_stale_{book.value}"))
    return frame.with_columns(columns)


def freshness_metadata(freshness: Mapping[Book, CatalogueFreshness]) -> dict[str, dict[str, object]]:
    """Run metadata: each stale book with its catalogue's age."""
    return {
        f.book.value: {
            "age_s": f.age_s,
            "refreshed_at": None if f.refreshed_at is None else f.refreshed_at.isoformat(),
        }
        for f in freshness.values()
        if f.stale
    }
