"""Betika: request builders, pure parsers and the catalogue flow (../shared/PLATFORMS.md). The event id is
``<sport_id>:<competition_id>:<match_id>`` (a ``match_id`` is unique only within both); ``start_time`` is
read in the edition's zone, which the row's clock, where given, must confirm.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from palimpsest_pipeline.books.adapter import (
    MAX_LIST_PAGES,
    BookAdapter,
    CatalogueParts,
    Window,
    finish_catalogue,
)
from palimpsest_pipeline.books.errors import BookError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.list_rows import BadRow, RowIdentity, parse_rows, read_or_none
from palimpsest_pipeline.books.payload import Node
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.wire import BookRequest, Wire
from palimpsest_pipeline.records import Book, Event

BOOK = Book.BETIKA
T = TypeVar("T")
ENDPOINT = "uo/matches"
PAGE_SIZE = 100
#: Betika's sport ids (captured: 14 Soccer, 28 Tennis, 30 Basketball).
SPORT_IDS = {"football": "14", "tennis": "28", "basketball": "30"}
SPORT_KEYS = {value: key for key, value in SPORT_IDS.items()}
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
#: The zone the API documents for its times (PLATFORMS.md): used only where no edition is at hand.
DOCUMENTED_ZONE = "Africa/Nairobi"
#: How far the answer's clock may sit from the edition's offset (the two readings are a moment apart).
CLOCK_SLACK = timedelta(minutes=5)


def wire(settings: BookSettings) -> Wire:
    return Wire(
        headers={"accept": "application/json", **settings.edition.headers},
        common_params=dict(settings.edition.params),
    )


def zone_of(settings: BookSettings) -> ZoneInfo:
    """The zone the edition's offset-less times are in."""
    return ZoneInfo(settings.edition.time_zone or DOCUMENTED_ZONE)


def matches_page_request(sport: Sport, page: int) -> BookRequest:
    params = {"sport_id": SPORT_IDS[sport.key], "page": str(page), "limit": str(PAGE_SIZE)}
    return BookRequest(ENDPOINT, ENDPOINT, params)


def event_id_of(sport_id: str, competition_id: str, match_id: str) -> str:
    return f"{sport_id}:{competition_id}:{match_id}"


def event_detail_request(event_id: str) -> BookRequest:
    """The one row of the event (``match_id`` within its sport), with the market groups it carries."""
    sport_id, _competition, match_id = event_id.split(":")
    return BookRequest(ENDPOINT, ENDPOINT, {"sport_id": sport_id, "match_id": match_id})


def id_text(node: Node) -> str:
    """An id sent as a number or as digits (prematch strings, live numbers), as its digits."""
    value = node.integer()
    if value <= 0:
        raise node.error(f"expected a positive id, got {value}")
    return str(value)


def written_time(node: Node) -> datetime:
    """``YYYY-MM-DD HH:MM:SS``, without a zone."""
    text = node.text()
    try:
        return datetime.strptime(text, TIME_FORMAT)
    except ValueError:
        raise node.error(f"expected a time like {TIME_FORMAT!r}, got {text[:40]!r}") from None


def check_clock(row: Node, zone: ZoneInfo) -> None:
    """Where the row writes the answer's clock both in local time (``NOW``) and as an instant
    (``sys_modified``, epoch ms), the offset between them must be the zone's: else its times are another
    zone's and the row's kick-off cannot be trusted."""
    local, instant = row.opt("NOW") or row.opt("now"), row.opt("sys_modified")
    if local is None or instant is None:
        return
    at = instant.epoch_ms()
    implied = written_time(local) - at.replace(tzinfo=None)
    expected = at.astimezone(zone).utcoffset() or timedelta(0)
    if abs(implied - expected) > CLOCK_SLACK:
        hours = implied.total_seconds() / 3600
        raise local.error(
            f"the answer's clock is UTC{hours:+.2f}, not the edition's zone {zone.key} "
            f"(UTC{expected.total_seconds() / 3600:+.2f}): its start_time is not read in a zone it is not in"
        )


