"""BetPawa v4 payloads, in the exact shapes of ../shared/PLATFORMS.md and the wire decisions.

Pure functions from the world to JSON-ready objects (and, for clients that forget ``accept:
application/json``, protobuf bytes); status codes and faults are the HTTP layer's business. The LIVE list's
rows are as in the captured home page (its LIVE query, ``lists_v3_cm/by-queries_home_skip000.json``): the
prematch row's header plus ``results``, ``additionalInfo.live``, ``totalMarketCount``; a suspended price
carries ``"suspended": true`` (v4 omits it when false).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from palimpsest_pipeline.books.sports import SPORTS, Sport, sport_by_key
from palimpsest_pipeline.records import Book
from palimpsest_sandbox.books.betpawa.markets import priced_markets
from palimpsest_sandbox.live_coverage import LiveLine, live_lines, state_at
from palimpsest_sandbox.live_timeline import MatchState
from palimpsest_sandbox.markets.labels import outcome_label
from palimpsest_sandbox.markets.pricing import BookPrices
from palimpsest_sandbox.rendering import Rendered
from palimpsest_sandbox.world import WorldEvent, WorldTournament

BOOK = Book.BETPAWA
#: Each sport's category id.
SPORT_IDS = {"football": "2", "basketball": "3", "tennis": "452"}
MAX_TAKE = 100
#: Live market types by canonical market (the ids of markets.py: football, basketball, tennis).
LIVE_MARKET_TYPES: dict[int, tuple[str, str]] = {
    1: ("3743", "1X2 - FT"),
    10: ("4693", "Double Chance - FT"),
    11: ("4703", "Draw No Bet - FT"),
    18: ("5000", "Total Score Over/Under - FT"),
    19: ("5006", "Total Score Over/Under - FT - Home Team"),
    20: ("5003", "Total Score Over/Under - FT - Away Team"),
    26: ("4833", "Odd / Even - FT"),
    29: ("3795", "Both Teams To Score - FT"),
    186: ("2043818", "Moneyline - FT"),
    219: ("4791", "Moneyline - FT incl OT"),
    225: ("5009", "Total Score Over/Under - FT incl OT"),
}
#: The market a live row carries when the query names none (the capture: one market per row).
_LIVE_MAIN = {"football": 1, "basketball": 219, "tennis": 186}
#: List rows pick from the event's first markets (the main ones come first).
_LIST_CANDIDATES = 6


def competition_id(tournament: WorldTournament) -> str:
    return str(10_000 + tournament.number * 13)


def event_id(event: WorldEvent) -> str:
    return str(30_000_000 + (event.uid // 10_000 % 6_000) * 10_000 + event.uid % 10_000)


def region_id(tournament: WorldTournament) -> str:
    """BetPawa's region: its sport's category and SportRadar's category number."""
    return str(int(SPORT_IDS[tournament.sport]) * 1_000 + tournament.country_key)


class QueryError(ValueError):
    """The ``q`` parameter is not a query BetPawa would accept (answered with HTTP 400)."""


@dataclass(frozen=True, slots=True)
class ListQuery:
    """One entry of ``q.queries``: which events, which markets in the rows, which slice."""

    event_type: str
    categories: frozenset[str]
    competitions: frozenset[str] | None
    market_types: frozenset[str]
    skip: int
    take: int


def parse_queries(raw: str | None) -> list[ListQuery]:
    """Validate the url-decoded ``q`` JSON; every error names the offending part."""
    if not raw:
        raise QueryError("missing query parameter q")
    try:
        document = json.loads(raw)
    except ValueError as error:
        raise QueryError(f"q is not JSON: {error}") from None
    queries = document.get("queries") if isinstance(document, dict) else None
    if not isinstance(queries, list) or not queries:
        raise QueryError("q.queries must be a non-empty list")
    return [_parse_query(entry, index) for index, entry in enumerate(queries)]


