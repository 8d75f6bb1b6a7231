"""Each book's id for each sport we compare, as data (adding a sport is one row here). SportRadar's sport ids
and BetPawa's football and tennis categories are confirmed by captures, as are Bet9ja's ``SID`` values and
names; basketball's BetPawa category and Bet9ja SID follow the pattern but were never captured: a guess.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Sport:
    key: str  # canonical key used in tables: "football"
    name: str
    sr_sport: str  # SportRadar's, "sr:sport:1"
    betpawa_category_id: str  # "2"
    bet9ja_sid: int  # 1
    bet9ja_name: str  # Bet9ja's S_DESC, "Soccer"


SPORTS: tuple[Sport, ...] = (
    Sport("football", "Football", "sr:sport:1", "2", 1, "Soccer"),
    Sport("basketball", "Basketball", "sr:sport:2", "3", 2, "Basketball"),
    Sport("tennis", "Tennis", "sr:sport:5", "452", 5, "Tennis"),
)


def sport_by_key(key: str) -> Sport:
    """Look a sport up by its canonical key, naming the known keys when it is not one."""
    found = next((sport for sport in SPORTS if sport.key == key), None)
    if found is None:
        known = ", ".join(sorted(sport.key for sport in SPORTS))
        raise ValueError(f"unknown sport {key!r}; known sports: {known}")
    return found
