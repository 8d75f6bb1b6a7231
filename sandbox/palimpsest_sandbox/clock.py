"""The sandbox's simulated clock: what "now" is for the world, settable and advanceable at runtime.

A running clock follows real time from an anchor (demo, benchmarks); a frozen one stands still (tests),
so the same seed and the same instant always serve the same bytes.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any


class SimulatedClock:
    def __init__(self, frozen_at: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._anchor = frozen_at.astimezone(UTC) if frozen_at is not None else datetime.now(UTC)
        self._anchor_monotonic = time.monotonic()
        self._frozen = frozen_at is not None

    def now(self) -> datetime:
        with self._lock:
            if self._frozen:
                return self._anchor
            return self._anchor + timedelta(seconds=time.monotonic() - self._anchor_monotonic)

    def set(self, at: datetime, *, frozen: bool | None = None) -> datetime:
        """Jump to ``at`` (timezone-aware); ``frozen`` switches between standing still and running."""
        if at.tzinfo is None:
            raise ValueError(f"clock time must be timezone-aware, got naive {at.isoformat()}")
        with self._lock:
            self._anchor = at.astimezone(UTC)
            self._anchor_monotonic = time.monotonic()
            if frozen is not None:
                self._frozen = frozen
        return self.now()

    def advance(self, seconds: float) -> datetime:
        return self.set(self.now() + timedelta(seconds=seconds))

    def snapshot(self) -> dict[str, Any]:
        return {"now": self.now().isoformat(), "frozen": self._frozen}