def _parse_query(entry: Any, index: int) -> ListQuery:
    where = f"q.queries[{index}]"
    if not isinstance(entry, dict) or not isinstance(entry.get("query"), dict):
        raise QueryError(f"{where}.query must be an object")
    query = entry["query"]
    categories = query.get("categories")
    if not isinstance(categories, list) or not all(isinstance(c, str) for c in categories):
        raise QueryError(f"{where}.query.categories must be a list of strings")
    zones = query.get("zones")
    competitions = None
    if zones is not None and zones != {}:  # the captured home page sends "zones": {} (every competition)
        listed = zones.get("competitions") if isinstance(zones, dict) else None
        if not isinstance(listed, list) or not all(isinstance(c, str) for c in listed):
            raise QueryError(f"{where}.query.zones.competitions must be a list of strings")
        competitions = frozenset(listed)
    view = entry.get("view") or {}
    market_types = view.get("marketTypes", []) if isinstance(view, dict) else None
    if not isinstance(market_types, list):
        raise QueryError(f"{where}.view.marketTypes must be a list")
    skip, take = entry.get("skip", 0), entry.get("take", 20)
    if not isinstance(skip, int) or skip < 0:
        raise QueryError(f"{where}.skip must be a non-negative integer, got {skip!r}")
    if not isinstance(take, int) or not 1 <= take <= MAX_TAKE:
        raise QueryError(f"{where}.take must be an integer in 1..{MAX_TAKE}, got {take!r}")
    return ListQuery(
        event_type=str(query.get("eventType", "UPCOMING")),
        categories=frozenset(categories),
        competitions=competitions,
        market_types=frozenset(str(m) for m in market_types),
        skip=skip,
        take=take,
    )


def select(events: Sequence[WorldEvent], query: ListQuery) -> list[WorldEvent]:
    """The events a query matches, in BetPawa's list order (kick-off, then id), before skip/take.

    ``events`` are the upcoming ones for an UPCOMING query, the live list's for a LIVE one."""
    if query.event_type not in ("UPCOMING", "LIVE"):
        return []
    wanted_sports = {sport.key for sport in SPORTS if SPORT_IDS[sport.key] in query.categories}
    return [
        event
        for event in events
        if event.sport in wanted_sports
        and (query.competitions is None or competition_id(event.tournament) in query.competitions)
    ]


