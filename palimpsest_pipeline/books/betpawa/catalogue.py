"""BetPawa (API v4): request builders, pure parsers and the catalogue flow (../shared/PLATFORMS.md). The SR
id is a ``SPORTRADAR`` widget's, the Genius Sports id a ``GENIUSSPORTS`` one's; only for list rows without
``widgets`` is the detail fetched.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import Any

import orjson

from palimpsest_pipeline.books.adapter import (
    MAX_LIST_PAGES,
    BookAdapter,
    CatalogueParts,
    Window,
    finish_catalogue,
    read_pages,
    settle,
)
from palimpsest_pipeline.books.errors import BookError, NotFoundError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.list_rows import BadRow, RowIdentity, first_of_each, parse_rows, read_or_none
from palimpsest_pipeline.books.payload import Node, split_home_away
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.sports import SPORTS, Sport
from palimpsest_pipeline.books.wire import BookRequest, Wire
from palimpsest_pipeline.records import Book, Event, Tournament

BOOK = Book.BETPAWA
PAGE_SIZE = 100
LISTS = "events/lists/by-queries"
SPORTRADAR_WIDGET = "SPORTRADAR"
GENIUS_WIDGET = "GENIUSSPORTS"
#: Past this many pages beyond what the catalogue announced, the list is treated as endless (and incomplete).
EXTRA_PAGES_LIMIT = 20

#: Each sport's category id; basketball's was never captured (a guess on the pattern).
SPORT_IDS = {"football": "2", "basketball": "3", "tennis": "452"}
_SPORT_BY_CATEGORY = {SPORT_IDS[sport.key]: sport for sport in SPORTS}


def wire(settings: BookSettings) -> Wire:
    return Wire(
        headers={"accept": "application/json", "devicetype": "web", **settings.edition.headers},
    )


def query_request(name: str, query: dict[str, Any], market_types: Sequence[str], skip: int) -> BookRequest:
    """One page (from ``skip``) of the events ``query`` selects, with the lines of ``market_types``."""
    page = {"query": query, "view": {"marketTypes": list(market_types)}, "skip": skip, "take": PAGE_SIZE}
    return BookRequest(name, LISTS, {"q": orjson.dumps({"queries": [page]}).decode()})


def events_page_request(sport: Sport, skip: int) -> BookRequest:
    """One page of a category's upcoming events with odds, with their 1X2 lines."""
    query = {"eventType": "UPCOMING", "categories": [SPORT_IDS[sport.key]], "hasOdds": True}
    return query_request(LISTS, query, ["3743"], skip)


def event_detail_request(event_id: str) -> BookRequest:
    return BookRequest("events/{id}", f"events/{event_id}")


@dataclass(frozen=True)
class ListRow:
    """An event from the list; ``needs_detail`` when the row omitted ``widgets`` (SR id unknown)."""

    event: Event
    needs_detail: bool


def widget_id(widgets: Node, kind: str) -> int | None:
    """The id of the first widget of type ``kind`` (the SR widget repeats per retention with the same id);
    None when there is none."""
    for widget in widgets.elements():
        if widget.opt("type") is not None and widget.get("type").text() == kind:
            identifier = widget.get("id")
            text = identifier.text()
            if not (text.isascii() and text.isdigit()) or int(text) == 0:
                raise identifier.error(f"{kind} widget id is not a positive number: {text!r}")
            return int(text)
    return None


def parse_catalogue(data: Any, sport: Sport) -> list[Tournament]:
    """``withRegions[].regions[].competitions[]`` of the sport's category as Tournament records."""
    tournaments: list[Tournament] = []
    for entry in Node(BOOK, "categories/list", data).get("withRegions").elements():
        if entry.get("category").get("id").text() != SPORT_IDS[sport.key]:
            continue
        for region in entry.get("regions").elements():
            country = region.get("region").get("name").text()
            country_id = region.get("region").opt_text("id")
            for competition in region.get("competitions").elements():
                counts = competition.opt("eventCounts")
                upcoming = None if counts is None else counts.opt("UPCOMING")
                tournaments.append(
                    Tournament(
                        book=BOOK,
                        tournament_id=competition.get("competition").get("id").text(),
                        name=competition.get("competition").get("name").text(),
                        country=country,
                        sport=sport.key,
                        event_count=None if upcoming is None else upcoming.integer(),
                        country_id=country_id,
                    )
                )
    return tournaments


def query_rows(data: Any, where: str, index: int = 0) -> list[Node]:
    """The rows of query ``index``'s response (``responses[index].responses[]``; none past the end)."""
    responses = Node(BOOK, where, data).get("responses")
    answers = responses.elements()
    if len(answers) <= index:
        raise responses.error(f"expected at least {index + 1} query responses, got {len(answers)}")
    inner = answers[index].opt("responses")
    return [] if inner is None else inner.elements()


def parse_events_page(data: Any, sport: str = "") -> tuple[list[ListRow], list[BadRow]]:
    """Rows of one list page, and the rows that could not be read (each costs itself, counted against
    ``sport``)."""
    return parse_rows(query_rows(data, LISTS), _list_row, sport, row_identity)


def row_identity(row: Node) -> RowIdentity:
    """The event id (``id``) and SR id (its ``SPORTRADAR`` widget) an unreadable row still gives."""
    widgets = read_or_none(lambda: row.get("widgets"))
    radar = None if widgets is None else read_or_none(lambda: widget_id(widgets, SPORTRADAR_WIDGET))
    return read_or_none(lambda: row.get("id").text()), radar


