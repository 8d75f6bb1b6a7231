"""Malformed payloads raise OddsPayloadError naming the book, the place and the problem."""

from __future__ import annotations

from typing import Any

import pytest

from palimpsest_pipeline.books.bet9ja import odds as bet9ja
from palimpsest_pipeline.books.betpawa import odds as betpawa
from palimpsest_pipeline.books.odds_errors import OddsPayloadError
from palimpsest_pipeline.books.sportybet import odds as sportybet
from palimpsest_pipeline_tests.markets.conftest import CAPTURED_AT


def _sporty(markets: Any) -> dict[str, Any]:
    return {"bizCode": 10000, "message": "0#0", "data": {"eventId": "sr:match:1", "markets": markets}}


def _outcome(**overrides: Any) -> dict[str, Any]:
    return {"id": "1", "odds": "2.40", "isActive": 1, "desc": "Home", **overrides}


@pytest.mark.parametrize(
    ("payload", "where", "what"),
    [
        ({"bizCode": 19000, "message": "Event not found", "data": None}, "bizCode", "Event not found"),
        ({"bizCode": 10000, "data": {}}, "data", "no 'markets'"),
        (_sporty({"id": "1"}), "data.markets", "expected a list"),
    ],
)
def test_sportybet_errors(payload: Any, where: str, what: str) -> None:
    with pytest.raises(OddsPayloadError) as caught:
        sportybet.parse_odds(payload, sr_id=1, captured_at=CAPTURED_AT)
    assert caught.value.book.value == "sportybet"
    assert where in caught.value.where
    assert what in str(caught.value)


_GOOD_SPORTY_MARKET = {
    "id": "1",
    "status": 0,
    "outcomes": [_outcome(), _outcome(id="2", odds="3.30"), _outcome(id="3", odds="2.90")],
}


@pytest.mark.parametrize(
    ("market", "key", "what"),
    [
        ({"id": "18", "status": 0}, "18", "data.markets[1]: missing 'outcomes'"),
        ("not a market", "None", "data.markets[1]: expected an object"),
        (
            {"id": "18", "status": 0, "specifier": "total", "outcomes": [_outcome(id="12")]},
            "18",
            "data.markets[1].specifier",
        ),
        (
            {"id": "18", "status": 0, "specifier": 2.5, "outcomes": [_outcome(id="12")]},
            "18",
            "data.markets[1].specifier: not a specifier: '2.5'",
        ),
        ({"id": "1", "status": 0, "outcomes": [_outcome(odds="abc")]}, "1", "outcomes[0].odds"),
        (
            {"id": "1", "status": 0, "outcomes": [_outcome(id={"x": 1})]},
            "1",
            "outcomes[0].id: id is dict, not text",
        ),
    ],
)
def test_one_odd_sportybet_market_or_outcome_costs_itself_not_the_event(
    market: Any, key: str, what: str
) -> None:
    parse = sportybet.parse_odds(_sporty([_GOOD_SPORTY_MARKET, market]), sr_id=1, captured_at=CAPTURED_AT)
    assert {(r.market, r.outcome, r.price) for r in parse.rows} == {(1, 1, 2.4), (1, 2, 3.3), (1, 3, 2.9)}
    assert parse.unmapped == {f"malformed:{key}": 1}
    (reason,) = parse.malformed
    assert "sportybet" in reason and what in reason


def _pawa_market(
    price: dict[str, Any], row: dict[str, Any] | None = None, type_id: str = "5000"
) -> dict[str, Any]:
    return {
        "category": {"id": "2"},
        "markets": [
            {
                "marketType": {"id": type_id, "name": "Total Score Over/Under - FT"},
                "row": [{**(row or {}), "prices": [price]}],
            }
        ],
    }


@pytest.mark.parametrize(
    ("payload", "where", "what"),
    [
        ({"markets": []}, "category", "expected an object"),
        ({"category": {"id": "2"}, "markets": {}}, "markets", "expected a list"),
    ],
)
def test_betpawa_errors(payload: Any, where: str, what: str) -> None:
    with pytest.raises(OddsPayloadError) as caught:
        betpawa.parse_odds(payload, sr_id=1, captured_at=CAPTURED_AT)
    assert where in caught.value.where
    assert what in str(caught.value)


@pytest.mark.parametrize(
    ("price", "key", "what"),
    [
        (
            {"typeId": "5001", "name": "Over", "odds": None},
            "5000",
            "prices[0].odds: price is None, not a number",
        ),
        ({"typeId": "5001", "name": "Over", "odds": [1.9], "handicap": "2.5"}, "5000", "prices[0].odds"),
    ],
)
def test_one_odd_betpawa_price_costs_that_price_not_the_event(price: Any, key: str, what: str) -> None:
    payload = _pawa_market(price)
    good = {"typeId": "5001", "name": "Over", "odds": 1.9, "handicap": "3.5"}
    payload["markets"][0]["row"].append({"prices": [good]})
    parse = betpawa.parse_odds(payload, sr_id=1, captured_at=CAPTURED_AT)
    assert [(r.market, r.specifier, r.outcome, r.price) for r in parse.rows] == [(18, "total=3.5", 12, 1.9)]
    assert parse.unmapped == {f"malformed:{key}": 1}
    (reason,) = parse.malformed
    assert "betpawa" in reason and what in reason, reason


