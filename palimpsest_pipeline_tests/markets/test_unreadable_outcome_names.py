"""One unreadable outcome name in a SportyBet market costs that outcome, never how its neighbours are keyed.

A market of "<player> N+" outcomes is read as each player's over (keys worked out by hand: "2+" is over 1.5,
the player's SportRadar id from the outcome id). Before, one name of the wrong type or past the length cap
made the market no longer "a list of thresholds", so every outcome of it fell back to name keys or the
family's own key: 88 prices of a sandbox match re-keyed by one hostile value, none set aside.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from palimpsest_pipeline.books.sportybet.odds import parse_odds
from palimpsest_pipeline.markets.grammar import uof_labels as sportybet
from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.markets.grammar.description import Unreadable

HOME, AWAY = "FC Alpha Rovers", "Beta Rovers"
NOW = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
OUTCOMES = [
    ("pre:playerprops:7:42:1:1", "Ann Smith (Alpha Rovers) 1+", "1.50"),
    ("pre:playerprops:7:42:2:1", "Ann Smith (Alpha Rovers) 2+", "3.10"),
    ("pre:playerprops:7:57:1:2", "Bea Jones (Beta Rovers) 1+", "1.80"),
]
HOSTILE = [("1" * 40_960, "past the length cap"), ({"unexpected": ["x"]}, "not text")]


def _market(names: list[Any]) -> dict[str, Any]:
    return {
        "id": "800292",
        "name": "Player Total Accurate Passes",
        "desc": "Player Total Accurate Passes",
        "status": 0,
        "outcomes": [
            {"id": ref, "desc": name, "odds": odds, "isActive": 1}
            for (ref, _n, odds), name in zip(OUTCOMES, names, strict=True)
        ],
    }


def _key(player: int, total: str) -> tuple[int, str, int]:
    return (DESCRIBED, f"market=accuratepasses.match.player.total|player={player}|total={total}", 12)


@pytest.mark.parametrize(("value", "why"), HOSTILE, ids=[w for _v, w in HOSTILE])
def test_the_grammar_reads_the_others_and_names_the_unreadable_one(value: Any, why: str) -> None:
    keys = sportybet.read_market(_market([n for _r, n, _o in OUTCOMES[:2]] + [value]), "football", HOME, AWAY)
    assert keys["pre:playerprops:7:42:1:1"] == _key(42, "0.5")
    assert keys["pre:playerprops:7:42:2:1"] == _key(42, "1.5")
    assert isinstance(keys["pre:playerprops:7:57:1:2"], Unreadable)


@pytest.mark.parametrize(("value", "why"), HOSTILE, ids=[w for _v, w in HOSTILE])
def test_the_parser_sets_the_unreadable_outcome_aside_and_keys_the_rest_as_before(
    value: Any, why: str
) -> None:
    payload = {
        "data": {
            "eventId": "sr:match:1234",
            "sport": {"id": "sr:sport:1"},
            "homeTeamName": HOME,
            "awayTeamName": AWAY,
            "markets": [_market([value] + [n for _r, n, _o in OUTCOMES[1:]])],
        }
    }
    parsed = parse_odds(payload, sr_id=1234, captured_at=NOW)
    rows = {(r.market, r.specifier, r.outcome): r.price for r in parsed.rows}
    assert rows == {_key(42, "1.5"): 3.10, _key(57, "0.5"): 1.80}
    assert len(parsed.malformed) == 1 and "outcomes[0]" in parsed.malformed[0]
    assert len(parsed.malformed[0]) <= 300  # the hostile value is never echoed whole
