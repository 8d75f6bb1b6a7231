"""A per-book circuit breaker for the capture engine.

A failing book would slow every book's captures to its pace, so after ``threshold`` consecutive failed
requests it is left out for ``cooldown_s``, then one probe closes or re-opens the breaker.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class BookBreaker:
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
