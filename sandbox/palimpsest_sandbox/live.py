"""In-play event bodies: the match state at an instant, priced and rendered for SportyBet and Bet9ja.

Live bodies are small (a handful of markets) and change every game second, so they are rendered per request
rather than cached like the prematch details (see rendering.py). BetPawa has no live body: its v4
``events/{id}`` keeps answering 404 once a match has kicked off (v3 is retired and no v4 live response was
ever captured), so the sandbox serves nothing live for it.
"""

from __future__ import annotations

from datetime import datetime

import orjson

from palimpsest_pipeline.records import Book
from palimpsest_sandbox import bet9ja, sportybet
from palimpsest_sandbox.live_prices import (
    board_closed,
    book_live_prices,
    live_probabilities,
    strengths,
)
from palimpsest_sandbox.live_timeline import MatchState, match_state
from palimpsest_sandbox.world import WorldEvent

LIVE_BOOKS = frozenset({Book.SPORTYBET, Book.BET9JA})


def state_at(event: WorldEvent, at: datetime) -> MatchState | None:
    """The match at ``at``; None before kick-off and once it is over."""
    elapsed = (at - event.kickoff).total_seconds()
    return match_state(event.sport, event.match_seed, elapsed, strengths(event.sport, event.match_seed))


def live_body(book: Book, event: WorldEvent, at: datetime) -> bytes | None:
    """The complete HTTP body of ``book``'s live event endpoint, or None when the match is not in play."""
    if book not in LIVE_BOOKS:
        raise ValueError(f"{book.value} has no live event endpoint in the sandbox")
    state = state_at(event, at)
    if state is None:
        return None
    probabilities = live_probabilities(state, strengths(event.sport, event.match_seed))
    prices = book_live_prices(book, probabilities, closed=board_closed(state))
    if book is Book.SPORTYBET:
        changed_ms = int(at.timestamp()) // 60 * 60_000  # live prices move with the game minute
        detail = sportybet.live_event_detail(event, state, sportybet.live_markets(prices, changed_ms))
        return orjson.dumps(sportybet.envelope(detail))
    odds = bet9ja.live_odds(event.sport, prices, state.score)
    return orjson.dumps(bet9ja.ok(bet9ja.live_event(event, state, odds)))