def _list_row(row: Node) -> ListRow:
    return ListRow(event=event_from_node(row), needs_detail=row.opt("widgets") is None)


def parse_event_detail(payload: Any) -> Event:
    """The header of one ``events/{id}`` answer (v4; v3 captures share the header shape) as an Event."""
    return event_from_node(Node(BOOK, "events/{id}", payload))


def event_from_node(node: Node) -> Event:
    """A BetPawa event object (list row or detail; same header keys) as an Event."""
    category = node.get("category").get("id")
    sport = _SPORT_BY_CATEGORY.get(category.text())
    if sport is None:
        raise category.error(f"category {category.value!r} is not a sport we compare")
    home, away = _teams(node)
    widgets = node.opt("widgets")
    region = node.opt("region")
    return Event(
        book=BOOK,
        event_id=node.get("id").text(),
        sr_id=None if widgets is None else widget_id(widgets, SPORTRADAR_WIDGET),
        home=home,
        away=away,
        kickoff=node.get("startTime").iso_utc(),
        tournament_id=node.get("competition").get("id").text(),
        tournament_name=node.get("competition").get("name").text(),
        country=None if region is None else region.get("name").text(),
        sport=sport.key,
        genius_id=None if widgets is None else widget_id(widgets, GENIUS_WIDGET),
        country_id=None if region is None else region.opt_text("id"),
    )


def _teams(node: Node) -> tuple[str, str]:
    """Home and away from ``participants`` positions 1 and 2, else from ``name`` ("Home - Away")."""
    by_position: dict[int, str] = {}
    participants = node.opt("participants")
    for participant in participants.elements() if participants is not None else []:
        position = participant.opt("position")
        if position is not None:
            by_position[position.integer()] = participant.get("name").text()
    if 1 in by_position and 2 in by_position:
        return by_position[1], by_position[2]
    return split_home_away(node.get("name"))


async def list_catalogue(client: BookClient, sports: Sequence[Sport], window: Window) -> CatalogueParts:
    """Per sport: the category's competitions, then its whole upcoming list, then details for rows
    without ``widgets`` (only those kicking off inside the window)."""
    parts = CatalogueParts()
    for sport in sports:
        announced: int | None = None
        try:
            parse = functools.partial(parse_catalogue, sport=sport)
            path = f"categories/list/{SPORT_IDS[sport.key]}"
            fetched = await client.fetch(
                BookRequest("categories/list", path, {"includeRegions": "true"}), parse
            )
            parts.tournaments.extend(fetched.value)
            counts = [t.event_count or 0 for t in fetched.value]
            announced = parts.plausible_total(sport.key, counts, "UPCOMING eventCounts")
        except BookError as error:
            parts.failures.append(error)
        rows = await _list_category(client, sport, announced, parts)
        await _complete_rows(client, [row for row in rows if window.contains(row.event.kickoff)], parts)
    return finish_catalogue(parts)


async def _list_category(
    client: BookClient, sport: Sport, announced: int | None, parts: CatalogueParts
) -> list[ListRow]:
    """Every page of the category's upcoming list: the pages ``announced`` counts concurrently, then one by
    one to the first empty page. Without a count (none, or one no list could hold) the list is read page by
    page to its end, within ``MAX_LIST_PAGES``."""

    async def fetch_page(number: int) -> list[ListRow]:
        request = events_page_request(sport, number * PAGE_SIZE)
        rows, bad = (await client.fetch(request, lambda data: parse_events_page(data, sport.key))).value
        parts.bad_rows.extend(bad)
        return rows

    expected_pages = math.ceil((announced or 0) / PAGE_SIZE) or 1
    page_limit = expected_pages + EXTRA_PAGES_LIMIT if announced is not None else MAX_LIST_PAGES
    pages = await read_pages(
        fetch_page, first=0, expected=expected_pages, empty_pages_to_stop=1, max_pages=page_limit
    )
    parts.failures.extend(pages.errors)
    if pages.hit_page_limit:
        parts.incomplete_reasons.append(f"{sport.key}: event list did not end within {page_limit} pages")
    rows = first_of_each(pages.items(), attrgetter("event.event_id"))
    if announced is not None and not pages.errors and len(rows) != announced:
        what = f"listed {len(rows)} events, the catalogue counted {announced}"
        parts.count_mismatch(sport.key, len(rows), announced, what)
    return rows


async def _complete_rows(client: BookClient, rows: list[ListRow], parts: CatalogueParts) -> None:
    """Keep rows whose SR id is known; fetch the others' details (gone -> dropped, failed -> incomplete)."""
    parts.events.extend(row.event for row in rows if not row.needs_detail)

    async def detail(row: ListRow) -> Event | None:
        try:
            fetched = await client.fetch(event_detail_request(row.event.event_id), parse_event_detail)
        except NotFoundError:
            return None  # kicked off or withdrawn since it was listed
        return fetched.value

    for settled in await settle([row for row in rows if row.needs_detail], detail):
        if settled.error is not None:
            parts.failures.append(settled.error)
        elif settled.value is not None:
            # The list row is authoritative for the header; the detail only adds the provider ids.
            row_event = settled.key.event
            found = settled.value
            parts.events.append(replace(row_event, sr_id=found.sr_id, genius_id=found.genius_id))


ADAPTER = BookAdapter(
    wire, list_catalogue, event_detail_request, parse_event_detail, catalogue_paths=("categories/list",)
)
