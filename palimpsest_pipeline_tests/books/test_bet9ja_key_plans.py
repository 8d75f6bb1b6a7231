"""The keying engine remembers Bet9ja's plan of each market (books/bet9ja/keys.py) by its shape, which holds
the market's catalogue entry (markets/grammar/bet9ja.py): payloads with the same keys but another catalogue
must not share a plan. Expectations read off the payloads by hand: UOF market 18 (total goals), 12 over,
13 under."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from palimpsest_pipeline.books.bet9ja.odds import parse_odds
from palimpsest_pipeline.books.odds_parse import EventOdds

AT = datetime(2026, 5, 6, 12, 0, tzinfo=UTC)


def _parse(name: str, labels: tuple[Any, Any] = ("Over", "Under")) -> EventOdds:
    catalogue = [{"ID": "S_OU", "DS": name, "SGNK": ["O", "U"], "SGN": list(labels)}]
    payload = {"D": {"O": {"S_OU@2.5_O": "1.9", "S_OU@2.5_U": "1.8"}, "MK": catalogue}}
    return parse_odds(payload, sr_id=7, captured_at=AT)


def _keys(parsed: EventOdds) -> set[tuple[int, str, int, float | None]]:
    return {(row.market, row.specifier, row.outcome, row.price) for row in parsed.rows}


def test_a_name_that_disagrees_with_the_line_is_not_keyed_by_the_plan_of_one_that_agrees() -> None:
    keyed = {(18, "total=2.5", 12, 1.9), (18, "total=2.5", 13, 1.8)}
    assert _keys(_parse("Over/Under")) == keyed
    conflict = _parse("Over/Under 3.5")  # the same keys, the name says another line: both set aside
    assert conflict.rows == [] and conflict.open_outcomes == 0
    assert len(conflict.malformed) == 2 and all("'Over/Under 3.5'" in reason for reason in conflict.malformed)
    assert conflict.unmapped == {"malformed:S_OU": 2}
    again = _parse("Over/Under")  # and the agreeing name keys them again
    assert _keys(again) == keyed and again.mapped_outcomes == 2 and not again.malformed


def test_labels_swapped_on_the_same_keys_swap_the_outcomes() -> None:
    assert _keys(_parse("Over/Under")) == {(18, "total=2.5", 12, 1.9), (18, "total=2.5", 13, 1.8)}
    # "O" now labelled Under: the grammar reads the label, so its price is the under's
    assert _keys(_parse("Over/Under", ("Under", "Over"))) == {
        (18, "total=2.5", 12, 1.8),
        (18, "total=2.5", 13, 1.9),
    }


def test_a_bad_price_costs_its_outcome_whatever_its_key_plan() -> None:
    _parse("Over/Under")  # the keys' plans are remembered
    catalogue = [{"ID": "S_OU", "DS": "Over/Under", "SGNK": ["O", "U"], "SGN": ["Over", "Under"]}]
    payload = {"D": {"O": {"S_OU@2.5_O": "NaN", "S_OU@2.5_U": "1.8"}, "MK": catalogue}}
    parsed = parse_odds(payload, sr_id=7, captured_at=AT)
    assert _keys(parsed) == {(18, "total=2.5", 13, 1.8)}
    (reason,) = parsed.malformed
    assert "S_OU@2.5_O" in reason and "not a number" in reason


def _grammar_only(labels: list[Any]) -> EventOdds:
    """A market no table row knows (``S_ZZOU``): only the grammar, reading its catalogue entry, keys it."""
    catalogue = [{"ID": "S_ZZOU", "DS": "Over/Under", "SGNK": ["O", "U"], "SGN": labels}]
    payload = {"D": {"O": {"S_ZZOU@2.5_O": "1.9", "S_ZZOU@2.5_U": "1.8"}, "MK": catalogue}}
    return parse_odds(payload, sr_id=7, captured_at=AT)


def test_a_catalogue_entry_equal_in_value_but_not_in_type_is_read_afresh() -> None:
    assert _keys(_grammar_only(["Over", "Under"])) == {(18, "total=2.5", 12, 1.9), (18, "total=2.5", 13, 1.8)}
    assert not _grammar_only(["Over", 1]).malformed  # a whole number is a label ("1"), read as text
    # True and 1.0 equal 1 in Python: the entry's remembered reading must not stand for them
    for label, kind in ((True, "bool"), (1.0, "float"), (["Under"], "list")):
        refused = _grammar_only(["Over", label])
        assert refused.rows == [] and refused.unmapped == {"malformed:S_ZZOU": 2}, label
        assert all(f"D.MK[0] (S_ZZOU).SGN[1] is {kind}, not text" in r for r in refused.malformed), label
    assert _keys(_grammar_only(["Over", "Under"])) == {(18, "total=2.5", 12, 1.9), (18, "total=2.5", 13, 1.8)}
