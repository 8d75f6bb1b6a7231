"""Betway's endpoints: pure handlers from the shared state and a request to an :class:`Answer`.

Every call names its country in ``countryCode``; the sandbox's world answers for any of Betway's countries
(PLATFORMS.md), and a request without one, or with another, answers HTTP 400 [guess]. An event the book does
not list answers HTTP 404 [guess: never captured].
"""

from __future__ import annotations

from starlette.requests import Request

from palimpsest_pipeline.books.editions import EDITIONS
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY
from palimpsest_sandbox.app_state import Answer, SandboxState, json_answer
from palimpsest_sandbox.books.betway import payloads
from palimpsest_sandbox.books.betway.payloads import BOOK
from palimpsest_sandbox.handlers import (
    QUIET,
    detail_body,
    found,
    found_in_play,
    is_quiet,
    listed,
    on_live_list,
    shown_live,
)

#: The ``countryCode`` of each edition, to the country it names.
COUNTRY_CODES: dict[str, str] = {
    site.params["countryCode"]: country for (book, country), site in EDITIONS.items() if book is BOOK
}
#: The most market groups one markets answer gives (``take`` beyond it is cut to it) [guess].
MAX_TAKE = 1_000


def site_country(request: Request) -> str | None:
    """The edition ``countryCode`` names; a missing or unknown one is the handlers' 400."""
    return COUNTRY_CODES.get(request.query_params.get("countryCode", ""), DEFAULT_SITE_COUNTRY)


def _bad(message: str) -> Answer:
    return json_answer({"error": message}, status=400, outcome="bad_request")


def _refused(request: Request) -> Answer | None:
    code = request.query_params.get("countryCode", "")
    if code not in COUNTRY_CODES:
        return _bad(f"countryCode {code[:10]!r} is not one of Betway's countries")
    return None


def _sport(value: str) -> str | Answer:
    sport = payloads.SPORT_KEYS.get(value)
    return _bad(f"sport {value[:40]!r} is not a sport") if sport is None else sport


def _int(request: Request, name: str, default: int) -> int | Answer:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit():
        return _bad(f"{name} must be a non-negative integer, got {raw[:20]!r}")
    return int(raw)


def regions(state: SandboxState, request: Request) -> Answer:
    """``Feeds/RegionsAndLeagues/{sport}``: the sport's regions and their leagues with listed events."""
    refused = _refused(request)
    if refused is not None:
        return refused
    sport = _sport(request.path_params["sport"])
    if isinstance(sport, Answer):
        return sport
    events = listed(state, BOOK, state.clock.now(), sport=sport)
    return json_answer(payloads.regions(events, sport))


def league(state: SandboxState, request: Request) -> Answer:
    """``BetBook/Filtered/?sportId&regionId&leagueId``: one league's listed events."""
    refused = _refused(request)
    if refused is not None:
        return refused
    sport = _sport(request.query_params.get("sportId", ""))
    if isinstance(sport, Answer):
        return sport
    quiet = is_quiet(state, BOOK, sport)
    events = () if quiet else listed(state, BOOK, state.clock.now(), sport=sport)
    region, league_id = request.query_params.get("regionId", ""), request.query_params.get("leagueId", "")
    return json_answer(
        payloads.league_events(events, sport, region, league_id), outcome=QUIET if quiet else "ok"
    )


def markets(state: SandboxState, request: Request) -> Answer:
    """``MarketGroupNamesAndMarketsForEvent?eventId&skip&take``: ``take`` market groups from ``skip``; a
    match in play on Betway's live list: its live markets, whole."""
    refused = _refused(request)
    if refused is not None:
        return refused
    skip, take = _int(request, "skip", 0), _int(request, "take", MAX_TAKE)
    if isinstance(skip, Answer):
        return skip
    if isinstance(take, Answer):
        return take
    now = state.clock.now()
    event_id = request.query_params.get("eventId", "")
    event = found(state, BOOK, event_id, now)
    if event is None:  # in play (the same endpoint, as captured) while the match is on the live list
        playing = found_in_play(state, BOOK, event_id, now)
        live = None
        if playing is not None and on_live_list(state, BOOK, playing, now):
            live = payloads.live_markets_answer(playing, now)
        if live is None:
            return json_answer({"error": "event not found"}, status=404, outcome="not_found")
        return json_answer(live)
    groups = state.renderer.list_part(BOOK, event, now)
    if skip == 0 and take >= len(groups):  # the whole answer: the cached body, drift applied
        return Answer(200, detail_body(state, BOOK, event))
    return json_answer(payloads.markets_answer(event, groups, skip, min(take, MAX_TAKE)))


def event_state(state: SandboxState, request: Request) -> Answer:
    """``Feeds/Events/EventAndGameState?eventId``: a listed event's state, no markets."""
    refused = _refused(request)
    if refused is not None:
        return refused
    event = found(state, BOOK, request.query_params.get("eventId", ""), state.clock.now())
    if event is None:
        return json_answer({"error": "event not found"}, status=404, outcome="not_found")
    return json_answer(payloads.event_state(event))


def live_in_play(state: SandboxState, request: Request) -> Answer:
    """``BetBook/LiveInPlay/?sportId``: the sport's matches on the live list now."""
    refused = _refused(request)
    if refused is not None:
        return refused
    sport = _sport(request.query_params.get("sportId", ""))
    if isinstance(sport, Answer):
        return sport
    events = [event for event in shown_live(state, BOOK) if event.sport == sport]
    return json_answer(payloads.live_list(events, state.clock.now()))
