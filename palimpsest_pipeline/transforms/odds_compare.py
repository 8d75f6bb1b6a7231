"""Price comparison between the books on the canonical (UOF) market vocabulary: open prices only, margins on
complete markets only, fair odds by the power method; stale prices are shown but compared in nothing
(docs/odds-comparison.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from palimpsest_pipeline.frames import (
    BOOK_MARKET_SCHEMA,
    BOOK_ORDER,
    ODDS_SCHEMA,
    OUTCOME_KEY_SCHEMA,
    OUTCOME_PRICE_SCHEMA,
    book_rank,
)
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.transforms.freshness import STALE_BEFORE_SCHEMA
from palimpsest_pipeline.transforms.input_checks import (
    FrameSchemaError,
    conform,
    require_not_null,
    require_values,
)

#: Columns read from the market definitions (any others, such as ``main``, are ignored here).
MARKET_DEFS_SCHEMA: dict[str, pl.DataType] = {
    "market": pl.Int32(),
    "outcome": pl.Int32(),
    "complete": pl.Boolean(),
}

MARKET_KEY = ("sr_id", "market", "specifier")
BOOK_MARKET_KEY = (*MARKET_KEY, "book")
OUTCOME_KEY = (*MARKET_KEY, "outcome")

MARGINS_SCHEMA: dict[str, pl.DataType] = {
    **BOOK_MARKET_SCHEMA,
    "outcomes_expected": pl.Int32(),
    "outcomes_open": pl.Int32(),
    "margin": pl.Float64(),
    "reason": pl.String(),
    "captured_at": pl.Datetime("us", "UTC"),
    "stale": pl.Boolean(),
}

#: Per outcome key: the comparison (``best_books``: every book at the best price, ``best_book`` first).
OUTCOMES_SCHEMA: dict[str, pl.DataType] = {
    **OUTCOME_KEY_SCHEMA,
    "best_price": pl.Float64(),
    "best_book": pl.String(),
    "best_books": pl.List(pl.String()),
    "betpawa_gap": pl.Float64(),
    "betpawa_rank": pl.Int16(),
    "books_offering": pl.Int16(),
    "fair_price": pl.Float64(),
    "fair_books": pl.Int16(),
}

#: Per outcome key and book compared on the match: its open price and whether that takes part.
PRICES_SCHEMA: dict[str, pl.DataType] = {
    **OUTCOME_PRICE_SCHEMA,
    "captured_at": pl.Datetime("us", "UTC"),
    "stale": pl.Boolean(),
    "suspect": pl.Boolean(),
}


@dataclass(frozen=True)
class Comparison:
    """``compare_prices``' answer: one row per outcome (``OUTCOMES_SCHEMA``) and one per outcome and book
    (``PRICES_SCHEMA``)."""

    outcomes: pl.DataFrame
    prices: pl.DataFrame


#: Newton stops when no exponent moves by more than this; the cap only guards against a logic error.
_NEWTON_TOLERANCE = 1e-12
_NEWTON_MAX_ROUNDS = 100


def validated_odds(odds: pl.DataFrame) -> pl.DataFrame:
    """``odds`` conformed to ``ODDS_SCHEMA``, or a FrameSchemaError naming the bad column and rows."""
    frame = conform(odds, ODDS_SCHEMA, "odds")
    require_not_null(frame, ("sr_id", "book", "market", "specifier", "outcome", "state"), "odds")
    require_values(frame, "book", BOOK_ORDER, "odds")
    require_values(frame, "state", ("open", "suspended"), "odds")
    bad_price = frame.filter(
        pl.col("price").is_not_null() & ~(pl.col("price").is_finite() & (pl.col("price") > 1.0))
    )
    if bad_price.height:
        row = bad_price.row(0, named=True)
        raise FrameSchemaError(
            f"odds: {bad_price.height} price(s) are not decimal odds above 1.0, e.g. {row['price']} for "
            f"{_outcome_of(row)}"
        )
    dups = frame.group_by(*BOOK_MARKET_KEY, "outcome").len().filter(pl.col("len") > 1)
    if dups.height:
        row = dups.row(0, named=True)
        raise FrameSchemaError(
            f"odds: {dups.height} (sr_id, book, market, specifier, outcome) key(s) appear more than once, "
            f"e.g. {_outcome_of(row)} x{row['len']}; pass the current odds, one row per outcome"
        )
    return frame


def _outcome_of(row: dict[str, Any]) -> str:
    """One book's outcome of an odds row, as an error names it."""
    return (
        f"{row['book']} sr_id={row['sr_id']} market={row['market']} {row['specifier']!r} "
        f"outcome={row['outcome']}"
    )


