"""What to record and raise at one evaluation, from what the rules see now and what was seen before.

Pure. An episode alerts once, after its rule's hold; one starting within its subject's cooldown (a flapping
condition) is recorded as suppressed, not sent; one of a rule switched off is recorded as off, not sent, and
cools its subject down as a sent one would, so what an off rule records is what it would have sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from palimpsest_pipeline.alerts.settings import AlertSettings

Key = tuple[str, str]  # (rule, subject)


@dataclass(frozen=True)
class Finding:
    """One condition a rule sees true now: ``since`` is when the data says it began, if it says."""

    rule: str
    subject: str
    title: str
    body: str
    details: Mapping[str, Any] = field(default_factory=dict)
    since: datetime | None = None

    @property
    def key(self) -> Key:
        return (self.rule, self.subject)


@dataclass(frozen=True)
class Condition:
    """A condition as stored: when this episode was first and last seen."""

    rule: str
    subject: str
    first_seen_at: datetime
    last_seen_at: datetime
    title: str
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PastAlert:
    """The latest alert on a subject (any status) and the latest one not suppressed."""

    latest_raised_at: datetime
    real_id: int | None
    real_raised_at: datetime | None


@dataclass(frozen=True)
class NewAlert:
    """An alert to record: sent to every receiver unless ``suppressed_by`` names the alert holding it back or
    its rule is ``switched_off``."""

    finding: Finding
    condition_since: datetime
    suppressed_by: int | None = None
    switched_off: bool = False


@dataclass
class Decisions:
    holding: list[Condition] = field(default_factory=list)
    cleared: list[Key] = field(default_factory=list)
    alerts: list[NewAlert] = field(default_factory=list)


def decide(
    findings: Iterable[Finding],
    evaluated_rules: Iterable[str],
    conditions: Mapping[Key, Condition],
    past: Mapping[Key, PastAlert],
    settings: AlertSettings,
    now: datetime,
) -> Decisions:
    """The conditions holding at ``now``, those cleared (only of rules that were evaluated: a rule whose data
    could not be read clears nothing), and the alerts to raise."""
    result = Decisions()
    cooldown = timedelta(minutes=settings.cooldown_minutes)
    seen: set[Key] = set()
    for finding in findings:
        if finding.key in seen:
            continue
        seen.add(finding.key)
        before = conditions.get(finding.key)
        first_seen = before.first_seen_at if before is not None else now
        result.holding.append(
            Condition(finding.rule, finding.subject, first_seen, now, finding.title, finding.details)
        )
        hold = settings.price_minutes if finding.rule == "price_out_of_line" else 0.0  # the rule's hold
        if now - first_seen < timedelta(minutes=hold):
            continue
        alert = _alert(finding, first_seen, past.get(finding.key), cooldown, now)
        if alert is not None and alert.suppressed_by is None and finding.rule in settings.rules_off:
            alert = NewAlert(finding, alert.condition_since, switched_off=True)
        if alert is not None:
            result.alerts.append(alert)
    rules = set(evaluated_rules)
    result.cleared = sorted(key for key in conditions if key[0] in rules and key not in seen)
    return result


def _alert(
    finding: Finding, first_seen: datetime, past: PastAlert | None, cooldown: timedelta, now: datetime
) -> NewAlert | None:
    since = finding.since if finding.since is not None and finding.since <= first_seen else first_seen
    if past is None or past.real_raised_at is None or now - past.real_raised_at >= cooldown:
        return NewAlert(finding, since)  # a first alert, or a reminder once the cooldown passes
    if past.latest_raised_at < first_seen:  # an episode that has not alerted yet, within the cooldown
        return NewAlert(finding, since, suppressed_by=past.real_id)
    return None
