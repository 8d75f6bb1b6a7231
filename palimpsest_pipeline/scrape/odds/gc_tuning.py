"""The garbage collector during a capture: the heap frozen (unless already) and young collections made rare,
so short-lived objects do not stall the event loop; restored afterwards."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

#: Allocations between young-generation collections during a capture (CPython's default is 700).
CAPTURE_GC_THRESHOLD0 = 50_000
_gc_tuning_depth = 0
_froze_heap = False


@contextmanager
def gc_tuned_for_capture() -> Iterator[None]:
    """The capture's settings, process-wide: nested captures keep the outermost caller's."""
    global _gc_tuning_depth, _froze_heap
    previous = gc.get_threshold()
    _gc_tuning_depth += 1
    if _gc_tuning_depth == 1:
        _froze_heap = gc.get_freeze_count() == 0
        if _froze_heap:
            gc.freeze()
        gc.set_threshold(CAPTURE_GC_THRESHOLD0, previous[1], previous[2])
    try:
        yield
    finally:
        _gc_tuning_depth -= 1
        if _gc_tuning_depth == 0:
            gc.set_threshold(*previous)
            if _froze_heap:
                gc.unfreeze()
