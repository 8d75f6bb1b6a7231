"""The sandbox's HTTP app: the three books' real paths, plus a control API under ``/_sandbox/``.

Every book endpoint runs through one wrapper (:func:`_book_endpoint`) that draws latency and a fault, counts
what was served, and only then asks the endpoint's handler for its answer. Handlers are synchronous and pure
apart from reading the shared state: they return an :class:`Answer` (status, bytes, content type, outcome),
which the wrapper may still corrupt (truncate, drop) before it reaches the socket.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from palimpsest_pipeline.books.sports import SPORTS, Sport
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.sandbox import bet9ja, betpawa, hostile, live, sportybet
from palimpsest_pipeline.sandbox.clock import SimulatedClock
from palimpsest_pipeline.sandbox.config import BookBehaviour, SandboxConfig
from palimpsest_pipeline.sandbox.faults import Decision, FaultInjector
from palimpsest_pipeline.sandbox.rendering import EventRenderer
from palimpsest_pipeline.sandbox.stats import ServedStats
from palimpsest_pipeline.sandbox.world import World

BETPAWA_PREFIX = "/api/sportsbook/v4/"
SPORTYBET_PREFIX = "/api/ng/factsCenter/"
BET9JA_PREFIX = "/desktop/feapi/PalimpsestAjax/"
BET9JA_LIVE_PREFIX = "/desktop/feapi/PalimpsestLiveAjax/"
BOOK_PREFIXES = {Book.BETPAWA: BETPAWA_PREFIX, Book.SPORTYBET: SPORTYBET_PREFIX, Book.BET9JA: BET9JA_PREFIX}

JSON = "application/json"
HTML_BLOCK_PAGE = (
    b"<!DOCTYPE html><html><head><title>Attention Required!</title></head><body><h1>Sorry, you have been "
    b"blocked</h1><p>You are unable to access this website.</p></body></html>"
)
_DROP_LOG_MESSAGE = "ASGI callable returned without completing response."


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes
    content_type: str = JSON
    outcome: str = "ok"
    headers: dict[str, str] = field(default_factory=dict)


def json_answer(payload: Any, *, status: int = 200, outcome: str = "ok") -> Answer:
    return Answer(status, orjson.dumps(payload), JSON, outcome)


@dataclass
class SandboxState:
    """Everything the running app shares; the :class:`SandboxHandle` reaches in here too."""

    config: SandboxConfig
    world: World
    clock: SimulatedClock
    faults: FaultInjector
    stats: ServedStats
    renderer: EventRenderer

    @classmethod
    def from_config(cls, config: SandboxConfig) -> SandboxState:
        return cls(
            config=config,
            world=World(seed=config.seed, size=config.size, days=config.days),
            clock=SimulatedClock(config.frozen_at),
            faults=FaultInjector(config.seed, config.books),
            stats=ServedStats(),
            renderer=EventRenderer(
                cache_bytes=config.cache_mb * 2**20,
                reprice_scale=config.reprice_scale,
                depth_scale=config.depth_scale,
            ),
        )


Handler = Callable[[SandboxState, Request], Answer]


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
    events = state.world.listed_events(Book.SPORTYBET, now, sport=sport.key)
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
    return json_answer(sportybet.envelope(page))


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
        body = None if event is None else state.renderer.detail(Book.SPORTYBET, event, now)
    elif product == str(sportybet.LIVE_PRODUCT):
        event = state.world.find_in_play(Book.SPORTYBET, event_id, now)
        body = None if event is None else live.live_body(Book.SPORTYBET, event, now)
    if body is None:
        payload = sportybet.error_envelope(sportybet.EVENT_NOT_FOUND_CODE, "Event not found")
        return json_answer(payload, outcome="not_found")
    return Answer(200, body)


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
    listed = state.world.listed_events(Book.BETPAWA, now)
    responses: list[dict[str, Any]] = []
    all_rows: list[dict[str, Any]] = []
    for query in queries:
        selected = betpawa.select(listed, query)[query.skip : query.skip + query.take]
        rows = [
            betpawa.list_row(
                event,
                betpawa.list_markets(state.renderer.list_part(Book.BETPAWA, event, now), query.market_types),
            )
            for event in selected
        ]
        all_rows.extend(rows)
        responses.extend(betpawa.list_response(rows)["responses"])
    if "application/json" not in request.headers.get("accept", ""):
        return Answer(200, betpawa.protobuf_list(all_rows), "application/x-protobuf", "protobuf")
    return json_answer({"responses": responses})


def pawa_event(state: SandboxState, request: Request) -> Answer:
    """404 once the match kicks off: v3 (which served live events) is retired and no v4 in-play response was
    ever captured, so in-play BetPawa events answer as "unknown or kicked off" do (see live.py)."""
    now = state.clock.now()
    event = state.world.find(Book.BETPAWA, request.path_params["event_id"], now)
    if event is None:
        return json_answer({"message": "event not found"}, status=404, outcome="not_found")
    return Answer(200, state.renderer.detail(Book.BETPAWA, event, now))


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
    return Answer(200, state.renderer.detail(Book.BET9JA, event, now))


def b9_live_event(state: SandboxState, request: Request) -> Answer:
    """``PalimpsestLiveAjax/GetLiveEvent``: in-play events only; unknown, not started or over -> R "E"."""
    now = state.clock.now()
    event = state.world.find_in_play(Book.BET9JA, request.query_params.get("EVENTID", ""), now)
    body = None if event is None else live.live_body(Book.BET9JA, event, now)
    if body is None:
        return json_answer(bet9ja.error(), outcome="not_found")
    return Answer(200, body)


# --- faults ------------------------------------------------------------------------------------------


def _error_envelope(book: Book) -> bytes:
    if book is Book.SPORTYBET:
        return orjson.dumps(sportybet.error_envelope(sportybet.THROTTLED_CODE, "Too many requests"))
    if book is Book.BET9JA:
        return orjson.dumps(bet9ja.error())
    # BetPawa has no envelope of its own; a JSON error object with status 200 is the closest real shape.
    return orjson.dumps({"errorCode": "SERVICE_UNAVAILABLE", "message": "Service temporarily unavailable"})


def _fault_answer(book: Book, decision: Decision) -> Answer | None:
    """The answer that replaces the real one, or None when the fault corrupts the real one instead."""
    retry = {"Retry-After": str(decision.retry_after_s)}
    fault = decision.fault
    if fault == "throttle_429":
        return Answer(429, b"Too Many Requests", "text/plain", fault, retry)
    if fault == "throttle_403":
        return Answer(403, HTML_BLOCK_PAGE, "text/html", fault, retry)
    if fault in ("server_error", "fail_status"):
        status = decision.status or 500
        headers = retry if status in (403, 429, 503) else {}
        return Answer(status, f"Error {status}".encode(), "text/plain", fault, headers)
    if fault == "html_block_page":
        return Answer(200, HTML_BLOCK_PAGE, "text/html", fault)
    if fault == "error_envelope":
        return Answer(200, _error_envelope(book), JSON, fault)
    if fault == "empty_body":
        return Answer(200, b"", JSON, fault)
    return None


class _DroppedResponse(Response):
    """Announces the full length, sends half the body and stops: uvicorn then closes the connection."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        await send(
            {"type": "http.response.body", "body": self.body[: len(self.body) // 2], "more_body": True}
        )


class _QuietDrops(logging.Filter):
    """uvicorn logs every intentional drop as an error; those are the sandbox working, not failing."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != _DROP_LOG_MESSAGE


logging.getLogger("uvicorn.error").addFilter(_QuietDrops())


async def _hang(request: Request, seconds: float) -> bool:
    """Sleep up to ``seconds``; False when the client went away first (then nothing is sent)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        await asyncio.sleep(min(0.2, max(0.0, deadline - loop.time())))
        if await request.is_disconnected():
            return False
    return True


def _book_endpoint(state: SandboxState, book: Book, endpoint: str, handler: Handler) -> Callable[..., Any]:
    async def serve(request: Request) -> Response:
        decision = state.faults.decide(book)
        if decision.delay_s > 0:
            await asyncio.sleep(decision.delay_s)
        replaced = _fault_answer(book, decision)
        if replaced is not None:
            state.stats.count(book, endpoint, replaced.outcome)
            return Response(
                replaced.body, replaced.status, replaced.headers, media_type=replaced.content_type
            )
        if decision.fault == "hang" and not await _hang(request, decision.hang_s):
            state.stats.count(book, endpoint, "hang")
            return Response(b"", 499)  # the client is gone; nothing reaches it
        answer = handler(state, request)
        state.stats.count(book, endpoint, decision.fault or answer.outcome)
        if decision.fault == "truncated_json":
            return Response(answer.body[: max(1, len(answer.body) // 2)], answer.status, media_type=JSON)
        if decision.fault == "dropped_connection":
            return _DroppedResponse(answer.body, answer.status, media_type=answer.content_type)
        if decision.fault == "hostile_values" and answer.status == 200:
            kind = state.faults.behaviour(book).faults.hostile_kind
            body, _applied = hostile.mutate(book, answer.body, random.Random(len(answer.body)), kind)
            return Response(body, answer.status, answer.headers, media_type=answer.content_type)
        return Response(answer.body, answer.status, answer.headers, media_type=answer.content_type)

    return serve


# --- control API -------------------------------------------------------------------------------------


def _control_routes(state: SandboxState) -> list[Route]:
    def config_payload() -> dict[str, Any]:
        return {
            "seed": state.config.seed,
            "size": state.config.size,
            "days": state.config.days,
            "books": {book.value: state.faults.behaviour(book).model_dump(mode="json") for book in Book},
        }

    async def health(request: Request) -> Response:
        body = {
            "status": "ok",
            "seed": state.config.seed,
            "size": state.config.size,
            **state.clock.snapshot(),
        }
        return Response(orjson.dumps(body), media_type=JSON)

    async def get_config(request: Request) -> Response:
        return Response(orjson.dumps(config_payload()), media_type=JSON)

    async def put_config(request: Request) -> Response:
        try:
            document = orjson.loads(await request.body())
            books = document["books"]
            updates = {Book(name): BookBehaviour.model_validate(value) for name, value in books.items()}
        except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError) as error:
            return _control_error(f'body must be {{"books": {{book: behaviour}}}}: {error!r}')
        except ValueError as error:  # unknown book name or invalid behaviour (pydantic names the field)
            return _control_error(str(error))
        for book, behaviour in updates.items():
            state.faults.set_behaviour(book, behaviour)
        return Response(orjson.dumps(config_payload()), media_type=JSON)

    async def get_clock(request: Request) -> Response:
        return Response(orjson.dumps(state.clock.snapshot()), media_type=JSON)

    async def post_clock(request: Request) -> Response:
        try:
            document = orjson.loads(await request.body())
            frozen = document.get("frozen")
            if "at" in document:
                state.clock.set(datetime.fromisoformat(document["at"]), frozen=frozen)
            elif "advance_s" in document:
                state.clock.advance(float(document["advance_s"]))
                if frozen is not None:
                    state.clock.set(state.clock.now(), frozen=frozen)
            else:
                return _control_error('body needs "at" (ISO 8601 with offset) or "advance_s" (seconds)')
        except (orjson.JSONDecodeError, AttributeError, TypeError, ValueError) as error:
            return _control_error(f"bad clock request: {error}")
        return Response(orjson.dumps(state.clock.snapshot()), media_type=JSON)

    async def get_stats(request: Request) -> Response:
        return Response(orjson.dumps(state.stats.snapshot()), media_type=JSON)

    async def reset_stats(request: Request) -> Response:
        state.stats.reset()
        return Response(orjson.dumps(state.stats.snapshot()), media_type=JSON)

    return [
        Route("/_sandbox/health", health),
        Route("/_sandbox/config", get_config, methods=["GET"]),
        Route("/_sandbox/config", put_config, methods=["PUT"]),
        Route("/_sandbox/clock", get_clock, methods=["GET"]),
        Route("/_sandbox/clock", post_clock, methods=["POST"]),
        Route("/_sandbox/stats", get_stats, methods=["GET"]),
        Route("/_sandbox/stats", reset_stats, methods=["DELETE"]),
    ]


def _control_error(message: str) -> Response:
    return Response(orjson.dumps({"error": message}), 400, media_type=JSON)


def create_app(state: SandboxState) -> Starlette:
    def book(
        book_: Book, path: str, endpoint: str, handler: Handler, methods: tuple[str, ...] = ("GET",)
    ) -> Route:
        return Route(path, _book_endpoint(state, book_, endpoint, handler), methods=list(methods))

    pawa, sporty, b9 = BETPAWA_PREFIX, SPORTYBET_PREFIX, BET9JA_PREFIX
    routes = [
        book(Book.BETPAWA, pawa + "categories/list/all", "categories/list/all", pawa_categories_all),
        book(Book.BETPAWA, pawa + "categories/list/{category}", "categories/list/{category}", pawa_category),
        book(Book.BETPAWA, pawa + "events/lists/by-queries", "events/lists/by-queries", pawa_list),
        book(Book.BETPAWA, pawa + "events/{event_id}", "events/{id}", pawa_event),
        book(Book.BETPAWA, "/api/sportsbook/v3/{rest:path}", "v3", pawa_retired_v3),
        book(Book.SPORTYBET, sporty + "popularAndSportList", "popularAndSportList", sporty_catalogue),
        book(Book.SPORTYBET, sporty + "pcUpcomingEvents", "pcUpcomingEvents", sporty_upcoming),
        book(Book.SPORTYBET, sporty + "event", "event", sporty_event),
        book(Book.SPORTYBET, sporty + "pcEvents", "pcEvents", sporty_pc_events, ("POST",)),
        book(Book.BET9JA, b9 + "GetSports", "GetSports", b9_sports),
        book(Book.BET9JA, b9 + "GetEventsInGroupV2", "GetEventsInGroupV2", b9_group),
        book(Book.BET9JA, b9 + "GetEvent", "GetEvent", b9_event),
        book(Book.BET9JA, BET9JA_LIVE_PREFIX + "GetLiveEvent", "GetLiveEvent", b9_live_event),
        *_control_routes(state),
    ]
    return Starlette(routes=routes)
