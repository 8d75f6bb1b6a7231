"""Statistics bet as "at least N" per subject ("Player Fouls": "Uriel Antuna (Pumas) 2+"; "Team Shots":
"Cruz Azul 18+"; "Match Cards": "4+"), read as the over of N - 0.5 for that subject: a player (by the id
its outcome id carries), a team (exactly one side) or the match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from palimpsest_pipeline.markets.free_text import overlong, split_at_least
from palimpsest_pipeline.markets.grammar.description import Description, OutcomeReading, Refusal, Unreadable
from palimpsest_pipeline.markets.players import TEAM_SUFFIX, normalise_name

#: SportyBet's player outcome ids: ``pre:playerprops:<match>:<player>:<n>[:<side>]``.
_PLAYER_OUTCOME = re.compile(r"^pre:playerprops:\d+:(?P<player>\d+):(?P<n>\d+)(?::[12])?$")


def lists_thresholds(names: Sequence[str]) -> bool:
    """Whether every outcome name is "<subject> N+" (what makes a nameless bet an "at least N")."""
    return bool(names) and all(split_at_least(name.strip()) for name in names)


def team_side(text: str, home: str, away: str) -> str | None:
    """ "Cruz Azul" -> "home" when its words are in the home name only ("CF Cruz Azul"), else None."""
    words = set(normalise_name(text).split())
    if not words:
        return None
    sides = [
        side for side, name in (("home", home), ("away", away)) if words <= set(normalise_name(name).split())
    ]
    return sides[0] if len(sides) == 1 else None


def _subject(
    description: Description, ref: str, name: str, home: str, away: str, named_team: bool
) -> tuple[Description, int] | Refusal:
    """The outcome's own description (scope and player) and its N, or why it cannot be read."""
    if reason := overlong(name, "outcome name"):
        return Unreadable(reason)
    match = split_at_least(name.strip())
    if match is None:
        return Refusal(f"outcome {name!r} is not '<subject> N+'")
    subject, count = match[0].strip(), match[1]
    if description.scope == "player":
        player = _PLAYER_OUTCOME.match(ref)
        if player is None or int(player.group("n")) != count:
            return Refusal(f"outcome {ref!r} ({name!r}) carries no player id with {count}+")
        team = TEAM_SUFFIX.search(subject)
        if team is None or team_side(team.group(1), home, away) is None:
            return Refusal(f"outcome {name!r}: the player's team is not exactly one side of the event")
        return description.with_params(player=player.group("player")), count
    if not subject:
        if named_team and description.scope == "match":
            return Refusal(f"outcome {name!r} of a team market names no team")
        return description, count
    if description.scope != "match":
        return Refusal(f"outcome {name!r} names a subject in a {description.scope} market")
    side = team_side(subject, home, away)
    if side is None:
        return Refusal(f"outcome {name!r}: {subject!r} is not exactly one side of the event")
    scoped = replace(description, scope=side)
    return scoped, count


def read_thresholds(
    description: Description,
    outcomes: Sequence[tuple[str, str]],
    *,
    home: str,
    away: str,
    named_team: bool,
) -> dict[str, OutcomeReading | Refusal]:
    """outcome reference -> its reading (or why none) for a market of "at least N" outcomes read as
    ``description`` (its bet "total"); ``named_team``: the market's name says "team", so each outcome must
    name one."""
    readings: dict[str, OutcomeReading | Refusal] = {}
    for ref, name in outcomes:
        subject = _subject(description, ref, name, home, away, named_team)
        if isinstance(subject, Refusal):
            readings[ref] = subject
            continue
        scoped, count = subject
        readings[ref] = OutcomeReading(scoped.with_params(total=f"{count - 0.5:g}"), "over")
    return readings