@pytest.mark.parametrize(
    ("price", "what"),
    [
        ({"typeId": "5001", "name": "Over", "odds": 1.9}, "prices[0]: market 5000 needs a line"),
        (
            {"typeId": "5001", "name": "Over", "odds": 1.9, "handicap": "two"},
            "prices[0].handicap: unreadable line",
        ),
    ],
)
def test_an_over_under_price_without_a_readable_line_is_set_aside_alone(
    price: dict[str, Any], what: str
) -> None:
    """The grammar refuses a row whose line it cannot read; the reviewed row then decides and sets the price
    aside with its reason; the next row's price on the same market is keyed."""
    payload = _pawa_market(price)
    good = {"typeId": "5001", "name": "Over", "odds": 1.9, "handicap": "2.5"}
    payload["markets"][0]["row"].append({"prices": [good]})
    parse = betpawa.parse_odds(payload, sr_id=1, captured_at=CAPTURED_AT)
    assert [(r.market, r.specifier, r.outcome, r.price) for r in parse.rows] == [(18, "total=2.5", 12, 1.9)]
    assert parse.unmapped == {"malformed:5000": 1}
    (reason,) = parse.malformed
    assert "betpawa" in reason and what in reason, reason


def test_betpawa_line_fallbacks_agree() -> None:
    """price.handicap, else row.specifier, else row.handicap in quarter units: all give the same key."""
    variants: list[tuple[dict[str, Any], dict[str, Any]]] = [
        ({"handicap": "2.5"}, {}),
        ({}, {"specifier": {"total": "2.50"}}),
        ({}, {"handicap": 10}),
    ]
    keys = set()
    for price_extra, row in variants:
        parse = betpawa.parse_odds(
            _pawa_market({"typeId": "5001", "name": "Over", "price": 1.9, **price_extra}, row),
            sr_id=1,
            captured_at=CAPTURED_AT,
        )
        keys.add((parse.rows[0].market, parse.rows[0].specifier, parse.rows[0].outcome))
    assert keys == {(18, "total=2.5", 12)}


@pytest.mark.parametrize(
    ("payload", "where", "what"),
    [
        ({"R": "E", "D": "throttled"}, "R", "error envelope"),
        ({"R": "OK", "D": {"ID": 1}}, "D", "no 'O'"),
    ],
)
def test_bet9ja_errors(payload: Any, where: str, what: str) -> None:
    with pytest.raises(OddsPayloadError) as caught:
        bet9ja.parse_odds(payload, sr_id=1, captured_at=CAPTURED_AT)
    assert where in caught.value.where
    assert what in str(caught.value)


@pytest.mark.parametrize(
    ("key", "value", "what"),
    [
        ("S1X21", "2.4", "not of the form"),
        ("S_OU_O", "1.9", "needs an @line"),
        ("S_OU@x_O", "1.9", "not a number"),
        ("S_1X2_1", "n/a", "not a number"),
    ],
)
def test_one_odd_bet9ja_key_costs_that_outcome_not_the_event(key: str, value: str, what: str) -> None:
    payload = {"R": "OK", "D": {"O": {key: value, "S_1X2_X": "3.3", "S_OU@2.5_O": "1.8"}}}
    parse = bet9ja.parse_odds(payload, sr_id=1, captured_at=CAPTURED_AT)
    assert {(r.market, r.specifier, r.outcome, r.price) for r in parse.rows} == {
        (1, "", 2, 3.3),
        (18, "total=2.5", 12, 1.8),
    }
    assert len(parse.malformed) == 1 and what in parse.malformed[0] and key in parse.malformed[0]
    assert sum(n for k, n in parse.unmapped.items() if k.startswith("malformed:")) == 1


def test_non_mapping_payload_is_rejected() -> None:
    for module in (sportybet, betpawa, bet9ja):
        with pytest.raises(OddsPayloadError, match="payload"):
            module.parse_odds([], sr_id=1, captured_at=CAPTURED_AT)


def test_a_betpawa_market_without_a_name_is_read_from_the_whole_table() -> None:
    """The grammar reads names; a market type sent without one is keyed by its price type id alone."""
    payload = _pawa_market({"typeId": "5001", "name": "Over", "odds": 1.9, "handicap": "2.5"})
    del payload["markets"][0]["marketType"]["name"]
    parse = betpawa.parse_odds(payload, sr_id=1, captured_at=CAPTURED_AT)
    assert [(r.market, r.specifier, r.outcome, r.price) for r in parse.rows] == [(18, "total=2.5", 12, 1.9)]
