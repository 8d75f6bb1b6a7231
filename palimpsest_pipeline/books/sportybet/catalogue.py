"""SportyBet: request builders, pure parsers, and the catalogue flow.

Wire (../shared/PLATFORMS.md and the WIRE DECISIONS): every answer is HTTP 200 with an envelope
``{"bizCode": 10000, "message": "0#0", "data": ...}``; any other ``bizCode`` is an error. Event ids are
``sr:match:<SportRadar id>``, always the real SR id, Genius-sourced events included (PLATFORMS.md, corrected
2026-11-22). ``eventSource.{preMatchSource,liveSource}`` names the feed: its ``sourceId`` may carry a
``1111111`` prefix; stripped, a ``BET_RADAR`` source is the SR id again (it wins when it disagrees with
``eventId``) and a ``BET_GENIUS`` source is the Genius Sports event id BetPawa shows too. The upcoming list
pages by EVENTS (``pageSize`` <= 100); a tournament straddling two pages
appears on both, and the list shifts while we page, so events are de-duplicated by ``eventId``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from palimpsest_pipeline.books.adapter import (
    MAX_LIST_PAGES,
    BadRow,
    CatalogueParts,
    RowIdentity,
    Window,
    catalogue_module_adapter,
    dedupe_events,
    finish_catalogue,
    read_or_none,
    read_pages,
)
from palimpsest_pipeline.books.errors import BookError
from palimpsest_pipeline.books.payload import Node, root
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.sportybet.platform import (
    PREMATCH_PRODUCT,
    SR_MATCH_PREFIX,
    Fallback,
    compared_sport,
    detail_data,
    platform_wire,
    read_grouped_rows,
    unwrap_envelope,
)
from palimpsest_pipeline.books.wire import BookRequest, Wire
from palimpsest_pipeline.records import Book, Event, Tournament

if TYPE_CHECKING:  # annotations only: a parse worker loads this module without the HTTP client
    from palimpsest_pipeline.books.http import BookClient
    from palimpsest_pipeline.books.settings import BookSettings

BOOK = Book.SPORTYBET
NOT_FOUND_CODES = frozenset({19000})
#: Codes that reject the request itself (e.g. 4000 "pageSize too large"): retrying cannot help.
REJECTED_CODES = frozenset({4000})
PAGE_SIZE = 100
#: Seven 1s in front of a Genius id that some list rows carry in ``eventId`` (PLATFORMS.md).
GENIUS_PREFIX = "1111111"
#: SportyBet's marker in front of some ``eventSource`` ids (seven 1s before an 8-digit provider id).
SOURCE_ID_PREFIX = "1111111"
SOURCE_ID_PREFIXED_LENGTH = 15
SOURCE_RADAR = "BET_RADAR"
SOURCE_GENIUS = "BET_GENIUS"
_SOURCE_KEYS = ("preMatchSource", "liveSource")
#: Past this many pages beyond the announced total, the list is treated as endless (and incomplete).
EXTRA_PAGES_LIMIT = 20


# --------------------------------------------------------------------------------------------------- wire


def wire(settings: BookSettings) -> Wire:
    return platform_wire(settings, unwrap, timestamp_param="_t")


def unwrap(payload: Any, where: str) -> Any:
    """The envelope's ``data`` on success; otherwise the error the ``bizCode`` stands for."""
    return unwrap_envelope(
        BOOK, payload, where, rejected_codes=REJECTED_CODES, not_found_codes=NOT_FOUND_CODES
    )


def catalogue_request(sport: Sport) -> BookRequest:
    return BookRequest(
        "popularAndSportList",
        "popularAndSportList",
        {"sportId": sport.sportybet_id, "productId": PREMATCH_PRODUCT},
    )


