"""The three books' live LIST payloads: every match on a book's live list, its score and its live markets.

BetPawa: ``events/lists/by-queries`` with ``"eventType":"LIVE"``, rows as in the captured home page (its LIVE
query, ``lists_v3_cm/by-queries_home_skip000.json``): the prematch row's header plus ``results``,
``additionalInfo.live``, ``totalMarketCount``; a suspended price carries ``"suspended": true`` (v4 omits it
when false). SportyBet and Bet9ja live lists were never captured nor documented: the paths are guesses
(SportyBet ``factsCenter/liveOrPrematchEvents``, tournaments of event rows like ``pcUpcomingEvents``; Bet9ja
``PalimpsestLiveAjax/GetLiveEventsV2``, ``D.E[]`` rows like ``GetEventsInGroupV2`` with GetLiveEvent's
``{"v": x}`` odds, a closed line at ``{"v": 1}``); SportyBet's suspended market status 2 is a guess too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.records import Book
from palimpsest_sandbox import bet9ja, betpawa, sportybet
from palimpsest_sandbox.live import state_at
from palimpsest_sandbox.live_coverage import LiveLine, live_lines
from palimpsest_sandbox.live_prices import LivePrices
from palimpsest_sandbox.markets.labels import outcome_label
from palimpsest_sandbox.world import WorldEvent

#: SportyBet market status of a suspended market (a guess: 0 is open in every capture).
SPORTYBET_SUSPENDED_STATUS = 2
#: BetPawa live market types by canonical market (the ids of markets/betpawa: football, basketball, tennis).
BETPAWA_LIVE_MARKET_TYPES: dict[int, tuple[str, str]] = {
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
#: The market a BetPawa live row carries when the query names none (the capture: one market per row).
_BETPAWA_MAIN = {"football": 1, "basketball": 219, "tennis": 186}


# --- BetPawa -------------------------------------------------------------------------------------------


def betpawa_live_row(event: WorldEvent, at: datetime, market_types: frozenset[str]) -> dict[str, Any]:
    """One row of BetPawa's LIVE list: the markets of ``market_types`` (the sport's main one when empty)."""
    lines = live_lines(event, Book.BETPAWA, at)
    wanted = market_types or {BETPAWA_LIVE_MARKET_TYPES[_BETPAWA_MAIN[event.sport]][0]}
    markets = [
        _betpawa_market(event, line)
        for line in lines
        if line.market in BETPAWA_LIVE_MARKET_TYPES and BETPAWA_LIVE_MARKET_TYPES[line.market][0] in wanted
    ]
    state = state_at(event, at)
    score = state.score if state is not None else (0, 0)
    return betpawa.live_row(
        event, markets, score=score, minute=state.minute if state else None, total=len(lines)
    )


def _betpawa_market(event: WorldEvent, line: LiveLine) -> dict[str, Any]:
    type_id, name = BETPAWA_LIVE_MARKET_TYPES[line.market]
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


# --- SportyBet -----------------------------------------------------------------------------------------


def sportybet_live_list(events: Sequence[WorldEvent], at: datetime) -> list[dict[str, Any]]:
    """``data`` of ``liveOrPrematchEvents``: tournaments of live event rows, in SportyBet's list order."""
    tournaments: list[dict[str, Any]] = []
    for event in sorted(events, key=sportybet.list_order_key):
        t = event.tournament
        if not tournaments or tournaments[-1]["id"] != f"sr:tournament:{t.key}":
            tournaments.append(
                {
                    "id": f"sr:tournament:{t.key}",
                    "name": t.spellings[Book.SPORTYBET],
                    "categoryId": f"sr:category:{t.country_key}",
                    "categoryName": t.country_spellings[Book.SPORTYBET],
                    "events": [],
                }
            )
        tournaments[-1]["events"].append(_sportybet_row(event, at))
    return tournaments


def _sportybet_row(event: WorldEvent, at: datetime) -> dict[str, Any]:
    state = state_at(event, at)
    row = sportybet.event_header(event)
    if state is not None:
        home, away = state.score
        row.update(
            status=1,
            setScore=f"{home}:{away}",
            matchStatus=state.phase.code,
            period=str(abs(state.phase.period)),
        )
    row["markets"] = [
        {
            "id": str(line.market),
            "specifier": line.specifier,
            "product": sportybet.LIVE_PRODUCT,
            "status": SPORTYBET_SUSPENDED_STATUS if line.suspended else 0,
            "outcomes": [
                {
                    "id": str(outcome),
                    "odds": f"{odds if odds is not None else 1.0:.2f}",
                    "isActive": 0 if odds is None or line.suspended else 1,
                    "desc": outcome_label(line.market, line.specifier, outcome),
                }
                for outcome, odds in line.prices
            ],
        }
        for line in live_lines(event, Book.SPORTYBET, at)
    ]
    return row


# --- Bet9ja --------------------------------------------------------------------------------------------


def bet9ja_live_list(events: Sequence[WorldEvent], at: datetime) -> dict[str, Any]:
    """``D`` of ``GetLiveEventsV2``: ``E[]`` rows with the match state and every live line's odds."""
    rows = []
    for event in events:
        state = state_at(event, at)
        if state is None:
            continue
        prices: LivePrices = {}
        for line in live_lines(event, Book.BET9JA, at):
            for outcome, odds in line.prices:
                prices[(line.market, line.specifier, outcome)] = None if line.suspended else odds
        home, away = state.score
        t = event.tournament
        sport = sport_by_key(event.sport)
        rows.append(
            {
                "ID": event.bet9ja_id,
                "EXTID": "" if event.visible_sr_id(Book.BET9JA) is None else str(event.sr_id),
                "DS": f"{event.home[Book.BET9JA]} - {event.away[Book.BET9JA]}",
                "STARTDATE": event.kickoff.strftime("%Y-%m-%d %H:%M:%S"),
                "GID": t.bet9ja_group_id,
                "GN": t.spellings[Book.BET9JA],
                "SG": t.country_spellings[Book.BET9JA],
                "SGID": t.bet9ja_country_id,
                "SID": bet9ja.LIVE_SID_BASE + sport.bet9ja_sid,
                "C": event.bet9ja_code,
                "R": {"S": f"{home}:{away}"},
                "T": state.minute,
                "O": bet9ja.live_odds(event.sport, prices, state.score),
            }
        )
    return {"E": rows}
