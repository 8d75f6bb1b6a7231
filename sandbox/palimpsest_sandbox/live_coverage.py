"""Which book shows which match on its live list, when, and how many of its live markets are suspended.

Pure functions of (seed, match, book, instant), read by the live list endpoints and by the tests as ground
truth. Real books do not all go live on a match: some cover most matches in play, others far fewer, each less
for a minor competition (the tournament's weight, prominence.py). A book that covers a match goes live some
seconds to minutes after kick-off, and some matches drop off a book's live list for a few minutes mid-match
(a feed hiccup, a trader pulling it). Suspended markets: every line all of whose outcomes are closed by the
price model, plus a per-book share suspended at random for half a minute at a time. The shares and delays are
each book's (its kit's ``LiveHabits``). Also the match's state at an instant (:func:`state_at`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.kit import kit
from palimpsest_sandbox.live_prices import (
    LivePrices,
    board_closed,
    book_live_prices,
    live_probabilities,
    strengths,
)
from palimpsest_sandbox.live_timeline import MatchState, match_state
from palimpsest_sandbox.names import unit

if TYPE_CHECKING:
    from palimpsest_sandbox.world_event import WorldEvent

#: How long (seconds) a match dropped mid-match stays off a book's live list.
LIVE_DROP_S = (60, 600)
#: Live lines a book shows suspended at random are redrawn every this many seconds.
SUSPENSION_WINDOW_S = 30


def covers_live(event: WorldEvent, book: Book) -> bool:
    """Whether ``book`` takes ``event`` live at all: it listed it up to kick-off and chose to cover it."""
    listing = event.listings.get(book)
    if listing is None or (listing.withdrawn_at is not None and listing.withdrawn_at < event.kickoff):
        return False
    base, slope = kit(book).live.coverage
    return unit(event.match_seed, "live-cover", book.value) < base + slope * event.tournament.weight


def live_start(event: WorldEvent, book: Book) -> datetime | None:
    """When ``book`` puts ``event`` on its live list (None: never)."""
    if not covers_live(event, book):
        return None
    low, high = kit(book).live.start_delay_s
    return event.kickoff + timedelta(
        seconds=low + round(unit(event.match_seed, "live-start", book.value) * (high - low))
    )


def drop_intervals(event: WorldEvent, book: Book) -> tuple[tuple[datetime, datetime], ...]:
    """The spells ``event`` is off ``book``'s live list mid-match, as [start, end) intervals."""
    start = live_start(event, book)
    if start is None or unit(event.match_seed, "live-drop", book.value) >= kit(book).live.drop_share:
        return ()
    room = (event.in_play_until - start).total_seconds() - 15 * 60
    if room <= 0:
        return ()
    begin = start + timedelta(seconds=300 + round(unit(event.match_seed, "live-drop-at", book.value) * room))
    low, high = LIVE_DROP_S
    length = low + round(unit(event.match_seed, "live-drop-for", book.value) * (high - low))
    return ((begin, min(event.in_play_until, begin + timedelta(seconds=length))),)


def live_on(event: WorldEvent, book: Book, at: datetime) -> bool:
    """Whether ``book``'s live list shows ``event`` at ``at``."""
    start = live_start(event, book)
    if start is None or not start <= at < event.in_play_until:
        return False
    return not any(begin <= at < end for begin, end in drop_intervals(event, book))


def live_gap_intervals(event: WorldEvent, book: Book) -> tuple[tuple[datetime, datetime], ...]:
    """The spells while ``event`` is in play that ``book``'s live list lacks it: from kick-off until it goes
    live (the whole match when it never does), then each mid-match drop."""
    start = live_start(event, book)
    if start is None:
        return ((event.kickoff, event.in_play_until),)
    lead = ((event.kickoff, start),) if start > event.kickoff else ()
    return lead + drop_intervals(event, book)


def state_at(event: WorldEvent, at: datetime) -> MatchState | None:
    """The match at ``at``; None before kick-off and once it is over."""
    elapsed = (at - event.kickoff).total_seconds()
    return match_state(event.sport, event.match_seed, elapsed, strengths(event.sport, event.match_seed))


@dataclass(frozen=True, slots=True)
class LiveLine:
    """One live market line as a book shows it: its outcomes' odds (None: closed) and whether it is
    suspended (every outcome unavailable)."""

    market: int
    specifier: str
    prices: tuple[tuple[int, float | None], ...]
    suspended: bool


def live_lines(event: WorldEvent, book: Book, at: datetime) -> list[LiveLine]:
    """``book``'s live market lines for ``event`` at ``at`` (empty when the match is not in play)."""
    state = state_at(event, at)
    if state is None:
        return []
    probabilities = live_probabilities(state, strengths(event.sport, event.match_seed))
    prices: LivePrices = book_live_prices(book, probabilities, closed=board_closed(state))
    habits = kit(book).live
    grouped: dict[tuple[int, str], list[tuple[int, float | None]]] = {}
    for (market, spec, outcome), price in prices.items():
        if market not in habits.not_live:
            grouped.setdefault((market, spec), []).append((outcome, price))
    window = int(at.timestamp()) // SUSPENSION_WINDOW_S
    lines = []
    for (market, spec), outcomes in grouped.items():
        pulled = unit(event.match_seed, "suspend", book.value, market, spec, window) < habits.suspended_share
        closed = all(price is None for _, price in outcomes)
        lines.append(LiveLine(market, spec, tuple(outcomes), pulled or closed))
    return lines


class ForcedLiveGaps:
    """Live gaps made on demand through the control API (``POST /_sandbox/live_gaps``): a match taken off a
    book's live list from one instant for some seconds. Thread-safe: the server and tests share it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._gaps: list[tuple[int, Book, datetime, datetime]] = []

    def add(self, sr_id: int, book: Book, start: datetime, seconds: float) -> tuple[datetime, datetime]:
        end = start + timedelta(seconds=seconds)
        with self._lock:
            self._gaps.append((sr_id, book, start, end))
        return start, end

    def clear(self) -> None:
        with self._lock:
            self._gaps.clear()

    def hides(self, event: WorldEvent, book: Book, at: datetime) -> bool:
        with self._lock:
            gaps = list(self._gaps)
        return any(sr == event.sr_id and b is book and start <= at < end for sr, b, start, end in gaps)

    def snapshot(self) -> list[dict[str, object]]:
        with self._lock:
            gaps = list(self._gaps)
        return [
            {"sr_id": sr, "book": b.value, "start": start.isoformat(), "end": end.isoformat()}
            for sr, b, start, end in gaps
        ]


#: The thresholds of a live start's truth (the issue's; the sandbox never imports the pipeline's transforms):
#: late after five minutes, removed more than thirty before kick-off.
LATE_AFTER = timedelta(minutes=5)
REMOVED_BEFORE = timedelta(minutes=30)


def start_truth(event: WorldEvent, book: Book) -> tuple[str, datetime | None] | None:
    """How ``book`` starts ``event`` live in the world, and when (None: it never listed the match): removed
    (withdrawn from the prematch list more than thirty minutes before kick-off), never_live (withdrawn later,
    or not covered live), late (live more than five minutes after kick-off) or on_time. The world moves no
    kick-off and delays no match itself, so neither rescheduled nor a delayed match arises."""
    listing = event.listings.get(book)
    if listing is None:
        return None
    if listing.withdrawn_at is not None and listing.withdrawn_at < event.kickoff - REMOVED_BEFORE:
        return "removed", None
    start = live_start(event, book)
    if start is None:
        return "never_live", None
    return ("late" if start > event.kickoff + LATE_AFTER else "on_time"), start
