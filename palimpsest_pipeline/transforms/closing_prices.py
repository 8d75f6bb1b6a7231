"""Closing prices: at kick-off, each book's last prematch price of a bet against the competitors' fair
(no-vig) consensus on the same bet, and BetPawa's opening price against the same consensus
(docs/odds-comparison.md, Closing prices).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl

from palimpsest_pipeline.frames import book_rank
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.transforms.input_checks import conform, require_not_null

KEY = ["sr_id", "market", "specifier", "outcome"]
MARKET_LINE = ["sr_id", "market", "specifier", "book"]
#: Fewer competitors than this on a bet give no consensus: one book's fair price is only its own opinion.
MIN_CONSENSUS_BOOKS = 2
#: A book whose own kick-off differs from the match's by more than this closed at another moment.
KICKOFF_TOLERANCE = timedelta(minutes=1)

HISTORY_SCHEMA: dict[str, pl.DataType] = {
    "sr_id": pl.Int64(),
    "book": pl.String(),
    "market": pl.Int32(),
    "specifier": pl.String(),
    "outcome": pl.Int32(),
    "price": pl.Float64(),
    "state": pl.String(),
    "captured_at": pl.Datetime("us", "UTC"),
}
CAPTURES_SCHEMA: dict[str, pl.DataType] = {
    "sr_id": pl.Int64(),
    "book": pl.String(),
    "captured_at": pl.Datetime("us", "UTC"),
    "status": pl.String(),
}
MATCHES_SCHEMA: dict[str, pl.DataType] = {
    "sr_id": pl.Int64(),
    "kickoff_date": pl.Date(),
    "kickoff": pl.Datetime("us", "UTC"),
    "sport": pl.String(),
    "competition": pl.String(),
}
BOOK_KICKOFFS_SCHEMA: dict[str, pl.DataType] = {
    "sr_id": pl.Int64(),
    "book": pl.String(),
    "kickoff": pl.Datetime("us", "UTC"),
}
#: One row per outcome of every market with a known outcome set; only complete ones can be de-vigged.
MARKETS_SCHEMA: dict[str, pl.DataType] = {
    "market": pl.Int32(),
    "outcome": pl.Int32(),
    "complete": pl.Boolean(),
    "market_family": pl.String(),
}
CLOSING_PRICES_SCHEMA: dict[str, pl.DataType] = {
    "kickoff_date": pl.Date(),
    "site_country": pl.String(),
    "sr_id": pl.Int64(),
    "kickoff": pl.Datetime("us", "UTC"),
    "sport": pl.String(),
    "competition": pl.String(),
    "market_family": pl.String(),
    "market": pl.Int32(),
    "specifier": pl.String(),
    "outcome": pl.Int32(),
    "book": pl.String(),
    "closing_price": pl.Float64(),
    "closing_at": pl.Datetime("us", "UTC"),
    "set_aside": pl.String(),
    "implied_probability": pl.Float64(),
    "book_margin": pl.Float64(),
    "book_fair_probability": pl.Float64(),
    "consensus_probability": pl.Float64(),
    "consensus_price": pl.Float64(),
    "consensus_books": pl.Int16(),
    "gap": pl.Float64(),
    "opening_price": pl.Float64(),
    "opening_at": pl.Datetime("us", "UTC"),
    "opening_gap": pl.Float64(),
    "computed_at": pl.Datetime("us", "UTC"),
}

#: What a rebuild compares against: the stored rows of the matches it judges (analytics.closing_prices).
STORED_SCHEMA: dict[str, pl.DataType] = {
    "sr_id": pl.Int64(),
    "book": pl.String(),
    "market": pl.Int32(),
    "specifier": pl.String(),
    "outcome": pl.Int32(),
    "kickoff": pl.Datetime("us", "UTC"),
    "closing_at": pl.Datetime("us", "UTC"),
    "opening_at": pl.Datetime("us", "UTC"),
}
SHORT_SCHEMA: dict[str, pl.DataType] = {"sr_id": pl.Int64(), "short": pl.String()}


def proportional_fair_probabilities(lines: pl.DataFrame, group: list[str]) -> pl.DataFrame:
    """``lines`` (one row per outcome of complete market lines, every outcome open, ``price``) with
    ``margin`` (sum of 1 / price over the ``group``, minus 1) and ``fair_probability`` (1 / price over that
    sum): the margin removed in proportion to each implied probability."""
    inverse_sum = (1.0 / pl.col("price")).sum().over(group)
    return lines.with_columns(
        margin=inverse_sum - 1.0, fair_probability=(1.0 / pl.col("price")) / inverse_sum
    )


def closing_prices(
    history: pl.DataFrame,
    captures: pl.DataFrame,
    matches: pl.DataFrame,
    book_kickoffs: pl.DataFrame,
    markets: pl.DataFrame,
    *,
    now: datetime,
    window: timedelta,
    site_country: str,
) -> pl.DataFrame:
    """``CLOSING_PRICES_SCHEMA`` rows for ``matches`` kicked off by ``now``: per outcome of a complete market
    and book with an open price before kick-off, its state at the book's last successful capture before
    kick-off (``captures``; ``history`` as core.odds_history), set aside when that capture is more than
    ``window`` before kick-off or the book's own kick-off (``book_kickoffs``) disagrees; the consensus is
    the median of the other competitors' proportional fair probabilities, from ``MIN_CONSENSUS_BOOKS`` up."""
    started = _conformed(matches, MATCHES_SCHEMA, "matches").filter(pl.col("kickoff") <= now)
    defs = _conformed(markets, MARKETS_SCHEMA, "markets").filter("complete")
    expected = defs.group_by("market").agg(expected=pl.len())
    closes = (
        _conformed(captures, CAPTURES_SCHEMA, "captures")
        .filter(pl.col("status") == "ok")
        .join(started.select("sr_id", "kickoff"), on="sr_id")
        .filter(pl.col("captured_at") < pl.col("kickoff"))
        .group_by("sr_id", "book")
        .agg(closing_at=pl.col("captured_at").max())
    )
    # a price no book can mean (1.0 or less) is not read as an open price
    is_open = (pl.col("state") == "open") & (pl.col("price") > 1.0).fill_null(False)
    outcomes = (
        _conformed(history, HISTORY_SCHEMA, "history")
        .join(defs.select("market", "outcome", "market_family"), on=["market", "outcome"])
        .join(closes, on=["sr_id", "book"])
        .filter(pl.col("captured_at") <= pl.col("closing_at"))
        .sort("captured_at")  # a group keeps its rows' order: first and last are in time
        .group_by(*KEY, "book")
        .agg(
            pl.col("market_family").first(),
            pl.col("closing_at").first(),
            state=pl.col("state").last(),
            last_price=pl.col("price").last(),
            opening_price=pl.col("price").filter(is_open).first(),
            opening_at=pl.col("captured_at").filter(is_open).first(),
        )
        .filter(pl.col("opening_at").is_not_null())  # priced before kick-off
        .join(started, on="sr_id")
        .join(
            _conformed(book_kickoffs, BOOK_KICKOFFS_SCHEMA, "book_kickoffs")
            .unique(["sr_id", "book"], keep="last")
            .rename({"kickoff": "book_kickoff"}),
            on=["sr_id", "book"],
            how="left",
        )
    )
    set_aside = (
        pl.when((pl.col("book_kickoff") - pl.col("kickoff")).abs() > KICKOFF_TOLERANCE)
        .then(pl.lit("kickoff_disagrees"))
        .when(pl.col("closing_at") < pl.col("kickoff") - window)
        .then(pl.lit("stale"))
        .when(pl.col("state") == "suspended")
        .then(pl.lit("suspended"))
        .when(pl.col("state") != "open")
        .then(pl.lit("closed"))
        .when(~(pl.col("last_price") > 1.0).fill_null(False))
        .then(pl.lit("unreadable_price"))
    )
    judged = outcomes.with_columns(
        set_aside=set_aside,
        closing_price=pl.when((pl.col("state") == "open") & (pl.col("last_price") > 1.0)).then("last_price"),
    )
    fair = _book_fair_probabilities(judged, expected)
    rows = judged.join(fair, on=[*KEY, "book"], how="left").with_columns(
        set_aside=pl.when(pl.col("book_margin") < 0).then(pl.lit("negative_margin")).otherwise("set_aside")
    )
    rows = rows.join(_consensus(rows), on=[*KEY, "book"], how="left").with_columns(
        pl.col("consensus_books").fill_null(0)
    )
    consensus = pl.when(pl.col("consensus_books") >= MIN_CONSENSUS_BOOKS).then(
        pl.col("consensus_probability")
    )
    betpawa = pl.col("book") == Book.BETPAWA.value
    return (
        rows.with_columns(consensus_probability=consensus)
        .with_columns(
            implied_probability=1.0 / pl.col("closing_price"),
            book_fair_probability=pl.when(pl.col("set_aside").is_null()).then(
                pl.col("book_fair_probability")
            ),
            consensus_price=1.0 / pl.col("consensus_probability"),
            gap=pl.when(pl.col("set_aside").is_null()).then(
                pl.col("closing_price") * pl.col("consensus_probability") - 1.0
            ),
            opening_price=pl.when(betpawa).then(pl.col("opening_price")),
            opening_at=pl.when(betpawa).then(pl.col("opening_at")),
            opening_gap=pl.when(betpawa).then(
                pl.col("opening_price") * pl.col("consensus_probability") - 1.0
            ),
            site_country=pl.lit(site_country),
            computed_at=pl.lit(now),
        )
        .select(pl.col(name).cast(dtype) for name, dtype in CLOSING_PRICES_SCHEMA.items())
        .sort(*KEY, book_rank())
    )


