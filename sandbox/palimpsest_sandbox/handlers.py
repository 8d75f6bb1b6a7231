"""The sandbox's book endpoints: pure handlers from the shared state and a request to an :class:`Answer`.

Split from app.py, which wraps each of them with latency, faults and counting (``_book_endpoint``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.requests import Request

from palimpsest_pipeline.books.sports import SPORTS, Sport, sport_by_key
from palimpsest_pipeline.records import Book
from palimpsest_sandbox import bet9ja, betpawa, live, live_lists, payload_drift, sportybet
from palimpsest_sandbox.app_state import Answer, SandboxState, json_answer
from palimpsest_sandbox.world import WorldEvent


def detail_body(state: SandboxState, book: Book, event: WorldEvent) -> bytes:
    """An event's detail body now, in the drifted shape where the book's payload drift is in force."""
    now = state.clock.now()
    body = state.renderer.detail(book, event, now)
    drift = state.faults.behaviour(book).payload_drift
    if drift is not None and payload_drift.applies(drift, now):
        return payload_drift.apply(book, drift, body)
    return body


def shown_live(state: SandboxState, book: Book) -> list[WorldEvent]:
    """The events on ``book``'s live list now: the world's, less the gaps forced through the control API."""
    now = state.clock.now()
    return [e for e in state.world.live_events(book, now) if not state.live_gaps.hides(e, book, now)]


def is_quiet(state: SandboxState, book: Book, sport: str) -> bool:
    """Whether ``book``'s upcoming lists of ``sport`` answer empty now (``FaultConfig.quiet_sports``)."""
    return sport in state.faults.behaviour(book).faults.quiet_sports


#: The outcome a list answer emptied by ``quiet_sports`` is counted under.
QUIET = "quiet_sports"


# --- SportyBet ----------------------------------------------------------------------------------------


