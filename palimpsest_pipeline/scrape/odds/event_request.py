"""One book's answer for one event: the request sent, each attempt's body parsed once, and every way it ends
classified into the ``CaptureResult`` the capture records.
"""

from __future__ import annotations

import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from palimpsest_pipeline.books.errors import BookError, FetchError, NotFoundError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.http_hooks import start_request
from palimpsest_pipeline.scrape.odds.model import CaptureResult, CaptureTarget
from palimpsest_pipeline.scrape.odds.parsing import ParseFailure, PayloadParser, raise_for_envelope

log = logging.getLogger(__name__)


@dataclass
class ParseTally:
    """What one capture's parsing cost and found, per book: CPU, failures by kind, rows, unmapped markets."""

    cpu_s: defaultdict[Book, float] = field(default_factory=lambda: defaultdict(float))
    failures: dict[Book, Counter[str]] = field(default_factory=dict)
    rows: Counter[Book] = field(default_factory=Counter)
    unmapped: Counter[tuple[Book, str]] = field(default_factory=Counter)


class BookBreaker:
    """A per-book circuit breaker: a failing book would slow every book's captures to its pace, so after
    ``threshold`` consecutive failed requests it is left out for ``cooldown_s``, then one probe decides."""

    def __init__(
        self, threshold: int, cooldown_s: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        """``threshold == 0`` disables the breaker (the book is always joined)."""
        if threshold < 0:
            raise ValueError(f"breaker threshold must be >= 0, got {threshold}")
        if cooldown_s < 0:
            raise ValueError(f"breaker cooldown must be >= 0 s, got {cooldown_s}")
        self.threshold = threshold
        self.cooldown_s = cooldown_s
        self._clock = clock
        self.consecutive_failures = 0
        self.last_failure: str | None = None
        self._open_until: float | None = None
        self._probing = False

    def allows(self) -> bool:
        """May the next event include this book? While open: no, except one probe once the cool-down ends."""
        if self._open_until is None:
            return True
        if self._probing or self._clock() < self._open_until:
            return False
        self._probing = True
        return True

    def why_skipped(self) -> str:
        return (
            f"skipped: the book failed {self.consecutive_failures} requests in a row "
            f"(last: {self.last_failure})"
        )

    def success(self) -> None:
        self.consecutive_failures = 0
        self._open_until = None
        self._probing = False

    def failure(self, reason: str) -> None:
        self.consecutive_failures += 1
        self.last_failure = reason
        if self.threshold and (self._probing or self.consecutive_failures >= self.threshold):
            self._open_until = self._clock() + self.cooldown_s
            self._probing = False


async def request_event(
    client: BookClient,
    parser: PayloadParser,
    breaker: BookBreaker,
    target: CaptureTarget,
    book: Book,
    tally: ParseTally,
    *,
    live: bool = False,
) -> CaptureResult:
    """``book``'s event detail of ``target`` (``live``: its in-play detail): a result of every outcome (a
    crash included), never raised."""
    attempts, handoff = start_request(client.limiter)
    event_id = target.listings[book]
    kit = KITS[book]
    request = (kit.live_adapter().detail_request if live else kit.adapter().event_detail_request)(event_id)
    base = CaptureResult(target.sr_id, book, "failed", event_id)
    decoded_at: datetime | None = None  # the capture time the parser stamped on the rows

    async def decode(body: bytes) -> EventOdds | ParseFailure:
        """Each attempt's body: decoded, unwrapped and parsed ONCE, by the parser (a worker process); what
        the envelope says goes back to the HTTP layer as the exception it classifies."""
        nonlocal decoded_at
        captured_at = decoded_at = attempts.sent_at or attempts.received_at or datetime.now(UTC)
        parsed = await parser.parse(
            book,
            body,
            client.wire.unwrap,
            sr_id=target.sr_id,
            captured_at=captured_at,
            where=request.endpoint,
        )
        tally.cpu_s[book] += parsed.cpu_s
        if isinstance(parsed, ParseFailure):
            raise_for_envelope(parsed, book, request.endpoint)
        return parsed

    try:
        fetched = await client.fetch(request, lambda data: data, decode=decode)
    except NotFoundError as error:
        breaker.success()
        return replace(
            base,
            status="gone",
            reason=error.what,
            error_kind="not_found",
            sent_at=attempts.sent_at,
            received_at=attempts.received_at,
            attempts=attempts.attempts_sent,
        )
    except FetchError as error:
        breaker.failure(error.what)
        return replace(
            base,
            reason=str(error),
            error_kind=error.kind,
            sent_at=attempts.sent_at,
            attempts=attempts.attempts_sent,
        )
    except BookError as error:
        breaker.failure(error.what)
        return replace(base, reason=str(error), error_kind="book_error", attempts=attempts.attempts_sent)
    except Exception as error:  # a bug must fail this capture, not the cycle
        log.exception("capture of %s event %s crashed", book.value, event_id)
        return replace(base, reason=f"capture crashed: {error!r}", error_kind="crash")
    finally:
        handoff.settle()
    breaker.success()
    parsed: EventOdds | ParseFailure = fetched.value
    base = replace(
        base,
        sent_at=attempts.sent_at or decoded_at or fetched.received_at,
        received_at=attempts.received_at,
        attempts=attempts.attempts_sent,
    )
    del fetched
    if not isinstance(parsed, EventOdds):
        tally.failures.setdefault(book, Counter())[parsed.kind] += 1
        return replace(base, reason=parsed.reason, error_kind=parsed.kind)
    tally.rows[book] += len(parsed)
    tally.unmapped.update({(book, key): count for key, count in parsed.unmapped.items()})
    return replace(base, status="ok", odds=parsed)
