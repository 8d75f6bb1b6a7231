"""Single-book market checks (``markets.checks``) on hand-made markets whose probabilities are
written out here, and on the real captures in ../shared (no false alarm).

Prices are margin-free (each market's implied probabilities sum to one), so the fair probabilities are the
implied ones and every expectation is computed by hand from the score table below.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.markets.checks.bounds import SuspectBounds
from palimpsest_pipeline.markets.checks.event import check_markets
from palimpsest_pipeline.markets.checks.fair import fair_by_prices
from palimpsest_pipeline.markets.checks.verdicts import (
    REASON_IDENTITY,
    REASON_LADDER,
    REASON_OVERROUND,
    REASON_UNITS,
)
from palimpsest_pipeline.markets.vocabulary import CS_FT_OTHER, correct_score_ft_id
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.scrape.odds.parsing import parse_body
from palimpsest_pipeline_tests.books.test_hostile_payloads import CAPTURED_DETAILS
from palimpsest_pipeline_tests.contract.parse_golden import sr_id_of
from palimpsest_pipeline_tests.markets.test_family_arithmetic import FLAGGED

AT = datetime(2026, 5, 6, 12, 0, tzinfo=UTC)
SR = 1

#: A match's full-time scores (home, away) -> probability; every other listed score 0.002, "other" the rest.
SCORES = {
    (0, 0): 0.10, (1, 0): 0.09, (2, 0): 0.04, (3, 0): 0.01, (2, 1): 0.04, (3, 1): 0.01,
    (1, 1): 0.14, (2, 2): 0.04, (0, 1): 0.15, (0, 2): 0.10, (1, 2): 0.09, (0, 3): 0.05, (1, 3): 0.04,
    (2, 3): 0.02, (0, 4): 0.02, (1, 4): 0.01,
}  # fmt: skip
REST = 0.002


def _table() -> dict[tuple[int, int], float]:
    table = {(h, a): SCORES.get((h, a), REST) for h in range(5) for a in range(5)}
    return table


TABLE = _table()
OTHER = 1.0 - sum(TABLE.values())
HOME = sum(p for (h, a), p in TABLE.items() if h > a)
DRAW = sum(p for (h, a), p in TABLE.items() if h == a)
AWAY = 1.0 - HOME - DRAW  # "other" is scores past 4 goals a side: counted as away wins here, a bound apart


def _row(market: int, specifier: str, outcome: int, price: float | None, state: str = "open") -> OddsRow:
    return OddsRow(SR, Book.BETPAWA, market, specifier, outcome, price, state, AT)  # type: ignore[arg-type]


def _two_way(market: int, specifier: str, first: int, second: int, p: float) -> list[OddsRow]:
    return [_row(market, specifier, first, 1.0 / p), _row(market, specifier, second, 1.0 / (1.0 - p))]


def _references() -> list[OddsRow]:
    rows = [_row(1, "", 1, 1 / HOME), _row(1, "", 2, 1 / DRAW), _row(1, "", 3, 1 / AWAY)]
    rows += [_row(45, "", correct_score_ft_id(h, a), 1.0 / p) for (h, a), p in TABLE.items()]
    rows.append(_row(45, "", CS_FT_OTHER, 1.0 / OTHER))
    return rows


def _margin_at_least(j: int) -> float:
    return sum(p for (h, a), p in TABLE.items() if h - a >= j)


def _asian_home(line: float) -> float:
    """P(home covers) of a half or whole Asian line, from the table (pushes excluded), by hand."""
    if line != int(line):
        return _margin_at_least(int(-line + 0.5))
    above, at = (
        _margin_at_least(int(-line) + 1),
        _margin_at_least(int(-line)) - _margin_at_least(int(-line) + 1),
    )
    return above / (1.0 - at)


def _suspects(rows: list[OddsRow]) -> dict[tuple[int, str], str]:
    return {(s.market, s.specifier): s.reason for s in check_markets(rows).suspects}


def test_true_lines_pass_and_the_issue_example_fails_on_units() -> None:
    assert pytest.approx(0.20) == HOME
    assert OTHER > 0
    honest = [*_references()]
    for line in (-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.5):
        honest += _two_way(16, f"hcp={line:g}", 1714, 1715, _asian_home(line))
    assert _suspects(honest) == {}
    # The issue's example: the line stored as home hcp=-2 priced 4.54 beside a home win at 1/0.20 = 5.0.
    stored = [r for r in honest if (r.market, r.specifier) != (16, "hcp=-2")]
    stored += [_row(16, "hcp=-2", 1714, 4.54), _row(16, "hcp=-2", 1715, 1.0 / (1.0 - 1 / 4.54))]
    found = check_markets(stored).suspects
    # P(home by 3+) / (1 - P(home by exactly 2)) by hand: (3:0, 4:0, 4:1) 0.014 / (1 - (2:0, 3:1, 4:2) 0.052)
    # = 0.015; the table holds every home win, so the bound is exact (identity); without the correct score it
    # would be a range (units).
    assert [(s.market, s.specifier, s.reason) for s in found] == [(16, "hcp=-2", REASON_IDENTITY)]
    assert "home hcp=-2 fair 0.220" in found[0].detail and "give 0.015" in found[0].detail
    assert "1714@4.54" in found[0].detail


def test_lines_scaled_by_four_fail_every_one() -> None:
    rows = [*_references()]
    lines = (-1.5, -1.0, -0.5, 0.5, 1.0, 1.5)
    for line in lines:
        rows += _two_way(16, f"hcp={4 * line:g}", 1714, 1715, _asian_home(line))
    for total, over in ((0.5, 0.9), (1.5, 1 - 0.10 - 0.09 - 0.15)):  # P(0:0), P(1 goal) from the table
        rows += _two_way(18, f"total={4 * total:g}", 12, 13, over)
    assert _suspects(rows) == {
        **{(16, f"hcp={4 * line:g}"): REASON_UNITS for line in lines},
        (18, "total=2"): REASON_UNITS,
        (18, "total=6"): REASON_UNITS,
    }


def test_lines_misread_on_two_bet_types_make_every_lined_market_of_the_event_suspect() -> None:
    rows = [*_references()]
    for line in (-1.5, -0.5, 0.5):
        rows += _two_way(16, f"hcp={4 * line:g}", 1714, 1715, _asian_home(line))
    rows += _two_way(18, "total=2", 12, 13, 0.9)  # over 0.5 read as 2
    # Lines no reference bounds: total corners (166), home total goals (19), a 1X2 & total combination (37),
    # and a market without a line (both teams to score, 29) that must stay out of it.
    corners = _two_way(166, "total=38", 12, 13, 0.5)
    home_total = _two_way(19, "total=6", 12, 13, 0.45)
    combination = [_row(37, "total=10", outcome, 6.0) for outcome in (794, 796, 798, 800, 802, 804)]
    btts = _two_way(29, "", 74, 76, 0.5)
    found = check_markets(rows + corners + home_total + combination + btts)
    reasons = {(s.market, s.specifier): s.reason for s in found.suspects}
    assert {key: reasons.get(key) for key in ((166, "total=38"), (19, "total=6"), (37, "total=10"))} == {
        (166, "total=38"): REASON_UNITS,
        (19, "total=6"): REASON_UNITS,
        (37, "total=10"): REASON_UNITS,
    }
    assert (29, "") not in reasons
    spread = next(s for s in found.suspects if (s.market, s.specifier) == (166, "total=38"))
    assert "the payload's lines are misread" in spread.detail
    # 3 hcp lines x2 + 1 total x2 + corners 2 + home total 2 + combination 6 outcomes, every one open
    assert found.suspect_outcomes == 6 + 2 + 2 + 2 + 6


def test_one_misread_bet_type_alone_does_not_spread_to_the_event() -> None:
    rows = [*_references()]
    rows += _two_way(18, "total=2", 12, 13, 0.9)  # over 0.5 read as 2: one bet type out of its exact bound
    rows += _two_way(166, "total=9.5", 12, 13, 0.5)
    reasons = {(s.market, s.specifier): s.reason for s in check_markets(rows).suspects}
    assert reasons == {(18, "total=2"): REASON_IDENTITY}


def test_a_line_no_market_of_its_sport_is_offered_at_spreads_without_references() -> None:
    def basketball(total: float, hcp: float) -> list[OddsRow]:
        return _two_way(225, f"total={total:g}", 12, 13, 0.5) + _two_way(223, f"hcp={hcp:g}", 1714, 1715, 0.5)

    assert _suspects(basketball(160.5, -3.5)) == {}
    # Read four times over: 160.5 points -> 642; the handicap (-14) alone is a plausible line.
    assert _suspects(basketball(642, -14)) == {
        (225, "total=642"): REASON_UNITS,
        (223, "hcp=-14"): REASON_UNITS,
    }
    tennis = _two_way(189, "total=86", 12, 13, 0.5) + _two_way(187, "hcp=6", 1714, 1715, 0.5)
    assert _suspects(tennis) == {(189, "total=86"): REASON_UNITS, (187, "hcp=6"): REASON_UNITS}


def test_the_same_bet_under_two_names_priced_apart_is_identity() -> None:
    rows = [*_references()]
    rows += _two_way(16, "hcp=-0.5", 1714, 1715, HOME + 0.15)  # the home win, priced unlike it
    rows += _two_way(11, "", 4, 5, HOME / (HOME + AWAY))  # draw no bet, priced as the 1X2 implies
    rows += _two_way(18, "total=0.5", 12, 13, 0.6)  # "not 0:0" is 0.9
    assert _suspects(rows) == {(16, "hcp=-0.5"): REASON_IDENTITY, (18, "total=0.5"): REASON_IDENTITY}


def test_a_broken_ladder_names_both_lines() -> None:
    rows = _two_way(18, "total=2.5", 12, 13, 0.5) + _two_way(18, "total=3.5", 12, 13, 0.6)
    rows += _two_way(18, "total=1.5", 12, 13, 0.7)
    found = check_markets(rows).suspects
    assert {(s.specifier, s.reason) for s in found} == {
        ("total=2.5", REASON_LADDER),
        ("total=3.5", REASON_LADDER),
    }
    assert all("over 3.5 fair 0.600 more likely than over 2.5 fair 0.500" in s.detail for s in found)
    assert check_markets(rows).suspect_outcomes == 4


def test_a_narrow_range_priced_shorter_than_a_wider_one_is_a_ladder_break() -> None:
    rows = [_row(548, "", 1730, 2.0), _row(548, "", 1731, 2.5), _row(548, "", 1735, 3.0)]  # 1-2, 1-3, 2-3
    assert {(s.market, s.reason) for s in check_markets(rows).suspects} == {(548, REASON_LADDER)}
    assert check_markets([_row(548, "", 1730, 2.5), _row(548, "", 1731, 2.0)]).suspects == ()
    assert check_markets(rows, SuspectBounds(check_ranges=False)).suspects == ()


def test_an_implausible_overround_wins_over_other_reasons_and_suspended_prices_are_not_read() -> None:
    rows = [_row(1, "", 1, 1.2), _row(1, "", 2, 1.2), _row(1, "", 3, 1.2)]  # implied sum 2.5
    rows += [_row(16, "hcp=-0.5", 1714, 1.1), _row(16, "hcp=-0.5", 1715, 1.1)]  # sum 1.82: overround too
    found = {(s.market, s.specifier): s for s in check_markets(rows).suspects}
    assert {key: s.reason for key, s in found.items()} == {
        (1, ""): REASON_OVERROUND,
        (16, "hcp=-0.5"): REASON_OVERROUND,
    }
    assert "implied sum 2.500 over 3 outcomes" in found[(1, "")].detail
    suspended = [r._replace(state="suspended") for r in rows]
    assert check_markets(suspended).suspects == ()


def test_fair_probabilities_of_a_margin_free_market_are_its_implied_ones() -> None:
    assert fair_by_prices((2.0, 4.0, 4.0)) == pytest.approx((0.5, 0.25, 0.25))
    # with a margin, p ** k sums to one: 1/1.9 and 1/1.9 -> 0.5 each by symmetry
    assert fair_by_prices((1.9, 1.9)) == pytest.approx((0.5, 0.5))


@pytest.mark.skipif(not CAPTURED_DETAILS, reason="../shared/fixtures/captured is absent: no real payloads")
@pytest.mark.parametrize(("book", "path"), CAPTURED_DETAILS, ids=[p.name for _, p in CAPTURED_DETAILS])
def test_no_false_alarm_on_the_real_captures(book: Book, path: Path) -> None:
    parsed = parse_body(book, path.read_bytes(), sr_id=sr_id_of(path.name), captured_at=AT, with_fields=False)
    assert isinstance(parsed, EventOdds)
    named = {(m, spec) for file, m, spec, _ in FLAGGED if file == f"{book.value}/{path.name}"}
    assert {(s.market, s.specifier) for s in parsed.suspects} == named  # test_family_arithmetic.FLAGGED
    assert (parsed.suspect_outcomes == 0) == (not named)
