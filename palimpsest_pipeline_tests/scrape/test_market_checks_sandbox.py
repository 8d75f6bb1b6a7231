"""The single-book checks on the sandbox's world, captured over real sockets: its prices come from one fair
model (docs/sandbox.md), multigoal ranges and goal combinations included (priced from the model's score), so
no market may be found impossible, with every check on (the multigoal range check is on by default). An
independent check of the ranges from the captured prices confirms none is genuinely impossible.
"""

from __future__ import annotations

from collections import Counter

import pytest

from palimpsest_pipeline.markets.checks.bounds import SuspectBounds
from palimpsest_pipeline.markets.checks.event import check_markets
from palimpsest_pipeline.markets.uof import uof_markets
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_pipeline_tests.scrape.test_odds_sandbox import capture, world_targets
from palimpsest_sandbox import SandboxHandle

pytestmark = pytest.mark.slow

#: The sandbox's MSport and Betway details (markets/msport.py, markets/betway.py) list no multigoals.
BOOKS_WITHOUT_MULTIGOALS = frozenset({Book.MSPORT, Book.BETWAY})
#: SportyBet lists a top match with player props at about 4,000 open outcomes (docs/architecture.md).
DEEPEST_SPORTYBET_MATCH = 3000
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


def test_the_sandbox_world_has_no_suspect_market(deep_sandbox: SandboxHandle) -> None:
    sandbox = deep_sandbox  # every event of it is captured and checked, the deepest player-prop matches too
    assert SuspectBounds().check_ranges  # the default checks the ranges
    result = capture(sandbox, world_targets(sandbox))
    checked: Counter[Book] = Counter()
    deepest: Counter[Book] = Counter()
    ranges: Counter[Book] = Counter()
    for r in result.all_results():
        if r.status != "ok" or r.odds is None:
            continue
        checked[r.book] += r.odds.mapped_outcomes
        deepest[r.book] = max(deepest[r.book], r.odds.mapped_outcomes)
        assert r.odds.suspects == () and r.odds.suspect_outcomes == 0, (r.book, r.sr_id, r.odds.suspects)
        rows = r.rows()
        assert check_markets(rows, SuspectBounds(check_ranges=True)).suspects == (), (r.book, r.sr_id)
        by_line: dict[tuple[int, str], dict[int, float]] = {}
        for row in rows:
            if row.market in MULTIGOALS and row.state == "open" and row.price is not None:
                by_line.setdefault((row.market, row.specifier), {})[row.outcome] = row.price
        for (market, _specifier), prices in by_line.items():
            assert not _impossible_range(prices, MULTIGOALS[market]), (r.book, r.sr_id, market, prices)
            ranges[r.book] += len(prices)
    assert set(checked) == set(NIGERIA_BOOKS) and all(checked.values()), checked
    # the small world still holds a top match at full depth: the deepest markets were checked too
    assert deepest[Book.SPORTYBET] > DEEPEST_SPORTYBET_MATCH, deepest
    # every book listing multigoals was range-checked: the check is not vacuous
    assert set(ranges) == set(NIGERIA_BOOKS) - BOOKS_WITHOUT_MULTIGOALS, ranges
