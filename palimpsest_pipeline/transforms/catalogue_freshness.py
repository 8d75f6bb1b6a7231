"""Which book's catalogue is stale: matching and coverage run on the last good one rather than stopping for
one book's outage, and every coverage row says when each book's catalogue was last refreshed.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import polars as pl

from palimpsest_pipeline.frames import UTC_MICROS
from palimpsest_pipeline.records import Book

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
    last_good: Mapping[Book, datetime | None], failed_now: Collection[Book], now: datetime
) -> dict[Book, CatalogueFreshness]:
    """Pure: the catalogue age and staleness at ``now`` of each book of ``last_good`` (those read on one
    country's sites, each with its last good scrape, None if never)."""
    out: dict[Book, CatalogueFreshness] = {}
    for book, at in last_good.items():
        age = None if at is None else max(0.0, (now - at).total_seconds())
        stale = book in failed_now or at is None or now - at > DEFAULT_MAX_AGE
        out[book] = CatalogueFreshness(book, at, stale, None if age is None else round(age, 1))
    return out


def book_freshness(freshness: Mapping[Book, CatalogueFreshness]) -> pl.DataFrame:
    """``book``, ``catalogue_at`` and ``catalogue_stale``: one row per book of ``freshness`` (they describe
    the catalogues the whole computation read)."""
    return pl.DataFrame(
        [(f.book.value, f.refreshed_at, f.stale) for f in freshness.values()],
        schema={"book": pl.String(), "catalogue_at": UTC_MICROS, "catalogue_stale": pl.Boolean()},
        orient="row",
    )


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
