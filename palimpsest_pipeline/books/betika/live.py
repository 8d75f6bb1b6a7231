"""Betika's live list: ``uo/matches`` on the live API (``live.`` beside ``api.``), rows as the prematch list's
plus the clock and ``odds[]`` groups: a group is suspended unless it and one of its outcomes are active.
The match minute comes from ``match_time`` ("35:51" in the captured live row), the score from
``current_score`` ("0:0") checked against the periods' scores ``set_score[].score`` where the row carries
them (taken to sum to it as SportRadar's period scores do [guess: the captured row is 0:0 in its first
set]), the half from ``event_status`` ("1st half"; the break's "Halftime" is a guess) kept only when the
last ``set_score[].set`` ("1") fits it. Each line is keyed by the book's odds parser (``odds.parse_odds``:
a group's lines apart by ``special_bet_value``), as the live detail's.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from operator import attrgetter
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from palimpsest_pipeline.books.adapter import MAX_LIST_PAGES
from palimpsest_pipeline.books.betika.catalogue import (
    ENDPOINT,
    event_detail_request,
    event_from_row,
    last_page,
    matches_page_request,
    read_page,
    wire,
    zone_of,
)
from palimpsest_pipeline.books.betika.odds import parse_odds
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.keyed_live_lines import keyed_lines
from palimpsest_pipeline.books.list_rows import BadRow, first_of_each
from palimpsest_pipeline.books.live_list import LiveAdapter, LiveParts
from palimpsest_pipeline.books.match_clock import clock_seconds, minute_played
from palimpsest_pipeline.books.match_score import agreeing_score, named_half
from palimpsest_pipeline.books.payload import Node
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.records import LiveEvent


def live_settings(settings: BookSettings) -> BookSettings:
    """The same settings with the live API's base URL: host ``live.`` for ``api.``, else (the sandbox, a test
    server) ``<base>live/``."""
    parts = urlsplit(settings.base_url)
    if parts.netloc.startswith("api."):
        live = urlunsplit(parts._replace(netloc="live." + parts.netloc.removeprefix("api.")))
    else:
        live = settings.base_url + "live/"
    return settings.model_copy(update={"base_url": live})


def parse_live_list(
    data: Any, sport: Sport, zone: ZoneInfo
) -> tuple[list[LiveEvent], list[BadRow], int | None]:
    """``data[]`` as LiveEvents, the rows that could not be read, and ``meta.total`` (None: not given)."""
    return read_page(
        data, sport, functools.partial(_live_row, zone=zone, sport_key=sport.key), f"live {ENDPOINT}"
    )


def _live_row(row: Node, zone: ZoneInfo, sport_key: str) -> LiveEvent:
    event = event_from_row(row, zone, sport_key)
    markets = suspended = 0
    for group in row.get("odds").elements() if row.opt("odds") is not None else []:
        markets += 1
        group_active = group.opt("market_active") is None or group.get("market_active").integer() == 1
        active = any(
            o.opt("odd_active") is None or o.get("odd_active").integer() == 1
            for o in group.get("odds").elements()
        )
        suspended += not (group_active and active)
    fields = row.value if isinstance(row.value, dict) else {}
    return LiveEvent(
        event=event,
        markets=markets,
        suspended=suspended,
        minute=live_minute(row),
        score=live_score(fields),
        half=live_half(fields),
        lines=keyed_lines(parse_odds, fields, event.sr_id),
    )


def live_score(fields: dict[str, Any]) -> tuple[int, int] | None:
    """``current_score``, kept only when the sets' scores, where given, sum to it."""
    sets = fields.get("set_score")
    periods = (
        [s.get("score") if isinstance(s, dict) else None for s in sets] if isinstance(sets, list) else sets
    )
    return agreeing_score(fields.get("current_score"), periods)


def live_half(fields: dict[str, Any]) -> str | None:
    """The half ``event_status`` names, when the last set of ``set_score`` is its period."""
    sets = fields.get("set_score")
    last = sets[-1] if isinstance(sets, list) and sets else None
    return named_half(fields.get("event_status"), last.get("set") if isinstance(last, dict) else None)


def live_minute(row: Node) -> int | None:
    """The minute ``match_time`` shows (None: none, or unreadable; the row still counts)."""
    value = row.value.get("match_time") if isinstance(row.value, dict) else None
    return minute_played(clock_seconds(value))


async def list_live(client: BookClient, sports: Sequence[Sport]) -> LiveParts:
    """Each sport's live rows, page after page to the last page ``meta.total`` counts."""
    parts = LiveParts()
    zone = zone_of(client.settings)
    for sport in sports:
        for page in range(1, MAX_LIST_PAGES + 1):
            fetched = await client.fetch(
                matches_page_request(sport, page),
                functools.partial(parse_live_list, sport=sport, zone=zone),
            )
            rows, bad, total = fetched.value
            parts.events.extend(rows)
            parts.bad_rows.extend(bad)
            if last_page(page, len(rows) + len(bad), total):
                break
    parts.events = first_of_each(parts.events, attrgetter("event.event_id"))
    return parts


ADAPTER = LiveAdapter(wire, list_live, event_detail_request, live_settings)
