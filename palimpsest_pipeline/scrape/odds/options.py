"""The capture engine's tuning knobs (``capture_odds(options=...)``).

The reasons for the defaults live beside the code that uses each: ``parsing`` (workers, backlog), ``stream``
(batches), ``breaker``, ``gc_tuning``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CaptureOptions:
    """Tuning knobs; the defaults suit a production cycle of a few thousand events."""

    #: Parse processes; 0 parses inline on the event loop; None = one per CPU, at most two.
    parse_workers: int | None = None
    #: ``on_progress`` is called every this many finished events, or after this many seconds with at least
    #: one event finished (a follower must not be silent for long), and once at the end.
    progress_every: int = 250
    progress_interval_s: float = 2.0
    #: Events dispatched but not yet parsed; bounds the raw bodies waiting for a parse worker.
    max_pending_events: int = 400
    #: Consecutive failed requests after which a book is left out for ``breaker_cooldown_s`` (0: never).
    breaker_threshold: int = 25
    breaker_cooldown_s: float = 15.0
    #: Tune the garbage collector for the capture (see :func:`gc_tuned_for_capture`).
    tune_gc: bool = True
    #: Raw bodies (MB) waiting for a parse worker above which no new event is dispatched (``parsing``).
    parse_backlog_mb: int = 64
    #: With ``on_batch``: completed events handed over per batch (see ``odds_stream``).
    batch_events: int = 200

    def __post_init__(self) -> None:
        if self.progress_every < 1:
            raise ValueError(f"progress_every must be >= 1, got {self.progress_every}")
        if self.max_pending_events < 1:
            raise ValueError(f"max_pending_events must be >= 1, got {self.max_pending_events}")
