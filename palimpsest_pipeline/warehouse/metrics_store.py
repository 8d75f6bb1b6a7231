"""Observability records: per-book scrape metrics of each run, and failed runs ("is a book degrading, and
since when?" without opening Dagster). Writes are upserts keyed by run: a re-executed step overwrites."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import psycopg
from psycopg.types.json import Jsonb

from palimpsest_pipeline.records import Book

ScrapeKind = Literal["catalogue", "odds"]
MetricStatus = Literal["ok", "partial", "failed"]
_KINDS: tuple[str, ...] = ("catalogue", "odds")
_STATUSES: tuple[str, ...] = ("ok", "partial", "failed")
#: Longest error message kept per run and per step: a stack trace belongs in Dagster, not in the warehouse.
MAX_MESSAGE_CHARS = 4000


class MetricsInputError(ValueError):
    """A metrics or failure record is inconsistent; the message names the record and the field."""


@dataclass(frozen=True)
class ScrapeMetrics:
    """How one book behaved in one run's scrape of one kind (a row of ``core.scrape_metrics``):
    ``failed_requests`` failed after every retry, ``errors`` counts failed attempts by kind."""

    book: Book
    kind: ScrapeKind
    status: MetricStatus
    started_at: datetime
    finished_at: datetime
    requests: int
    attempts: int
    failed_requests: int
    throttled: int
    #: The country of the book's site the run read.
    site_country: str
    errors: Mapping[str, int] = field(default_factory=dict)
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None
    latency_p99_ms: float | None = None
    bytes_received: int | None = None

    def __post_init__(self) -> None:
        where = f"scrape metrics of {getattr(self.book, 'value', self.book)}/{self.kind}"
        if not isinstance(self.book, Book):
            raise MetricsInputError(f"{where}: book must be a Book, got {self.book!r}")
        if self.kind not in _KINDS:
            raise MetricsInputError(f"{where}: kind must be one of {_KINDS}, got {self.kind!r}")
        if self.status not in _STATUSES:
            raise MetricsInputError(f"{where}: status must be one of {_STATUSES}, got {self.status!r}")
        for name in ("started_at", "finished_at"):
            if getattr(self, name).tzinfo is None:
                raise MetricsInputError(f"{where}: {name} must be timezone-aware UTC")
        if self.finished_at < self.started_at:
            raise MetricsInputError(f"{where}: finished_at is before started_at")
        for name in ("requests", "attempts", "failed_requests", "throttled"):
            if getattr(self, name) < 0:
                raise MetricsInputError(f"{where}: {name} is negative ({getattr(self, name)})")
        for kind, count in self.errors.items():
            if count < 0:
                raise MetricsInputError(f"{where}: error count of {kind!r} is negative ({count})")

    def as_metadata(self) -> dict[str, Any]:
        """JSON-ready form for Dagster run metadata (everything but the book and kind, which key it)."""
        return {
            "status": self.status,
            "duration_s": round((self.finished_at - self.started_at).total_seconds(), 3),
            "requests": self.requests,
            "attempts": self.attempts,
            "failed_requests": self.failed_requests,
            "throttled": self.throttled,
            "errors": dict(sorted(self.errors.items())),
            "latency_p50_ms": self.latency_p50_ms,
            "latency_p95_ms": self.latency_p95_ms,
            "latency_p99_ms": self.latency_p99_ms,
            "bytes_received": self.bytes_received,
        }


@dataclass(frozen=True)
class RunFailure:
    """A failed Dagster run, as the run-failure sensor records it (a row of ``core.run_failures``)."""

    run_id: str
    job_name: str
    failed_at: datetime
    error_message: str
    step_errors: Mapping[str, str] = field(default_factory=dict)
    partition_start: str | None = None
    partition_end: str | None = None
    partition_key: str | None = None
    trigger: str = "manual"

    def __post_init__(self) -> None:
        if not self.run_id:
            raise MetricsInputError("run failure: run_id is empty")
        if not self.job_name:
            raise MetricsInputError(f"run failure {self.run_id}: job_name is empty")
        if self.failed_at.tzinfo is None:
            raise MetricsInputError(f"run failure {self.run_id}: failed_at must be timezone-aware UTC")

    @property
    def step_keys(self) -> list[str]:
        return sorted(self.step_errors)


def store_scrape_metrics(conn: psycopg.Connection, run_id: str, metrics: Iterable[ScrapeMetrics]) -> int:
    """Upsert the metrics rows of ``run_id`` (one transaction); returns how many rows were written."""
    if not run_id:
        raise MetricsInputError("store_scrape_metrics: run_id is empty")
    listed = list(metrics)
    rows = [
        {**vars(m), "run_id": run_id, "book": m.book.value, "errors": Jsonb(dict(sorted(m.errors.items())))}
        for m in listed
    ]
    keys = [(m.site_country, m.book.value, m.kind) for m in listed]
    if len(set(keys)) != len(keys):
        raise MetricsInputError(
            f"store_scrape_metrics({run_id}): a (site country, book, kind) appears twice: {keys}"
        )
    if not rows:
        return 0
    with conn.transaction(), conn.cursor() as cur:
        cur.executemany(
            """
            INSERT INTO core.scrape_metrics (run_id, book, kind, status, started_at, finished_at, requests,
                attempts, failed_requests, throttled, errors, latency_p50_ms, latency_p95_ms, latency_p99_ms,
                bytes_received, site_country)
            VALUES (%(run_id)s, %(book)s, %(kind)s, %(status)s, %(started_at)s, %(finished_at)s, %(requests)s,
                %(attempts)s, %(failed_requests)s, %(throttled)s, %(errors)s, %(latency_p50_ms)s,
                %(latency_p95_ms)s, %(latency_p99_ms)s, %(bytes_received)s, %(site_country)s)
            ON CONFLICT (run_id, site_country, book, kind) DO UPDATE SET
                status = EXCLUDED.status, started_at = EXCLUDED.started_at,
                finished_at = EXCLUDED.finished_at, requests = EXCLUDED.requests,
                attempts = EXCLUDED.attempts, failed_requests = EXCLUDED.failed_requests,
                throttled = EXCLUDED.throttled, errors = EXCLUDED.errors,
                latency_p50_ms = EXCLUDED.latency_p50_ms, latency_p95_ms = EXCLUDED.latency_p95_ms,
                latency_p99_ms = EXCLUDED.latency_p99_ms, bytes_received = EXCLUDED.bytes_received,
                recorded_at = now()
            """,
            rows,
        )
    return len(rows)


def store_run_failure(conn: psycopg.Connection, failure: RunFailure) -> None:
    """Upsert one failed run (a sensor re-evaluating the same failure rewrites the same row)."""
    step_errors = {key: _clip(message) for key, message in sorted(failure.step_errors.items())}
    with conn.transaction():
        conn.execute(
            """
            INSERT INTO core.run_failures (run_id, job_name, failed_at, error_message, step_keys, step_errors,
                partition_start, partition_end, partition_key, trigger)
            VALUES (%(run_id)s, %(job_name)s, %(failed_at)s, %(error_message)s, %(step_keys)s,
                %(step_errors)s, %(partition_start)s, %(partition_end)s, %(partition_key)s, %(trigger)s)
            ON CONFLICT (run_id) DO UPDATE SET
                job_name = EXCLUDED.job_name, failed_at = EXCLUDED.failed_at,
                error_message = EXCLUDED.error_message, step_keys = EXCLUDED.step_keys,
                step_errors = EXCLUDED.step_errors, partition_start = EXCLUDED.partition_start,
                partition_end = EXCLUDED.partition_end, partition_key = EXCLUDED.partition_key,
                trigger = EXCLUDED.trigger, recorded_at = now()
            """,
            {
                **vars(failure),
                "error_message": _clip(failure.error_message),
                "step_keys": failure.step_keys,
                "step_errors": Jsonb(step_errors),
            },
        )


def _clip(message: str) -> str:
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return message[: MAX_MESSAGE_CHARS - 20] + " ... [truncated]"
