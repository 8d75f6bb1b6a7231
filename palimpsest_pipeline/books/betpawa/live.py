"""BetPawa's live list: ``events/lists/by-queries`` with ``"eventType":"LIVE"``, as the home page asks it:
the prematch row's header plus the live main markets' lines (``row[]``); a line is suspended when none of its
prices can be backed (``"suspended": true``, or odds <= 1). Paged until ``{"responses": [{}]}``. Each line
keyed as the event detail's markets are (``odds.parse_odds``), the football half from
``results.display.currentPeriod`` and the score from ``results`` (whole, checked against the halves' where
the row gives them), as the captured live rows carry them.
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
from palimpsest_pipeline.books.betpawa.odds import parse_odds
from palimpsest_pipeline.books.errors import PayloadError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.keyed_live_lines import Line
from palimpsest_pipeline.books.keyed_live_lines import keyed_lines as keyed_live_lines
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
    results = row.opt("results")
    results_value = results.value if results is not None and isinstance(results.value, dict) else {}
    return LiveEvent(
        event=event,
        markets=markets,
        suspended=suspended,
        minute=_minute(row),
        score=live_score(results_value),
        half=live_half(results_value),
        lines=keyed_lines(row, event.sr_id),
    )


#: The football halves as ``currentPeriod.slug`` names them.
HALVES = {"FIRST_HALF": "first_half", "HALF_TIME": "half_time", "SECOND_HALF": "second_half"}
#: Half scores in ``periodResults``, by slug, that sum to the whole.
HALF_SLUGS = ("FIRST_HALF", "SECOND_HALF")
#: A score past three digits is no football score (and a long enough digit string is one Python refuses).
MAX_GOAL_DIGITS = 3


def live_half(results: dict[str, Any]) -> str | None:
    display = results.get("display")
    period = display.get("currentPeriod") if isinstance(display, dict) else None
    slug = period.get("slug") if isinstance(period, dict) else None
    return HALVES.get(slug) if isinstance(slug, str) else None


def live_score(results: dict[str, Any]) -> tuple[int, int] | None:
    """The whole score (``FULL_TIME_EXCLUDING_OVERTIME``) of HOME and AWAY, kept only when the halves' scores
    the row gives sum to it; None when unreadable or contradicted."""
    sides: dict[str, int] = {}
    for participant in results.get("participantPeriodResults") or ():
        if not isinstance(participant, dict) or not isinstance(participant.get("participant"), dict):
            return None
        side = participant["participant"].get("type")
        whole, halves = None, []
        for result in participant.get("periodResults") or ():
            period = result.get("period") if isinstance(result, dict) else None
            slug = period.get("slug") if isinstance(period, dict) else None
            value = result.get("result") if isinstance(result, dict) else None
            text = value if isinstance(value, str) and value.isascii() and value.isdigit() else ""
            goals = int(text) if 0 < len(text) <= MAX_GOAL_DIGITS else None
            if slug == "FULL_TIME_EXCLUDING_OVERTIME":
                whole = goals
            elif slug in HALF_SLUGS:
                halves.append(goals)
        if whole is None or any(goals is None for goals in halves):
            return None
        if halves and sum(goals for goals in halves if goals is not None) != whole:
            return None
        sides[str(side)] = whole
    home, away = sides.get("HOME"), sides.get("AWAY")
    return None if home is None or away is None else (home, away)


def keyed_lines(row: Node, sr_id: int | None) -> tuple[Line, ...]:
    """Each keyed live line of the row, keyed as the event detail's markets are."""
    return keyed_live_lines(parse_odds, row.value, sr_id)


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
