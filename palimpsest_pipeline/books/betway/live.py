"""Betway's live list: ``BetBook/LiveInPlay/`` [guess: never captured], ``events[]`` of ``sportEvent``
objects with optional ``markets[]``: a line is suspended unless ``isActive`` and not ``isSuspended``. The
match minute is ``gameStateTimeScore.time`` (90 in the captured second half's stoppage time, whatever its
``timePeriod`` says), kept only for a football half whose ``state`` agrees with it. The score is
``gameStateTimeScore.score`` (["0", "3"]: the row carries it once), the half its ``state`` ("2nd half")
kept only when ``gameEventPeriod`` ("2") fits it, as the captured event states carry both (the break's
spelling, "Half time" or "Halftime", is a guess). Each line is a market's ``marketId`` read as the keyer
reads it (``keys.read_market_id``: the event id, UOF's market number, the specifier's pairs), kept only when
its ``subscriptionId`` names the same UOF market and its ``eventId`` is the row's.
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
from palimpsest_pipeline.books.betway.keys import read_market_id
from palimpsest_pipeline.books.keyed_live_lines import Line
from palimpsest_pipeline.books.list_rows import BadRow, parse_rows
from palimpsest_pipeline.books.live_list import MAX_MARKET_ID_DIGITS, LiveAdapter, each_sport
from palimpsest_pipeline.books.match_clock import whole_minute
from palimpsest_pipeline.books.match_score import goals_pair, named_half
from palimpsest_pipeline.books.payload import Node
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.wire import BookRequest
from palimpsest_pipeline.markets.vocabulary import key_kind
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
    fields = row.value if isinstance(row.value, dict) else {}
    lines = []
    for market in row.get("markets").elements() if row.opt("markets") is not None else []:
        markets += 1
        active = market.get("isActive").value is True and market.get("isSuspended").value is False
        suspended += not active
        line = _line(market.value, fields.get("eventId"), not active)
        if line is not None:
            lines.append(line)
    clock = fields.get("gameStateTimeScore")
    clock = clock if isinstance(clock, dict) else {}
    return LiveEvent(
        event=event,
        markets=markets,
        suspended=suspended,
        minute=live_minute(row),
        score=goals_pair(clock.get("score")),
        half=named_half(clock.get("state"), clock.get("gameEventPeriod")),
        lines=tuple(lines),
    )


#: The longest event id a market id is read after (an SR id).
MAX_EVENT_ID = 10**12


def _line(market: Any, event_id: Any, suspended: bool) -> Line | None:
    """(UOF market, specifier, suspended) of a live market; None where its id is unreadable, names a market
    UOF has not or heads a squashed one, or its ``subscriptionId`` or ``eventId`` disagrees (the line still
    counts in the totals)."""
    if type(event_id) is not int or not 0 < event_id < MAX_EVENT_ID or not isinstance(market, dict):
        return None
    text, named = market.get("marketId"), market.get("subscriptionId")
    if market.get("eventId") != event_id or not isinstance(text, str) or len(text) > 200:
        return None
    if market.get("isSquashedParent") is True:  # its lines are markets of their own (the captured answer)
        return None
    try:
        read = read_market_id(text, str(event_id))
    except ValueError:
        return None
    number = read.number
    if type(named) is not int or named != number or number >= 10**MAX_MARKET_ID_DIGITS:
        return None
    if key_kind(number) != "uof":
        return None
    return number, "|".join(f"{key}={value}" for key, value in read.pairs), suspended


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
