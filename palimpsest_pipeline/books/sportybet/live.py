"""SportyBet's live list: ``liveOrPrematchEvents?sportId=...`` [guess: never captured nor documented], the
usual envelope, ``data`` tournaments of ``pcUpcomingEvents`` rows with ``markets[]``: a line is suspended
unless its ``status`` is 0, not ``banned``, and one outcome ``isActive`` 1. The match minute comes from
``playedSeconds`` ("35:51", as the captured live event shows it), the score from ``setScore`` checked against
``gameScore`` where present, the half from ``matchStatus`` ("H2") checked against ``period``, and each line's
UOF market from its ``id`` and ``specifier``.
"""

from __future__ import annotations

from typing import Any

from palimpsest_pipeline.books.facts_center import LIVE_PRODUCT, Fallback, read_grouped_rows, tradeable
from palimpsest_pipeline.books.list_rows import BadRow
from palimpsest_pipeline.books.live_list import LiveAdapter, each_sport, market_number
from palimpsest_pipeline.books.match_clock import clock_seconds, minute_played
from palimpsest_pipeline.books.match_score import agreeing_score, football_half
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
    lines = []
    for market in markets:
        outcomes = market.get("outcomes").elements()
        if not outcomes:
            raise market.get("outcomes").error("a market without outcomes")
        pulled = not tradeable(market, outcomes, heed_banned=True)
        suspended += pulled
        line = _line(market.value, pulled)
        if line is not None:
            lines.append(line)
    fields = row.value if isinstance(row.value, dict) else {}
    return LiveEvent(
        event=event,
        markets=len(markets),
        suspended=suspended,
        minute=live_minute(row),
        score=agreeing_score(fields.get("setScore"), fields.get("gameScore")),
        half=football_half(fields.get("matchStatus"), fields.get("period")),
        lines=tuple(lines),
    )


def _line(market: Any, suspended: bool) -> tuple[int, str, bool] | None:
    """(UOF market id, specifier, suspended) of a live market; None where its id or specifier is unreadable
    (the line still counts in the row's totals)."""
    market_id, specifier = market.get("id"), market.get("specifier", "")
    number = market_number(market_id) if isinstance(market_id, str) else None
    if number is None or not isinstance(specifier, str):
        return None
    return number, specifier, suspended


def live_minute(row: Node) -> int | None:
    """The minute ``playedSeconds`` shows (None: none, or unreadable; the row still counts)."""
    value = row.value.get("playedSeconds") if isinstance(row.value, dict) else None
    return minute_played(clock_seconds(value))


def live_detail_request(event_id: str) -> BookRequest:
    """The in-play event detail: the prematch endpoint with ``productId=1`` (a captured response)."""
    return BookRequest("event", "event", {"eventId": event_id, "productId": LIVE_PRODUCT})


ADAPTER = LiveAdapter(wire, each_sport(live_request, parse_live_list), live_detail_request)
