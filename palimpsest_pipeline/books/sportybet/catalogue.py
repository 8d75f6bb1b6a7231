"""SportyBet: request builders, pure parsers and the catalogue flow (../shared/PLATFORMS.md). Event ids are
``sr:match:<SR id>``; an ``eventSource`` ``sourceId`` may carry a ``1111111`` prefix: stripped, a
``BET_RADAR`` source is the SR id (it wins over ``eventId``) and a ``BET_GENIUS`` one the Genius Sports id.
The upcoming list pages by events and shifts while paged, so events are de-duplicated by ``eventId``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from palimpsest_pipeline.books import facts_center
from palimpsest_pipeline.books.adapter import (
    MAX_LIST_PAGES,
    BookAdapter,
    CatalogueParts,
    Window,
    finish_catalogue,
    read_pages,
)
from palimpsest_pipeline.books.errors import BookError
from palimpsest_pipeline.books.list_rows import BadRow, RowIdentity, first_of_each, read_or_none
from palimpsest_pipeline.books.payload import Node
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.wire import BookRequest, Wire
from palimpsest_pipeline.records import Book, Event, Tournament

if TYPE_CHECKING:  # annotations only: a parse worker loads this module without the HTTP client
    from palimpsest_pipeline.books.http import BookClient
    from palimpsest_pipeline.books.settings import BookSettings

BOOK = Book.SPORTYBET
PAGE_SIZE = 100
#: Seven 1s in front of some ids (PLATFORMS.md): a Genius id in ``eventId``, an 8-digit provider id in
#: ``eventSource``.
ONES_PREFIX = "1111111"
SOURCE_ID_PREFIXED_LENGTH = 15
SOURCE_RADAR = "BET_RADAR"
SOURCE_GENIUS = "BET_GENIUS"
_SOURCE_KEYS = ("preMatchSource", "liveSource")
#: Past this many pages beyond the announced total, the list is treated as endless (and incomplete).
EXTRA_PAGES_LIMIT = 20
#: A list wrapper's tournament id, name, country and country id, for rows that do not name their own.
WRAPPER_KEYS = ("id", "name", "categoryName", "categoryId")


def wire(settings: BookSettings) -> Wire:
    return facts_center.platform_wire(settings, unwrap, timestamp_param="_t")


def unwrap(payload: Any, where: str) -> Any:
    """The envelope's ``data``; else the error its ``bizCode`` stands for (19000 not found; 4000, "pageSize
    too large", a rejection of the request itself). A function: a parse worker is sent it by name."""
    return facts_center.unwrap_envelope(BOOK, payload, where, rejected={4000}, not_found={19000})


def upcoming_page_request(sport: Sport, page: int, timeline_hours: int) -> BookRequest:
    """One page (1-based) of the upcoming list, of the events kicking off within ``timeline_hours``."""
    params = {
        "sportId": sport.sr_sport,
        "marketId": "1",
        "pageSize": str(PAGE_SIZE),
        "pageNum": str(page),
        "option": "2",
        "timeline": str(timeline_hours),
    }
    return BookRequest("pcUpcomingEvents", "pcUpcomingEvents", params)


def event_detail_request(event_id: str) -> BookRequest:
    return BookRequest("event", "event", {"eventId": event_id, "productId": facts_center.PREMATCH_PRODUCT})


def ids_from_event_id(event_id: str) -> tuple[int | None, int | None]:
    """(SR id, Genius id) of an ``eventId``: ``"sr:match:68995116"`` -> (68995116, None); a number of more
    than 12 digits opening with seven 1s is a prefixed Genius id (PLATFORMS.md):
    ``"sr:match:111111113599033"`` -> (None, 13599033); anything else -> (None, None)."""
    if not event_id.startswith(facts_center.SR_MATCH_PREFIX):
        return None, None
    digits = event_id[len(facts_center.SR_MATCH_PREFIX) :]
    if not (digits.isascii() and digits.isdigit()) or int(digits) == 0:
        return None, None
    if len(digits) > 12 and digits.startswith(ONES_PREFIX):
        genius = digits[len(ONES_PREFIX) :]
        return None, (int(genius) if int(genius) > 0 else None)
    return int(digits), None


