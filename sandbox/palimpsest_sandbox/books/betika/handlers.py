"""Betika's endpoints: pure handlers from the shared state and a request to an :class:`Answer`.

One path, ``uo/matches``, for the list (``sport_id``, ``page``, ``limit``) and for one match (``match_id``
within ``sport_id``), and the same on the live API (``live/`` here, ``live.betika.com`` on the real site). A
match the book does not list answers an empty ``data`` [guess: never captured]; a bad parameter HTTP 400.
"""

from __future__ import annotations

from starlette.requests import Request

from palimpsest_sandbox.app_state import Answer, SandboxState, json_answer
from palimpsest_sandbox.books.betika import payloads
from palimpsest_sandbox.books.betika.payloads import BOOK
from palimpsest_sandbox.handlers import QUIET, detail_body, is_quiet, listed, shown_live


class _BadRequest(ValueError):
    """A parameter the API refuses."""


def _number(request: Request, name: str, default: int, most: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= most:
        raise _BadRequest(f"{name} must be a whole number from 1 to {most}, got {raw[:40]!r}")
    return int(raw)


def _query(request: Request) -> tuple[str, int, int]:
    sport_id = request.query_params.get("sport_id", "")
    sport = payloads.SPORT_KEYS.get(sport_id)
    if sport is None:
        raise _BadRequest(f"sport_id {sport_id[:40]!r} is not a sport")
    page = _number(request, "page", 1, 10_000)
    return sport, page, _number(request, "limit", payloads.DEFAULT_LIMIT, payloads.MAX_LIMIT)


def matches(state: SandboxState, request: Request) -> Answer:
    """``uo/matches``: a page of the sport's listed matches (their 1X2 group), or one match's every group."""
    try:
        sport, page, limit = _query(request)
    except _BadRequest as error:
        return json_answer({"error": str(error)}, status=400, outcome="bad_request")
    now = state.clock.now()
    quiet = is_quiet(state, BOOK, sport)
    events = () if quiet else listed(state, BOOK, now, sport=sport)
    match_id = request.query_params.get("match_id")
    if match_id is not None:
        event = next((e for e in events if payloads.match_id(e) == match_id), None)
        if event is None:
            return json_answer(payloads.answer([], 0, 1, 1), outcome="not_found")
        return Answer(200, detail_body(state, BOOK, event))
    rows = [
        payloads.row(event, state.renderer.list_part(BOOK, event, now))
        for event in payloads.page_of(events, page, limit)
    ]
    return json_answer(payloads.answer(rows, len(events), limit, page), outcome=QUIET if quiet else "ok")


def live_matches(state: SandboxState, request: Request) -> Answer:
    """The live API's ``uo/matches``: a page of the sport's matches on the live list now, or one of them
    (``match_id``) with every live group, as the live capture's row."""
    try:
        sport, page, limit = _query(request)
    except _BadRequest as error:
        return json_answer({"error": str(error)}, status=400, outcome="bad_request")
    now = state.clock.now()
    events = [event for event in shown_live(state, BOOK) if event.sport == sport]
    match_id = request.query_params.get("match_id")
    if match_id is not None:
        event = next((e for e in events if payloads.match_id(e) == match_id), None)
        if event is None:
            return json_answer(payloads.answer([], 0, 1, 1), outcome="not_found")
        return json_answer(payloads.answer([payloads.live_row(event, now)], 1, 1, 1))
    rows = [payloads.live_row(event, now) for event in payloads.page_of(events, page, limit)]
    return json_answer(payloads.answer(rows, len(events), limit, page))
