"""MSport payloads (../shared/PLATFORMS.md "MSport"), pure functions of the world.

Envelope ``{"bizCode": 10000, "data": ..., "innerMsg": null, "message": "success"}`` and the event detail's
header keys as captured (``msport/match_detail_sr68995116_prematch.json``: ``eventId`` "sr:match:N",
``startTime`` epoch milliseconds, ``tournamentId`` "sr:tournament:N", ``categoryId`` "sr:category:N").
Never captured, so shaped as the documented clients read them: ``sports`` (``data.sports[]``),
``sports-matches-list`` (a page of the sport's matches grouped by tournament, the next asked with the answer's
``lastEventId``, null on the last page) and ``live-matches/list`` (``tournaments``, ``comingSoons``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson

from palimpsest_pipeline.books.sports import SPORTS, Sport
from palimpsest_pipeline.markets.vocabulary import VOCABULARY
from palimpsest_pipeline.records import Book
from palimpsest_sandbox.live_coverage import live_lines, state_at
from palimpsest_sandbox.live_timeline import HALF_S, MatchState
from palimpsest_sandbox.markets.labels import book_spec, outcome_id, uof_label
from palimpsest_sandbox.rendering import Rendered
from palimpsest_sandbox.world import WorldEvent, WorldTournament

BOOK = Book.MSPORT

OK_CODE = 10_000
#: The code of a wrong ``operid`` (captured by working clients), and of an event the book does not list.
INVALID_OPERID_CODE = 19_000
NOT_FOUND_CODE = 19_001
BAD_REQUEST_CODE = 4_000
THROTTLED_CODE = 10_001
PAGE_SIZE = 50
PREMATCH_PRODUCT = "3"
LIVE_PRODUCT = "1"
SPORT_NAMES = {"football": "Soccer", "basketball": "Basketball", "tennis": "Tennis"}
#: SportRadar's sport ids, as the platform's ``sportId`` writes them.
SPORT_IDS = {"football": "sr:sport:1", "basketball": "sr:sport:2", "tennis": "sr:sport:5"}
_ICON = "https://static.msport.com/public/up/"


def envelope(data: Any) -> dict[str, Any]:
    return {"bizCode": OK_CODE, "data": data, "innerMsg": None, "message": "success"}


def error_envelope(code: int, message: str) -> dict[str, Any]:
    return {"bizCode": code, "data": None, "innerMsg": message, "message": message}


def sport_for_id(sport_id: str) -> Sport | None:
    return next((sport for sport in SPORTS if SPORT_IDS[sport.key] == sport_id), None)


def sports() -> dict[str, Any]:
    """``sports``: every sport the book lists."""
    return {"sports": [{"sportId": SPORT_IDS[s.key], "sportName": SPORT_NAMES[s.key]} for s in SPORTS]}


def event_id(event: WorldEvent) -> str:
    return f"sr:match:{event.sr_id}"


def tournament_id(tournament: WorldTournament) -> str:
    return f"sr:tournament:{tournament.key}"


def category_id(tournament: WorldTournament) -> str:
    return f"sr:category:{tournament.country_key}"


def header(event: WorldEvent) -> dict[str, Any]:
    """An event's header keys, as the detail carries them (and, by the documented clients, the list rows)."""
    t = event.tournament
    return {
        "awayTeam": event.away[BOOK],
        "awayTeamId": f"sr:competitor:{event.away_key}",
        "category": t.country_spellings[BOOK],
        "categoryId": category_id(t),
        "eventId": event_id(event),
        "homeTeam": event.home[BOOK],
        "homeTeamId": f"sr:competitor:{event.home_key}",
        "sport": SPORT_NAMES[event.sport],
        "sportId": SPORT_IDS[event.sport],
        "startTime": int(event.kickoff.timestamp() * 1_000),
        "status": 0,
        "tournament": t.spellings[BOOK],
        "tournamentId": tournament_id(t),
    }


def event_detail(event: WorldEvent, markets: list[Any]) -> dict[str, Any]:
    """``match/detail`` ``data`` of a listed (prematch) event, every captured key in the captured order."""
    head = header(event)
    return {
        "allScores": None,
        "awayTeam": head["awayTeam"],
        "awayTeamIcon": f"{_ICON}{event.away_key}.png",
        "awayTeamId": head["awayTeamId"],
        "bookingStatus": "Booked",
        "category": head["category"],
        "categoryIcon": f"{_ICON}c{event.tournament.country_key}.png",
        "categoryId": head["categoryId"],
        "eventId": head["eventId"],
        "hasLive": 0,
        "hasLiveCoverage": 1,
        "hasLiveWidget": 1,
        "hasVoucher": 0,
        "homeTeam": head["homeTeam"],
        "homeTeamIcon": f"{_ICON}{event.home_key}.png",
        "homeTeamId": head["homeTeamId"],
        "howToPlay": None,
        "liveAudioStreamUrl": None,
        "markets": markets,
        "marketsCount": len(markets),
        "playedTime": None,
        "roundNumber": 1 + event.uid % 30,
        "roundType": "group",
        "scoreInCurrentSection": None,
        "scoreOfSection": None,
        "scoreOfWholeMatch": None,
        "seasonId": f"sr:season:{100_000 + event.tournament.key}",
        "seasonName": f"{head['tournament']} {event.kickoff.year}",
        "sectionRemainTime": None,
        "server": None,
        "soccerBookingsScore": None,
        "soccerCornerScore": None,
        "sport": head["sport"],
        "sportId": head["sportId"],
        "startTime": head["startTime"],
        "status": 0,
        "statusDescription": None,
        "stoppagePlayedTime": None,
        "stoppageTime": None,
        "totalPlayedTime": None,
        "tournament": head["tournament"],
        "tournamentId": head["tournamentId"],
        "videoInfo": None,
    }


