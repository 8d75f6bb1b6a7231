"""Re-derive catalogues and odds from the raw-response archive, without asking the books.

Why: a parser bug or a new market mapping must be fixable for past kick-off dates, and the books only serve
the present. The archive (``warehouse/raw_archive.py``) keeps every body they sent; replaying those bodies
through the SAME adapters, HTTP client and parsers gives the tables the original runs would have produced
with today's code.

How:
- Catalogues: the live asset archives, with each book scrape, a small *manifest* (the scrape's "now",
  horizon, sports and base URL; :class:`ScrapeManifest`) plus every list/catalogue body. A replay builds a
  ``BookClient`` whose transport (:class:`ArchiveTransport`) answers each request with the archived body of
  the same request (volatile query parameters such as SportyBet's ``_t`` ignored; attempts served in their
  original order, so retries replay too) and 404 for anything not archived, then runs the adapter's own
  catalogue flow. Every archived scrape whose window reaches the dates is replayed in time order and stored
  as the live asset stores it (same window, same capture instant), so soft deletes, revivals and
  first/last-seen come out as they did.
- Odds: each archived event-detail attempt (labelled with its SR id and kick-off date when it was captured)
  is interpreted by a ``BookClient`` exactly as on the wire (HTTP status, envelope, not-found rules), parsed
  by the capture engine's parsers, and stored per original batch with its original capture time (the send
  instant), after the events' stored odds were deleted: change-only history is order-sensitive, and this
  reproduces it row for row.

Nothing here opens a socket: :class:`ArchiveTransport` and :class:`_OneShotTransport` answer every request.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

import httpx
import psycopg

from palimpsest_pipeline.books.errors import BookError, FetchError, NotFoundError
from palimpsest_pipeline.books.http import BookClient, OnResponse, Wire
from palimpsest_pipeline.books.registry import adapter_for
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.catalogue import CatalogueScrape, scrape_catalogue
from palimpsest_pipeline.scrape.odds_model import CaptureResult, CaptureTarget
from palimpsest_pipeline.scrape.odds_parsing import ParsedOdds, aggregate_unmapped, parse_decoded

# The capture engine keeps each attempt's send instant in this ContextVar; the odds archive hook reads it so
# an archived body carries its price's capture time (see ``odds_model``). odds_wire has no public getter yet.
from palimpsest_pipeline.scrape.odds_wire import current_attempt
from palimpsest_pipeline.warehouse.catalogue_store import StoreStats, record_scrape, store_catalogue
from palimpsest_pipeline.warehouse.odds_store import OddsStoreStats, delete_odds_for, store_capture_cycle
from palimpsest_pipeline.warehouse.raw_archive import (
    ArchivedBody,
    ArchiveKind,
    ArchiveLabels,
    RawArchiveWriter,
    RawResponse,
    iter_batch_bodies,
    iter_event_bodies,
)

log = logging.getLogger(__name__)

#: Query parameters that change between two identical requests: never part of a request's identity.
#: ``v_cache_version`` is Bet9ja's client version (configurable); the book's answer does not depend on it.
ALWAYS_VOLATILE_PARAMS = frozenset({"v_cache_version"})

MANIFEST_URL = "palimpsest:catalogue-scrape"

#: Path prefixes (relative to the book's base URL) of the requests that read a book's tournament catalogue;
#: every other request of a catalogue scrape reads event lists (or details completing list rows).
_CATALOGUE_PATHS: dict[Book, tuple[str, ...]] = {
    Book.BETPAWA: ("categories/list",),
    Book.SPORTYBET: ("popularAndSportList",),
    Book.BET9JA: ("GetSports",),
}


class ReplayError(ValueError):
    """The archive holds something a replay cannot use; the message names the book, batch and row."""


# ------------------------------------------------------------------------------------------ request keys


def volatile_params(wire: Wire) -> frozenset[str]:
    """The parameters ignored when matching a request with an archived one (``_t`` for SportyBet)."""
    extra = {wire.timestamp_param} if wire.timestamp_param else set()
    return ALWAYS_VOLATILE_PARAMS | extra


def request_key(url: str, base_url: str, volatile: Collection[str] = ()) -> str:
    """A request's identity: its path relative to ``base_url`` and its sorted query without ``volatile``.

    Relative to the base URL so a replay may run against another host (or none) than the capture did.
    """
    parsed = httpx.URL(url)
    base_path = httpx.URL(base_url).path
    path = parsed.path
    relative = path[len(base_path) :] if path.startswith(base_path) else path
    query = sorted(
        (k, v) for k, v in parse_qsl(parsed.query.decode(), keep_blank_values=True) if k not in volatile
    )
    return f"{relative}?{urlencode(query)}" if query else relative


# ----------------------------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class ScrapeManifest:
    """What a replay needs to repeat one book's catalogue scrape: the same window, sports and base URL.

    Archived as a ``catalogue`` row whose URL carries the fields (readable without decompressing any body)
    and whose body repeats them as JSON for people.
    """

    book: Book
    now: datetime
    horizon: timedelta
    sports: tuple[str, ...]
    base_url: str

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ReplayError(f"{self.book.value} manifest: now must be timezone-aware, got {self.now}")
        if self.horizon <= timedelta(0):
            raise ReplayError(f"{self.book.value} manifest: horizon must be positive, got {self.horizon}")
        if not self.sports:
            raise ReplayError(f"{self.book.value} manifest: no sports")

    def as_dict(self) -> dict[str, str]:
        return {
            "now": self.now.astimezone(UTC).isoformat(),
            "horizon_s": str(int(self.horizon.total_seconds())),
            "sports": ",".join(self.sports),
            "base_url": self.base_url,
        }

    @property
    def url(self) -> str:
        return f"{MANIFEST_URL}?{urlencode(self.as_dict(), quote_via=quote)}"

    def response(self, captured_at: datetime) -> RawResponse:
        """The archive row recording this manifest."""
        return RawResponse(
            book=self.book,
            kind="catalogue",
            url=self.url,
            status=200,
            body=json.dumps(self.as_dict(), sort_keys=True).encode(),
            captured_at=captured_at,
        )

    @classmethod
    def from_url(cls, book: Book, url: str) -> ScrapeManifest:
        prefix = MANIFEST_URL + "?"
        if not url.startswith(prefix):
            raise ReplayError(f"{book.value}: {url!r} is not a catalogue scrape manifest")
        values = dict(parse_qsl(url[len(prefix) :], keep_blank_values=True))
        try:
            return cls(
                book=book,
                now=datetime.fromisoformat(values["now"]),
                horizon=timedelta(seconds=int(values["horizon_s"])),
                sports=tuple(s for s in values["sports"].split(",") if s),
                base_url=values["base_url"],
            )
        except (KeyError, ValueError) as error:
            raise ReplayError(f"{book.value} manifest {url!r} is unreadable: {error!r}") from None

    def window_dates(self) -> tuple[date, date]:
        """First and last kick-off date this scrape spoke for."""
        return self.now.date(), (self.now + self.horizon).date()


# --------------------------------------------------------------------------------------------- archiving


def catalogue_kind(book: Book, url: str, base_url: str) -> ArchiveKind:
    """``catalogue`` for a request reading the book's tournament catalogue, else ``list``."""
    relative = request_key(url, base_url)
    return "catalogue" if relative.startswith(_CATALOGUE_PATHS[book]) else "list"


