"""Single-book checks that know each family's arithmetic (``markets.checks``): a market's implied
probabilities sum to its layout's number of winners (one for a 1X2, two for double chance and its
combinations) times one plus a margin, within a band; the sums and bands here are worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.markets.checks.bounds import SuspectBounds
from palimpsest_pipeline.markets.checks.event import check_markets
from palimpsest_pipeline.markets.checks.tables import market_layout
from palimpsest_pipeline.markets.checks.verdicts import REASON_IDENTITY, REASON_OVERROUND
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.scrape.odds.parsing import parse_body
from palimpsest_pipeline_tests.contract.parse_golden import CAPTURED, captures, sr_id_of

AT = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
DC_TOTAL = 547
#: UOF 547's outcomes: 1X, 12, X2 & under, then 1X, 12, X2 & over.
DC_TOTAL_OUTCOMES = (1724, 1725, 1726, 1727, 1728, 1729)
#: Kept out of tuning: never read by this module's expectations.
HELD_OUT = "msport/match_detail_sr66457080_wc2026.json"


def _rows(market: int, specifier: str, prices: dict[int, float]) -> list[OddsRow]:
    return [OddsRow(1, Book.BETPAWA, market, specifier, o, p, "open", AT) for o, p in prices.items()]


def _found(rows: list[OddsRow]) -> dict[tuple[int, str], tuple[str, str]]:
    return {(s.market, s.specifier): (s.reason, s.detail) for s in check_markets(rows).suspects}


def test_each_family_knows_how_many_of_its_outcomes_win() -> None:
    # 1X2: one result wins; double chance: each result is in two of 1X, 12, X2; so in each double chance
    # combination (x BTTS, x total); an open outcome set (anytime goalscorer) says nothing.
    assert {m: getattr(market_layout(m), "winners", None) for m in (1, 18, 10, 63, 546, 547, 40)} == {
        1: 1,
        18: 1,
        10: 2,
        63: 2,
        546: 2,
        547: 2,
        40: None,
    }


def test_a_1x2_sums_to_one_and_a_greedy_one_is_named_with_its_band() -> None:
    # 1/2 + 1/3.4 + 1/3.6 = 0.5 + 0.294118 + 0.277778 = 1.071895: inside [0.98, 1.30]
    assert _found(_rows(1, "", {1: 2.0, 2: 3.4, 3: 3.6})) == {}
    # 1/1.5 + 1/2.5 + 1/3 = 0.666667 + 0.4 + 0.333333 = 1.4: past 1 x 1.30
    reason, detail = _found(_rows(1, "", {1: 1.5, 2: 2.5, 3: 3.0}))[(1, "")]
    assert reason == REASON_OVERROUND
    assert "implied sum 1.400 over 3 outcomes where the layout of 1X2 implies 1 (band 0.98-1.30)" in detail


def test_a_band_is_the_bounds_its_market_is_judged_by() -> None:
    # The greedy 1X2 above (1.400) under a ceiling of 0.45 for three outcomes: inside [0.98, 1.45]; the
    # default bounds, asked again after, still find it (a line's band is kept per bounds).
    greedy = _rows(1, "", {1: 1.5, 2: 2.5, 3: 3.0})
    lenient = SuspectBounds(max_margin_by_outcomes=((3, 0.45), (12, 1.0), (1_000_000, 1.5)))
    assert check_markets(greedy, lenient).suspects == ()
    assert (1, "") in _found(greedy)
    assert check_markets(greedy, lenient).suspects == ()


def test_betpawa_one_line_double_chance_and_total_is_flagged() -> None:
    # BetPawa's one-line layout (its 2026-04 prematch capture): 1/1.25 + 1/1.64 + 1/1.64 + 1/1.24 + 1/1.08
    # + 1/2.38 = 0.8 + 0.609756 + 0.609756 + 0.806452 + 0.925926 + 0.420168 = 4.172058. Two outcomes win
    # whatever happens; six outcomes are three per result, so the ceiling is a three-way's 0.30:
    # band [2 x 0.98, 2 x 1.30] = [1.96, 2.60].
    prices = dict(zip(DC_TOTAL_OUTCOMES, (1.25, 1.64, 1.64, 1.24, 1.08, 2.38), strict=True))
    reason, detail = _found(_rows(DC_TOTAL, "total=2.5", prices))[(DC_TOTAL, "total=2.5")]
    assert reason == REASON_OVERROUND
    assert "implied sum 4.172 over 6 outcomes where the layout of Double chance & total implies 2" in detail
    assert "(band 1.96-2.60)" in detail and "1728@1.08" in detail
    assert check_markets(_rows(DC_TOTAL, "total=2.5", prices)).suspect_outcomes == 6


def test_an_honest_double_chance_and_total_passes() -> None:
    # BetPawa's own line of 2.5 on its multi-line layout: 1/2.43 + 1/3.09 + 1/2.63 + 1/3.1 + 1/2.31 + 1/3.72
    # = 0.411523 + 0.323625 + 0.380228 + 0.322581 + 0.432900 + 0.268817 = 2.139674: inside [1.96, 2.60]
    prices = dict(zip(DC_TOTAL_OUTCOMES, (2.43, 3.09, 2.63, 3.1, 2.31, 3.72), strict=True))
    assert _found(_rows(DC_TOTAL, "total=2.5", prices)) == {}


def test_double_chance_sums_to_two_and_a_partial_listing_has_a_ceiling_only() -> None:
    # 3 / 1.3 = 2.307692: inside [1.96, 2.60]; 3 / 1.05 = 2.857143: past 2.60; 3 / 1.6 = 1.875: under 1.96
    assert _found(_rows(10, "", {9: 1.3, 10: 1.3, 11: 1.3})) == {}
    assert _found(_rows(10, "", {9: 1.05, 10: 1.05, 11: 1.05}))[(10, "")][0] == REASON_OVERROUND
    assert _found(_rows(10, "", {9: 1.6, 10: 1.6, 11: 1.6}))[(10, "")][0] == REASON_OVERROUND
    # two of three listed (as Bet9ja lists live): 1/1.2 + 1/1.3 = 1.602564, no floor
    assert _found(_rows(10, "", {10: 1.2, 11: 1.3})) == {}
    # three of six listed at 1.1: 3 / 1.1 = 2.727273, past the whole market's 2.60 ceiling
    listed = dict(zip(DC_TOTAL_OUTCOMES[:3], (1.1, 1.1, 1.1), strict=True))
    reason, detail = _found(_rows(DC_TOTAL, "total=1.5", listed))[(DC_TOTAL, "total=1.5")]
    assert reason == REASON_OVERROUND and "(3 of its 6 listed)" in detail and "(band 0-2.60)" in detail
    # an outcome outside the layout: the line is no market of that family, nothing is judged
    assert _found(_rows(DC_TOTAL, "total=1.5", {**listed, 99: 1.01})) == {}


#: Every market the checks flag on the real captures (the held-out file aside), each named:
#: BetPawa's one-line double chance & total sums to about 4.1 where two is the norm (the issue's anomaly,
#: on both captures carrying that layout); MSport's live full-time double chance puts X2 at 4.8 against a
#: 1X2 and correct score that give it half that (flagged before family sums were checked).
FLAGGED = {
    ("betpawa/v3_event_sr69340218_prematch_2026-04.json", DC_TOTAL, "total=2.5", REASON_OVERROUND),
    ("betpawa/v4_event_sr72339802_ug_2026-09.json", DC_TOTAL, "total=2.5", REASON_OVERROUND),
    ("msport/match_detail_sr71549302_next_goal.json", 10, "", REASON_IDENTITY),
}


@pytest.mark.skipif(not CAPTURED.is_dir(), reason=f"captured responses not found at {CAPTURED}")
def test_every_capture_flags_only_the_named_markets() -> None:
    flagged = set()
    for relative in captures():
        if relative == HELD_OUT or not relative.startswith(tuple(b.value for b in Book)):
            continue
        book = Book(relative.split("/")[0])
        body = (CAPTURED / relative).read_bytes()
        parsed = parse_body(book, body, sr_id=sr_id_of(relative), captured_at=AT, with_fields=False)
        if isinstance(parsed, EventOdds):
            flagged |= {(relative, s.market, s.specifier, s.reason) for s in parsed.suspects}
    assert flagged == FLAGGED
