"""Each book's id for each sport we compare, as data.

SportRadar ids (SportyBet) and BetPawa's category ids for football and tennis are confirmed by the captured
responses; Bet9ja's ``SID`` values and odds-key prefixes too (1 = "Soccer"/``S_``, 5 = "Tennis"/``T_``).
Basketball's BetPawa category and Bet9ja SID follow the same pattern but were never captured: a guess.
Adding a sport is one row here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Sport:
    key: str  # canonical key used in tables: "football"
    name: str
    sportybet_id: str  # "sr:sport:1"
    betpawa_category_id: str  # "2"
    bet9ja_sid: int  # 1
    bet9ja_name: str  # Bet9ja's S_DESC, "Soccer"


SPORTS: tuple[Sport, ...] = (
    Sport("football", "Football", "sr:sport:1", "2", 1, "Soccer"),
    Sport("basketball", "Basketball", "sr:sport:2", "3", 2, "Basketball"),
    Sport("tennis", "Tennis", "sr:sport:5", "452", 5, "Tennis"),
)

SPORTS_BY_KEY: dict[str, Sport] = {sport.key: sport for sport in SPORTS}


def sport_by_key(key: str) -> Sport:
    """Look a sport up by its canonical key, naming the known keys when it is not one."""
    try:
        return SPORTS_BY_KEY[key]
    except KeyError:
        known = ", ".join(sorted(SPORTS_BY_KEY))
        raise ValueError(f"unknown sport {key!r}; known sports: {known}") from None