def source_ids(node: Node) -> tuple[int | None, int | None]:
    """(SR id, Genius id) named by an event's ``eventSource`` (pre-match source first, then live); either is
    None when no source of that type is given. Two sources of one type that disagree are an error. A
    ``sourceId`` is the provider's own id once the seven 1s SportyBet may put in front are stripped:
    ``"111111113599033"`` -> 13599033."""
    source = node.opt("eventSource")
    found: dict[str, int] = {}
    for key in _SOURCE_KEYS:
        entry = None if source is None else source.opt(key)
        if entry is None or entry.opt("sourceType") is None or entry.opt("sourceId") is None:
            continue
        kind = entry.get("sourceType").text()
        if kind not in (SOURCE_RADAR, SOURCE_GENIUS):
            continue
        source_id = entry.get("sourceId")
        text = source_id.text()
        if not (text.isascii() and text.isdigit()) or int(text) == 0:
            raise source_id.error(f"sourceId is not a positive number: {text!r}")
        if len(text) == SOURCE_ID_PREFIXED_LENGTH and text.startswith(ONES_PREFIX):
            text = text[len(ONES_PREFIX) :]
        identifier = int(text)
        known = found.setdefault(kind, identifier)
        if known != identifier:
            raise source_id.error(f"{kind} sourceId {identifier} disagrees with {known}")
    return found.get(SOURCE_RADAR), found.get(SOURCE_GENIUS)


def parse_catalogue(data: Any, sport: Sport) -> list[Tournament]:
    """``data.sportList[] -> categories[] -> tournaments[]`` of the requested sport, as Tournament records."""
    node = Node(BOOK, "popularAndSportList", data, "data")
    tournaments: list[Tournament] = []
    for sport_node in node.get("sportList").elements():
        if sport_node.get("id").text() != sport.sr_sport:
            continue
        for category in sport_node.get("categories").elements():
            country = category.get("name").text()
            country_id = category.opt_text("id")
            for tournament in category.get("tournaments").elements():
                size = tournament.opt("eventSize")
                tournaments.append(
                    Tournament(
                        book=BOOK,
                        tournament_id=tournament.get("id").text(),
                        name=tournament.get("name").text(),
                        country=country,
                        sport=sport.key,
                        event_count=None if size is None else size.integer(),
                        country_id=country_id,
                    )
                )
    return tournaments


def parse_upcoming_page(data: Any, sport: Sport) -> tuple[int, list[Event], list[BadRow]]:
    """One page of ``pcUpcomingEvents``: (``totalNum``, the page's events in order, its unreadable rows)."""
    node = Node(BOOK, "pcUpcomingEvents", data, "data")
    total = node.get("totalNum").integer()
    wrappers = node.get("tournaments").elements()
    events, bad = facts_center.read_grouped_rows(wrappers, sport, WRAPPER_KEYS, event_from_node, row_identity)
    return total, events, bad


def row_identity(row: Node) -> RowIdentity:
    """The event id (``eventId``) and SR id an unreadable row still gives (its ``eventSource`` first)."""
    event_id = read_or_none(lambda: row.get("eventId").text())
    radar = read_or_none(lambda: source_ids(row)[0])
    if radar is None and event_id is not None:
        radar = ids_from_event_id(event_id)[0]
    return event_id, radar


def parse_event_detail(payload: Any) -> Event:
    """The header of one ``event`` answer (whole response with envelope, or its ``data``) as an Event."""
    node = facts_center.detail_data(BOOK, "event", payload)
    return event_from_node(node, facts_center.compared_sport(node.get("sport").get("id")).key, None)


