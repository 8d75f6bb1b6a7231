"""Alert decisions over a sequence of evaluations: expectations worked out by hand from the rules in
alerts/decide.py's docstring (one alert per episode, after the hold; suppressed within the cooldown)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from palimpsest_pipeline.alerts.decide import Condition, Decisions, Finding, PastAlert, decide
from palimpsest_pipeline.alerts.settings import AlertSettings

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SETTINGS = AlertSettings(cooldown_minutes=60, price_minutes=15)


class Log:
    """A stand-in for the store: applies each evaluation's decisions as the store does."""

    def __init__(self) -> None:
        self.conditions: dict[tuple[str, str], Condition] = {}
        self.past: dict[tuple[str, str], PastAlert] = {}
        self.next_id = 1

    def run(self, findings: list[Finding], at: datetime, rules: tuple[str, ...] = ()) -> Decisions:
        evaluated = rules or tuple({f.rule for f in findings} | {k[0] for k in self.conditions})
        result = decide(findings, evaluated, self.conditions, self.past, SETTINGS, at)
        for key in result.cleared:
            del self.conditions[key]
        for condition in result.holding:
            self.conditions[(condition.rule, condition.subject)] = condition
        for alert in result.alerts:
            key = alert.finding.key
            before = self.past.get(key)
            real = alert.suppressed_by is None
            self.past[key] = PastAlert(
                at,
                self.next_id if real else (before.real_id if before else None),
                at if real else (before.real_raised_at if before else None),
            )
            self.next_id += 1
        return result


def gap(subject: str = "27410001", since: datetime | None = None) -> Finding:
    return Finding("live_gap", subject, "Live on SportyBet, not on BetPawa", "body", since=since)


def test_an_episode_alerts_once_with_the_time_the_data_says_it_began() -> None:
    log = Log()
    began = T0 - timedelta(seconds=40)
    first = log.run([gap(since=began)], T0)
    assert [(a.finding.subject, a.condition_since, a.suppressed_by) for a in first.alerts] == [
        ("27410001", began, None)
    ]
    for seconds in (15, 30, 45, 600):
        assert log.run([gap(since=began)], T0 + timedelta(seconds=seconds)).alerts == []


def test_a_cleared_condition_that_returns_within_the_cooldown_is_suppressed_then_alerts_after_it() -> None:
    log = Log()
    log.run([gap()], T0)
    cleared = log.run([], T0 + timedelta(minutes=5), rules=("live_gap",))
    assert cleared.cleared == [("live_gap", "27410001")]
    back = log.run([gap()], T0 + timedelta(minutes=10))
    assert [a.suppressed_by for a in back.alerts] == [1]  # held back by alert 1, recorded
    assert log.run([gap()], T0 + timedelta(minutes=20)).alerts == []  # once per episode, suppressed or not
    reminder = log.run([gap()], T0 + timedelta(minutes=60))
    assert [a.suppressed_by for a in reminder.alerts] == [None]  # the cooldown since alert 1 has passed


def test_a_condition_holding_past_the_cooldown_is_raised_again() -> None:
    log = Log()
    assert len(log.run([gap()], T0).alerts) == 1
    assert log.run([gap()], T0 + timedelta(minutes=59)).alerts == []
    assert len(log.run([gap()], T0 + timedelta(minutes=60)).alerts) == 1
    assert log.run([gap()], T0 + timedelta(minutes=61)).alerts == []


def test_a_price_out_of_line_alerts_only_once_it_has_held_for_the_hold() -> None:
    log = Log()
    price = Finding("price_out_of_line", "27410002", "BetPawa 8% below SportyBet", "body")
    for minutes in (0, 5, 14):
        result = log.run([price], T0 + timedelta(minutes=minutes))
        assert result.alerts == [] and [c.first_seen_at for c in result.holding] == [T0]
    assert [a.condition_since for a in log.run([price], T0 + timedelta(minutes=15)).alerts] == [T0]
    # gone for one evaluation: the hold starts again
    log.run([], T0 + timedelta(minutes=16), rules=("price_out_of_line",))
    assert log.run([price], T0 + timedelta(minutes=17)).alerts == []


def test_a_rule_that_could_not_be_read_clears_nothing() -> None:
    log = Log()
    log.run([gap()], T0)
    kept = log.run([], T0 + timedelta(minutes=1), rules=("feed_stale",))  # live_gap's table unreadable
    assert kept.cleared == [] and ("live_gap", "27410001") in log.conditions


def test_each_subject_is_its_own_condition() -> None:
    log = Log()
    result = log.run([gap("1"), gap("2"), gap("1")], T0)
    assert sorted(a.finding.subject for a in result.alerts) == ["1", "2"]
