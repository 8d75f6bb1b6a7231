"""Integrity of the mapping tables: every target exists in the vocabulary and nothing is mapped twice."""

from __future__ import annotations

from palimpsest_pipeline.markets import mapping_betpawa
from palimpsest_pipeline.markets.bet9ja import table as bet9ja_table
from palimpsest_pipeline.markets.sportybet.equivalents import EQUIVALENTS
from palimpsest_pipeline.markets.vocabulary import CORE, VOCABULARY


def test_betpawa_rows_target_known_outcomes_and_type_ids_are_unique() -> None:
    for _sport, table in mapping_betpawa.BY_CATEGORY.values():
        seen: set[str] = set()
        for market in table:
            definition = VOCABULARY[market.market]
            for type_id, _name, outcome in market.prices:
                assert type_id not in seen, f"typeId {type_id} mapped twice"
                seen.add(type_id)
                assert definition.accepts(outcome), (market.type_id, type_id, outcome)


def test_bet9ja_rows_target_known_outcomes_and_keys_are_unique() -> None:
    for _sport, table in bet9ja_table.BY_PREFIX.values():
        keys = [market.key for market in table]
        assert len(keys) == len(set(keys))
        for market in table:
            for _okey, cmarket, outcome in market.outcomes:
                assert VOCABULARY[cmarket].accepts(outcome), (market.key, cmarket, outcome)


def test_sportybet_equivalents_target_known_outcomes() -> None:
    for cmarket, outcomes in EQUIVALENTS.values():
        assert all(VOCABULARY[cmarket].accepts(o) for o in outcomes.values())


def test_double_chance_order_trap_is_mapped_by_meaning() -> None:
    betpawa_dc = {
        name: outcome for m in mapping_betpawa.FOOTBALL if m.market == 10 for _t, name, outcome in m.prices
    }
    bet9ja_dc = {okey: o for m in bet9ja_table.FOOTBALL if m.key == "DC" for okey, _c, o in m.outcomes}
    expected = {"1X": 9, "12": 10, "X2": 11}
    assert betpawa_dc == expected
    assert bet9ja_dc == expected


def test_core_markets_are_flagged() -> None:
    assert CORE[1].main and CORE[1].complete
    assert CORE[10].main and not CORE[10].complete  # double-chance outcomes overlap
    assert CORE[18].specifier_keys == ("total",)