def upcoming_page_request(sport: Sport, page: int, timeline_hours: int | None = None) -> BookRequest:
    """One page (1-based) of the upcoming list; ``timeline_hours=None`` asks for every upcoming event."""
    if page < 1:
        raise ValueError(f"SportyBet pages are 1-based, got {page}")
    params = {
        "sportId": sport.sportybet_id,
        "marketId": "1",
        "pageSize": str(PAGE_SIZE),
        "pageNum": str(page),
        "option": "2",
    }
    if timeline_hours is not None:
        params["timeline"] = str(timeline_hours)
    return BookRequest("pcUpcomingEvents", "pcUpcomingEvents", params)


def event_detail_request(event_id: str) -> BookRequest:
    return BookRequest("event", "event", {"eventId": event_id, "productId": PREMATCH_PRODUCT})


# --------------------------------------------------------------------------------------------------- parsing


def ids_from_event_id(event_id: str) -> tuple[int | None, int | None]:
    """(SR id, Genius id) of an ``eventId``: ``"sr:match:68995116"`` -> (68995116, None); a number of more
    than 12 digits opening with seven 1s is a prefixed Genius id (PLATFORMS.md):
    ``"sr:match:111111113599033"`` -> (None, 13599033); anything else -> (None, None)."""
    if not event_id.startswith(SR_MATCH_PREFIX):
        return None, None
    digits = event_id[len(SR_MATCH_PREFIX) :]
    if not (digits.isascii() and digits.isdigit()) or int(digits) == 0:
        return None, None
    if len(digits) > 12 and digits.startswith(GENIUS_PREFIX):
        genius = digits[len(GENIUS_PREFIX) :]
        return None, (int(genius) if int(genius) > 0 else None)
    return int(digits), None


def sr_id_from_event_id(event_id: str) -> int | None:
    """The SR id an ``eventId`` carries, or None (see :func:`ids_from_event_id`)."""
    return ids_from_event_id(event_id)[0]


def provider_id_from_source_id(node: Node) -> int:
    """An ``eventSource.*.sourceId`` as the provider's own id: ``"111111113599033"`` -> 13599033 (the seven
    leading 1s SportyBet puts in front are stripped); an unprefixed id is taken as it is."""
    text = node.text()
    if not (text.isascii() and text.isdigit()) or int(text) == 0:
        raise node.error(f"sourceId is not a positive number: {text!r}")
    if len(text) == SOURCE_ID_PREFIXED_LENGTH and text.startswith(SOURCE_ID_PREFIX):
        text = text[len(SOURCE_ID_PREFIX) :]
    return int(text)


def source_ids(node: Node) -> tuple[int | None, int | None]:
    """(SR id, Genius id) named by an event's ``eventSource`` (pre-match source first, then live); either is
    None when no source of that type is given. Two sources of one type that disagree are an error."""
    source = node.opt("eventSource")
    found: dict[str, int] = {}
    for key in _SOURCE_KEYS:
        entry = None if source is None else source.opt(key)
        if entry is None or entry.opt("sourceType") is None or entry.opt("sourceId") is None:
            continue
        kind = entry.get("sourceType").text()
        if kind not in (SOURCE_RADAR, SOURCE_GENIUS):
            continue
        identifier = provider_id_from_source_id(entry.get("sourceId"))
        known = found.setdefault(kind, identifier)
        if known != identifier:
            raise entry.get("sourceId").error(f"{kind} sourceId {identifier} disagrees with {known}")
    return found.get(SOURCE_RADAR), found.get(SOURCE_GENIUS)


def parse_catalogue(data: Any, sport: Sport, *, where: str = "popularAndSportList") -> list[Tournament]:
    """``data.sportList[] -> categories[] -> tournaments[]`` of the requested sport, as Tournament records."""
    node = root(BOOK, where, data, "data")
    tournaments: list[Tournament] = []
    for sport_node in node.get("sportList").elements():
        if sport_node.get("id").text() != sport.sportybet_id:
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


def parse_upcoming_page(
    data: Any, sport: Sport, *, where: str = "pcUpcomingEvents"
) -> tuple[int, list[Event], list[BadRow]]:
    """One page of ``pcUpcomingEvents``: (``totalNum``, the page's events in order, its unreadable rows)."""
    node = root(BOOK, where, data, "data")
    total = node.get("totalNum").integer()
    wrappers = node.get("tournaments").elements()
    events, bad = read_grouped_rows(wrappers, sport, wrapper_fallback, event_from_node, row_identity)
    return total, events, bad


