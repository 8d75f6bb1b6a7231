"""The walk of a SportyBet payload through its parse: how often the reading leaves one pipeline module for
another.

    PYTHONPATH=. python palimpsest_pipeline_tests/benchmarks/bench_parse_walk.py

``parse_odds`` reads ``sportybet/event_sr68995116_prematch.json`` of ``../shared``; the first call of each
pipeline function is listed in order, and a stay is a run of those calls inside one module. Warm: the payload
parsed once before (the plans kept); cold: a fresh process's first parse. The last line printed is one JSON
object.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

import palimpsest_pipeline
from palimpsest_pipeline.books.sportybet.odds import parse_odds

CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
CAPTURE = CAPTURED / "sportybet" / "event_sr68995116_prematch.json"
AT = datetime(2026, 5, 6, 10, 0, tzinfo=UTC)


def walk(payload: dict[str, Any]) -> tuple[int, int]:
    """(stays, modules) of one parse of ``payload``."""
    root = str(Path(palimpsest_pipeline.__file__).parent)
    seen: set[CodeType] = set()
    modules: list[str] = []

    def first_calls(frame: FrameType, event: str, _arg: object) -> None:
        code = frame.f_code
        if event == "call" and code.co_filename.startswith(root) and code not in seen:
            seen.add(code)
            modules.append(code.co_filename)

    sys.setprofile(first_calls)
    try:
        parse_odds(payload, sr_id=68995116, captured_at=AT)
    finally:
        sys.setprofile(None)
    stays = sum(1 for index, module in enumerate(modules) if index == 0 or modules[index - 1] != module)
    return stays, len(set(modules))


def main() -> int:
    if not CAPTURE.exists():
        print(f"no capture at {CAPTURE}: ../shared is not beside the checkout", file=sys.stderr)
        return 1
    text = CAPTURE.read_text()
    cold = walk(json.loads(text))
    warm = walk(json.loads(text))
    print(
        json.dumps(
            {"cold_stays": cold[0], "cold_modules": cold[1], "warm_stays": warm[0], "warm_modules": warm[1]}
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
