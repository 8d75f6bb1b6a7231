"""BetPawa's endpoints: pure handlers from the shared state and a request to an :class:`Answer`.

An edition is named by its ``x-pawa-brand`` header (a request without one it knows answers 400, as the real
API does); v3 is retired (404); ``events/{id}`` of a match in play answers the captured in-play (v3) shape:
no v4 in-play response was ever captured.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request

from palimpsest_pipeline.books.editions import EDITIONS
from palimpsest_pipeline.books.sports import SPORTS
from palimpsest_sandbox.app_state import JSON, Answer, SandboxState, json_answer
from palimpsest_sandbox.books.betpawa import payloads
from palimpsest_sandbox.books.betpawa.payloads import BOOK
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
from palimpsest_sandbox.world import WorldEvent

#: The brands (``x-pawa-brand``) by the country whose site they name.
BRANDS: dict[str, str] = {
    site.headers["x-pawa-brand"]: country for (book, country), site in EDITIONS.items() if book is BOOK
}


def site_country(request: Request) -> str | None:
    return BRANDS.get(request.headers.get("x-pawa-brand", ""))


def unknown_edition(request: Request) -> Answer:
    brand = request.headers.get("x-pawa-brand", "")[:40]
    body = {"errorCode": "BAD_REQUEST", "message": f"unknown or missing x-pawa-brand {brand!r}"}
    return Answer(400, orjson.dumps(body), JSON, "unknown_edition")


def categories_all(state: SandboxState, request: Request) -> Answer:
    events = listed(state, BOOK, state.clock.now())
    return json_answer(payloads.categories_all(events))


def category_list(state: SandboxState, request: Request) -> Answer:
    category = request.path_params["category"]
    sport = next((s for s in SPORTS if payloads.SPORT_IDS[s.key] == category), None)
    if sport is None:
        return json_answer({"message": f"unknown category {category!r}"}, status=404, outcome="not_found")
    events = listed(state, BOOK, state.clock.now())
    if request.query_params.get("includeRegions") == "true":
        return json_answer(payloads.category_with_regions(events, sport))
    only = [
        meta for meta in payloads.categories_all(events)["onlyMeta"] if meta["category"]["id"] == category
    ]
    return json_answer({"onlyMeta": only})


def event_list(state: SandboxState, request: Request) -> Answer:
    try:
        queries = payloads.parse_queries(request.query_params.get("q"))
    except payloads.QueryError as error:
        return json_answer({"message": str(error)}, status=400, outcome="bad_request")
    now = state.clock.now()
    quiet = {payloads.SPORT_IDS[s.key] for s in SPORTS if is_quiet(state, BOOK, s.key)}
    upcoming = [event for event in listed(state, BOOK, now) if payloads.SPORT_IDS[event.sport] not in quiet]
    asked_quiet = any(q.event_type == "UPCOMING" and q.categories & quiet for q in queries)
    outcome = QUIET if asked_quiet else "ok"
    live: list[WorldEvent] | None = None
    responses: list[dict[str, Any]] = []
    all_rows: list[dict[str, Any]] = []
    for query in queries:
        if query.event_type == "LIVE":
            live = shown_live(state, BOOK) if live is None else live
            selected = payloads.select(live, query)[query.skip : query.skip + query.take]
            rows = [payloads.live_list_row(event, now, query.market_types) for event in selected]
        else:
            selected = payloads.select(upcoming, query)[query.skip : query.skip + query.take]
            rows = [
                payloads.list_row(
                    event,
                    payloads.list_markets(state.renderer.list_part(BOOK, event, now), query.market_types),
                )
                for event in selected
            ]
        all_rows.extend(rows)
        responses.extend(payloads.list_response(rows)["responses"])
    if "application/json" not in request.headers.get("accept", ""):
        return Answer(200, payloads.protobuf_list(all_rows), "application/x-protobuf", "protobuf")
    return json_answer({"responses": responses}, outcome=outcome)


def event_detail(state: SandboxState, request: Request) -> Answer:
    """A listed event's detail; once it kicks off, while the book shows it on its live list (one path for
    both: the book answers for the matches it covers in play), the in-play detail in the shape of the
    captured in-play (v3) response (no v4 one was ever captured); else 404."""
    now = state.clock.now()
    event_id = request.path_params["event_id"]
    event = found(state, BOOK, event_id, now)
    if event is not None:
        return Answer(200, detail_body(state, BOOK, event))
    playing = found_in_play(state, BOOK, event_id, now)
    live = None
    if playing is not None and on_live_list(state, BOOK, playing, now):
        live = payloads.live_event_detail(playing, now)
    if live is None:
        return json_answer({"message": "event not found"}, status=404, outcome="not_found")
    return json_answer(live)


def retired_v3(state: SandboxState, request: Request) -> Answer:
    return json_answer({"message": "Not Found"}, status=404, outcome="not_found")
