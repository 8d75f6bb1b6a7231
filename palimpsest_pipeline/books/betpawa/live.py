"""BetPawa's live list: ``events/lists/by-queries`` with ``"eventType":"LIVE"``, as the home page asks it:
the prematch row's header plus the live main markets' lines (``row[]``); a line is suspended when none of its
prices can be backed (``"suspended": true``, or odds <= 1). Paged until ``{"responses": [{}]}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from palimpsest_pipeline.books.betpawa.catalogue import (
    BOOK,
    LISTS,
    PAGE_SIZE,
    SPORT_IDS,
    event_detail_request,
    event_from_node,
    query_request,
    query_rows,
    wire,
)
from palimpsest_pipeline.books.errors import PayloadError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.list_rows import BadRow, first_of_each, parse_rows
from palimpsest_pipeline.books.live_list import LiveAdapter, LiveParts
from palimpsest_pipeline.books.payload import Node, describe
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.wire import BookRequest
from palimpsest_pipeline.records import LiveEvent

#: BetPawa's live main market types (markets/betpawa): 1X2, double chance, draw no bet, totals, team totals,
#: odd/even, both to score (football); moneyline and total incl. OT (basketball); moneyline (tennis).
LIVE_MARKET_TYPES = (
    "3743",
    "4693",
    "4703",
    "5000",
    "5006",
    "5003",
    "4833",
    "3795",
    "4791",
    "5009",
    "2043818",
)
#: A live list longer than this many pages is not a live list.
MAX_PAGES = 20
LIVE = f"{LISTS} LIVE"


def live_page_request(sports: Sequence[Sport], skip: int) -> BookRequest:
    query = {"eventType": "LIVE", "categories": [SPORT_IDS[sport.key] for sport in sports], "zones": {}}
    return query_request(LIVE, query, LIVE_MARKET_TYPES, skip)


def parse_live_page(data: Any, *, query_index: int = 0) -> tuple[list[LiveEvent], list[BadRow]]:
    """The live rows of query ``query_index``'s response (none past the end), and the unreadable rows."""
    return parse_rows(query_rows(data, LIVE, query_index), _live_row, "live")


def _live_row(row: Node) -> LiveEvent:
    event = event_from_node(row)
    markets = suspended = 0
    for market in row.get("markets").elements():
        for line in market.get("row").elements():
            prices = line.get("prices").elements()
            if not prices:
                raise line.get("prices").error("a market line without prices")
            markets += 1
            suspended += all(_suspended(price) for price in prices)
    return LiveEvent(event=event, markets=markets, suspended=suspended, minute=_minute(row))


def _minute(row: Node) -> int | None:
    """``results.display.minute``, the match minute the feed shows; a missing or unreadable one is set aside
    (None), never the row's failure: the row's other facts stand."""
    results = row.opt("results")
    display = results.opt("display") if results is not None and isinstance(results.value, dict) else None
    minute = display.opt("minute") if display is not None and isinstance(display.value, dict) else None
    value = None if minute is None else minute.value
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1_000 else None


def _suspended(price: Node) -> bool:
    flag = price.opt("suspended")
    if flag is not None and not isinstance(flag.value, bool):
        raise flag.error(f"expected true or false, got {describe(flag.value)}")
    odds = price.opt("odds") or price.opt("price")
    if odds is None:
        return True
    return bool(flag is not None and flag.value) or odds.number() <= 1.0


async def list_live(client: BookClient, sports: Sequence[Sport]) -> LiveParts:
    """Every page of the live list of ``sports``' categories, read one after the other until an empty one."""
    parts = LiveParts()
    for page in range(MAX_PAGES):
        fetched = await client.fetch(live_page_request(sports, page * PAGE_SIZE), parse_live_page)
        rows, bad = fetched.value
        parts.events.extend(rows)
        parts.bad_rows.extend(bad)
        if len(rows) + len(bad) < PAGE_SIZE:
            break
    else:
        raise PayloadError(BOOK, LIVE, f"the live list did not end within {MAX_PAGES} pages")
    parts.events = first_of_each(parts.events, attrgetter("event.event_id"))
    return parts


ADAPTER = LiveAdapter(wire, list_live, event_detail_request)