def _validated_defs(market_defs: pl.DataFrame) -> pl.DataFrame:
    defs = conform(market_defs, MARKET_DEFS_SCHEMA, "market_defs")
    require_not_null(defs, MARKET_DEFS_SCHEMA, "market_defs")
    dups = defs.group_by("market", "outcome").len().filter(pl.col("len") > 1)
    if dups.height:
        raise FrameSchemaError(
            f"market_defs: (market, outcome) repeated: {dups.select('market', 'outcome').rows()[:5]}"
        )
    per_market = defs.group_by("market").agg(
        pl.col("complete").n_unique().alias("flags"), pl.len().alias("outcomes"), pl.col("complete").first()
    )
    mixed = per_market.filter(pl.col("flags") > 1).get_column("market").sort().to_list()
    if mixed:
        raise FrameSchemaError(f"market_defs: 'complete' differs between outcomes of market(s) {mixed[:5]}")
    lonely = per_market.filter(pl.col("complete") & (pl.col("outcomes") < 2)).get_column("market").sort()
    if lonely.len():
        raise FrameSchemaError(
            f"market_defs: complete market(s) {lonely.to_list()[:5]} have fewer than two outcomes"
        )
    return defs


def is_open_price() -> pl.Expr:
    """An outcome that can be bet on: open, with a price."""
    return (pl.col("state") == "open") & pl.col("price").is_not_null()


def _is_fresh_open_price() -> pl.Expr:
    return is_open_price() & ~pl.col("stale")


def _with_staleness(odds: pl.DataFrame, stale_before: pl.DataFrame | None) -> pl.DataFrame:
    """``odds`` plus a boolean ``stale``: captured before its (sr_id, book)'s ``stale_before``."""
    if stale_before is None:
        return odds.with_columns(pl.lit(False).alias("stale"))
    bounds = conform(stale_before, STALE_BEFORE_SCHEMA, "stale_before").select(
        "sr_id", "book", "stale_before"
    )
    dups = bounds.group_by("sr_id", "book").len().filter(pl.col("len") > 1)
    if dups.height:
        raise FrameSchemaError(f"stale_before: (sr_id, book) repeated, e.g. {dups.row(0)[:2]}")
    return (
        odds.join(bounds, on=["sr_id", "book"], how="left")
        .with_columns(
            (pl.col("stale_before").is_not_null() & (pl.col("captured_at") < pl.col("stale_before")))
            .fill_null(False)
            .alias("stale")
        )
        .drop("stale_before")
    )


def _with_suspicion(odds: pl.DataFrame, suspects: pl.DataFrame | None) -> pl.DataFrame:
    """``odds`` plus a boolean ``suspect``: its (sr_id, market, specifier, book) is among ``suspects``."""
    flagged = pl.DataFrame(schema={name: ODDS_SCHEMA[name] for name in BOOK_MARKET_KEY})
    if suspects is not None:
        flagged = suspects.select(pl.col(name).cast(ODDS_SCHEMA[name]) for name in BOOK_MARKET_KEY)
    return odds.join(
        flagged.unique().with_columns(pl.lit(True).alias("suspect")), on=list(BOOK_MARKET_KEY), how="left"
    ).with_columns(pl.col("suspect").fill_null(False))


