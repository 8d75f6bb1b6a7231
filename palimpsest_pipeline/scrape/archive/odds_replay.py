"""Re-derive odds from the archive, event by event (see the package docstring)."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from types import TracebackType
from typing import Any

import httpx
import psycopg

from palimpsest_pipeline.books.errors import BookError, FetchError, NotFoundError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.settings import BookSettings, settings_country
from palimpsest_pipeline.markets.players import RosterPlayer
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.archive.requests import ReplayError, replay_settings
from palimpsest_pipeline.scrape.odds.model import CaptureResult
from palimpsest_pipeline.scrape.odds.parsing import parse_decoded
from palimpsest_pipeline.scrape.odds.players import resolve_results
from palimpsest_pipeline.warehouse.archive.reader import iter_event_bodies
from palimpsest_pipeline.warehouse.archive.records import ArchiveCorruptError, ArchivedBody
from palimpsest_pipeline.warehouse.capture_log import record_unmapped, store_capture_cycle
from palimpsest_pipeline.warehouse.capture_stream import StoredPlayer, read_event_rosters, store_event_rosters
from palimpsest_pipeline.warehouse.odds_rebuild import clear_recreated
from palimpsest_pipeline.warehouse.odds_store import OddsStoreStats

MAX_REPORTED_CORRUPT = 20


@dataclass
class OddsReplay:
    """What re-deriving the odds of some kick-off dates did."""

    bodies: int = 0
    batches: int = 0
    sr_ids: int = 0
    history_rows_replaced: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    stored: OddsStoreStats = field(default_factory=OddsStoreStats)
    unlabelled: int = 0
    #: archived rows that did not decode to the bytes they recorded: skipped (their capture times keep the
    #: history they had), each named here (at most ``MAX_REPORTED_CORRUPT``)
    corrupt: list[str] = field(default_factory=list)
    corrupt_rows: int = 0

    def metadata(self) -> dict[str, Any]:
        return {
            "archived_bodies": self.bodies,
            "batches": self.batches,
            "sr_ids": self.sr_ids,
            "history_rows_replaced": self.history_rows_replaced,
            "statuses": dict(sorted(self.by_status.items())),
            "history_rows": self.stored.history_rows,
            "current_upserts": self.stored.current_upserts,
            "closed": self.stored.closed,
            "unlabelled_bodies": self.unlabelled,
            "corrupt_archive_rows": self.corrupt_rows,
            "corrupt_archive_examples": self.corrupt,
        }

    def skip_corrupt(self, error: ArchiveCorruptError) -> None:
        self.corrupt_rows += 1
        if len(self.corrupt) < MAX_REPORTED_CORRUPT:
            self.corrupt.append(str(error))


@dataclass
class _ReplayedCycle:
    """One original batch's captures of one event as re-derived, by book: what ``store_capture_cycle``
    stores."""

    batch_id: str
    started_at: datetime
    results: dict[Book, CaptureResult] = field(default_factory=dict)
    unmapped: Counter[tuple[Book, str]] = field(default_factory=Counter)


def _resolve_in_capture_order(cycles: list[_ReplayedCycle], stored: tuple[StoredPlayer, ...]) -> None:
    """Key each cycle's players by SportRadar id as the capture did once every book had answered, in capture
    order, against the rosters known when it was captured: the stored entries first seen by then (the
    capture read them at its start) and those the earlier cycles' successful answers listed."""
    seen: set[RosterPlayer] = set()
    for cycle in cycles:
        latest = max((r.sent_at for r in cycle.results.values() if r.sent_at is not None), default=None)
        before = {s.player for s in stored if latest is not None and s.first_seen_at <= latest}
        cycle.results.update(resolve_results(cycle.results, before | seen))
        for r in cycle.results.values():
            if r.status == "ok" and r.odds is not None:
                seen.update(r.odds.roster)


