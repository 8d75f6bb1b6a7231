"""Scrape one book's catalogue: its tournaments and every upcoming event in a window. ``complete`` only when
every page was read (only then may absence mean withdrawal); a failing book comes back with its reasons.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, NamedTuple

import httpx
import orjson

from palimpsest_pipeline.books.adapter import CatalogueParts, Window
from palimpsest_pipeline.books.errors import BookError, FetchError, PayloadError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.limits import StatsSummary
from palimpsest_pipeline.books.list_rows import BadRow
from palimpsest_pipeline.books.payload import describe
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.books.wire import OnResponse
from palimpsest_pipeline.records import Book, Event, Tournament
from palimpsest_pipeline.scrape.withdrawal_confirmation import confirm_withdrawals
from palimpsest_pipeline.warehouse import quarantine

log = logging.getLogger(__name__)

#: ``suspect``: the book answered, but with what cannot be true (no event where its own counts say more, a
#: count or list past what any list holds, far fewer than the warehouse holds live): stored as a failure.
ScrapeStatus = Literal["ok", "partial", "failed", "suspect"]
MAX_ERROR_MESSAGES = 20
#: Failure kinds whose last body is worth keeping: the book answered, but not with something we could read.
QUARANTINED_KINDS = frozenset({"malformed", "not_json", "block_page", "too_large"})


class Quarantined(NamedTuple):
    """A payload that could not be parsed after retries, kept for inspection."""

    book: Book
    url: str
    reason: str
    body: bytes


@dataclass
class CatalogueScrape:
    """One book's catalogue scrape: what was found, how complete it is, and how it went."""

    book: Book
    status: ScrapeStatus
    complete: bool
    tournaments: list[Tournament]
    events: list[Event]
    started_at: datetime
    finished_at: datetime
    stats: StatsSummary
    #: The country of the book's site it read: every row stored from it says so.
    site_country: str
    error_messages: list[str] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    #: Each list row that could not be read, with the event it names (stored in ``core.quarantined_rows``).
    set_aside_rows: list[quarantine.Quarantined] = field(default_factory=list)
    #: Oddities that do not make the scrape incomplete (e.g. totalNum disagreeing with what was read).
    warnings: list[str] = field(default_factory=list)
    #: Sports held on this scrape, each with why (unreadable rows or wrapper, fewer events than the book's
    #: counts or the warehouse holds live): nothing of theirs is withdrawn, and they are named stale.
    held_sports: dict[str, str] = field(default_factory=dict)

    def judged_suspect(self, reason: str) -> CatalogueScrape:
        """This scrape, marked suspect for ``reason``: stored as a failure, so nothing of it is trusted."""
        return replace(self, status="suspect", error_messages=[f"suspect: {reason}", *self.error_messages])

    def holding(self, verdicts: dict[str, str]) -> CatalogueScrape:
        """This scrape with the sports of ``verdicts`` (sport -> why) held too, each named in its errors."""
        held = {**self.held_sports, **{s: r for s, r in verdicts.items() if s not in self.held_sports}}
        named = [f"stale sport {sport}: {reason}" for sport, reason in verdicts.items()]
        return replace(self, held_sports=held, error_messages=[*named, *self.error_messages])


async def scrape_catalogue(
    book: Book,
    settings: BookSettings,
    *,
    sports: Sequence[str],
    horizon: timedelta,
    now: datetime,
    on_response: OnResponse | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    at_risk: Mapping[str, str] | None = None,
) -> CatalogueScrape:
    """Scrape ``book``'s tournaments and ``sports`` events kicking off in ``[now, now + horizon]``; book
    problems are in the result. ``transport`` replaces the network (archive replay); ``at_risk``: events
    withdrawn if missed, which a book whose lists give no counts confirms by their detail."""
    if settings.book is not book:
        raise ValueError(f"settings are for {settings.book.value}, not {book.value}")
    window = Window(now.astimezone(UTC) if now.tzinfo is not None else now, horizon)
    sport_records = [sport_by_key(key) for key in sports]
    adapter = KITS[book].adapter()
    started_at = datetime.now(UTC)
    client = BookClient(settings, adapter.wire(settings), on_response=on_response, transport=transport)
    async with client:
        try:
            parts = await adapter.list_catalogue(client, sport_records, window)
        except BookError as error:  # adapters collect their errors; this is a last line of defence
            parts = CatalogueParts(failures=[error])
        if at_risk and parts.complete and not adapter.lists_give_counts:
            await confirm_withdrawals(client, adapter, parts, at_risk)
    return _result(book, settings.site_country, parts, window, started_at, client.stats.summary())


def _result(
    book: Book,
    site_country: str,
    parts: CatalogueParts,
    window: Window,
    started_at: datetime,
    stats: StatsSummary,
) -> CatalogueScrape:
    events = sorted(
        (event for event in parts.events if window.contains(event.kickoff)),
        key=lambda event: (event.kickoff, event.event_id),
    )
    complete = parts.complete
    status: ScrapeStatus = "ok" if complete else ("partial" if events else "failed")
    held = parts.held_sports
    messages = [str(error) for error in parts.failures] + parts.incomplete_reasons
    messages += [f"stale sport {sport}: {reason}" for sport, reason in held.items()]
    if not events and parts.warnings and status != "failed":
        status = "suspect"  # an empty list where the book's own counts say more
        messages = [f"suspect: no event listed, but {'; '.join(parts.warnings)}", *messages]
    if parts.implausible:
        status = "suspect"  # a count, or a list, past what any of the book's lists could hold
        messages = [f"suspect: {book.value}: {'; '.join(parts.implausible)}", *messages]
    return CatalogueScrape(
        book=book,
        status=status,
        complete=complete,
        tournaments=parts.tournaments,
        events=events,
        started_at=started_at,
        finished_at=datetime.now(UTC),
        stats=stats,
        site_country=site_country,
        error_messages=messages[:MAX_ERROR_MESSAGES],
        quarantined=_quarantine(book, parts),
        set_aside_rows=[_set_aside(book, row) for row in parts.bad_rows],
        warnings=parts.warnings,
        held_sports=held,
    )


def _row_json(value: Any) -> bytes:
    """A row as JSON, or its description where JSON cannot carry it (nested past orjson's writing depth, an
    integer past 64 bits): an unreadable row is kept with its reason, never a failed step."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return orjson.dumps(describe(value))


def _set_aside(book: Book, row: BadRow) -> quarantine.Quarantined:
    """An unreadable list row as a listing set aside, naming its event where the row still does."""
    return quarantine.Quarantined(
        stage="catalogue",
        book=book.value,
        kind="unreadable_row",
        reason=row.reason,
        excerpt=quarantine.excerpt(_row_json(row.value).decode()),
        sr_id=row.sr_id,
        event_id=None if row.event_id is None else quarantine.excerpt(row.event_id),
        key=f"{row.sport} list row|{row.event_id}|{row.reason[:200]}",
    )


def _quarantine(book: Book, parts: CatalogueParts) -> list[Quarantined]:
    """The failures' bodies worth keeping, then each unreadable list row, whole (a row is small)."""
    kept = []
    for error in parts.failures:
        if isinstance(error, FetchError) and error.kind in QUARANTINED_KINDS and error.body is not None:
            kept.append(Quarantined(book, error.where, error.what, error.body))
        elif isinstance(error, PayloadError):
            kept.append(Quarantined(book, error.where, error.what, b""))
    return kept + [
        Quarantined(book, f"{row.sport} list row", row.reason, _row_json(row.value)) for row in parts.bad_rows
    ]
