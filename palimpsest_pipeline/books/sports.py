"""The sports we compare, as data (adding a sport is one row here, and one per book's ``SPORT_IDS``): the
canonical key, the name and SportRadar's sport id, confirmed by captures."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Sport:
    key: str  # canonical key used in tables: "football"
    name: str
    sr_sport: str  # SportRadar's, "sr:sport:1"


SPORTS: tuple[Sport, ...] = (
    Sport("football", "Football", "sr:sport:1"),
    Sport("basketball", "Basketball", "sr:sport:2"),
    Sport("tennis", "Tennis", "sr:sport:5"),
)


def sport_by_key(key: str) -> Sport:
    """Look a sport up by its canonical key, naming the known keys when it is not one."""
    found = next((sport for sport in SPORTS if sport.key == key), None)
    if found is None:
        known = ", ".join(sorted(sport.key for sport in SPORTS))
        raise ValueError(f"unknown sport {key!r}; known sports: {known}")
    return found