def _conformed(frame: pl.DataFrame, schema: dict[str, pl.DataType], name: str) -> pl.DataFrame:
    checked = conform(frame, schema, name).select(list(schema))
    require_not_null(checked, [c for c in schema if c not in ("price", "competition")], name)
    return checked


def _book_fair_probabilities(judged: pl.DataFrame, expected: pl.DataFrame) -> pl.DataFrame:
    """Per used outcome of a book's market line whose every outcome was open at close: ``book_margin`` and
    ``book_fair_probability`` (proportional)."""
    used = judged.filter(pl.col("set_aside").is_null()).select(*KEY, "book", price="closing_price")
    full = (
        used.group_by(MARKET_LINE)
        .agg(open_outcomes=pl.len())
        .join(expected, on="market")
        .filter(pl.col("open_outcomes") == pl.col("expected"))
        .select(MARKET_LINE)
    )
    return (
        used.join(full, on=MARKET_LINE, how="semi")
        .sort(*MARKET_LINE, "outcome")  # sums in one order: a rebuild repeats every last digit
        .pipe(proportional_fair_probabilities, MARKET_LINE)
        .select(*KEY, "book", book_margin="margin", book_fair_probability="fair_probability")
    )


def _consensus(rows: pl.DataFrame) -> pl.DataFrame:
    """Per outcome and book: the median fair probability of the competitors other than that book with a
    usable closing market line, and how many there were."""
    competitors = rows.filter(
        (pl.col("book") != Book.BETPAWA.value)
        & pl.col("set_aside").is_null()
        & pl.col("book_fair_probability").is_not_null()
    ).select(*KEY, other="book", fair="book_fair_probability")
    return (
        rows.select(*KEY, "book")
        .join(competitors, on=KEY)
        .filter(pl.col("other") != pl.col("book"))
        .group_by(*KEY, "book")
        .agg(consensus_probability=pl.col("fair").median(), consensus_books=pl.len())
    )


