"""Betway payloads (../shared/PLATFORMS.md "Betway"), pure functions of the world.

No envelope; the country is the ``countryCode`` parameter. The event is the captured ``sportEvent`` object
(``betway/event_state_sr68995116_prematch.json``: ``eventId`` the bare SR id, ``expectedStartEpoch`` epoch
seconds, ``sportId`` "soccer", ``regionId``/``leagueId`` slugs, ``joinedLeagueId``
"soccer::china::chinese-super-league"). The markets answer joins three arrays (markets.py), paged by
``skip``/``take`` over its market groups. Never captured, so shaped as the documented clients read them:
``Feeds/RegionsAndLeagues/{sport}`` (``regions[]{regionId, name, leagues[]{leagueId, name}}``),
``BetBook/Filtered/`` and ``BetBook/LiveInPlay/`` (``events[]`` of ``sportEvent`` objects, the live ones
with ``markets[]`` carrying the captured flags ``isActive``/``isSuspended``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.books.betway.markets import MarketGroup, market_id, priced_groups
from palimpsest_sandbox.live_coverage import live_lines, state_at
from palimpsest_sandbox.live_timeline import MatchState
from palimpsest_sandbox.markets.pricing import BookPrices
from palimpsest_sandbox.rendering import Rendered
from palimpsest_sandbox.world import WorldEvent, WorldTournament

BOOK = Book.BETWAY
#: Betway's sport ids (``sportEvent.sportId``) by the world's sport keys.
SPORTS = {"football": "soccer", "basketball": "basketball", "tennis": "tennis"}
SPORT_KEYS = {betway: key for key, betway in SPORTS.items()}
_PUBLISHED = "2026-05-21T23:10:43.4352175Z"
#: The markets answer's tabs per sport, as captured (football: the in-play capture's).
GROUP_NAMES = {
    "football": ["Main", "Totals", "Winner", "Goals", "Scores", "Combos", "Halves", "Handicap", "Team"],
    "basketball": ["Main", "Totals", "Winner", "Quarters", "Spread", "Halves", "Handicap", "Team"],
    "tennis": ["Main", "Winner", "Sets", "Game", "Scores", "Match", "Handicap"],
}


def slug(text: str) -> str:
    """ "Liga MX, Clausura" -> "liga-mx-clausura" (Betway's region and league ids)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "x"


def region_id(tournament: WorldTournament) -> str:
    return slug(tournament.country_spellings[BOOK])


def joined_league_id(tournament: WorldTournament) -> str:
    """ "soccer::china::chinese-super-league": the sport, the region and the league."""
    return f"{SPORTS[tournament.sport]}::{region_id(tournament)}::{slug(tournament.spellings[BOOK])}"


def sport_event(event: WorldEvent, *, live: bool = False) -> dict[str, Any]:
    """The ``sportEvent`` object of one match, every captured key in the captured order."""
    t = event.tournament
    home, away = event.home[BOOK], event.away[BOOK]
    score = {
        "eventId": event.sr_id,
        "score": ["0", "0"],
        "timePeriod": "seconds",
        "sportType": "standard-game",
        "comments": "InPlay" if live else "NotStarted",
        "gameEventType": "standard-game",
        "gameEventPeriod": "default",
        "gameEventPeriodIndex": 1,
        "publicHubPublishedTime": _PUBLISHED,
    }
    return {
        "eventId": event.sr_id,
        "isActive": True,
        "isFinished": False,
        "isLive": live,
        "shouldDisplay": True,
        "name": f"{home} vs. {away}",
        "displayName": f"{home} vs. {away}",
        "signalRGroupId": f"event::{event.sr_id}",
        "expectedStartEpoch": int(event.kickoff.timestamp()),
        "sportId": SPORTS[event.sport],
        "regionId": region_id(t),
        "region": t.country_spellings[BOOK],
        "leagueId": slug(t.spellings[BOOK]),
        "league": t.spellings[BOOK],
        "joinedLeagueId": joined_league_id(t),
        "homeTeam": home,
        "awayTeam": away,
        "isBoosted": False,
        "isBookedForLive": True,
        "isOutright": False,
        "version": int(event.kickoff.timestamp() * 1_000),
        "isTwoUpEnabled": False,
        "isSportBonusAllowed": True,
        "gameStateTimeScore": score,
        "emopSource": 3,
        "publicHubPublishedTime": _PUBLISHED,
        "sportSpecificProperties": {
            "Producer": "1" if live else "3",
            "Type": "match",
            "OneUpStatus": "Active",
            "TwoUpStatus": "Active",
            "ThreeUpStatus": "Active",
            "HomeTeamId": slug(home),
            "AwayTeamId": slug(away),
        },
        "isCashOutAllowed": False,
    }


def regions(events: Sequence[WorldEvent], sport: str) -> dict[str, Any]:
    """``Feeds/RegionsAndLeagues/{sport}``: the regions and leagues with listed events of ``sport``."""
    found: dict[str, dict[str, Any]] = {}
    leagues: set[tuple[str, str]] = set()
    for event in events:
        if event.sport != sport:
            continue
        t = event.tournament
        region_key = region_id(t)
        region = found.setdefault(
            region_key, {"regionId": region_key, "name": t.country_spellings[BOOK], "leagues": []}
        )
        league_id = slug(t.spellings[BOOK])
        if (region_key, league_id) not in leagues:
            leagues.add((region_key, league_id))
            region["leagues"].append({"leagueId": league_id, "name": t.spellings[BOOK]})
    return {"regions": list(found.values())}


def league_events(events: Sequence[WorldEvent], sport: str, region: str, league_id: str) -> dict[str, Any]:
    """``BetBook/Filtered/``: one league's listed events, by kick-off."""
    rows = [
        sport_event(event)
        for event in events
        if event.sport == sport
        and region_id(event.tournament) == region
        and slug(event.tournament.spellings[BOOK]) == league_id
    ]
    return {"events": rows}


def markets_answer(event: WorldEvent, groups: Sequence[MarketGroup], skip: int, take: int) -> dict[str, Any]:
    """``MarketGroupNamesAndMarketsForEvent``: ``take`` market groups from ``skip`` and the event."""
    page = groups[skip : skip + take]
    return {
        "marketGroupNames": GROUP_NAMES[event.sport],
        "marketsInGroup": [market for group in page for market in group.markets],
        "outcomes": [outcome for group in page for outcome in group.outcomes],
        "prices": [price for group in page for price in group.prices],
        "sportEvent": sport_event(event),
    }


def event_state(event: WorldEvent) -> dict[str, Any]:
    """``Feeds/Events/EventAndGameState``: the event's state, no markets."""
    body = sport_event(event)
    return {"sportEvent": body, "gameStateTimeScore": body["gameStateTimeScore"]}


#: Betway's names of football's phases (the captured "2nd half"; the break's is a guess).
_HALVES = {"H1": "1st half", "HT": "Half time", "H2": "2nd half"}


def football_clock(clock: dict[str, Any], state: MatchState) -> dict[str, Any]:
    """``clock`` with ``state`` and ``time`` after ``eventId`` as in the captured live state (the minute
    being played, held at 45 and 90 in stoppage time) and the half's number in ``gameEventPeriod``."""
    period = abs(state.phase.period)
    held = min(state.minute, 45 if period == 1 else 90)
    head = {"eventId": clock["eventId"], "state": _HALVES[state.phase.code], "time": held}
    periods = {"gameEventPeriod": str(period), "gameEventPeriodIndex": period}  # as the captured states
    return head | {key: periods.get(key, value) for key, value in clock.items() if key != "eventId"}


def live_list(events: Sequence[WorldEvent], at: datetime) -> dict[str, Any]:
    """``BetBook/LiveInPlay/``: the live events, each with its live lines as markets."""
    rows = []
    for event in events:
        row = sport_event(event, live=True)
        state = state_at(event, at)
        if state is not None:
            clock = row["gameStateTimeScore"]
            clock["score"] = [str(goals) for goals in state.score]
            if state.sport == "football":
                row["gameStateTimeScore"] = football_clock(clock, state)
        row["markets"] = [
            {
                "marketId": market_id(event.sr_id, line.market, line.specifier),
                "eventId": event.sr_id,
                "isActive": True,
                "isSuspended": line.suspended,
                "subscriptionId": line.market,
            }
            for line in live_lines(event, BOOK, at)
        ]
        rows.append(row)
    return {"events": rows}


def render(event: WorldEvent, markets: Sequence[MarketGroup], version: int) -> Rendered:
    """The whole markets answer (``skip`` 0) and its market groups, for other pages."""
    return Rendered(orjson.dumps(markets_answer(event, markets, 0, len(markets))), markets)


def live_markets_answer(event: WorldEvent, at: datetime) -> dict[str, Any] | None:
    """``MarketGroupNamesAndMarketsForEvent`` of a match in play (the captured in-play answer's shape, as
    prematch): its live lines now (``live_coverage.live_lines``), a line the book pulls suspended (the market
    ``isSuspended``, its outcomes not trading); None when not in play."""
    state = state_at(event, at)
    if state is None:
        return None
    lines = live_lines(event, BOOK, at)
    prices: BookPrices = {
        (line.market, line.specifier, outcome): (
            odds,
            "open" if odds is not None and not line.suspended else "suspended",
        )
        for line in lines
        for outcome, odds in line.prices
    }
    pulled = frozenset(
        market_id(event.sr_id, line.market, line.specifier) for line in lines if line.suspended
    )
    version = state.elapsed_s // 10
    groups = priced_groups(event.sr_id, prices, version, (event.home[BOOK], event.away[BOOK]), pulled)
    answer = markets_answer(event, groups, 0, len(groups))
    for market in answer["marketsInGroup"]:  # as captured in play: the live feed's producer and its groups
        market["additionalInfo"] = {"Producer": "1", "ProviderMarketGroups": '["all","score","regular_play"]'}
    body = sport_event(event, live=True)
    period = abs(state.phase.period)
    body["gameStateTimeScore"] = {
        **body["gameStateTimeScore"],
        "score": [str(goals) for goals in state.score],
        "state": _STATES.get(state.phase.code, state.phase.code),
        "time": state.game_s,
        "timePeriod": "seconds",
        "gameEventPeriod": str(period),
        "gameEventPeriodIndex": period,
    }
    answer["sportEvent"] = body
    return answer


#: ``gameStateTimeScore.state`` of a period (the capture: "1st half").
_STATES = {"H1": "1st half", "HT": "Halftime", "H2": "2nd half"}
