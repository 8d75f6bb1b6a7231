"""Betway's live list: ``BetBook/LiveInPlay/`` (PLATFORMS.md; never captured).

Assumed shape [guess]: as ``BetBook/Filtered/``, ``events[]`` of ``sportEvent`` objects (``isLive`` true),
each optionally with ``markets[]`` carrying the captured market flags ``isActive``/``isSuspended``: a line
is suspended unless it is active and not suspended. One request per sport (``sportId``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from palimpsest_pipeline.books.adapter import BadRow, parse_rows
from palimpsest_pipeline.books.betway.catalogue import BOOK, SPORT_IDS, event_from_node, row_identity, wire
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.live_list import LiveAdapter, LiveParts, poll_each_sport, same_settings
from palimpsest_pipeline.books.payload import Node, root
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.wire import BookRequest
from palimpsest_pipeline.records import LiveEvent

LIVE_ENDPOINT = "BetBook/LiveInPlay"


def live_request(sport: Sport) -> BookRequest:
    return BookRequest(LIVE_ENDPOINT, "BetBook/LiveInPlay/", {"sportId": SPORT_IDS[sport.key]})


def parse_live_list(
    data: Any, sport: Sport, *, where: str = LIVE_ENDPOINT
) -> tuple[list[LiveEvent], list[BadRow]]:
    """``events[]`` as LiveEvents, and the rows that could not be read."""
    rows = root(BOOK, where, data).get("events").elements()
    return parse_rows(rows, functools.partial(_live_row, sport_key=sport.key), sport.key, row_identity)


def _live_row(row: Node, sport_key: str) -> LiveEvent:
    event = event_from_node(row, sport_key)
    markets = suspended = 0
    for market in row.get("markets").elements() if row.opt("markets") is not None else []:
        markets += 1
        active = market.get("isActive").value is True and market.get("isSuspended").value is False
        suspended += not active
    return LiveEvent(event=event, markets=markets, suspended=suspended)


async def list_live(client: BookClient, sports: Sequence[Sport]) -> LiveParts:
    """One request per sport."""
    return await poll_each_sport(client, sports, live_request, parse_live_list)


ADAPTER = LiveAdapter(book=BOOK, wire=wire, live_settings=same_settings, list_live=list_live)
