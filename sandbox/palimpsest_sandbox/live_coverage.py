"""Which book shows which match on its live list, when, and how many of its live markets are suspended.

Pure functions of (seed, match, book, instant), read by the live list endpoints and by the tests as ground
truth. Real books do not all go live on a match: some cover most matches in play, others far fewer, each less
for a minor competition (the tournament's weight, prominence.py). A book that covers a match goes live some
seconds to minutes after the match really kicks off, and some matches drop off a book's live list for a few
minutes mid-match (a feed hiccup, a trader pulling it). Suspended markets: every line all of whose outcomes
are closed by the price model, plus a per-book share suspended at random for half a minute at a time, plus
each book's spell after every goal (its chosen markets, or all) and the spells forced through the control
API. The shares, delays and spells are each book's (its kit's ``LiveHabits``). Also the match's state and
phase at an instant (:func:`state_at`, :func:`phase_at`), the live gaps, starts and suspensions forced
through the control API, each (match, book)'s live start as the world plays it (:func:`start_truth`) and
its suspended lines per market (:func:`suspension_truth`).
"""

from __future__ import annotations

import threading
from contextvars import ContextVar
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
from palimpsest_sandbox.live_timeline import MatchState, Strengths, goal_instants, match_state
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
    return event.played_from + timedelta(
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
    """The spells while ``event`` is in play that ``book``'s live list lacks it: from the real kick-off until
    it goes live (the whole match when it never does), then each mid-match drop."""
    start = live_start(event, book)
    if start is None:
        return ((event.played_from, event.in_play_until),)
    lead = ((event.played_from, start),) if start > event.played_from else ()
    return lead + drop_intervals(event, book)


def state_at(event: WorldEvent, at: datetime) -> MatchState | None:
    """The match at ``at``; None before its real kick-off and once it is over."""
    elapsed = (at - event.played_from).total_seconds()
    return match_state(event.sport, event.match_seed, elapsed, strengths(event.sport, event.match_seed))


@dataclass(frozen=True, slots=True)
class LiveLine:
    """One live market line as a book shows it: its outcomes' odds (None: closed) and whether it is
    suspended (every outcome unavailable)."""

    market: int
    specifier: str
    prices: tuple[tuple[int, float | None], ...]
    suspended: bool


def goal_spells(event: WorldEvent, book: Book) -> tuple[tuple[datetime, datetime], ...]:
    """The [start, end) spells ``book`` suspends its goal markets for after each of ``event``'s goals: from
    the instant the goal shows in the score, each spell's length drawn from
    the book's ``goal_suspension_s``."""
    low, high = kit(book).live.goal_suspension_s
    if high <= 0:
        return ()
    spells = []
    for index, second in enumerate(goal_instants(event.sport, event.match_seed, _strengths(event))):
        start = event.played_from + timedelta(seconds=second)
        length = low + round(unit(event.match_seed, "goal-suspend", book.value, index) * (high - low))
        spells.append((start, start + timedelta(seconds=length)))
    return tuple(spells)


def _strengths(event: WorldEvent) -> Strengths:
    return strengths(event.sport, event.match_seed)


def goal_suspended(event: WorldEvent, book: Book, market: int, at: datetime) -> bool:
    """Whether ``book`` holds ``market`` suspended at ``at`` for a goal (its goal markets, or all)."""
    chosen = kit(book).live.goal_markets
    if chosen and market not in chosen:
        return False
    return any(start <= at < end for start, end in goal_spells(event, book))


def live_lines(event: WorldEvent, book: Book, at: datetime) -> list[LiveLine]:
    """``book``'s live market lines for ``event`` at ``at`` (empty when the match is not in play), with the
    spells forced through the control API where a request is being served (:data:`FORCED_SUSPENSIONS`)."""
    state = state_at(event, at)
    if state is None:
        return []
    forced = FORCED_SUSPENSIONS.get()
    forced_markets = None if forced is None else forced.markets(event, book, at)
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
        pulled = pulled or goal_suspended(event, book, market, at)
        pulled = pulled or (forced_markets is not None and (not forced_markets or market in forced_markets))
        closed = all(price is None for _, price in outcomes)
        lines.append(LiveLine(market, spec, tuple(outcomes), pulled or closed))
    return lines


class ForcedSuspensions:
    """Suspension spells made on demand through the control API (``POST /_sandbox/live_suspensions``): one
    book suspends some markets (every market when none are named) of one match from an instant for some
    seconds. Thread-safe: the server and tests share it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._spells: list[tuple[int, Book, datetime, datetime, frozenset[int]]] = []

    def add(
        self, sr_id: int, book: Book, start: datetime, seconds: float, markets: frozenset[int] = frozenset()
    ) -> tuple[datetime, datetime]:
        end = start + timedelta(seconds=seconds)
        with self._lock:
            self._spells.append((sr_id, book, start, end, markets))
        return start, end

    def clear(self) -> None:
        with self._lock:
            self._spells.clear()

    def markets(self, event: WorldEvent, book: Book, at: datetime) -> frozenset[int] | None:
        """The markets a forced spell holds suspended at ``at`` (empty: every market; None: no spell)."""
        with self._lock:
            spells = [s for s in self._spells if s[0] == event.sr_id and s[1] is book and s[2] <= at < s[3]]
        if not spells:
            return None
        if any(not markets for *_, markets in spells):
            return frozenset()
        return frozenset().union(*(markets for *_, markets in spells))

    def snapshot(self) -> list[dict[str, object]]:
        with self._lock:
            spells = list(self._spells)
        return [
            {"sr_id": sr, "book": b.value, "start": start.isoformat(), "end": end.isoformat(),
             "markets": sorted(markets)}
            for sr, b, start, end, markets in spells
        ]  # fmt: skip


#: The forced spells of the state serving the current request (set by the app around each book handler):
#: the books' payload functions call :func:`live_lines` without the app's state.
FORCED_SUSPENSIONS: ContextVar[ForcedSuspensions | None] = ContextVar("forced_suspensions", default=None)

#: The match phases suspension is judged in (football's), ``after_goal`` taking precedence over the half.
PHASES = {"H1": "first_half", "HT": "half_time", "H2": "second_half"}


def phase_at(event: WorldEvent, at: datetime, after_goal_s: int) -> str | None:
    """The phase of ``event`` at ``at``: ``after_goal`` when a goal showed in the ``after_goal_s`` seconds up
    to it (a score at ``at`` other than ``after_goal_s`` earlier), else its half or half time; None when not
    in play or not football."""
    state = state_at(event, at)
    if state is None or event.sport != "football":
        return None
    elapsed = int((at - event.played_from).total_seconds())
    if any(elapsed - after_goal_s < second <= elapsed for second in goal_instants(
        event.sport, event.match_seed, _strengths(event)
    )):  # fmt: skip
        return "after_goal"
    return PHASES.get(state.phase.code)


def suspension_truth(
    event: WorldEvent, book: Book, at: datetime, forced: ForcedSuspensions | None = None
) -> dict[int, tuple[int, int]]:
    """Per market id, ``book``'s live lines of ``event`` at ``at`` and how many are suspended, as its live
    board shows them (the spells of ``forced`` included)."""
    token = FORCED_SUSPENSIONS.set(forced)
    try:
        lines = live_lines(event, book, at)
    finally:
        FORCED_SUSPENSIONS.reset(token)
    counts: dict[int, tuple[int, int]] = {}
    for line in lines:
        total, suspended = counts.get(line.market, (0, 0))
        counts[line.market] = (total + 1, suspended + line.suspended)
    return counts


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


#: The cases a test or a drill can force on one book's start of one match (``POST /_sandbox/live_starts``),
#: and the minutes each takes when none are given: late and on_time go live that many minutes after the real
#: kick-off, removed is withdrawn from the prematch list that many minutes before kick-off.
START_CASES = {"late": 10.0, "on_time": 1.0, "never_live": 0.0, "removed": 60.0}


class ForcedLiveStarts:
    """Live starts forced on demand through the control API: one book's start of one match made late, on
    time, never live, or its listing withdrawn before kick-off. Thread-safe: the server and tests share it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cases: dict[tuple[int, Book], tuple[str, float]] = {}

    def add(self, sr_id: int, book: Book, case: str, minutes: float | None = None) -> tuple[str, float]:
        if case not in START_CASES:
            raise ValueError(f"case must be one of {sorted(START_CASES)}")
        forced = (case, START_CASES[case] if minutes is None else float(minutes))
        with self._lock:
            self._cases[sr_id, book] = forced
        return forced

    def clear(self) -> None:
        with self._lock:
            self._cases.clear()

    def case(self, event: WorldEvent, book: Book) -> tuple[str, float] | None:
        """The case forced on ``book``'s start of ``event`` and its minutes (None: the world's own)."""
        with self._lock:
            return self._cases.get((event.sr_id, book))

    def __bool__(self) -> bool:
        with self._lock:
            return bool(self._cases)

    def snapshot(self) -> list[dict[str, object]]:
        with self._lock:
            cases = dict(self._cases)
        return [
            {"sr_id": sr, "book": b.value, "case": case, "minutes": minutes}
            for (sr, b), (case, minutes) in cases.items()
        ]


def withdrawn_at(event: WorldEvent, book: Book, forced: ForcedLiveStarts | None = None) -> datetime | None:
    """When ``book`` withdrew ``event`` from its prematch list (None: never), a forced removal included."""
    listing = event.listings.get(book)
    own = None if listing is None else listing.withdrawn_at
    case = None if forced is None else forced.case(event, book)
    if case is None or case[0] != "removed":
        return own
    pulled = event.kickoff - timedelta(minutes=case[1])
    return pulled if own is None else min(own, pulled)


def book_live_start(event: WorldEvent, book: Book, forced: ForcedLiveStarts | None = None) -> datetime | None:
    """When ``book`` puts ``event`` on its live list, a forced case included (None: never)."""
    case = None if forced is None else forced.case(event, book)
    if case is None:
        return live_start(event, book)
    name, minutes = case
    if name in ("late", "on_time") and book in event.listings:
        pulled = withdrawn_at(event, book)
        if pulled is None or pulled >= event.kickoff:
            return event.played_from + timedelta(minutes=minutes)
    return None


def forced_live_on(event: WorldEvent, book: Book, at: datetime, forced: ForcedLiveStarts) -> bool | None:
    """Whether ``book``'s live list shows ``event`` at ``at`` under a forced case (None: none is forced, the
    world's :func:`live_on` holds; a forced start keeps no mid-match drop)."""
    if forced.case(event, book) is None:
        return None
    start = book_live_start(event, book, forced)
    return start is not None and start <= at < event.in_play_until


#: The thresholds of a live start's truth (the issue's; the sandbox never imports the pipeline's transforms):
#: late after five minutes, never live after ninety, removed more than thirty before kick-off, a match
#: minute of five or less at the live start is the match's own delay.
LATE_AFTER = timedelta(minutes=5)
NEVER_AFTER = timedelta(minutes=90)
REMOVED_BEFORE = timedelta(minutes=30)
DELAYED_MINUTE = 5


@dataclass(frozen=True, slots=True)
class StartTruth:
    """How one book started one match in the world: ``status`` (on_time, late, never_live, removed or
    rescheduled), when it went live (None: never), the kick-off its prematch list showed last, and for a late
    start its reason (match_delayed: the match minute at the live start was five or less; coverage_late)."""

    status: str
    live_at: datetime | None
    kickoff: datetime
    reason: str | None = None


def start_truth(event: WorldEvent, book: Book, forced: ForcedLiveStarts | None = None) -> StartTruth | None:
    """How ``book`` starts ``event`` live in the world (None: it never listed the match). Removed: withdrawn
    from the prematch list more than thirty minutes before the kick-off it showed last; rescheduled: it
    listed the match before its kick-off moved and still after; never_live: withdrawn later, not covered
    live, or live only after ninety minutes; late: live more than five minutes after kick-off; else on_time.
    A book down at kick-off is the pipeline's matter (unmonitored), not the world's."""
    listing = event.listings.get(book)
    if listing is None:
        return None
    pulled = withdrawn_at(event, book, forced)
    moved = event.rescheduled
    kickoff = event.kickoff
    if moved is not None and pulled is not None and pulled <= moved.moved_at:
        kickoff = moved.listed_before  # withdrawn before the move: the book never showed the new time
    if pulled is not None and pulled < kickoff - REMOVED_BEFORE:
        return StartTruth("removed", None, kickoff)
    start = book_live_start(event, book, forced)
    if start is not None and start >= kickoff + NEVER_AFTER:
        start = None
    if moved is not None and kickoff == event.kickoff and listing.appear_at < moved.moved_at:
        return StartTruth("rescheduled", start, kickoff)
    if start is None:
        return StartTruth("never_live", None, kickoff)
    if start <= kickoff + LATE_AFTER:
        return StartTruth("on_time", start, kickoff)
    state = state_at(event, start)
    minute = 0 if state is None else state.minute
    return StartTruth(
        "late", start, kickoff, "match_delayed" if minute <= DELAYED_MINUTE else "coverage_late"
    )
