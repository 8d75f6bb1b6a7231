"""Counts of what the sandbox served, per book, endpoint and outcome, so tests can see retries happen."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.kit import kits


class ServedStats:
    """Thread-safe counters keyed (book, endpoint, outcome); outcome is "ok", "not_found", "bad_request"
    or the name of the fault served (see ``FaultConfig.rates``, plus "fail_status")."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[tuple[Book, str, str]] = Counter()

    def count(self, book: Book, endpoint: str, outcome: str) -> None:
        with self._lock:
            self._counts[(book, endpoint, outcome)] += 1

    def get(self, book: Book, endpoint: str | None = None, outcome: str | None = None) -> int:
        with self._lock:
            return sum(
                n
                for (b, e, o), n in self._counts.items()
                if b is book and endpoint in (None, e) and outcome in (None, o)
            )

    def snapshot(self) -> dict[str, Any]:
        """``{book: {endpoint: {outcome: n}}}`` plus the grand total, as ``GET /_sandbox/stats`` shows it."""
        with self._lock:
            items = list(self._counts.items())
        books: dict[str, dict[str, dict[str, int]]] = {book.value: {} for book in kits()}
        for (book, endpoint, outcome), n in sorted(items):
            books[book.value].setdefault(endpoint, {})[outcome] = n
        return {"books": books, "total": sum(n for _, n in items)}

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
