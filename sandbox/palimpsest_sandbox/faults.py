"""Which fault (if any) a request gets, and how long it waits first.

One RNG per book seeded from the sandbox seed: the n-th request to a book always gets the same draw, so a
fault scenario replays identically (request order between concurrent clients is the only variable).
Behaviour can be replaced at runtime (``PUT /_sandbox/config``) without restarting the server.
"""

from __future__ import annotations

import math
import random
import threading
from dataclasses import dataclass

from palimpsest_pipeline.records import Book
from palimpsest_sandbox.config import BookBehaviour
from palimpsest_sandbox.kit import kits
from palimpsest_sandbox.names import stable_hash

SERVER_ERROR_STATUSES = (500, 502, 503)


@dataclass(frozen=True, slots=True)
class Decision:
    """What to do with one request: wait ``delay_s``, then serve ``fault`` (None = the real answer)."""

    delay_s: float
    fault: str | None
    status: int | None = None  # for "server_error" and "fail_status"
    retry_after_s: int = 0
    hang_s: float = 0.0


class FaultInjector:
    def __init__(self, seed: int, behaviours: dict[Book, BookBehaviour]) -> None:
        self._lock = threading.Lock()
        self._behaviours = dict(behaviours)
        self._rngs = {book: random.Random(stable_hash(seed, "faults", book.value)) for book in kits()}

    def behaviour(self, book: Book) -> BookBehaviour:
        with self._lock:
            return self._behaviours[book]

    def set_behaviour(self, book: Book, behaviour: BookBehaviour) -> None:
        with self._lock:
            self._behaviours[book] = behaviour

    def decide(self, book: Book) -> Decision:
        with self._lock:
            behaviour = self._behaviours[book]
            rng = self._rngs[book]
            latency, faults = behaviour.latency, behaviour.faults
            delay_ms = 0.0
            if latency.median_ms > 0:
                delay_ms = min(
                    latency.max_ms, latency.median_ms * math.exp(latency.sigma * rng.gauss(0.0, 1.0))
                )
            delay_s = delay_ms / 1_000
            if faults.fail_status is not None:
                return Decision(delay_s, "fail_status", faults.fail_status, faults.retry_after_s)
            draw = rng.random()
            for name, rate in faults.rates():
                if draw < rate:
                    status = SERVER_ERROR_STATUSES[rng.randrange(3)] if name == "server_error" else None
                    return Decision(delay_s, name, status, faults.retry_after_s, faults.hang_s)
                draw -= rate
            return Decision(delay_s, None)