def _sporty_int(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise _SportyBadRequest(f"{name} must be an integer, got {raw!r}") from None


class _SportyBadRequest(ValueError):
    pass


def _sporty_sport(request: Request) -> Sport:
    sport_id = request.query_params.get("sportId", "")
    sport = sportybet.sport_for_id(sport_id)
    if sport is None:
        raise _SportyBadRequest(f"sportId {sport_id!r} is not a known sport")
    return sport


def _sporty_error(error: _SportyBadRequest) -> Answer:
    return json_answer(
        sportybet.error_envelope(sportybet.BAD_REQUEST_CODE, str(error)), outcome="bad_request"
    )


def sporty_catalogue(state: SandboxState, request: Request) -> Answer:
    sports: list[Sport] = list(SPORTS)
    if "sportId" in request.query_params:
        try:
            sports = [_sporty_sport(request)]
        except _SportyBadRequest as error:
            return _sporty_error(error)
    if request.query_params.get("productId", "3") != "3":
        # productId 1 is the live catalogue: never captured nor described by a scraper, so not imitated
        # (live events are served one by one: ``event?productId=1``).
        sports = []
    events = state.world.listed_events(Book.SPORTYBET, state.clock.now())
    return json_answer(sportybet.envelope(sportybet.catalogue(events, sports)))


def sporty_upcoming(state: SandboxState, request: Request) -> Answer:
    try:
        sport = _sporty_sport(request)
        page_size = _sporty_int(request, "pageSize", sportybet.MAX_PAGE_SIZE)
        page_num = _sporty_int(request, "pageNum", 1)
        timeline = _sporty_int(request, "timeline", 0) if "timeline" in request.query_params else None
        if page_size > sportybet.MAX_PAGE_SIZE:
            raise _SportyBadRequest("pageSize too large")
        if page_size < 1 or page_num < 1:
            raise _SportyBadRequest(f"pageSize and pageNum must be >= 1, got {page_size} and {page_num}")
    except _SportyBadRequest as error:
        return _sporty_error(error)
    now = state.clock.now()
    quiet = is_quiet(state, Book.SPORTYBET, sport.key)
    events = () if quiet else state.world.listed_events(Book.SPORTYBET, now, sport=sport.key)
    if timeline is not None:
        horizon = now + timedelta(hours=timeline)
        events = tuple(event for event in events if event.kickoff <= horizon)
    ordered = sorted(events, key=sportybet.list_order_key)
    page = sportybet.upcoming_page(
        ordered,
        lambda event: state.renderer.list_part(Book.SPORTYBET, event, now),
        page_num=page_num,
        page_size=page_size,
        seed=state.config.seed,
        sport_id=sport.sportybet_id,
    )
    return json_answer(sportybet.envelope(page), outcome=QUIET if quiet else "ok")


def sporty_event(state: SandboxState, request: Request) -> Answer:
    """productId 3 serves listed (prematch) events, productId 1 in-play ones; anything else is "not found".

    Asking an in-play event with productId 3 (or a prematch one with 1) answers bizCode 19000 "Event not
    found": the real book's answer there was never captured, and a client must not mistake one product's
    body for the other's (the live body has a score; the prematch one is gone once the match starts).
    """
    now = state.clock.now()
    event_id = request.query_params.get("eventId", "")
    product = request.query_params.get("productId", str(sportybet.PREMATCH_PRODUCT))
    body: bytes | None = None
    if product == str(sportybet.PREMATCH_PRODUCT):
        event = state.world.find(Book.SPORTYBET, event_id, now)
        body = None if event is None else detail_body(state, Book.SPORTYBET, event)
    elif product == str(sportybet.LIVE_PRODUCT):
        event = state.world.find_in_play(Book.SPORTYBET, event_id, now)
        body = None if event is None else live.live_body(Book.SPORTYBET, event, now)
    if body is None:
        payload = sportybet.error_envelope(sportybet.EVENT_NOT_FOUND_CODE, "Event not found")
        return json_answer(payload, outcome="not_found")
    return Answer(200, body)


def sporty_live(state: SandboxState, request: Request) -> Answer:
    """``liveOrPrematchEvents?sportId=...``: the sport's live list, tournaments of event rows (a guess)."""
    try:
        sport = _sporty_sport(request)
    except _SportyBadRequest as error:
        return _sporty_error(error)
    events = [event for event in shown_live(state, Book.SPORTYBET) if event.sport == sport.key]
    return json_answer(sportybet.envelope(live_lists.sportybet_live_list(events, state.clock.now())))


def sporty_pc_events(state: SandboxState, request: Request) -> Answer:
    """One public source reports 403 for this POST; the sandbox answers so, every time."""
    return Answer(403, b"Forbidden", "text/plain", "forbidden")


# --- BetPawa -----------------------------------------------------------------------------------------


def pawa_categories_all(state: SandboxState, request: Request) -> Answer:
    events = state.world.listed_events(Book.BETPAWA, state.clock.now())
    return json_answer(betpawa.categories_all(events))


def pawa_category(state: SandboxState, request: Request) -> Answer:
    category = request.path_params["category"]
    sport = next((s for s in SPORTS if s.betpawa_category_id == category), None)
    if sport is None:
        return json_answer({"message": f"unknown category {category!r}"}, status=404, outcome="not_found")
    events = state.world.listed_events(Book.BETPAWA, state.clock.now())
    if request.query_params.get("includeRegions") == "true":
        return json_answer(betpawa.category_with_regions(events, sport))
    only = [meta for meta in betpawa.categories_all(events)["onlyMeta"] if meta["category"]["id"] == category]
    return json_answer({"onlyMeta": only})


def pawa_list(state: SandboxState, request: Request) -> Answer:
    try:
        queries = betpawa.parse_queries(request.query_params.get("q"))
    except betpawa.QueryError as error:
        return json_answer({"message": str(error)}, status=400, outcome="bad_request")
    now = state.clock.now()
    quiet = {s.betpawa_category_id for s in SPORTS if is_quiet(state, Book.BETPAWA, s.key)}
    listed = [
        event
        for event in state.world.listed_events(Book.BETPAWA, now)
        if sport_by_key(event.sport).betpawa_category_id not in quiet
    ]
    asked_quiet = any(q.event_type == "UPCOMING" and q.categories & quiet for q in queries)
    outcome = QUIET if asked_quiet else "ok"
    live: list[WorldEvent] | None = None
    responses: list[dict[str, Any]] = []
    all_rows: list[dict[str, Any]] = []
    for query in queries:
        if query.event_type == "LIVE":
            live = shown_live(state, Book.BETPAWA) if live is None else live
            selected = betpawa.select(live, query)[query.skip : query.skip + query.take]
            rows = [live_lists.betpawa_live_row(event, now, query.market_types) for event in selected]
        else:
            selected = betpawa.select(listed, query)[query.skip : query.skip + query.take]
            rows = [
                betpawa.list_row(
                    event,
                    betpawa.list_markets(
                        state.renderer.list_part(Book.BETPAWA, event, now), query.market_types
                    ),
                )
                for event in selected
            ]
        all_rows.extend(rows)
        responses.extend(betpawa.list_response(rows)["responses"])
    if "application/json" not in request.headers.get("accept", ""):
        return Answer(200, betpawa.protobuf_list(all_rows), "application/x-protobuf", "protobuf")
    return json_answer({"responses": responses}, outcome=outcome)


def pawa_event(state: SandboxState, request: Request) -> Answer:
    """404 once the match kicks off: v3 (which served live events) is retired and no v4 in-play response was
    ever captured, so in-play BetPawa events answer as "unknown or kicked off" do (see live.py)."""
    now = state.clock.now()
    event = state.world.find(Book.BETPAWA, request.path_params["event_id"], now)
    if event is None:
        return json_answer({"message": "event not found"}, status=404, outcome="not_found")
    return Answer(200, detail_body(state, Book.BETPAWA, event))


def pawa_retired_v3(state: SandboxState, request: Request) -> Answer:
    return json_answer({"message": "Not Found"}, status=404, outcome="not_found")


# --- Bet9ja ------------------------------------------------------------------------------------------


def b9_sports(state: SandboxState, request: Request) -> Answer:
    events = state.world.listed_events(Book.BET9JA, state.clock.now())
    return json_answer(bet9ja.ok(bet9ja.catalogue(events)))


def b9_group(state: SandboxState, request: Request) -> Answer:
    try:
        group_id = int(request.query_params.get("GROUPID", ""))
    except ValueError:
        return json_answer(bet9ja.error(), outcome="bad_request")
    now = state.clock.now()
    events = [
        e for e in state.world.listed_events(Book.BET9JA, now) if e.tournament.bet9ja_group_id == group_id
    ]
    if events and is_quiet(state, Book.BET9JA, events[0].sport):
        return json_answer(bet9ja.ok(bet9ja.group_rows([], [])), outcome=QUIET)
    if not events:
        known = group_id in bet9ja.virtual_group_ids(state.world.tournaments) or any(
            t.bet9ja_group_id == group_id for t in state.world.tournaments
        )
        if not known:
            return json_answer(bet9ja.error(), outcome="not_found")
    odds = [state.renderer.list_part(Book.BET9JA, event, now) for event in events]
    return json_answer(bet9ja.ok(bet9ja.group_rows(events, odds)))


def b9_event(state: SandboxState, request: Request) -> Answer:
    now = state.clock.now()
    event = state.world.find(Book.BET9JA, request.query_params.get("EVENTID", ""), now)
    if event is None:
        return json_answer(bet9ja.error(), outcome="not_found")
    return Answer(200, detail_body(state, Book.BET9JA, event))


def b9_live_event(state: SandboxState, request: Request) -> Answer:
    """``PalimpsestLiveAjax/GetLiveEvent``: in-play events only; unknown, not started or over -> R "E"."""
    now = state.clock.now()
    event = state.world.find_in_play(Book.BET9JA, request.query_params.get("EVENTID", ""), now)
    body = None if event is None else live.live_body(Book.BET9JA, event, now)
    if body is None:
        return json_answer(bet9ja.error(), outcome="not_found")
    return Answer(200, body)


def b9_live_list(state: SandboxState, request: Request) -> Answer:
    """``PalimpsestLiveAjax/GetLiveEventsV2``: every live event, or one live sport's (``SID``; a guess)."""
    events = shown_live(state, Book.BET9JA)
    sid = request.query_params.get("SID")
    if sid is not None:
        events = [e for e in events if str(bet9ja.LIVE_SID_BASE + sport_by_key(e.sport).bet9ja_sid) == sid]
    return json_answer(bet9ja.ok(live_lists.bet9ja_live_list(events, state.clock.now())))


# --- faults ------------------------------------------------------------------------------------------
