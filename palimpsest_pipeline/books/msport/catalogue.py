"""MSport: request builders, pure parsers and the catalogue flow on the facts-center platform
(../shared/PLATFORMS.md). A list row is read with the detail's header keys [guess: never captured].
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from palimpsest_pipeline.books import facts_center
from palimpsest_pipeline.books.adapter import (
    MAX_LIST_PAGES,
    BookAdapter,
    CatalogueParts,
    Window,
    finish_catalogue,
)
from palimpsest_pipeline.books.errors import BookError
from palimpsest_pipeline.books.list_rows import BadRow, RowIdentity, read_or_none
from palimpsest_pipeline.books.payload import Node
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.wire import BookRequest, Wire
from palimpsest_pipeline.records import MAX_ID_CHARS, Book, Event

if TYPE_CHECKING:  # annotations only: a parse worker loads this module without the HTTP client
    from palimpsest_pipeline.books.http import BookClient
    from palimpsest_pipeline.books.settings import BookSettings

BOOK = Book.MSPORT
#: A row's (or its list wrapper's) tournament id, name, country and country id.
TOURNAMENT_KEYS = ("tournamentId", "tournament", "category", "categoryId")


def wire(settings: BookSettings) -> Wire:
    return facts_center.platform_wire(settings, unwrap)


def unwrap(payload: Any, where: str) -> Any:
    """The envelope's ``data``; else the error its ``bizCode`` stands for (19000 ``invalid operId``: the
    country's ``operid`` is wrong, which no retry mends). A function: a parse worker is sent it by name."""
    return facts_center.unwrap_envelope(BOOK, payload, where, rejected={19000})


def matches_page_request(sport: Sport, last_event_id: str | None = None) -> BookRequest:
    """One page of a sport's matches; the first without a cursor, the next after ``last_event_id``."""
    params = {"sportId": sport.sr_sport}
    if last_event_id is not None:
        params["lastEventId"] = last_event_id
    return BookRequest("sports-matches-list", "sports-matches-list", params)


def event_detail_request(event_id: str) -> BookRequest:
    return BookRequest(
        "match/detail", "match/detail", {"eventId": event_id, "productId": facts_center.PREMATCH_PRODUCT}
    )


def sr_id_from_event_id(event_id: str) -> int | None:
    """``"sr:match:68995116"`` -> 68995116; anything else None."""
    head, _, digits = event_id.partition(facts_center.SR_MATCH_PREFIX)
    return int(digits) if not head and digits.isascii() and digits.isdigit() and int(digits) > 0 else None


def event_from_node(node: Node, sport_key: str, fallback: facts_center.Fallback | None) -> Event:
    """An event object (a list row, or the detail's ``data``) as an Event; a list row's tournament comes
    from its wrapper (``fallback``) unless it names its own."""
    if node.opt("tournamentId") is not None:
        fallback = facts_center.tournament_of(TOURNAMENT_KEYS, node)
    elif fallback is None:
        raise node.get("tournamentId").error("missing, and no tournament wraps the row")
    tournament_id, tournament_name, country, country_id = fallback
    event_id = node.get("eventId").text()
    return Event(
        book=BOOK,
        event_id=event_id,
        sr_id=sr_id_from_event_id(event_id),
        home=node.get("homeTeam").text(),
        away=node.get("awayTeam").text(),
        kickoff=node.get("startTime").epoch_ms(),
        tournament_id=tournament_id,
        tournament_name=tournament_name,
        country=country,
        sport=sport_key,
        country_id=country_id,
    )


def parse_event_detail(payload: Any) -> Event:
    """The header of one ``match/detail`` answer (whole response with envelope, or its ``data``)."""
    node = facts_center.detail_data(BOOK, "match/detail", payload)
    return event_from_node(node, facts_center.compared_sport(node.get("sportId")).key, None)


def row_identity(row: Node) -> RowIdentity:
    """The event id and SR id an unreadable row still gives."""
    event_id = read_or_none(lambda: row.get("eventId").text())
    return event_id, None if event_id is None else sr_id_from_event_id(event_id)


def parse_matches_page(data: Any, sport: Sport) -> tuple[list[Event], list[BadRow], str | None]:
    """One page: its events, its unreadable rows, and the cursor of the next page (None: the last)."""
    node = Node(BOOK, "sports-matches-list", data, "data")
    wrappers = node.get("tournaments").elements()
    events, bad = facts_center.read_grouped_rows(
        wrappers, sport, TOURNAMENT_KEYS, event_from_node, row_identity
    )
    return events, bad, _cursor(node.opt("lastEventId"))


def _cursor(node: Node | None) -> str | None:
    """The next page's cursor (an event id: no longer than one may be), or None on the last page."""
    if node is None:
        return None
    cursor = node.text()
    if len(cursor) > MAX_ID_CHARS:
        raise node.error(f"is {len(cursor):,} characters, longer than any event id ({MAX_ID_CHARS})")
    return cursor


async def list_catalogue(client: BookClient, sports: Sequence[Sport], window: Window) -> CatalogueParts:
    """Each sport's matches, page after page by the answer's cursor (no per-tournament list: the tournaments
    are those the events name); past ``MAX_LIST_PAGES`` pages the sport is held and the scrape suspect."""
    parts = CatalogueParts()
    for sport in sports:
        cursor: str | None = None
        seen: set[str] = set()
        for _page in range(MAX_LIST_PAGES):
            try:
                fetched = await client.fetch(
                    matches_page_request(sport, cursor), functools.partial(parse_matches_page, sport=sport)
                )
            except BookError as error:
                parts.failures.append(error)
                break
            events, bad, cursor = fetched.value
            parts.events.extend(events)
            parts.bad_rows.extend(bad)
            if not events or cursor is None or cursor in seen:
                break
            seen.add(cursor)
        else:
            parts.past_bound(sport.key, f"the match list did not end within {MAX_LIST_PAGES} pages")
    return finish_catalogue(parts)


ADAPTER = BookAdapter(wire, list_catalogue, event_detail_request, parse_event_detail, lists_give_counts=False)