def _margins(odds: pl.DataFrame, defs: pl.DataFrame) -> pl.DataFrame:
    """``margins`` on already validated frames (shared by ``compare_prices``)."""
    per_market = defs.group_by("market").agg(
        pl.len().cast(pl.Int32).alias("outcomes_expected"), pl.col("complete").first()
    )
    known = defs.select("market", "outcome", pl.lit(True).alias("_known"))
    grouped = (
        odds.join(known, on=["market", "outcome"], how="left")
        .group_by(BOOK_MARKET_KEY)
        .agg(
            pl.len().alias("_listed"),
            pl.col("_known").is_null().sum().alias("_unknown"),
            is_open_price().sum().cast(pl.Int32).alias("outcomes_open"),
            (1.0 / pl.col("price")).filter(is_open_price()).sum().alias("_inverse_sum"),
            pl.col("captured_at").min().alias("captured_at"),
            pl.col("stale").filter(is_open_price()).any().alias("stale"),
        )
        .join(per_market, on="market", how="left")
    )
    reason = (  # why a margin is null: the first that applies
        pl.when(pl.col("outcomes_expected").is_null())
        .then(pl.lit("unknown_market"))  # market absent from the definitions
        .when(~pl.col("complete"))
        .then(pl.lit("not_complete"))  # the definitions say its outcomes are not exhaustive
        .when(pl.col("_unknown") > 0)
        .then(pl.lit("unknown_outcome"))  # the book has an outcome the definitions lack (mapping bug)
        .when(pl.col("_listed") < pl.col("outcomes_expected"))
        .then(pl.lit("missing_outcome"))  # the book lacks one of the market's outcomes
        .when(pl.col("outcomes_open") < pl.col("outcomes_expected"))
        .then(pl.lit("not_all_open"))  # some outcome is suspended or has no price
    )
    return (
        grouped.with_columns(reason.alias("reason"))
        .with_columns(pl.when(pl.col("reason").is_null()).then(pl.col("_inverse_sum") - 1.0).alias("margin"))
        .select(pl.col(name).cast(dtype) for name, dtype in MARGINS_SCHEMA.items())
        .sort(*MARKET_KEY, book_rank())
    )


