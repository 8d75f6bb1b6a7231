"""Matches and the coverage tables of one site country, rebuilt for some kick-off dates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import polars as pl
import psycopg

from palimpsest_pipeline.books.competitors import Competitors, packaged_competitors
from palimpsest_pipeline.derive.crosswalk import read_country_crosswalk, read_crosswalk
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.transforms.catalogue_freshness import (
    CatalogueFreshness,
    book_freshness,
    catalogue_freshness,
)
from palimpsest_pipeline.transforms.coverage import COVERAGE_LEVELS, book_coverage, coverage
from palimpsest_pipeline.transforms.matching import keep_partition, match_events, match_listings
from palimpsest_pipeline.transforms.placement import book_tournaments, place_matches
from palimpsest_pipeline.warehouse.batches import books_failed_in, last_good_catalogues
from palimpsest_pipeline.warehouse.catalogue_store import read_live_events
from palimpsest_pipeline.warehouse.table_io import read_frame, replace_partition, replace_partitions

#: Columns of analytics.coverage_history: the overall coverage of one computation.
COVERAGE_HISTORY_COLUMNS = (
    "computed_at",
    "site_country",
    "kickoff_date",
    "total",
    "matched",
    "betpawa_only",
    "competitor_only",
    "match_rate",
    "betpawa_coverage",
)
#: The group key columns of analytics.coverage_groups and analytics.coverage, null where a level lacks them.
_GROUP_KEYS: Mapping[str, pl.DataType] = dict.fromkeys(
    ("sport", "sr_category_id", "country", "tournament_key"), pl.String()
)
#: Columns of analytics.coverage_groups beside the keys that only some levels describe (analytics.coverage
#: leaves them to analytics.coverage_groups).
_GROUP_DESCRIBED: Mapping[str, pl.DataType] = {
    "tournament": pl.String(),
    "placed": pl.Boolean(),
    "sr_tournament_id": pl.String(),
    "country_iso": pl.String(),
}
_BOOK_EXTRAS: Mapping[str, pl.DataType] = {
    "catalogue_at": pl.Datetime("us", "UTC"),
    "catalogue_stale": pl.Boolean(),
    "book_tournament_id": pl.String(),
    "book_tournament_name": pl.String(),
}


@dataclass(frozen=True)
class CoverageTables:
    """The coverage of some dates at every level (one row per group), and the books whose catalogue it ran on
    stale."""

    by_level: dict[str, pl.DataFrame]
    freshness: Mapping[Book, CatalogueFreshness]


def site_books(site_country: str, competitors: Competitors | None = None) -> list[str]:
    """The books read on ``site_country``'s sites: BetPawa and its competitors there the pipeline scrapes
    (``competitors``: the settings' ``PALIMPSEST_COMPETITORS_FILE``; else ``books/competitors.toml``)."""
    chosen = competitors if competitors is not None else packaged_competitors()
    return [book.value for book in chosen.scraped_books(site_country)]


def rebuild_matched_events(
    conn: psycopg.Connection,
    dates: Sequence[date],
    now: datetime,
    site_country: str,
    competitors: Competitors | None = None,
) -> pl.DataFrame:
    """Match the live events of ``dates`` across books, place them, and replace those dates of
    ``site_country``'s matches and listings in one transaction; returns the matches stored."""
    # Books can disagree on a kick-off around midnight: match over a one-day margin, keep our dates.
    events = read_live_events(
        conn, min(dates) - timedelta(days=1), max(dates) + timedelta(days=1), site_country=site_country
    )
    events = events.filter(pl.col("book").is_in(site_books(site_country, competitors)))
    matched = match_events(events)
    listed = match_listings(events, matched)
    crosswalks = (
        read_crosswalk(conn, site_country=site_country),
        read_country_crosswalk(conn, site_country=site_country),
    )
    placed = place_matches(matched, listed, *crosswalks)
    matches = _stamp(keep_partition(placed, dates), now, site_country)
    listings = _stamp(keep_partition(listed, dates), now, site_country)
    where = {"kickoff_date": list(dates), "site_country": site_country}
    # the listings go with their matches (ON DELETE CASCADE), then are written afresh
    replace_partitions(conn, where, {"analytics.matches": matches, "analytics.match_listings": listings})
    return matches


def rebuild_coverage(
    conn: psycopg.Connection,
    dates: Sequence[date],
    now: datetime,
    *,
    run_id: str,
    site_country: str,
    competitors: Competitors | None = None,
) -> CoverageTables:
    """Replace the coverage of ``dates`` and ``site_country`` and append its overall figures to the history,
    in one transaction; catalogues that failed in ``run_id`` are reported stale."""
    matches = read_matches(conn, dates, site_country)
    listings = read_match_listings(conn, dates, site_country)
    books = site_books(site_country, competitors)
    freshness = catalogue_freshness(
        last_good_catalogues(conn, map(Book, books), site_country=site_country),
        books_failed_in(conn, run_id, site_country=site_country),
        datetime.now(UTC),
    )
    groups = {level: coverage(matches, listings, keys, books) for level, keys in COVERAGE_LEVELS.items()}
    per_book = {
        level: book_coverage(matches, listings, keys, books) for level, keys in COVERAGE_LEVELS.items()
    }
    per_book["overall"] = per_book["overall"].join(book_freshness(freshness), on="book", how="left")
    per_book["tournament"] = book_tournaments(
        per_book["tournament"], read_crosswalk(conn, site_country=site_country)
    )
    where = {"kickoff_date": list(dates), "site_country": site_country}
    with conn.transaction():
        replace_partition(
            conn, "analytics.coverage_groups", where, _levels(groups, now, site_country, _GROUP_DESCRIBED)
        )
        replace_partition(
            conn, "analytics.coverage", where, _levels(per_book, now, site_country, _BOOK_EXTRAS, book=True)
        )
        # The same overall figures, appended: the coverage tables only keep the latest computation.
        history = _stamp(groups["overall"], now, site_country).select(COVERAGE_HISTORY_COLUMNS)
        replace_partition(
            conn, "analytics.coverage_history", {"computed_at": [now], "site_country": site_country}, history
        )
    return CoverageTables(groups, freshness)


def _levels(
    tables: Mapping[str, pl.DataFrame],
    now: datetime,
    site_country: str,
    extras: Mapping[str, pl.DataType],
    *,
    book: bool = False,
) -> pl.DataFrame:
    """The levels' frames stacked in one long table's shape: each row names its level, the key columns and
    ``extras`` a level lacks are null, and the described columns not among ``extras`` are left out."""
    wanted = {**_GROUP_KEYS, **extras}
    frames = []
    for level, table in tables.items():
        frame = table.with_columns(
            pl.lit(level).alias("level"),
            *(
                pl.lit(None, dtype=dtype).alias(name)
                for name, dtype in wanted.items()
                if name not in table.columns
            ),
        )
        fixed = ["kickoff_date", "level", *wanted, *(["book"] if book else [])]
        frames.append(
            frame.select(
                *fixed,
                *(name for name in table.columns if name not in fixed and name not in _GROUP_DESCRIBED),
            )
        )
    return _stamp(pl.concat(frames, how="diagonal_relaxed"), now, site_country)


def _stamp(frame: pl.DataFrame, now: datetime, site_country: str) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit(now).cast(pl.Datetime("us", "UTC")).alias("computed_at"),
        pl.lit(site_country).alias("site_country"),
    )


