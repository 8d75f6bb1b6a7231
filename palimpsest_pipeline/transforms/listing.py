"""Listing lead time and what BetPawa lacks now, from the matched events and when each book first listed them
(a listing already there at the first scrape of its date appeared at an unknown time: counted, never timed).
"""

from __future__ import annotations

from datetime import datetime

import polars as pl

from palimpsest_pipeline.records import Book

_GROUP = ["kickoff_date", "sport", "country", "tournament"]
_MATCH = ["kickoff_date", "match_key"]
_HOURS = 3_600.0


def timed_listings(matches: pl.DataFrame, listings: pl.DataFrame, first_seen: pl.DataFrame) -> pl.DataFrame:
    """One row per (match, book listing it) with its ``first_seen_at`` and ``timed`` (first seen after the
    book's first scrape of its date); ``first_seen``: book, event_id, first_seen_at, first_scrape_at."""
    described = matches.select(
        *_MATCH, "sport", "kickoff", pl.col("country").fill_null(""), pl.col("tournament").fill_null("")
    )
    return (
        listings.select(*_MATCH, "book", "event_id")
        .join(described, on=_MATCH, how="inner")
        .join(first_seen, on=["book", "event_id"], how="inner")
        .with_columns(timed=pl.col("first_seen_at") > pl.col("first_scrape_at"))
        .select(*_MATCH, "sport", "kickoff", "country", "tournament", "book", "first_seen_at", "timed")
    )


def betpawa_lag(listings: pl.DataFrame) -> pl.DataFrame:
    """Per match listed by BetPawa and a competitor, every listing timed: hours BetPawa listed it after the
    first competitor (negative: before). Columns: match_key, lag_hours."""
    per_match = listings.group_by("match_key").agg(
        betpawa=pl.col("first_seen_at").filter(pl.col("book") == Book.BETPAWA.value).min(),
        first_competitor=pl.col("first_seen_at").filter(pl.col("book") != Book.BETPAWA.value).min(),
        all_timed=pl.col("timed").all(),
    )
    return per_match.filter(
        pl.col("all_timed") & pl.col("betpawa").is_not_null() & pl.col("first_competitor").is_not_null()
    ).select(
        "match_key",
        lag_hours=(pl.col("betpawa") - pl.col("first_competitor")).dt.total_seconds() / _HOURS,
    )


def listing_lead_time(listings: pl.DataFrame, computed_at: datetime) -> pl.DataFrame:
    """Per kick-off date, tournament and book: events, events timed, median hours listed before kick-off, and
    the tournament's median BetPawa lag (the same on each of its book rows)."""
    lead = (pl.col("kickoff") - pl.col("first_seen_at")).dt.total_seconds() / _HOURS
    per_book = listings.group_by([*_GROUP, "book"]).agg(
        events=pl.len().cast(pl.Int32),
        events_measured=pl.col("timed").sum().cast(pl.Int32),
        median_lead_hours=lead.filter(pl.col("timed")).median(),
    )
    lags = (
        listings.select([*_GROUP, "match_key"])
        .unique()
        .join(betpawa_lag(listings), on="match_key")
        .group_by(_GROUP)
        .agg(betpawa_lag_events=pl.len().cast(pl.Int32), betpawa_lag_hours=pl.col("lag_hours").median())
    )
    return (
        per_book.join(lags, on=_GROUP, how="left")
        .with_columns(pl.col("betpawa_lag_events").fill_null(0), computed_at=pl.lit(computed_at))
        .sort([*_GROUP, "book"])
    )


def to_list_now(
    matches: pl.DataFrame, listings: pl.DataFrame, timed: pl.DataFrame, now: datetime
) -> pl.DataFrame:
    """Matches a competitor lists and BetPawa does not, kicking off after ``now``: who lists them (first seen
    first), since when, and hours to kick-off and listed (null unless every listing is ``timed``)."""
    on_betpawa = listings.filter(pl.col("book") == Book.BETPAWA.value).select(_MATCH)
    missing = matches.join(on_betpawa, on=_MATCH, how="anti").filter(pl.col("kickoff") > pl.lit(now))
    competing = timed.filter(pl.col("book") != Book.BETPAWA.value)
    firsts = competing.group_by("match_key").agg(
        first_listed_at=pl.col("first_seen_at").min(), all_timed=pl.col("timed").all()
    )
    listed_by = (
        listings.filter(pl.col("book") != Book.BETPAWA.value)
        .join(competing.select(*_MATCH, "book", "first_seen_at"), on=[*_MATCH, "book"], how="left")
        .sort("first_seen_at", "book", nulls_last=True)
        .group_by(_MATCH, maintain_order=True)
        .agg(listed_by=pl.col("book"))
    )
    listed_hours = (pl.lit(now) - pl.col("first_listed_at")).dt.total_seconds() / _HOURS
    return (
        missing.join(firsts, on="match_key", how="inner")
        .join(listed_by, on=_MATCH, how="inner")
        .select(
            "kickoff_date", "sr_id", "match_key", "sport", "country", "tournament", "home", "away", "kickoff",
            hours_to_kickoff=(pl.col("kickoff") - pl.lit(now)).dt.total_seconds() / _HOURS,
            listed_by="listed_by",
            first_listed_at="first_listed_at",
            hours_listed_by_competitor=pl.when(pl.col("all_timed")).then(listed_hours),
            computed_at=pl.lit(now),
        )
        .sort("kickoff", "match_key")
    )  # fmt: skip
