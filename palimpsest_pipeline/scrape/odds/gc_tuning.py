"""The garbage collector's settings during a capture, restored afterwards.

A capture allocates many short-lived, acyclic objects that reference counting frees; at CPython's default
threshold they trigger frequent young collections and regular full ones that stall the event loop. So the heap
that exists when the capture starts is frozen and the young generation collected far less often.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Allocations between young-generation collections during a capture (CPython's default is 700).
CAPTURE_GC_THRESHOLD0 = 50_000
_gc_tuning_depth = 0


@contextmanager
def gc_tuned_for_capture() -> Iterator[None]:
    """Freeze the heap and raise the young-generation threshold; process-wide, so nested captures keep the
    outermost caller's settings."""
    global _gc_tuning_depth
    previous = gc.get_threshold()
    _gc_tuning_depth += 1
    if _gc_tuning_depth == 1:
        gc.freeze()
        gc.set_threshold(CAPTURE_GC_THRESHOLD0, previous[1], previous[2])
    try:
        yield
    finally:
        _gc_tuning_depth -= 1
        if _gc_tuning_depth == 0:
            gc.set_threshold(*previous)
            gc.unfreeze()
