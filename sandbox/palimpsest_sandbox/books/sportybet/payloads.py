"""SportyBet payloads, in the exact shapes of ../shared/PLATFORMS.md and the wire decisions.

Pure functions from the world to JSON-ready objects; the handlers wrap them in the
``{"bizCode": 10000, "message": "0#0", "data": ...}`` envelope, app.py adds latency and faults.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import orjson

from palimpsest_pipeline.books.sports import SPORTS, Sport, sport_by_key
from palimpsest_pipeline.records import Book
from palimpsest_sandbox.names import stable_hash, unit
from palimpsest_sandbox.rendering import Rendered
from palimpsest_sandbox.world import WorldEvent, WorldTournament

BOOK = Book.SPORTYBET

OK_CODE = 10_000
BAD_REQUEST_CODE = 4_000
EVENT_NOT_FOUND_CODE = 19_000
THROTTLED_CODE = 10_001  # a guess: the code real throttling uses was never captured
MAX_PAGE_SIZE = 100
#: Chance that a page starts with the previous page's last event (the real list shifts while you page).
PAGE_REPEAT_SHARE = 0.3
#: The main market each sport's list rows carry (football 1X2, basketball incl. OT, tennis winner).
LIST_MARKET_IDS = frozenset({"1", "219", "186"})
PREMATCH_PRODUCT = 3
LIVE_PRODUCT = 1


def envelope(data: Any) -> dict[str, Any]:
    return {"bizCode": OK_CODE, "message": "0#0", "data": data}


def error_envelope(code: int, message: str) -> dict[str, Any]:
    return {"bizCode": code, "message": message, "innerMsg": message, "data": None}


def sport_for_id(sport_id: str) -> Sport | None:
    return next((sport for sport in SPORTS if sport.sr_sport == sport_id), None)


def game_id(event: WorldEvent) -> str:
    return str(10_000 + event.uid * 7_919 % 90_000)


def event_id(event: WorldEvent) -> str:
    return f"sr:match:{event.sr_id}"


def tournament_id(tournament: WorldTournament) -> str:
    return f"sr:tournament:{tournament.key}"


def category_id(tournament: WorldTournament) -> str:
    """SportRadar's category, as SportyBet names a tournament's country."""
    return f"sr:category:{tournament.country_key}"


def catalogue(events: Sequence[WorldEvent], sports: Sequence[Sport]) -> dict[str, Any]:
    """``popularAndSportList``: sport -> categories (countries) -> tournaments, with event counts."""
    sport_list = []
    for sport in sports:
        categories: dict[int, dict[str, Any]] = {}
        tournaments: dict[int, dict[str, Any]] = {}
        count = 0
        for event in events:
            if event.sport != sport.key:
                continue
            count += 1
            t = event.tournament
            category = categories.get(t.country_key)
            if category is None:
                category = {
                    "id": f"sr:category:{t.country_key}",
                    "name": t.country_spellings[BOOK],
                    "eventSize": 0,
                    "tournaments": [],
                }
                categories[t.country_key] = category
            category["eventSize"] += 1
            entry = tournaments.get(t.key)
            if entry is None:
                entry = {"id": f"sr:tournament:{t.key}", "name": t.spellings[BOOK], "eventSize": 0}
                tournaments[t.key] = entry
                category["tournaments"].append(entry)
            entry["eventSize"] += 1
        sport_list.append(
            {
                "id": sport.sr_sport,
                "name": sport.name,
                "eventSize": count,
                "categories": list(categories.values()),
            }
        )
    return {"sportList": sport_list}


def page_starts(total: int, page_size: int, *, seed: int, sport_id: str) -> list[int]:
    """Start index of every page. Some pages re-serve the previous page's last event, never skip one.

    The repeat decisions hang on (seed, sport, page) only, so paging through an unchanged list always
    covers every event, whatever the clock does between calls.
    """
    starts = [0]
    while starts[-1] + page_size < total:
        page = len(starts) + 1
        repeat = unit(seed, "sporty-repeat", sport_id, page) < PAGE_REPEAT_SHARE
        starts.append(starts[-1] + page_size - (1 if repeat and page_size > 1 else 0))
    return starts


def upcoming_page(
    events: Sequence[WorldEvent],
    markets_for: Callable[[WorldEvent], list[Any]],
    *,
    page_num: int,
    page_size: int,
    seed: int,
    sport_id: str,
) -> dict[str, Any]:
    """``pcUpcomingEvents``: one page of ``page_size`` EVENTS grouped by tournament, ``totalNum`` = all.

    ``events`` must already be in list order (tournament-major); ``markets_for`` gives a row's markets
    and is called only for the rows on this page (rendering markets is the expensive part).
    """
    starts = page_starts(len(events), page_size, seed=seed, sport_id=sport_id)
    tournaments: list[dict[str, Any]] = []
    if page_num <= len(starts):
        start = starts[page_num - 1]
        current: dict[str, Any] | None = None
        for event in events[start : start + page_size]:
            t = event.tournament
            if current is None or current["id"] != f"sr:tournament:{t.key}":
                current = {
                    "id": f"sr:tournament:{t.key}",
                    "name": t.spellings[BOOK],
                    "categoryId": f"sr:category:{t.country_key}",
                    "categoryName": t.country_spellings[BOOK],
                    "events": [],
                }
                tournaments.append(current)
            current["events"].append({**event_header(event), "markets": markets_for(event)})
    return {"totalNum": len(events), "tournaments": tournaments}


def list_order_key(event: WorldEvent) -> tuple[str, str, int, float, int]:
    """SportyBet lists tournament by tournament (country, then league), kick-off order within each."""
    t = event.tournament
    return (
        t.country_spellings[BOOK],
        t.spellings[BOOK],
        t.key,
        event.kickoff.timestamp(),
        event.uid,
    )


def event_source(event: WorldEvent) -> dict[str, dict[str, str]]:
    """``eventSource``: SportRadar's bare id, or for a Genius-fed match the Genius id behind SportyBet's
    ``1111111`` prefix (PLATFORMS.md, corrected 2026-11-22; ``eventId`` keeps the SR id either way)."""
    if event.genius_sourced and event.genius_id is not None:
        source = {"sourceType": "BET_GENIUS", "sourceId": f"1111111{event.genius_id:08d}"}
    else:
        source = {"sourceType": "BET_RADAR", "sourceId": str(event.sr_id)}
    return {"preMatchSource": source, "liveSource": dict(source)}


def event_header(event: WorldEvent) -> dict[str, Any]:
    """The header keys list rows and the detail share. List rows carry ``eventSource`` too (a [guess]: no
    list response was ever captured; the pipeline needs it to see Genius ids without fetching details)."""
    sport = sport_by_key(event.sport)
    t = event.tournament
    return {
        "eventId": event_id(event),
        "gameId": game_id(event),
        "estimateStartTime": int(event.kickoff.timestamp() * 1_000),
        "status": 0,
        "matchStatus": "Not start",
        "homeTeamId": f"sr:competitor:{event.home_key}",
        "homeTeamName": event.home[BOOK],
        "awayTeamId": f"sr:competitor:{event.away_key}",
        "awayTeamName": event.away[BOOK],
        "sport": {
            "id": sport.sr_sport,
            "name": sport.name,
            "category": {
                "id": f"sr:category:{t.country_key}",
                "name": t.country_spellings[BOOK],
                "tournament": {"id": f"sr:tournament:{t.key}", "name": t.spellings[BOOK]},
            },
        },
        "eventSource": event_source(event),
    }


def list_markets(markets: list[Any]) -> list[Any]:
    """What a list row carries: the sport's main market only."""
    return [market for market in markets if market.get("id") in LIST_MARKET_IDS][:1]