def catalogue_archive_hook(writer: RawArchiveWriter, book: Book, base_url: str) -> OnResponse:
    """An ``on_response`` hook archiving a catalogue scrape's bodies with their kind.

    Detail lookups that complete list rows are archived as ``list`` too: kind ``event`` is kept for odds
    captures, labelled with their SR id and kick-off date, which is what an odds replay selects on.
    """

    def label(_: Book, url: str) -> ArchiveLabels:
        return ArchiveLabels(catalogue_kind(book, url, base_url))

    return writer.on_response("catalogue", describe=label)


def odds_archive_hook(
    writer: RawArchiveWriter, targets: Iterable[CaptureTarget], settings: Mapping[Book, BookSettings]
) -> OnResponse:
    """An ``on_response`` hook for ``capture_odds`` archiving each detail body as kind ``event`` with its
    SR id, event id and kick-off date, stamped with the attempt's send instant (the prices' capture time)."""
    index: dict[tuple[Book, str], ArchiveLabels] = {}
    volatile: dict[Book, frozenset[str]] = {}
    for book, book_settings in settings.items():
        volatile[book] = volatile_params(adapter_for(book).wire(book_settings))
    for target in targets:
        for book, event_id in target.listings.items():
            if book not in settings:
                continue
            url = _request_url(book, settings[book], event_id)
            key = request_key(url, settings[book].base_url, volatile[book])
            index[(book, key)] = ArchiveLabels(
                "event", sr_id=target.sr_id, event_id=event_id, kickoff_date=target.kickoff.date()
            )

    def label(book: Book, url: str) -> ArchiveLabels:
        book_settings = settings.get(book)
        if book_settings is None:
            return ArchiveLabels("event")
        key = request_key(url, book_settings.base_url, volatile[book])
        return index.get((book, key), ArchiveLabels("event"))

    def sent_at() -> datetime | None:
        attempt = current_attempt()
        return None if attempt is None else attempt.sent_at

    return writer.on_response("event", describe=label, captured_at=sent_at)


