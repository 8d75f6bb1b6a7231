"""MSport's endpoints: pure handlers from the shared state and a request to an :class:`Answer`.

Each country's site is its ``/api/<cc>/`` path: a request without that edition's ``operid`` header (ng 2,
gh 3, ...: books/editions.toml) answers ``bizCode 19000 "invalid operId"`` as the real one does. An event
the book does not list answers HTTP 404 with an error envelope [guess: never captured].
"""

from __future__ import annotations

from starlette.requests import Request

from palimpsest_pipeline.books.editions import EDITIONS
from palimpsest_pipeline.books.sports import Sport
from palimpsest_sandbox.app_state import Answer, SandboxState, json_answer
from palimpsest_sandbox.books.msport import payloads
from palimpsest_sandbox.books.msport.payloads import BOOK
from palimpsest_sandbox.handlers import QUIET, detail_body, found, found_in_play, is_quiet, listed, shown_live
from palimpsest_sandbox.live_coverage import state_at


def operid(country: str) -> str | None:
    """The ``operid`` header the ``country`` edition expects (None: it expects none)."""
    site = EDITIONS.get((BOOK, country))
    return None if site is None else site.headers.get("operid")


def _refused(state: SandboxState, request: Request) -> Answer | None:
    """The answer to a request the edition refuses (not its ``operid``), else None."""
    if request.headers.get("operid") != operid(state.site_country):
        return json_answer(
            payloads.error_envelope(payloads.INVALID_OPERID_CODE, "invalid operId"), outcome="bad_request"
        )
    return None


def _sport(request: Request) -> Sport | Answer:
    sport_id = request.query_params.get("sportId", "")
    sport = payloads.sport_for_id(sport_id)
    if sport is None:
        payload = payloads.error_envelope(
            payloads.BAD_REQUEST_CODE, f"sportId {sport_id[:40]!r} is not a sport"
        )
        return json_answer(payload, outcome="bad_request")
    return sport


def sports(state: SandboxState, request: Request) -> Answer:
    return _refused(state, request) or json_answer(payloads.envelope(payloads.sports()))


def matches_list(state: SandboxState, request: Request) -> Answer:
    """``sports-matches-list?sportId=...[&lastEventId=...]``: one page of the sport's listed matches."""
    refused = _refused(state, request)
    if refused is not None:
        return refused
    sport = _sport(request)
    if isinstance(sport, Answer):
        return sport
    quiet = is_quiet(state, BOOK, sport.key)
    events = () if quiet else listed(state, BOOK, state.clock.now(), sport=sport.key)
    try:
        page = payloads.matches_page(events, request.query_params.get("lastEventId"))
    except ValueError as error:
        return json_answer(
            payloads.error_envelope(payloads.BAD_REQUEST_CODE, str(error)), outcome="bad_request"
        )
    return json_answer(payloads.envelope(page), outcome=QUIET if quiet else "ok")


def match_detail(state: SandboxState, request: Request) -> Answer:
    """``match/detail?eventId=...&productId=3`` a listed event, ``productId=1`` one in play."""
    refused = _refused(state, request)
    if refused is not None:
        return refused
    now = state.clock.now()
    event_id = request.query_params.get("eventId", "")
    product = request.query_params.get("productId", payloads.PREMATCH_PRODUCT)
    if product == payloads.PREMATCH_PRODUCT:
        event = found(state, BOOK, event_id, now)
        if event is not None:
            return Answer(200, detail_body(state, BOOK, event))
    elif product == payloads.LIVE_PRODUCT:
        event = found_in_play(state, BOOK, event_id, now)
        match = None if event is None else state_at(event, now)
        if event is not None and match is not None:
            return json_answer(payloads.envelope(payloads.live_detail(event, match, now)))
    payload = payloads.error_envelope(payloads.NOT_FOUND_CODE, "Event not found")
    return json_answer(payload, status=404, outcome="not_found")


def live_list(state: SandboxState, request: Request) -> Answer:
    """``live-matches/list?sportId=...``: the sport's matches on the live list now."""
    refused = _refused(state, request)
    if refused is not None:
        return refused
    sport = _sport(request)
    if isinstance(sport, Answer):
        return sport
    events = [event for event in shown_live(state, BOOK) if event.sport == sport.key]
    return json_answer(payloads.envelope(payloads.live_list(events, state.clock.now())))
