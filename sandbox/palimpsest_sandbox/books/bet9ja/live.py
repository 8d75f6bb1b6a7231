"""Bet9ja in play, on its live API (``PalimpsestLiveAjax``): the live event (``GetLiveEvent``) and the live
list (``GetLiveEventsV2``).

Live bodies are rendered per request (they change every game second). The live list was never captured nor
documented: its path is a guess, ``D.E[]`` rows like ``GetEventsInGroupV2`` with GetLiveEvent's
``{"v": x}`` odds, a closed line at ``{"v": 1}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson

from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.markets.specifiers import format_line
from palimpsest_sandbox.books.bet9ja.payloads import (
    BOOK,
    SPORT_IDS,
    SPORT_NAMES,
    code,
    country_id,
    ds,
    event_id,
    extid,
    group_id,
    ok,
    start_date,
)
from palimpsest_sandbox.live_coverage import live_lines, state_at
from palimpsest_sandbox.live_prices import (
    LivePrices,
)
from palimpsest_sandbox.live_timeline import MatchState
from palimpsest_sandbox.names import stable_hash
from palimpsest_sandbox.world import WorldEvent


def live_body(event: WorldEvent, at: datetime) -> bytes | None:
    """The complete body of ``GetLiveEvent``, or None when the match is not in play: the book's live lines
    now (``live_coverage.live_lines``), a line it pulls at ``{"v": 1}`` as a closed one."""
    state = state_at(event, at)
    if state is None:
        return None
    odds = live_odds(event.sport, line_prices(event, at), state.score)
    return orjson.dumps(ok(live_event(event, state, odds)))


def line_prices(event: WorldEvent, at: datetime) -> LivePrices:
    """The odds of ``event``'s live lines at ``at``, every outcome of a suspended line closed (None)."""
    return {
        (line.market, line.specifier, outcome): None if line.suspended else odds
        for line in live_lines(event, BOOK, at)
        for outcome, odds in line.prices
    }


#: Live sport ids: the capture's soccer is 3000001 (prematch SID 1); the others follow the pattern (a guess).
LIVE_SID_BASE = 3_000_000
#: Canonical (market, outcome) -> (live market key, outcome key); ``{line}`` is the specifier's value.
_LIVE_KEYS: dict[tuple[int, int], tuple[str, str]] = {
    (1, 1): ("1X2", "1"), (1, 2): ("1X2", "X"), (1, 3): ("1X2", "2"),
    (10, 9): ("DC", "1X"), (10, 10): ("DC", "12"), (10, 11): ("DC", "X2"),
    (11, 4): ("DNB", "1"), (11, 5): ("DNB", "2"),
    (18, 12): ("OU@{line}", "O"), (18, 13): ("OU@{line}", "U"),
    (29, 74): ("GGNG", "Y"), (29, 76): ("GGNG", "N"),
    (26, 70): ("OE", "OD"), (26, 72): ("OE", "EV"),
    (8, 6): ("NEXTGOAL@{score}", "1"), (8, 7): ("NEXTGOAL@{score}", "X"), (8, 8): ("NEXTGOAL@{score}", "2"),
    (19, 12): ("OUHOME@{line}", "O"), (19, 13): ("OUHOME@{line}", "U"),
    (20, 12): ("OUAWAY@{line}", "O"), (20, 13): ("OUAWAY@{line}", "U"),
    (219, 4): ("12", "1"), (219, 5): ("12", "2"),
    (225, 12): ("OU@{line}", "O"), (225, 13): ("OU@{line}", "U"),
    (186, 4): ("12", "1"), (186, 5): ("12", "2"),
}  # fmt: skip
_LIVE_PREFIX = {"football": "LIVES_", "basketball": "LIVEB_", "tennis": "LIVET_"}
_PERIOD_NAMES = {
    "H1": "1st Half", "HT": "Half Time", "H2": "2nd Half",
    "Q1": "1st Quarter", "Q2": "2nd Quarter", "Q3": "3rd Quarter", "Q4": "4th Quarter",
    "B1": "Pause", "B2": "Half Time", "B3": "Pause",
    "S1": "1st Set", "S2": "2nd Set", "S3": "3rd Set",
}  # fmt: skip


def live_odds(sport: str, prices: LivePrices, score: tuple[int, int]) -> dict[str, dict[str, float | int]]:
    """``D.O`` of GetLiveEvent: ``{"LIVES_OU@2.5_O": {"v": 1.85}}``; a closed line shows ``{"v": 1}``.

    Numbers, not strings (unlike GetEvent), trimmed to an int when whole, as in the capture.
    """
    prefix = _LIVE_PREFIX[sport]
    odds: dict[str, dict[str, float | int]] = {}
    for (market, spec, outcome), price in prices.items():
        template, outcome_key = _LIVE_KEYS[(market, outcome)]
        line = spec.partition("=")[2]
        key = template.format(line=format_line(float(line)) if line else "", score=f"{score[0]}:{score[1]}")
        value: float | int = 1 if price is None else price
        odds[f"{prefix}{key}_{outcome_key}"] = {"v": int(value) if float(value).is_integer() else value}
    return odds


