"""The comparison tables a slice of events at a time, and what their checks need kept across slices.

Why: at real depth (hundreds to thousands of outcomes per event and book) the comparison over every date at
once held millions of rows in several Polars frames, and even one busy date of 1,000 events held its whole
current odds as Python rows while they were read. Computed per slice of at most ``max_events`` events of one
kick-off date (``event_slices``), memory is bounded by the slice, not the date or the range. Every transform
in ``odds_compare`` is keyed by SR id, and an SR id kicks off on one date, so per-slice tables are exactly the
all-at-once tables split by event.

The asset checks and metadata look at the whole range, so each date leaves behind only what they read:
- ``price_disagreements`` reads main-market rows only (it filters them first): kept, those rows;
- ``margins_out_of_band`` reads non-null margins of main markets only: kept, those rows;
- the median margin per book reads every non-null margin, but only its book and value: kept, those two
  columns (the whole margin rows of every market grew with the events: the step's peak went from 524 to 750
  MB when the demo's events doubled);
- ``stale_shares``, row counts, BetPawa's best-price share and availability counts: kept as sums.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.transforms.freshness import stale_shares
from palimpsest_pipeline.transforms.odds_checks import MainMarkets, main_market_ids
from palimpsest_pipeline.transforms.odds_compare import availability, compare_prices, margins


@dataclass(frozen=True)
class EventSlice:
    """At most ``max_events`` rows of ``read_matched_listings``, all kicking off on one date.

    ``first_of_date``: the first slice of its date, whose write replaces the whole date's partition (so events
    no longer matched disappear); the date's later slices only add their own events' rows.
    """

    matched: pl.DataFrame
    first_of_date: bool


def event_slices(matched: pl.DataFrame, max_events: int) -> Iterator[EventSlice]:
    """``matched`` split by kick-off date, then into slices of at most ``max_events`` events, in order.

    An empty ``matched`` still yields one (empty) slice, so the caller clears the range's partitions.
    """
    if max_events < 1:
        raise ValueError(f"max_events must be >= 1, got {max_events}")
    if matched.is_empty():
        yield EventSlice(matched, first_of_date=True)
        return
    for day in matched.partition_by("kickoff_date", maintain_order=True):
        for offset in range(0, day.height, max_events):
            yield EventSlice(day.slice(offset, max_events), first_of_date=offset == 0)


@dataclass(frozen=True)
class ComparisonTables:
    """One chunk's three analytics tables, ready to write."""

    comparison: pl.DataFrame
    margins: pl.DataFrame
    availability: pl.DataFrame


def comparison_tables(
    odds: pl.DataFrame,
    matched: pl.DataFrame,
    definitions: pl.DataFrame,
    bounds: pl.DataFrame | None,
    computed_at: datetime,
) -> ComparisonTables:
    """The comparison, margins and availability of the events in ``matched`` (``read_matched_listings``),
    each row stamped with its event's kick-off date and ``computed_at``."""
    now = pl.lit(computed_at).cast(pl.Datetime("us", "UTC"))
    day = matched.select("sr_id", "kickoff_date")
    listed = matched.unpivot(
        index="sr_id", on=[f"on_{b.value}" for b in Book], variable_name="book", value_name="on"
    ).filter(pl.col("on"))
    listed = listed.select("sr_id", pl.col("book").str.strip_prefix("on_"))
    names = definitions.select("market", "outcome", "market_name", "outcome_name")
    comparison = (
        compare_prices(odds, definitions, bounds)
        .join(day, on="sr_id")
        .join(names, on=["market", "outcome"], how="left")
        .with_columns(now.alias("computed_at"))
    )
    book_margins = (
        margins(odds, definitions, bounds).join(day, on="sr_id").with_columns(now.alias("computed_at"))
    )
    offered = availability(odds, listed).join(day, on="sr_id").with_columns(now.alias("computed_at"))
    return ComparisonTables(comparison, book_margins, offered)


@dataclass
class RangeSummary:
    """What the checks and metadata need of every chunk's tables, kept small (see the module docstring)."""

    main_markets: MainMarkets
    rows: int = 0
    events: int = 0
    margin_rows: int = 0
    betpawa_priced: int = 0
    betpawa_best: int = 0
    by_availability: Counter[str] = field(default_factory=Counter)
    _main_comparison: list[pl.DataFrame] = field(default_factory=list)
    _priced_margins: list[pl.DataFrame] = field(default_factory=list)
    _margin_values: list[pl.DataFrame] = field(default_factory=list)
    _stale: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, tables: ComparisonTables) -> None:
        comparison = tables.comparison
        self.rows += comparison.height
        self.events += comparison["sr_id"].n_unique()
        self.margin_rows += tables.margins.height
        priced = comparison.filter(pl.col("price_betpawa").is_not_null())
        self.betpawa_priced += priced.height
        self.betpawa_best += priced.filter(pl.col("betpawa_rank") == 1).height
        for row in tables.availability.group_by("availability").len().iter_rows():
            self.by_availability[row[0]] += row[1]
        main = main_market_ids(self.main_markets)
        self._main_comparison.append(comparison.filter(pl.col("market").is_in(main)))
        priced_margins = tables.margins.filter(pl.col("margin").is_not_null())
        self._priced_margins.append(priced_margins.filter(pl.col("market").is_in(main)))
        self._margin_values.append(priced_margins.select("book", "margin"))
        _, stale = stale_shares(comparison, limit=1.0)
        for book, figures in stale.items():
            into = self._stale.setdefault(book, {"prices": 0, "stale": 0, "oldest_capture": None})
            into["prices"] += figures["prices"]
            into["stale"] += figures["stale"]
            oldest = figures["oldest_capture"]
            if oldest is not None and (into["oldest_capture"] is None or oldest < into["oldest_capture"]):
                into["oldest_capture"] = oldest  # same format everywhere, so text order is time order

    def main_comparison(self, like: pl.DataFrame | None = None) -> pl.DataFrame:
        """Main-market comparison rows of every chunk (what ``price_disagreements`` reads)."""
        return _concat(self._main_comparison, like)

    def priced_margins(self, like: pl.DataFrame | None = None) -> pl.DataFrame:
        """Non-null margins of main markets of every chunk (what ``margins_out_of_band`` reads)."""
        return _concat(self._priced_margins, like)

    def margin_values(self) -> pl.DataFrame:
        """(book, margin) of every non-null margin of every chunk, every market (the median per book)."""
        return _concat(self._margin_values, pl.DataFrame(schema={"book": pl.String, "margin": pl.Float64}))

    def stale_shares(self, *, limit: float) -> tuple[bool, dict[str, dict[str, object]]]:
        """``freshness.stale_shares`` over every chunk's comparison, from the per-chunk counts."""
        details: dict[str, dict[str, object]] = {}
        passed = True
        for book, figures in self._stale.items():
            share = figures["stale"] / figures["prices"] if figures["prices"] else 0.0
            details[book] = {
                "prices": figures["prices"],
                "stale": figures["stale"],
                "stale_share": round(share, 4),
                "oldest_capture": figures["oldest_capture"],
            }
            passed = passed and share <= limit
        return passed, details

    def betpawa_best_share(self) -> float | None:
        return self.betpawa_best / self.betpawa_priced if self.betpawa_priced else None


def _concat(frames: list[pl.DataFrame], like: pl.DataFrame | None) -> pl.DataFrame:
    if frames:
        return pl.concat(frames, how="vertical")
    return like.clear() if like is not None else pl.DataFrame()
