"""The comparison tables a slice of events at a time, and what their checks need kept across slices.

Memory is bounded by the slice (at most ``max_events`` events of one kick-off date), not the range; every
transform is keyed by SR id, so per-slice tables are the all-at-once tables split by event. Each slice leaves
behind only counts, flagged rows and the margins the medians need (docs/odds-comparison.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl

from palimpsest_pipeline.frames import BOOK_ORDER
from palimpsest_pipeline.markets.checks.bounds import SuspectBounds
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.transforms.freshness import stale_shares
from palimpsest_pipeline.transforms.market_availability import availability
from palimpsest_pipeline.transforms.odds_checks import (
    MARGIN_HIGH,
    MARGIN_LOW,
    PRICE_FACTOR,
    CheckResult,
    MainMarkets,
    Screened,
    margin_check,
    price_check,
    screen_margins,
    screen_prices,
)
from palimpsest_pipeline.transforms.odds_compare import compare_prices, margins
from palimpsest_pipeline.transforms.suspect_markets import suspect_markets


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
    """One chunk's analytics tables, ready to write: the comparison per outcome (``outcomes``) and per outcome
    and book (``prices``), margins, availability and suspect markets."""

    outcomes: pl.DataFrame
    prices: pl.DataFrame
    margins: pl.DataFrame
    availability: pl.DataFrame
    suspects: pl.DataFrame

    def frames(self) -> tuple[pl.DataFrame, ...]:
        """The tables in ``COMPARISON_TABLES`` order (``derive/comparison.py``)."""
        return (self.outcomes, self.prices, self.margins, self.availability, self.suspects)


def comparison_tables(
    odds: pl.DataFrame,
    matched: pl.DataFrame,
    definitions: pl.DataFrame,
    bounds: pl.DataFrame | None,
    computed_at: datetime,
    suspect_bounds: SuspectBounds = SuspectBounds(),  # noqa: B008 - frozen, never mutated
    single_book: pl.DataFrame | None = None,
    *,
    site_country: str,
) -> ComparisonTables:
    """The comparison, margins, availability and suspect markets of the events in ``matched``
    (``read_matched_listings``) read from ``site_country``'s sites, each row stamped with its event's kick-off
    date, ``site_country`` and ``computed_at``. ``single_book``: the stored single-book suspects of those
    events (``frames.MARKET_SUSPECTS_SCHEMA``)."""
    stamp = (
        pl.lit(computed_at).cast(pl.Datetime("us", "UTC")).alias("computed_at"),
        pl.lit(site_country, pl.String).alias("site_country"),
    )
    day = matched.select("sr_id", "kickoff_date")
    on_columns = [name for name in matched.columns if name.startswith("on_")]
    listed = matched.unpivot(index="sr_id", on=on_columns, variable_name="book", value_name="on").filter(
        pl.col("on")
    )
    listed = listed.select("sr_id", pl.col("book").str.strip_prefix("on_"))
    names = definitions.select("market", "outcome", "market_name", "outcome_name")
    suspects = suspect_markets(odds, definitions, bounds, suspect_bounds, single_book)
    compared = compare_prices(odds, definitions, bounds, suspects)
    outcomes = (
        compared.outcomes.join(day, on="sr_id")
        .join(names, on=["market", "outcome"], how="left")
        .with_columns(*stamp)
    )
    prices = compared.prices.join(day, on="sr_id").with_columns(*stamp)
    book_margins = margins(odds, definitions, bounds).join(day, on="sr_id").with_columns(*stamp)
    offered = availability(odds, listed).join(day, on="sr_id").with_columns(*stamp)
    suspects = suspects.join(day, on="sr_id").with_columns(*stamp)
    return ComparisonTables(outcomes, prices, book_margins, offered, suspects)


@dataclass
class RangeSummary:
    """What the checks and metadata need of every chunk's tables, kept small (see the module docstring).

    ``margin_low``/``margin_high`` and ``price_factor`` are the checks' bounds: each slice is screened with
    them as it is added."""

    main_markets: MainMarkets
    margin_low: float = MARGIN_LOW
    margin_high: float = MARGIN_HIGH
    price_factor: float = PRICE_FACTOR
    rows: int = 0
    events: int = 0
    margin_rows: int = 0
    betpawa_priced: int = 0
    betpawa_best: int = 0
    by_availability: Counter[str] = field(default_factory=Counter)
    #: Suspect markets per (book, market id), and per (book, reason).
    suspects_by_market: Counter[tuple[str, int]] = field(default_factory=Counter)
    suspects_by_reason: Counter[tuple[str, str]] = field(default_factory=Counter)
    _price_screen: Screened | None = None
    _margin_screen: Screened | None = None
    _margin_values: dict[str, pl.Series] = field(default_factory=dict)
    _stale: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, tables: ComparisonTables) -> None:
        outcomes, prices = tables.outcomes, tables.prices
        self.rows += outcomes.height
        self.events += outcomes["sr_id"].n_unique()
        self.margin_rows += tables.margins.height
        priced = prices.filter((pl.col("book") == Book.BETPAWA.value) & pl.col("price").is_not_null())
        self.betpawa_priced += priced.height
        self.betpawa_best += outcomes.filter(pl.col("betpawa_rank") == 1).height
        for row in tables.availability.group_by("availability").len().iter_rows():
            self.by_availability[row[0]] += row[1]
        for book, market, count in tables.suspects.group_by("book", "market").len().iter_rows():
            self.suspects_by_market[(book, market)] += count
        for book, reason, count in tables.suspects.group_by("book", "reason").len().iter_rows():
            self.suspects_by_reason[(book, reason)] += count
        self._price_screen = _merged(
            self._price_screen, screen_prices(prices, self.main_markets, self.price_factor)
        )
        self._margin_screen = _merged(
            self._margin_screen,
            screen_margins(tables.margins, self.main_markets, self.margin_low, self.margin_high),
        )
        priced_margins = tables.margins.filter(pl.col("margin").is_not_null())
        for (book,), values in priced_margins.group_by("book"):
            self._add_margin_values(str(book), values.get_column("margin"))
        _, stale = stale_shares(prices, limit=1.0)
        for book, figures in stale.items():
            into = self._stale.setdefault(book, {"prices": 0, "stale": 0, "oldest_capture": None})
            into["prices"] += figures["prices"]
            into["stale"] += figures["stale"]
            oldest = figures["oldest_capture"]
            if oldest is not None and (into["oldest_capture"] is None or oldest < into["oldest_capture"]):
                into["oldest_capture"] = oldest  # same format everywhere, so text order is time order

    def _add_margin_values(self, book: str, values: pl.Series) -> None:
        kept = self._margin_values.get(book)
        if kept is None:
            self._margin_values[book] = values.cast(pl.Float64).rename("margin").rechunk()
            return
        kept.append(values.cast(pl.Float64))
        if kept.n_chunks() >= _MAX_CHUNKS:  # one buffer per book, not one small one per slice
            self._margin_values[book] = kept.rechunk()

    def margin_check(self) -> CheckResult:
        """``odds_checks.margins_out_of_band`` over every chunk's margins."""
        screens = [] if self._margin_screen is None else [self._margin_screen]
        return margin_check(screens, self.margin_low, self.margin_high)

    def price_check(self) -> CheckResult:
        """``odds_checks.price_disagreements`` over every chunk's comparison."""
        screens = [] if self._price_screen is None else [self._price_screen]
        return price_check(screens, self.price_factor)

    def median_margins(self) -> dict[str, float]:
        """The median of every non-null margin per book (every market), rounded to 4 places, books in
        ``BOOK_ORDER``; a book without any margin is left out."""
        medians = {book: values.median() for book, values in self._margin_values.items()}
        return {
            book: round(median, 4)
            for book in _in_book_order(medians)
            if isinstance(median := medians.get(book), float)
        }

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

    def suspect_check(self) -> CheckResult:
        """No suspect market; otherwise the counts per book and reason, and the most suspect markets."""
        by_book: Counter[str] = Counter()
        for (book, _), count in self.suspects_by_market.items():
            by_book[book] += count
        details: dict[str, Any] = {
            "suspect_by_book": {book: by_book[book] for book in _in_book_order(by_book) if by_book[book]},
            "suspect_by_reason": {f"{b}/{r}": n for (b, r), n in sorted(self.suspects_by_reason.items())},
            "top_markets": [
                {"book": book, "market": market, "suspect": count}
                for (book, market), count in self.suspects_by_market.most_common(10)
            ],
        }
        return CheckResult(not by_book, details)

    def betpawa_best_share(self) -> float | None:
        return self.betpawa_best / self.betpawa_priced if self.betpawa_priced else None


def _in_book_order(books: Iterable[str]) -> list[str]:
    """``books`` in ``BOOK_ORDER``, any book it does not name after them by name."""
    return sorted(books, key=lambda b: (BOOK_ORDER.index(b) if b in BOOK_ORDER else len(BOOK_ORDER), b))


#: A book's kept margins are made one buffer again when they reach this many chunks (one per slice).
_MAX_CHUNKS = 32


def _merged(kept: Screened | None, new: Screened) -> Screened:
    """One screen for the slices of ``kept`` and ``new``: counts added, flagged rows stacked."""
    if kept is None:
        return new
    flagged = pl.concat([kept.flagged, new.flagged], how="vertical") if new.flagged.height else kept.flagged
    return Screened(kept.checked + new.checked, kept.checked_books | new.checked_books, flagged)
