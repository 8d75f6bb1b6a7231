"""One book's statistics at the end of a capture phase, from its client and the results so far."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.model import BookCaptureStats, CaptureResult, latency_percentile_ms

#: Error kind counted for events not even requested while a book's breaker was open.
BREAKER_SKIPPED = "breaker_skipped"


def book_stats(
    book: Book,
    client: BookClient,
    results: Mapping[int, Mapping[Book, CaptureResult]],
    *,
    parse_failures: Counter[str],
    bytes_received: int,
    rows: int,
    parse_cpu_s: float,
) -> BookCaptureStats:
    stats = client.stats
    statuses: Counter[str] = Counter(by_book[book].status for by_book in results.values() if book in by_book)
    errors = Counter(stats.errors_by_kind)
    for kind, count in parse_failures.items():
        errors[f"parse_{kind}"] += count
    errors[BREAKER_SKIPPED] += sum(
        1 for by_book in results.values() if book in by_book and by_book[book].error_kind == "skipped"
    )
    return BookCaptureStats(
        book=book,
        requests=stats.requests,
        attempts=stats.attempts,
        ok=statuses["ok"],
        gone=statuses["gone"],
        failed=statuses["failed"],
        not_listed=statuses["not_listed"],
        throttled=stats.throttled,
        errors={kind: count for kind, count in sorted(errors.items()) if count},
        latency_p50_ms=latency_percentile_ms(stats.latencies_s, 0.50),
        latency_p95_ms=latency_percentile_ms(stats.latencies_s, 0.95),
        latency_p99_ms=latency_percentile_ms(stats.latencies_s, 0.99),
        bytes_received=bytes_received,
        rows=rows,
        parse_cpu_s=round(parse_cpu_s, 3),
        peak_in_flight=client.limiter.peak_in_flight,
        max_in_flight=client.limiter.max_in_flight,
    )