def list_order_key(event: WorldEvent) -> int:
    """The match list runs in event id order, so a cursor (``lastEventId``) still places a page when the
    event it names has left the list."""
    return event.sr_id


def _tournaments(rows: Sequence[tuple[WorldEvent, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Rows grouped into consecutive tournament wrappers (a tournament spread over pages wraps each part)."""
    tournaments: list[dict[str, Any]] = []
    for event, row in rows:
        t = event.tournament
        if not tournaments or tournaments[-1]["tournamentId"] != tournament_id(t):
            tournaments.append(
                {
                    "category": t.country_spellings[BOOK],
                    "categoryId": category_id(t),
                    "tournament": t.spellings[BOOK],
                    "tournamentId": tournament_id(t),
                    "events": [],
                }
            )
        tournaments[-1]["events"].append(row)
    return tournaments


def matches_page(events: Sequence[WorldEvent], last_event_id: str | None) -> dict[str, Any]:
    """``sports-matches-list``: the ``PAGE_SIZE`` events after the cursor (all when None), in id order."""
    ordered = sorted(events, key=list_order_key)
    if last_event_id is not None:
        after = _sr_id(last_event_id)
        ordered = [event for event in ordered if event.sr_id > after]
    page = ordered[:PAGE_SIZE]
    more = len(ordered) > PAGE_SIZE
    return {
        "tournaments": _tournaments([(event, header(event)) for event in page]),
        "lastEventId": event_id(page[-1]) if more else None,
    }


def _sr_id(event_id: str) -> int:
    digits = event_id.rpartition(":")[2]
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"lastEventId {event_id[:60]!r} is not an event id")
    return int(digits)


def live_markets(event: WorldEvent, at: datetime) -> list[dict[str, Any]]:
    """The match's live lines as MSport markets: ``status`` 1 suspended [guess], a closed outcome's
    ``isActive`` 0."""
    return [
        {
            "id": line.market,
            "description": VOCABULARY[line.market].name,
            "specifiers": book_spec(line.market, line.specifier),
            "status": 1 if line.suspended else 0,
            "product": 1,
            "outcomes": [
                {
                    "description": uof_label(line.market, line.specifier, outcome),
                    "id": outcome_id(line.market, outcome),
                    "isActive": 0 if odds is None or line.suspended else 1,
                    "odds": f"{odds if odds is not None else 1.0:.2f}",
                    "probability": f"{0.0 if odds is None else min(0.9999, 1 / odds):.4f}",
                }
                for outcome, odds in line.prices
            ],
        }
        for line in live_lines(event, BOOK, at)
    ]


def live_detail(event: WorldEvent, state: MatchState, at: datetime) -> dict[str, Any]:
    """``match/detail?productId=1`` ``data``: the detail's keys, the score and the live markets."""
    data = event_detail(event, live_markets(event, at))
    home, away = state.score
    data.update(status=1, hasLive=1, scoreOfWholeMatch=f"{home}:{away}", playedTime=f"{state.minute}'00\"")
    return data


def live_clock(state: MatchState) -> dict[str, str | None]:
    """The clock as the captured live detail writes it: ``playedTime`` (held at 45'00" and 90'00" in
    football's stoppage time), ``stoppagePlayedTime`` (None outside it) and ``totalPlayedTime``."""
    played = regular = state.game_s
    if state.sport == "football":
        regular = min(played, HALF_S if abs(state.phase.period) == 1 else 2 * HALF_S)
    stoppage = played - regular
    return {
        "playedTime": _clock(regular),
        "stoppagePlayedTime": _clock(stoppage) if stoppage else None,
        "totalPlayedTime": _clock(played),
    }


def _clock(seconds: int) -> str:
    return f"{seconds // 60}'{seconds % 60:02d}\""


def live_list(events: Sequence[WorldEvent], at: datetime) -> dict[str, Any]:
    """``live-matches/list`` ``data``: the live events by tournament, each with its live markets."""
    rows = []
    for event in sorted(events, key=list_order_key):
        row = header(event)
        state = state_at(event, at)
        if state is not None:
            home, away = state.score
            row.update(status=1, scoreOfWholeMatch=f"{home}:{away}", **live_clock(state))
        row["markets"] = live_markets(event, at)
        rows.append((event, row))
    return {"tournaments": _tournaments(rows), "events": [], "comingSoons": []}


def render(event: WorldEvent, markets: list[Any], version: int) -> Rendered:
    """The detail body and its markets, which list rows carry none of."""
    return Rendered(orjson.dumps(envelope(event_detail(event, markets))), markets)
