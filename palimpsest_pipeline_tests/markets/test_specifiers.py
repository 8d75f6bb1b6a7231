from __future__ import annotations

import pytest

from palimpsest_pipeline.markets.specifiers import (
    SpecifierError,
    format_line,
    normalise_number,
    normalise_specifier,
    score_handicap_to_home_line,
)
from palimpsest_pipeline.markets.vocabulary import SCORE_HANDICAP_MARKETS
from palimpsest_sandbox.markets.labels import book_spec


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.50", "2.5"),
        ("2.5", "2.5"),
        ("-0.0", "0"),
        ("+1", "1"),
        ("-0.75", "-0.75"),
        ("3.0", "3"),
        ("0.25", "0.25"),
    ],
)
def test_numbers_take_their_shortest_form(text: str, expected: str) -> None:
    assert normalise_number(text) == expected


def test_keys_are_sorted_and_numbers_shortened() -> None:
    assert normalise_specifier("total=2.50|setnr=1") == "setnr=1|total=2.5"
    assert normalise_specifier("variant=sr:exact_goals:6+") == "variant=sr:exact_goals:6+"
    assert normalise_specifier("") == ""


@pytest.mark.parametrize(("uof", "home_line"), [("0:1", "-1"), ("1:0", "1"), ("0:2", "-2"), ("2:0", "2")])
def test_three_way_handicap_becomes_the_home_line_and_back(uof: str, home_line: str) -> None:
    assert score_handicap_to_home_line(uof) == home_line
    assert normalise_specifier(f"hcp={uof}", score_handicap=True) == f"hcp={home_line}"
    assert (
        book_spec(min(SCORE_HANDICAP_MARKETS), f"hcp={home_line}") == f"hcp={uof}"
    )  # the sandbox's way back


@pytest.mark.parametrize("bad", ["total", "total=abc", "=2", "hcp=1:x"])
def test_bad_specifiers_are_named(bad: str) -> None:
    with pytest.raises(SpecifierError, match=r"specifier|line|handicap|number"):
        normalise_specifier(bad, score_handicap=True)


def test_non_finite_line_is_rejected() -> None:
    with pytest.raises(SpecifierError, match="finite"):
        format_line(float("nan"))
