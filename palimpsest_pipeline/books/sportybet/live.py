"""SportyBet's live list: ``factsCenter/liveOrPrematchEvents?sportId=...`` (a [guess]: never captured nor
documented; the path is the one SportyBet's live page is believed to use).

Assumed shape: the usual envelope, ``data`` a list of tournaments each with ``events[]`` rows of the
``pcUpcomingEvents`` shape (``eventId`` "sr:match:N", ``eventSource``, teams, ``sport.category.tournament``)
with the live fields of the captured live event (``status`` 1, ``setScore``, ``matchStatus``). Each of
``markets[]`` is one line; it is suspended unless its ``status`` is 0 and one outcome ``isActive`` is 1
(tradeable as in PLATFORMS.md). A ``data`` that is not a list of tournaments fails the poll loudly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from palimpsest_pipeline.books.adapter import BadRow
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.live_list import LiveAdapter, LiveParts, poll_each_sport, same_settings
from palimpsest_pipeline.books.payload import Node, root
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.sportybet.catalogue import (
    BOOK,
    event_from_node,
    wire,
    wrapper_fallback,
)
from palimpsest_pipeline.books.sportybet.platform import Fallback, read_grouped_rows, tradeable
from palimpsest_pipeline.books.wire import BookRequest
from palimpsest_pipeline.records import LiveEvent

LIVE_ENDPOINT = "liveOrPrematchEvents"


def live_request(sport: Sport) -> BookRequest:
    return BookRequest(LIVE_ENDPOINT, LIVE_ENDPOINT, {"sportId": sport.sportybet_id})


def parse_live_list(
    data: Any, sport: Sport, *, where: str = LIVE_ENDPOINT
) -> tuple[list[LiveEvent], list[BadRow]]:
    """``data``: tournaments of live event rows, as LiveEvents, and the rows that could not be read."""
    wrappers = root(BOOK, where, data, "data").elements()
    return read_grouped_rows(wrappers, sport, wrapper_fallback, _live_row)


def _live_row(row: Node, sport_key: str, fallback: Fallback | None) -> LiveEvent:
    event = event_from_node(row, sport_key, fallback)
    markets = row.get("markets").elements()
    suspended = 0
    for market in markets:
        outcomes = market.get("outcomes").elements()
        if not outcomes:
            raise market.get("outcomes").error("a market without outcomes")
        suspended += not tradeable(market, outcomes, heed_banned=True)
    return LiveEvent(event=event, markets=len(markets), suspended=suspended)


async def list_live(client: BookClient, sports: Sequence[Sport]) -> LiveParts:
    """One request per sport."""
    return await poll_each_sport(client, sports, live_request, parse_live_list)


ADAPTER = LiveAdapter(book=BOOK, wire=wire, live_settings=same_settings, list_live=list_live)
