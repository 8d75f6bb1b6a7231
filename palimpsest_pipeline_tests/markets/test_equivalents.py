"""SportyBet markets that duplicate a UOF market: the UOF one wins; no key is ever produced twice."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from palimpsest_pipeline.books.bet9ja import odds as bet9ja
from palimpsest_pipeline.books.betpawa import odds as betpawa
from palimpsest_pipeline.books.sportybet import odds as sportybet
from palimpsest_pipeline_tests.contract.parse_golden import sr_id_of
from palimpsest_pipeline_tests.markets.conftest import CAPTURED_AT, load_capture


def _market(market_id: str, prices: dict[str, str]) -> dict[str, Any]:
    return {
        "id": market_id,
        "status": 0,
        "outcomes": [{"id": oid, "odds": odds, "isActive": 1} for oid, odds in prices.items()],
    }


HOME_TO_SCORE = _market("900015", {"39": "1.29", "40": "3.50"})  # yes / no
AWAY_CLEAN_SHEET = _market("32", {"74": "3.40", "76": "1.27"})  # yes / no


def _parse(*markets: dict[str, Any]) -> dict[tuple[int, str, int], float | None]:
    parse = sportybet.parse_odds(
        {"bizCode": 10000, "data": {"eventId": "sr:match:1", "markets": list(markets)}},
        sr_id=1,
        captured_at=CAPTURED_AT,
    )
    assert parse.mapped_outcomes + sum(parse.unmapped.values()) == parse.open_outcomes
    assert parse.open_outcomes == len(parse.rows)
    prices = {(r.market, r.specifier, r.outcome): r.price for r in parse.rows}
    assert len(prices) == len(parse.rows), "a canonical key was produced twice"
    return prices


def test_equivalent_alone_is_translated_with_yes_and_no_swapped() -> None:
    # "home team to score: yes" is "away clean sheet: no"
    assert _parse(HOME_TO_SCORE) == {(32, "", 76): 1.29, (32, "", 74): 3.50}


@pytest.mark.parametrize("order", ["uof_first", "equivalent_first"])
def test_uof_market_wins_over_its_equivalent_in_either_order(order: str) -> None:
    markets = [AWAY_CLEAN_SHEET, HOME_TO_SCORE]
    if order == "equivalent_first":
        markets.reverse()
    assert _parse(*markets) == {(32, "", 74): 3.40, (32, "", 76): 1.27}


CAPTURES = [
    (sportybet, "sportybet/event_sr68995116_prematch.json"),
    (sportybet, "sportybet/event_sr71529092_tennis.json"),
    (sportybet, "sportybet/event_sr67645534_live.json"),
    (betpawa, "betpawa/v3_event_sr68995116_prematch.json"),
    (betpawa, "betpawa/v3_event_sr71529092_tennis.json"),
    (betpawa, "betpawa/v3_event_sr67645534_live.json"),
    (betpawa, "betpawa/v4_event_sr67691078_prematch.json"),
    (bet9ja, "bet9ja/GetEvent_sr68995116_prematch.json"),
    (bet9ja, "bet9ja/GetEvent_sr71543524_tennis.json"),
    (bet9ja, "bet9ja/GetLiveEvent_sr67645534_live.json"),
]


@pytest.mark.parametrize(("module", "relative"), CAPTURES, ids=[relative for _m, relative in CAPTURES])
def test_every_captured_response_gives_each_canonical_key_once(module: Any, relative: str) -> None:
    """Two rows on one key would make a book's price ambiguous; the comparison transforms reject them."""
    parse = module.parse_odds(load_capture(relative), sr_id=sr_id_of(relative), captured_at=CAPTURED_AT)
    repeated = [
        key for key, n in Counter((r.market, r.specifier, r.outcome) for r in parse.rows).items() if n > 1
    ]
    assert repeated == []
