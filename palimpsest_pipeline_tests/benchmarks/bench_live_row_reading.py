"""What reading the score, the half and every line costs Bet9ja's, Betway's and Betika's live list parsers:
``BENCH_EVENTS`` rows a list (default 1,000 and 5,000), each a real capture's live row
(../shared/fixtures/captured: Bet9ja's GetLiveEvent as a list row, 69 odds on 23 lines; Betway's in-play
event with its 100 markets; Betika's live row) under its own ids, parsed with the lines read (``with``) and
without (each line's reading replaced by nothing), ``BENCH_RUNS`` times each. Prints the medians (no assert:
figures go to docs/live.md); skips, saying why, where ../shared is absent.

``python palimpsest_pipeline_tests/benchmarks/bench_live_row_reading.py``
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from palimpsest_pipeline.books.bet9ja import live as bet9ja
from palimpsest_pipeline.books.betika import live as betika
from palimpsest_pipeline.books.betway import live as betway
from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline_tests.books.payloads import CAPTURED

FOOTBALL = sport_by_key("football")
NAIROBI = ZoneInfo("Africa/Nairobi")


def _load(book: str, name: str) -> Any:
    return json.loads((CAPTURED / book / name).read_text(encoding="utf-8"))


def bet9ja_list(size: int) -> dict[str, Any]:
    body = _load("bet9ja", "GetLiveEvent_sr67645534_live.json")["D"]
    row = {**body["AA"], **body["A"], "O": body["O"]}
    return {"E": [row | {"ID": row["ID"] + n, "EXTID": str(60_000_000 + n)} for n in range(size)]}


def betway_list(size: int) -> dict[str, Any]:
    answer = _load("betway", "markets_sr70926700_live_next_goal.json")
    rows = []
    for n in range(size):
        sr_id, old = 60_000_000 + n, str(answer["sportEvent"]["eventId"])
        markets = [
            m | {"eventId": sr_id, "marketId": str(sr_id) + m["marketId"][len(old) :]}
            for m in answer["marketsInGroup"]
        ]
        rows.append(answer["sportEvent"] | {"eventId": sr_id, "markets": markets})
    return {"events": rows}


def betika_list(size: int) -> dict[str, Any]:
    row = _load("betika", "matches_sr71463790_live.json")["data"][0]
    return {"data": [row | {"match_id": n + 1, "parent_match_id": 60_000_000 + n} for n in range(size)]}


def _no_lines(*_args: Any, **_kwargs: Any) -> tuple[()]:
    return ()


def _no_line(*_args: Any, **_kwargs: Any) -> None:
    return None


#: book -> (its list of ``size`` rows, its parse, the module and name of its line reading, the stand-in)
BOOKS: dict[str, tuple[Callable[[int], Any], Callable[[Any], Any], Any, str, Callable[..., Any]]] = {
    "bet9ja": (bet9ja_list, bet9ja.parse_live_list, bet9ja, "keyed_lines", _no_lines),
    "betway": (betway_list, lambda data: betway.parse_live_list(data, FOOTBALL), betway, "_line", _no_line),
    "betika": (
        betika_list,
        lambda data: betika.parse_live_list(data, FOOTBALL, NAIROBI),
        betika,
        "keyed_lines",
        _no_lines,
    ),
}


def measure(book: str, size: int, runs: int) -> dict[str, Any]:
    build, parse, module, name, stand_in = BOOKS[book]
    data = build(size)
    reading = getattr(module, name)
    timings: dict[str, list[float]] = {"with": [], "without": []}
    lines = 0
    for n in range(2 * runs):
        kind = ("with", "without")[n % 2]
        setattr(module, name, reading if kind == "with" else stand_in)
        started = time.perf_counter()
        parsed = parse(data)
        timings[kind].append(time.perf_counter() - started)
        if kind == "with":
            lines = sum(len(row.lines) for row in parsed[0])
    setattr(module, name, reading)
    medians = {kind: statistics.median(values) * 1_000 for kind, values in timings.items()}
    return {
        "book": book,
        "rows": size,
        "lines_read": lines,
        **{f"parse_ms_{kind}": round(ms, 1) for kind, ms in medians.items()},
        "added_ms": round(medians["with"] - medians["without"], 1),
        "runs": runs,
    }


def main() -> int:
    if not CAPTURED.is_dir():
        print(json.dumps({"skipped": f"{CAPTURED} is absent: no real live rows to read"}))
        return 0
    sizes = [int(s) for s in os.environ.get("BENCH_EVENTS", "1000,5000").split(",")]
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    for size in sizes:
        for book in BOOKS:
            print(json.dumps(measure(book, size, runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
