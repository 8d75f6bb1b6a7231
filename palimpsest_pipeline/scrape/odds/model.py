"""What the odds capture engine takes and returns, and the pure rules it follows (priority, slot order, skew).
A price's capture time is when its request was *sent*; an event's skew, the spread of those times.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, Literal

import polars as pl

from palimpsest_pipeline.books.limits import percentile
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.records import Book, OddsRow

CaptureStatus = Literal["ok", "not_listed", "failed", "gone"]

#: Error kind counted for events not even requested while a book's breaker was open.
BREAKER_SKIPPED = "breaker_skipped"


@dataclass(frozen=True, slots=True)
class CaptureTarget:
    """One SportRadar event to capture, and each listing book's own id for it (no entry: not listed)."""

    sr_id: int
    kickoff: datetime
    listings: Mapping[Book, str]

    def __post_init__(self) -> None:
        if self.kickoff.tzinfo is None:
            raise ValueError(
                f"target {self.sr_id}: kickoff must be timezone-aware UTC, got naive "
                f"{self.kickoff.isoformat()}"
            )
        for book, event_id in self.listings.items():
            if not isinstance(book, Book):
                raise ValueError(f"target {self.sr_id}: listing key {book!r} is not a Book")
            if not event_id or not event_id.strip():
                raise ValueError(f"target {self.sr_id}: empty {book.value} event id")


@dataclass(frozen=True, slots=True)
class CaptureResult:
    """What happened to one (SR id, book): ``ok``, ``not_listed`` (nothing requested), ``failed`` (``reason``
    and ``error_kind`` say why) or ``gone`` ("not found"); ``sent_at`` is the prices' capture time."""

    sr_id: int
    book: Book
    status: CaptureStatus
    event_id: str | None = None
    reason: str | None = None
    error_kind: str | None = None
    sent_at: datetime | None = None
    received_at: datetime | None = None
    attempts: int = 0
    odds: EventOdds | None = None

    def rows(self) -> list[OddsRow]:
        """This capture's prices (empty unless ``ok``), each at the capture's time ``sent_at``."""
        if self.odds is None or self.sent_at is None:
            return []
        return self.odds.rows

    def stamped(self, at: datetime) -> CaptureResult:
        """This result as captured at ``at``: its send and receive times and every price's capture time."""
        odds = self.odds
        if odds is not None:
            odds = replace(odds, rows=[row._replace(captured_at=at) for row in odds.rows])
        return replace(self, sent_at=at, received_at=at, odds=odds)


@dataclass(frozen=True, slots=True)
class CaptureProgress:
    """Handed to ``on_progress`` every few events and once at the end; ``by_status`` counts the results so
    far over every (event, book)."""

    done: int
    total: int
    by_status: dict[str, int]


@dataclass(frozen=True)
class CaptureOptions:
    """The engine's tuning knobs; the defaults suit a production cycle of a few thousand events."""

    #: Parse processes; 0 parses inline on the event loop; None = inline for a small capture, else one per
    #: CPU, at most two (``parsing.default_parse_workers``).
    parse_workers: int | None = None
    #: ``on_progress`` is called every this many finished events (and every few seconds, and at the end).
    progress_every: int = 250
    #: Events dispatched but not yet parsed; bounds the raw bodies waiting for a parse worker.
    max_pending_events: int = 400
    #: Consecutive failed requests after which a book is left out for ``breaker_cooldown_s`` (0: never).
    breaker_threshold: int = 25
    breaker_cooldown_s: float = 15.0
    #: With a store: complete events handed over per batch (see ``stream``).
    batch_events: int = 200
    #: Ask each book's in-play event detail on its live API (``books/<book>/live.py``) instead of the
    #: prematch one: the live snapshots of the live watch.
    live: bool = False
    #: Stamp every result at this instant instead of its send time: a capture of a simulated world standing
    #: still there (the demo's kick-off), whose prices are that instant's, not the real clock's.
    stamp_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.progress_every < 1:
            raise ValueError(f"progress_every must be >= 1, got {self.progress_every}")
        if self.max_pending_events < 1:
            raise ValueError(f"max_pending_events must be >= 1, got {self.max_pending_events}")