def _request_url(book: Book, settings: BookSettings, event_id: str) -> str:
    wire = adapter_for(book).wire(settings)
    request = adapter_for(book).event_detail_request(event_id)
    return str(httpx.URL(settings.base_url + request.path, params={**wire.common_params, **request.params}))


# --------------------------------------------------------------------------------------------- transport


class ArchiveTransport(httpx.AsyncBaseTransport):
    """Answers each request with the archived response of the same request; never opens a socket.

    Several archived attempts of one request (retries) are served in their original order, the last one
    again for any further attempt. A request that was never archived gets a 404, which the client turns
    into "not found" (and a catalogue flow into an incomplete scrape): a replay never invents data.
    """

    def __init__(
        self,
        answers: Mapping[str, Sequence[tuple[int, bytes]]],
        *,
        base_url: str,
        volatile: Collection[str] = (),
    ) -> None:
        self._queues = {key: deque(items) for key, items in answers.items() if items}
        self._base_url = base_url
        self._volatile = frozenset(volatile)
        self.served = 0
        self.missing: list[str] = []

    @classmethod
    def from_bodies(
        cls,
        bodies: Iterable[ArchivedBody],
        *,
        archived_base_url: str,
        base_url: str,
        volatile: Collection[str] = (),
    ) -> ArchiveTransport:
        """From archived bodies (in capture order) whose URLs are relative to ``archived_base_url``."""
        answers: dict[str, list[tuple[int, bytes]]] = {}
        for body in bodies:
            key = request_key(body.url, archived_base_url, volatile)
            answers.setdefault(key, []).append((body.status, body.body))
        return cls(answers, base_url=base_url, volatile=volatile)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = request_key(str(request.url), self._base_url, self._volatile)
        queue = self._queues.get(key)
        if not queue:
            self.missing.append(key)
            content = json.dumps({"error": "not in the archive", "request": key}).encode()
            return httpx.Response(404, content=content, request=request)
        status, body = queue.popleft() if len(queue) > 1 else queue[0]
        self.served += 1
        return httpx.Response(status, content=body, request=request)


