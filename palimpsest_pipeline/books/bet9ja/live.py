"""Bet9ja's live list: ``PalimpsestLiveAjax/GetLiveEventsV2`` [guess: never captured nor documented],
``D.E[]`` rows with the group list's header keys (a live ``SID`` as 3000001) and ``O`` the live odds
(``{"LIVES_OU@2.5_O": {"v": 1.85}}``, closed at 1): a line (the key without its outcome) is suspended when
none of its odds exceeds 1. The match state is taken to be GetLiveEvent's ``D.A`` fields on the row [guess:
the list was never captured; the captured live event carries them]: the minute ``T``, the score ``R.S``
("0:3") checked against the periods' scores ``R.SS`` (["0:1", "0:2"]), the half from ``ES`` ("2nd Half")
kept only when ``BS`` says the same and ``R.SS`` holds as many periods as the half has begun. Each line is
keyed by the book's odds parser (``odds.parse_odds``: the in-play rows of its keyer), as the live event's.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from palimpsest_pipeline.books.bet9ja.catalogue import BOOK, SPORT_IDS, event_from_node, wire
from palimpsest_pipeline.books.bet9ja.odds import parse_odds
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.keyed_live_lines import keyed_lines
from palimpsest_pipeline.books.list_rows import BadRow, first_of_each, parse_rows
from palimpsest_pipeline.books.live_list import LiveAdapter, LiveParts
from palimpsest_pipeline.books.match_score import agreeing_score, named_half
from palimpsest_pipeline.books.payload import Node
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.wire import BookRequest
from palimpsest_pipeline.records import LiveEvent

LIVE_ENDPOINT = "GetLiveEventsV2"
#: Live sport ids are the prematch ones plus this (the captured live soccer is 3000001).
LIVE_SID_BASE = 3_000_000
PREMATCH_BASE = "PalimpsestAjax/"
LIVE_BASE = "PalimpsestLiveAjax/"


def live_settings(settings: BookSettings) -> BookSettings:
    """The same settings with the live API's base URL (``PalimpsestLiveAjax/`` beside ``PalimpsestAjax/``)."""
    if not settings.base_url.endswith(PREMATCH_BASE):
        raise ValueError(
            f"bet9ja: cannot place the live API beside {settings.base_url!r} (no {PREMATCH_BASE})"
        )
    return settings.model_copy(update={"base_url": settings.base_url[: -len(PREMATCH_BASE)] + LIVE_BASE})


def parse_live_list(data: Any) -> tuple[list[LiveEvent], list[BadRow]]:
    """``D.E[]`` as LiveEvents, and the rows that could not be read; rows of sports we do not compare (a
    live ``SID`` other than 3000000 + one of ours) are left out."""
    rows = Node(BOOK, LIVE_ENDPOINT, data, "D").get("E").elements()
    ours = [row for row in rows if _sport_key(row) is not None]
    return parse_rows(ours, _live_row, "live")


def _sport_key(row: Node) -> str | None:
    sid = row.value.get("SID") if isinstance(row.value, dict) else None
    if isinstance(sid, int) and not isinstance(sid, bool) and sid > LIVE_SID_BASE:
        sid -= LIVE_SID_BASE
    return next((key for key, number in SPORT_IDS.items() if number == sid), None)


def _live_row(row: Node) -> LiveEvent:
    event = event_from_node(row, sport_key=_sport_key(row))
    lines: dict[str, bool] = {}
    for key, value in row.get("O").items():
        line, separator, _outcome = key.rpartition("_")
        if not separator or not line:
            raise value.error(f"odds key without an outcome: {key!r}")
        odds = value.get("v") if isinstance(value.value, dict) else value
        lines[line] = lines.get(line, False) or odds.number() > 1.0
    suspended = sum(not open_ for open_ in lines.values())
    fields = row.value if isinstance(row.value, dict) else {}
    return LiveEvent(
        event=event,
        markets=len(lines),
        suspended=suspended,
        minute=_minute(row),
        score=live_score(fields),
        half=live_half(fields),
        lines=keyed_lines(parse_odds, fields, event.sr_id),
    )


def live_score(fields: dict[str, Any]) -> tuple[int, int] | None:
    """``R.S``, kept only when ``R.SS``, where given, sums to it."""
    result = fields.get("R")
    return agreeing_score(result.get("S"), result.get("SS")) if isinstance(result, dict) else None


def live_half(fields: dict[str, Any]) -> str | None:
    """The half ``ES`` names when ``BS`` agrees and ``R.SS`` holds that half's number of periods."""
    status, result = fields.get("ES"), fields.get("R")
    periods = result.get("SS") if isinstance(result, dict) else None
    if status != fields.get("BS") or not isinstance(periods, list):
        return None
    return named_half(status, str(len(periods)))


def _minute(row: Node) -> int | None:
    """``T``, the match minute the feed shows; a missing or unreadable one is set aside (None), the row's
    other facts stand."""
    value = row.value.get("T") if isinstance(row.value, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1_000 else None


async def list_live(client: BookClient, sports: Sequence[Sport]) -> LiveParts:
    """The whole live list in one request, kept to ``sports``."""
    fetched = await client.fetch(BookRequest(LIVE_ENDPOINT, LIVE_ENDPOINT), parse_live_list)
    rows, bad = fetched.value
    wanted = {sport.key for sport in sports}
    ours = first_of_each([r for r in rows if r.event.sport in wanted], attrgetter("event.event_id"))
    return LiveParts(events=ours, bad_rows=bad)


def live_detail_request(event_id: str) -> BookRequest:
    """``GetLiveEvent`` on the live API, by the event's ``GetEvent`` id (a captured response)."""
    return BookRequest("GetLiveEvent", "GetLiveEvent", {"EVENTID": event_id})


ADAPTER = LiveAdapter(wire, list_live, live_detail_request, live_settings)
