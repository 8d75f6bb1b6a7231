"""Market retention into live: what each book offered prematch (its captures at T-60, T-15 and T-1 minutes)
against what it kept open in play (its live snapshots at +0, +2 and +5 minutes), by market type, line and
selection, the key markets dropped and the prices that moved by 30 % or more across the switch.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from palimpsest_pipeline.markets.vocabulary import VOCABULARY

#: The prematch snapshots: minutes before kick-off, and how much older than that instant the latest capture
#: may be (twice the capture cadence of the instant's tier: imminent every minute, soon every five).
PREMATCH_SNAPSHOTS: dict[str, tuple[timedelta, timedelta]] = {
    "T-60": (timedelta(minutes=60), timedelta(minutes=10)),
    "T-15": (timedelta(minutes=15), timedelta(minutes=2)),
    "T-1": (timedelta(minutes=1), timedelta(minutes=2)),
}
#: The live snapshots: minutes after the match went live on the book.
LIVE_SNAPSHOTS = (0, 2, 5)
#: The key markets (canonical ids): 1X2, total goals, both teams to score, double chance, first-half 1X2.
KEY_MARKETS: dict[int, str] = {market: VOCABULARY[market].name for market in (1, 18, 29, 10, 60)}
#: A price moved across the switch when its decimal odds changed by this share of the prematch odds or more.
MOVED_SHARE = 0.3

_LINE = ["market", "specifier"]
_SELECTION = ["market", "specifier", "outcome"]
_PAIR = ["sr_id", "book", "prematch_snapshot", "live_snapshot"]
_TS = pl.Datetime("us", "UTC")

#: The columns of analytics.market_retention the transform fills (site_country added by the caller).
COLUMNS = (
    "kickoff_date", "sr_id", "book", "prematch_snapshot", "live_snapshot", "sport", "country", "tournament",
    "home", "away", "kickoff", "provider", "prematch_captured_at", "live_captured_at",
    "market_types_prematch", "market_types_kept", "market_retention", "lines_prematch", "lines_kept",
    "line_retention", "selections_prematch", "selections_kept", "selection_retention", "key_markets_offered",
    "key_markets_dropped", "prices_compared", "prices_moved",
)  # fmt: skip


def prematch_captures(captures: pl.DataFrame, matches: pl.DataFrame) -> pl.DataFrame:
    """Each (sr_id, book)'s prematch snapshots: per snapshot of ``PREMATCH_SNAPSHOTS``, its latest successful
    capture (``captures``: sr_id, book, captured_at) at or before the instant and within the tolerance;
    none there, no row. ``matches``: sr_id, book, kickoff."""
    instants = matches.select("sr_id", "book", "kickoff").join(
        pl.DataFrame(
            {
                "prematch_snapshot": list(PREMATCH_SNAPSHOTS),
                "before": [lead for lead, _ in PREMATCH_SNAPSHOTS.values()],
                "tolerance": [tolerance for _, tolerance in PREMATCH_SNAPSHOTS.values()],
            }
        ),
        how="cross",
    )
    at = pl.col("kickoff") - pl.col("before")
    return (
        instants.join(captures.select("sr_id", "book", "captured_at"), on=["sr_id", "book"])
        .filter((pl.col("captured_at") <= at) & (pl.col("captured_at") >= at - pl.col("tolerance")))
        .group_by("sr_id", "book", "prematch_snapshot")
        .agg(pl.col("captured_at").max())
        .sort("sr_id", "book", "prematch_snapshot")
    )


def market_retention(
    matches: pl.DataFrame,
    prematch: pl.DataFrame,
    prematch_prices: pl.DataFrame,
    live: pl.DataFrame,
    live_prices: pl.DataFrame,
) -> pl.DataFrame:
    """One row per (sr_id, book, prematch snapshot, live snapshot) both sides of which were read.

    ``matches``: sr_id, book, kickoff, sport, country, tournament, home, away, provider (one per pair);
    ``prematch``: sr_id, book, prematch_snapshot, captured_at; ``prematch_prices``: the same keys with market,
    specifier, outcome, price of each outcome open then; ``live``: sr_id, book, live_snapshot, captured_at of
    each ok live snapshot; ``live_prices``: its keys with market, specifier, outcome, price, state."""
    pairs = prematch.rename({"captured_at": "prematch_captured_at"}).join(
        live.rename({"captured_at": "live_captured_at"}), on=["sr_id", "book"]
    )
    kept = live_prices.filter(pl.col("state") == "open").select(
        "sr_id", "book", "live_snapshot", *_SELECTION, pl.col("price").alias("live_price")
    )
    selections = (
        prematch_prices.select("sr_id", "book", "prematch_snapshot", *_SELECTION, "price")
        .join(pairs.select(_PAIR), on=["sr_id", "book", "prematch_snapshot"])
        .join(kept, on=["sr_id", "book", "live_snapshot", *_SELECTION], how="left")
        .with_columns(pl.col("live_price").is_not_null().alias("kept"))
    )
    by_selection = selections.group_by(_PAIR).agg(
        pl.len().alias("selections_prematch"),
        pl.col("kept").sum().alias("selections_kept"),
        pl.col("kept").sum().alias("prices_compared"),
        ((pl.col("live_price") / pl.col("price") - 1).abs() >= MOVED_SHARE).sum().alias("prices_moved"),
    )
    by_line = (
        selections.group_by(*_PAIR, *_LINE)
        .agg(pl.col("kept").any())
        .group_by(_PAIR)
        .agg(pl.len().alias("lines_prematch"), pl.col("kept").sum().alias("lines_kept"))
    )
    types = selections.group_by(*_PAIR, "market").agg(pl.col("kept").any())
    key_names = pl.col("market").replace_strict(KEY_MARKETS, default=None, return_dtype=pl.String())
    by_type = types.group_by(_PAIR).agg(
        pl.len().alias("market_types_prematch"),
        pl.col("kept").sum().alias("market_types_kept"),
        key_names.filter(key_names.is_not_null()).sort().alias("key_markets_offered"),
        key_names.filter(key_names.is_not_null() & ~pl.col("kept")).sort().alias("key_markets_dropped"),
    )
    counts = ["selections_prematch", "selections_kept", "prices_compared", "prices_moved", "lines_prematch"]
    counts += ["lines_kept", "market_types_prematch", "market_types_kept"]
    frame = (
        pairs.join(by_selection, on=_PAIR, how="left")
        .join(by_line, on=_PAIR, how="left")
        .join(by_type, on=_PAIR, how="left")
        .join(matches, on=["sr_id", "book"])
        .with_columns(
            *(pl.col(name).fill_null(0).cast(pl.Int32()) for name in counts),
            *(pl.col(name).fill_null([]) for name in ("key_markets_offered", "key_markets_dropped")),
            pl.col("kickoff").dt.date().alias("kickoff_date"),
        )
        .with_columns(
            _share("market_types_kept", "market_types_prematch").alias("market_retention"),
            _share("lines_kept", "lines_prematch").alias("line_retention"),
            _share("selections_kept", "selections_prematch").alias("selection_retention"),
        )
    )
    return frame.select(COLUMNS).sort(_PAIR)


def _share(part: str, whole: str) -> pl.Expr:
    return pl.when(pl.col(whole) > 0).then(pl.col(part) / pl.col(whole)).otherwise(None)
