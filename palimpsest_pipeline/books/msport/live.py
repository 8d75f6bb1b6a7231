"""MSport's live list: ``live-matches/list?sportId=...`` (PLATFORMS.md: ``tournaments``, ``events``,
``comingSoons``; never captured).

Assumed shape [guess]: the usual envelope, ``data.tournaments[]`` as in ``sports-matches-list`` (wrapper
``tournamentId``/``tournament``/``category``, ``events[]`` rows with the detail's header keys) and, per row,
``markets[]`` as in ``match/detail``: a line is suspended unless its ``status`` is 0 and one outcome's
``isActive`` is 1. ``comingSoons`` (not started) are not live and are not read. A ``data`` without
``tournaments`` fails the poll loudly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from palimpsest_pipeline.books.adapter import BadRow
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.live_list import LiveAdapter, LiveParts, poll_each_sport, same_settings
from palimpsest_pipeline.books.msport.catalogue import (
    BOOK,
    event_from_node,
    row_identity,
    wire,
    wrapper_fallback,
)
from palimpsest_pipeline.books.payload import Node, root
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.sportybet.platform import Fallback, read_grouped_rows, tradeable
from palimpsest_pipeline.books.wire import BookRequest
from palimpsest_pipeline.records import LiveEvent

LIVE_ENDPOINT = "live-matches/list"


def live_request(sport: Sport) -> BookRequest:
    return BookRequest(LIVE_ENDPOINT, LIVE_ENDPOINT, {"sportId": sport.sportybet_id})


def parse_live_list(
    data: Any, sport: Sport, *, where: str = LIVE_ENDPOINT
) -> tuple[list[LiveEvent], list[BadRow]]:
    """``data.tournaments[].events[]`` as LiveEvents, and the rows that could not be read."""
    wrappers = root(BOOK, where, data, "data").get("tournaments").elements()
    return read_grouped_rows(wrappers, sport, wrapper_fallback, _live_row, row_identity)


def _live_row(row: Node, sport_key: str, fallback: Fallback | None) -> LiveEvent:
    event = event_from_node(row, sport_key, fallback)
    markets = row.get("markets").elements() if row.opt("markets") is not None else []
    suspended = sum(not tradeable(market, market.get("outcomes").elements()) for market in markets)
    return LiveEvent(event=event, markets=len(markets), suspended=suspended)


async def list_live(client: BookClient, sports: Sequence[Sport]) -> LiveParts:
    """One request per sport."""
    return await poll_each_sport(client, sports, live_request, parse_live_list)


ADAPTER = LiveAdapter(book=BOOK, wire=wire, live_settings=same_settings, list_live=list_live)
