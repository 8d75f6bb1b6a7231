"""The comparison tables a slice of events at a time (memory bounded by the slice; every transform is keyed by
SR id, so the slices' tables are the whole's split by event), and what their checks need kept across slices.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import polars as pl

from palimpsest_pipeline.frames import BOOK_ORDER
from palimpsest_pipeline.markets.vocabulary import MAIN_MARKETS
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.transforms.freshness import stale_counts, stale_shares
from palimpsest_pipeline.transforms.market_availability import availability
from palimpsest_pipeline.transforms.odds_checks import (
    MARGIN_HIGH,
    MARGIN_LOW,
    PRICE_FACTOR,
    CheckResult,
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
    """At most ``max_events`` rows of ``read_matched_listings`` of one date; ``first_of_date``: its write
    replaces the whole date, the date's later slices only add their own events' rows."""

    matched: pl.DataFrame
    first_of_date: bool


def event_slices(matched: pl.DataFrame, max_events: int) -> Iterator[EventSlice]:
    """``matched`` split by kick-off date, then into slices of at most ``max_events`` events, in order; an
    empty ``matched`` yields one empty slice (the caller clears the range)."""
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
    """One chunk's analytics tables: the comparison per outcome (``outcomes``) and per outcome and book
    (``prices``), margins, availability, suspect markets, and per event and book the capture that last
    confirmed its prices (``confirmations``)."""

    outcomes: pl.DataFrame
    prices: pl.DataFrame
    margins: pl.DataFrame
    availability: pl.DataFrame
    suspects: pl.DataFrame
    confirmations: pl.DataFrame

    def frames(self) -> tuple[pl.DataFrame, ...]:
        """The tables as stored, in ``COMPARISON_TABLES`` order (``derive/comparison.py``): a price's or a
        margin's capture time is its book's confirmation, stored once per event and book, so that a capture
        confirming a price unchanged leaves the price's row as it was."""
        return (
            self.outcomes,
            self.prices.drop("captured_at"),
            self.margins.drop("captured_at"),
            self.availability,
            self.suspects,
            self.confirmations,
        )


def comparison_tables(
    odds: pl.DataFrame,
    matched: pl.DataFrame,
    definitions: pl.DataFrame,
    bounds: pl.DataFrame | None,
    computed_at: datetime,
    single_book: pl.DataFrame | None = None,
    *,
    site_country: str,
) -> ComparisonTables:
    """The comparison tables of the events in ``matched``, each row stamped with its event's kick-off date,
    ``site_country`` and ``computed_at``; ``single_book``: the stored single-book suspects of those events."""
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
    suspects = suspect_markets(odds, definitions, bounds, single_book)
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
    confirmations = book_confirmations(odds).join(day, on="sr_id").with_columns(*stamp)
    return ComparisonTables(outcomes, prices, book_margins, offered, suspects, confirmations)


#: Per event and book with a current price: the newest capture confirming its prices.
CONFIRMATIONS_SCHEMA: dict[str, pl.DataType] = {
    "sr_id": pl.Int64(),
    "book": pl.String(),
    "captured_at": pl.Datetime("us", "UTC"),
}


def book_confirmations(odds: pl.DataFrame) -> pl.DataFrame:
    """Per (sr_id, book) of ``odds`` (current odds, open or suspended), ``CONFIRMATIONS_SCHEMA``: the newest
    ``captured_at`` of its prices, which the store gives every price the book's last capture confirmed."""
    return (
        odds.group_by("sr_id", "book")
        .agg(pl.col("captured_at").max())
        .select(pl.col(name).cast(dtype) for name, dtype in CONFIRMATIONS_SCHEMA.items())
        .sort("sr_id", "book")
    )


@dataclass
class RangeSummary:
    """What the checks and metadata need of every chunk's tables, kept small; each slice is screened with the
    checks' bounds as it is added (over the vocabulary's main markets)."""

    margin_low: float = MARGIN_LOW
    margin_high: float = MARGIN_HIGH
    price_factor: float = PRICE_FACTOR
    rows: int = 0
    events: int = 0
    #: Rows the writer deleted, updated or inserted in the comparison tables (it adds them).
    rows_written: int = 0
    margin_rows: int = 0
    betpawa_priced: int = 0
    betpawa_best: int = 0
    by_availability: Counter[str] = field(default_factory=Counter)
    #: Suspect markets per (book, market id), and per (book, reason).
    suspects_by_market: Counter[tuple[str, int]] = field(default_factory=Counter)
    suspects_by_reason: Counter[tuple[str, str]] = field(default_factory=Counter)
    _price_screens: list[Screened] = field(default_factory=list)
    _margin_screens: list[Screened] = field(default_factory=list)
    _margin_values: dict[str, list[pl.Series]] = field(default_factory=dict)
    _stale: list[pl.DataFrame] = field(default_factory=list)

    def add(self, tables: ComparisonTables) -> None:
        outcomes, prices = tables.outcomes, tables.prices
        self.rows += outcomes.height
        self.events += outcomes["sr_id"].n_unique()
        self.margin_rows += tables.margins.height
        priced = prices.filter((pl.col("book") == Book.BETPAWA.value) & pl.col("price").is_not_null())
        self.betpawa_priced += priced.height
        self.betpawa_best += outcomes.filter(pl.col("betpawa_rank") == 1).height
        self.by_availability.update(dict(tables.availability.group_by("availability").len().iter_rows()))
        self.suspects_by_market.update(tables.suspects.select("book", "market").rows())
        self.suspects_by_reason.update(tables.suspects.select("book", "reason").rows())
        self._price_screens.append(screen_prices(prices, MAIN_MARKETS, self.price_factor))
        self._margin_screens.append(
            screen_margins(tables.margins, MAIN_MARKETS, self.margin_low, self.margin_high)
        )
        priced_margins = tables.margins.filter(pl.col("margin").is_not_null())
        for (book,), values in priced_margins.group_by("book"):
            self._margin_values.setdefault(str(book), []).append(values.get_column("margin").cast(pl.Float64))
        self._stale.append(stale_counts(prices))

    def margin_check(self) -> CheckResult:
        """``odds_checks.margin_check`` over every chunk's margins."""
        return margin_check(self._margin_screens, self.margin_low, self.margin_high)

    def price_check(self) -> CheckResult:
        """``odds_checks.price_check`` over every chunk's comparison."""
        return price_check(self._price_screens, self.price_factor)

    def median_margins(self) -> dict[str, float]:
        """The median of every non-null margin per book (every market), rounded to 4 places, books in
        ``BOOK_ORDER``; a book without any margin is left out."""
        medians = {book: pl.concat(values).median() for book, values in self._margin_values.items()}
        return {
            book: round(median, 4)
            for book in _in_book_order(medians)
            if isinstance(median := medians.get(book), float)
        }

    def stale_shares(self, *, limit: float) -> tuple[bool, dict[str, dict[str, object]]]:
        """``freshness.stale_shares`` over every chunk's comparison."""
        return stale_shares(self._stale, limit=limit)

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
