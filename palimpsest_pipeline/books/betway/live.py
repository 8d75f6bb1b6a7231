"""Betway's live list: ``BetBook/LiveInPlay/`` [guess: never captured], ``events[]`` of ``sportEvent``
objects with optional ``markets[]``: a line is suspended unless ``isActive`` and not ``isSuspended``.
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
    return LiveEvent(event=event, markets=markets, suspended=suspended)


ADAPTER = LiveAdapter(wire, each_sport(live_request, parse_live_list), event_detail_request)
