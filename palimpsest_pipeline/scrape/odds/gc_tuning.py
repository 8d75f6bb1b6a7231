"""The garbage collector's settings during a capture, restored afterwards.

A capture's short-lived acyclic objects would trigger collections that stall the event loop, so the heap is
frozen and young collections made rare. A heap already frozen by its process stays as it was.
"""

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
    """Freeze the heap (unless the process froze one already) and raise the young-generation threshold;
    process-wide, so nested captures keep the outermost caller's settings."""
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