def live_event(
    event: WorldEvent, state: MatchState, odds: dict[str, dict[str, float | int]]
) -> dict[str, Any]:
    """``D`` of GetLiveEvent: ``A`` (match state), ``O`` (live odds), ``AA`` (event and competition).

    EVENTID is the event's GetEvent ``ID`` (no live list was captured to learn live ids from); ``A.ID`` and
    ``AA.ID`` echo it. Events without a SportRadar id have ``EXTID`` "" and ``BRMATCHID`` 0 (a guess).
    """
    sport = sport_by_key(event.sport)
    t = event.tournament
    live_sid = LIVE_SID_BASE + SPORT_IDS[sport.key]
    sgid = f"{live_sid}_{group_id(t)}"
    group_name = t.spellings[BOOK]
    country = t.country_spellings[BOOK]
    if country not in group_name:
        group_name = f"{country} - {group_name}"
    priority = 1 + stable_hash("b9-priority", t.key) % 150
    status = _PERIOD_NAMES[state.phase.code]
    open_markets = {key.rpartition("_")[0] for key, value in odds.items() if value["v"] != 1}
    home, away = state.score
    br_match_id = event.visible_sr_id(BOOK) or 0
    serving = -1
    points = ""
    if sport.key == "tennis":
        serving = 1 + stable_hash(event.match_seed, "serve", state.elapsed_s // 270) % 2
        points = ("0:0", "15:0", "15:15", "30:15", "30:30", "40:30")[state.elapsed_s // 45 % 6]
    match = {
        "A": True,
        "E": True,
        "MKNUM": len(open_markets),
        "EXTID": extid(event),
        "ISSTREAMINGVIDEO": sport.key == "football",
        "ES": status,
        "BS": status,
        "R": {
            "SS": [f"{h}:{a}" for h, a in state.period_scores],
            "S": f"{home}:{away}",
            "EXTRA": "",
            "SRV": serving,
            "GS": points,
        },
        "WID": None,
        "T": state.minute,
        "PRV": 60,
        "ID": event_id(event),
        "T2": status if state.is_break else f"{state.minute}'",
        "BRMATCHID": br_match_id,
    }
    start = start_date(event)
    competition = {
        "INCTYPE": 0,
        "ST": 1,
        "GID": group_id(t),
        "C": int(code(event)),
        "STARTDATE": start,
        "EXTID": extid(event),
        "SGID": sgid,
        "ISSTREAMINGVIDEO": sport.key == "football",
        "DS": ds(event),
        "SID": live_sid,
        "WID": None,
        "PRV": 60,
        "ID": event_id(event),
        "PL": 1,
        "TYPE": 0,
        "BRMATCHID": br_match_id,
        "ENDVISIBILITYDATE": start,
        "COMP": {
            "SPORT": SPORT_NAMES[sport.key],
            "SGID": sgid,
            "G_PRIORITY": priority,
            "DS": group_name,
            "SID": live_sid,
            "AP": 0,
            "BTID": sgid,
            "S_PRIORITY": 10 + SPORT_IDS[sport.key],
            "INT_SID": live_sid,
            "CATEGORY": f"{SPORT_NAMES[sport.key]} {group_name}",
            "PARENT": None,
            "ID": group_id(t),
            "PL": None,
        },
        "GN": group_name,
        "GP": priority,
    }
    return {"A": match, "O": odds, "AA": competition}


def live_list(events: Sequence[WorldEvent], at: datetime) -> dict[str, Any]:
    """``D`` of ``GetLiveEventsV2``: ``E[]`` rows with the match state as GetLiveEvent's ``D.A`` gives it
    (status ``ES``/``BS``, score ``R.S`` and the periods' ``R.SS``, minute ``T``) and every live line's
    odds."""
    rows = []
    for event in events:
        state = state_at(event, at)
        if state is None:
            continue
        prices = line_prices(event, at)
        home, away = state.score
        t = event.tournament
        rows.append(
            {
                "ID": event_id(event),
                "EXTID": "" if event.visible_sr_id(BOOK) is None else str(event.sr_id),
                "DS": f"{event.home[BOOK]} - {event.away[BOOK]}",
                "STARTDATE": event.kickoff.strftime("%Y-%m-%d %H:%M:%S"),
                "GID": group_id(t),
                "GN": t.spellings[BOOK],
                "SG": t.country_spellings[BOOK],
                "SGID": country_id(t),
                "SID": LIVE_SID_BASE + SPORT_IDS[event.sport],
                "C": code(event),
                "ES": _PERIOD_NAMES[state.phase.code],
                "BS": _PERIOD_NAMES[state.phase.code],
                "R": {"SS": [f"{h}:{a}" for h, a in state.period_scores], "S": f"{home}:{away}"},
                "T": state.minute,
                "O": live_odds(event.sport, prices, state.score),
            }
        )
    return {"E": rows}
