"""Benchmark: the sandbox's market depth, payload sizes, render cost and price-move rates, against captures.

Run by ``make bench`` (not collected by pytest); no database, no sockets: the sandbox's world and renderer in
process.

- Depth: ``EVENTS_PER_BOOK`` football events per book (as the demo's world), rendered once and parsed by the
  book's own parser: quantiles of open outcomes and body bytes, beside the real captures in ../shared.
- Render cost: CPU per body (median, mean, per 1,000 open outcomes, and against a JSON round trip).
- Price moves: for ``MOVE_EVENTS`` events per book, the share of parsed rows unchanged between captures 1, 5
  and 30 minutes apart, at leads in each capture tier and days ahead.

The last line printed is one JSON object.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox.rendering import EventRenderer
from palimpsest_sandbox.world import World, WorldEvent

AT = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
EVENTS_PER_BOOK = 150
MOVE_EVENTS = 40
CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
CAPTURES: dict[Book, list[tuple[str, str]]] = {
    Book.SPORTYBET: [
        ("football", "sportybet/event_sr68995116_prematch.json"),
        ("football", "sportybet/event_sr71583282_asian_handicap.json"),
        ("basketball", "sportybet/event_sr71550420_basketball.json"),
        ("tennis", "sportybet/event_sr71529092_tennis.json"),
    ],
    Book.BET9JA: [
        ("football", "bet9ja/GetEvent_sr68995116_prematch.json"),
        ("football", "bet9ja/GetEvent_sr71549302_next_goal.json"),
        ("basketball", "bet9ja/GetEvent_sr71427986_basketball.json"),
        ("tennis", "bet9ja/GetEvent_sr71543524_tennis.json"),
    ],
    Book.BETPAWA: [
        ("football", "betpawa/v3_event_sr68995116_prematch.json"),
        ("football", "betpawa/v4_event_sr67691078_prematch.json"),
        ("basketball", "betpawa/v3_event_sr71453210_basketball.json"),
        ("tennis", "betpawa/v3_event_sr71529092_tennis.json"),
    ],
}
LEADS = {
    "imminent": timedelta(minutes=20),
    "soon": timedelta(minutes=90),
    "later": timedelta(hours=8),
    "days": timedelta(days=3),
}
GAPS_MIN = (1, 5, 30)


def parse(book: Book, body: bytes, sr_id: int) -> dict[tuple[int, str, int], tuple[float | None, str]]:
    """Open outcome count and the parsed rows of one body (the answer for match ``sr_id``)."""
    result = KITS[book].parse_odds(orjson.loads(body), sr_id=sr_id, captured_at=AT)
    return {(r.market, r.specifier, r.outcome): (r.price, r.state) for r in result.rows}


def open_outcomes(book: Book, body: bytes, sr_id: int) -> int:
    return KITS[book].parse_odds(orjson.loads(body), sr_id=sr_id, captured_at=AT).open_outcomes


def quantiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {"p10": at(0.1), "p50": at(0.5), "p90": at(0.9), "max": ordered[-1], "n": len(ordered)}


def captures() -> dict[str, Any]:
    if not CAPTURED.is_dir():
        return {"skipped": f"{CAPTURED} is absent"}
    out: dict[str, Any] = {}
    for book, files in CAPTURES.items():
        for sport, name in files:
            raw = orjson.loads((CAPTURED / name).read_bytes())
            body = orjson.dumps(raw)
            out.setdefault(book.value, []).append(
                {
                    "file": name,
                    "sport": sport,
                    "open": open_outcomes(book, body, int(name.split("_sr")[1].split("_")[0])),
                    "bytes": len(body),
                }
            )
    return out


def depth(world: World, renderer: EventRenderer) -> tuple[dict[str, Any], dict[str, Any]]:
    figures: dict[str, Any] = {}
    render_ms: dict[str, Any] = {}
    for book in NIGERIA_BOOKS:
        events = [e for e in world.listed_events(book, AT) if e.sport == "football"][:EVENTS_PER_BOOK]
        sizes, outcomes, cpu, json_cpu = [], [], [], []
        for event in events:
            started = time.process_time()
            body = renderer.detail(book, event, AT)
            cpu.append((time.process_time() - started) * 1000)
            started = time.process_time()
            orjson.dumps(orjson.loads(body))  # the same-run yardstick: a JSON round trip of the body
            json_cpu.append((time.process_time() - started) * 1000)
            sizes.append(len(body))
            outcomes.append(open_outcomes(book, body, event.sr_id))
        figures[book.value] = {"open_outcomes": quantiles(outcomes), "bytes": quantiles(sizes)}
        render_ms[book.value] = {
            "median": round(statistics.median(cpu), 2),
            "mean": round(statistics.mean(cpu), 2),
            "per_1000_outcomes": round(1000 * sum(cpu) / sum(outcomes), 2),
            "vs_json_round_trip": round(sum(cpu) / sum(json_cpu), 1),
        }
        figures[book.value]["other_sports"] = {
            sport: quantiles(
                [
                    open_outcomes(book, renderer.detail(book, e, AT), e.sr_id)
                    for e in [x for x in world.listed_events(book, AT) if x.sport == sport][:30]
                ]
            )
            for sport in ("basketball", "tennis")
        }
    return figures, render_ms


def moves(world: World, renderer: EventRenderer) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for book in NIGERIA_BOOKS:
        events: list[WorldEvent] = [e for e in world.listed_events(book, AT) if e.sport == "football"]
        events = events[:: max(1, len(events) // MOVE_EVENTS)][:MOVE_EVENTS]
        for tier, lead in LEADS.items():
            for gap in GAPS_MIN:
                same = total = 0
                for event in events:
                    start = event.kickoff - lead - timedelta(minutes=gap)
                    before = parse(book, renderer.detail(book, event, start), event.sr_id)
                    after = parse(
                        book, renderer.detail(book, event, start + timedelta(minutes=gap)), event.sr_id
                    )
                    total += len(before)
                    same += sum(1 for key, value in before.items() if after.get(key) == value)
                out.setdefault(book.value, {}).setdefault(tier, {})[f"{gap}min"] = round(same / total, 4)
    return out


def main() -> int:
    world = World(seed=7, size=1_000, days=15)
    renderer = EventRenderer(cache_bytes=0)
    started = time.perf_counter()
    figures, render_ms = depth(world, renderer)
    result = {
        "world": figures,
        "captures": captures(),
        "render_ms_per_body": render_ms,
        "unchanged_share": moves(world, renderer),
        "wall_s": 0.0,
    }
    result["wall_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
