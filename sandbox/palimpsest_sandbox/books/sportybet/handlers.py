"""SportyBet's endpoints: pure handlers from the shared state and a request to an :class:`Answer`.

Each country's site is its ``/api/<cc>/`` path. A bad parameter answers the book's error envelope (bizCode
4000), an event it does not list bizCode 19000 "Event not found".
"""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request

from palimpsest_pipeline.books.sports import SPORTS, Sport
from palimpsest_sandbox.app_state import Answer, SandboxState, json_answer
from palimpsest_sandbox.books.sportybet import live, payloads
from palimpsest_sandbox.books.sportybet.payloads import BOOK
from palimpsest_sandbox.handlers import QUIET, detail_body, found, found_in_play, is_quiet, listed, shown_live


def _int(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise _BadRequest(f"{name} must be an integer, got {raw!r}") from None


class _BadRequest(ValueError):
    pass


def _sport(request: Request) -> Sport:
    sport_id = request.query_params.get("sportId", "")
    sport = payloads.sport_for_id(sport_id)
    if sport is None:
        raise _BadRequest(f"sportId {sport_id!r} is not a known sport")
    return sport


def _error(error: _BadRequest) -> Answer:
    return json_answer(payloads.error_envelope(payloads.BAD_REQUEST_CODE, str(error)), outcome="bad_request")


def catalogue(state: SandboxState, request: Request) -> Answer:
    sports: list[Sport] = list(SPORTS)
    if "sportId" in request.query_params:
        try:
            sports = [_sport(request)]
        except _BadRequest as error:
            return _error(error)
    if request.query_params.get("productId", "3") != "3":
        # productId 1 is the live catalogue: never captured nor described by a scraper, so not imitated
        # (live events are served one by one: ``event?productId=1``).
        sports = []
    events = listed(state, BOOK, state.clock.now())
    return json_answer(payloads.envelope(payloads.catalogue(events, sports)))


def upcoming(state: SandboxState, request: Request) -> Answer:
    try:
        sport = _sport(request)
        page_size = _int(request, "pageSize", payloads.MAX_PAGE_SIZE)
        page_num = _int(request, "pageNum", 1)
        timeline = _int(request, "timeline", 0) if "timeline" in request.query_params else None
        if page_size > payloads.MAX_PAGE_SIZE:
            raise _BadRequest("pageSize too large")
        if page_size < 1 or page_num < 1:
            raise _BadRequest(f"pageSize and pageNum must be >= 1, got {page_size} and {page_num}")
    except _BadRequest as error:
        return _error(error)
    now = state.clock.now()
    quiet = is_quiet(state, BOOK, sport.key)
    events = () if quiet else listed(state, BOOK, now, sport=sport.key)
    if timeline is not None:
        horizon = now + timedelta(hours=timeline)
        events = tuple(event for event in events if event.kickoff <= horizon)
    ordered = sorted(events, key=payloads.list_order_key)
    page = payloads.upcoming_page(
        ordered,
        lambda event: state.renderer.list_part(BOOK, event, now),
        page_num=page_num,
        page_size=page_size,
        seed=state.config.seed,
        sport_id=sport.sr_sport,
    )
    return json_answer(payloads.envelope(page), outcome=QUIET if quiet else "ok")


def event_detail(state: SandboxState, request: Request) -> Answer:
    """productId 3 serves listed (prematch) events, productId 1 in-play ones; anything else is "not found".

    Asking an in-play event with productId 3 (or a prematch one with 1) answers bizCode 19000 "Event not
    found": the real book's answer there was never captured, and a client must not mistake one product's
    body for the other's (the live body has a score; the prematch one is gone once the match starts).
    """
    now = state.clock.now()
    event_id = request.query_params.get("eventId", "")
    product = request.query_params.get("productId", str(payloads.PREMATCH_PRODUCT))
    body: bytes | None = None
    if product == str(payloads.PREMATCH_PRODUCT):
        event = found(state, BOOK, event_id, now)
        body = None if event is None else detail_body(state, BOOK, event)
    elif product == str(payloads.LIVE_PRODUCT):
        event = found_in_play(state, BOOK, event_id, now)
        body = None if event is None else live.live_body(event, now)
    if body is None:
        payload = payloads.error_envelope(payloads.EVENT_NOT_FOUND_CODE, "Event not found")
        return json_answer(payload, outcome="not_found")
    return Answer(200, body)


def live_list(state: SandboxState, request: Request) -> Answer:
    """``liveOrPrematchEvents?sportId=...``: the sport's live list, tournaments of event rows (a guess)."""
    try:
        sport = _sport(request)
    except _BadRequest as error:
        return _error(error)
    events = [event for event in shown_live(state, BOOK) if event.sport == sport.key]
    return json_answer(payloads.envelope(live.live_list(events, state.clock.now())))


def pc_events(state: SandboxState, request: Request) -> Answer:
    """One public source reports 403 for this POST; the sandbox answers so, every time."""
    return Answer(403, b"Forbidden", "text/plain", "forbidden")
