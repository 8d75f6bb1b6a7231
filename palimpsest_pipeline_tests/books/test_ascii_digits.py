"""Lines and scores in other scripts' digits ("1²:0", "٢.5") cost their outcome, never the event: Python's
``isdigit``, ``int`` and ``float`` accept them, so each parser checks for ASCII digits itself."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from palimpsest_pipeline.books.bet9ja.odds import parse_odds
from palimpsest_pipeline.markets.specifiers import SpecifierError, normalise_number

AT = datetime(2026, 5, 6, 12, 0, tzinfo=UTC)


def test_a_superscript_in_a_bet9ja_live_score_costs_only_its_outcome() -> None:
    payload = {
        "D": {
            "O": {
                "LIVES_NEXTGOAL@1\u00b2:0_1": {"v": "2.5"},
                "LIVES_NEXTGOAL@1:0_1": {"v": "2.4"},
                "LIVES_1X2_1": {"v": "1.5"},
            }
        }
    }
    parsed = parse_odds(payload, sr_id=7, captured_at=AT)
    # the next goal after 1:0 is the second (UOF goalnr=2); 1X2 home is outcome 1
    assert {(r.market, r.specifier, r.outcome, r.price) for r in parsed.rows} == {
        (8, "goalnr=2", 6, 2.4),
        (1, "", 1, 1.5),
    }
    assert len(parsed.malformed) == 1 and "1\u00b2:0" in parsed.malformed[0]


def test_an_arabic_indic_digit_in_a_bet9ja_line_costs_only_its_outcome() -> None:
    payload = {"D": {"O": {"S_OU@\u0662.5_O": "1.9", "S_OU@2.5_O": "1.8", "S_1X2_1": "1.5"}}}
    parsed = parse_odds(payload, sr_id=7, captured_at=AT)
    assert {(r.market, r.specifier, r.outcome, r.price) for r in parsed.rows} == {
        (18, "total=2.5", 12, 1.8),
        (1, "", 1, 1.5),
    }
    assert parsed.unmapped == {"malformed:S_OU": 1}


@pytest.mark.parametrize("text", ["\u0662.5", "2\u00b2", "1_0", "nan", "\uff12.5", " 2.5"])
def test_lines_are_ascii_numbers(text: str) -> None:
    with pytest.raises(SpecifierError, match="ASCII digits"):
        normalise_number(text)


@pytest.mark.parametrize(("text", "line"), [("2.50", "2.5"), ("+0.5", "0.5"), ("-0.0", "0"), (".5", "0.5")])
def test_ascii_lines_read_as_before(text: str, line: str) -> None:
    assert normalise_number(text) == line
