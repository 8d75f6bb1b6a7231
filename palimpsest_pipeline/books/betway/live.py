"""Betway's live list: ``BetBook/LiveInPlay/`` [guess: never captured], ``events[]`` of ``sportEvent``
objects with optional ``markets[]``: a line is suspended unless ``isActive`` and not ``isSuspended``. The
match minute is ``gameStateTimeScore.time`` (90 in the captured second half's stoppage time, whatever its
``timePeriod`` says), kept only for a football half whose ``state`` agrees with it.
"""

from __future__ import annotations

import functools
from typing import Any

from palimpsest_pipeline.books.betway.catalogue import (
    BOOK,
    SPORT_IDS,
    event_detail_request,
    event_from_node,
    row_identity,
    wire,
)
from palimpsest_pipeline.books.list_rows import BadRow, parse_rows
from palimpsest_pipeline.books.live_list import LiveAdapter, each_sport
from palimpsest_pipeline.books.match_clock import whole_minute
from palimpsest_pipeline.books.payload import Node
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.wire import BookRequest
from palimpsest_pipeline.records import LiveEvent

LIVE_ENDPOINT = "BetBook/LiveInPlay"


def live_request(sport: Sport) -> BookRequest:
    return BookRequest(LIVE_ENDPOINT, "BetBook/LiveInPlay/", {"sportId": SPORT_IDS[sport.key]})


def parse_live_list(data: Any, sport: Sport) -> tuple[list[LiveEvent], list[BadRow]]:
    """``events[]`` as LiveEvents, and the rows that could not be read."""
    rows = Node(BOOK, LIVE_ENDPOINT, data).get("events").elements()
    return parse_rows(rows, functools.partial(_live_row, sport_key=sport.key), sport.key, row_identity)


def _live_row(row: Node, sport_key: str) -> LiveEvent:
    event = event_from_node(row, sport_key)
    markets = suspended = 0
    for market in row.get("markets").elements() if row.opt("markets") is not None else []:
        markets += 1
        active = market.get("isActive").value is True and market.get("isSuspended").value is False
        suspended += not active
    return LiveEvent(event=event, markets=markets, suspended=suspended, minute=live_minute(row))


#: The minutes a football half's clock shows on Betway (held at 45 and 90 in stoppage time).
HALF_MINUTES = {"1st half": (0, 45), "2nd half": (45, 90)}


def live_minute(row: Node) -> int | None:
    """``gameStateTimeScore.time`` when its ``state`` is a half it fits (None otherwise; the row counts)."""
    fields = row.value if isinstance(row.value, dict) else {}
    clock = fields.get("gameStateTimeScore")
    if not isinstance(clock, dict):
        return None
    state = clock.get("state")
    minute, half = (
        whole_minute(clock.get("time")),
        HALF_MINUTES.get(state) if isinstance(state, str) else None,
    )
    if minute is None or half is None or not half[0] <= minute <= half[1]:
        return None
    return minute


ADAPTER = LiveAdapter(wire, each_sport(live_request, parse_live_list), event_detail_request)
