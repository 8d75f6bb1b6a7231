"""SportyBet's live list: ``factsCenter/liveOrPrematchEvents?sportId=...`` (a [guess]: never captured nor
documented; the path is the one SportyBet's live page is believed to use).

Assumed shape: the usual envelope, ``data`` a list of tournaments each with ``events[]`` rows of the
``pcUpcomingEvents`` shape (``eventId`` "sr:match:N", ``eventSource``, teams, ``sport.category.tournament``)
with the live fields of the captured live event (``status`` 1, ``setScore``, ``matchStatus``). Each of
``markets[]`` is one line; it is suspended unless its ``status`` is 0 and one outcome ``isActive`` is 1
(tradeable as in PLATFORMS.md). A ``data`` that is not a list of tournaments fails the poll loudly.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from palimpsest_pipeline.books.adapter import BadRow, parse_rows
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.live_list import LiveAdapter, LiveParts, dedupe_live, same_settings
from palimpsest_pipeline.books.payload import Node, root
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.sportybet.catalogue import BOOK, event_from_node, wire
from palimpsest_pipeline.books.wire import BookRequest
from palimpsest_pipeline.records import LiveEvent

LIVE_ENDPOINT = "liveOrPrematchEvents"


def live_request(sport: Sport) -> BookRequest:
    return BookRequest(LIVE_ENDPOINT, LIVE_ENDPOINT, {"sportId": sport.sportybet_id})


def parse_live_list(
    data: Any, sport: Sport, *, where: str = LIVE_ENDPOINT
) -> tuple[list[LiveEvent], list[BadRow]]:
    """``data``: tournaments of live event rows, as LiveEvents, and the rows that could not be read."""
    events: list[LiveEvent] = []
    bad: list[BadRow] = []
    for tournament in root(BOOK, where, data, "data").elements():
        fallback = (
            tournament.get("id").text(),
            tournament.get("name").text(),
            None if tournament.opt("categoryName") is None else tournament.get("categoryName").text(),
            None if tournament.opt("categoryId") is None else tournament.get("categoryId").text(),
        )
        parse = functools.partial(_live_row, sport_key=sport.key, fallback=fallback)
        read, unread = parse_rows(tournament.get("events").elements(), parse, sport.key)
        events += read
        bad += unread
    return events, bad


def _live_row(row: Node, sport_key: str, fallback: tuple[str, str, str | None, str | None]) -> LiveEvent:
    event = event_from_node(row, sport_key, fallback)
    markets = suspended = 0
    for market in row.get("markets").elements():
        outcomes = market.get("outcomes").elements()
        if not outcomes:
            raise market.get("outcomes").error("a market without outcomes")
        markets += 1
        open_ = market.get("status").integer() == 0 and not bool(market.value.get("banned"))
        active = any(o.opt("isActive") is not None and o.get("isActive").integer() == 1 for o in outcomes)
        suspended += not (open_ and active)
    return LiveEvent(event=event, markets=markets, suspended=suspended)


async def list_live(client: BookClient, sports: Sequence[Sport]) -> LiveParts:
    """One request per sport."""
    parts = LiveParts()
    for sport in sports:
        fetched = await client.fetch(live_request(sport), functools.partial(parse_live_list, sport=sport))
        rows, bad = fetched.value
        parts.events.extend(rows)
        parts.bad_rows.extend(bad)
    parts.events = dedupe_live(parts.events)
    return parts


LIVE_ADAPTER = LiveAdapter(book=BOOK, wire=wire, live_settings=same_settings, list_live=list_live)
