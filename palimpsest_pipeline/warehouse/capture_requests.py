"""The queue of odds captures due (``core.capture_requests``): the kick-off sensor enqueues each due tier's
window (idempotent by its key; a newer window supersedes the older ones nobody took), a site country's
capture worker takes the highest priority first (``FOR UPDATE SKIP LOCKED``), records each chunk captured
and finishes it; a dead worker's requests are released to be taken again. Each change that leaves something
to take notifies the country's channel, so an idle worker wakes at once."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

import psycopg
from psycopg import sql

from palimpsest_pipeline.warehouse.store_inputs import require_aware

Outcome = Literal["done", "superseded", "failed"]

#: What ``take_next`` reads of the request it takes, in ``CaptureRequest`` order.
_TAKEN = (
    "r.site_country, r.tier, r.window_start, r.resets, r.priority, r.sr_ids, r.kickoff_dates, "
    "r.requested_at, r.taken_at, r.takes, r.captured_sr_ids"
)


class CaptureRequestError(ValueError):
    """A request handed to the queue is invalid; the message says which and why."""


@dataclass(frozen=True, slots=True)
class RequestKey:
    """A request's identity: one tier's time window of one site country (``resets``: after clock steps)."""

    site_country: str
    tier: str
    window_start: datetime
    resets: int = 0

    def label(self) -> str:
        """``ng imminent 12:01:00Z`` (with ``reset<n>`` after a clock step), for logs."""
        suffix = f" reset{self.resets}" if self.resets else ""
        return f"{self.site_country} {self.tier} {self.window_start:%Y-%m-%dT%H:%M:%SZ}{suffix}"


@dataclass(frozen=True, slots=True)
class NewRequest:
    """A tier's window found due: its events (SR ids) kicking off on ``kickoff_dates``."""

    key: RequestKey
    priority: int
    sr_ids: tuple[int, ...]
    kickoff_dates: tuple[date, ...]

    def __post_init__(self) -> None:
        where = f"capture request {self.key.label()}"
        require_aware(self.key.window_start, f"{where}: window_start", CaptureRequestError)
        if not self.sr_ids or not self.kickoff_dates:
            raise CaptureRequestError(f"{where}: needs at least one SR id and one kick-off date")
        if self.priority < 1 or self.key.resets < 0:
            raise CaptureRequestError(f"{where}: priority must be positive and resets not negative")


@dataclass(frozen=True, slots=True)
class CaptureRequest:
    """A request as a worker took it: what it asks for, and what earlier takers captured of it already."""

    key: RequestKey
    priority: int
    sr_ids: tuple[int, ...]
    kickoff_dates: tuple[date, ...]
    requested_at: datetime
    taken_at: datetime
    #: 1 the first time a worker takes it; more after a worker gave it back or died.
    takes: int
    captured_sr_ids: frozenset[int]

    @property
    def remaining(self) -> tuple[int, ...]:
        """The SR ids not captured yet, in the request's order."""
        return tuple(sr_id for sr_id in self.sr_ids if sr_id not in self.captured_sr_ids)

    @property
    def start_delay(self) -> timedelta:
        """How long after it fell due (its window's start) its capture first started."""
        return self.taken_at - self.key.window_start


@dataclass(frozen=True, slots=True)
class Enqueued:
    """What one enqueue did: requests added (those already known add nothing) and older ones superseded."""

    added: tuple[RequestKey, ...]
    superseded: int


def channel(site_country: str) -> str:
    """The notification channel of ``site_country``'s queue: ``capture_requests_ng``."""
    return f"capture_requests_{site_country}"


def enqueue(conn: psycopg.Connection, requests: Sequence[NewRequest], *, now: datetime) -> Enqueued:
    """Add ``requests`` (one transaction); each new one supersedes its country's and tier's requests that
    nobody took yet (never a catch-up of missed windows). A request already known changes nothing."""
    require_aware(now, "enqueue: now", CaptureRequestError)
    added: list[RequestKey] = []
    superseded = 0
    with conn.transaction():
        for request in requests:
            key = request.key
            row = conn.execute(
                "INSERT INTO core.capture_requests (site_country, tier, window_start, resets, priority, "
                "sr_ids, kickoff_dates, requested_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT DO NOTHING RETURNING 1",
                (
                    key.site_country, key.tier, key.window_start, key.resets, request.priority,
                    list(request.sr_ids), list(request.kickoff_dates), now,
                ),
            ).fetchone()  # fmt: skip
            if row is None:
                continue
            added.append(key)
            superseded += conn.execute(
                "UPDATE core.capture_requests SET done_at = %s, outcome = 'superseded', reason = %s "
                "WHERE site_country = %s AND tier = %s AND done_at IS NULL AND taken_by IS NULL "
                "AND (window_start, resets) <> (%s, %s)",
                (
                    now, f"window {key.label()} requested before a worker took it", key.site_country,
                    key.tier, key.window_start, key.resets,
                ),
            ).rowcount  # fmt: skip
        for country in sorted({key.site_country for key in added}):
            _notify(conn, country)
    return Enqueued(tuple(added), superseded)


