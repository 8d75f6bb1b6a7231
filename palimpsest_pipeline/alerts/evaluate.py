"""One alert evaluation: read what the rules see, decide, record, then deliver what is due.

Delivery follows the committed decisions within a time budget; a receiver that is down is retried with
backoff later, delaying its alerts without losing them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

import psycopg

from palimpsest_pipeline.alerts import rules
from palimpsest_pipeline.alerts.decide import Condition, PastAlert, decide
from palimpsest_pipeline.alerts.deliver import Receiver, retry_after, send
from palimpsest_pipeline.alerts.settings import AlertSettings
from palimpsest_pipeline.warehouse import alert_store
from palimpsest_pipeline.warehouse.connections import Connect

#: Deliveries attempted per evaluation at most, and the wall time they may take (a sensor tick has 60 s).
MAX_DELIVERIES = 50
DELIVERY_BUDGET_S = 30.0


@dataclass(frozen=True)
class Evaluation:
    """What one evaluation did."""

    ran: bool
    holding: int = 0
    cleared: int = 0
    raised: int = 0
    suppressed: int = 0
    switched_off: int = 0
    sent: int = 0
    failed: int = 0

    def describe(self) -> str:
        if not self.ran:
            return "another alert evaluation is running"
        return (
            f"{self.holding} condition(s) holding, {self.cleared} cleared; {self.raised} alert(s) raised, "
            f"{self.suppressed} suppressed, {self.switched_off} of rules switched off; "
            f"{self.sent} delivery(ies) sent, {self.failed} failed"
        )


def evaluate_alerts(
    connect: Connect, settings: AlertSettings, receivers: list[Receiver], now: datetime
) -> Evaluation:
    """Evaluate every rule at ``now`` and deliver the alerts due."""
    with connect(autocommit=True) as conn, alert_store.evaluation_turn(conn) as turn:
        if not turn:
            return Evaluation(ran=False)
        findings = rules.find(conn, settings, now)
        known = {(row["rule"], row["subject"]): Condition(**row) for row in alert_store.conditions(conn)}
        past = {
            (row["rule"], row["subject"]): PastAlert(
                row["latest_raised_at"], row["real_id"], row["real_raised_at"]
            )
            for row in alert_store.past_alerts(conn)
        }
        decisions = decide(findings, rules.RULES, known, past, settings, now)
        alert_store.record_evaluation(
            conn,
            holding=[vars(condition) for condition in decisions.holding],
            cleared=decisions.cleared,
            alerts=[{**vars(a.finding), **vars(a)} for a in decisions.alerts],
            receivers=[receiver.label for receiver in receivers],
            now=now,
        )
        sent, failed = _deliver_due(conn, settings, receivers, now)
    suppressed = sum(a.suppressed_by is not None for a in decisions.alerts)
    switched_off = sum(a.switched_off for a in decisions.alerts)
    return Evaluation(
        ran=True,
        holding=len(decisions.holding),
        cleared=len(decisions.cleared),
        raised=len(decisions.alerts) - suppressed - switched_off,
        suppressed=suppressed,
        switched_off=switched_off,
        sent=sent,
        failed=failed,
    )


def _deliver_due(
    conn: psycopg.Connection, settings: AlertSettings, receivers: list[Receiver], now: datetime
) -> tuple[int, int]:
    by_label = {receiver.label: receiver for receiver in receivers}
    started = time.monotonic()
    sent = failed = 0
    for due in alert_store.due_deliveries(conn, now, MAX_DELIVERIES):
        if time.monotonic() - started > DELIVERY_BUDGET_S:
            break
        receiver = by_label.get(due["receiver"])
        error = (
            send(receiver, due["title"], due["body"])
            if receiver is not None
            else f"receiver {due['receiver']} is no longer in PALIMPSEST_ALERT_URLS"
        )
        retry = now + retry_after(due["attempts"] + 1, settings.retry_max_seconds)
        alert_store.record_delivery(
            conn,
            alert_id=due["alert_id"],
            receiver=due["receiver"],
            error=error,
            now=now,
            next_attempt_at=None if error is None else retry,
        )
        sent += error is None
        failed += error is not None
    return sent, failed
