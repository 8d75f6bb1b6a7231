"""What the books' endpoints share: an event's detail body (drifted where the book's payload drift is in
force), the live list less the forced gaps, and the sports gone quiet.

Each book's handlers (its folder's handlers.py) are pure functions from the shared state and a request to an
:class:`Answer`; app.py wraps each of them with latency, faults and counting (``_book_endpoint``).
"""

from __future__ import annotations

from palimpsest_pipeline.records import Book
from palimpsest_sandbox import payload_drift
from palimpsest_sandbox.app_state import SandboxState
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
    """The events on ``book``'s live list now: the world's, less the gaps forced through the control API."""
    now = state.clock.now()
    return [e for e in state.world.live_events(book, now) if not state.live_gaps.hides(e, book, now)]


def is_quiet(state: SandboxState, book: Book, sport: str) -> bool:
    """Whether ``book``'s upcoming lists of ``sport`` answer empty now (``FaultConfig.quiet_sports``)."""
    return sport in state.faults.behaviour(book).faults.quiet_sports