def event_from_node(node: Node, sport_key: str, fallback: facts_center.Fallback | None) -> Event:
    """An event object (list row or detail ``data``) as an Event; the SR id is ``eventId``'s unless a
    ``BET_RADAR`` source names another (PLATFORMS.md: trust eventSource)."""
    event_id = node.get("eventId").text()
    category = node.get("sport").opt("category") if node.has("sport") else None
    tournament = category.opt("tournament") if category is not None else None
    if tournament is not None and category is not None:
        tournament_id = tournament.get("id").text()
        tournament_name = tournament.get("name").text()
        country, country_id = category.opt_text("name"), category.opt_text("id")
    elif fallback is not None:
        tournament_id, tournament_name, country, country_id = fallback
    else:
        raise node.get("sport").error("missing category.tournament")
    radar_id, genius_id = source_ids(node)
    from_id, genius_from_id = ids_from_event_id(event_id)
    return Event(
        book=BOOK,
        event_id=event_id,
        sr_id=radar_id if radar_id is not None else from_id,
        home=node.get("homeTeamName").text(),
        away=node.get("awayTeamName").text(),
        kickoff=node.get("estimateStartTime").epoch_ms(),
        tournament_id=tournament_id,
        tournament_name=tournament_name,
        country=country,
        sport=sport_key,
        genius_id=genius_id if genius_id is not None else genius_from_id,
        country_id=country_id,
    )


async def list_catalogue(client: BookClient, sports: Sequence[Sport], window: Window) -> CatalogueParts:
    """Catalogue and complete upcoming list of each sport; a failure in one list leaves the others intact."""
    parts = CatalogueParts()
    timeline_hours = max(1, math.ceil(window.horizon.total_seconds() / 3600))
    for sport in sports:
        announced: int | None = None
        try:
            parse = functools.partial(parse_catalogue, sport=sport)
            params = {"sportId": sport.sr_sport, "productId": facts_center.PREMATCH_PRODUCT}
            fetched = await client.fetch(
                BookRequest("popularAndSportList", "popularAndSportList", params), parse
            )
            parts.tournaments.extend(fetched.value)
            sizes = [t.event_count for t in fetched.value if t.event_count is not None]
            announced = parts.plausible_total(sport.key, sizes, "eventSize") if sizes else None
        except BookError as error:
            parts.failures.append(error)
        await _list_sport(client, sport, timeline_hours, announced, parts)
    return finish_catalogue(parts)


async def _list_sport(
    client: BookClient, sport: Sport, timeline_hours: int, announced: int | None, parts: CatalogueParts
) -> None:
    """Every page of one sport's upcoming list: page 1 for ``totalNum``, the rest concurrently, then empty
    pages to confirm the end. ``announced`` (the catalogue's ``eventSize`` sum) counts events past the
    timeline too, so only a list with none where some are announced is held. A ``totalNum`` no list could hold
    makes the scrape suspect, and the list is read as one without a count."""
    totals: list[int] = []

    async def fetch_page(number: int) -> list[Event]:
        request = upcoming_page_request(sport, number, timeline_hours)
        fetched = await client.fetch(request, lambda data: parse_upcoming_page(data, sport))
        total, events, bad = fetched.value
        totals.append(total)
        parts.bad_rows.extend(bad)
        return events

    try:
        first_page = await fetch_page(1)
    except BookError as error:
        parts.failures.append(error)
        return
    total = totals[0]
    counted = parts.plausible(sport.key, total, "totalNum")  # else read as a list that gives no count
    expected_pages = math.ceil(total / PAGE_SIZE) if counted else 1
    page_limit = expected_pages + EXTRA_PAGES_LIMIT if counted else MAX_LIST_PAGES - 1  # page 1 read
    rest = await read_pages(
        fetch_page,
        first=2,
        expected=expected_pages - 1,
        empty_pages_to_stop=2 if first_page else 1,
        max_pages=page_limit,
    )
    parts.failures.extend(rest.errors)
    if rest.hit_page_limit:
        parts.incomplete_reasons.append(f"{sport.key}: upcoming list did not end within {page_limit} pages")
    events = first_of_each([*first_page, *rest.items()], attrgetter("event_id"))
    read_whole = not rest.errors and not rest.hit_page_limit
    if read_whole and counted and len(events) != total:
        what = f"read {len(events)} distinct events, totalNum said {total}"
        parts.count_mismatch(sport.key, len(events), total, what)
    elif read_whole and not events and announced:
        what = f"listed no event, the catalogue announces {announced}"
        parts.count_mismatch(sport.key, 0, announced, what)
    parts.events.extend(events)


ADAPTER = BookAdapter(
    wire, list_catalogue, event_detail_request, parse_event_detail, catalogue_paths=("popularAndSportList",)
)
