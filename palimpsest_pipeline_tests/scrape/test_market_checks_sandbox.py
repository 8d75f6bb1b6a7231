"""The single-book checks on the sandbox's world, captured over real sockets: its prices come from one fair
model (docs/sandbox.md), so no market may be found impossible.

The multigoal range check (off by default) would flag the sandbox's multigoals, which it prices with noise,
not from the model (sandbox/markets/betpawa.py): a narrow range is often priced shorter than a wider range
holding it ("1-2" at 1.83 beside "1-3" at 2.11), which is genuinely impossible; each such flag is checked here
from the captured prices.
"""

from __future__ import annotations

from collections import Counter

import pytest

from palimpsest_pipeline.markets.uof import uof_markets
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.sandbox import SandboxHandle
from palimpsest_pipeline.transforms.market_checks import REASON_LADDER, SuspectBounds, check_markets
from palimpsest_pipeline_tests.scrape.test_odds_sandbox import capture, world_targets

pytestmark = pytest.mark.slow

MULTIGOALS = {m.market_id: m.outcomes for m in uof_markets() if "multigoals" in m.name.lower() and m.outcomes}


def _span(name: str) -> tuple[int, int] | None:
    low, dash, high = name.partition("-")
    return (int(low), int(high)) if dash and low.isdigit() and high.isdigit() else None


def _impossible_range(prices: dict[int, float], names: dict[int, str]) -> bool:
    """A range priced more than 5 % more likely than a wider range holding it."""
    spans = {o: span for o, name in names.items() if o in prices and (span := _span(name)) is not None}
    return any(
        a != b
        and spans[b][0] <= spans[a][0]
        and spans[a][1] <= spans[b][1]
        and 1 / prices[a] > 1.05 / prices[b]
        for a in spans
        for b in spans
    )


def test_the_sandbox_world_has_no_suspect_market(sandbox: SandboxHandle) -> None:
    result = capture(sandbox, world_targets(sandbox))
    checked: Counter[Book] = Counter()
    flagged: Counter[tuple[Book, int]] = Counter()
    for r in result.all_results():
        if r.status != "ok" or r.odds is None:
            continue
        checked[r.book] += r.odds.mapped_outcomes
        assert r.odds.suspects == () and r.odds.suspect_outcomes == 0, (r.book, r.sr_id, r.odds.suspects)
        rows = r.rows()
        for suspect in check_markets(rows, SuspectBounds(check_ranges=True)).suspects:
            assert suspect.market in MULTIGOALS and suspect.reason == REASON_LADDER, (
                r.book,
                r.sr_id,
                suspect,
            )
            prices = {
                row.outcome: row.price
                for row in rows
                if (row.market, row.specifier) == (suspect.market, suspect.specifier)
                and row.state == "open"
                and row.price is not None
            }
            assert _impossible_range(prices, MULTIGOALS[suspect.market]), (r.book, r.sr_id, suspect)
            flagged[(r.book, suspect.market)] += 1
    assert set(checked) == set(Book) and all(checked.values()), checked
    assert flagged, "the sandbox's noise multigoals are expected to break a range somewhere"
