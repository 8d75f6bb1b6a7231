"""Bet9ja: request builders, pure parsers and the catalogue flow (../shared/PLATFORMS.md): ``GetSports``
lists tournament groups per sport and country (outrights and virtuals skipped), each listed one request at a
time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from palimpsest_pipeline.books.adapter import BookAdapter, CatalogueParts, Window, finish_catalogue, settle
from palimpsest_pipeline.books.errors import BookError, NotFoundError, PayloadError
from palimpsest_pipeline.books.list_rows import (
    BadRow,
    RowIdentity,
    parse_rows,
    read_or_none,
    wrapper_set_aside,
)
from palimpsest_pipeline.books.payload import Node, describe, split_home_away
from palimpsest_pipeline.books.sports import SPORTS, Sport
from palimpsest_pipeline.books.wire import BookRequest, EnvelopeError, Wire
from palimpsest_pipeline.records import MAX_ID_CHARS, Book, Event, Tournament

if TYPE_CHECKING:  # annotations only: a parse worker loads this module without the HTTP client
    from palimpsest_pipeline.books.http import BookClient
    from palimpsest_pipeline.books.settings import BookSettings

BOOK = Book.BET9JA
START_FORMAT = "%Y-%m-%d %H:%M:%S"
#: Groups whose names contain these words are outrights or virtual games, not fixtures.
SKIPPED_GROUP_WORDS = ("Antepost", "Players", "Zoom")

#: Each sport's ``SID`` and name (``S_DESC``), captured but for basketball's (a guess on the pattern).
SPORT_IDS = {"football": 1, "basketball": 2, "tennis": 5}
SPORT_NAMES = {"football": "Soccer", "basketball": "Basketball", "tennis": "Tennis"}
_SPORT_BY_SID = {SPORT_IDS[sport.key]: sport for sport in SPORTS}
_SPORT_BY_NAME = {SPORT_NAMES[sport.key].casefold(): sport for sport in SPORTS}


def wire(settings: BookSettings) -> Wire:
    return Wire(
        headers={"accept": "application/json"},
        common_params={"v_cache_version": settings.v_cache_version, "DISP": "0", **settings.edition.params},
        unwrap=unwrap,
    )


def unwrap(payload: Any, where: str) -> Any:
    """``D`` when ``R == "OK"``; ``R == "E"`` is ambiguous (not found or throttled): retry, then not found."""
    node = Node(BOOK, where, payload)
    status = node.get("R").text()
    if status == "OK":
        return node.get("D").value
    if status == "E":
        raise EnvelopeError(
            f'R "E" (not found or throttled): {str(payload.get("D"))[:80]}', mode="retry_then_not_found"
        )
    raise node.get("R").error(f'expected "OK" or "E", got {status!r}')


def event_detail_request(event_id: str) -> BookRequest:
    return BookRequest("GetEvent", "GetEvent", {"EVENTID": event_id})


def sr_id_from_extid(value: Any) -> int | None:
    """``"68995116"`` (or 68995116) -> 68995116; ``""``, null, zero and anything non-numeric -> None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
        return number if number > 0 else None
    return None


def extid_problem(value: Any) -> str | None:
    """Why ``EXTID`` cannot be read at all, or None: a value neither text nor a whole number, or text longer
    than any id, is a broken answer (read as "no SR id", the event would silently lose every price)."""
    if isinstance(value, str) and len(value) > MAX_ID_CHARS:
        return f"is {len(value)} characters (limit {MAX_ID_CHARS}): {value[:40]!r}..."
    if value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return None
    return f"is {describe(value)}, not an SR id"


def is_skipped_group(name: str) -> bool:
    """True for outright/virtual groups ("Antepost", "Players", "Zoom" anywhere in the name)."""
    return any(word.casefold() in name.casefold() for word in SKIPPED_GROUP_WORDS)


def parse_catalogue(data: Any, sports: Sequence[Sport]) -> tuple[list[Tournament], list[BadRow]]:
    """``D.PAL.{sid}.SG.{countryId}.G.{groupId}`` of the requested sports, minus outrights and virtuals, and
    the countries and groups that could not be read (each costs itself and holds its sport)."""
    pal = Node(BOOK, "GetSports", data, "D").get("PAL")
    tournaments: list[Tournament] = []
    bad: list[BadRow] = []
    for sport in sports:
        sport_node = pal.opt(str(SPORT_IDS[sport.key]))
        if sport_node is None:
            continue
        try:
            countries = sport_node.get("SG").items()
        except PayloadError as error:
            bad.append(wrapper_set_aside(sport.key, "sport", error, sport_node.value, "SG"))
            continue
        for country_id, country in countries:
            try:
                country_name = country.get("SG_DESC").text()
                groups = country.get("G").items()
            except PayloadError as error:
                bad.append(wrapper_set_aside(sport.key, f"country {country_id}", error, country.value, "G"))
                continue
            for group_id, group in groups:
                try:
                    found = _group(group_id, group, sport, country_name, country_id)
                except PayloadError as error:
                    bad.append(BadRow(sport.key, f"group {group_id}: {error}", group.value))
                    continue
                if found is not None:
                    tournaments.append(found)
    return tournaments, bad


def _group(group_id: str, group: Node, sport: Sport, country: str, country_id: str) -> Tournament | None:
    """One ``G`` entry as a Tournament; None for an outright or virtual group."""
    name = group.get("G_DESC").text()
    if is_skipped_group(name):
        return None
    count = group.opt("NUM")
    return Tournament(
        book=BOOK,
        tournament_id=group_id,
        name=name,
        country=country,
        sport=sport.key,
        event_count=None if count is None else count.integer(),
        country_id=country_id,
    )


