"""A fixed piece of CPU work, timed beside a benchmark to read how fast the machine is at that moment.

This machine's cores are shared with its host's other guests, and the same code's CPU per captured outcome
moves with them from hour to hour (docs/benchmarks.md). A figure taken beside this work's own CPU time
compares with one taken at another hour: divide each by its ``reference_ms``. The work imitates a parse (JSON
decoded, prices read from nested objects into tuples) with the standard library only, so it never changes
with the pipeline's code or dependencies: never edit it, or every earlier reading loses its yardstick.
"""

from __future__ import annotations

import gc
import json
import random
import statistics
import time

#: Rounds per timing and timings per reading (the median is kept).
ROUNDS = 50
TIMINGS = 5


def _payload() -> str:
    draw = random.Random(7)
    markets = [
        {
            "id": str(market),
            "name": f"m{market}",
            "prices": [
                {
                    "id": f"{market}-{outcome}",
                    "odds": round(draw.uniform(1.01, 20), 2),
                    "suspended": draw.random() < 0.1,
                    "name": f"o{outcome}",
                }
                for outcome in range(draw.randint(2, 12))
            ],
        }
        for market in range(400)
    ]
    return json.dumps({"markets": markets})


_PAYLOAD = _payload()


def _one_timing() -> float:
    started = time.process_time()
    for _ in range(ROUNDS):
        payload = json.loads(_PAYLOAD)
        rows = []
        for market in payload["markets"]:
            market_id = market["id"]
            for price in market["prices"]:
                odds = price.get("odds")
                if type(odds) is float and odds > 1.0 and price.get("suspended") is not True:
                    rows.append((market_id, price["id"], odds, "open"))
        del payload, rows
    return time.process_time() - started


def reference_ms() -> float:
    """CPU milliseconds of the fixed work: the median of ``TIMINGS`` timings, in this process, with the cyclic
    collector paused (its cost would depend on what else the process holds, not on the machine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return round(statistics.median(_one_timing() for _ in range(TIMINGS)) * 1000, 1)
    finally:
        if was_enabled:
            gc.enable()
