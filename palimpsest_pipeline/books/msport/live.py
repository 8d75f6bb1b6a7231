"""MSport's live list: ``live-matches/list?sportId=...`` [guess: never captured], ``data.tournaments[]`` as
in ``sports-matches-list`` with ``markets[]`` as in ``match/detail``: a line is suspended unless its
``status`` is 0 and one outcome ``isActive`` 1. ``comingSoons`` (not started) are not read. The match
minute is carried twice, as in the captured live detail: ``playedTime`` (with ``stoppagePlayedTime`` in
stoppage time) and ``totalPlayedTime``; it is kept only when they agree. The score is
``scoreOfWholeMatch``, checked against ``allScores``' "FT" where the row carries it (as the captured live
detail does); each line's UOF market is its ``id``. The row names no half.
"""

from __future__ import annotations

from typing import Any

from palimpsest_pipeline.books.facts_center import LIVE_PRODUCT, Fallback, read_grouped_rows, tradeable
from palimpsest_pipeline.books.list_rows import BadRow
from palimpsest_pipeline.books.live_list import LiveAdapter, each_sport, market_number
from palimpsest_pipeline.books.match_clock import clock_seconds, minute_played
from palimpsest_pipeline.books.match_score import score_text
from palimpsest_pipeline.books.msport.catalogue import (
    BOOK,
    TOURNAMENT_KEYS,
    event_from_node,
    row_identity,
    wire,
)
from palimpsest_pipeline.books.payload import Node
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.wire import BookRequest
from palimpsest_pipeline.records import LiveEvent

LIVE_ENDPOINT = "live-matches/list"


def live_request(sport: Sport) -> BookRequest:
    return BookRequest(LIVE_ENDPOINT, LIVE_ENDPOINT, {"sportId": sport.sr_sport})


def parse_live_list(data: Any, sport: Sport) -> tuple[list[LiveEvent], list[BadRow]]:
    """``data.tournaments[].events[]`` as LiveEvents, and the rows that could not be read."""
    wrappers = Node(BOOK, LIVE_ENDPOINT, data, "data").get("tournaments").elements()
    return read_grouped_rows(wrappers, sport, TOURNAMENT_KEYS, _live_row, row_identity)


def _live_row(row: Node, sport_key: str, fallback: Fallback | None) -> LiveEvent:
    event = event_from_node(row, sport_key, fallback)
    markets = row.get("markets").elements() if row.opt("markets") is not None else []
    pulled = [not tradeable(market, market.get("outcomes").elements()) for market in markets]
    lines = tuple(
        line
        for market, suspended in zip(markets, pulled, strict=True)
        if (line := _line(market.value, suspended)) is not None
    )
    return LiveEvent(
        event=event,
        markets=len(markets),
        suspended=sum(pulled),
        minute=live_minute(row),
        score=live_score(row.value if isinstance(row.value, dict) else {}),
        lines=lines,
    )


def live_score(fields: dict[str, Any]) -> tuple[int, int] | None:
    """``scoreOfWholeMatch`` ("0:3"), kept only when ``allScores``' "FT" entry, where given, agrees."""
    score = score_text(fields.get("scoreOfWholeMatch"))
    sections = fields.get("allScores")
    if score is None or sections is None:
        return score
    if not isinstance(sections, list):
        return None
    full = [score_text(part[1]) for part in sections if isinstance(part, list) and part[:1] == ["FT"]]
    return score if all(other == score for other in full) and len(full) <= 1 else None


def _line(market: Any, suspended: bool) -> tuple[int, str, bool] | None:
    """(UOF market id, the book's specifiers, suspended); None where the id is unreadable."""
    market_id, specifier = market_number(market.get("id")), market.get("specifiers") or ""
    if market_id is None or not isinstance(specifier, str):
        return None
    return market_id, specifier, suspended


def live_minute(row: Node) -> int | None:
    """The minute played (``playedTime`` plus ``stoppagePlayedTime``) when ``totalPlayedTime`` agrees (None:
    either missing or unreadable, or they disagree; the row still counts)."""
    fields = row.value if isinstance(row.value, dict) else {}
    played, total = clock_seconds(fields.get("playedTime")), clock_seconds(fields.get("totalPlayedTime"))
    stoppage = fields.get("stoppagePlayedTime")
    extra = 0 if stoppage is None else clock_seconds(stoppage)
    if played is None or extra is None or total != played + extra:
        return None
    return minute_played(total)


def live_detail_request(event_id: str) -> BookRequest:
    """The in-play event detail: ``match/detail`` with ``productId=1`` (PLATFORMS.md)."""
    return BookRequest("match/detail", "match/detail", {"eventId": event_id, "productId": LIVE_PRODUCT})


ADAPTER = LiveAdapter(wire, each_sport(live_request, parse_live_list), live_detail_request)
