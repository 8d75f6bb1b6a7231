"""A withdrawal confirmed by the event's own detail, for a book whose lists give no counts (a short list
looks whole): "not known" confirms; the event still shown, or an unreadable answer, holds its sport.
"""

from __future__ import annotations

from collections.abc import Mapping

from palimpsest_pipeline.books.adapter import BookAdapter, CatalogueParts, settle
from palimpsest_pipeline.books.errors import NotFoundError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.records import Event

#: How many event ids a hold's reason names.
NAMED_IDS = 5
#: A hold's reason: events the lists left out whose detail the book still shows, or could not be read.
SHOWN = "its lists left out {count} event(s) their detail still shows: {ids}"
UNREAD = "the detail of {count} event(s) its lists left out could not be read: {ids}"


def unlisted(parts: CatalogueParts, at_risk: Mapping[str, str]) -> dict[str, str]:
    """The events of ``at_risk`` (event id -> sport) the scrape did not list in any form (a row set aside
    still names its event)."""
    listed = {event.event_id for event in parts.events}
    listed |= {row.event_id for row in parts.bad_rows if row.event_id is not None}
    return {event_id: sport for event_id, sport in at_risk.items() if event_id not in listed}


async def confirm_withdrawals(
    client: BookClient, adapter: BookAdapter, parts: CatalogueParts, at_risk: Mapping[str, str]
) -> None:
    """Ask the detail of every event of ``at_risk`` the lists left out, and hold each sport where one is
    still shown or could not be read (``parts.hold_sport``, with a warning naming the events)."""
    missing = unlisted(parts, at_risk)

    async def detail(event_id: str) -> Event:
        fetched = await client.fetch(adapter.event_detail_request(event_id), adapter.parse_event_detail)
        return fetched.value

    shown: dict[str, list[str]] = {}
    unread: dict[str, list[str]] = {}
    for settled in await settle(sorted(missing), detail):
        sport = missing[settled.key]
        if settled.error is None:
            shown.setdefault(sport, []).append(settled.key)
        elif not isinstance(settled.error, NotFoundError):
            unread.setdefault(sport, []).append(f"{settled.key} ({settled.error.what[:120]})")
    for found, says in ((shown, SHOWN), (unread, UNREAD)):
        for sport, ids in found.items():
            reason = says.format(count=len(ids), ids=_named(ids))
            parts.warnings.append(f"{sport}: {reason}")
            parts.hold_sport(sport, reason)


def _named(ids: list[str]) -> str:
    more = len(ids) - NAMED_IDS
    return ", ".join(ids[:NAMED_IDS]) + (f" and {more} more" if more > 0 else "")
