"""The parsers' fast paths for what JSON decodes to (``dict``, ``str``, ``int``) answer as the general checks
do for every other value: an object that is a ``Mapping`` but no dict reads the same, an id of a ``str`` or
``int`` subclass is judged the same."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import UTC, datetime
from operator import itemgetter
from types import MappingProxyType
from typing import Any

import pytest

from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.odds_values import id_problem, usual_outcomes
from palimpsest_pipeline.markets.free_text import MAX_NAME_LENGTH
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT, list_at, mapping_at
from palimpsest_pipeline.records import MAX_ID_CHARS, Book
from palimpsest_pipeline_tests.markets.test_render import SR_ID, _wrap
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS
from palimpsest_sandbox.markets import render_markets


class _Text(str):
    pass


class _Number(enum.IntEnum):
    SEVEN = 7


TOO_LONG = "x" * (MAX_ID_CHARS + 1)
TOO_LONG_REASON = f"id is {MAX_ID_CHARS + 1} characters (limit {MAX_ID_CHARS}): {'x' * 40!r}..."


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("sr:match:1", None),
        ("x" * MAX_ID_CHARS, None),
        (TOO_LONG, TOO_LONG_REASON),
        (_Text(TOO_LONG), TOO_LONG_REASON),
        (_Text("1"), None),
        (7, None),
        (_Number.SEVEN, None),
        (None, None),
        (True, "id is bool, not text"),
        (1.5, "id is float, not text"),
        ({"id": 1}, "id is dict, not text"),
        ([1], "id is list, not text"),
    ],
)
def test_id_problem_judges_every_kind_of_value(value: Any, reason: str | None) -> None:
    assert id_problem(value) == reason


#: (id, name, price, flag) of an outcome, as SportyBet's parser reads them
_USUAL = itemgetter("id", "desc", "odds", "isActive")


def _outcome(ref: Any = "1", name: Any = "Home", odds: Any = "2.50", flag: Any = 1) -> dict[str, Any]:
    return {"id": ref, "desc": name, "odds": odds, "isActive": flag}


def test_the_usual_outcomes_are_read_as_columns_a_price_of_one_or_less_none() -> None:
    read = usual_outcomes([_outcome("1", odds="1.50"), _outcome("2", "Away", "1.00", 0)], _USUAL)
    assert read == (("1", "2"), ("Home", "Away"), (1.5, None), (True, False))
    assert usual_outcomes([], _USUAL) == ((), (), (), ())


@pytest.mark.parametrize(
    "other",
    [
        _outcome(odds="nan"),
        _outcome(odds="inf"),
        _outcome(odds="abc"),
        _outcome(odds=2.5),
        _outcome(flag=2),
        _outcome(flag=True),
        _outcome(ref=""),
        _outcome(ref=TOO_LONG),
        _outcome(ref=_Text("1")),
        _outcome(ref=7),
        _outcome(name=None),
        _outcome(name="n" * (MAX_NAME_LENGTH + 1)),
        {"id": "1", "desc": "Home", "odds": "2.5"},
        "not an object",
        None,
    ],
)
def test_any_other_outcome_leaves_its_market_to_the_reading_outcome_by_outcome(other: Any) -> None:
    assert usual_outcomes([_outcome("1"), other], _USUAL) is None
    assert usual_outcomes([other, _outcome("1")], _USUAL) is None


def _frozen(value: Any) -> Any:
    """``value`` with every JSON object a read-only ``Mapping`` that is not a dict."""
    if isinstance(value, dict):
        return MappingProxyType({key: _frozen(item) for key, item in value.items()})
    if isinstance(value, list):
        return [_frozen(item) for item in value]
    return value


def test_json_object_is_any_mapping_and_nothing_else() -> None:
    proxy = MappingProxyType({"a": {"b": [1]}})
    assert isinstance(proxy, JSON_OBJECT) and isinstance({}, JSON_OBJECT)
    assert not any(isinstance(value, JSON_OBJECT) for value in ([], "a", 1, None, ("a", 1)))
    assert mapping_at(proxy, "a") == {"b": [1]} and list_at(proxy["a"], "b") == [1]
    assert mapping_at({"a": [1]}, "a") == {} and list_at(["b"], "b") == []


@pytest.mark.parametrize("book", list(NIGERIA_BOOKS))
def test_a_payload_of_mappings_that_are_no_dicts_parses_as_the_dicts_do(book: Book) -> None:
    rendered = render_markets(book, match_seed=77, version=7, sport="football", depth=1.0, sr_id=SR_ID)
    payload = _wrap(book, rendered, "football")
    at = datetime(2026, 11, 26, 9, tzinfo=UTC)
    as_dicts = KITS[book].parse_odds(payload, sr_id=SR_ID, captured_at=at)
    as_mappings = KITS[book].parse_odds(_frozen(payload), sr_id=SR_ID, captured_at=at)
    assert isinstance(_frozen(payload), Mapping) and not isinstance(_frozen(payload), dict)
    assert len(as_dicts.rows) > 50 and as_dicts.mapped_outcomes > 50
    assert as_mappings.rows == as_dicts.rows
    assert (as_mappings.open_outcomes, as_mappings.unmapped, as_mappings.malformed) == (
        as_dicts.open_outcomes,
        as_dicts.unmapped,
        as_dicts.malformed,
    )
