"""What the books' endpoints share: an event's detail body (drifted where the book's payload drift is in
force), the prematch lists and the live list as the forced gaps and live starts leave them, and the sports
gone quiet.

Each book's handlers (its folder's handlers.py) are pure functions from the shared state and a request to an
:class:`Answer`; app.py wraps each of them with latency, faults and counting (``_book_endpoint``).
"""

from __future__ import annotations

from datetime import datetime

from palimpsest_pipeline.records import Book
from palimpsest_sandbox import payload_drift
from palimpsest_sandbox.app_state import SandboxState
from palimpsest_sandbox.live_coverage import forced_live_on, withdrawn_at
from palimpsest_sandbox.world import WorldEvent

#: The outcome a list answer emptied by ``quiet_sports`` is counted under.
QUIET = "quiet_sports"


def detail_body(state: SandboxState, book: Book, event: WorldEvent) -> bytes:
    """An event's detail body now, in the drifted shape where the book's payload drift is in force."""
    now = state.clock.now()
    body = state.renderer.detail(book, event, now)
    drift = state.faults.behaviour(book).payload_drift
    if drift is not None and payload_drift.applies(drift, now):
        return payload_drift.apply(book, drift, body)
    return body


def shown_live(state: SandboxState, book: Book) -> list[WorldEvent]:
    """The events on ``book``'s live list now: the world's, as the live starts forced through the control API
    change it, less the gaps forced there."""
    now = state.clock.now()
    forced = state.live_starts
    shown = [e for e in state.world.live_events(book, now) if not forced or forced.case(e, book) is None]
    if forced:
        shown.extend(e for e in state.world.in_play_events(book, now) if forced_live_on(e, book, now, forced))
        shown.sort(key=lambda e: (e.played_from, e.uid))
    return [e for e in shown if not state.live_gaps.hides(e, book, now)]


def on_live_list(state: SandboxState, book: Book, event: WorldEvent, at: datetime) -> bool:
    """Whether ``book``'s live list shows ``event`` at ``at``, as :func:`shown_live` decides (a forced case
    first, else the world's; less the forced gaps)."""
    shown = forced_live_on(event, book, at, state.live_starts) if state.live_starts else None
    if shown is None:
        shown = event.live_on(book, at)
    return shown and not state.live_gaps.hides(event, book, at)


def listed(
    state: SandboxState, book: Book, at: datetime, *, sport: str | None = None
) -> tuple[WorldEvent, ...]:
    """``book``'s prematch list at ``at``: the world's, less the matches a forced removal withdrew."""
    events = state.world.listed_events(book, at, sport=sport)
    if not state.live_starts:
        return events
    return tuple(e for e in events if not _pulled(state, e, book, at))


def found(state: SandboxState, book: Book, event_id: str, at: datetime) -> WorldEvent | None:
    """The event ``book`` lists as ``event_id`` at ``at`` (None where a forced removal withdrew it)."""
    event = state.world.find(book, event_id, at)
    return None if event is None or _pulled(state, event, book, at) else event


def found_in_play(state: SandboxState, book: Book, event_id: str, at: datetime) -> WorldEvent | None:
    """The event ``book`` shows in play as ``event_id`` at ``at`` (None where a forced removal withdrew it
    before kick-off)."""
    event = state.world.find_in_play(book, event_id, at)
    return None if event is None or _pulled(state, event, book, event.kickoff) else event


def _pulled(state: SandboxState, event: WorldEvent, book: Book, at: datetime) -> bool:
    pulled = withdrawn_at(event, book, state.live_starts) if state.live_starts else None
    return pulled is not None and pulled <= at


def is_quiet(state: SandboxState, book: Book, sport: str) -> bool:
    """Whether ``book``'s upcoming lists of ``sport`` answer empty now (``FaultConfig.quiet_sports``)."""
    return sport in state.faults.behaviour(book).faults.quiet_sports
