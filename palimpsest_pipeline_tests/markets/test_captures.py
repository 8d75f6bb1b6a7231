"""The captured trio sr68995116 (same match on all three books) parses to the prices written in the files."""

from __future__ import annotations

import pytest

from palimpsest_pipeline.books.bet9ja import odds as bet9ja
from palimpsest_pipeline.books.betpawa import odds as betpawa
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.sportybet import odds as sportybet
from palimpsest_pipeline.markets.vocabulary import NATIVE_MARKETS
from palimpsest_pipeline_tests.markets.conftest import CAPTURED_AT, load_capture

SR_ID = 68995116


@pytest.fixture(scope="module")
def trio() -> dict[str, EventOdds]:
    return {
        "sportybet": sportybet.parse_odds(
            load_capture("sportybet/event_sr68995116_prematch.json"), sr_id=SR_ID, captured_at=CAPTURED_AT
        ),
        "betpawa": betpawa.parse_odds(
            load_capture("betpawa/v3_event_sr68995116_prematch.json"), sr_id=SR_ID, captured_at=CAPTURED_AT
        ),
        "bet9ja": bet9ja.parse_odds(
            load_capture("bet9ja/GetEvent_sr68995116_prematch.json"), sr_id=SR_ID, captured_at=CAPTURED_AT
        ),
    }


def _open(parse: EventOdds) -> dict[tuple[int, str, int], float]:
    return {(r.market, r.specifier, r.outcome): r.price for r in parse.rows if r.state == "open" and r.price}


def test_rows_carry_identity_and_capture_time(trio: dict[str, EventOdds]) -> None:
    for name, parse in trio.items():
        assert parse.rows, name
        assert {row.sr_id for row in parse.rows} == {SR_ID}
        assert {row.book.value for row in parse.rows} == {name}
        assert {row.captured_at for row in parse.rows} == {CAPTURED_AT}


@pytest.mark.parametrize(
    ("book", "expected"),
    [
        (
            "sportybet",
            {
                (1, "", 1): 2.40,
                (1, "", 2): 3.30,
                (1, "", 3): 3.00,
                (18, "total=2.5", 12): 1.96,
                (18, "total=2.5", 13): 1.81,
                (10, "", 9): 1.37,
                (14, "hcp=-1", 1711): 4.75,
                (16, "hcp=-0.5", 1714): 2.35,
                (18, "total=2", 12): 1.48,
            },
        ),
        (
            "betpawa",
            {
                (1, "", 1): 2.41,
                (1, "", 2): 3.29,
                (1, "", 3): 3.02,
                (18, "total=2.5", 12): 1.98,
                (18, "total=2.5", 13): 1.83,
                (10, "", 9): 1.39,
                (10, "", 11): 1.56,
                (10, "", 10): 1.35,
                (14, "hcp=-1", 1711): 4.72,
                (14, "hcp=1", 1712): 4.74,
                (16, "hcp=-1.5", 1714): 4.65,
                (16, "hcp=-1.5", 1715): 1.16,
                (8, "goalnr=1", 6): 1.94,
            },
        ),
        (
            "bet9ja",
            {
                (1, "", 1): 2.42,
                (1, "", 2): 3.10,
                (1, "", 3): 2.93,
                (18, "total=2.5", 12): 1.90,
                (18, "total=2.5", 13): 1.80,
                (18, "total=2.25", 12): 1.62,
                (18, "total=3", 13): 1.43,
                (10, "", 9): 1.34,
                (14, "hcp=-1", 1712): 4.05,
                (16, "hcp=-0.5", 1714): 2.42,
                (19, "total=1.5", 12): 2.23,
                (20, "total=1.5", 13): 1.41,
            },
        ),
    ],
)
def test_prices_are_those_written_in_the_files(
    trio: dict[str, EventOdds], book: str, expected: dict[tuple[int, str, int], float]
) -> None:
    prices = _open(trio[book])
    for key, price in expected.items():
        assert prices.get(key) == pytest.approx(price), key


def test_main_markets_land_on_the_same_keys_on_every_book(trio: dict[str, EventOdds]) -> None:
    keys = [set(_open(parse)) for parse in trio.values()]
    common = keys[0] & keys[1] & keys[2]
    for key in [
        (1, "", 1),
        (1, "", 2),
        (1, "", 3),
        (18, "total=2.5", 12),
        (18, "total=2.5", 13),
        (10, "", 9),
        (10, "", 10),
        (10, "", 11),
        (29, "", 74),
        (11, "", 4),
        (47, "", 418),
    ]:
        assert key in common, key


