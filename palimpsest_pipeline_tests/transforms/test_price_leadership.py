"""Who moves first on a hand-made odds history: every move, leader, lag and miss worked out by hand.

Captures every minute (round k at T + k min) of every book unless a test says otherwise; the history is
change-only like core.odds_history: a row when an outcome's price or state changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest

from palimpsest_pipeline.transforms.price_leadership import (
    move_roles,
    price_leadership,
    price_moves,
    stale_vs_market,
)

pytestmark = pytest.mark.filterwarnings("error")

T = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DAY = date(2026, 11, 25)
WINDOW = timedelta(minutes=30)
SR = 101
BOOKS = ("betpawa", "sportybet", "bet9ja")
HOME = (1, "", 1)  # 1X2 home
DRAW = (1, "", 2)
AWAY = (1, "", 3)
OVER = (18, "total=2.5", 12)
CORRECT_SCORE = (45, "score=1:0", 110)  # not a main market


def at(k: float) -> datetime:
    return T + timedelta(minutes=k)


Row = tuple[str, tuple[int, str, int], float | None, str, float]  # book, key, price, state, minute


def _history(rows: Iterable[Row], sr_id: int = SR) -> pl.DataFrame:
    rows = list(rows)
    return pl.DataFrame(
        {
            "sr_id": [sr_id] * len(rows),
            "book": [r[0] for r in rows],
            "market": [r[1][0] for r in rows],
            "specifier": [r[1][1] for r in rows],
            "outcome": [r[1][2] for r in rows],
            "price": [r[2] for r in rows],
            "state": [r[3] for r in rows],
            "captured_at": [at(r[4]) for r in rows],
        },
        schema_overrides={"price": pl.Float64, "captured_at": pl.Datetime("us", "UTC")},
    )


def _captures(
    minutes: dict[str, Iterable[float]], sr_id: int = SR, observed_from: float | None = -60
) -> pl.DataFrame:
    """Each book's captures at ``minutes``, plus one at ``observed_from`` (the match's first capture, a
    late-copy horizon before the moves, so they are judged)."""
    rows = [(sr_id, book, at(k)) for book, ks in minutes.items() for k in ks]
    if observed_from is not None:
        rows += [(sr_id, book, at(observed_from)) for book in minutes]
    return pl.DataFrame(
        rows,
        schema={"sr_id": pl.Int64, "book": pl.String, "captured_at": pl.Datetime("us", "UTC")},
        orient="row",
    )


def _every_minute(until: int = 40) -> dict[str, Iterable[float]]:
    return {book: range(until + 1) for book in BOOKS}


def _opening(keys: Iterable[tuple[int, str, int]], price: float = 2.0) -> list[Row]:
    return [(book, key, price, "open", 0) for key in keys for book in BOOKS]


EVENTS = pl.DataFrame(
    {
        "sr_id": [SR, SR + 1],
        "kickoff_date": [DAY, DAY],
        "sport": ["football", "football"],
        "country": ["England", None],
        "tournament": ["Premier League", None],
    }
)


def _roles(history: pl.DataFrame, captures: pl.DataFrame) -> pl.DataFrame:
    moves = price_moves(history, captures)
    return move_roles(moves, history, captures, WINDOW).moves


def _role_of(roles: pl.DataFrame, key: tuple[int, str, int]) -> list[tuple[str, str, float, float | None]]:
    """(book, role, minute shown, lag in minutes) of each move of ``key``, in time order."""
    picked = roles.filter(
        (pl.col("market") == key[0]) & (pl.col("specifier") == key[1]) & (pl.col("outcome") == key[2])
    ).sort("moved_at", "book")
    return [
        (r["book"], r["role"], (r["moved_at"] - T).total_seconds() / 60, r["lag_s"] and r["lag_s"] / 60)
        for r in picked.iter_rows(named=True)
    ]


def test_a_move_is_timed_at_the_capture_that_shows_it_and_bounded_by_the_one_before() -> None:
    history = _history([*_opening([HOME]), ("sportybet", HOME, 2.1, "open", 5)])
    captures = _captures({"sportybet": [0, 3, 5], "bet9ja": [0], "betpawa": [0]})
    moves = price_moves(history, captures)
    assert moves.select(
        "book", "moved_at", "previous_capture_at", "old_price", "new_price", "direction"
    ).rows() == [("sportybet", at(5), at(3), 2.0, 2.1, 1)]


def test_suspensions_closures_and_other_markets_are_not_moves() -> None:
    history = _history(
        [
            *_opening([HOME, CORRECT_SCORE]),
            ("sportybet", HOME, 2.0, "suspended", 2),
            ("sportybet", HOME, 2.0, "open", 3),  # back at the same price: no move
            ("bet9ja", HOME, None, "closed", 4),
            ("bet9ja", HOME, 1.9, "open", 6),  # reopened lower: a move down from its last open price
            ("sportybet", CORRECT_SCORE, 9.0, "open", 5),  # not a main market
        ]
    )
    moves = price_moves(history, _captures(_every_minute(10)))
    assert moves.select("book", "moved_at", "old_price", "new_price", "direction").rows() == [
        ("bet9ja", at(6), 2.0, 1.9, -1)
    ]


def test_the_first_book_leads_and_the_others_follow_with_their_lag_or_miss() -> None:
    history = _history(
        [
            *_opening([HOME]),
            ("sportybet", HOME, 2.1, "open", 5),
            ("bet9ja", HOME, 2.05, "open", 8),  # follows 3 minutes later
        ]  # BetPawa never moves, captured until minute 40 > 5 + 30: missed
    )
    captures = _captures(_every_minute(40))
    roles = move_roles(price_moves(history, captures), history, captures, WINDOW)
    assert _role_of(roles.moves, HOME) == [("sportybet", "led", 5, None), ("bet9ja", "followed", 8, 3.0)]
    assert roles.missed.select("book").to_series().to_list() == ["betpawa"]


def test_two_books_moving_in_the_same_capture_both_lead_and_a_later_one_follows_the_first() -> None:
    history = _history(
        [
            *_opening([DRAW]),
            ("sportybet", DRAW, 3.2, "open", 10),
            ("bet9ja", DRAW, 3.25, "open", 10),
            ("betpawa", DRAW, 3.3, "open", 14),
        ]
    )
    roles = _roles(history, _captures(_every_minute(40)))
    assert _role_of(roles, DRAW) == [
        ("bet9ja", "led", 10, None),
        ("sportybet", "led", 10, None),
        ("betpawa", "followed", 14, 4.0),
    ]


def test_a_book_not_seen_unmoved_after_the_leader_moved_is_not_a_follower() -> None:
    """Bet9ja captured at minutes 0 and 10 only: its move shown at 10 may have happened before SportyBet's
    (shown at 5), so both lead; BetPawa, seen unmoved at 5, follows at 7."""
    history = _history(
        [
            *_opening([HOME]),
            ("sportybet", HOME, 2.1, "open", 5),
            ("betpawa", HOME, 2.1, "open", 7),
            ("bet9ja", HOME, 2.1, "open", 10),
        ]
    )
    captures = _captures({"sportybet": range(41), "betpawa": range(41), "bet9ja": [0, 10, 40]})
    assert _role_of(_roles(history, captures), HOME) == [
        ("sportybet", "led", 5, None),
        ("betpawa", "followed", 7, 2.0),
        ("bet9ja", "led", 10, None),
    ]


def test_a_move_the_other_way_or_past_the_window_does_not_follow_nor_a_late_copy_lead() -> None:
    history = _history(
        [
            *_opening([AWAY, OVER, DRAW]),
            ("sportybet", AWAY, 2.1, "open", 3),
            ("betpawa", AWAY, 1.9, "open", 6),  # the other way: it leads its own move down
            ("sportybet", OVER, 1.9, "open", 1),
            ("bet9ja", OVER, 1.85, "open", 32),  # 31 minutes later: past the 30-minute window, a late copy
            ("sportybet", DRAW, 3.2, "open", 1),
            ("bet9ja", DRAW, 3.1, "open", 62),  # 61 minutes later: past twice the window, its own lead
        ]
    )
    captures = _captures(_every_minute(70))
    roles = move_roles(price_moves(history, captures), history, captures, WINDOW)
    assert _role_of(roles.moves, AWAY) == [("sportybet", "led", 3, None), ("betpawa", "led", 6, None)]
    assert _role_of(roles.moves, OVER) == [("sportybet", "led", 1, None), ("bet9ja", "late", 32, 31.0)]
    assert _role_of(roles.moves, DRAW) == [("sportybet", "led", 1, None), ("bet9ja", "led", 62, None)]
    missed = sorted(roles.missed.join(
        roles.moves.filter(pl.col("role") == "led").select("episode", "book", "moved_at"), on="episode"
    ).select(
        "book", pl.col("book_right").alias("leader"), "moved_at"
    ).rows())  # fmt: skip
    assert missed == sorted(
        [
            ("bet9ja", "sportybet", at(1)),  # OVER: followed too late
            ("bet9ja", "sportybet", at(3)),  # AWAY up: did nothing
            ("betpawa", "sportybet", at(1)),  # OVER: did nothing
            ("betpawa", "sportybet", at(3)),  # AWAY up: moved the other way
            ("bet9ja", "sportybet", at(1)),  # DRAW: did nothing within the window
            ("betpawa", "sportybet", at(1)),  # DRAW: did nothing
            # AWAY down at 6 (BetPawa): captured until 40 > 36, so missed by both others
            ("bet9ja", "betpawa", at(6)),
            ("sportybet", "betpawa", at(6)),
            # OVER up at 32 (Bet9ja): the window ends at 62, after the last capture: not judged
        ]
    )


def test_each_copy_follows_the_oldest_move_it_has_not_copied() -> None:
    history = _history(
        [
            *_opening([HOME]),
            ("sportybet", HOME, 2.1, "open", 2),
            ("sportybet", HOME, 2.2, "open", 4),
            ("bet9ja", HOME, 2.1, "open", 6),
            ("bet9ja", HOME, 2.2, "open", 8),
        ]
    )
    assert _role_of(_roles(history, _captures(_every_minute(40))), HOME) == [
        ("sportybet", "led", 2, None),
        ("sportybet", "led", 4, None),
        ("bet9ja", "followed", 6, 4.0),
        ("bet9ja", "followed", 8, 4.0),
    ]


def test_a_book_that_did_not_offer_the_outcome_or_was_not_captured_past_the_window_misses_nothing() -> None:
    history = _history(
        [
            ("sportybet", HOME, 2.0, "open", 0),
            ("bet9ja", HOME, 2.0, "open", 0),
            ("betpawa", HOME, 2.0, "open", 6),  # offered only after the move
            ("sportybet", HOME, 2.1, "open", 5),
        ]
    )
    captures = _captures({"sportybet": range(41), "betpawa": range(41), "bet9ja": range(20)})
    roles = move_roles(price_moves(history, captures), history, captures, WINDOW)
    assert roles.missed.height == 0


def test_a_move_near_the_first_capture_that_copies_nothing_seen_is_not_judged() -> None:
    """Captured from minute 0 only: Bet9ja's move at 5 may copy a move made before 0, SportyBet's at 65 has
    a full late-copy horizon (60 minutes) of captures behind it; BetPawa follows it."""
    history = _history(
        [
            *_opening([HOME]),
            ("bet9ja", HOME, 2.1, "open", 5),
            ("sportybet", HOME, 1.9, "open", 65),
            ("betpawa", HOME, 1.9, "open", 67),
        ]
    )
    captures = _captures(_every_minute(100), observed_from=None)
    roles = move_roles(price_moves(history, captures), history, captures, WINDOW)
    assert _role_of(roles.moves, HOME) == [
        ("bet9ja", "unjudged", 5, None),
        ("sportybet", "led", 65, None),
        ("betpawa", "followed", 67, 2.0),
    ]
    table = price_leadership(roles, EVENTS, at(100), WINDOW, site_country="ng")
    assert table.filter(pl.col("book") == "bet9ja").select("moves", "moves_led", "moves_missed").rows() == [
        (0, 0, 1)
    ]


def test_the_table_counts_moves_leads_follows_lags_and_misses_per_book_and_market() -> None:
    history = _history(
        [
            *_opening([HOME, DRAW, OVER]),
            ("sportybet", HOME, 2.1, "open", 5),
            ("bet9ja", HOME, 2.05, "open", 8),  # follows 3 min
            ("betpawa", HOME, 2.15, "open", 15),  # follows 10 min
            ("sportybet", DRAW, 3.2, "open", 10),
            ("bet9ja", DRAW, 3.25, "open", 10),  # tie
            ("betpawa", DRAW, 3.3, "open", 14),  # follows 4 min
            ("sportybet", OVER, 1.8, "open", 2),  # nobody follows
        ]
    )
    captures = _captures(_every_minute(45))
    roles = move_roles(price_moves(history, captures), history, captures, WINDOW)
    table = price_leadership(roles, EVENTS, at(45), WINDOW, site_country="ng")
    got = {
        (r["market"], r["book"]): (
            r["moves"], r["moves_led"], r["led_moves_followed"], r["moves_followed"],
            r["median_follow_lag_minutes"], r["moves_missed"],
        )
        for r in table.iter_rows(named=True)
    }  # fmt: skip
    assert got == {
        (1, "sportybet"): (2, 2, 2, 0, None, 0),
        (1, "bet9ja"): (2, 1, 1, 1, 3.0, 0),
        (1, "betpawa"): (2, 0, 0, 2, 7.0, 0),  # median of 10 and 4
        (18, "sportybet"): (1, 1, 0, 0, None, 0),
        (18, "bet9ja"): (0, 0, 0, 0, None, 1),
        (18, "betpawa"): (0, 0, 0, 0, None, 1),
    }
    assert set(table["market_name"]) == {"1X2", "Total goals"}
    assert table.select("kickoff_date", "site_country", "sport", "country", "tournament").unique().rows() == [
        (DAY, "ng", "football", "England", "Premier League")
    ]
    assert table["computed_at"].unique().to_list() == [at(45)]
    assert table["window_minutes"].unique().to_list() == [30.0]


def test_stale_vs_market_lists_betpawa_prices_left_behind_by_two_competitors_moving_together() -> None:
    history = _history(
        [
            *_opening([HOME, DRAW, AWAY, OVER]),
            # HOME: both competitors shorten after BetPawa's last change at 0: stale
            ("sportybet", HOME, 1.9, "open", 5),
            ("bet9ja", HOME, 1.95, "open", 8),
            # DRAW: only one competitor moved
            ("sportybet", DRAW, 3.4, "open", 5),
            # AWAY: the competitors moved opposite ways
            ("sportybet", AWAY, 2.2, "open", 5),
            ("bet9ja", AWAY, 1.8, "open", 6),
            # OVER: both moved up, but BetPawa moved after them
            ("sportybet", OVER, 2.1, "open", 3),
            ("bet9ja", OVER, 2.1, "open", 4),
            ("betpawa", OVER, 2.1, "open", 7),
        ]
    )
    stale = stale_vs_market(history, EVENTS, at(20), site_country="gh")
    assert stale.outcomes.select(
        "site_country", "market", "outcome", "price_betpawa", "betpawa_since", "direction", "moved_books",
        "first_moved_at",
    ).rows() == [("gh", 1, 1, 2.0, at(0), "down", ["bet9ja", "sportybet"], at(5))]  # fmt: skip
    assert stale.outcomes["market_name"].to_list() == ["1X2"]
    # one row per competitor that moved: its price at BetPawa's last change and now
    assert stale.prices.select("site_country", "market", "outcome", "book", "price_then", "price").rows() == [
        ("gh", 1, 1, "bet9ja", 2.0, 1.95),
        ("gh", 1, 1, "sportybet", 2.0, 1.9),
    ]


def test_a_book_no_code_names_is_counted_like_the_others() -> None:
    # MSport (no fixed list of books holds it) shortens HOME at 5; SportyBet follows at 8, BetPawa never does.
    books = (*BOOKS, "msport")
    history = _history(
        [
            *[(book, HOME, 2.0, "open", 0) for book in books],
            ("msport", HOME, 1.9, "open", 5),
            ("sportybet", HOME, 1.9, "open", 8),
        ]
    )
    captures = _captures({book: range(41) for book in books})
    roles = move_roles(price_moves(history, captures), history, captures, WINDOW)
    table = price_leadership(roles, EVENTS, at(40), WINDOW, site_country="gh")
    got = {
        r["book"]: (
            r["moves"],
            r["moves_led"],
            r["moves_followed"],
            r["median_follow_lag_minutes"],
            r["moves_missed"],
        )
        for r in table.iter_rows(named=True)
    }
    assert got == {
        "msport": (1, 1, 0, None, 0),
        "sportybet": (1, 0, 1, 3.0, 0),
        "betpawa": (0, 0, 0, None, 1),
        "bet9ja": (0, 0, 0, None, 1),
    }
    # BetPawa's 2.0 is left behind by MSport and SportyBet moving down together
    stale = stale_vs_market(history, EVENTS, at(40), site_country="gh")
    assert stale.outcomes.select("outcome", "moved_books", "first_moved_at").rows() == [
        (1, ["msport", "sportybet"], at(5))
    ]
    assert stale.prices.select("book", "price_then", "price").rows() == [
        ("msport", 2.0, 1.9),
        ("sportybet", 2.0, 1.9),
    ]


def test_a_date_with_no_price_at_all_has_no_move_and_no_miss() -> None:
    """A sport gone quiet can leave a date with captures but no stored price: nothing to judge, no error."""
    history = _history([]).cast({"sr_id": pl.Int64, "book": pl.String, "market": pl.Int64})
    history = history.cast({"specifier": pl.String, "outcome": pl.Int64, "state": pl.String})
    roles = move_roles(price_moves(history, _captures({})), history, _captures({}), WINDOW)
    assert roles.moves.height == 0 and roles.missed.height == 0
