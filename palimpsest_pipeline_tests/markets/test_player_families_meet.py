"""BetPawa's player families and SportyBet's same bets under one key, on SportyBet's real deep capture.

A BetPawa answer is built here from SportyBet's capture of Cruz Azul v Pumas (sr71583282): each BetPawa
player market lists the players SportyBet prices in the same bet, named in full as BetPawa writes them
(no team, given names first), at a price derived from SportyBet's for that player (x 0.96, so a price landing
on another player's key would show). Both answers go through the real parsers and the capture's player
resolution. The key each BetPawa price must land on is written here by hand from SportyBet's raw outcome
(UOF market, specifier and the id its outcome carries; a canonical key spelt out), never from the grammar.

Families: goalscorers (UOF 38/39/40) and "Player to Score or Assist" meet SportyBet's; "Player Saves" meets
on its overs (SportyBet lists "N+" only). "Player Shots" / "Player Shots on Target" cannot meet SportyBet's
UOF 776/777: those count overtime and name the match in their variant (docs/markets-grammar.md), so they
stay canonical per player, and must never land on a SportyBet key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, NamedTuple

import orjson
import pytest

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.markets.grammar.phrases import read_market_name
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.parsing import parse_body
from palimpsest_pipeline.scrape.odds.players import resolve_event_players
from palimpsest_pipeline_tests.books.payloads import captured

AT = datetime(2026, 11, 25, tzinfo=UTC)
MATCH = 71583282
DESCRIBED = 2_000_003  # the grammar's canonical market id (markets/grammar/canonical.py)
OVER, YES = 12, 74  # UOF's generic outcome ids
FACTOR = 0.96

Key = tuple[int, str, int]
_PLAYER_ID = re.compile(r"^(?:sr:player:|pre:playerprops:\d+:)(\d+)")
_TEAM = re.compile(r"\s*\([^()]*\)\s*$")
_AT_LEAST = re.compile(r"^(.*?) (\d+)\+$")


def _sportybet() -> dict[str, Any]:
    return captured("sportybet", "event_sr71583282_asian_handicap.json")


def _open_outcomes(
    payload: dict[str, Any], market_id: str
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(market, outcome) of each open outcome of the SportyBet markets with this id (as the bench walks)."""
    for market in payload["data"]["markets"]:
        if market["id"] != market_id or market.get("status") != 0 or market.get("banned"):
            continue
        for outcome in market["outcomes"]:
            if outcome.get("isActive") == 1 and float(outcome["odds"]) > 1:
                yield market, outcome


def _betpawa_names(payload: dict[str, Any]) -> dict[int, str]:
    """Each SportyBet player's name as BetPawa writes it: the longest name SportyBet gives the player with
    the given names first ("Nicolas Alejandro Ibanez"), else its "Surname, First" turned round."""
    names: dict[int, str] = {}
    for market in payload["data"]["markets"]:
        for outcome in market["outcomes"]:
            found = _PLAYER_ID.match(str(outcome["id"]))
            if not found:
                continue
            text = _TEAM.sub("", _AT_LEAST.sub(r"\1", outcome["desc"]))
            if "," in text:
                surname, _, given = text.partition(",")
                text = f"{given.strip()} {surname.strip()}"
            player = int(found.group(1))
            if len(text) > len(names.get(player, "")):
                names[player] = text
    return names


def _price(sportybet_odds: str) -> float:
    """BetPawa's price made from SportyBet's: lower, and still a price (above 1)."""
    return max(1.01, round(float(sportybet_odds) * FACTOR, 2))


class _Built:
    """BetPawa's markets and, per BetPawa price (by its name and line), the key it must land on and the
    SportyBet price it was made from (None where SportyBet has no such key)."""

    def __init__(self) -> None:
        self.markets: list[dict[str, Any]] = []
        self.expected: dict[tuple[str, str, str | None], tuple[Key, float, float | None]] = {}
        self._ids = iter(range(1, 1_000_000))

    def market(self, name: str, rows: list[list[tuple[str, float, str | None, Key, float | None]]]) -> None:
        built = []
        for row in rows:
            prices = []
            for text, odds, line, key, source in row:
                prices.append({"id": str(next(self._ids)), "typeId": "9", "name": text, "handicap": line,
                               "odds": odds})  # fmt: skip
                self.expected[(name, text, line)] = (key, odds, source)
            body: dict[str, Any] = {"id": str(next(self._ids)), "prices": prices}
            if row[0][2] is not None:
                body["specifier"] = {"total": row[0][2]}
            built.append(body)
        self.markets.append({"marketType": {"id": str(len(self.markets) + 1), "name": name}, "row": built})