def event_from_row(row: Node, zone: ZoneInfo, sport_key: str | None = None) -> Event:
    """A ``uo/matches`` row (prematch or live) as an Event; its sport from ``sport_id`` (or the list's)."""
    sport_node = row.get("sport_id")
    sport_id = id_text(sport_node)
    found = SPORT_KEYS.get(sport_id)
    if found is None or (sport_key is not None and found != sport_key):
        raise sport_node.error(f"sport {sport_id!r} is not {sport_key or 'one we compare'}")
    competition_id = id_text(row.get("competition_id"))
    match_id = id_text(row.get("match_id"))
    check_clock(row, zone)
    category = row.opt("category")
    category_id = row.opt("category_id")
    return Event(
        book=BOOK,
        event_id=event_id_of(sport_id, competition_id, match_id),
        sr_id=int(id_text(row.get("parent_match_id"))),
        home=row.get("home_team").text(),
        away=row.get("away_team").text(),
        kickoff=written_time(row.get("start_time")).replace(tzinfo=zone).astimezone(UTC),
        tournament_id=competition_id,
        tournament_name=row.get("competition_name").text(),
        country=None if category is None else category.text(),
        sport=found,
        country_id=None if category_id is None else id_text(category_id),
    )


def row_identity(row: Node) -> RowIdentity:
    """The event id and SR id an unreadable row still gives."""
    sport_id = read_or_none(lambda: id_text(row.get("sport_id")))
    competition_id = read_or_none(lambda: id_text(row.get("competition_id")))
    match_id = read_or_none(lambda: id_text(row.get("match_id")))
    sr_id = read_or_none(lambda: int(id_text(row.get("parent_match_id"))))
    if sport_id is None or competition_id is None or match_id is None:
        return None, sr_id
    return event_id_of(sport_id, competition_id, match_id), sr_id


def read_page(
    data: Any, sport: Sport, read_row: Callable[[Node], T], where: str
) -> tuple[list[T], list[BadRow], int | None]:
    """A page's ``data[]`` rows, each read on its own (``read_row``): those read, those that could not be,
    and ``meta.total`` (None when the answer gives none)."""
    node = Node(BOOK, where, data)
    read, bad = parse_rows(node.get("data").elements(), read_row, sport.key, row_identity)
    meta = node.opt("meta")
    total = None if meta is None or meta.opt("total") is None else meta.get("total").integer()
    return read, bad, total


def parse_event_detail(payload: Any) -> Event:
    """The event of a one-match ``uo/matches`` answer, its times read in the documented zone."""
    rows = Node(BOOK, ENDPOINT, payload).get("data").elements()
    if len(rows) != 1:
        raise Node(BOOK, ENDPOINT, payload).get("data").error(f"expected one match, got {len(rows)}")
    return event_from_row(rows[0], ZoneInfo(DOCUMENTED_ZONE))


def last_page(page: int, rows: int, total: int | None) -> bool:
    """Whether page ``page`` (from 1), listing ``rows``, ends the list: the last page ``meta.total`` counts
    (or an empty one before it), or without a total a page short of ``PAGE_SIZE``."""
    if total is None:
        return rows < PAGE_SIZE
    return rows == 0 or page >= math.ceil(total / PAGE_SIZE)


async def list_catalogue(client: BookClient, sports: Sequence[Sport], window: Window) -> CatalogueParts:
    """Each sport's matches, page after page to the last page ``meta.total`` counts, the rows listed checked
    against it; past ``MAX_LIST_PAGES`` pages the sport is held and the scrape suspect."""
    parts = CatalogueParts()
    zone = zone_of(client.settings)
    for sport in sports:
        listed = 0
        total: int | None = None
        read_row = functools.partial(event_from_row, zone=zone, sport_key=sport.key)
        for page in range(1, MAX_LIST_PAGES + 1):
            try:
                fetched = await client.fetch(
                    matches_page_request(sport, page),
                    functools.partial(read_page, sport=sport, read_row=read_row, where=ENDPOINT),
                )
            except BookError as error:
                parts.failures.append(error)
                break
            events, bad, page_total = fetched.value
            total = page_total if page_total is not None else total
            parts.events.extend(events)
            parts.bad_rows.extend(bad)
            listed += len(events) + len(bad)
            if last_page(page, len(events) + len(bad), total):
                if total is not None and listed != total:
                    parts.count_mismatch(
                        sport.key, listed, total, f"{listed} rows listed, meta.total says {total}"
                    )
                break
        else:
            parts.past_bound(sport.key, f"the match list did not end within {MAX_LIST_PAGES} pages")
    return finish_catalogue(parts)


ADAPTER = BookAdapter(wire, list_catalogue, event_detail_request, parse_event_detail)
