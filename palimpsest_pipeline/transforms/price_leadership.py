"""Who moves a price first: each book's main-market price moves, timed at the capture that first shows them,
who led them, who followed and how late (docs/price-leadership.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import polars as pl

from palimpsest_pipeline.markets.vocabulary import MAIN_MARKETS, VOCABULARY
from palimpsest_pipeline.records import Book

KEY = ["sr_id", "market", "specifier", "outcome"]
#: A book's move the same way as another's older than the window, up to this many windows, copies it late.
LATE_FACTOR = 2
_GROUP = ["kickoff_date", "site_country", "sport", "country", "tournament", "market", "market_name", "book"]
_MOVE_SCHEMA: dict[str, pl.DataType] = {
    "sr_id": pl.Int64(),
    "market": pl.Int64(),
    "specifier": pl.String(),
    "outcome": pl.Int64(),
    "book": pl.String(),
    "moved_at": pl.Datetime("us", "UTC"),
    "previous_capture_at": pl.Datetime("us", "UTC"),
    "old_price": pl.Float64(),
    "new_price": pl.Float64(),
    "direction": pl.Int8(),
}
_ROLE_SCHEMA: dict[str, pl.DataType] = {
    **_MOVE_SCHEMA,
    "role": pl.String(),
    "lag_s": pl.Float64(),
    "episode": pl.Int64(),
    "episode_followed": pl.Boolean(),
}
_MISS_SCHEMA: dict[str, pl.DataType] = {
    "sr_id": pl.Int64(),
    "market": pl.Int64(),
    "book": pl.String(),
    "episode": pl.Int64(),
}


def _keyed(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(c).cast(pl.Int64) for c in ("sr_id", "market", "outcome") if c in frame.columns
    )


def price_moves(history: pl.DataFrame, captures: pl.DataFrame) -> pl.DataFrame:
    """Every main-market price move (a key's open price differing from the book's previous one) in
    ``history`` (as core.odds_history), with ``direction`` (+1 longer) and the book's capture before it
    (``captures``: its successful captures)."""
    opened = (
        _keyed(history)
        .filter(pl.col("market").is_in(sorted(MAIN_MARKETS)) & (pl.col("state") == "open"))
        .filter(pl.col("price").is_not_null())
        .sort([*KEY, "book", "captured_at"])
        .with_columns(old_price=pl.col("price").shift(1).over([*KEY, "book"]))
        .filter(pl.col("old_price").is_not_null() & (pl.col("old_price") != pl.col("price")))
        .select(
            *KEY,
            "book",
            moved_at=pl.col("captured_at"),
            old_price=pl.col("old_price"),
            new_price=pl.col("price"),
        )
        .sort("moved_at")
    )
    before = (
        _keyed(captures.select("sr_id", "book", "captured_at"))
        .unique()
        .sort("captured_at")
        .with_columns(previous_capture_at=pl.col("captured_at"))
    )
    moves = opened.join_asof(
        before,
        left_on="moved_at",
        right_on="captured_at",
        by=["sr_id", "book"],
        strategy="backward",
        allow_exact_matches=False,
        check_sortedness=False,
    ).with_columns(direction=pl.when(pl.col("new_price") > pl.col("old_price")).then(1).otherwise(-1))
    return moves.select(*[pl.col(name).cast(dtype) for name, dtype in _MOVE_SCHEMA.items()]).sort(
        [*KEY, "moved_at", "book"]
    )


@dataclass
class _Episode:
    number: int
    direction: int
    start: int  # microseconds since the epoch
    members: set[str]  # its leaders and the books that followed within the window
    copied_late: set[str] = field(default_factory=set)
    judged: bool = True  # False: its leader may have copied a move made before the first capture


@dataclass(frozen=True)
class MoveRoles:
    """Each move with its ``role`` (led, followed, late, unjudged), ``lag_s`` and ``episode``; and the
    episodes each book missed."""

    moves: pl.DataFrame
    missed: pl.DataFrame


def move_roles(
    moves: pl.DataFrame, history: pl.DataFrame, captures: pl.DataFrame, window: timedelta
) -> MoveRoles:
    """Leaders, followers and lags of ``moves`` (from :func:`price_moves`) within ``window``; ``history`` and
    ``captures`` as there (when each book first offered each outcome, and its last capture)."""
    ordered = moves.sort([*KEY, "moved_at", "book"]).with_columns(run=pl.struct(KEY).rle_id())
    first_capture = dict(
        _keyed(captures).group_by("sr_id").agg(pl.col("captured_at").min().dt.epoch("us")).iter_rows()
    )
    window_us = window // timedelta(microseconds=1)
    late_us = LATE_FACTOR * window_us
    roles: list[str] = []
    lags: list[float | None] = []
    numbers: list[int] = []
    episodes: list[_Episode] = []
    closed: list[_Episode] = []
    run = -1
    for key_run, sr_id, book, direction, moved, previous in zip(
        ordered["run"].to_list(), ordered["sr_id"].to_list(), ordered["book"].to_list(),
        ordered["direction"].to_list(), ordered["moved_at"].dt.epoch("us").to_list(),
        ordered["previous_capture_at"].dt.epoch("us").to_list(), strict=True,
    ):  # fmt: skip
        if key_run != run:
            closed.extend(episodes)
            run, episodes = key_run, []
        joined = next(
            (
                e
                for e in episodes
                if e.direction == direction
                and book not in e.members
                and book not in e.copied_late
                and moved - e.start <= late_us
            ),
            None,
        )
        lag = None
        if joined is not None and moved - joined.start > window_us:
            joined.copied_late.add(book)  # a copy, past the window: neither a lead nor a follow
            role, lag = "late", (moved - joined.start) / 1e6
        elif joined is None:
            # near the first capture it may copy a move made before it: later copies still match it
            judged = moved - first_capture[sr_id] >= late_us
            joined = _Episode(len(closed) + len(episodes) + 1, direction, moved, {book}, judged=judged)
            episodes.append(joined)
            role = "led" if judged else "unjudged"
        elif previous is None or previous < joined.start:
            joined.members.add(book)  # not seen unmoved after the leader moved: order unknown, both lead
            role = "led" if joined.judged else "unjudged"
        else:
            joined.members.add(book)
            role, lag = "followed", (moved - joined.start) / 1e6
        roles.append(role)
        lags.append(lag)
        numbers.append(joined.number)
    closed.extend(episodes)
    books = sorted({*history.get_column("book").to_list(), *ordered.get_column("book").to_list()})
    episodes_frame = pl.DataFrame(
        [(e.number, e.start, e.judged, *(b in e.members for b in books)) for e in closed],
        schema=dict.fromkeys(["episode", "start"], pl.Int64())
        | dict.fromkeys(["judged", *books], pl.Boolean()),
        orient="row",
    )
    with_roles = ordered.drop("run").with_columns(
        role=pl.Series(roles, dtype=pl.String),
        lag_s=pl.Series(lags, dtype=pl.Float64),
        episode=pl.Series(numbers, dtype=pl.Int64),
    )
    followed = with_roles.with_columns(episode_followed=(pl.col("role") == "followed").any().over("episode"))
    return MoveRoles(
        followed.select([pl.col(name).cast(dtype) for name, dtype in _ROLE_SCHEMA.items()]),
        _missed(with_roles, episodes_frame, history, captures, window_us),
    )


def _missed(
    moves: pl.DataFrame, episodes: pl.DataFrame, history: pl.DataFrame, captures: pl.DataFrame, window_us: int
) -> pl.DataFrame:
    """Per judged episode, each book not in it that offered the outcome at its start and was captured past
    its window."""
    keys = moves.group_by("episode").agg(pl.col(KEY).first())
    offered = (
        _keyed(history)
        .filter(pl.col("state") == "open")
        .group_by([*KEY, "book"])
        .agg(offered_us=pl.col("captured_at").min().dt.epoch("us"))
    )
    last = _keyed(captures).group_by("sr_id", "book").agg(last_us=pl.col("captured_at").max().dt.epoch("us"))
    return (
        episodes.filter("judged")
        .unpivot(
            index=["episode", "start"],
            on=[c for c in episodes.columns if c not in ("episode", "start", "judged")],
            variable_name="book",
            value_name="joined",
        )
        .filter(~pl.col("joined").cast(pl.Boolean))  # no book column at all unpivots to a Null column
        .join(keys, on="episode")
        .join(offered, on=[*KEY, "book"])
        .join(last, on=["sr_id", "book"])
        .filter(
            (pl.col("offered_us") <= pl.col("start")) & (pl.col("last_us") >= pl.col("start") + window_us)
        )
        .select([pl.col(name).cast(dtype) for name, dtype in _MISS_SCHEMA.items()])
        .sort("episode", "book")
    )


def _events(events: pl.DataFrame) -> pl.DataFrame:
    return events.select(
        pl.col("sr_id").cast(pl.Int64), "kickoff_date", "sport",
        pl.col("country").fill_null(""), pl.col("tournament").fill_null(""),
    ).unique(subset="sr_id", keep="first")  # fmt: skip


def _market_names(frame: pl.DataFrame) -> pl.DataFrame:
    names = {market: definition.name for market, definition in VOCABULARY.items()}
    return frame.with_columns(
        market_name=pl.col("market").replace_strict(names, default=None, return_dtype=pl.String)
    )


def price_leadership(
    roles: MoveRoles, events: pl.DataFrame, computed_at: datetime, window: timedelta, *, site_country: str
) -> pl.DataFrame:
    """Per kick-off date, tournament, market and book: moves (unjudged left out), led (and followed),
    followed and their median lag, copied late, and missed, within ``window`` (the one ``roles`` used).
    ``events``: sr_id, kickoff_date, sport, country, tournament."""
    located = _events(events).with_columns(site_country=pl.lit(site_country, pl.String))
    per_move = (
        roles.moves.filter(pl.col("role") != "unjudged")
        .join(located, on="sr_id", how="inner")
        .pipe(_market_names)
        .group_by(_GROUP)
        .agg(
            moves=pl.len(),
            moves_led=(pl.col("role") == "led").sum(),
            led_moves_followed=((pl.col("role") == "led") & pl.col("episode_followed")).sum(),
            moves_followed=(pl.col("role") == "followed").sum(),
            moves_late=(pl.col("role") == "late").sum(),
            median_follow_lag_minutes=pl.col("lag_s").filter(pl.col("role") == "followed").median() / 60.0,
        )
    )
    missed = (
        roles.missed.join(located, on="sr_id", how="inner")
        .pipe(_market_names)
        .group_by(_GROUP)
        .agg(moves_missed=pl.len())
    )
    counts = ["moves", "moves_led", "led_moves_followed", "moves_followed", "moves_late", "moves_missed"]
    return (
        per_move.join(missed, on=_GROUP, how="full", coalesce=True, nulls_equal=True)
        .with_columns(
            *[pl.col(c).fill_null(0).cast(pl.Int32) for c in counts], computed_at=pl.lit(computed_at)
        )
        .with_columns(pl.col("computed_at").cast(pl.Datetime("us", "UTC")))
        .with_columns(window_minutes=pl.lit(window.total_seconds() / 60.0))
        .select(*_GROUP, *counts, "median_follow_lag_minutes", "window_minutes", "computed_at")
        .sort(_GROUP)
    )


@dataclass(frozen=True)
class StaleVsMarket:
    """BetPawa's prices left behind: one row per outcome (``outcomes``) and one per outcome and competitor
    that moved (``prices``: its price then and now)."""

    outcomes: pl.DataFrame
    prices: pl.DataFrame


def stale_vs_market(
    history: pl.DataFrame, events: pl.DataFrame, computed_at: datetime, *, site_country: str
) -> StaleVsMarket:
    """Main-market outcomes whose BetPawa price has not changed since ``betpawa_since`` while two or more
    competitors' prices moved the same way since then; ``prices``: those competitors' then and now."""
    opened = (
        _keyed(history)
        .filter(pl.col("market").is_in(sorted(MAIN_MARKETS)))
        .sort([*KEY, "book", "captured_at"])
    )
    betpawa = (
        opened.filter(pl.col("book") == Book.BETPAWA.value)
        .with_columns(changed=pl.col("price") != pl.col("price").shift(1).over(KEY))
        .group_by(KEY)
        .agg(
            state=pl.col("state").last(),
            price_betpawa=pl.col("price").last(),
            betpawa_since=pl.col("captured_at").filter(pl.col("changed").fill_null(True)).last(),
        )
        .filter((pl.col("state") == "open") & pl.col("price_betpawa").is_not_null())
        .drop("state")
    )
    competitors = opened.filter(pl.col("book") != Book.BETPAWA.value)
    latest = competitors.group_by([*KEY, "book"]).agg(
        now_state=pl.col("state").last(),
        price_now=pl.col("price").last(),
        moved_at=pl.col("captured_at").last(),
    )
    then = (
        betpawa.select(*KEY, "betpawa_since")
        .join(competitors, on=KEY, how="inner")
        .filter(pl.col("captured_at") <= pl.col("betpawa_since"))
        .group_by([*KEY, "book"])
        .agg(state_then=pl.col("state").last(), price_then=pl.col("price").last())
    )
    compared = (
        latest.join(then, on=[*KEY, "book"], how="inner")
        .join(betpawa, on=KEY, how="inner")
        .filter(
            (pl.col("now_state") == "open")
            & (pl.col("state_then") == "open")
            & (pl.col("moved_at") > pl.col("betpawa_since"))
            & (pl.col("price_now") != pl.col("price_then"))
        )
        .with_columns(direction=pl.when(pl.col("price_now") > pl.col("price_then")).then(1).otherwise(-1))
    )
    agreed = compared.group_by([*KEY, "direction"]).agg(
        moved_books=pl.col("book").sort(), first_moved_at=pl.col("moved_at").min(), books=pl.len()
    )
    agreed = agreed.filter(pl.col("books") >= 2)
    stamp = (
        pl.lit(computed_at).cast(pl.Datetime("us", "UTC")).alias("computed_at"),
        pl.lit(site_country, pl.String).alias("site_country"),
    )
    outcomes = (
        agreed.join(betpawa, on=KEY, how="inner")
        .join(_events(events), on="sr_id", how="inner")
        .pipe(_market_names)
        .with_columns(*stamp)
        .select(
            "kickoff_date", "site_country", "sr_id", "sport", "country", "tournament", "market",
            "market_name", "specifier", pl.col("outcome"), "price_betpawa", "betpawa_since",
            direction=pl.when(pl.col("direction") > 0).then(pl.lit("up")).otherwise(pl.lit("down")),
            moved_books="moved_books", first_moved_at="first_moved_at", computed_at="computed_at",
        )
        .sort(["kickoff_date", "sr_id", "market", "specifier", "outcome"])
    )  # fmt: skip
    prices = (
        compared.join(agreed.select(*KEY, "direction"), on=[*KEY, "direction"], how="semi")
        .join(outcomes.select(*KEY, "kickoff_date"), on=KEY, how="inner")
        .with_columns(*stamp)
        .select(
            "kickoff_date", "site_country", "sr_id", "market", "specifier", pl.col("outcome"), "book",
            "price_then", price="price_now", computed_at="computed_at",
        )
        .sort(["kickoff_date", "sr_id", "market", "specifier", "outcome", "book"])
    )  # fmt: skip
    return StaleVsMarket(outcomes, prices)
