"""Observability records: per-book scrape metrics of each run, and failed runs ("is a book degrading, and
since when?" without opening Dagster). Writes are upserts keyed by run: a re-executed step overwrites."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, Literal, get_args

import psycopg
from psycopg.types.json import Jsonb

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.store_inputs import require_aware

ScrapeKind = Literal["catalogue", "odds"]
MetricStatus = Literal["ok", "partial", "failed"]
_KINDS: tuple[str, ...] = get_args(ScrapeKind)
_STATUSES: tuple[str, ...] = get_args(MetricStatus)
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
            require_aware(getattr(self, name), f"{where}: {name}", MetricsInputError)
        if self.finished_at < self.started_at:
            raise MetricsInputError(f"{where}: finished_at is before started_at")
        for name in ("requests", "attempts", "failed_requests", "throttled"):
            if getattr(self, name) < 0:
                raise MetricsInputError(f"{where}: {name} is negative ({getattr(self, name)})")
        for kind, count in self.errors.items():
            if count < 0:
                raise MetricsInputError(f"{where}: error count of {kind!r} is negative ({count})")

    def as_metadata(self) -> dict[str, Any]:
        """JSON-ready form for Dagster run metadata: the status, the duration, then the counts, errors and
        latencies (the book, kind and site country key it)."""
        keyed_or_first = {"book", "kind", "site_country", "status", "started_at", "finished_at"}
        return {
            "status": self.status,
            "duration_s": round((self.finished_at - self.started_at).total_seconds(), 3),
            **{f.name: getattr(self, f.name) for f in fields(self) if f.name not in keyed_or_first},
            "errors": dict(sorted(self.errors.items())),
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
        require_aware(self.failed_at, f"run failure {self.run_id}: failed_at", MetricsInputError)

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
    columns = ("run_id", *(f.name for f in fields(ScrapeMetrics)))
    with conn.transaction(), conn.cursor() as cur:
        cur.executemany(
            _upsert("core.scrape_metrics", columns, ("run_id", "site_country", "book", "kind")), rows
        )
    return len(rows)


def store_run_failure(conn: psycopg.Connection, failure: RunFailure) -> None:
    """Upsert one failed run (a sensor re-evaluating the same failure rewrites the same row)."""
    step_errors = {key: _clip(message) for key, message in sorted(failure.step_errors.items())}
    columns = (*(f.name for f in fields(RunFailure)), "step_keys")
    with conn.transaction():
        conn.execute(
            _upsert("core.run_failures", columns, ("run_id",)),
            {
                **vars(failure),
                "error_message": _clip(failure.error_message),
                "step_keys": failure.step_keys,
                "step_errors": Jsonb(step_errors),
            },
        )


def _upsert(table: str, columns: Sequence[str], key: Sequence[str]) -> str:
    """An INSERT of ``columns`` (named parameters) that overwrites the row of the same ``key``, stamped now
    (every name is this module's constant, never input)."""
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c not in key)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(f'%({c})s' for c in columns)}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}, recorded_at = now()"
    )


def _clip(message: str) -> str:
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return message[: MAX_MESSAGE_CHARS - 20] + " ... [truncated]"
