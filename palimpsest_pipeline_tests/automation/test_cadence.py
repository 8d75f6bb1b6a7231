"""The pure cadence decision: tiers by lead time, epoch-aligned windows, the cursor, restarts."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from palimpsest_pipeline.scrape.cadence import (
    DEFAULT_POLICY,
    CadenceDecision,
    CadenceError,
    CadencePolicy,
    Tier,
    decide,
    format_cursor,
    parse_cursor,
    stepped_back_tiers,
    window_start,
)
from palimpsest_pipeline.settings import SettingsLoadError, load_settings

T0 = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)  # aligned to every default cadence
MIN = timedelta(minutes=1)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def requested(decision: CadenceDecision) -> dict[str, tuple[int, ...]]:
    return {due.tier: due.sr_ids for due in decision.due}


# ------------------------------------------------------------------------------------------------- tiers


@pytest.mark.parametrize(
    ("lead", "tier"),
    [
        (timedelta(seconds=-1), None),
        (timedelta(0), None),  # kicking off right now: too late
        (timedelta(microseconds=1), "imminent"),
        (timedelta(minutes=30) - timedelta(microseconds=1), "imminent"),
        (timedelta(minutes=30), "soon"),  # exactly 30 min: soon (tiers are [from, to))
        (timedelta(minutes=120) - timedelta(microseconds=1), "soon"),
        (timedelta(minutes=120), "later"),
        (timedelta(hours=24), "later"),  # the horizon itself is included
        (timedelta(hours=24, microseconds=1), None),
    ],
)
def test_tier_boundaries(lead: timedelta, tier: str | None) -> None:
    found = DEFAULT_POLICY.tier_for(lead)
    assert (found.name if found else None) == tier


@pytest.mark.parametrize(
    ("now", "every", "start"),
    [
        (T0, timedelta(seconds=60), T0),
        (T0 + timedelta(seconds=59.999), timedelta(seconds=60), T0),
        (T0 + timedelta(seconds=60), timedelta(seconds=60), T0 + MIN),
        (at(4.99), timedelta(seconds=300), T0),
        (at(5), timedelta(seconds=300), at(5)),
        (at(29), timedelta(seconds=1800), T0),
        (at(31), timedelta(seconds=1800), at(30)),
        (datetime(2026, 5, 4, 14, 0, 30, tzinfo=timezone(timedelta(hours=2))), timedelta(seconds=60), T0),
    ],
)
def test_windows_are_aligned_to_epoch_multiples(now: datetime, every: timedelta, start: datetime) -> None:
    assert window_start(now, every) == start
    assert window_start(now, every).tzinfo == UTC


# ----------------------------------------------------------------------------------------------- decide


EVENTS = [
    (1, at(10)),  # imminent
    (2, at(31)),  # soon now, imminent from 12:01:00 + a tick
    (3, at(180)),  # later
    (4, at(-5)),  # kicked off
    (5, at(60 * 30)),  # beyond the 24 h horizon
]


def test_first_evaluation_requests_every_tier_once() -> None:
    decision = decide(EVENTS, now=T0)
    assert requested(decision) == {"imminent": (1,), "soon": (2,), "later": (3,)}
    assert [d.run_key for d in decision.due] == [
        "odds:imminent:2026-05-04T12:00:00Z",
        "odds:soon:2026-05-04T12:00:00Z",
        "odds:later:2026-05-04T12:00:00Z",
    ]
    assert decision.upcoming_by_tier == {"imminent": 1, "soon": 1, "later": 1}
    assert json.loads(decision.cursor)["last_window"] == {
        "imminent": "2026-05-04T12:00:00Z",
        "soon": "2026-05-04T12:00:00Z",
        "later": "2026-05-04T12:00:00Z",
    }


def test_same_window_requests_nothing_new() -> None:
    first = decide(EVENTS, now=T0)
    again = decide(EVENTS, now=T0 + timedelta(seconds=45), cursor=first.cursor)
    assert again.due == ()
    assert parse_cursor(again.cursor) == parse_cursor(first.cursor)


def test_each_tier_comes_due_on_its_own_cadence() -> None:
    cursor = decide(EVENTS, now=T0).cursor
    seen: list[tuple[datetime, str]] = []
    now = T0
    while now < at(31):  # evaluate every 15 s for half an hour
        now += timedelta(seconds=15)
        decision = decide(EVENTS, now=now, cursor=cursor)
        seen += [(now, due.tier) for due in decision.due]
        cursor = decision.cursor
    by_tier = {tier: [t for t, name in seen if name == tier] for tier in ("imminent", "soon", "later")}
    # One request per minute for imminent (event 1 kicks off at 12:10; event 2 joins at 12:01:15).
    assert by_tier["imminent"] == [at(m) for m in range(1, 10)] + [at(m) for m in range(10, 31)]
    assert by_tier["soon"] == []  # event 2 left "soon" before 12:05
    assert by_tier["later"] == [at(30)]


def test_event_moves_between_tiers_as_kickoff_nears() -> None:
    events = [(7, at(125))]
    tiers = [
        (now_min, requested(decide(events, now=at(now_min))))
        for now_min in (0, 4.9, 5, 5.1, 94.9, 95, 95.1, 125)
    ]
    assert tiers == [
        (0, {"later": (7,)}),
        (4.9, {"later": (7,)}),
        (5, {"later": (7,)}),  # lead exactly 120 min: still later
        (5.1, {"soon": (7,)}),
        (94.9, {"soon": (7,)}),
        (95, {"soon": (7,)}),  # lead exactly 30 min: still soon
        (95.1, {"imminent": (7,)}),
        (125, {}),  # kicked off
    ]


def test_restart_after_a_long_gap_requests_only_the_current_window() -> None:
    cursor = decide(EVENTS, now=T0).cursor
    later = [(sr, k + timedelta(hours=5)) for sr, k in EVENTS]
    now = T0 + timedelta(hours=5, seconds=10)
    decision = decide(later, now=now, cursor=cursor)
    assert requested(decision) == {"imminent": (1,), "soon": (2,), "later": (3,)}
    assert {d.window_start for d in decision.due} == {
        window_start(now, t.every) for t in DEFAULT_POLICY.tiers
    }
    assert decide(later, now=now + timedelta(seconds=20), cursor=decision.cursor).due == ()


def test_a_tier_without_events_keeps_its_window_open() -> None:
    first = decide([(3, at(180))], now=T0)
    assert requested(first) == {"later": (3,)}
    assert "imminent" not in json.loads(first.cursor)["last_window"]
    # An event appearing mid-window in the imminent tier is requested at once, not a minute later.
    second = decide([(3, at(180)), (9, at(20))], now=T0 + timedelta(seconds=40), cursor=first.cursor)
    assert requested(second) == {"imminent": (9,)}
    assert second.due[0].window_start == T0


def test_kicked_off_events_are_never_requested() -> None:
    events = [(11, at(0)), (12, at(-1)), (13, at(0) + timedelta(microseconds=1))]
    assert requested(decide(events, now=T0)) == {"imminent": (13,)}
    assert decide(events, now=at(0) + timedelta(microseconds=1)).due == ()


def test_sr_id_listed_twice_counts_once_at_its_earliest_kickoff() -> None:
    decision = decide([(21, at(45)), (21, at(20)), (22, at(20))], now=T0)
    assert requested(decision) == {"imminent": (21, 22)}


def test_kickoff_dates_span_midnight() -> None:
    late = datetime(2026, 5, 4, 23, 50, tzinfo=UTC)
    events = [(31, late + timedelta(minutes=5)), (32, late + timedelta(minutes=20))]
    (due,) = decide(events, now=late).due
    assert due.kickoff_dates == (date(2026, 5, 4), date(2026, 5, 5))
    assert (due.kickoff_dates[0], due.kickoff_dates[-1]) == (date(2026, 5, 4), date(2026, 5, 5))


def test_clock_going_backwards_within_a_cadence_requests_nothing_twice() -> None:
    events = [(1, at(10)), (3, at(180))]
    cursor = decide(events, now=at(3)).cursor
    assert decide(events, now=at(2.5), cursor=cursor).due == ()
    assert parse_cursor(decide(events, now=at(2.5), cursor=cursor).cursor) == parse_cursor(cursor)


def test_changed_cadence_keeps_old_windows_meaningful() -> None:
    cursor = decide([(1, at(20))], now=at(4)).cursor  # imminent window 12:04 (60 s)
    slower = CadencePolicy(
        (Tier("imminent", timedelta(minutes=30), timedelta(seconds=300)), *DEFAULT_POLICY.tiers[1:])
    )
    assert decide([(1, at(20))], now=at(4.5), policy=slower, cursor=cursor).due == ()  # window 12:00
    assert requested(decide([(1, at(20))], now=at(5), policy=slower, cursor=cursor)) == {"imminent": (1,)}


# ------------------------------------------------------------------------------------------ bad input


def test_naive_times_are_rejected_with_the_culprit_named() -> None:
    with pytest.raises(CadenceError, match=r"now .* has no timezone"):
        decide([], now=datetime(2026, 5, 4, 12))
    with pytest.raises(CadenceError, match="sr_id=5: kickoff"):
        decide([(5, datetime(2026, 5, 4, 13))], now=T0)


@pytest.mark.parametrize(
    ("cursor", "message"),
    [
        ("not json", "not JSON"),
        ('{"version": 99}', "not a version-1"),
        ('["a"]', "not a version-1"),
        ('{"version": 1, "last_window": []}', "'last_window' must be an object"),
        ('{"version": 1, "last_window": {"soon": "yesterday"}}', "tier 'soon'"),
        ('{"version": 1, "last_window": {"soon": "2026-05-04T12:00:00"}}', "tier 'soon'"),
    ],
)
def test_bad_cursors_raise_clear_errors(cursor: str, message: str) -> None:
    with pytest.raises(CadenceError, match=message):
        decide(EVENTS, now=T0, cursor=cursor)


def test_cursor_round_trips_and_forgets_unknown_tiers() -> None:
    text = format_cursor({"soon": at(5), "retired": at(0)})
    assert parse_cursor(text) == {"soon": at(5)}
    assert parse_cursor(None) == {} and parse_cursor("") == {}


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ((), "at least one tier"),
        ((Tier("a", MIN, MIN), Tier("a", 2 * MIN, MIN)), "unique"),
        ((Tier("a", 2 * MIN, MIN), Tier("b", MIN, MIN)), "must be more than"),
        ((Tier("a", MIN, timedelta(seconds=0.5)),), "whole number of seconds"),
        ((Tier("bad name", MIN, MIN),), "non-empty word"),
    ],
)
def test_invalid_policies_are_rejected(tiers: tuple[Tier, ...], message: str) -> None:
    with pytest.raises(CadenceError, match=message):
        CadencePolicy(tiers)


def test_the_settings_tiers_override_the_defaults_and_are_validated() -> None:
    assert load_settings({}).cadence_policy() == DEFAULT_POLICY
    env = {"PALIMPSEST_ODDS_IMMINENT_EVERY_S": "30", "PALIMPSEST_ODDS_HORIZON_HOURS": "48"}
    policy = load_settings(env).cadence_policy()
    assert policy.tiers[0].every == timedelta(seconds=30)
    assert policy.horizon == timedelta(hours=48)
    with pytest.raises(SettingsLoadError, match="PALIMPSEST_ODDS_SOON_EVERY_S='fast'"):
        load_settings({"PALIMPSEST_ODDS_SOON_EVERY_S": "fast"})
    with pytest.raises(SettingsLoadError, match="PALIMPSEST_ODDS_SOON_MINUTES='-5'"):
        load_settings({"PALIMPSEST_ODDS_SOON_MINUTES": "-5"})
    with pytest.raises(SettingsLoadError, match="tier 'soon' reaches"):
        load_settings({"PALIMPSEST_ODDS_SOON_MINUTES": "20"})


def test_a_clock_stepped_back_an_hour_resets_the_tiers_ahead_and_requests_them_now() -> None:
    """An hour fast, then corrected: without the reset no imminent capture would run for an hour."""
    fast = decide([(1, at(70)), (2, at(100)), (3, at(300))], now=at(60), cursor=None)
    assert stepped_back_tiers(fast.cursor, at(0)) == ["imminent", "soon", "later"]
    events = [(1, at(10)), (3, at(180))]
    corrected = decide([*events, (5, at(20))], now=at(0), cursor=fast.cursor)
    assert requested(corrected) == {"imminent": (1, 5), "later": (3,)}  # nothing in 'soon' at 12:00
    # the windows met again get run keys of their own: Dagster would skip a key it saw before the step
    assert [due.run_key for due in corrected.due] == [
        "odds:imminent:2026-05-04T12:00:00Z:reset1",
        "odds:later:2026-05-04T12:00:00Z:reset1",
    ]
    assert json.loads(corrected.cursor)["resets"] == 1
    assert stepped_back_tiers(corrected.cursor, at(0)) == []
    again = decide(events, now=at(0.5), cursor=corrected.cursor)
    assert requested(again) == {}  # the corrected windows are not requested twice
