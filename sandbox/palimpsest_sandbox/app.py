"""The sandbox's HTTP app: every book's real paths (its kit's routes), and a control API under ``/_sandbox/``.

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
from datetime import datetime
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY, Book
from palimpsest_sandbox import answer_faults, country_editions, hostile
from palimpsest_sandbox.app_state import JSON, Answer, Handler, SandboxState
from palimpsest_sandbox.books import KITS, SERVED_BOOKS
from palimpsest_sandbox.config import BookBehaviour, EditionConfig, PayloadDrift, edition_key
from palimpsest_sandbox.faults import Decision
from palimpsest_sandbox.kit import Serving, kit
from palimpsest_sandbox.live_coverage import FORCED_SUSPENSIONS, START_CASES

HTML_BLOCK_PAGE = (
    b"<!DOCTYPE html><html><head><title>Attention Required!</title></head><body><h1>Sorry, you have been "
    b"blocked</h1><p>You are unable to access this website.</p></body></html>"
)
_DROP_LOG_MESSAGE = "ASGI callable returned without completing response."


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
        return Answer(200, kit(book).faults.error_envelope(), JSON, fault)
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


def _unknown_edition(book: Book, request: Request) -> Answer:
    """The answer to a request naming no edition the book has: what a misconfigured client would get (the
    book's own answer, else 404), never another country's answer."""
    own = kit(book).serving.unknown_edition
    if own is not None:
        return own(request)
    country = str(request.path_params.get("cc", ""))[:10]
    body = {"message": f"no {book.value} site for country {country!r}"}
    return Answer(404, orjson.dumps(body), JSON, "unknown_edition")


def _book_endpoint(shared: SandboxState, book: Book, endpoint: str, handler: Handler) -> Callable[..., Any]:
    async def serve(request: Request) -> Response:
        # the network's faults come before the site reads the request: an unknown edition meets them too
        country = country_editions.site_country(book, request)
        state = shared if country is None else shared.for_edition(book, country)
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
        token = FORCED_SUSPENSIONS.set(state.live_suspensions)
        try:
            answer = _unknown_edition(book, request) if country is None else handler(state, request)
        finally:
            FORCED_SUSPENSIONS.reset(token)
        state.stats.count(book, endpoint, decision.fault or answer.outcome)
        if decision.fault == "truncated_json":
            return Response(answer.body[: max(1, len(answer.body) // 2)], answer.status, media_type=JSON)
        if decision.fault == "dropped_connection":
            return _DroppedResponse(answer.body, answer.status, media_type=answer.content_type)
        fault = decision.fault
        if fault is not None and answer.status == 200 and answer_faults.applies(fault, endpoint):
            announced = state.faults.behaviour(book).faults.announced_count
            body, headers = answer_faults.rewrite(book, fault, answer.body, announced)
            return Response(body, answer.status, {**(answer.headers or {}), **headers}, media_type=JSON)
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
            "books": {
                book.value: state.faults.behaviour(book).model_dump(mode="json") for book in SERVED_BOOKS
            },
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
            updates = {
                _served_book(name): BookBehaviour.model_validate(value) for name, value in books.items()
            }
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

    async def post_live_gap(request: Request) -> Response:
        """``{"sr_id": N, "book": "betpawa", "seconds": S}``: the match leaves that book's live list from now
        for S seconds (the make-dev drill's gap)."""
        try:
            document = orjson.loads(await request.body())
            sr_id, book, seconds = (
                int(document["sr_id"]),
                _served_book(document["book"]),
                float(document["seconds"]),
            )
            if seconds <= 0:
                raise ValueError("seconds must be positive")
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            return _control_error(f'body must be {{"sr_id": int, "book": name, "seconds": > 0}}: {error}')
        start, end = state.live_gaps.add(sr_id, book, state.clock.now(), seconds)
        body = {"sr_id": sr_id, "book": book.value, "start": start.isoformat(), "end": end.isoformat()}
        return Response(orjson.dumps(body), media_type=JSON)

    async def get_live_gaps(request: Request) -> Response:
        return Response(orjson.dumps(state.live_gaps.snapshot()), media_type=JSON)

    async def clear_live_gaps(request: Request) -> Response:
        state.live_gaps.clear()
        return Response(orjson.dumps([]), media_type=JSON)

    async def post_live_suspension(request: Request) -> Response:
        """``{"sr_id": N, "book": "betpawa", "seconds": S, "markets": [1, 18]}``: that book suspends those
        markets of the match (every market when none are named) from now for S seconds."""
        try:
            document = orjson.loads(await request.body())
            sr_id, book, seconds = (
                int(document["sr_id"]),
                _served_book(document["book"]),
                float(document["seconds"]),
            )
            markets = frozenset(int(market) for market in document.get("markets") or ())
            if seconds <= 0:
                raise ValueError("seconds must be positive")
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            return _control_error(
                f'body must be {{"sr_id": int, "book": name, "seconds": > 0, "markets": [int]}}: {error}'
            )
        start, end = state.live_suspensions.add(sr_id, book, state.clock.now(), seconds, markets)
        body = {
            "sr_id": sr_id, "book": book.value, "start": start.isoformat(), "end": end.isoformat(),
            "markets": sorted(markets),
        }  # fmt: skip
        return Response(orjson.dumps(body), media_type=JSON)

    async def get_live_suspensions(request: Request) -> Response:
        return Response(orjson.dumps(state.live_suspensions.snapshot()), media_type=JSON)

    async def clear_live_suspensions(request: Request) -> Response:
        state.live_suspensions.clear()
        return Response(orjson.dumps([]), media_type=JSON)

    async def post_live_start(request: Request) -> Response:
        """``{"sr_id": N, "book": "betpawa", "case": "late", "minutes": M}``: that book's start of the match
        is forced: late or on_time (live M minutes after the real kick-off), never_live, or removed (withdrawn
        from the prematch list M minutes before kick-off); M defaults per case (live_coverage.START_CASES)."""
        try:
            document = orjson.loads(await request.body())
            sr_id, book = int(document["sr_id"]), _served_book(document["book"])
            minutes = document.get("minutes")
            if minutes is not None and float(minutes) < 0:
                raise ValueError("minutes must not be negative")
            case, minutes = state.live_starts.add(
                sr_id, book, str(document["case"]), None if minutes is None else float(minutes)
            )
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            return _control_error(
                f'body must be {{"sr_id": int, "book": name, "case": {"|".join(START_CASES)},'
                f' "minutes": >= 0}}: {error}'
            )
        body = {"sr_id": sr_id, "book": book.value, "case": case, "minutes": minutes}
        return Response(orjson.dumps(body), media_type=JSON)

    async def get_live_starts(request: Request) -> Response:
        return Response(orjson.dumps(state.live_starts.snapshot()), media_type=JSON)

    async def clear_live_starts(request: Request) -> Response:
        state.live_starts.clear()
        return Response(orjson.dumps([]), media_type=JSON)

    def drifts() -> dict[str, Any]:
        return {
            book.value: None
            if (d := state.faults.behaviour(book).payload_drift) is None
            else d.model_dump(mode="json")
            for book in SERVED_BOOKS
        }

    async def post_payload_drift(request: Request) -> Response:
        """``{"book": "betpawa", "shape": "bare_quarter_lines", "since": ISO 8601}``: from ``since``
        (default: the sandbox's now) the book's event details come in that shape (payload_drift.py)."""
        try:
            document = orjson.loads(await request.body())
            book = _served_book(document["book"])
            since = document.get("since")
            drift = PayloadDrift(
                shape=document.get("shape", "bare_quarter_lines"),
                since=datetime.fromisoformat(since) if since is not None else state.clock.now(),
            )
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as error:
            return _control_error(
                f'body must be {{"book": name, "shape": "bare_quarter_lines", "since": ISO 8601}}: {error}'
            )
        behaviour = state.faults.behaviour(book)
        state.faults.set_behaviour(book, behaviour.model_copy(update={"payload_drift": drift}))
        return Response(orjson.dumps(drifts()), media_type=JSON)

    async def get_payload_drift(request: Request) -> Response:
        return Response(orjson.dumps(drifts()), media_type=JSON)

    async def clear_payload_drift(request: Request) -> Response:
        """Every book back to its own shapes, or only ``?book=NAME``'s."""
        name = request.query_params.get("book")
        try:
            books = list(SERVED_BOOKS) if name is None else [_served_book(name)]
        except ValueError as error:
            return _control_error(str(error))
        for book in books:
            behaviour = state.faults.behaviour(book)
            state.faults.set_behaviour(book, behaviour.model_copy(update={"payload_drift": None}))
        return Response(orjson.dumps(drifts()), media_type=JSON)

    def editions_payload() -> dict[str, Any]:
        configured = state.editions.configured()
        return {name: config.model_dump(mode="json") for name, config in sorted(configured.items())}

    async def get_editions(request: Request) -> Response:
        return Response(orjson.dumps(editions_payload()), media_type=JSON)

    async def put_editions(request: Request) -> Response:
        """``{"betpawa.gh": {"coverage": 0.5, "listing_lag_min": 30, "behaviour": {...}}, ...}``: those
        editions' configurations replaced (config.EditionConfig); the others keep theirs."""
        try:
            document = orjson.loads(await request.body())
            updates = {
                edition_key(name): EditionConfig.model_validate(value) for name, value in document.items()
            }
        except (orjson.JSONDecodeError, TypeError, AttributeError) as error:
            return _control_error(f'body must be {{"<book>.<cc>": edition}}: {error!r}')
        except ValueError as error:  # unknown edition or invalid configuration (pydantic names the field)
            return _control_error(str(error))
        for (book, country), config in updates.items():
            state.editions.set_config(book, country, config)
        return Response(orjson.dumps(editions_payload()), media_type=JSON)

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
        Route("/_sandbox/live_gaps", get_live_gaps, methods=["GET"]),
        Route("/_sandbox/live_gaps", post_live_gap, methods=["POST"]),
        Route("/_sandbox/live_gaps", clear_live_gaps, methods=["DELETE"]),
        Route("/_sandbox/live_suspensions", get_live_suspensions, methods=["GET"]),
        Route("/_sandbox/live_suspensions", post_live_suspension, methods=["POST"]),
        Route("/_sandbox/live_suspensions", clear_live_suspensions, methods=["DELETE"]),
        Route("/_sandbox/live_starts", get_live_starts, methods=["GET"]),
        Route("/_sandbox/live_starts", post_live_start, methods=["POST"]),
        Route("/_sandbox/live_starts", clear_live_starts, methods=["DELETE"]),
        Route("/_sandbox/payload_drift", get_payload_drift, methods=["GET"]),
        Route("/_sandbox/payload_drift", post_payload_drift, methods=["POST"]),
        Route("/_sandbox/payload_drift", clear_payload_drift, methods=["DELETE"]),
        Route("/_sandbox/editions", get_editions, methods=["GET"]),
        Route("/_sandbox/editions", put_editions, methods=["PUT"]),
        Route("/_sandbox/stats", get_stats, methods=["GET"]),
        Route("/_sandbox/stats", reset_stats, methods=["DELETE"]),
    ]


def _served_book(name: Any) -> Book:
    """The book ``name`` names, if the sandbox serves it; else ValueError."""
    book = Book(name)
    if book not in SERVED_BOOKS:
        raise ValueError(f"the sandbox does not serve {book.value}")
    return book


def _control_error(message: str) -> Response:
    return Response(orjson.dumps({"error": message}), 400, media_type=JSON)


def _mounts(serving: Serving) -> tuple[str, ...]:
    """The prefixes a book's routes are served under: its editions', and its default site's where that is
    not one of them."""
    edition = serving.edition_path or serving.base_path
    if serving.base_path == edition.format(cc=DEFAULT_SITE_COUNTRY):
        return (edition,)
    return (serving.base_path, edition)


def create_app(state: SandboxState) -> Starlette:
    routes = [
        Route(
            mount + route.path,
            _book_endpoint(state, k.book, route.name, route.handler),
            methods=[*route.methods],
        )
        for k in KITS.values()
        for route in k.serving.routes
        for mount in ((route.mount,) if route.mount is not None else _mounts(k.serving))
    ]
    return Starlette(routes=[*routes, *_control_routes(state)])