def _build(payload: dict[str, Any]) -> _Built:
    names = _betpawa_names(payload)
    built = _Built()
    for market_id, name in (
        ("38", "First Goalscorer"),
        ("39", "Last Goalscorer"),
        ("40", "Anytime Goalscorer"),
    ):
        rows = []
        for market, outcome in _open_outcomes(payload, market_id):
            player = int(outcome["id"].removeprefix("sr:player:"))
            key = (int(market_id), market["specifier"], player)  # UOF's own: "goalnr=1|type=prematch"
            rows.append([(names[player], _price(outcome["odds"]), None, key, float(outcome["odds"]))])
        built.market(name, rows)
    rows = []
    for _market, outcome in _open_outcomes(payload, "800289"):  # SportyBet's "Player To Score or Assist"
        player = int(_PLAYER_ID.match(outcome["id"]).group(1))  # type: ignore[union-attr]
        key = (DESCRIBED, f"market=score.match.player.scoreorassist|player={player}", YES)
        rows.append([(names[player], _price(outcome["odds"]), None, key, float(outcome["odds"]))])
    built.market("Player to Score or Assist", rows)
    saves: dict[int, list[tuple[str, float, str | None, Key, float | None]]] = {}
    for _market, outcome in _open_outcomes(payload, "800297"):  # "Player Saves": "<keeper> (<team>) N+"
        player = int(_PLAYER_ID.match(outcome["id"]).group(1))  # type: ignore[union-attr]
        line = f"{int(_AT_LEAST.match(outcome['desc']).group(2)) - 0.5:g}"  # type: ignore[union-attr]
        key = (DESCRIBED, f"market=saves.match.player.total|player={player}|total={line}", OVER)
        saves.setdefault(player, []).append((f"{names[player]} Over", _price(outcome["odds"]), line, key,
                                             float(outcome["odds"])))  # fmt: skip
    built.market("Player Saves", [[price] for prices in saves.values() for price in prices])
    for market_id, name, counted in (("776", "Player Shots", "shots"), ("777", "Player Shots on Target",
                                                                        "shotsontarget")):  # fmt: skip
        rows = []
        for _market, outcome in _open_outcomes(payload, market_id):
            player = int(_PLAYER_ID.match(outcome["id"]).group(1))  # type: ignore[union-attr]
            at_least = int(_AT_LEAST.match(outcome["desc"]).group(2))  # type: ignore[union-attr]
            key = (DESCRIBED, f"market={counted}.match.player.total|player={player}|total={at_least - 0.5:g}",
                   OVER)  # fmt: skip
            rows.append([(f"{names[player]} {at_least}+", _price(outcome["odds"]), None, key, None)])
        built.market(name, rows)
    return built


def _parsed(book: Book, payload: Any) -> EventOdds:
    parsed = parse_body(book, orjson.dumps(payload), sr_id=MATCH, captured_at=AT, with_fields=False)
    assert isinstance(parsed, EventOdds), parsed
    return parsed


def _stored(parsed: EventOdds) -> dict[Key, float]:
    return {
        (row.market, row.specifier, row.outcome): row.price
        for row in parsed.rows
        if row.state == "open" and row.price is not None
    }


class _Met(NamedTuple):
    built: _Built
    betpawa: dict[Key, float]
    sportybet: dict[Key, float]
    set_aside: int

    def made(self, family: str) -> list[tuple[Key, float, float | None]]:
        """(key, BetPawa price, SportyBet's source price) of each price built in ``family``."""
        return [made for (name, _text, _line), made in self.built.expected.items() if name == family]


@pytest.fixture(scope="module")
def met() -> _Met:
    sportybet_payload = _sportybet()
    built = _build(sportybet_payload)
    parsed = {
        Book.BETPAWA: _parsed(Book.BETPAWA, {"id": "1", "category": {"id": "2"}, "markets": built.markets}),
        Book.SPORTYBET: _parsed(Book.SPORTYBET, sportybet_payload),
    }
    parsed.update(resolve_event_players(parsed))
    betpawa = parsed[Book.BETPAWA]
    return _Met(built, _stored(betpawa), _stored(parsed[Book.SPORTYBET]), betpawa.set_aside_outcomes)


def test_every_resolved_betpawa_player_price_is_stored_under_the_hand_written_key(met: _Met) -> None:
    expected = {key: odds for key, odds, _source in met.built.expected.values()}
    assert len(expected) == len(met.built.expected)  # no two built prices share a key
    # a name SportyBet lists under two ids (or none) is set aside, never guessed
    assert set(met.betpawa) <= set(expected)
    assert all(met.betpawa[key] == expected[key] for key in met.betpawa)
    assert len(met.betpawa) >= 0.95 * len(expected), (len(met.betpawa), len(expected))
    assert met.set_aside == len(expected) - len(met.betpawa)


@pytest.mark.parametrize(
    "family",
    [
        "First Goalscorer",
        "Last Goalscorer",
        "Anytime Goalscorer",
        "Player to Score or Assist",
        "Player Saves",
    ],
)
def test_betpawas_family_meets_sportybets_same_bet_at_the_price_it_was_made_from(
    met: _Met, family: str
) -> None:
    made = met.made(family)
    assert made, family
    stored = [(key, odds, source) for key, odds, source in made if key in met.betpawa]
    assert len(stored) >= 0.95 * len(made)
    for key, odds, source in stored:
        assert met.betpawa[key] == odds
        assert met.sportybet.get(key) == source, key  # the same player's same bet on SportyBet


@pytest.mark.parametrize("family", ["Player Shots", "Player Shots on Target"])
def test_betpawas_shots_stay_canonical_per_player_and_meet_no_sportybet_key(met: _Met, family: str) -> None:
    stored = [key for key, _odds, _source in met.made(family) if key in met.betpawa]
    assert len(stored) >= 0.95 * len(met.made(family))
    assert not any(key in met.sportybet for key in stored)
    assert not any(market in (776, 777) for market, _s, _o in met.betpawa)


def test_betpawas_player_families_met_on_sportybet_share(met: _Met) -> None:
    """Every stored BetPawa player price but the shots is priced by SportyBet under the same key (the shots'
    count is known from SportyBet's own listing)."""
    shots = len(met.made("Player Shots")) + len(met.made("Player Shots on Target"))
    assert sum(key in met.sportybet for key in met.betpawa) >= len(met.betpawa) - shots


def test_score_or_assist_is_a_players_bet_whatever_the_name_leaves_out() -> None:
    # SportyBet names the market "Player To Score or Assist" and describes it "To Score or Assist"
    for name in ("To Score or Assist", "Player To Score or Assist", "Player to score or provide an assist"):
        reading = read_market_name(name)
        assert (reading.scope, reading.bet) == ("player", "scoreorassist"), name  # type: ignore[union-attr]
    assert "two scopes" in str(read_market_name("Home to score or assist"))
