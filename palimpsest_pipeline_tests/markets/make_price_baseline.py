"""Write the price baseline of the real captures: every (file, canonical key) -> price the parsers give.

Run it with the code whose prices are the reference on PYTHONPATH (for instance a checkout of the commit
before a mapping change), from the project root:

    PYTHONPATH=/path/to/reference/checkout \
        .venv/bin/python palimpsest_pipeline_tests/markets/make_price_baseline.py

``test_price_baseline.py`` then checks that every price mapped by the reference is still mapped, on the same
key, to exactly the same price. Keys and prices only: nothing of ../shared is copied.
"""

from __future__ import annotations

import gzip
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from palimpsest_pipeline.books.bet9ja import odds as bet9ja
from palimpsest_pipeline.books.betpawa import odds as betpawa
from palimpsest_pipeline.books.sportybet import odds as sportybet
from palimpsest_pipeline_tests.contract.parse_golden import sr_id_of

CAPTURED = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "captured"
OUT = Path(__file__).resolve().parent / "data" / "price_baseline.json.gz"
PARSERS = {"bet9ja": bet9ja, "betpawa": betpawa, "sportybet": sportybet}


def baseline(captured: Path) -> dict[str, list[list[object]]]:
    at = datetime(2026, 5, 1, tzinfo=UTC)
    out: dict[str, list[list[object]]] = {}
    for path in sorted(captured.glob("*/*.json")):
        if path.name.startswith("market_names"):
            continue
        parse = PARSERS[path.parent.name].parse_odds(
            json.loads(path.read_text()), sr_id=sr_id_of(path.name), captured_at=at
        )
        rows = sorted(
            {(r.market, r.specifier, r.outcome, r.price) for r in parse.rows if r.price is not None}
        )
        out[f"{path.parent.name}/{path.name}"] = [list(row) for row in rows]
    return out


if __name__ == "__main__":
    data = baseline(CAPTURED)
    OUT.write_bytes(gzip.compress(json.dumps(data, separators=(",", ":")).encode(), mtime=0))
    print(f"{OUT}: {sum(len(v) for v in data.values())} prices in {len(data)} files", file=sys.stderr)