def matches_short_of_inputs(fresh: pl.DataFrame, stored: pl.DataFrame) -> pl.DataFrame:
    """``SHORT_SCHEMA``: the matches with ``stored`` rows whose ``fresh`` rows (``CLOSING_PRICES_SCHEMA``,
    computed from what the warehouse holds now) would be worse, to be kept as stored: ``without_history``
    when the inputs give the match no row, ``partial_history`` when they lack a stored row of some book, close
    a book earlier at the same kick-off (its closing capture gone) or open BetPawa's outcome later (its first
    changes gone). Rows added, or a close moved with the kick-off, are not worse."""
    old = conform(stored, STORED_SCHEMA, "stored")
    require_not_null(old, [c for c in STORED_SCHEMA if c != "opening_at"], "stored")
    old = old.rename(
        {"kickoff": "stored_kickoff", "closing_at": "stored_closing_at", "opening_at": "stored_opening_at"}
    )
    new = conform(fresh, CLOSING_PRICES_SCHEMA, "fresh").select(
        *KEY, "book", "kickoff", "closing_at", "opening_at"
    )
    without = old.join(new, on="sr_id", how="anti").select("sr_id").unique()
    paired = old.join(new, on=[*KEY, "book"], how="left")
    worse = (
        pl.col("closing_at").is_null()  # the stored row has no fresh one
        | (
            (pl.col("kickoff") == pl.col("stored_kickoff"))
            & (pl.col("closing_at") < pl.col("stored_closing_at"))
        )
        | (
            pl.col("stored_opening_at").is_not_null()
            & ~(pl.col("opening_at") <= pl.col("stored_opening_at")).fill_null(False)
        )
    )
    partial = paired.join(without, on="sr_id", how="anti").filter(worse).select("sr_id").unique()
    return (
        pl.concat(
            [
                without.with_columns(short=pl.lit("without_history")),
                partial.with_columns(short=pl.lit("partial_history")),
            ]
        )
        .select(pl.col(name).cast(dtype) for name, dtype in SHORT_SCHEMA.items())
        .sort("sr_id")
    )
