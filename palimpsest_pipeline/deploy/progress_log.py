"""Progress of long steps as structured log records in the run's event log, so a CLI following a run,
wherever it runs, can draw per-book bars; ``ProgressThrottle`` keeps a hot loop to one every few seconds."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

PROGRESS_PREFIX = "progress "
#: How often a hot loop may log progress: often enough that a follower is never silent for long.
PROGRESS_INTERVAL_S = 2.0
#: Run config of runs a CLI command follows and shows itself: Dagster's console logger stays quiet.
FOLLOWED_RUN_LOGS = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


@dataclass(frozen=True)
class ProgressRecord:
    """How far one step (of one site country and book) is: ``done`` of ``total`` (None: unknown) ``unit``."""

    step: str
    done: int
    total: int | None = None
    book: str | None = None
    unit: str = "events"
    detail: str | None = None
    site_country: str | None = None

    def key(self) -> tuple[str, str | None, str | None]:
        """What a display keeps one bar for: a step of one country and book."""
        return (self.step, self.site_country, self.book)

    def message(self) -> str:
        return PROGRESS_PREFIX + json.dumps({k: v for k, v in asdict(self).items() if v is not None})


def parse_progress(message: str) -> ProgressRecord | None:
    """The record a log message carries, or None for any other message (or a malformed record)."""
    if not message.startswith(PROGRESS_PREFIX):
        return None
    try:
        fields: dict[str, Any] = json.loads(message[len(PROGRESS_PREFIX) :])
        return ProgressRecord(
            step=str(fields["step"]),
            done=int(fields["done"]),
            total=None if fields.get("total") is None else int(fields["total"]),
            book=fields.get("book"),
            unit=str(fields.get("unit", "events")),
            detail=fields.get("detail"),
            site_country=fields.get("site_country"),
        )
    except (ValueError, KeyError, TypeError):
        return None


@dataclass(eq=False)
class ProgressThrottle:
    """Lets a record through at most every ``interval_s`` (the first one always), unless forced."""

    emit: Callable[[str], None]
    interval_s: float = PROGRESS_INTERVAL_S
    clock: Callable[[], float] = time.monotonic
    _last: float | None = field(default=None, init=False)

    def __call__(self, record: ProgressRecord, *, force: bool = False) -> bool:
        now = self.clock()
        if not force and self._last is not None and now - self._last < self.interval_s:
            return False
        self._last = now
        self.emit(record.message())
        return True
