"""Event-detail odds parsing for the capture engine: raw bytes go to a small pool of low-priority processes,
so parsing never delays the sends that must leave together; a failure comes back as a :class:`ParseFailure`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import re
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import orjson

from palimpsest_pipeline.books.errors import REFUSED_VALUE_ERRORS, NotFoundError, PayloadError, refusal
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.odds_errors import OddsPayloadError
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.odds_values import without_nuls
from palimpsest_pipeline.books.payload_fields import field_paths
from palimpsest_pipeline.books.wire import BodyNotJson, EnvelopeError
from palimpsest_pipeline.markets.checks.event import check_markets
from palimpsest_pipeline.markets.checks.verdicts import MarketChecks
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.parse_worker import WorkerContext, init_parse_worker

log = logging.getLogger(__name__)

#: A book's ``Wire.unwrap`` (a module-level function, so it pickles by reference to a parse worker).
Unwrap = Callable[[Any, str], Any]

#: How JSON writes a NUL inside a string (a raw NUL byte is not valid JSON).
_ESCAPED_NUL_PATTERN = re.compile(re.escape(b"\\u0000"))


def _body_may_hold_nul(body: bytes) -> bool:
    """Whether a raw JSON body may hold a NUL (it writes ``\\u0000`` somewhere). Most bodies hold no
    backslash at all, which one ``memchr`` tells; a substring search costs a hundred times more."""
    return b"\\" in body and _ESCAPED_NUL_PATTERN.search(body) is not None


#: CPU priority increment of parse workers (0 = same priority as the event loop).
WORKER_NICENESS = 10

#: Raw bytes waiting for a parse worker before the capture stops dispatching new events: bodies are large,
#: so an event-count bound alone (``max_pending_events``) would let them pile up when the workers fall behind.
DEFAULT_BACKLOG_BYTES = 64 * 2**20


@dataclass(frozen=True, slots=True)
class ParseFailure:
    """Why a payload could not be parsed: ``kind`` ``"not_json"``, ``"odds_payload"`` (a shape or value the
    parser refused), ``"parser_bug"``, ``"pool_broken"`` (a parse worker died), or, from the book's envelope,
    ``"envelope"`` (with the ``EnvelopeError``'s ``mode``), ``"envelope_malformed"`` or ``"not_found"``
    (:func:`raise_for_envelope`)."""

    kind: str
    reason: str
    cpu_s: float = 0.0
    mode: Literal["retry", "retry_then_not_found", "fatal"] | None = None


def raise_for_envelope(failure: ParseFailure, book: Book, where: str) -> None:
    """Re-raise, in the event loop's process, the exception the HTTP layer would have seen decoding the
    body itself (it decides what to retry); other failures are left for the capture to record."""
    if failure.kind == "not_json":
        raise BodyNotJson(failure.reason)
    if failure.kind == "envelope":
        raise EnvelopeError(failure.reason, mode=failure.mode or "retry")
    if failure.kind == "envelope_malformed":
        raise PayloadError(book, where, failure.reason)
    if failure.kind == "not_found":
        raise NotFoundError(book, where, failure.reason)


def checked(parse: EventOdds, *, paths: tuple[str, ...] | None = None) -> EventOdds:
    """The parse with what the capture adds: the single-book checks' verdict on its markets (a bug in the
    checks costs the verdict, logged, never the prices), its name-keyed players and field paths."""
    try:
        verdict = check_markets(parse.rows)
    except Exception:
        log.exception("the single-book market checks crashed; the event's markets go unchecked")
        verdict = MarketChecks((), 0)
    parse.suspects, parse.suspect_outcomes = verdict.suspects, verdict.suspect_outcomes
    parse.named_players = parse.find_named_players()
    parse.field_paths = paths
    return parse


#: A book's payloads are walked for their field paths once in this many (the first always), per process: a
#: walk costs about a quarter of a parse.
FIELDS_EVERY = 10
_payloads_seen: dict[Book, int] = {}


def _looks_at_fields(book: Book) -> bool:
    """Whether this payload of ``book`` is the one in ``FIELDS_EVERY`` whose field paths are taken."""
    seen = _payloads_seen.get(book, 0)
    _payloads_seen[book] = seen + 1
    return seen % FIELDS_EVERY == 0


def _may_hold_nul(payload: Any) -> bool:
    """Whether a decoded payload may hold a NUL; one that JSON cannot hold (a number past 64 bits, a value
    nested past orjson's depth) may: it is walked."""
    try:
        return _body_may_hold_nul(orjson.dumps(payload))
    except orjson.JSONEncodeError:
        return True


def _field_paths(payload: Any) -> tuple[str, ...] | None:
    """The payload's field paths, sorted; None (not looked at) for a payload nested past Python's stack."""
    try:
        return tuple(sorted(field_paths(payload)))
    except RecursionError:
        return None


def parse_decoded(
    book: Book,
    payload: Any,
    *,
    sr_id: int,
    captured_at: datetime,
    may_hold_nul: bool | None = None,
    with_fields: bool | None = None,
) -> EventOdds | ParseFailure:
    """Parse a decoded detail payload, NULs removed and noted (``may_hold_nul`` None: look); never raises for
    bad payloads. ``with_fields``: take its field paths; None: one payload in ``FIELDS_EVERY`` per book."""
    started = time.thread_time()
    nul_paths: list[str] = []
    try:
        if may_hold_nul is None:
            may_hold_nul = _may_hold_nul(payload)
        if may_hold_nul:
            payload, nul_paths = without_nuls(payload)
        parse = KITS[book].parse_odds(payload, sr_id=sr_id, captured_at=captured_at)
    except OddsPayloadError as error:
        return ParseFailure("odds_payload", str(error), time.thread_time() - started)
    except REFUSED_VALUE_ERRORS as error:  # the book's bad value, not a parser bug
        reason = f"{book.value} odds payload: {refusal(error)}"
        return ParseFailure("odds_payload", reason, time.thread_time() - started)
    except Exception as error:  # a parser bug must fail one payload, not the whole capture cycle
        log.exception("%s odds parser crashed on the event with SR id %s", book.value, sr_id)
        reason = f"{book.value} odds parser crashed: {error!r}"
        return ParseFailure("parser_bug", reason, time.thread_time() - started)
    if with_fields is None:
        with_fields = _looks_at_fields(book)
    paths = _field_paths(payload) if with_fields else None
    if nul_paths:
        shown = ", ".join(nul_paths[:5]) + (f" and {len(nul_paths) - 5} more" if len(nul_paths) > 5 else "")
        note = f"{book.value} detail of SR id {sr_id}: NUL removed at {shown}"
        parse.other_notes.append(("nul_removed", note))
    parse = checked(parse, paths=paths)
    parse.cpu_s = time.thread_time() - started  # the checks are the parse's too
    return parse


def parse_body(
    book: Book,
    body: bytes,
    *,
    sr_id: int,
    captured_at: datetime,
    unwrap: Unwrap | None = None,
    where: str = "event",
    with_fields: bool | None = None,
) -> EventOdds | ParseFailure:
    """Decode (once, here) and parse one raw detail body, what pool workers run; ``unwrap``: the book's
    ``Wire.unwrap``, its errors coming back as failures naming ``where``."""
    started = time.thread_time()
    try:
        payload = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        reason = f"{book.value} detail body is not JSON: {error}"
        return ParseFailure("not_json", reason, time.thread_time() - started)
    if unwrap is not None:
        try:
            payload = unwrap(payload, where)
        except EnvelopeError as error:
            return ParseFailure("envelope", error.what, time.thread_time() - started, error.mode)
        except PayloadError as error:
            return ParseFailure("envelope_malformed", error.what, time.thread_time() - started)
        except REFUSED_VALUE_ERRORS as error:
            return ParseFailure("envelope_malformed", refusal(error), time.thread_time() - started)
        except NotFoundError as error:
            return ParseFailure("not_found", error.what, time.thread_time() - started)
    decode_s = time.thread_time() - started
    result = parse_decoded(
        book,
        payload,
        sr_id=sr_id,
        captured_at=captured_at,
        may_hold_nul=_body_may_hold_nul(body),
        with_fields=with_fields,
    )
    if isinstance(result, EventOdds):
        result.cpu_s += decode_s
        return result
    return ParseFailure(result.kind, result.reason, result.cpu_s + decode_s)


#: Below this many book requests a capture parses inline: spawned workers start with every parser cache cold
#: and pickle each body across, which costs more CPU than a few hundred bodies parsed on the loop.
POOL_FROM_REQUESTS = 500


def default_parse_workers(requests: int) -> int:
    """Inline (0) for a capture of fewer than ``POOL_FROM_REQUESTS`` book requests; else one worker per CPU,
    at most two: beyond that the pipeline competes with itself for the loop's CPU."""
    if requests < POOL_FROM_REQUESTS:
        return 0
    return max(1, min(2, os.cpu_count() or 1))


class PayloadParser:
    """Where raw bodies are decoded, unwrapped and parsed: inline on the event loop without ``workers``
    (tests, tiny runs), else in that many processes at lower CPU priority, spawned (a fork of a threaded
    process can copy held locks into the child) without the parent's ``__main__`` (``WorkerContext``)."""

    def __init__(self, workers: int = 0, *, backlog_bytes: int = DEFAULT_BACKLOG_BYTES) -> None:
        if workers < 0:
            raise ValueError(f"parse_workers must be >= 0, got {workers}")
        self.workers = workers
        #: Raw bytes handed to the pool and not yet parsed; the dispatch waits while above ``backlog_bytes``.
        self.backlog = 0
        self.peak_backlog = 0
        self._budget = backlog_bytes
        self._room: asyncio.Event | None = None
        self._pool: ProcessPoolExecutor | None = None
        if workers:
            self._pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=WorkerContext(),
                initializer=init_parse_worker,
                initargs=(WORKER_NICENESS, os.getpid()),
            )

    async def warm_up(self) -> None:
        """Start every worker and import the parsers there now, not on the first payloads of a cycle."""
        if self._pool is not None:
            loop = asyncio.get_running_loop()
            await asyncio.gather(*(loop.run_in_executor(self._pool, _warm) for _ in range(self.workers)))

    async def parse(
        self, book: Book, body: bytes, unwrap: Unwrap | None, *, sr_id: int, captured_at: datetime, where: str
    ) -> EventOdds | ParseFailure:
        call = functools.partial(
            parse_body, book, body, sr_id=sr_id, captured_at=captured_at, unwrap=unwrap, where=where
        )
        if self._pool is None:
            return call()
        size = len(body)
        self.backlog += size
        self.peak_backlog = max(self.peak_backlog, self.backlog)
        try:
            return await asyncio.get_running_loop().run_in_executor(self._pool, call)
        except BrokenProcessPool as error:  # a worker died (killed, out of memory): fail its payloads
            return ParseFailure("pool_broken", f"the parse worker pool broke: {error}")
        finally:
            self.backlog -= size
            if self._room is not None and self.backlog <= self._budget:
                self._room.set()

    async def wait_for_room(self) -> None:
        """Return once the bodies waiting to be parsed are within the parser's byte budget."""
        while self.backlog > self._budget:
            if self._room is None:
                self._room = asyncio.Event()
            self._room.clear()
            await self._room.wait()

    def close(self) -> None:
        """Release the parser's workers (idempotent)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _warm() -> int:
    time.sleep(0.05)  # long enough that each warm-up call lands on a different worker
    return len(KITS)