def replay_settings(settings: BookSettings) -> BookSettings:
    """The book's settings for a replay: no politeness pauses and no back-off (nothing goes on the wire)."""
    return settings.model_copy(
        update={"pause_s": 0.0, "backoff_base_s": 0.0, "backoff_cap_s": 0.0, "retry_after_cap_s": 0.0}
    )


# --------------------------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class ArchivedScrape:
    """One archived catalogue scrape of a book: its batch and manifest."""

    batch_id: str
    manifest: ScrapeManifest


@dataclass
class CatalogueReplay:
    """What re-deriving one book's catalogue for some dates did."""

    book: Book
    scrapes: int = 0
    requests_served: int = 0
    requests_missing: int = 0
    incomplete: int = 0
    stats: StoreStats = field(default_factory=StoreStats)
    dates_written: set[date] = field(default_factory=set)
    last_scrape: CatalogueScrape | None = None
    #: Events of the last replayed scrape on the dates it wrote, and how many of them lack an SR id.
    events_in_dates: int = 0
    events_without_sr_id: int = 0


def archived_scrapes(conn: psycopg.Connection, book: Book, dates: Sequence[date]) -> list[ArchivedScrape]:
    """The book's archived catalogue scrapes whose window reaches any of ``dates``, oldest first."""
    if not dates:
        return []
    first, last = min(dates), max(dates)
    rows = conn.execute(
        """
        SELECT DISTINCT batch_id, url FROM core.raw_archive
        WHERE book = %s AND kind = 'catalogue' AND starts_with(url, %s)
        """,
        (book.value, MANIFEST_URL + "?"),
    ).fetchall()
    found = []
    for batch_id, url in rows:
        manifest = ScrapeManifest.from_url(book, url)
        start, end = manifest.window_dates()
        if start <= last and end >= first:
            found.append(ArchivedScrape(batch_id, manifest))
    return sorted(found, key=lambda s: (s.manifest.now, s.batch_id))


async def replay_catalogue_scrape(
    scrape: ArchivedScrape, bodies: Iterable[ArchivedBody], settings: BookSettings
) -> tuple[CatalogueScrape, ArchiveTransport]:
    """Run the book's own catalogue flow against one archived scrape's bodies (never the network)."""
    book = scrape.manifest.book
    if settings.book is not book:
        raise ValueError(f"settings are for {settings.book.value}, not {book.value}")
    adapter = adapter_for(book)
    quiet = replay_settings(settings)
    wire = adapter.wire(quiet)
    transport = ArchiveTransport.from_bodies(
        (b for b in bodies if b.book is book and b.url != scrape.manifest.url),
        archived_base_url=scrape.manifest.base_url,
        base_url=quiet.base_url,
        volatile=volatile_params(wire),
    )
    replayed = await scrape_catalogue(
        book,
        quiet,
        sports=scrape.manifest.sports,
        horizon=scrape.manifest.horizon,
        now=scrape.manifest.now,
        transport=transport,
    )
    return replayed, transport