@dataclass(frozen=True)
class BookCaptureStats:
    """One book's side of a capture, for run metadata."""

    book: Book
    requests: int
    attempts: int
    ok: int
    gone: int
    failed: int
    not_listed: int
    throttled: int
    errors: dict[str, int]
    latency_p50_ms: float | None
    latency_p95_ms: float | None
    latency_p99_ms: float | None
    bytes_received: int
    rows: int
    parse_cpu_s: float
    peak_in_flight: int
    max_in_flight: int

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "book"}


@dataclass(repr=False)
class OddsCapture:
    """One capture cycle: a result for every (target, configured book), statistics, and mapping gaps. Its
    ``repr`` is a one-line summary (the full one, of millions of prices, ``asyncio.run`` would build)."""

    started_at: datetime
    finished_at: datetime
    results: dict[int, dict[Book, CaptureResult]]
    stats: dict[Book, BookCaptureStats]
    #: Open outcomes the parsers could not map, per (book, the book's market key), summed over events.
    unmapped: dict[tuple[Book, str], int] = field(default_factory=dict)

    @property
    def wall_s(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()

    def __repr__(self) -> str:
        return (
            f"OddsCapture(events={len(self.results)}, wall_s={self.wall_s:.1f}, "
            f"statuses={ {book.value: counts for book, counts in self.status_counts().items()} })"
        )

    def all_results(self) -> Iterator[CaptureResult]:
        for by_book in self.results.values():
            yield from by_book.values()

    def status_counts(self) -> dict[Book, dict[str, int]]:
        counts: dict[Book, Counter[str]] = {}
        for result in self.all_results():
            counts.setdefault(result.book, Counter())[result.status] += 1
        return {book: dict(sorted(counter.items())) for book, counter in counts.items()}

    def skews_ms(self) -> dict[int, float]:
        """Capture skew per SR id captured ``ok`` on at least two books (see module doc)."""
        skews: dict[int, float] = {}
        for sr_id, by_book in self.results.items():
            sent = [r.sent_at for r in by_book.values() if r.status == "ok" and r.sent_at is not None]
            if len(sent) >= 2:
                skews[sr_id] = (max(sent) - min(sent)).total_seconds() * 1000
        return skews

    def skew_summary(self) -> dict[str, float | None]:
        values = list(self.skews_ms().values())
        return {
            "events": float(len(values)),
            "p50_ms": _rounded(percentile(values, 0.50)),
            "p95_ms": _rounded(percentile(values, 0.95)),
            "p99_ms": _rounded(percentile(values, 0.99)),
            "max_ms": _rounded(max(values) if values else None),
        }

    def metadata(self) -> dict[str, Any]:
        """A JSON-ready summary for run metadata (Dagster) and logs."""
        return {
            "events": len(self.results),
            "wall_s": round(self.wall_s, 3),
            "skew": self.skew_summary(),
            "statuses": {book.value: counts for book, counts in self.status_counts().items()},
            "books": {book.value: stats.as_dict() for book, stats in self.stats.items()},
            "unmapped_top": {
                f"{book.value}:{key}": count
                for (book, key), count in sorted(self.unmapped.items(), key=lambda item: -item[1])[:20]
            },
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def targets_from_frame(
    events: pl.DataFrame, *, now: datetime, sr_ids: Sequence[int] = (), within: timedelta | None = None
) -> list[CaptureTarget]:
    """One target per SportRadar id of stored listings (a frame with book, event_id, sr_id and kickoff),
    kick-off the earliest any book announces: SR ids still ahead of kick-off, narrowed to ``sr_ids`` and to
    kick-offs at most ``within`` ahead if given."""
    upcoming = events.filter(pl.col("sr_id").is_not_null() & (pl.col("kickoff") > now))
    if sr_ids:
        upcoming = upcoming.filter(pl.col("sr_id").is_in(list(sr_ids)))
    grouped = upcoming.group_by("sr_id").agg(
        pl.col("kickoff").min(), pl.struct("book", "event_id").alias("listings")
    )
    if within is not None:
        grouped = grouped.filter(pl.col("kickoff") <= now + within)
    return [
        CaptureTarget(
            sr_id=row["sr_id"],
            kickoff=row["kickoff"],
            listings={Book(item["book"]): item["event_id"] for item in row["listings"]},
        )
        for row in grouped.sort("sr_id").iter_rows(named=True)
    ]


@dataclass(frozen=True)
class GeniusReach:
    """The listings a capture reached only through the Genius id, per book, and those skipped, per reason:
    how much of the comparison depends on the Genius bridge (run metadata)."""

    by_book: dict[str, int]
    skipped: dict[str, int]

    @property
    def listings(self) -> int:
        return sum(self.by_book.values())


def genius_reach(listings: pl.DataFrame, targets: Sequence[CaptureTarget]) -> GeniusReach:
    """Count the targets' listings reached through the Genius id and the skipped ones in ``listings``
    (``frames.CAPTURE_LISTINGS_SCHEMA``)."""
    via_genius = {
        (row["sr_id"], row["book"], row["event_id"])
        for row in listings.filter(pl.col("via_genius") & pl.col("sr_id").is_not_null()).iter_rows(named=True)
    }
    by_book: Counter[str] = Counter(
        book.value
        for target in targets
        for book, event_id in target.listings.items()
        if (target.sr_id, book.value, event_id) in via_genius
    )
    skipped = Counter(listings.filter(pl.col("skipped").is_not_null())["skipped"].to_list())
    return GeniusReach(by_book=dict(sorted(by_book.items())), skipped=dict(sorted(skipped.items())))


def urgency(kickoff: datetime, now: datetime) -> int:
    """The tier an event is captured in (one about to start will not wait for later ones): 0 = imminent
    (kick-off in under 30 min, or already past), 1 = soon (under 2 h), 2 = later."""
    ahead = kickoff - now
    return 0 if ahead < timedelta(minutes=30) else 1 if ahead < timedelta(hours=2) else 2


def dispatch_order(
    targets: Sequence[CaptureTarget], now: datetime, books: Iterable[Book]
) -> list[CaptureTarget]:
    """Targets in capture order: kick-off urgency tier, then more listing books first (an event on every book
    is the most valuable comparison), then earlier kick-off, then SR id (a stable order)."""
    wanted = set(books)
    return sorted(
        targets,
        key=lambda t: (
            urgency(t.kickoff, now),
            -sum(1 for b in t.listings if b in wanted),
            t.kickoff,
            t.sr_id,
        ),
    )


def acquisition_order(books: Iterable[Book], settings: Mapping[Book, BookSettings]) -> list[Book]:
    """The scarcest book first: fewest requests per second its limits allow, ~ max_in_flight / (latency +
    pause) with a nominal 100 ms latency; the name breaks ties, so every coordinator takes slots in one total
    order (no deadlock)."""
    return sorted(books, key=lambda b: (settings[b].max_in_flight / (0.1 + settings[b].pause_s), b.value))


def validate(targets: Sequence[CaptureTarget], settings: Mapping[Book, BookSettings], now: datetime) -> None:
    """Reject arguments that cannot describe a capture, naming what is wrong."""
    if now.tzinfo is None:
        raise ValueError(f"now must be timezone-aware UTC, got naive {now.isoformat()}")
    for book, book_settings in settings.items():
        if book_settings.book is not book:
            raise ValueError(f"settings under {book.value} are for {book_settings.book.value}")
    seen: set[int] = set()
    for target in targets:
        if target.sr_id in seen:
            raise ValueError(f"SR id {target.sr_id} is targeted twice")
        seen.add(target.sr_id)