def margins(
    odds: pl.DataFrame, market_defs: pl.DataFrame, stale_before: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Each book's margin per (sr_id, market, specifier, book), schema ``MARGINS_SCHEMA``: sum(1/price) - 1
    when the market is complete and every outcome open, else null with the first reason that applies;
    ``captured_at`` the market's oldest capture; ``stale`` when an open price of it is."""
    return _margins(_with_staleness(validated_odds(odds), stale_before), _validated_defs(market_defs))


def _power_fair_probabilities(priced: pl.DataFrame) -> pl.DataFrame:
    """Add ``fair_probability`` to rows (group keys + ``price``) of complete, open markets: Newton's method
    on each group's power exponent, each group stopping on its own step (independent of the others)."""
    group = list(BOOK_MARKET_KEY)
    frame = priced.with_columns(
        (1.0 / pl.col("price")).alias("_p"), pl.col("price").log().neg().alias("_log_p")
    )
    frame = frame.with_columns(
        pl.when(pl.col("_p").sum().over(group) >= 1.0).then(1.0).otherwise(0.0).alias("_k")
    )
    powered = (pl.col("_log_p") * pl.col("_k")).exp()  # p ** k, via logs computed once
    frame = frame.with_columns(pl.lit(False).alias("_done"))
    for _ in range(_NEWTON_MAX_ROUNDS):
        if frame.get_column("_done").all():
            break
        total = powered.sum().over(group)
        slope = (powered * pl.col("_log_p")).sum().over(group)
        step = pl.when(pl.col("_done")).then(0.0).otherwise((total - 1.0) / slope)
        frame = frame.with_columns(step.alias("_step")).with_columns(
            (pl.col("_k") - pl.col("_step")).alias("_k"),
            (pl.col("_done") | (pl.col("_step").abs() < _NEWTON_TOLERANCE)).alias("_done"),
        )
    else:
        if not frame.get_column("_done").all():
            raise ArithmeticError(f"power method did not converge in {_NEWTON_MAX_ROUNDS} rounds")
    return frame.with_columns((powered / powered.sum().over(group)).alias("fair_probability")).drop(
        "_p", "_log_p", "_k", "_step", "_done", strict=False
    )


def fresh_open_prices(odds: pl.DataFrame, stale_before: pl.DataFrame | None = None) -> pl.DataFrame:
    """The open prices of ``odds`` that are not stale (validated; schema ``ODDS_SCHEMA`` plus ``stale``)."""
    return _with_staleness(validated_odds(odds), stale_before).filter(_is_fresh_open_price())


def _consensus_fair_prices(odds: pl.DataFrame, book_margins: pl.DataFrame) -> pl.DataFrame:
    """Per outcome key: ``fair_price`` from the books with a valid margin and ``fair_books`` (how many)."""
    valid = book_margins.filter(
        pl.col("margin").is_not_null() & ~pl.col("stale") & ~pl.col("suspect")
    ).select(BOOK_MARKET_KEY)
    priced = odds.join(valid, on=list(BOOK_MARKET_KEY), how="semi").select(
        *BOOK_MARKET_KEY, "outcome", "price"
    )
    return (
        _power_fair_probabilities(priced)
        .group_by(OUTCOME_KEY)
        .agg(
            (1.0 / pl.col("fair_probability").mean()).alias("fair_price"),
            pl.len().cast(pl.Int16).alias("fair_books"),
        )
    )


def compare_prices(
    odds: pl.DataFrame,
    market_defs: pl.DataFrame,
    stale_before: pl.DataFrame | None = None,
    suspects: pl.DataFrame | None = None,
) -> Comparison:
    """The comparison of every outcome key any book lists: ``prices`` one row per open price (suspect ones
    shown, compared in nothing); ``outcomes`` the best fresh price and its books (ties in ``BOOK_ORDER``),
    BetPawa's gap and rank against it, and the power-method fair price."""
    frame = _with_suspicion(_with_staleness(validated_odds(odds), stale_before), suspects)
    defs = _validated_defs(market_defs)
    keys = list(OUTCOME_KEY)
    listed = frame.select(keys).unique()
    shown = frame.filter(is_open_price()).select(*keys, "book", "price", "captured_at", "stale", "suspect")
    prices = shown.select(pl.col(name).cast(dtype) for name, dtype in PRICES_SCHEMA.items()).sort(
        *keys, book_rank()
    )
    fresh = (
        frame.filter(_is_fresh_open_price() & ~pl.col("suspect"))
        .with_columns(
            pl.col("price").rank("dense", descending=True).over(keys).cast(pl.Int16).alias("_rank"),
            book_rank().alias("_book_rank"),
            (pl.col("price") == pl.col("price").max().over(keys)).alias("_best"),
        )
        .sort("_book_rank")
    )  # each outcome's books in order: best_books lists best_book first
    is_betpawa = pl.col("book") == Book.BETPAWA.value
    best = fresh.group_by(keys).agg(
        pl.col("price").filter(is_betpawa).first().alias("_betpawa_fresh"),
        pl.col("price").max().alias("best_price"),
        pl.col("book").sort_by("price", "_book_rank", descending=[True, False]).first().alias("best_book"),
        pl.col("book").filter(pl.col("_best")).alias("best_books"),
        pl.col("_rank").filter(is_betpawa).first().alias("betpawa_rank"),
        pl.len().alias("books_offering"),
    )
    fresh_margins = _margins(frame, defs).join(
        frame.select(*BOOK_MARKET_KEY, "suspect").unique(), on=list(BOOK_MARKET_KEY), how="left"
    )
    outcomes = (
        listed.join(best, on=keys, how="left")
        .join(_consensus_fair_prices(frame, fresh_margins), on=keys, how="left")
        .with_columns(
            (pl.col("_betpawa_fresh") / pl.col("best_price") - 1.0).alias("betpawa_gap"),
            pl.col("books_offering").fill_null(0),
            pl.col("fair_books").fill_null(0),
        )
        .select(pl.col(name).cast(dtype) for name, dtype in OUTCOMES_SCHEMA.items())
        .sort(keys)
    )
    return Comparison(outcomes, prices)
