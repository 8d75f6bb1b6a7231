"""One book's answer for one event: the request sent, each attempt's body parsed once by the parser, and every
way it ends classified into the ``CaptureResult`` the capture records (``engine.py`` schedules the requests).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from palimpsest_pipeline.books.errors import BookError, FetchError, NotFoundError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.breaker import BookBreaker
from palimpsest_pipeline.scrape.odds.http_hooks import hand_over, settle_handoff, track_attempts
from palimpsest_pipeline.scrape.odds.model import CaptureResult, CaptureTarget
from palimpsest_pipeline.scrape.odds.parsing import (
    ParseFailure,
    PayloadParser,
    aggregate_unmapped,
    raise_for_envelope,
)

log = logging.getLogger(__name__)


@dataclass
class ParseTally:
    """What one capture's parsing cost and found, per book: CPU, failures by kind, rows, unmapped markets."""

    cpu_s: defaultdict[Book, float] = field(default_factory=lambda: defaultdict(float))
    failures: dict[Book, Counter[str]] = field(default_factory=dict)
    rows: Counter[Book] = field(default_factory=Counter)
    unmapped: dict[tuple[Book, str], int] = field(default_factory=dict)


async def request_event(
    client: BookClient,
    parser: PayloadParser,
    breaker: BookBreaker,
    target: CaptureTarget,
    book: Book,
    tally: ParseTally,
) -> CaptureResult:
    """``book``'s event detail of ``target``: a result of every outcome (a crash included), never raised."""
    attempts = track_attempts()
    handoff = hand_over(client.limiter)
    event_id = target.listings[book]
    request = KITS[book].adapter().event_detail_request(event_id)
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
        fetched = await client.fetch(request, _keep, decode=decode)
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
        settle_handoff(handoff)
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
    aggregate_unmapped(tally.unmapped, book, parsed.unmapped)
    return replace(base, status="ok", odds=parsed)


def _keep(data: Any) -> Any:
    return data
