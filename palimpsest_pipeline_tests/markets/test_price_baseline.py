"""Every price the mapping gave before stays exactly the same after it grows.

The baseline (data/price_baseline.json.gz, written by make_price_baseline.py from the code before the
UOF-combination keys) holds every (canonical key, price) the parsers produced on the real captures in
../shared. A mapping change may add keys; it may not move, drop or re-price one of these. One exception:
a price under a SportyBet-native key (a family outside UOF, which the other books' tables also used) may
move to the key the market grammar reads for it (UOF or canonical, shared with the other books), or, on
SportyBet, go where it restates a listed UOF market; on the other books it is still priced, under some key.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from palimpsest_pipeline.books.bet9ja import odds as bet9ja
from palimpsest_pipeline.books.betpawa import odds as betpawa
from palimpsest_pipeline.books.sportybet import odds as sportybet
from palimpsest_pipeline.markets.uof import FIRST_NATIVE_ID
from palimpsest_pipeline_tests.contract.parse_golden import sr_id_of
from palimpsest_pipeline_tests.markets.conftest import CAPTURED_AT, load_capture

BASELINE: dict[str, list[list[Any]]] = json.loads(
    gzip.decompress((Path(__file__).parent / "data" / "price_baseline.json.gz").read_bytes())
)
PARSERS = {"bet9ja": bet9ja, "betpawa": betpawa, "sportybet": sportybet}


@pytest.mark.parametrize("relative", sorted(BASELINE))
def test_every_baseline_price_is_still_mapped_to_the_same_key(relative: str) -> None:
    parse = PARSERS[relative.split("/")[0]].parse_odds(
        load_capture(relative), sr_id=sr_id_of(relative), captured_at=CAPTURED_AT
    )
    now = {(r.market, r.specifier, r.outcome): r.price for r in parse.rows if r.price is not None}
    changed = [
        (market, spec, outcome, price, now.get((market, spec, outcome)))
        for market, spec, outcome, price in BASELINE[relative]
        if now.get((market, spec, outcome)) != price and not _native(relative, market)
    ]
    assert not changed, f"{relative}: {len(changed)} baseline prices moved or vanished, e.g. {changed[:5]}"
    kept = [row for row in BASELINE[relative] if not _native(relative, row[0])]
    assert len(now) >= len(kept)
    if not relative.startswith("sportybet/"):
        moved = [row for row in BASELINE[relative] if _native(relative, row[0]) and row[3] is not None]
        prices = sorted(p for key, p in now.items() if not _native(relative, key[0]))
        assert all(row[3] in prices for row in moved), f"{relative}: a SportyBet-family price vanished"


def _native(_relative: str, market: int) -> bool:
    return FIRST_NATIVE_ID <= market < 2_000_000