async def rebuild_catalogue_from_archive(
    conn: psycopg.Connection,
    book: Book,
    settings: BookSettings,
    dates: Sequence[date],
    *,
    batch_id: str,
    trigger: str = "archive",
) -> CatalogueReplay:
    """Re-derive ``book``'s events on ``dates`` from every archived scrape reaching them, oldest first.

    Each scrape is stored as the live asset stored it: only the dates inside its own window, captured at its
    own "now", deleting unlisted events only when it was complete. Each replay is recorded as a book run of
    ``batch_id``. Dates no archived scrape reaches are left as they are (see ``dates_written``).
    """
    replay = CatalogueReplay(book)
    wanted = sorted(set(dates))
    for scrape in archived_scrapes(conn, book, wanted):
        start, end = scrape.manifest.window_dates()
        in_window = [d for d in wanted if start <= d <= end]
        bodies = [b for b in iter_batch_bodies(conn, [scrape.batch_id]) if b.book is book]
        result, transport = await replay_catalogue_scrape(scrape, bodies, settings)
        replay.scrapes += 1
        replay.requests_served += transport.served
        replay.requests_missing += len(transport.missing)
        replay.last_scrape = result
        if not result.complete:
            replay.incomplete += 1
            log.warning(
                "%s archived scrape %s replays incomplete: %s",
                book.value,
                scrape.batch_id,
                "; ".join(result.error_messages[:3]),
            )
        record_scrape(conn, batch_id=batch_id, scrape=result, trigger=trigger)
        if result.status == "failed":
            continue
        date_set = set(in_window)
        in_dates = [e for e in result.events if e.kickoff.date() in date_set]
        stats = store_catalogue(
            conn,
            book=book,
            tournaments=result.tournaments,
            events=in_dates,
            dates=in_window,
            captured_at=scrape.manifest.now,
            batch_id=batch_id,
            complete=result.complete,
            sports=list(scrape.manifest.sports),
        )
        replay.stats = _add_stats(replay.stats, stats)
        replay.dates_written.update(in_window)
        replay.events_in_dates = len(in_dates)
        replay.events_without_sr_id = sum(1 for e in in_dates if e.sr_id is None)
    return replay


def _add_stats(a: StoreStats, b: StoreStats) -> StoreStats:
    return StoreStats(**{f.name: getattr(a, f.name) + getattr(b, f.name) for f in fields(StoreStats)})


# -------------------------------------------------------------------------------------------------- odds


@dataclass
class OddsReplay:
    """What re-deriving the odds of some kick-off dates did."""

    bodies: int = 0
    batches: int = 0
    sr_ids: int = 0
    history_rows_deleted: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    stored: OddsStoreStats = field(default_factory=OddsStoreStats)
    unlabelled: int = 0

    def metadata(self) -> dict[str, Any]:
        return {
            "archived_bodies": self.bodies,
            "batches": self.batches,
            "sr_ids": self.sr_ids,
            "history_rows_deleted": self.history_rows_deleted,
            "statuses": dict(sorted(self.by_status.items())),
            "history_rows": self.stored.history_rows,
            "current_upserts": self.stored.current_upserts,
            "closed": self.stored.closed,
            "unlabelled_bodies": self.unlabelled,
        }


@dataclass
class _ReplayedCycle:
    """One original batch's captures as re-derived: what ``store_capture_cycle`` stores."""

    batch_id: str
    started_at: datetime
    results: dict[tuple[int, Book], CaptureResult] = field(default_factory=dict)
    unmapped: dict[tuple[Book, str], int] = field(default_factory=dict)

    def all_results(self) -> Iterable[CaptureResult]:
        return self.results.values()


class _OneShotTransport(httpx.AsyncBaseTransport):
    """Answers the next request with the archived attempt set in ``answer``."""

    def __init__(self) -> None:
        self.answer: ArchivedBody | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        answer, self.answer = self.answer, None
        if answer is None:
            return httpx.Response(404, content=b'{"error": "not in the archive"}', request=request)
        return httpx.Response(answer.status, content=answer.body, request=request)


