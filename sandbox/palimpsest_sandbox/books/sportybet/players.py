"""SportyBet's player markets, in the shapes of the deep capture (``event_sr71583282_asian_handicap.json``).

Three goalscorer markets (UOF 38/39/40: one outcome per player plus "No Goal") from a depth of 0.2; per
player UOF props (775 goals, 776 shots, 777 shots on goal, 770 assists: one market per player, specifier
``variant=pre:playerprops:<match>:<player>``, outcomes ``...:<player>:<n>`` for "n+") from 0.35; SportyBet's
own 800xxx families (one market each, outcomes ``pre:playerprops:<match>:<player>:<n>:<team>``) from 0.5,
more families the deeper the event. Goalscorers, the per-player counts, "To Score or Assist" and
"Player Saves" are priced from the roster's fair probabilities (markets/players.py), as BetPawa prices the
same bets; the other families are noise. The object keys are those of the prematch capture's outcomes (the
contract tests compare them), so the capture's ``playerName``/``playerScore`` are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from random import Random
from typing import Any

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.markets.players import (
    SquadPlayer,
    anytime_probability,
    assists_at_least,
    first_probability,
    goals_at_least,
    no_goal_probability,
    prop_version,
    roster_for,
    saves_probability,
    score_or_assist_probability,
    shots_at_least,
    shots_on_target_at_least,
    threshold_odds,
)
from palimpsest_sandbox.markets.shared_props import odds_at

_GOALSCORERS = (
    ("38", "1st Goalscorer", "goalnr=1|type=prematch"),
    ("39", "Last Goalscorer", "type=prematch"),
    ("40", "Anytime Goalscorer", "type=prematch"),
)
#: (UOF market, desc, "n+" thresholds)
_PER_PLAYER = (
    ("775", "Player goals (incl. overtime)", 3),
    ("776", "Player shots (incl. overtime)", 5),
    ("777", "Player shots on goal (incl. overtime)", 5),
    ("770", "Player assists (incl. overtime)", 2),
)
#: SportyBet's own player families: (market id, desc, "n+" thresholds), deepest last.
_FAMILIES = tuple(
    (str(mid), desc, thresholds)
    for mid, desc, thresholds in (
        (800291, "Player Fouls", 3),
        (800261, "Player 2nd half shots on target", 2),
        (800285, "Player 1st half shots on target", 2),
        (800234, "Player right foot shots on target", 2),
        (800233, "Player left foot shots on target", 2),
        (800231, "Player shots on target outside box", 2),
        (800292, "Player Total Accurate Passes", 2),
        (800280, "Player Offsides", 2),
        (800119, "Player To Be Sent Off", 1),
        (800118, "First Player Carded", 1),
        (800189, "To Score From Outside the Box", 1),
        (800190, "To Score a Header", 1),
        (800201, "First to Score for their Team", 1),
        (800191, "Player to Score Free-Kick", 1),
        (800236, "Player to score with left foot", 1),
        (800237, "Player to score with right foot", 1),
        (800238, "Player to score in 1st half", 1),
        (800239, "Player to score in 2nd half", 1),
        (800249, "To score in first 10 mins", 1),
        (800289, "To Score or Assist", 1),
        (800290, "To Score and Assist", 1),
        (800297, "Player Saves", 3),
        (800251, "Player to score in both halves", 1),
        (800293, "Player Tackles", 3),
        (800294, "Player Crosses", 3),
        (800295, "Player Key Passes", 2),
    )
)
_CODE_BASE = 0x9_000_000
#: Share of the listed players the per-player props name (the squad's regulars, as BetPawa's props).
PROPS_SHARE = 0.62
#: Player bets every book that lists them prices from the roster's fair probabilities: (match, player, n) ->
#: P(at least n). UOF's per-player counts, and the SportyBet families other books also list.
PlayerChance = Callable[[int, SquadPlayer, int], float]
_AT_LEAST: dict[str, PlayerChance] = {
    "775": lambda _seed, p, n: goals_at_least(p, n),
    "776": lambda _seed, p, n: shots_at_least(p, n),
    "777": lambda _seed, p, n: shots_on_target_at_least(p, n),
    "770": assists_at_least,
}
_FAMILY_FAIR: dict[str, PlayerChance] = {
    "800289": lambda seed, p, _n: score_or_assist_probability(seed, p),
    "800297": saves_probability,
}
#: A player's chance is never priced below this (a long shot still has a price).
MIN_PROBABILITY = 0.002


def _fair_odds(probability: float, draw: int, n: int) -> float:
    return odds_at(Book.SPORTYBET, max(MIN_PROBABILITY, probability), draw, n)


MarketFactory = Callable[..., dict[str, Any]]
OutcomeFactory = Callable[[str, float, bool, str], dict[str, Any]]


def _changed(market_version: int) -> int:
    return 1_778_000_000_000 + market_version * 60_000


def _goalscorer_price(
    match_seed: int, market_id: str, draw: int
) -> Callable[[SquadPlayer | None, int], float]:
    """SportyBet's odds of a player (None: "No Goal") in one goalscorer market, from the roster's fair
    probabilities every book shares: anytime (40), first (38) and last (39, the first's by symmetry)."""

    def price(player: SquadPlayer | None, n: int) -> float:
        if player is None:
            probability = no_goal_probability(match_seed)
        elif market_id == "40":
            probability = anytime_probability(player)
        else:
            probability = first_probability(match_seed, player)
        return odds_at(Book.SPORTYBET, max(probability, 0.002), draw, n)

    return price


def render(
    match_seed: int,
    version: int,
    depth: float,
    market: MarketFactory,
    outcome: OutcomeFactory,
    teams: tuple[str, str] = ("Home", "Away"),
) -> list[dict[str, Any]]:
    """The player markets of one match version at ``depth`` (none below 0.2). SportyBet's own families
    print each player with the team's name ("Uriel Antuna (Pumas) 2+"), "N+" only where there are lines;
    their outcome ids end in the side (1 home, 2 away), after N where there is one."""
    if depth < 0.2:
        return []
    squad = roster_for(match_seed, depth)
    players = [(p.sr_id, p.short_name()) for p in squad]
    out: list[dict[str, Any]] = []
    for index, (market_id, desc, spec) in enumerate(_GOALSCORERS):
        market_version, draw = prop_version(match_seed, version, _CODE_BASE + index)
        price = _goalscorer_price(match_seed, market_id, draw)
        rendered = [outcome("1716", price(None, 0), True, "No Goal")]
        rendered += [
            outcome(f"sr:player:{p.sr_id}", price(p, n), True, p.listed_name())
            for n, p in enumerate(squad, start=1)
        ]
        out.append(market(market_id, desc, spec, rendered, _changed(market_version), group="Player"))
    if depth >= 0.35:
        props = squad[: round(len(squad) * PROPS_SHARE)]
        for index, (market_id, desc, thresholds) in enumerate(_PER_PLAYER):
            at_least = _AT_LEAST[market_id]
            for listed in props:
                number, name = listed.sr_id, listed.short_name()
                code = _CODE_BASE + (index + 1) * 10_000_000 + number
                market_version, draw = prop_version(match_seed, version, code)
                variant = f"pre:playerprops:{match_seed}:{number}"
                rendered = [
                    outcome(f"{variant}:{n}", _fair_odds(at_least(match_seed, listed, n), draw, n), True,
                            f"{name} {n}+")
                    for n in range(1, thresholds + 1)
                ]  # fmt: skip
                out.append(
                    market(
                        market_id,
                        desc,
                        f"variant={variant}",
                        rendered,
                        _changed(market_version),
                        group="Players",
                    )
                )
    families = round(len(_FAMILIES) * max(0.0, depth - 0.5) / 0.5)
    for index, (market_id, desc, thresholds) in enumerate(_FAMILIES[:families]):
        market_version, draw = prop_version(match_seed, version, _CODE_BASE + 100 + index)
        rendered = []
        draws = Random(draw)
        fair = _FAMILY_FAIR.get(market_id)
        for team_index, (number, name) in enumerate(players):
            team = 1 + team_index % 2
            player = f"{name} ({teams[team - 1]})"
            uniform = draws.random()
            odds = [
                threshold_odds(uniform, n)
                if fair is None
                else _fair_odds(fair(match_seed, squad[team_index], n), draw + team_index, n)
                for n in range(thresholds + 1)
            ]
            if thresholds == 1:
                ref = f"pre:playerprops:{match_seed}:{number}:{team}"
                rendered.append(outcome(ref, odds[1], True, player))
                continue
            for n in range(1, thresholds + 1):
                ref = f"pre:playerprops:{match_seed}:{number}:{n}:{team}"
                rendered.append(outcome(ref, odds[n], True, f"{player} {n}+"))
        out.append(market(market_id, desc, None, rendered, _changed(market_version), group="Players"))
    return out