def event_detail(event: WorldEvent, markets: list[Any]) -> dict[str, Any]:
    """``event``: the full prematch event with every field the capture has, key order included."""
    header = event_header(event)
    is_football = event.sport == "football"
    detail: dict[str, Any] = {
        "eventId": header["eventId"],
        "gameId": header["gameId"],
        "productStatus": "0#0",
        "estimateStartTime": header["estimateStartTime"],
        "status": 0,
        "matchStatus": "Not start",
        "homeTeamId": header["homeTeamId"],
        "homeTeamName": header["homeTeamName"],
        "awayTeamName": header["awayTeamName"],
        "awayTeamId": header["awayTeamId"],
        "sport": header["sport"],
        "markets": markets,
    }
    if is_football:
        detail.update(liveChannel=False, webViewLiveChannel=True, socialMediaLiveChannel=False)
    detail.update(
        bookingStatus="Booked",
        topTeam=unit(event.match_seed, "top") < 0.05,
        homeTeamIcon=_icon(event.home_key),
        awayTeamIcon=_icon(event.away_key),
    )
    if is_football:
        detail.update(commentsNum=0, topicId=40_000_000 + event.uid % 10_000_000)
    detail.update(
        fixtureVenue={"name": f"{event.home[BOOK].split(',')[0]} Stadium" if is_football else "Centre Court"},
        giftGrabActivityResultVO={"activityEnabled": False, "enabled": False},
        ai=False,
        bgEvent=False,
        matchTrackerNotAllowed=False,
        eventSource=header["eventSource"],
        containsPcbb=False,
        banned=False,
    )
    return detail


def _icon(team_key: int) -> str:
    return f"https://s.sporty.net/common/main/res/{stable_hash('icon', team_key):016x}{team_key:016x}.png"


def render(event: WorldEvent, markets: list[Any], version: int) -> Rendered:
    """The detail body and what a list row carries of it (the sport's main market)."""
    return Rendered(orjson.dumps(envelope(event_detail(event, markets))), list_markets(markets))
