"""Market families and the per-family shares `palimpsest parse` reports, on hand-made rows."""

from __future__ import annotations

from datetime import UTC, datetime

from palimpsest_pipeline.markets.combinations import ALL_OF, YES
from palimpsest_pipeline.markets.families import family_shares, market_family
from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.records import Book, OddsRow

AT = datetime(2026, 5, 6, 11, tzinfo=UTC)


def _row(market: int, spec: str, outcome: int, state: str = "open") -> OddsRow:
    return OddsRow(1, Book.SPORTYBET, market, spec, outcome, 2.0, state, AT)  # type: ignore[arg-type]


def test_each_kind_of_key_has_its_family() -> None:
    assert market_family(1, "") == "score 1x2"  # UOF 1: 1x2
    assert market_family(166, "total=9.5") == "corners total"  # UOF 166: total corners
    assert market_family(DESCRIBED, "market=corners.match.home.total|total=4.5") == "corners total"
    assert market_family(ALL_OF, "legs=1/1,18/12/total=2.5") == "combination"
    assert market_family(60100, "") == "native"


def test_shares_per_family_count_open_outcomes_by_key_kind() -> None:
    rows = [
        _row(166, "total=9.5", 12),
        _row(166, "total=9.5", 13),
        _row(DESCRIBED, "market=corners.match.home.total|total=4.5", 12),
        _row(DESCRIBED, "market=corners.match.home.total|total=4.5", 13, state="suspended"),  # not open
        _row(1, "", 1),
        _row(ALL_OF, "legs=1/1,18/12/total=2.5", YES),
    ]
    assert family_shares(rows) == {
        # 3 open corner totals: 2 under UOF 166, 1 under the canonical key
        "corners total": {"outcomes": 3, "uof": 0.6667, "canonical": 0.3333, "composed": 0.0, "native": 0.0},
        "combination": {"outcomes": 1, "uof": 0.0, "canonical": 0.0, "composed": 1.0, "native": 0.0},
        "score 1x2": {"outcomes": 1, "uof": 1.0, "canonical": 0.0, "composed": 0.0, "native": 0.0},
    }