@pytest.mark.parametrize("market", [10, 14, 16, 1, 18, 11, 29, 47, 60, 63, 68, 19, 20])
def test_conventions_agree_across_books(trio: dict[str, EventOdds], market: int) -> None:
    """Same canonical key -> prices within ~15%: a swapped double-chance outcome or a flipped handicap sign
    would put favourites against outsiders and fail by far more."""
    reference = _open(trio["sportybet"])
    compared = 0
    for book in ("betpawa", "bet9ja"):
        for key, price in _open(trio[book]).items():
            if key[0] == market and key in reference and min(price, reference[key]) < 8:
                compared += 1
                assert 1 / 1.16 <= price / reference[key] <= 1.16, (book, key, price, reference[key])
    assert compared >= 2


def test_most_of_sportybets_open_outcomes_reach_a_canonical_key(trio: dict[str, EventOdds]) -> None:
    parse = trio["sportybet"]
    # 1359 listed, less SportyBet's own duplicates of listed UOF markets priced within a tenth of them
    # (counted once): the 12 of the clean-sheet markets (900014/15/19-22) and 7 of the 13 goal bounds ("0",
    # "1-2") that restate multigoals (548-550, 552); the other 6 are priced further apart, set aside
    assert (parse.open_outcomes, parse.duplicate_listings, parse.set_aside_outcomes) == (1340, 19, 6)
    assert parse.mapping_rate >= 0.90
    uof_only = sum(1 for r in parse.rows if r.state == "open" and r.market not in NATIVE_MARKETS)
    assert uof_only / parse.open_outcomes > 0.70  # the share reached through UOF ids proper


def test_other_books_mapping_rates_and_unmapped_are_accounted(trio: dict[str, EventOdds]) -> None:
    for name, floor in (("betpawa", 0.85), ("bet9ja", 0.50)):
        parse = trio[name]
        assert parse.mapping_rate >= floor, (name, parse.mapping_rate)
        assert parse.mapped_outcomes + sum(parse.unmapped.values()) == parse.open_outcomes
    assert "129108" not in trio["betpawa"].unmapped  # goalscorers: keyed by player name (markets/players.py)
    assert sum(1 for r in trio["betpawa"].rows if r.market == 40) == 49


def test_suspended_outcomes_are_flagged(trio: dict[str, EventOdds]) -> None:
    closed = [r for r in trio["bet9ja"].rows if r.state == "suspended"]
    assert closed and all(r.price is None for r in closed)  # Bet9ja "1" is not a price
    assert any(r.market == 16 for r in trio["bet9ja"].rows) and any(
        (r.market, r.specifier) == (165, "hcp=-1.5") for r in closed
    )
    sporty_closed = [r for r in trio["sportybet"].rows if r.state == "suspended"]
    assert sporty_closed  # isActive == 0 outcomes (goalscorers, minute totals)
    assert all(r.state == "open" for r in trio["sportybet"].rows if r.market == 1)


def test_betpawa_v4_capture_reads_odds_and_omitted_defaults() -> None:
    parse = betpawa.parse_odds(
        load_capture("betpawa/v4_event_sr67691078_prematch.json"), sr_id=67691078, captured_at=CAPTURED_AT
    )
    prices = _open(parse)
    assert prices[(1, "", 1)] == 4.59
    assert prices[(14, "hcp=-1", 1711)] == 9.92
    assert prices[(16, "hcp=-0.5", 1714)] == 4.3
    assert prices[(18, "total=0.5", 13)] == 10.92
    assert any(r.state == "suspended" for r in parse.rows)  # "suspended": true only appears when true
    assert parse.mapping_rate > 0.95


def test_tennis_captures_share_winner_keys() -> None:
    sporty = _open(
        sportybet.parse_odds(
            load_capture("sportybet/event_sr71529092_tennis.json"), sr_id=71529092, captured_at=CAPTURED_AT
        )
    )
    pawa = _open(
        betpawa.parse_odds(
            load_capture("betpawa/v3_event_sr71529092_tennis.json"), sr_id=71529092, captured_at=CAPTURED_AT
        )
    )
    assert sporty[(186, "", 4)] == 2.35 and pawa[(186, "", 4)] == 2.3
    assert (189, "total=20.5", 12) in sporty and (189, "total=20.5", 12) in pawa
    assert (187, "hcp=-0.5", 1714) in pawa
    nine = _open(
        bet9ja.parse_odds(
            load_capture("bet9ja/GetEvent_sr71543524_tennis.json"), sr_id=71543524, captured_at=CAPTURED_AT
        )
    )
    assert (
        nine[(187, "hcp=0.5", 1714)] == 2.5 and nine[(187, "hcp=4.5", 1714)] == 1.4 and (186, "", 4) in nine
    )