def take_next(
    conn: psycopg.Connection,
    site_country: str,
    taker: str,
    *,
    now: datetime,
    above_priority: int | None = None,
) -> CaptureRequest | None:
    """Take ``site_country``'s waiting request of the highest priority (then the oldest window) for
    ``taker``, or only one above ``above_priority``; None when there is none. Concurrent takers never take
    the same request (``FOR UPDATE SKIP LOCKED``)."""
    require_aware(now, "take_next: now", CaptureRequestError)
    with conn.transaction():
        row = conn.execute(
            "UPDATE core.capture_requests AS r SET taken_by = %(taker)s, takes = r.takes + 1, "
            "taken_at = coalesce(r.taken_at, %(now)s) "
            "FROM (SELECT site_country, tier, window_start, resets FROM core.capture_requests "
            "      WHERE site_country = %(country)s AND done_at IS NULL AND taken_by IS NULL "
            "        AND priority > %(above)s "
            "      ORDER BY priority DESC, window_start, tier LIMIT 1 FOR UPDATE SKIP LOCKED) AS next "
            "WHERE (r.site_country, r.tier, r.window_start, r.resets) "
            "    = (next.site_country, next.tier, next.window_start, next.resets) "
            f"RETURNING {_TAKEN}",
            {"taker": taker, "now": now, "country": site_country, "above": above_priority or 0},
        ).fetchone()
    if row is None:
        return None
    country, tier, window, resets, priority, sr_ids, dates, requested, taken, takes, captured = row
    return CaptureRequest(
        RequestKey(country, tier, window, resets),
        priority,
        tuple(sr_ids),
        tuple(dates),
        requested,
        taken,
        takes,
        frozenset(captured),
    )


def record_captured(conn: psycopg.Connection, key: RequestKey, taker: str, sr_ids: Collection[int]) -> bool:
    """Add ``sr_ids`` to what ``taker`` captured of request ``key``; False when ``taker`` no longer holds it
    (released as dead, or finished): the caller then leaves it."""
    with conn.transaction():
        updated = conn.execute(
            "UPDATE core.capture_requests SET captured_sr_ids = ARRAY(SELECT DISTINCT unnest("
            "captured_sr_ids || %s::bigint[]) ORDER BY 1) "
            f"WHERE {_HELD}",
            (sorted(sr_ids), *_held(key, taker)),
        ).rowcount
    return updated == 1


def finish(
    conn: psycopg.Connection,
    key: RequestKey,
    taker: str,
    *,
    now: datetime,
    outcome: Outcome,
    reason: str | None = None,
) -> bool:
    """End request ``key`` held by ``taker`` with ``outcome``; False when ``taker`` no longer holds it."""
    require_aware(now, "finish: now", CaptureRequestError)
    with conn.transaction():
        updated = conn.execute(
            f"UPDATE core.capture_requests SET done_at = %s, outcome = %s, reason = %s WHERE {_HELD}",
            (now, outcome, reason, *_held(key, taker)),
        ).rowcount
    return updated == 1


def give_back(conn: psycopg.Connection, key: RequestKey, taker: str) -> bool:
    """Put request ``key`` held by ``taker`` back in the queue (a worker at its end): the next taker captures
    what is left of it. False when ``taker`` no longer holds it."""
    with conn.transaction():
        updated = conn.execute(
            f"UPDATE core.capture_requests SET taken_by = NULL WHERE {_HELD}", _held(key, taker)
        ).rowcount
        if updated:
            _notify(conn, key.site_country)
    return updated == 1


def release_orphans(
    conn: psycopg.Connection, site_country: str, alive: Collection[str]
) -> list[tuple[RequestKey, str]]:
    """Put back in the queue ``site_country``'s unfinished requests held by a taker not in ``alive`` (its run
    ended or died); (request, its taker) each."""
    with conn.transaction():
        rows = conn.execute(
            "UPDATE core.capture_requests AS r SET taken_by = NULL FROM core.capture_requests AS before "
            "WHERE (r.site_country, r.tier, r.window_start, r.resets) "
            "    = (before.site_country, before.tier, before.window_start, before.resets) "
            "AND r.site_country = %s AND r.done_at IS NULL AND r.taken_by IS NOT NULL "
            "AND NOT r.taken_by = ANY(%s::text[]) "
            "RETURNING r.site_country, r.tier, r.window_start, r.resets, before.taken_by",
            (site_country, sorted(alive)),
        ).fetchall()
        if rows:
            _notify(conn, site_country)
    return [(RequestKey(c, t, w, r), taker) for c, t, w, r, taker in rows]


def undone_requests(conn: psycopg.Connection, site_country: str) -> int:
    """How many of ``site_country``'s requests wait or are in progress."""
    row = conn.execute(
        "SELECT count(*) FROM core.capture_requests WHERE site_country = %s AND done_at IS NULL",
        (site_country,),
    ).fetchone()
    return int(row[0]) if row else 0


def listen(conn: psycopg.Connection, site_country: str) -> None:
    """Subscribe ``conn`` (autocommit) to ``site_country``'s queue notifications (``wait_for_notice``)."""
    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel(site_country))))


def wait_for_notice(conn: psycopg.Connection, timeout_s: float) -> bool:
    """Wait at most ``timeout_s`` for a notification on ``conn``'s channels; whether one came."""
    return any(True for _ in conn.notifies(timeout=max(0.0, timeout_s), stop_after=1))


_HELD = "(site_country, tier, window_start, resets) = (%s, %s, %s, %s) AND taken_by = %s AND done_at IS NULL"


def _held(key: RequestKey, taker: str) -> tuple[object, ...]:
    return (key.site_country, key.tier, key.window_start, key.resets, taker)


def _notify(conn: psycopg.Connection, site_country: str) -> None:
    conn.execute("SELECT pg_notify(%s, '')", (channel(site_country),))
