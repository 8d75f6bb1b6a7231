"""The single-book checks' plans (``markets.checks``): what a line's structure decides is planned
once per shape (market, specifier, priced outcomes in order) and reused, so a shape must carry everything
a plan depends on. Each expectation is computed by hand from margin-free prices (implied = fair)."""

from __future__ import annotations

from datetime import UTC, datetime

from palimpsest_pipeline.markets.checks.event import check_markets
from palimpsest_pipeline.markets.checks.plans import PLANS
from palimpsest_pipeline.markets.checks.verdicts import REASON_LADDER, REASON_OVERROUND
from palimpsest_pipeline.records import Book, OddsRow

AT = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
OVER, UNDER = 12, 13


def _row(market: int, specifier: str, outcome: int, price: float) -> OddsRow:
    return OddsRow(1, Book.BETPAWA, market, specifier, outcome, price, "open", AT)


def _verdict(rows: list[OddsRow]) -> dict[tuple[int, str], str]:
    return {(s.market, s.specifier): s.reason for s in check_markets(rows).suspects}


def test_one_shape_priced_two_ways_gets_each_its_own_verdict() -> None:
    """1X2 at 2/4/4 sums to 1.0 (inside [0.98, 1.30]); at 1.2/2/2 to 1/1.2 + 1/2 + 1/2 = 1.83 (outside)."""
    fair = [_row(1, "", 1, 2.0), _row(1, "", 2, 4.0), _row(1, "", 3, 4.0)]
    greedy = [_row(1, "", 1, 1.2), _row(1, "", 2, 2.0), _row(1, "", 3, 2.0)]
    for first, second in ((fair, greedy), (greedy, fair)):
        assert _verdict(first) == ({} if first is fair else {(1, ""): REASON_OVERROUND})
        assert _verdict(second) == ({} if second is fair else {(1, ""): REASON_OVERROUND})


def test_a_shape_differing_in_one_outcome_has_a_plan_of_its_own() -> None:
    """Over/under at 1.2/1.2 sums to 1.67, over the 1.30 a two-way market may have; with its under keyed as
    another outcome the line is no complete market and has no overround to judge."""
    complete = [_row(18, "total=2.5", OVER, 1.2), _row(18, "total=2.5", UNDER, 1.2)]
    other = [_row(18, "total=2.5", OVER, 1.2), _row(18, "total=2.5", 99, 1.2)]
    assert _verdict(complete) == {(18, "total=2.5"): REASON_OVERROUND}
    assert _verdict(other) == {}
    assert _verdict(complete) == {(18, "total=2.5"): REASON_OVERROUND}
    assert len({shape for shape in PLANS if shape[:2] == (18, "total=2.5")}) >= 2


def _ladder(low_over: float, high_over: float, order: tuple[int, int] = (OVER, UNDER)) -> list[OddsRow]:
    """Over/under 2.5 and 3.5 with the given fair over probabilities, priced margin-free in ``order``."""
    rows = []
    for specifier, p in (("total=2.5", low_over), ("total=3.5", high_over)):
        prices = {OVER: 1.0 / p, UNDER: 1.0 / (1.0 - p)}
        rows += [_row(18, specifier, outcome, prices[outcome]) for outcome in order]
    return rows


def test_a_shape_differing_in_its_line_or_outcome_order_has_a_plan_of_its_own() -> None:
    """Over 3.5 may not be more likely than over 2.5 (by more than 0.04): 0.5 then 0.3 is a true ladder;
    0.3 then 0.5 breaks it (both lines suspect), whichever order the outcomes come in."""
    broken = {(18, "total=2.5"): REASON_LADDER, (18, "total=3.5"): REASON_LADDER}
    for order in ((OVER, UNDER), (UNDER, OVER)):
        assert _verdict(_ladder(0.5, 0.3, order)) == {}
        assert _verdict(_ladder(0.3, 0.5, order)) == broken
        assert _verdict(_ladder(0.5, 0.3, order)) == {}


def test_a_line_out_of_its_markets_range_is_judged_by_its_own_line() -> None:
    """Basketball totals incl. overtime (225) lie in [60, 330]: 150.5 passes, 1505 fails (units), and with a
    line out of range every lined market of the event is suspect."""
    assert _verdict([_row(225, "total=150.5", OVER, 2.0), _row(225, "total=150.5", UNDER, 2.0)]) == {}
    assert _verdict([_row(225, "total=1505", OVER, 2.0), _row(225, "total=1505", UNDER, 2.0)]) == {
        (225, "total=1505"): "units"
    }


def test_plans_stay_bounded() -> None:
    """A stream of shapes never seen again (a hostile payload's) cannot grow the plans without bound."""
    rows = [_row(1, f"variant={n}", 1, 2.0) for n in range(70_000)]
    check_markets(rows)
    assert 0 < len(PLANS) <= 65_536


def test_a_misread_line_makes_every_lined_market_suspect_whether_rows_come_as_a_list_or_once() -> None:
    """A basketball total of 1505 lies outside any market of its kind: every lined market of the event is
    then suspect, each with its open rows counted (an outcome priced twice counts twice: 2 + 2 + 3); a line
    without a line key (1X2) is not."""
    rows = [
        _row(225, "total=1505", OVER, 2.0),
        _row(225, "total=1505", UNDER, 2.0),
        _row(226, "total=150.5", OVER, 2.0),
        _row(226, "total=150.5", UNDER, 2.0),
        _row(999, "hcp=1.5", 1, 2.0),
        _row(999, "hcp=1.5", 2, 2.0),
        _row(999, "hcp=1.5", 2, 2.1),
        _row(1, "", 1, 2.0),
        _row(1, "", 2, 4.0),
        _row(1, "", 3, 4.0),
    ]
    expected = {(225, "total=1505"): "units", (226, "total=150.5"): "units", (999, "hcp=1.5"): "units"}
    for given in (rows, iter(rows)):
        verdict = check_markets(given)
        assert {(s.market, s.specifier): s.reason for s in verdict.suspects} == expected
        assert verdict.suspect_outcomes == 7
