"""The run queue's size for the countries run: each site country keeps its capture worker and its live watch
running most of the day and starts a catalogue run four times an hour; one one-shot capture and two backfill
runs share the rest. `palimpsest dev` writes the instance with at least that many run slots, and the Helm
values are checked against it offline (docs/scale.md)."""

from __future__ import annotations

import re

import yaml

#: A country's own runs at once: its capture worker, its live watch, one catalogue run.
RUNS_PER_COUNTRY = 3
#: Runs shared by every country: one one-shot capture (refresh, the UI) and two archive backfill runs.
SHARED_RUNS = 3

_MAX_RUNS = re.compile(r"^(?P<indent>\s+max_concurrent_runs:)\s*\d+\s*$", re.MULTILINE)


def runs_needed(countries: int) -> int:
    """The concurrent runs ``countries`` site countries need so none of their long runs waits for a slot."""
    if countries < 1:
        raise ValueError(f"runs_needed: at least one site country, got {countries}")
    return RUNS_PER_COUNTRY * countries + SHARED_RUNS


def sized_instance_yaml(shipped: str, countries: int) -> str:
    """The shipped ``dagster.yaml`` with ``max_concurrent_runs`` raised to ``runs_needed(countries)`` when it
    is lower (its comments kept); a file without exactly one such line is refused, naming it."""
    matches = list(_MAX_RUNS.finditer(shipped))
    if len(matches) != 1:
        raise ValueError(f"dagster.yaml: expected one max_concurrent_runs line, found {len(matches)}")
    current = yaml.safe_load(shipped)["concurrency"]["runs"]["max_concurrent_runs"]
    needed = runs_needed(countries)
    if current >= needed:
        return shipped
    return _MAX_RUNS.sub(lambda m: f"{m['indent']} {needed}", shipped)
