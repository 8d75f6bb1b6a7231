"""Closing prices on hand-made captures, every expected figure worked out by hand from the prices."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest

from palimpsest_pipeline.transforms.closing_prices import closing_prices, matches_short_of_inputs

KICKOFF = datetime(2026, 5, 5, 18, 0, tzinfo=UTC)
NOW = datetime(2026, 5, 5, 19, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=30)
MARKETS = pl.DataFrame(
    {"market": [1, 1, 1, 18, 18], "outcome": [1, 2, 3, 12, 13], "complete": [True] * 5,
     "market_family": ["score 1x2"] * 3 + ["score total"] * 2},
)  # fmt: skip


def _at(hour: int, minute: int) -> datetime:
    return datetime(2026, 5, 5, hour, minute, tzinfo=UTC)


def _one_x_two(book: str, at: datetime, prices: tuple[float | None, ...], states: str = "ooo") -> list[dict]:
    state = {"o": "open", "s": "suspended", "c": "closed"}
    return [
        {"sr_id": 1, "book": book, "market": 1, "specifier": "", "outcome": outcome, "price": price,
         "state": state[s], "captured_at": at}
        for outcome, price, s in zip((1, 2, 3), prices, states, strict=True)
    ]  # fmt: skip


def _captures(*pairs: tuple[str, datetime]) -> pl.DataFrame:
    return pl.DataFrame(
        [{"sr_id": 1, "book": book, "captured_at": at, "status": "ok"} for book, at in pairs],
        schema={
            "sr_id": pl.Int64,
            "book": pl.String,
            "captured_at": pl.Datetime("us", "UTC"),
            "status": pl.String,
        },
    )


MATCHES = pl.DataFrame(
    {"sr_id": [1], "kickoff_date": [date(2026, 5, 5)], "kickoff": [KICKOFF], "sport": ["football"],
     "competition": ["Premier League"]},
)  # fmt: skip
NO_KICKOFFS = pl.DataFrame(schema={"sr_id": pl.Int64, "book": pl.String, "kickoff": pl.Datetime("us", "UTC")})


def _history(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={"sr_id": pl.Int64, "book": pl.String, "market": pl.Int32, "specifier": pl.String,
                "outcome": pl.Int32, "price": pl.Float64, "state": pl.String,
                "captured_at": pl.Datetime("us", "UTC")},
    )  # fmt: skip


def _build(history: list[dict], captures: pl.DataFrame, kickoffs: pl.DataFrame = NO_KICKOFFS) -> pl.DataFrame:
    return closing_prices(
        _history(history), captures, MATCHES, kickoffs, MARKETS, now=NOW, window=WINDOW, site_country="ng"
    )


def _row(frame: pl.DataFrame, book: str, outcome: int) -> dict:
    return frame.filter((pl.col("book") == book) & (pl.col("outcome") == outcome)).row(0, named=True)


# BetPawa opens at 16:00 and moves its home price at 17:55; SportyBet's 18:05 capture is in play (ignored);
# MSport was last captured at 17:00, an hour before kick-off (stale).
HISTORY = [
    *_one_x_two("betpawa", _at(16, 0), (2.00, 3.40, 3.60)),
    *_one_x_two("betpawa", _at(17, 55), (1.90, 3.40, 3.60))[:1],
    *_one_x_two("sportybet", _at(17, 50), (1.95, 3.50, 4.00)),
    *_one_x_two("sportybet", _at(18, 5), (1.50, 4.50, 6.00)),
    *_one_x_two("bet9ja", _at(17, 58), (2.10, 3.30, 3.50)),
    *_one_x_two("betway", _at(17, 59), (2.05, 3.40, 3.70)),
    *_one_x_two("msport", _at(17, 0), (2.00, 3.50, 3.80)),
]
CAPTURES = _captures(
    ("betpawa", _at(16, 0)),
    ("betpawa", _at(17, 55)),
    ("betpawa", _at(17, 57)),
    ("sportybet", _at(17, 50)),
    ("sportybet", _at(17, 56)),
    ("sportybet", _at(18, 5)),
    ("bet9ja", _at(17, 58)),
    ("betway", _at(17, 59)),
    ("msport", _at(17, 0)),
)
# Proportional fair probabilities, by hand: 1 / price over the line's sum of 1 / price.
SPORTYBET_SUM = 1 / 1.95 + 1 / 3.50 + 1 / 4.00  # 1.0485348
BET9JA_SUM = 1 / 2.10 + 1 / 3.30 + 1 / 3.50  # 1.0649351
BETWAY_SUM = 1 / 2.05 + 1 / 3.40 + 1 / 3.70  # 1.0521928
HOME_FAIR = {
    "sportybet": 1 / 1.95 / SPORTYBET_SUM,
    "bet9ja": 1 / 2.10 / BET9JA_SUM,
    "betway": 1 / 2.05 / BETWAY_SUM,
}
# 0.4890830, 0.4471545, 0.4636079: BetPawa's consensus is their median, Betway's


def test_betpawa_closes_at_its_last_capture_against_the_median_of_the_competitors_fair_probabilities() -> (
    None
):
    frame = _build(HISTORY, CAPTURES)
    home = _row(frame, "betpawa", 1)
    assert home["closing_price"] == 1.90
    assert home["closing_at"] == _at(17, 57)  # its last capture before kick-off confirmed the 17:55 price
    assert home["set_aside"] is None
    assert home["consensus_books"] == 3
    assert home["consensus_probability"] == pytest.approx(HOME_FAIR["betway"])
    assert home["consensus_price"] == pytest.approx(1 / HOME_FAIR["betway"])
    assert home["gap"] == pytest.approx(1.90 * 0.4636079 - 1, abs=1e-6)  # -0.119145
    assert home["opening_price"] == 2.00 and home["opening_at"] == _at(16, 0)
    assert home["opening_gap"] == pytest.approx(2.00 * 0.4636079 - 1, abs=1e-6)  # -0.072784
    assert home["implied_probability"] == pytest.approx(1 / 1.90)
    assert home["book_margin"] == pytest.approx(1 / 1.90 + 1 / 3.40 + 1 / 3.60 - 1)  # 0.0993808
    assert home["competition"] == "Premier League" and home["market_family"] == "score 1x2"


def test_a_competitor_is_compared_with_the_other_competitors_and_its_in_play_price_is_ignored() -> None:
    frame = _build(HISTORY, CAPTURES)
    sportybet = _row(frame, "sportybet", 1)
    assert sportybet["closing_price"] == 1.95 and sportybet["closing_at"] == _at(17, 56)
    assert sportybet["book_fair_probability"] == pytest.approx(HOME_FAIR["sportybet"])
    assert sportybet["book_margin"] == pytest.approx(SPORTYBET_SUM - 1)
    assert sportybet["consensus_books"] == 2  # Bet9ja and Betway: BetPawa and itself left out, MSport stale
    median = (HOME_FAIR["bet9ja"] + HOME_FAIR["betway"]) / 2  # 0.4553812
    assert sportybet["consensus_probability"] == pytest.approx(median)
    assert sportybet["gap"] == pytest.approx(1.95 * median - 1)  # -0.1120067
    assert sportybet["opening_price"] is None and sportybet["opening_gap"] is None


def test_a_stale_book_is_shown_set_aside_and_feeds_no_consensus() -> None:
    frame = _build(HISTORY, CAPTURES)
    msport = _row(frame, "msport", 1)
    assert msport["set_aside"] == "stale" and msport["closing_price"] == 2.00
    assert msport["closing_at"] == _at(17, 0)
    assert msport["gap"] is None and msport["book_fair_probability"] is None
    assert msport["consensus_books"] == 3  # it still has a consensus to be read against
    # with Bet9ja gone too, Sportybet has only Betway: one book gives no consensus
    alone = _build(HISTORY, CAPTURES.filter(pl.col("book") != "bet9ja"))
    sportybet = _row(alone, "sportybet", 1)
    assert sportybet["consensus_books"] == 1
    assert sportybet["consensus_probability"] is None and sportybet["gap"] is None
    assert frame.height == 15 and alone.filter(pl.col("book") == "bet9ja").height == 0


def test_a_suspended_outcome_is_set_aside_and_its_book_line_feeds_no_consensus() -> None:
    history = [r for r in HISTORY if r["book"] != "bet9ja"]
    history += _one_x_two("bet9ja", _at(17, 30), (2.10, 3.30, 3.50))
    history += _one_x_two("bet9ja", _at(17, 58), (2.10, None, 3.50), "oso")[1:2]  # the draw suspended
    frame = _build(history, CAPTURES)
    draw = _row(frame, "bet9ja", 2)
    assert draw["set_aside"] == "suspended" and draw["closing_price"] is None
    home = _row(frame, "bet9ja", 1)
    assert home["set_aside"] is None and home["book_margin"] is None and home["book_fair_probability"] is None
    assert home["gap"] is not None  # its own price is still read against the others
    betpawa = _row(frame, "betpawa", 1)
    assert betpawa["consensus_books"] == 2
    assert betpawa["consensus_probability"] == pytest.approx(
        (HOME_FAIR["sportybet"] + HOME_FAIR["betway"]) / 2
    )


def test_a_book_whose_kickoff_disagrees_and_a_negative_margin_are_set_aside() -> None:
    kickoffs = pl.DataFrame(
        {"sr_id": [1, 1], "book": ["betway", "bet9ja"], "kickoff": [KICKOFF + timedelta(minutes=15), KICKOFF]}
    ).cast({"kickoff": pl.Datetime("us", "UTC")})
    history = [r for r in HISTORY if r["book"] != "sportybet"]
    history += _one_x_two("sportybet", _at(17, 50), (2.80, 3.90, 3.80))  # sums to 0.8765: cannot be true
    frame = _build(history, CAPTURES, kickoffs)
    assert _row(frame, "betway", 1)["set_aside"] == "kickoff_disagrees"
    sportybet = _row(frame, "sportybet", 1)
    assert sportybet["set_aside"] == "negative_margin"
    assert sportybet["book_margin"] == pytest.approx(1 / 2.80 + 1 / 3.90 + 1 / 3.80 - 1)
    betpawa = _row(frame, "betpawa", 1)
    assert betpawa["consensus_books"] == 1 and betpawa["consensus_probability"] is None  # Bet9ja alone
    assert _row(frame, "bet9ja", 1)["set_aside"] is None


def test_a_match_not_yet_kicked_off_and_outcomes_never_open_before_kickoff_have_no_row() -> None:
    later = MATCHES.with_columns(kickoff=pl.lit(NOW + timedelta(minutes=1)).cast(pl.Datetime("us", "UTC")))
    assert closing_prices(
        _history(HISTORY), CAPTURES, later, NO_KICKOFFS, MARKETS, now=NOW, window=WINDOW, site_country="ng"
    ).is_empty()
    history = [
        *HISTORY,
        {"sr_id": 1, "book": "betpawa", "market": 18, "specifier": "total=2.5", "outcome": 12, "price": 1.8,
         "state": "open", "captured_at": _at(18, 1)},
    ]  # fmt: skip
    assert _build(history, CAPTURES).filter(pl.col("market") == 18).is_empty()


def _short(fresh: pl.DataFrame, stored: pl.DataFrame | None = None) -> dict[int, str]:
    """What a rebuild to ``fresh`` finds short against the rows built from every input above."""
    stored = _build(HISTORY, CAPTURES) if stored is None else stored
    return dict(matches_short_of_inputs(fresh, stored).iter_rows())


def test_a_rebuild_with_the_same_or_more_inputs_is_not_short() -> None:
    assert _short(_build(HISTORY, CAPTURES)) == {}
    # SportyBet captured again at 17:59: it closes later, the consensus moves: better, not worse
    later = pl.concat([CAPTURES, _captures(("sportybet", _at(17, 59)))])
    assert _row(_build(HISTORY, later), "sportybet", 1)["closing_at"] == _at(17, 59)
    assert _short(_build(HISTORY, later)) == {}
    # a book first captured since: rows added
    added = [*HISTORY, *_one_x_two("betika", _at(17, 58), (2.00, 3.30, 3.60))]
    assert _short(_build(added, pl.concat([CAPTURES, _captures(("betika", _at(17, 58)))]))) == {}


def test_a_rebuild_whose_history_or_capture_log_is_gone_is_short_of_its_inputs() -> None:
    assert _short(_build([], CAPTURES)) == {1: "without_history"}
    assert _short(_build(HISTORY, CAPTURES.clear())) == {1: "without_history"}


def test_a_rebuild_with_part_of_its_inputs_gone_is_short_of_them() -> None:
    # SportyBet's history gone: its rows would go and every consensus it fed would move
    assert _short(_build([r for r in HISTORY if r["book"] != "sportybet"], CAPTURES)) == {
        1: "partial_history"
    }
    # BetPawa's 17:57 capture gone from the log: it would close at 17:55, older than stored
    earlier = CAPTURES.filter(~((pl.col("book") == "betpawa") & (pl.col("captured_at") == _at(17, 57))))
    assert _row(_build(HISTORY, earlier), "betpawa", 1)["closing_at"] == _at(17, 55)
    assert _short(_build(HISTORY, earlier)) == {1: "partial_history"}
    # BetPawa's 16:00 change of the home price gone: the same rows, the home price opening at 17:55 at 1.90
    opened = [r for r in HISTORY if not (r["book"] == "betpawa" and r["captured_at"] == _at(16, 0)
                                         and r["outcome"] == 1)]  # fmt: skip
    fresh = _build(opened, CAPTURES)
    assert fresh.height == _build(HISTORY, CAPTURES).height
    assert _row(fresh, "betpawa", 1)["opening_at"] == _at(17, 55)
    assert _short(fresh) == {1: "partial_history"}


def test_a_close_moved_with_the_kickoff_is_not_short() -> None:
    """Rows stored when the match was to kick off ten minutes later (each close eight minutes later): the
    closes now earlier came with the kick-off, not from lost captures."""
    stored = _build(HISTORY, CAPTURES).with_columns(
        kickoff=pl.col("kickoff") + timedelta(minutes=10),
        closing_at=pl.col("closing_at") + timedelta(minutes=8),
    )
    assert _short(_build(HISTORY, CAPTURES), stored) == {}
    assert _short(_build(HISTORY, CAPTURES), stored.with_columns(kickoff=pl.lit(KICKOFF))) == {
        1: "partial_history"
    }
