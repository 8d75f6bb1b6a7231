"""SportyBet's live list: ``liveOrPrematchEvents?sportId=...`` [guess: never captured nor documented], the
usual envelope, ``data`` tournaments of ``pcUpcomingEvents`` rows with ``markets[]``: a line is suspended
unless its ``status`` is 0, not ``banned``, and one outcome ``isActive`` 1. The match minute comes from
``playedSeconds`` ("35:51", as the captured live event shows it).
"""

from __future__ import annotations

from typing import Any

from palimpsest_pipeline.books.facts_center import LIVE_PRODUCT, Fallback, read_grouped_rows, tradeable
from palimpsest_pipeline.books.list_rows import BadRow
from palimpsest_pipeline.books.live_list import LiveAdapter, each_sport
from palimpsest_pipeline.books.match_clock import clock_seconds, minute_played
from palimpsest_pipeline.books.payload import Node
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.sportybet.catalogue import BOOK, WRAPPER_KEYS, event_from_node, wire
from palimpsest_pipeline.books.wire import BookRequest
from palimpsest_pipeline.records import LiveEvent

LIVE_ENDPOINT = "liveOrPrematchEvents"


def live_request(sport: Sport) -> BookRequest:
    return BookRequest(LIVE_ENDPOINT, LIVE_ENDPOINT, {"sportId": sport.sr_sport})


def parse_live_list(data: Any, sport: Sport) -> tuple[list[LiveEvent], list[BadRow]]:
    """``data``: tournaments of live event rows, as LiveEvents, and the rows that could not be read."""
    wrappers = Node(BOOK, LIVE_ENDPOINT, data, "data").elements()
    return read_grouped_rows(wrappers, sport, WRAPPER_KEYS, _live_row)


def _live_row(row: Node, sport_key: str, fallback: Fallback | None) -> LiveEvent:
    event = event_from_node(row, sport_key, fallback)
    markets = row.get("markets").elements()
    suspended = 0
    for market in markets:
        outcomes = market.get("outcomes").elements()
        if not outcomes:
            raise market.get("outcomes").error("a market without outcomes")
        suspended += not tradeable(market, outcomes, heed_banned=True)
    return LiveEvent(event=event, markets=len(markets), suspended=suspended, minute=live_minute(row))


def live_minute(row: Node) -> int | None:
    """The minute ``playedSeconds`` shows (None: none, or unreadable; the row still counts)."""
    value = row.value.get("playedSeconds") if isinstance(row.value, dict) else None
    return minute_played(clock_seconds(value))


def live_detail_request(event_id: str) -> BookRequest:
    """The in-play event detail: the prematch endpoint with ``productId=1`` (a captured response)."""
    return BookRequest("event", "event", {"eventId": event_id, "productId": LIVE_PRODUCT})


ADAPTER = LiveAdapter(wire, each_sport(live_request, parse_live_list), live_detail_request)
