"""Betway: request builders, pure parsers and the catalogue flow (../shared/PLATFORMS.md). The event id is
the bare SR id; neither the regions nor a league's events were ever captured [guess].
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from palimpsest_pipeline.books.adapter import BookAdapter, CatalogueParts, Window, finish_catalogue, settle
from palimpsest_pipeline.books.errors import BookError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.list_rows import (
    BadRow,
    RowIdentity,
    parse_rows,
    read_or_none,
    read_wrapped_rows,
)
from palimpsest_pipeline.books.payload import Node
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.sports import Sport
from palimpsest_pipeline.books.wire import BookRequest, Wire
from palimpsest_pipeline.records import Book, Event, Tournament

BOOK = Book.BETWAY
#: Betway's sport ids (``sportEvent.sportId``) by our sport keys.
SPORT_IDS = {"football": "soccer", "basketball": "basketball", "tennis": "tennis"}
_SPORT_KEYS = {betway: key for key, betway in SPORT_IDS.items()}
#: No SportRadar match id is longer (they are 8 digits today).
MAX_SR_ID_DIGITS = 18


def wire(settings: BookSettings) -> Wire:
    return Wire(
        headers={"accept": "application/json"},
        common_params=dict(settings.edition.params),
    )


def league_request(league: Tournament) -> BookRequest:
    """A league's events, asked by the parts of its id (``<sport id>::<region id>::<league id>``)."""
    sport_id, region_id, league_id = league.tournament_id.split("::", 2)
    params = {"sportId": sport_id, "regionId": region_id, "leagueId": league_id}
    return BookRequest("BetBook/Filtered", "BetBook/Filtered/", params)


def event_detail_request(event_id: str) -> BookRequest:
    params = {"eventId": event_id, "skip": "0", "take": "1000"}
    path = "MarketGroupings/MarketGroupNamesAndMarketsForEvent"
    return BookRequest("MarketGroupNamesAndMarketsForEvent", path, params)


def epoch_seconds(node: Node) -> datetime:
    seconds = node.integer()
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise node.error(f"epoch seconds out of range: {seconds}") from None


def event_from_node(node: Node, sport_key: str | None = None) -> Event:
    """A ``sportEvent`` object as an Event; its sport from ``sportId`` unless the caller knows it."""
    event_id = node.get("eventId")
    sr_id = event_id.integer()
    if sr_id <= 0:
        raise event_id.error(f"event id {sr_id} is not a SportRadar id")
    if sport_key is None:
        sport_id = node.get("sportId")
        sport_key = _SPORT_KEYS.get(sport_id.text())
        if sport_key is None:
            raise sport_id.error(f"sport {str(sport_id.value)[:40]!r} is not one we compare")
    league = node.get("leagueId").text()
    region = node.opt_text("regionId")
    joined = node.opt("joinedLeagueId")
    return Event(
        book=BOOK,
        event_id=str(sr_id),
        sr_id=sr_id,
        home=node.get("homeTeam").text(),
        away=node.get("awayTeam").text(),
        kickoff=epoch_seconds(node.get("expectedStartEpoch")),
        tournament_id=joined.text() if joined is not None else f"{SPORT_IDS[sport_key]}::{region}::{league}",
        tournament_name=node.get("league").text(),
        country=node.opt_text("region"),
        sport=sport_key,
        country_id=region,
    )


def parse_event_detail(payload: Any) -> Event:
    """The header of an answer carrying ``sportEvent`` (``EventAndGameState``, or the markets answer)."""
    return event_from_node(Node(BOOK, "sportEvent", payload).get("sportEvent"))


def row_identity(row: Node) -> RowIdentity:
    """The event id and SR id (the same number) an unreadable row still gives: its ``eventId``, else the one
    its ``signalRGroupId`` names (``"event::68995116"``, captured)."""
    sr_id = read_or_none(lambda: row.get("eventId").integer())
    if sr_id is None:
        sr_id = read_or_none(lambda: _signal_group_id(row.get("signalRGroupId")))
    return (None, None) if sr_id is None else (str(sr_id), sr_id if sr_id > 0 else None)


def _signal_group_id(node: Node) -> int:
    """The event id in a ``signalRGroupId`` (``"event::<SR id>"``)."""
    kind, _, digits = node.text().partition("::")
    if kind != "event" or not (digits.isascii() and digits.isdigit()) or len(digits) > MAX_SR_ID_DIGITS:
        raise node.error(f"not an event's group: {node.text()[:40]!r}")
    return int(digits)


def parse_regions(data: Any, sport: Sport) -> tuple[list[Tournament], list[BadRow]]:
    """``regions[].leagues[]`` as Tournament records (the id is Betway's ``joinedLeagueId`` form), and the
    regions and leagues that could not be read (each costs itself: ``read_wrapped_rows``)."""
    regions = Node(BOOK, "RegionsAndLeagues", data).get("regions").elements()
    read_league = functools.partial(league_from_node, sport=sport)
    return read_wrapped_rows(regions, sport.key, "leagues", region_of, read_league, label="region")


def region_of(region: Node) -> tuple[str, str]:
    """A region's id and name: the country of its leagues."""
    return region.get("regionId").text(), region.get("name").text()


def league_from_node(region: tuple[str, str] | None, league: Node, sport: Sport) -> Tournament:
    """A league of a region as a Tournament; a league whose region could not be read has no id to be
    listed by."""
    if region is None:
        raise league.error("its region could not be read: the league cannot be listed without it")
    region_id, country = region
    return Tournament(
        book=BOOK,
        tournament_id=f"{SPORT_IDS[sport.key]}::{region_id}::{league.get('leagueId').text()}",
        name=league.get("name").text(),
        country=country,
        sport=sport.key,
        country_id=region_id,
    )


def parse_events(data: Any, sport_key: str) -> tuple[list[Event], list[BadRow]]:
    """``events[]`` of ``sportEvent`` objects: the events read and the rows that were not."""
    rows = Node(BOOK, "BetBook/Filtered", data).get("events").elements()
    return parse_rows(rows, functools.partial(event_from_node, sport_key=sport_key), sport_key, row_identity)


async def list_catalogue(client: BookClient, sports: Sequence[Sport], window: Window) -> CatalogueParts:
    """Each sport's regions and leagues, then every league's events concurrently; a failed league leaves the
    catalogue incomplete, an unreadable region or league holds its sport."""
    parts = CatalogueParts()

    async def read_league(league: Tournament) -> tuple[list[Event], list[BadRow]]:
        read = functools.partial(parse_events, sport_key=league.sport)
        return (await client.fetch(league_request(league), read)).value

    for sport in sports:
        try:
            request = BookRequest("RegionsAndLeagues", f"Feeds/RegionsAndLeagues/{SPORT_IDS[sport.key]}")
            fetched = await client.fetch(request, functools.partial(parse_regions, sport=sport))
        except BookError as error:
            parts.failures.append(error)
            continue
        leagues, bad = fetched.value
        parts.tournaments.extend(leagues)
        parts.bad_rows.extend(bad)
        for settled in await settle(
            parts.plausible_groups(leagues, "leagues in RegionsAndLeagues"), read_league
        ):
            if settled.error is not None:
                parts.failures.append(settled.error)
            elif settled.value is not None:
                parts.events.extend(settled.value[0])
                parts.bad_rows.extend(settled.value[1])
    return finish_catalogue(parts)


ADAPTER = BookAdapter(
    wire,
    list_catalogue,
    event_detail_request,
    parse_event_detail,
    lists_give_counts=False,
    catalogue_paths=("Feeds/RegionsAndLeagues",),
)
