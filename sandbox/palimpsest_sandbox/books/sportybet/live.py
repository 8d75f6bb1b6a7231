"""SportyBet in play: the live event (``event?productId=1``) and the live list (``liveOrPrematchEvents``).

Live bodies are small (a handful of markets) and change every game second, so they are rendered per request
rather than cached like the prematch details (rendering.py). The live list was never captured nor
documented: its path is a guess, tournaments of event rows like ``pcUpcomingEvents``; a suspended market's
status 2 is a guess too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson

from palimpsest_pipeline.markets.vocabulary import VOCABULARY
from palimpsest_sandbox.books.sportybet.payloads import (
    BOOK,
    LIVE_PRODUCT,
    envelope,
    event_detail,
    event_header,
    list_order_key,
)
from palimpsest_sandbox.live_coverage import LiveLine, live_lines, state_at
from palimpsest_sandbox.live_prices import (
    implied_probability,
)
from palimpsest_sandbox.live_timeline import HALF_S, MatchState
from palimpsest_sandbox.markets.labels import outcome_label
from palimpsest_sandbox.world import WorldEvent

#: matchStatus of the breaks (the periods themselves show their phase code: "H1", "Q3", "S2"...).
_BREAK_STATUS = {"HT": "HT", "B1": "Pause", "B2": "HT", "B3": "Pause"}
#: Market status of a suspended market (a guess: 0 is open in every capture).
SUSPENDED_STATUS = 2


def live_body(event: WorldEvent, at: datetime) -> bytes | None:
    """The complete body of ``event?productId=1``, or None when the match is not in play: the book's live
    lines now (``live_coverage.live_lines``), a line it pulls shown suspended."""
    state = state_at(event, at)
    if state is None:
        return None
    changed_ms = int(at.timestamp()) // 60 * 60_000  # live prices move with the game minute
    markets = live_markets(live_lines(event, BOOK, at), changed_ms)
    return orjson.dumps(envelope(live_event_detail(event, state, markets)))


def live_event_detail(event: WorldEvent, state: MatchState, markets: list[Any]) -> dict[str, Any]:
    """``event?productId=1``: the prematch detail turned live, fields in the live capture's order.

    The capture (football, 91') adds ``setScore`` (the score), ``gameScore`` (one "h:a" per period),
    ``period`` and ``playedSeconds`` (the game clock, held at "45:00"/"90:00" in stoppage time) and sets
    ``status`` 1 and ``matchStatus`` to the phase ("H1", "HT", "H2"; basketball "Q1".."Q4", tennis "S1"..).
    """
    home, away = state.score
    live = {
        "status": 1,
        "setScore": f"{home}:{away}",
        "gameScore": [f"{h}:{a}" for h, a in state.period_scores],
        "period": str(abs(state.phase.period)),
        "matchStatus": _BREAK_STATUS.get(state.phase.code, state.phase.code),
        "playedSeconds": _played(state),
    }
    detail: dict[str, Any] = {}
    for key, value in event_detail(event, markets).items():
        if key == "status":
            detail.update((k, live[k]) for k in ("status", "setScore", "gameScore", "period"))
        elif key == "matchStatus":
            detail.update(matchStatus=live["matchStatus"], playedSeconds=live["playedSeconds"])
        else:
            detail[key] = value
    return detail


def _implied(price: float | None) -> float:
    return 0.0 if price is None else implied_probability(BOOK, price)


def _played(state: MatchState) -> str:
    seconds = state.game_s
    if state.sport == "football":  # SportyBet's clock stops at the end of each half's regular time
        seconds = min(seconds, HALF_S if abs(state.phase.period) == 1 else 2 * HALF_S)
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def live_markets(lines: Sequence[LiveLine], changed_ms: int) -> list[dict[str, Any]]:
    """The live ``markets``: one object per market line not closed, in the prematch markets' shape (product
    1); a suspended line has ``status`` SUSPENDED_STATUS and no active outcome.

    A line with every outcome closed is left out (at 91' the capture's list is empty); a closed outcome of an
    open line stays with ``isActive`` 0.
    """
    rendered = []
    for line in lines:
        if all(price is None for _, price in line.prices):
            continue
        market, spec = line.market, line.specifier
        name = VOCABULARY[market].name
        body: dict[str, Any] = {
            "id": str(market),
            "product": LIVE_PRODUCT,
            "desc": name,
            "status": SUSPENDED_STATUS if line.suspended else 0,
            "group": "Main",
            "groupId": f"171121135724MGI{market:08d}",
            "marketGuide": f"{name}. Live.",
            "title": ",".join(outcome_label(market, spec, o) for o, _ in line.prices[:3]),
            "name": name,
            "favourite": 0,
            "outcomes": [
                {
                    "id": str(outcome),
                    "odds": f"{price if price is not None else 1.0:.2f}",
                    "probability": f"{_implied(price):.10f}",
                    "voidProbability": "0E-10",
                    "isActive": 0 if price is None or line.suspended else 1,
                    "desc": outcome_label(market, spec, outcome),
                }
                for outcome, price in line.prices
            ],
            "farNearOdds": 0,
            "sourceType": "BET_RADAR",
            "lastOddsChangeTime": changed_ms,
            "banned": False,
        }
        if spec:
            body["specifier"] = spec
        rendered.append(body)
    return rendered


def live_list(events: Sequence[WorldEvent], at: datetime) -> list[dict[str, Any]]:
    """``data`` of ``liveOrPrematchEvents``: tournaments of live event rows, in the book's list order."""
    tournaments: list[dict[str, Any]] = []
    for event in sorted(events, key=list_order_key):
        t = event.tournament
        if not tournaments or tournaments[-1]["id"] != f"sr:tournament:{t.key}":
            tournaments.append(
                {
                    "id": f"sr:tournament:{t.key}",
                    "name": t.spellings[BOOK],
                    "categoryId": f"sr:category:{t.country_key}",
                    "categoryName": t.country_spellings[BOOK],
                    "events": [],
                }
            )
        tournaments[-1]["events"].append(_live_row(event, at))
    return tournaments


def _live_row(event: WorldEvent, at: datetime) -> dict[str, Any]:
    state = state_at(event, at)
    row = event_header(event)
    if state is not None:
        home, away = state.score
        row.update(
            status=1,
            setScore=f"{home}:{away}",
            matchStatus=state.phase.code,
            playedSeconds=_played(state),  # the game clock, as the captured live event shows it
            period=str(abs(state.phase.period)),
        )
    row["markets"] = [
        {
            "id": str(line.market),
            "specifier": line.specifier,
            "product": LIVE_PRODUCT,
            "status": SUSPENDED_STATUS if line.suspended else 0,
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
        for line in live_lines(event, BOOK, at)
    ]
    return row