class DetailReplayer:
    """Interprets archived event-detail attempts as the capture engine did: same client rules, same parsers.

    Each attempt is judged alone (one attempt, no retry): the last archived attempt of a capture is the one
    that decided it, so replaying attempts in order and keeping the last result per (batch, SR id, book)
    gives each capture's outcome.
    """

    def __init__(self, settings: Mapping[Book, BookSettings]) -> None:
        self._transports = {book: _OneShotTransport() for book in settings}
        self._clients = {
            book: BookClient(
                replay_settings(s).model_copy(update={"max_attempts": 1, "envelope_attempts": 1}),
                adapter_for(book).wire(s),
                transport=self._transports[book],
            )
            for book, s in settings.items()
        }

    async def __aenter__(self) -> DetailReplayer:
        for client in self._clients.values():
            await client.__aenter__()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for client in self._clients.values():
            await client.__aexit__(exc_type, exc, tb)

    async def replay(self, body: ArchivedBody) -> CaptureResult:
        """The capture result this archived attempt stands for, its capture time the archived one."""
        if body.sr_id is None or body.event_id is None:
            raise ReplayError(f"{body.book.value} body {body.url!r} (batch {body.batch_id}) has no SR id")
        client = self._clients.get(body.book)
        if client is None:
            raise ReplayError(f"no settings for {body.book.value}, needed to replay batch {body.batch_id}")
        base = CaptureResult(
            body.sr_id, body.book, "failed", body.event_id, sent_at=body.captured_at, attempts=1
        )
        self._transports[body.book].answer = body
        try:
            fetched = await client.fetch(adapter_for(body.book).event_detail_request(body.event_id), _keep)
        except NotFoundError as error:
            return replace(base, status="gone", reason=error.what, error_kind="not_found")
        except FetchError as error:
            return replace(base, reason=str(error), error_kind=error.kind)
        except BookError as error:
            return replace(base, reason=str(error), error_kind="book_error")
        parsed = parse_decoded(body.book, fetched.value, sr_id=body.sr_id, captured_at=body.captured_at)
        if not isinstance(parsed, ParsedOdds):
            return replace(base, reason=parsed.reason, error_kind=parsed.kind)
        return replace(base, status="ok", odds=parsed)


def _keep(data: Any) -> Any:
    return data


async def rebuild_odds_from_archive(
    read_conn: psycopg.Connection,
    write_conn: psycopg.Connection,
    start: date,
    end: date,
    settings: Mapping[Book, BookSettings],
    *,
    sr_ids: Collection[int] = (),
) -> OddsReplay:
    """Re-derive the odds of events kicking off from ``start`` to ``end`` from their archived captures.

    Bodies stream from ``read_conn`` in capture order; each original batch's captures are stored on
    ``write_conn`` (one transaction per batch, capture log and unmapped markets included) after the
    stored odds of its SR ids were deleted (once per SR id, before its first replayed capture). Only SR ids
    with archived captures are touched; ``sr_ids`` narrows the replay further.
    """
    replay = OddsReplay()
    wanted = set(sr_ids)
    deleted: set[int] = set()
    unmapped_by_batch: dict[str, dict[tuple[Book, str], int]] = {}
    cycle: _ReplayedCycle | None = None

    def store(done: _ReplayedCycle) -> None:
        fresh = sorted({sr_id for sr_id, _ in done.results} - deleted)
        if fresh:
            replay.history_rows_deleted += delete_odds_for(write_conn, fresh)
            deleted.update(fresh)
        cumulative = unmapped_by_batch.setdefault(done.batch_id, {})
        for (book, key), count in done.unmapped.items():
            cumulative[(book, key)] = cumulative.get((book, key), 0) + count
        done.unmapped = dict(cumulative)
        replay.stored = replay.stored + store_capture_cycle(write_conn, done, batch_id=done.batch_id)
        replay.batches += 1
        for result in done.results.values():
            replay.by_status[result.status] += 1

    async with DetailReplayer(settings) as replayer:
        for body in iter_event_bodies(read_conn, start, end, books=list(settings)):
            replay.bodies += 1
            if body.sr_id is None or body.event_id is None:
                replay.unlabelled += 1
                continue
            if wanted and body.sr_id not in wanted:
                continue
            if cycle is None or cycle.batch_id != body.batch_id:
                if cycle is not None:
                    store(cycle)
                cycle = _ReplayedCycle(body.batch_id, body.captured_at)
            result = await replayer.replay(body)
            cycle.results[(result.sr_id, result.book)] = result
            if result.odds is not None:
                aggregate_unmapped(cycle.unmapped, result.book, result.odds.unmapped)
        if cycle is not None:
            store(cycle)
    replay.sr_ids = len(deleted)
    return replay
