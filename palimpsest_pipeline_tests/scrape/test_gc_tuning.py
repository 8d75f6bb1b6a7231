"""The collector during a capture: tuned inside, put back after, a heap the process froze left frozen."""

from __future__ import annotations

import json
import subprocess
import sys

_CAPTURES = """
import gc, json
from palimpsest_pipeline.scrape.odds.gc_tuning import CAPTURE_GC_THRESHOLD0, gc_tuned_for_capture
seen = {}
with gc_tuned_for_capture():
    seen["inside"] = [gc.get_threshold()[0], gc.get_freeze_count() > 0]
seen["after"] = [gc.get_threshold()[0], gc.get_freeze_count()]
gc.freeze()  # a process that froze its long-lived heap itself, as the code location does
frozen = gc.get_freeze_count()
with gc_tuned_for_capture():
    with gc_tuned_for_capture():  # nested: the outermost caller's settings hold
        pass
    seen["frozen_inside"] = [gc.get_threshold()[0], gc.get_freeze_count() == frozen]
seen["frozen_after"] = [gc.get_threshold()[0], gc.get_freeze_count() == frozen]
seen["threshold"] = CAPTURE_GC_THRESHOLD0
print(json.dumps(seen))
"""


def test_a_capture_tunes_the_collector_and_leaves_a_frozen_heap_frozen() -> None:
    # a fresh interpreter: the test session's own collector settings and frozen heap are pytest's business
    done = subprocess.run([sys.executable, "-c", _CAPTURES], capture_output=True, text=True, check=True)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    default = 700  # CPython's young-generation threshold
    assert seen["inside"] == [seen["threshold"], True]
    assert seen["after"] == [default, 0]  # the heap the capture froze is unfrozen
    assert seen["frozen_inside"] == [seen["threshold"], True]  # nothing more frozen
    assert seen["frozen_after"] == [default, True]  # and the process's own freeze not undone
