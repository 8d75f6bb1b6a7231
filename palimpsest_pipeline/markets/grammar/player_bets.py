"""Yes-bets listed one outcome per player ("To Score a Header": "Uriel Antuna (Pumas)", "Player to score in
1st half": ...): each outcome is "yes" to the market's bet for that player.

The player is the SportRadar id the book's outcome id carries (``pre:playerprops:<match>:<player>:<side>``),
never a spelling; the team in parentheses must be the side the id names. The key is canonical (UOF prices
player bets as one market per player only for counts), the same on every book that reads the same bet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from palimpsest_pipeline.markets.grammar.description import Description, Refusal
from palimpsest_pipeline.markets.grammar.outcomes import read_single
from palimpsest_pipeline.markets.grammar.resolve import Key, resolve
from palimpsest_pipeline.markets.grammar.thresholds import team_side

#: ``pre:playerprops:<match>:<player>:<side>``: one player, no count.
_PLAYER_OUTCOME = re.compile(r"^pre:playerprops:\d+:(?P<player>\d+):(?P<side>[12])$")
_NAME_AND_TEAM = re.compile(r"^(?P<name>.+?)\s*\((?P<team>[^)]+)\)$")


def lists_players(outcomes: Sequence[tuple[str, str]]) -> bool:
    """Whether every outcome is one player ("Name (Team)" under a player outcome id)."""
    return bool(outcomes) and all(
        _PLAYER_OUTCOME.match(ref) and _NAME_AND_TEAM.match(name.strip()) for ref, name in outcomes
    )


def read_player_bets(
    description: Description, outcomes: Sequence[tuple[str, str]], sport: str, *, home: str, away: str
) -> dict[str, Key | Refusal]:
    """outcome reference -> key (or why none) for a market of players, each a "yes" to ``description``."""
    if description.scope not in ("match", "player"):
        reason = Refusal(f"{description.text()}: a list of players in a {description.scope} market")
        return dict.fromkeys((ref for ref, _n in outcomes), reason)
    if read_single("yes", description.bet) != "yes":
        reason = Refusal(f"{description.text()}: a list of players under a bet that is not yes/no")
        return dict.fromkeys((ref for ref, _n in outcomes), reason)
    player_scope = Description(
        description.counted, description.period, "player", description.bet, description.qualifiers,
        description.params,
    )  # fmt: skip
    keys: dict[str, Key | Refusal] = {}
    for ref, name in outcomes:
        player, named = _PLAYER_OUTCOME.match(ref), _NAME_AND_TEAM.match(name.strip())
        if player is None or named is None:
            keys[ref] = Refusal(f"outcome {ref!r} ({name!r}) is not one player")
            continue
        side = "home" if player.group("side") == "1" else "away"
        if team_side(named.group("team"), home, away) != side:
            keys[ref] = Refusal(f"outcome {name!r}: the team is not the {side} side the outcome id names")
            continue
        line = player_scope.with_params(player=player.group("player"))
        keys[ref] = resolve(line, [(ref, "yes")], sport).keys[ref]
    return keys
