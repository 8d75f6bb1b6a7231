"""BetPawa's player markets: one row per player, the player named in full in the price's ``name``
("Kylian Sanmi Mbappe Lottin"), as issue 32 saw on real v4 responses.

Drawn from the match's roster (markets/players.py) and priced from the fair probabilities every book shares,
so the books' prices for one player agree within their margins once BetPawa's names are resolved to
SportRadar ids: goalscorers (anytime; first, second and last, each with "No Goalscorer"), to
score or assist, to be carded ("Yes" bets, the player's name alone), shots and shots on target
("<name> N+"), and the goalkeepers' saves (over/under a line: "<name> Over" with the line in the price's
``handicap`` and in the row's fields, in the shape the event is served in).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from palimpsest_pipeline.markets.specifiers import format_line
from palimpsest_pipeline.records import Book
from palimpsest_sandbox.markets.players import (
    SquadPlayer,
    anytime_probability,
    carded_probability,
    goalkeeper,
    no_goal_probability,
    nth_probability,
    prop_version,
    roster_for,
    saves_at_least,
    score_or_assist_probability,
    shots_at_least,
    shots_on_target_at_least,
)
from palimpsest_sandbox.markets.shared_props import odds_at

#: From this depth BetPawa lists an Anytime Goalscorer market (as on the captured Chinese Super League match).
SCORERS_FROM_DEPTH = 0.4
#: From this depth the other goalscorers, and from the next the player props, as on the deep v4 match.
MORE_SCORERS_FROM_DEPTH = 0.55
PROPS_FROM_DEPTH = 0.7
#: Share of the listed players the props name (the squad's regulars), as SportyBet's per-player props.
PROPS_SHARE = 0.62
#: The saves lines BetPawa lists for each goalkeeper.
SAVES_LINES = (1.5, 2.5, 3.5, 4.5)
#: A player's chance is never priced below this (a long shot still has a price).
MIN_PROBABILITY = 0.002
NO_SCORER = "No Goalscorer"
ANYTIME = "129108"

Fair = Callable[[int, SquadPlayer], float]
#: Goalscorer markets: (marketType id, name, fair chance of a player, from depth). 129108 is the captured id.
_SCORERS: tuple[tuple[str, str, Fair, float], ...] = (
    ("129108", "Anytime Goalscorer", lambda _seed, p: anytime_probability(p), SCORERS_FROM_DEPTH),
    ("129101", "First Goalscorer", lambda seed, p: nth_probability(seed, p, 1), MORE_SCORERS_FROM_DEPTH),
    ("129102", "2nd Goalscorer", lambda seed, p: nth_probability(seed, p, 2), MORE_SCORERS_FROM_DEPTH),
    ("129103", "Last Goalscorer", lambda seed, p: nth_probability(seed, p, 1), MORE_SCORERS_FROM_DEPTH),
)
#: "Yes" bets per player: (marketType id, name, fair chance).
_YES_BETS: tuple[tuple[str, str, Fair], ...] = (
    ("129111", "Player to Score or Assist", score_or_assist_probability),
    ("129112", "Player to be Carded", carded_probability),
)
#: Counts per player: (marketType id, name, P(at least n), largest n listed).
_COUNTS: tuple[tuple[str, str, Callable[[SquadPlayer, int], float], int], ...] = (
    ("129121", "Player Shots", shots_at_least, 3),
    ("129122", "Player Shots on Target", shots_on_target_at_least, 2),
)
_SAVES_TYPE = "129131"
_CODE_BASE = 0xB_000_000

PriceFactory = Callable[[int, str, str, float, str | None, bool], dict[str, Any]]


def _market(type_id: str, name: str, priority: int, rows: list[dict[str, Any]]) -> dict[str, Any]:
    market_type = {
        "id": type_id,
        "name": name,
        "displayName": name,
        "explainer": f"{name}: regular playing time only.",
        "priority": priority,
        "tabs": ["players", "all"],
    }
    return {"marketType": market_type, "row": rows, "additionalInfo": {"cashoutable": True}}


def render(
    match_seed: int,
    version: int,
    depth: float,
    next_id: int,
    price: PriceFactory,
    lined_row: Callable[[int, float], dict[str, Any]],
) -> list[dict[str, Any]]:
    """BetPawa's player markets of one match version at ``depth`` (none below SCORERS_FROM_DEPTH), their
    price ids from ``next_id``; ``price`` builds one price and ``lined_row`` the fields of a row on a total
    line (in the shape the event is served in) as the book's other markets do."""
    if depth < SCORERS_FROM_DEPTH:
        return []
    squad = roster_for(match_seed, depth)
    regulars = squad[: round(len(squad) * PROPS_SHARE)]
    ids = iter(range(next_id, next_id + 10_000_000))
    out: list[dict[str, Any]] = []

    def row(
        type_id: str, draw: int, priced: Sequence[tuple[str, float, str | None]], total: float | None = None
    ) -> dict[str, Any]:
        prices: list[dict[str, Any]] = []
        for n, (name, probability, line) in enumerate(priced):
            odds = odds_at(Book.BETPAWA, max(MIN_PROBABILITY, probability), draw, n)
            prices.append(price(next(ids), str(int(type_id) * 10 + n), name, odds, line, False))
        row_id = next(ids)
        body: dict[str, Any] = {"id": str(row_id)} if total is None else lined_row(row_id, total)
        body["prices"] = prices
        return body

    for type_id, name, fair, from_depth in _SCORERS:
        if depth < from_depth:
            continue
        _version, draw = prop_version(match_seed, version, _CODE_BASE + int(type_id))
        rows = [
            row(type_id, draw + i, [(p.full_name(), fair(match_seed, p), None)]) for i, p in enumerate(squad)
        ]
        if type_id != ANYTIME:  # as captured: the anytime market lists players only
            rows.append(row(type_id, draw, [(NO_SCORER, no_goal_probability(match_seed), None)]))
        out.append(_market(type_id, name, 200 + len(out), rows))
    if depth < PROPS_FROM_DEPTH:
        return out
    for type_id, name, fair in _YES_BETS:
        _version, draw = prop_version(match_seed, version, _CODE_BASE + int(type_id))
        rows = [
            row(type_id, draw + i, [(p.full_name(), fair(match_seed, p), None)])
            for i, p in enumerate(regulars)
        ]
        out.append(_market(type_id, name, 200 + len(out), rows))
    for type_id, name, at_least, most in _COUNTS:
        _version, draw = prop_version(match_seed, version, _CODE_BASE + int(type_id))
        rows = [
            row(
                type_id,
                draw + i,
                [(f"{p.full_name()} {n}+", at_least(p, n), None) for n in range(1, most + 1)],
            )
            for i, p in enumerate(regulars)
        ]
        out.append(_market(type_id, name, 200 + len(out), rows))
    _version, draw = prop_version(match_seed, version, _CODE_BASE + int(_SAVES_TYPE))
    rows = []
    for side in (1, 2):
        keeper = goalkeeper(match_seed, side)
        for line in SAVES_LINES:
            over = saves_at_least(match_seed, keeper, int(line + 0.5))
            text = format_line(line)
            priced = [
                (f"{keeper.full_name()} Over", over, text),
                (f"{keeper.full_name()} Under", 1 - over, text),
            ]
            rows.append(row(_SAVES_TYPE, draw + len(rows), priced, line))
    out.append(_market(_SAVES_TYPE, "Player Saves", 200 + len(out), rows))
    return out
