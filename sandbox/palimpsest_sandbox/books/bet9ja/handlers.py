"""Bet9ja's endpoints: pure handlers from the shared state and a request to an :class:`Answer`.

One site; every error (unknown group or event, a bad parameter, throttling) is the same ``{"R": "E"}``.
"""

from __future__ import annotations

from starlette.requests import Request

from palimpsest_sandbox.app_state import Answer, SandboxState, json_answer
from palimpsest_sandbox.books.bet9ja import live, payloads
from palimpsest_sandbox.books.bet9ja.payloads import BOOK, group_id
from palimpsest_sandbox.handlers import QUIET, detail_body, found, found_in_play, is_quiet, listed, shown_live


def sports(state: SandboxState, request: Request) -> Answer:
    events = listed(state, BOOK, state.clock.now())
    return json_answer(payloads.ok(payloads.catalogue(events)))


def group(state: SandboxState, request: Request) -> Answer:
    try:
        wanted = int(request.query_params.get("GROUPID", ""))
    except ValueError:
        return json_answer(payloads.error(), outcome="bad_request")
    now = state.clock.now()
    events = [e for e in listed(state, BOOK, now) if group_id(e.tournament) == wanted]
    if events and is_quiet(state, BOOK, events[0].sport):
        return json_answer(payloads.ok(payloads.group_rows([], [])), outcome=QUIET)
    if not events:
        known = wanted in payloads.virtual_group_ids(state.world.tournaments) or any(
            group_id(t) == wanted for t in state.world.tournaments
        )
        if not known:
            return json_answer(payloads.error(), outcome="not_found")
    odds = [state.renderer.list_part(BOOK, event, now) for event in events]
    return json_answer(payloads.ok(payloads.group_rows(events, odds)))


def event_detail(state: SandboxState, request: Request) -> Answer:
    now = state.clock.now()
    event = found(state, BOOK, request.query_params.get("EVENTID", ""), now)
    if event is None:
        return json_answer(payloads.error(), outcome="not_found")
    return Answer(200, detail_body(state, BOOK, event))


def live_event(state: SandboxState, request: Request) -> Answer:
    """``PalimpsestLiveAjax/GetLiveEvent``: in-play events only; unknown, not started or over -> R "E"."""
    now = state.clock.now()
    event = found_in_play(state, BOOK, request.query_params.get("EVENTID", ""), now)
    body = None if event is None else live.live_body(event, now)
    if body is None:
        return json_answer(payloads.error(), outcome="not_found")
    return Answer(200, body)


def live_list(state: SandboxState, request: Request) -> Answer:
    """``PalimpsestLiveAjax/GetLiveEventsV2``: every live event, or one live sport's (``SID``; a guess)."""
    events = shown_live(state, BOOK)
    sid = request.query_params.get("SID")
    if sid is not None:
        events = [e for e in events if str(live.LIVE_SID_BASE + payloads.SPORT_IDS[e.sport]) == sid]
    return json_answer(payloads.ok(live.live_list(events, state.clock.now())))
