"""Betika payloads (../shared/PLATFORMS.md "Betika"), pure functions of the world.

No envelope: ``uo/matches`` answers ``{"data": [rows], "meta": {...}}`` with ``meta.total`` the rows the list
holds. A row has the captured keys (``betika/matches_sr70784812_prematch.json``): ids as text prematch and as
numbers live, ``parent_match_id`` the SR id, ``start_time`` in East Africa Time without an offset (the
sandbox serves Kenya's site), ``odds[]`` market groups. The live row adds the answer's clock both ways
(``NOW`` local, ``sys_modified`` epoch ms) and ``market_active``/``odd_active`` flags (captured live).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from palimpsest_pipeline.markets.vocabulary import VOCABULARY
from palimpsest_pipeline.records import Book
from palimpsest_sandbox.books.betika.markets import outcome
from palimpsest_sandbox.live_coverage import live_lines, state_at
from palimpsest_sandbox.rendering import Rendered
from palimpsest_sandbox.world import WorldEvent, WorldTournament

BOOK = Book.BETIKA
#: Betika's sport ids (``sport_id``, captured) by the world's sport keys.
SPORTS = {"football": "14", "basketball": "30", "tennis": "28"}
#: The site the sandbox serves writes its times in East Africa Time (UTC+3, no daylight saving).
LOCAL_OFFSET = timedelta(hours=3)
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
DEFAULT_LIMIT = 100
MAX_LIMIT = 1_000
SPORT_NAMES = {"football": "Soccer", "basketball": "Basketball", "tennis": "Tennis"}
SPORT_KEYS = {value: key for key, value in SPORTS.items()}
#: The winner groups a list row carries (captured: 1 the 1X2; UOF's 186 tennis and 219 basketball winners).
WINNER_GROUPS = ("1", "186", "219")


def match_id(event: WorldEvent) -> str:
    """Betika's own ``match_id`` (unique only within a sport and competition on the real book)."""
    return str(10_000_000 + event.uid % 90_000_000)


def competition_id(tournament: WorldTournament) -> str:
    """Its own competition id: the SportRadar number, offset."""
    return str(10_000 + tournament.key)


def event_id(event: WorldEvent) -> str:
    """As the pipeline names a Betika event: sport, competition and Betika's match id."""
    return f"{SPORTS[event.sport]}:{competition_id(event.tournament)}:{match_id(event)}"


def local(at: datetime) -> str:
    """An instant as Betika writes it: East Africa Time, no offset."""
    return (at.astimezone(UTC) + LOCAL_OFFSET).strftime(TIME_FORMAT)


def row(event: WorldEvent, groups: list[dict[str, Any]]) -> dict[str, Any]:
    """One prematch row of ``uo/matches``, the captured keys in the captured order."""
    t = event.tournament
    one_x_two = next((g for g in groups if str(g["sub_type_id"]) in WINNER_GROUPS), None)
    prices = [o["odd_value"] for o in one_x_two["odds"]] if one_x_two else []
    home, away = (prices[0], prices[-1]) if len(prices) >= 2 else (None, None)
    return {
        "home_team": event.home[BOOK],
        "game_id": str(10_000 + event.uid % 90_000),
        "match_id": match_id(event),
        "away_team": event.away[BOOK],
        "start_time": local(event.kickoff),
        "competition_name": t.spellings[BOOK],
        "category": t.country_spellings[BOOK],
        "parent_match_id": str(event.sr_id),
        "side_bets": str(len(groups)),
        "home_odd": home,
        "neutral_odd": prices[1] if len(prices) == 3 else None,
        "away_odd": away,
        "competition_id": competition_id(t),
        "sport_id": SPORTS[event.sport],
        "sport_name": SPORT_NAMES[event.sport],
        "is_esport": False,
        "is_srl": False,
        "odds": groups,
    }


def answer(rows: list[dict[str, Any]], total: int, limit: int, page: int) -> dict[str, Any]:
    return {"data": rows, "meta": {"total": str(total), "limit": str(limit), "current_page": page}}


def page_of(events: Sequence[WorldEvent], page: int, limit: int) -> list[WorldEvent]:
    """The ``limit`` events of page ``page`` (from 1), in SR id order."""
    ordered = sorted(events, key=lambda event: event.sr_id)
    return ordered[(page - 1) * limit : page * limit]


def live_groups(event: WorldEvent, at: datetime) -> list[dict[str, Any]]:
    """The match's live lines as Betika groups: a suspended line ``market_active`` 0, a closed outcome
    ``odd_active`` 0 (its last price kept at 1.00)."""
    groups: dict[int, dict[str, Any]] = {}
    for line in live_lines(event, BOOK, at):
        group = groups.setdefault(
            line.market,
            {
                "sub_type_id": line.market,
                "name": VOCABULARY[line.market].name.upper(),
                "market_active": 1,
                "odds": [],
            },
        )
        for number, odds in line.prices:
            item = outcome(line.market, line.specifier, number, odds if odds is not None else 1.0)
            item.update(
                odd_active=0 if odds is None or line.suspended else 1,
                market_active=0 if line.suspended else 1,
            )
            group["odds"].append(item)
    for group in groups.values():
        group["market_active"] = int(any(o["market_active"] for o in group["odds"]))
    return list(groups.values())


def live_row(event: WorldEvent, at: datetime) -> dict[str, Any]:
    """One row of the live ``uo/matches``: numbers for ids, the score, the clock both ways."""
    base = row(event, live_groups(event, at))
    state = state_at(event, at)
    score = "0:0" if state is None else f"{state.score[0]}:{state.score[1]}"
    base.update(
        match_id=int(match_id(event)),
        parent_match_id=event.sr_id,
        competition_id=int(base["competition_id"]),
        sport_id=int(base["sport_id"]),
        category_id=event.tournament.country_key,
        side_bets=len(base["odds"]),
        current_score=score,
        bet_status="STARTED",
        match_status="ACTIVE",
        NOW=local(at),
        sys_modified=int(at.timestamp() * 1_000),
    )
    if state is not None:  # the game clock, status and period scores, as the captured live row shows them
        base["match_time"] = f"{state.game_s // 60:02d}:{state.game_s % 60:02d}"
        base["event_status"] = _STATUSES.get(state.phase.code, state.phase.code)
        base["set_score"] = [
            {"score": f"{home}:{away}", "set": str(number)}
            for number, (home, away) in enumerate(state.period_scores, start=1)
        ]
    return base


#: Betika's football statuses (the captured "1st half"; the break's and the second half's are guesses).
_STATUSES = {"H1": "1st half", "HT": "Halftime", "H2": "2nd half"}


def render(event: WorldEvent, markets: list[dict[str, Any]], version: int) -> Rendered:
    """The match's one row with every group; its winner group, for the list."""
    body = answer([row(event, markets)], 1, 1, 1)
    return Rendered(orjson.dumps(body), [g for g in markets if g["sub_type_id"] in WINNER_GROUPS])
