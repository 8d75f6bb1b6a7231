"""The alerts' state: conditions holding, alerts raised, and each alert's delivery to each receiver. One
evaluation at a time (a session advisory lock); its decisions are written in one transaction, each delivery's
outcome in its own, so a crash loses no alert (an unrecorded delivery is sent again)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from palimpsest_pipeline.warehouse.table_io import Rows, read_rows

#: The advisory lock key of an alert evaluation (any constant no other lock in the project uses).
_EVALUATION_LOCK = 0x0A1E27


@contextmanager
def evaluation_turn(conn: psycopg.Connection) -> Iterator[bool]:
    """Whether this connection holds the evaluation's turn (False: another evaluation is running)."""
    row = conn.execute("SELECT pg_try_advisory_lock(%s)", (_EVALUATION_LOCK,)).fetchone()
    held = bool(row and row[0])
    try:
        yield held
    finally:
        if held:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_EVALUATION_LOCK,))


def conditions(conn: psycopg.Connection) -> Rows:
    return read_rows(
        conn,
        "SELECT rule, subject, first_seen_at, last_seen_at, title, details FROM analytics.alert_conditions",
    )


def past_alerts(conn: psycopg.Connection) -> Rows:
    """Per (rule, subject): the latest alert of any status and the latest one not suppressed."""
    return read_rows(
        conn,
        """
        SELECT DISTINCT ON (a.rule, a.subject) a.rule, a.subject,
               a.alert_id AS latest_id, a.raised_at AS latest_raised_at,
               r.alert_id AS real_id, r.raised_at AS real_raised_at
        FROM analytics.alerts a
        LEFT JOIN LATERAL (SELECT alert_id, raised_at FROM analytics.alerts
                           WHERE rule = a.rule AND subject = a.subject AND status <> 'suppressed'
                           ORDER BY raised_at DESC, alert_id DESC LIMIT 1) AS r ON true
        ORDER BY a.rule, a.subject, a.raised_at DESC, a.alert_id DESC
        """,
    )


def record_evaluation(
    conn: psycopg.Connection,
    *,
    holding: Sequence[dict[str, Any]],
    cleared: Sequence[tuple[str, str]],
    alerts: Sequence[dict[str, Any]],
    receivers: Sequence[str],
    now: datetime,
) -> None:
    """One evaluation's decisions in one transaction, a delivery per receiver of each alert neither
    suppressed nor switched off."""
    with conn.transaction(), conn.cursor() as cursor:
        cursor.executemany(
            """
            INSERT INTO analytics.alert_conditions
                (rule, subject, first_seen_at, last_seen_at, title, details)
            VALUES (%(rule)s, %(subject)s, %(first_seen_at)s, %(last_seen_at)s, %(title)s, %(details)s)
            ON CONFLICT (rule, subject) DO UPDATE SET
                last_seen_at = EXCLUDED.last_seen_at, title = EXCLUDED.title, details = EXCLUDED.details
            """,
            [{**row, "details": Jsonb(row["details"])} for row in holding],
        )
        cursor.executemany(
            "DELETE FROM analytics.alert_conditions WHERE rule = %s AND subject = %s", list(cleared)
        )
        cursor.executemany(
            "UPDATE analytics.alerts SET cleared_at = %s"
            " WHERE rule = %s AND subject = %s AND cleared_at IS NULL",
            [(now, rule, subject) for rule, subject in cleared],
        )
        for alert in alerts:
            suppressed = alert["suppressed_by"] is not None
            status = "suppressed" if suppressed else "off" if alert["switched_off"] else "pending"
            row = conn.execute(
                """
                INSERT INTO analytics.alerts (rule, subject, status, title, body, details, condition_since,
                                              raised_at, suppressed_by)
                VALUES (%(rule)s, %(subject)s, %(status)s, %(title)s, %(body)s, %(details)s,
                        %(condition_since)s, %(now)s, %(suppressed_by)s)
                RETURNING alert_id
                """,
                {
                    **alert,
                    "status": status,
                    "details": Jsonb(alert["details"]),
                    "now": now,
                },
            ).fetchone()
            assert row is not None
            if status != "pending":
                continue
            cursor.executemany(
                "INSERT INTO analytics.alert_deliveries (alert_id, receiver, status, next_attempt_at)"
                " VALUES (%s, %s, 'pending', %s)",
                [(row[0], receiver, now) for receiver in receivers],
            )


def due_deliveries(conn: psycopg.Connection, now: datetime, limit: int) -> Rows:
    """Deliveries not yet sent whose next attempt is due, oldest first."""
    return read_rows(
        conn,
        """
        SELECT d.alert_id, d.receiver, d.attempts, a.title, a.body
        FROM analytics.alert_deliveries d JOIN analytics.alerts a USING (alert_id)
        WHERE d.status <> 'sent' AND d.next_attempt_at <= %s
        ORDER BY d.next_attempt_at, d.alert_id, d.receiver
        LIMIT %s
        """,
        (now, limit),
    )


def record_delivery(
    conn: psycopg.Connection,
    *,
    alert_id: int,
    receiver: str,
    error: str | None,
    now: datetime,
    next_attempt_at: datetime | None,
) -> None:
    """One attempt's outcome, and the alert's status from all its deliveries, in one transaction."""
    with conn.transaction():
        conn.execute(
            """
            UPDATE analytics.alert_deliveries SET
                attempts = attempts + 1, last_attempt_at = %(now)s, last_error = %(error)s,
                status = CASE WHEN %(error)s::text IS NULL THEN 'sent' ELSE 'failed' END,
                sent_at = CASE WHEN %(error)s::text IS NULL THEN %(now)s::timestamptz END,
                next_attempt_at = CASE WHEN %(error)s::text IS NULL THEN NULL ELSE %(next)s::timestamptz END
            WHERE alert_id = %(alert)s AND receiver = %(receiver)s
            """,
            {"now": now, "error": error, "next": next_attempt_at, "alert": alert_id, "receiver": receiver},
        )
        conn.execute(
            """
            UPDATE analytics.alerts a SET
                status = s.status, sent_at = CASE WHEN s.status = 'sent' THEN %(now)s::timestamptz END
            FROM (
                SELECT CASE WHEN bool_and(status = 'sent') THEN 'sent'
                            WHEN bool_or(status = 'failed') THEN 'failed' ELSE 'pending' END AS status
                FROM analytics.alert_deliveries WHERE alert_id = %(alert)s
            ) AS s
            WHERE a.alert_id = %(alert)s
            """,
            {"now": now, "alert": alert_id},
        )
