"""BetPawa's keyer keys each market by a plan the engine remembers per market shape: a payload differing in
one field the plan reads must get its own plan, and what is read per event (values, keys already given)
never leaks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from palimpsest_pipeline.books.betpawa import keys
from palimpsest_pipeline.books.betpawa.odds import parse_odds
from palimpsest_pipeline.markets.players import name_key

AT = datetime(2026, 11, 26, 12, tzinfo=UTC)
#: UOF 18 "Total": over 12, under 13.
OVER, UNDER = (18, "total={line}", 12), (18, "total={line}", 13)


def _total_event(handicap: Any, odds: tuple[Any, Any] = (1.9, 1.95), before: int = 0) -> dict[str, Any]:
    """A football event whose one over/under row gives its line only in ``row.handicap`` (quarter units),
    after ``before`` markets of no rows."""
    market = {
        "marketType": {"id": "5000", "name": "Total Score Over/Under - FT"},
        "row": [
            {
                "handicap": handicap,
                "prices": [
                    {"name": "Over", "typeId": "5001", "odds": odds[0]},
                    {"name": "Under", "typeId": "5002", "odds": odds[1]},
                ],
            }
        ],
    }
    empty = [{"marketType": {"id": str(index)}, "row": []} for index in range(before)]
    return {"category": {"id": "2"}, "markets": [*empty, market]}


def _keys(payload: dict[str, Any]) -> list[tuple[int, str, int, float | None, str]]:
    parse = parse_odds(payload, sr_id=7, captured_at=AT)
    return [(row.market, row.specifier, row.outcome, row.price, row.state) for row in parse.rows]


def _key(outcome: tuple[int, str, int], line: str, price: float) -> tuple[int, str, int, float, str]:
    return outcome[0], outcome[1].format(line=line), outcome[2], price, "open"


@pytest.mark.parametrize("order", [(1, True, 1.0), (True, 1, 1.0), (1.0, True, 1)])
def test_a_line_of_another_type_gets_its_own_plan(order: tuple[Any, ...]) -> None:
    """1, 1.0 and True are equal keys: a plan made for the quarter line 1 (0.25 goals) must not key a row
    whose handicap is the boolean True, which is no line (set aside), nor the other way round."""
    for handicap in order:
        parse = parse_odds(_total_event(handicap), sr_id=7, captured_at=AT)
        if handicap is True:
            assert parse.rows == []
            reason = "betpawa odds payload at markets[0].row[0]: row.handicap: unreadable line (True)"
            assert parse.malformed == [reason, reason]
            assert parse.unmapped == {"malformed:5000": 2}
        else:
            assert _keys(_total_event(handicap)) == [_key(OVER, "0.25", 1.9), _key(UNDER, "0.25", 1.95)]
            assert parse.malformed == [] and parse.open_outcomes == parse.mapped_outcomes == 2


def test_values_are_read_per_event_and_placed_in_it() -> None:
    """Same shape, three events: the plan keys the prices, the values are each event's own, and a bad value
    is set aside where it is in its own event (its market's index there), costing only its price."""
    assert _keys(_total_event(10)) == [_key(OVER, "2.5", 1.9), _key(UNDER, "2.5", 1.95)]
    assert _keys(_total_event(10, odds=(2.1, 1.0))) == [
        _key(OVER, "2.5", 2.1),
        (18, "total=2.5", 13, None, "suspended"),  # a price of 1 is closed
    ]
    parse = parse_odds(_total_event(10, odds=(1.8, "abc"), before=2), sr_id=7, captured_at=AT)
    assert [(row.outcome, row.price) for row in parse.rows] == [(12, 1.8)]
    where = "markets[2].row[0].prices[1].odds"
    assert parse.malformed == [f"betpawa odds payload at {where}: price 'abc' is not a number"]
    assert (parse.open_outcomes, parse.mapped_outcomes, parse.unmapped) == (1, 1, {"malformed:5000": 1})
    assert parse.unread_lines == {(18, "total=2.5")}  # the over was keyed beside an outcome set aside


def test_a_key_is_given_once_per_event_not_once_per_process() -> None:
    """The same market listed twice in one event at the same prices: each price counted once, the second
    listing as a duplicate; the next event of that shape keys its own prices again."""
    twice = _total_event(10)
    twice["markets"] = twice["markets"] * 2
    for _event in range(2):
        parse = parse_odds(twice, sr_id=7, captured_at=AT)
        assert len(parse.rows) == 2
        assert (parse.open_outcomes, parse.mapped_outcomes, parse.unmapped) == (2, 2, {})
        assert parse.duplicate_listings == 2


def _scorers(*names: str) -> dict[str, Any]:
    rows = [{"prices": [{"name": name, "typeId": f"90{i}", "odds": 3.0}]} for i, name in enumerate(names)]
    market = {"marketType": {"id": "129108", "name": "Anytime Goalscorer"}, "row": rows}
    return {"category": {"id": "2"}, "markets": [market]}


def test_players_are_each_events_own() -> None:
    """Anytime goalscorer (UOF 40): each player keyed by the name's key and the text kept; a market of the
    same length with another name keys that name, and a second spelling of a name already taken stays
    unkeyed."""
    for names in (("Kylian Mbappe", "Erling Haaland"), ("Harry Kane", "Erling Haaland")):
        parse = parse_odds(_scorers(*names), sr_id=7, captured_at=AT)
        keys = [(40, "type=prematch", name_key(name)) for name in names]
        assert [(row.market, row.specifier, row.outcome) for row in parse.rows] == keys
        assert parse.player_names == dict(zip(keys, names, strict=True))
    parse = parse_odds(_scorers("Harry Kane", "Harry  Kane"), sr_id=7, captured_at=AT)
    assert [row.outcome for row in parse.rows] == [name_key("Harry Kane")]
    assert (parse.open_outcomes, parse.mapped_outcomes, parse.unmapped) == (2, 1, {"129108": 1})


def _specified(total: Any) -> dict[str, Any]:
    """A football over/under whose one row gives its line only in the row's specifier (read in goals)."""
    prices = [
        {"name": "Over", "typeId": "5001", "odds": 1.9},
        {"name": "Under", "typeId": "5002", "odds": 1.95},
    ]
    row = {"specifier": {"total": total}, "prices": prices}
    market = {"marketType": {"id": "5000", "name": "Total Score Over/Under - FT"}, "row": [row]}
    return {"category": {"id": "2"}, "markets": [market]}


@pytest.mark.parametrize("order", [(1, True), (True, 1)])
def test_a_specifiers_value_of_another_type_gets_its_own_plan(order: tuple[Any, ...]) -> None:
    """Inside the specifier object too: total 1 is a line of one goal, total True no line at all."""
    for total in order:
        parse = parse_odds(_specified(total), sr_id=7, captured_at=AT)
        if total is True:
            reason = "betpawa odds payload at markets[0].row[0]: row.specifier.total: unreadable line (True)"
            assert parse.rows == [] and parse.malformed == [reason, reason]
        else:
            assert _keys(_specified(total)) == [_key(OVER, "1", 1.9), _key(UNDER, "1", 1.95)]


def _shots(*players: str) -> dict[str, Any]:
    """Player Shots: one row per player, priced "<player> 1+" and "<player> 2+" (at least one, two shots)."""
    rows = [
        {
            "prices": [
                {"name": f"{player} {count}+", "typeId": f"129121{count}", "odds": 1.5 * count}
                for count in (1, 2)
            ]
        }
        for player in players
    ]
    market = {"marketType": {"id": "129121", "name": "Player Shots"}, "row": rows}
    return {"category": {"id": "2"}, "markets": [market]}


def _shots_key(player: str, total: str) -> tuple[int, str, int]:
    """A player's over ``total`` shots: the canonical key (markets/grammar/canonical.py) its description
    reads, written out by hand: over is UOF's generic outcome 12."""
    spec = f"market=shots.match.player.total|player={name_key(player)}|total={total}"
    return (2_000_003, spec, 12)


def test_players_shots_are_keyed_by_each_events_players() -> None:
    """Two events of one player shape (two players, 1+ and 2+ each): each keys its own players' name keys
    into the specifier, and the text kept is its own."""
    for players in (("Kylian Mbappe", "Erling Haaland"), ("Harry Kane", "Bukayo Saka")):
        parse = parse_odds(_shots(*players), sr_id=7, captured_at=AT)
        keys = [_shots_key(player, total) for player in players for total in ("0.5", "1.5")]
        assert [(row.market, row.specifier, row.outcome) for row in parse.rows] == keys
        texts = [f"{player} {count}+" for player in players for count in (1, 2)]
        assert parse.player_names == dict(zip(keys, texts, strict=True))
        assert (parse.open_outcomes, parse.mapped_outcomes, parse.malformed) == (4, 4, [])


def test_a_player_listed_twice_is_not_two_players() -> None:
    """One shape has two players, another the same player twice (what the grammar refuses: two outcomes
    keyed alike): the second must not take the first's plan, whichever comes first."""
    for first in (True, False):
        pairs = (("Kylian Mbappe", "Erling Haaland"), ("Kylian Mbappe", "Kylian Mbappe"))
        for players in pairs if first else pairs[::-1]:
            parse = parse_odds(_shots(*players), sr_id=7, captured_at=AT)
            if players[0] == players[1]:
                assert parse.rows == [] and parse.unmapped == {"129121": 4}
            else:
                assert len(parse.rows) == 4 and parse.unmapped == {}


#: UOF 38 "First goalscorer" (goal 1, before kick-off); 1716 is its "no goal" outcome.
FIRST_SCORER = (38, "goalnr=1|type=prematch")


def _first_scorers(*names: Any) -> dict[str, Any]:
    rows = [{"prices": [{"name": name, "typeId": f"90{i}", "odds": 3.0}]} for i, name in enumerate(names)]
    market = {"marketType": {"id": "129101", "name": "First Goalscorer"}, "row": rows}
    return {"category": {"id": "2"}, "markets": [market]}


@pytest.mark.parametrize(
    "odd_name",
    [
        "No Goalscorer",  # UOF's "no goal" outcome, not a player
        "Kylian MBAPPE",  # no plain name: planned for itself
        "Kylian Mbappe (PSG)",
        "K. Mbappe",
        "x" * 300,  # past the length cap: set aside, never a player
        7,
    ],
)
def test_a_name_that_is_no_plain_player_is_read_as_itself(odd_name: Any) -> None:
    """A first goalscorer list with one odd name after a list of the same length of plain players (whose
    plan is then known): the odd name is read as the grammar reads it, the plain player keyed as before."""
    parse_odds(_first_scorers("Harry Kane", "Bukayo Saka"), sr_id=7, captured_at=AT)
    parse = parse_odds(_first_scorers("Harry Kane", odd_name), sr_id=7, captured_at=AT)
    keys = [(row.market, row.specifier, row.outcome) for row in parse.rows]
    assert keys[0] == (*FIRST_SCORER, name_key("Harry Kane"))
    if odd_name == "No Goalscorer":
        assert keys[1:] == [(*FIRST_SCORER, 1716)]
    elif isinstance(odd_name, str) and len(odd_name) < 200:
        assert keys[1:] == [(*FIRST_SCORER, name_key(odd_name))]  # its name key, as the grammar reads it
    else:
        assert keys[1:] == [] and parse.unmapped == {"malformed:129101": 1}
        assert parse.malformed[0].startswith(
            "betpawa odds payload at markets[0].row[1].prices[0]: price name"
        )


def test_no_goal_after_a_plain_player_shape_is_no_player() -> None:
    """ "No Goalscorer" in a list whose other names are players: once a shape with it is known, a list of
    the same shape with other players keys "no goal" again, and a list of only players (whose plan could
    be taken for it) keys them all as players."""
    for players in (("Harry Kane", "Bukayo Saka"), ("Erling Haaland", "Phil Foden")):
        parse = parse_odds(_first_scorers(*players, "No Goalscorer"), sr_id=7, captured_at=AT)
        expected = [(*FIRST_SCORER, name_key(player)) for player in players] + [(*FIRST_SCORER, 1716)]
        assert [(row.market, row.specifier, row.outcome) for row in parse.rows] == expected
    parse = parse_odds(_first_scorers("Harry Kane", "Bukayo Saka", "Declan Rice"), sr_id=7, captured_at=AT)
    assert [row.outcome for row in parse.rows][2] == name_key("Declan Rice")


def test_a_market_shape_is_planned_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A player list seen before (the same event captured again) takes its remembered plan: the keyer reads
    none of its names."""
    parse_odds(_shots("Kylian Mbappe", "Erling Haaland"), sr_id=7, captured_at=AT)
    made: list[str] = []
    planner = keys.BetPawaKeyer.plan
    monkeypatch.setattr(
        keys.BetPawaKeyer, "plan", lambda keyer, *rest: made.append("plan") or planner(keyer, *rest)
    )
    parse = parse_odds(_shots("Kylian Mbappe", "Erling Haaland"), sr_id=7, captured_at=AT)
    assert made == [] and len(parse.rows) == 4


def test_a_player_form_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Player lists of one form in later events (other players) take its reading: the grammar reads none of
    their names, and each event's players are keyed."""
    parse_odds(_shots("Kylian Mbappe", "Erling Haaland"), sr_id=7, captured_at=AT)
    made: list[str] = []
    reader = keys.grammar.read_market
    monkeypatch.setattr(
        keys.grammar, "read_market", lambda market, sport: made.append("read") or reader(market, sport)
    )
    parse = parse_odds(_shots("Declan Rice", "Phil Foden"), sr_id=7, captured_at=AT)
    assert made == []
    assert [row.specifier for row in parse.rows][::2] == [
        _shots_key(player, "0.5")[1] for player in ("Declan Rice", "Phil Foden")
    ]