def read_matches(conn: psycopg.Connection, kickoff_dates: Sequence[date], site_country: str) -> pl.DataFrame:
    """Every column of every match of ``site_country`` kicking off on ``kickoff_dates``."""
    return read_frame(
        conn,
        "SELECT * FROM analytics.matches WHERE kickoff_date = ANY(%s) AND site_country = %s",
        (list(kickoff_dates), site_country),
    )


def read_match_listings(
    conn: psycopg.Connection, kickoff_dates: Sequence[date], site_country: str
) -> pl.DataFrame:
    """Which book lists each match of ``site_country`` kicking off on ``kickoff_dates``: kickoff_date,
    match_key, book, event_id, tournament_id."""
    return read_frame(
        conn,
        "SELECT kickoff_date, match_key, book, event_id, tournament_id FROM analytics.match_listings "
        "WHERE kickoff_date = ANY(%s) AND site_country = %s",
        (list(kickoff_dates), site_country),
    )


def read_matched_listings(
    conn: psycopg.Connection, kickoff_dates: Sequence[date], site_country: str
) -> pl.DataFrame:
    """Which books list each SR id of ``site_country`` kicking off on ``kickoff_dates``: kickoff_date, sr_id,
    kickoff and one boolean ``on_<book>`` column per registered book (``records.Book``). Events without an
    SR id are left out: odds are captured by SR id only."""
    listed = read_frame(
        conn,
        "SELECT m.kickoff_date, m.sr_id, m.kickoff, l.book FROM analytics.matches m "
        "JOIN analytics.match_listings l USING (kickoff_date, site_country, match_key) "
        "WHERE m.kickoff_date = ANY(%s) AND m.site_country = %s AND m.sr_id IS NOT NULL",
        (list(kickoff_dates), site_country),
    )
    keys = ["kickoff_date", "sr_id", "kickoff"]
    return (
        listed.group_by(keys, maintain_order=True)
        .agg(*(pl.col("book").eq(book.value).any().alias(f"on_{book.value}") for book in Book))
        .select(*keys, *(f"on_{book.value}" for book in Book))
    )