class DetailReplayer:
    """Interprets archived event-detail attempts as the capture engine did, each alone (no retry): the last
    attempt of a capture decided it, so the last result per (batch, SR id, book) is the capture's."""

    def __init__(self, settings: Mapping[Book, BookSettings]) -> None:
        self._answers: dict[Book, ArchivedBody | None] = dict.fromkeys(settings)
        self._clients = {
            book: BookClient(
                replay_settings(s).model_copy(update={"max_attempts": 1, "envelope_attempts": 1}),
                KITS[book].adapter().wire(s),
                transport=httpx.MockTransport(functools.partial(self._answer, book)),
            )
            for book, s in settings.items()
        }

    def _answer(self, book: Book, request: httpx.Request) -> httpx.Response:
        """The archived attempt set for ``book``'s next request, once."""
        answer, self._answers[book] = self._answers[book], None
        if answer is None:
            return httpx.Response(
                404, stream=httpx.ByteStream(b'{"error": "not in the archive"}'), request=request
            )
        return httpx.Response(answer.status, stream=httpx.ByteStream(answer.body), request=request)

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
        self._answers[body.book] = body
        try:
            request = KITS[body.book].adapter().event_detail_request(body.event_id)
            fetched = await client.fetch(request, lambda data: data)
        except NotFoundError as error:
            return replace(base, status="gone", reason=error.what, error_kind="not_found")
        except FetchError as error:
            return replace(base, reason=str(error), error_kind=error.kind)
        except BookError as error:
            return replace(base, reason=str(error), error_kind="book_error")
        parsed = parse_decoded(body.book, fetched.value, sr_id=body.sr_id, captured_at=body.captured_at)
        if not isinstance(parsed, EventOdds):
            return replace(base, reason=parsed.reason, error_kind=parsed.kind)
        return replace(base, status="ok", odds=parsed)


async def rebuild_odds_from_archive(
    read_conn: psycopg.Connection,
    write_conn: psycopg.Connection,
    start: date,
    end: date,
    settings: Mapping[Book, BookSettings],
    *,
    sr_ids: Collection[int] = (),
) -> OddsReplay:
    """Re-derive the odds of events kicking off from ``start`` to ``end`` (``sr_ids``: only those) from their
    archived captures, each event rebuilt on ``write_conn`` in one transaction (``clear_recreated``)."""
    country = settings_country(settings)
    replay = OddsReplay()
    wanted = set(sr_ids)
    unmapped_by_batch: dict[str, Counter[tuple[Book, str]]] = {}

    def store_event(sr_id: int, cycles: list[_ReplayedCycle]) -> None:
        times: dict[Book, set[datetime]] = {}
        for done in cycles:
            for result in done.results.values():
                if result.sent_at is not None:
                    times.setdefault(result.book, set()).add(result.sent_at)
        with write_conn.transaction():  # the stored rosters read inside it: no transaction left open
            stored = read_event_rosters(write_conn, [sr_id], site_country=country)
            _resolve_in_capture_order(cycles, stored.get(sr_id, ()))
            replay.history_rows_replaced += clear_recreated(write_conn, sr_id, times, site_country=country)
            for done in cycles:
                results = done.results.values()
                stats = store_capture_cycle(
                    write_conn, results, done.started_at, batch_id=done.batch_id, site_country=country
                )
                replay.stored = replay.stored + stats
                store_event_rosters(write_conn, results, site_country=country)
        replay.sr_ids += 1
        for done in cycles:  # batch totals, recorded once complete (an event's own share cannot be undone)
            unmapped_by_batch.setdefault(done.batch_id, Counter()).update(done.unmapped)
            replay.by_status.update(result.status for result in done.results.values())

    event: int | None = None
    cycles: list[_ReplayedCycle] = []
    async with DetailReplayer(settings) as replayer:
        for body in iter_event_bodies(
            read_conn,
            start,
            end,
            site_country=country,
            books=list(settings),
            by_event=True,
            on_corrupt=replay.skip_corrupt,
        ):
            replay.bodies += 1
            if body.sr_id is None or body.event_id is None:
                replay.unlabelled += 1
                continue
            if wanted and body.sr_id not in wanted:
                continue
            if body.sr_id != event:
                if event is not None and cycles:
                    store_event(event, cycles)
                event, cycles = body.sr_id, []
            if not cycles or cycles[-1].batch_id != body.batch_id:
                cycles.append(_ReplayedCycle(body.batch_id, body.captured_at))
            cycle = cycles[-1]
            result = await replayer.replay(body)
            cycle.results[result.book] = result
            if result.odds is not None:
                cycle.unmapped.update({(result.book, k): n for k, n in result.odds.unmapped.items()})
        if event is not None and cycles:
            store_event(event, cycles)
    with write_conn.transaction():
        for batch_id, totals in unmapped_by_batch.items():
            record_unmapped(write_conn, batch_id=batch_id, site_country=country, unmapped=totals)
    replay.batches = len(unmapped_by_batch)
    return replay