def list_response(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Past the end the inner response is an empty object, not an empty list (as real BetPawa does)."""
    return {"responses": [{"responses": rows}]} if rows else {"responses": [{}]}


def categories_all(events: Sequence[WorldEvent]) -> dict[str, Any]:
    counts = _count_by_sport(events)
    return {
        "onlyMeta": [
            {"category": _category(sport), "eventCounts": {"UPCOMING": counts[sport.key]}}
            for sport in SPORTS
            if counts.get(sport.key)
        ]
    }


def category_with_regions(events: Sequence[WorldEvent], sport: Sport) -> dict[str, Any]:
    regions: dict[str, dict[str, Any]] = {}
    competitions: dict[str, dict[str, Any]] = {}
    for event in events:
        if event.sport != sport.key:
            continue
        t = event.tournament
        region_key, competition_key = region_id(t), competition_id(t)
        region = regions.get(region_key)
        if region is None:
            region = {"region": {"id": region_key, "name": t.country_spellings[BOOK]}, "competitions": []}
            regions[region_key] = region
        entry = competitions.get(competition_key)
        if entry is None:
            entry = {
                "competition": {"id": competition_key, "name": t.spellings[BOOK]},
                "eventCounts": {"UPCOMING": 0},
            }
            competitions[competition_key] = entry
            region["competitions"].append(entry)
        entry["eventCounts"]["UPCOMING"] += 1
    return {"withRegions": [{"category": _category(sport), "regions": list(regions.values())}]}


def list_row(event: WorldEvent, markets: list[Any]) -> dict[str, Any]:
    """One list row; ``widgets`` is omitted on some rows as on the real list."""
    row = _header(event)
    if BOOK in event.bare_rows:
        del row["widgets"]
    row["markets"] = markets
    return row


#: The period the in-play detail's ``results.display.currentPeriod`` names (as captured: "First Half").
_PERIODS = {
    "H1": ("3007", "First Half", "FIRST_HALF"), "HT": ("3008", "Half Time", "HALF_TIME"),
    "H2": ("3009", "Second Half", "SECOND_HALF"),
}  # fmt: skip
#: A football half's score in ``periodResults`` (as captured: "First Half" 3007, "Second Half" 3012).
_HALVES = (("3007", "First Half", "FIRST_HALF"), ("3012", "Second Half", "SECOND_HALF"))


def live_row(
    event: WorldEvent, markets: list[Any], *, state: MatchState | None, minute: int | None, total: int
) -> dict[str, Any]:
    """One row of the LIVE list, keys in the captured home page's order: the header with ``widgets`` always
    (every captured live row has them), in ``results`` the period being played (football's halves as the
    captured rows name them) and the score, whole and per half, ``additionalInfo.live``."""
    header = _header(event)
    home_id, away_id = header["participants"][0]["id"], header["participants"][1]["id"]
    score = state.score if state is not None else (0, 0)
    halves = state.period_scores if state is not None and event.sport == "football" else ()
    period = _PERIODS.get(state.phase.code) if state is not None and event.sport == "football" else None
    return {
        "id": header["id"],
        "name": header["name"],
        "results": {
            "display": {
                "minute": minute,
                **(
                    {}
                    if period is None
                    else {"currentPeriod": dict(zip(("id", "name", "slug"), period, strict=True))}
                ),
            },
            "participantPeriodResults": [
                {
                    "participant": {"id": participant, "type": side},
                    "periodResults": [
                        {
                            "period": {"id": "3010", "slug": "FULL_TIME_EXCLUDING_OVERTIME"},
                            "result": str(score[index]),
                            "type": "SCORE",
                        },
                        *(
                            {
                                "period": dict(zip(("id", "name", "slug"), _HALVES[number], strict=True)),
                                "result": str(goals[index]),
                                "type": "SCORE",
                            }
                            for number, goals in enumerate(halves)
                        ),
                    ],
                }
                for index, (participant, side) in enumerate(((home_id, "HOME"), (away_id, "AWAY")))
            ],
        },
        "widgets": header["widgets"],
        "participants": header["participants"],
        "startTime": header["startTime"],
        "markets": markets,
        "totalMarketCount": total,
        "category": header["category"],
        "region": header["region"],
        "competition": header["competition"],
        "additionalInfo": {"live": True},
        "inplayBooked": True,
    }


def list_markets(markets: list[Any], market_types: frozenset[str]) -> list[Any]:
    return [market for market in markets if market.get("marketType", {}).get("id") in market_types]


def event_detail(event: WorldEvent, markets: list[Any], *, version: int) -> dict[str, Any]:
    """``events/{id}``: the full v4 event, keys in the captured order."""
    header = _header(event)
    tabs: dict[str, int] = {}
    for market in markets:
        for tab in market.get("marketType", {}).get("tabs", []):
            tabs[tab] = tabs.get(tab, 0) + 1
    return {
        "id": header["id"],
        "name": header["name"],
        "widgets": header["widgets"],
        "participants": header["participants"],
        "startTime": header["startTime"],
        "markets": markets,
        "totalMarketCount": str(len(markets) + len(markets) // 3),
        "category": header["category"],
        "region": header["region"],
        "competition": header["competition"],
        "additionalInfo": {"inplayBooked": True, "inplayBookedActual": True},
        "version": str(version % 1_000),
        "marketCounters": {
            "totalMarketGroupCount": str(len(markets)),
            "marketGroupCountByTab": {tab: str(count) for tab, count in tabs.items()},
        },
    }


def render(event: WorldEvent, markets: list[Any], version: int) -> Rendered:
    """The detail body and what list rows pick their markets from."""
    return Rendered(orjson.dumps(event_detail(event, markets, version=version)), markets[:_LIST_CANDIDATES])


def protobuf_list(rows: list[dict[str, Any]]) -> bytes:
    """What the list answers without ``accept: application/json``: protobuf (event ids, field 1).

    Only the framing is real protobuf; it exists so clients that forget the header fail loudly.
    """
    out = bytearray()
    for row in rows:
        payload = str(row["id"]).encode()
        out += b"\x0a" + _varint(len(payload)) + payload
    return bytes(out)


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _header(event: WorldEvent) -> dict[str, Any]:
    t = event.tournament
    widgets: list[dict[str, Any]] = []
    sr_id = event.visible_sr_id(BOOK)
    if sr_id is not None:
        widgets.append({"id": str(sr_id), "type": "SPORTRADAR", "retention": "PREMATCH"})
    if event.genius_id is not None:
        widgets.append({"id": str(event.genius_id), "type": "GENIUSSPORTS"})
    if sr_id is not None:
        widgets.append({"id": str(sr_id), "type": "SPORTRADAR", "retention": "INPLAY"})
    home, away = event.home[BOOK], event.away[BOOK]
    return {
        "id": event_id(event),
        "name": f"{home} - {away}",
        "widgets": widgets,
        "participants": [
            {"id": str(600_000 + event.home_key), "name": home, "position": 1},
            {"id": str(600_000 + event.away_key), "name": away, "position": 2},
        ],
        "startTime": event.kickoff.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "competition": {"id": competition_id(t), "name": t.spellings[BOOK]},
        "region": {"id": region_id(t), "name": t.country_spellings[BOOK]},
        "category": _category(sport_by_key(event.sport)),
    }


def _category(sport: Sport) -> dict[str, str]:
    return {"id": SPORT_IDS[sport.key], "name": sport.name}


def _count_by_sport(events: Sequence[WorldEvent]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for event in events:
        counts[event.sport] = counts.get(event.sport, 0) + 1
    return counts


def live_list_row(event: WorldEvent, at: datetime, market_types: frozenset[str]) -> dict[str, Any]:
    """One row of the LIVE list: the markets of ``market_types`` (the sport's main one when empty)."""
    lines = live_lines(event, BOOK, at)
    wanted = market_types or {LIVE_MARKET_TYPES[_LIVE_MAIN[event.sport]][0]}
    markets = [
        _live_market(event, line)
        for line in lines
        if line.market in LIVE_MARKET_TYPES and LIVE_MARKET_TYPES[line.market][0] in wanted
    ]
    state = state_at(event, at)
    return live_row(event, markets, state=state, minute=state.minute if state else None, total=len(lines))


def _live_market(event: WorldEvent, line: LiveLine) -> dict[str, Any]:
    type_id, name = LIVE_MARKET_TYPES[line.market]
    prices = []
    for position, (outcome, odds) in enumerate(line.prices, start=1):
        price: dict[str, Any] = {
            "id": str(event.uid * 100 + line.market * 10 + position),
            "name": outcome_label(line.market, line.specifier, outcome),
            "typeId": str(int(type_id) + position),
            "odds": odds if odds is not None else 1.0,
            "position": position,
        }
        if line.suspended or odds is None:
            price["suspended"] = True
        prices.append(price)
    handicap = line.specifier.partition("=")[2] or None
    return {
        "marketType": {"id": type_id, "name": name},
        "row": [{"id": f"{event.uid}{line.market}", "handicap": handicap, "prices": prices}],
    }


def live_event_detail(event: WorldEvent, at: datetime) -> dict[str, Any] | None:
    """``events/{id}`` of a match in play, in the shape of the captured in-play response
    (``betpawa/v3_event_sr62384158_live_2026-04.json``): the live lines now (``live_coverage.live_lines``) as
    markets whose rows carry no specifier and whose prices say ``price`` and ``suspended`` (a line the book
    pulls: every price suspended), the minute as text and the score in ``results``; None when not in play."""
    state = state_at(event, at)
    if state is None:
        return None
    prices: BookPrices = {
        (line.market, line.specifier, outcome): (
            odds,
            "open" if odds is not None and not line.suspended else "suspended",
        )
        for line in live_lines(event, BOOK, at)
        for outcome, odds in line.prices
    }
    markets = [
        _in_play_market(market)
        for market in priced_markets(prices, event.match_seed, event.sport, "no_specifier", 1_700_000_000)
    ]
    header = _header(event)
    period = _PERIODS.get(state.phase.code)
    row = live_row(event, markets, state=state, minute=state.minute, total=len(markets))
    row["results"]["display"] = {
        "minute": str(state.minute),
        "currentPeriod": None if period is None else dict(zip(("id", "name", "slug"), period, strict=True)),
        "currentServer": None,
    }
    for result in row["results"]["participantPeriodResults"]:
        for period in result["periodResults"]:
            period["period"] = {"id": "3010", "name": "Full Time (Excluding Overtime)", **period["period"]}
    row.pop("inplayBooked")
    row.update(score=0.0, neutralVenue=False, inplayBooked=True, version=state.elapsed_s // 10)
    row["widgets"] = header["widgets"]
    return row


def _in_play_market(market: dict[str, Any]) -> dict[str, Any]:
    """A detail market in the captured in-play (v3) shape: the market type's column count and sorting, rows
    with both handicap fields, prices with ``price``, ``suspended`` always, and an opaque ``probability``."""
    rows = market["row"]
    kind = market["marketType"]
    return {
        "marketType": {
            **kind,
            "handicapType": kind.get("handicapType", ""),
            "priceColumnCount": len(rows[0]["prices"]) if rows else 0,
            "priceSortingMethod": "PRICE_TYPE_ID",
        },
        "row": [
            {
                "id": row["id"],
                "handicap": row.get("handicap"),
                "formattedHandicap": row.get("formattedHandicap"),
                "prices": [_in_play_price(price) for price in row["prices"]],
            }
            for row in rows
        ],
        "displayNameRows": [],
        "displayNameColumns": market.get("displayNameColumns", []),
        "additionalInfo": {"boosted": False, "cashoutable": True, "twoUp": False},
    }


def _in_play_price(price: dict[str, Any]) -> dict[str, Any]:
    win = price["probability"]["win"]
    token = {"win": round(win * 2**62), "refund": 0, "key": int(price["id"]) * 7919}
    return {
        "id": price["id"],
        "name": price["name"],
        "typeId": price["typeId"],
        "price": price["odds"],
        "suspended": price.get("suspended", False),
        "handicap": price.get("handicap"),
        "displayName": price["displayName"],
        "additionalInfo": {"hot": False, "twoUp": False, "anyUp": "NO_UP"},
        "probability": base64.b64encode(orjson.dumps(token)).decode(),
    }
