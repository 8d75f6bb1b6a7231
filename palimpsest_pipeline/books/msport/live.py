"""MSport's live list: ``live-matches/list?sportId=...`` (PLATFORMS.md: ``tournaments``, ``events``,
``comingSoons``; never captured).

Assumed shape [guess]: the usual envelope, ``data.tournaments[]`` as in ``sports-matches-list`` (wrapper
``tournamentId``/``tournament``/``category``, ``events[]`` rows with the detail's header keys) and, per row,
``markets[]`` as in ``match/detail``: a line is suspended unless its ``status`` is 0 and one outcome's
``isActive`` is 1. ``comingSoons`` (not started) are not live and are not read. A ``data`` without
``tournaments`` fails the poll loudly.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from palimpsest_pipeline.books.adapter import BadRow, parse_rows
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.live_list import LiveAdapter, LiveParts, dedupe_live, same_settings
from palimpsest_pipeline.books.msport.catalogue import BOOK, event_from_node, row_identity, wire
from palimpsest_pipeline.books.payload import Node, root
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.wire import BookRequest
from palimpsest_pipeline.records import LiveEvent

LIVE_ENDPOINT = "live-matches/list"


def live_request(sport: Sport) -> BookRequest:
    return BookRequest(LIVE_ENDPOINT, LIVE_ENDPOINT, {"sportId": sport.sportybet_id})


def parse_live_list(
    data: Any, sport: Sport, *, where: str = LIVE_ENDPOINT
) -> tuple[list[LiveEvent], list[BadRow]]:
    """``data.tournaments[].events[]`` as LiveEvents, and the rows that could not be read."""
    events: list[LiveEvent] = []
    bad: list[BadRow] = []
    for tournament in root(BOOK, where, data, "data").get("tournaments").elements():
        fallback = (
            tournament.get("tournamentId").text(),
            tournament.get("tournament").text(),
            None if tournament.opt("category") is None else tournament.get("category").text(),
            None if tournament.opt("categoryId") is None else tournament.get("categoryId").text(),
        )
        parse = functools.partial(_live_row, sport_key=sport.key, fallback=fallback)
        read, unread = parse_rows(tournament.get("events").elements(), parse, sport.key, row_identity)
        events += read
        bad += unread
    return events, bad


def _live_row(row: Node, sport_key: str, fallback: tuple[str, str, str | None, str | None]) -> LiveEvent:
    event = event_from_node(row, sport_key, fallback)
    markets = suspended = 0
    for market in row.get("markets").elements() if row.opt("markets") is not None else []:
        outcomes = market.get("outcomes").elements()
        markets += 1
        open_ = market.get("status").integer() == 0
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