def parse_group_events(data: Any, group: Tournament) -> tuple[list[Event], list[BadRow]]:
    """``D.E[]`` of one group (none in an empty answer) as Events, the tournament id the group's we asked for,
    and the rows that could not be read (each costs itself)."""
    rows = Node(BOOK, "GetEventsInGroupV2", data, "D").opt("E")
    if rows is None:
        return [], []
    return parse_rows(rows.elements(), lambda row: _group_event(row, group), group.sport, row_identity)


def row_identity(row: Node) -> RowIdentity:
    """The event id (``ID``) and SR id (``EXTID``) an unreadable row still gives."""
    extid = row.value.get("EXTID") if isinstance(row.value, dict) else None
    return read_or_none(lambda: row.get("ID").text()), sr_id_from_extid(extid)


def _group_event(row: Node, group: Tournament) -> Event:
    event = event_from_node(row, sport_key=group.sport)
    return replace(
        event,
        tournament_id=group.tournament_id,
        tournament_name=event.tournament_name if event.tournament_name else group.name,
        country=event.country if event.country is not None else group.country,
        sport=group.sport,
        country_id=event.country_id if event.country_id is not None else group.country_id,
    )


def parse_event_detail(payload: Any) -> Event:
    """The header of one ``GetEvent`` or ``GetLiveEvent`` answer (whole response with envelope, or its ``D``)
    as an Event. In play the header sits in ``D.AA`` (``D.A`` holds the clock and score), its ``SID`` is a
    live id (3000001 for soccer) and the sport's name is in ``AA.COMP.SPORT``."""
    node = Node(BOOK, "GetEvent", payload)
    if isinstance(payload, dict) and "R" in payload and "D" in payload:
        status = node.get("R").text()
        if status != "OK":
            raise node.get("R").error(f"error envelope R={status!r}")
        node = node.get("D")
    if node.opt("DS") is None and node.opt("AA") is not None:
        node = node.get("AA")
    return event_from_node(node, sport_key=None)


def _sport_key(node: Node) -> str:
    sid_node = node.get("SID")
    sport = _SPORT_BY_SID.get(sid_node.integer())
    if sport is None and node.opt("S") is not None:
        sport = _SPORT_BY_NAME.get(node.get("S").text().casefold())
    competition = node.opt("COMP")
    if sport is None and competition is not None and competition.opt("SPORT") is not None:
        sport = _SPORT_BY_NAME.get(competition.get("SPORT").text().casefold())
    if sport is None:
        raise sid_node.error(f"sport {sid_node.value!r} is not one we compare")
    return sport.key


def event_from_node(node: Node, *, sport_key: str | None) -> Event:
    """A Bet9ja event object (list row or GetEvent ``D``; same header keys) as an Event."""
    home, away = split_home_away(node.get("DS"))
    extid = node.value.get("EXTID")
    problem = extid_problem(extid)
    if problem is not None:
        raise node.get("EXTID").error(problem)
    return Event(
        book=BOOK,
        event_id=node.get("ID").text(),
        sr_id=sr_id_from_extid(extid),
        home=home,
        away=away,
        kickoff=node.get("STARTDATE").naive_utc(START_FORMAT),
        tournament_id=node.opt_text("GID") or "",
        tournament_name=node.opt_text("GN") or "",
        country=node.opt_text("SG"),
        sport=sport_key if sport_key is not None else _sport_key(node),
        country_id=node.opt_text("SGID"),
    )


async def list_catalogue(client: BookClient, sports: Sequence[Sport], window: Window) -> CatalogueParts:
    """``GetSports`` once, then one ``GetEventsInGroupV2`` per group, concurrently within the book's limit (a
    sport of more groups than any real catalogue lists none of them: ``CatalogueParts.plausible_groups``)."""
    parts = CatalogueParts()
    try:
        catalogue = await client.fetch(
            BookRequest("GetSports", "GetSports"), lambda data: parse_catalogue(data, sports)
        )
    except BookError as error:
        parts.failures.append(error)
        return parts
    groups, bad_groups = catalogue.value
    parts.tournaments.extend(groups)
    parts.bad_rows.extend(bad_groups)
    groups = parts.plausible_groups(groups, "groups in GetSports")

    async def list_group(group: Tournament) -> list[Event] | None:
        """The group's events; None when the book answered "not found" for a group its catalogue listed."""
        params = {"GROUPID": group.tournament_id, "GROUPMARKETID": "1"}
        request = BookRequest("GetEventsInGroupV2", "GetEventsInGroupV2", params)
        try:
            fetched = await client.fetch(request, lambda data: parse_group_events(data, group))
        except NotFoundError:
            return None
        events, bad = fetched.value
        parts.bad_rows.extend(bad)
        return events

    for settled in await settle(groups, list_group):
        group, events = settled.key, settled.value
        named = f"group {group.tournament_id} ({group.name})"
        if settled.error is not None:
            parts.failures.append(settled.error)
        elif events is not None:
            parts.events.extend(events)
            if group.event_count is not None and len(events) != group.event_count:
                what = f"group {group.tournament_id} listed {len(events)}, GetSports said {group.event_count}"
                parts.count_mismatch(group.sport, len(events), group.event_count, what)
        elif group.event_count is None:  # no count to say the group is empty: nothing of its sport misses
            parts.hold_sport(group.sport, f'{named} has no count and answered R "E"')
        elif group.event_count > 0:  # R "E" may have been throttling: its events must not be retired
            parts.incomplete_reasons.append(f'{named} listed {group.event_count} events but answered R "E"')
    return finish_catalogue(parts)


ADAPTER = BookAdapter(
    wire, list_catalogue, event_detail_request, parse_event_detail, catalogue_paths=("GetSports",)
)
