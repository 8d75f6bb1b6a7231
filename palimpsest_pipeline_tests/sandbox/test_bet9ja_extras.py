"""The sandbox states which of Bet9ja's extra families the real parser keys under a modelled market (it does
not call the parser it exists to test); this checks the statement against the parser."""

from __future__ import annotations

from datetime import UTC, datetime

from palimpsest_pipeline.books.bet9ja.odds import parse_odds
from palimpsest_pipeline.markets.bet9ja.table import BY_PREFIX
from palimpsest_sandbox.books.bet9ja import families
from palimpsest_sandbox.books.bet9ja.display import mk_entry
from palimpsest_sandbox.markets.pricing import MODELLED_FOOTBALL


def _keyed_under_the_model(prefix: str) -> set[str]:
    mapped = {market.key: market for market in BY_PREFIX[prefix][1]}
    reaching = set()
    for key, _description, _outcomes, lines in families._EXTRAS:
        market = mapped.get(key)
        if market is None:
            continue
        at = f"@{lines[0]}" if lines else ""
        odds = {f"{prefix}_{key}{at}_{okey}": "2" for okey, _market, _outcome in market.outcomes}
        payload = {"R": "OK", "D": {"O": odds, "MK": [mk_entry(prefix, market, 1)]}}
        rows = parse_odds(payload, sr_id=1, captured_at=datetime(2026, 1, 1, tzinfo=UTC)).rows
        if any(row.market in MODELLED_FOOTBALL for row in rows):
            reaching.add(key)
    return reaching


def test_the_extras_left_out_are_exactly_those_the_parser_keys_under_a_modelled_market() -> None:
    for prefix in BY_PREFIX:
        stated = families.REACHING_THE_MODEL.get(prefix, frozenset())
        assert stated == _keyed_under_the_model(prefix), prefix
    assert families.REACHING_THE_MODEL["S"]  # football has some: the check is not vacuous