def row_identity(row: Node) -> RowIdentity:
    """The event id (``eventId``) and SR id an unreadable row still gives (its ``eventSource`` first)."""
    event_id = read_or_none(lambda: row.get("eventId").text())
    radar = read_or_none(lambda: source_ids(row)[0])
    if radar is None and event_id is not None:
        radar = ids_from_event_id(event_id)[0]
    return event_id, radar


def wrapper_fallback(tournament: Node) -> Fallback:
    """A list wrapper's tournament and country (``id``, ``name``, ``categoryName``, ``categoryId``), for
    rows that do not name their own."""
    return (
        tournament.get("id").text(),
        tournament.get("name").text(),
        tournament.opt_text("categoryName"),
        tournament.opt_text("categoryId"),
    )


def parse_event_detail(payload: Any) -> Event:
    """The header of one ``event`` answer (whole response with envelope, or its ``data``) as an Event."""
    node = detail_data(BOOK, "event", payload)
    return event_from_node(node, compared_sport(node.get("sport").get("id")).key, None)


def event_from_node(node: Node, sport_key: str, fallback: Fallback | None) -> Event:
    """An event object (list row or detail ``data``; same header keys) as an Event.

    The SR id is ``eventId``'s unless a ``BET_RADAR`` source names another (PLATFORMS.md: trust eventSource).
    """
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


# --------------------------------------------------------------------------------------------------- flow


async def list_catalogue(client: BookClient, sports: Sequence[Sport], window: Window) -> CatalogueParts:
    """Catalogue and complete upcoming list of each sport; a failure in one list leaves the others intact."""
    parts = CatalogueParts()
    timeline_hours = max(1, math.ceil(window.horizon.total_seconds() / 3600))
    for sport in sports:
        announced: int | None = None
        try:
            parse = functools.partial(parse_catalogue, sport=sport)
            fetched = await client.fetch(catalogue_request(sport), parse)
            parts.tournaments.extend(fetched.value)
            sizes = [t.event_count for t in fetched.value if t.event_count is not None]
            announced = parts.plausible_total(sport.key, sizes, "eventSize") if sizes else None
        except BookError as error:
            parts.fail(error)
        await _list_sport(client, sport, timeline_hours, announced, parts)
    return finish_catalogue(parts)


async def _list_sport(
    client: BookClient, sport: Sport, timeline_hours: int, announced: int | None, parts: CatalogueParts
) -> None:
    """Every page of one sport's upcoming list: page 1 for ``totalNum``, the rest concurrently, then two
    empty pages to confirm the end (sources disagree on what ``pageSize`` counts).

    ``announced`` is the catalogue's ``eventSize`` sum: it counts events past the scrape's timeline too, so
    only a list with no event at all where it announces some is held (a sport gone quiet). A ``totalNum`` no
    list could hold (``CatalogueParts.plausible``) makes the scrape suspect, and the list is then read as
    one without a count: page by page to its end, within ``MAX_LIST_PAGES``."""
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
        parts.fail(error)
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
    for failure in rest.errors:
        parts.fail(failure)
    if rest.hit_page_limit:
        parts.incomplete(f"{sport.key}: upcoming list did not end within {page_limit} pages")
    events = dedupe_events([*first_page, *rest.items()])
    read_whole = not rest.errors and not rest.hit_page_limit
    if read_whole and counted and len(events) != total:
        what = f"read {len(events)} distinct events, totalNum said {total}"
        parts.count_mismatch(sport.key, len(events), total, what)
    elif read_whole and not events and announced:
        what = f"listed no event, the catalogue announces {announced}"
        parts.count_mismatch(sport.key, 0, announced, what)
    parts.events.extend(events)


ADAPTER = catalogue_module_adapter(__name__, lists_give_counts=True, catalogue_paths=("popularAndSportList",))
