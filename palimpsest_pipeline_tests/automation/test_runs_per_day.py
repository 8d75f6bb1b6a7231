"""A simulated day of one country's runs as its automation asks for them (``benchmarks/country_day.py``, the
sensor's and schedules' own decisions without Dagster): at most 300 runs a day where the sensor alone asked
for about 1,800 before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from palimpsest_pipeline.scrape.cadence import DEFAULT_POLICY
from palimpsest_pipeline_tests.benchmarks.country_day import simulate_country_day

START = datetime(2026, 5, 4, tzinfo=UTC)


def test_a_country_with_matches_all_day_makes_at_most_300_runs_a_day() -> None:
    # a match kicking off every 10 minutes, that day and the next: every tier has events at every tick
    kickoffs = [(10_000 + n, START + timedelta(minutes=5 + 10 * n)) for n in range(2 * 24 * 6)]

    def upcoming(now: datetime) -> list[tuple[int, datetime]]:
        return [(sr_id, at) for sr_id, at in kickoffs if now < at <= now + DEFAULT_POLICY.horizon]

    # Nigeria's staggered crons: the live watch from minute 3 every 5, the catalogue from minute 13 every 15
    runs = simulate_country_day(
        upcoming, START, live_offset=timedelta(minutes=3), catalogue_offset=timedelta(minutes=13)
    )
    # By hand: a worker at 00:00 and every 20 minutes after (its end finds the next minute's request
    # waiting), a watch at 00:03 and every 20 minutes (it ends 20 s before the tick that starts the next),
    # a catalogue run every 15 minutes.
    assert runs.per_day() == {"capture_worker": 72, "watch_live": 72, "palimpsest_comparison": 96}
    assert runs.started["capture_worker"][:3] == [
        START,
        START + timedelta(minutes=20),
        START + timedelta(minutes=40),
    ]
    assert runs.started["watch_live"][:2] == [START + timedelta(minutes=3), START + timedelta(minutes=23)]
    assert runs.total == 240 <= 300
    # Before: a capture run per due tier (imminent every minute, soon every 5, later every 30 minutes) and a
    # watch every 5 minutes.
    assert runs.capture_runs_before == {"imminent": 1440, "soon": 288, "later": 48}
    assert runs.total_before == 1440 + 288 + 48 + 288 + 96


def test_a_quiet_country_starts_a_worker_only_when_a_window_falls_due() -> None:
    # one match at 20:00: the later tier from 20:00 the day before (out of the day), soon from 18:00,
    # imminent from 19:30
    kickoff = START + timedelta(hours=20)

    def upcoming(now: datetime) -> list[tuple[int, datetime]]:
        return [(1, kickoff)] if now < kickoff <= now + DEFAULT_POLICY.horizon else []

    runs = simulate_country_day(upcoming, START)
    workers = runs.started["capture_worker"]
    # later windows every 30 minutes until 18:00 (36 of them, each a worker: the last one ended long before),
    # then from 18:00 the soon and imminent windows keep one going: 18:00, 18:20, ..., 19:40 (6)
    assert workers[:2] == [START, START + timedelta(minutes=30)]
    assert len([w for w in workers if w < START + timedelta(hours=18)]) == 36
    assert [w - START for w in workers if w >= START + timedelta(hours=18)] == [
        timedelta(hours=18, minutes=20 * n) for n in range(6)
    ]
    assert runs.per_day()["capture_worker"] == 42
