"""The share of each real capture's open outcomes the market grammar keys ALONE (no reviewed table), the
share it keys under UOF, and the parse time per open outcome: what unseen markets depend on, where no
table row names them.

    PYTHONPATH=. python palimpsest_pipeline_tests/benchmarks/bench_grammar_keys.py [CAPTURED_DIR]

Open outcomes are walked from the raw JSON as bench_market_keys.py does (not by the parsers): BetPawa price
not ``suspended``, odds > 1; Bet9ja odds value > 1. SportyBet is left out: its UOF ids are keys already.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from palimpsest_pipeline.books.bet9ja import odds as bet9ja_parser
from palimpsest_pipeline.books.betpawa import odds as betpawa_parser
from palimpsest_pipeline.markets.grammar import bet9ja, betpawa
from palimpsest_pipeline_tests.benchmarks.bench_market_keys import _price, open_outcomes

DESCRIBED = 2_000_003
_SPORTS = {"2": "football", "3": "basketball", "452": "tennis"}


def grammar_keys(book: str, payload: Any) -> list[Any]:
    """The grammar's key (or refusal) of every open outcome of one response."""
    if book == "bet9ja":
        odds = (payload.get("D") or payload)["O"]
        keys = bet9ja.read_odds(payload)
        return [keys.get(k) for k, v in odds.items() if _price(v.get("v") if isinstance(v, dict) else v)]
    sport = _SPORTS.get(str(payload.get("category", {}).get("id")), "football")
    found = []
    for market in payload.get("markets", []):
        keys = betpawa.read_market(market, sport).keys
        for r, row in enumerate(market.get("row", [])):
            for p, price in enumerate(row.get("prices", [])):
                if not price.get("suspended") and _price(price.get("odds", price.get("price"))):
                    found.append(keys.get((r, p)))
    return found


def _parse_seconds(book: str, payload: Any, sr_id: int, rounds: int = 20) -> float:
    parser = bet9ja_parser if book == "bet9ja" else betpawa_parser
    at = datetime(2026, 11, 25, tzinfo=UTC)
    parser.parse_odds(
        payload, sr_id=sr_id, captured_at=at
    )  # warm the readings' caches, as a running capture is
    start = time.perf_counter()
    for _ in range(rounds):
        parser.parse_odds(payload, sr_id=sr_id, captured_at=at)
    return (time.perf_counter() - start) / rounds


def main(argv: list[str]) -> int:
    root = (
        Path(argv[0])
        if argv
        else Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
    )
    print(f"{'book':8} {'file':45} {'open':>5} {'grammar':>7} {'uof':>6} {'us/open':>8}")
    for book in ("bet9ja", "betpawa"):
        for path in sorted((root / book).glob("*.json")):
            payload = json.loads(path.read_text(encoding="utf-8"))
            if book == "bet9ja" and "O" not in (payload.get("D") or payload):
                continue
            walked = open_outcomes(book, payload)
            if not walked:
                continue
            keys = grammar_keys(book, payload)
            keyed = [k for k in keys if isinstance(k, tuple)]
            uof = [k for k in keyed if k[0] < 60_000]
            micros = (
                _parse_seconds(book, payload, int(path.name.split("_sr")[1].split("_")[0])) / walked * 1e6
            )
            print(
                f"{book:8} {path.name:45} {walked:5d} {len(keyed) / walked:7.3f} {len(uof) / walked:6.3f} "
                f"{micros:8.2f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
