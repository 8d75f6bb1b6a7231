"""The reviewed tables keep a row for the parser only where the grammar cannot decide, saying why.

Every row is exercised on the sandbox's bodies (which name markets from the tables, as the books do) and on
the real captures in ../shared: a row without a reason must be keyed by the grammar exactly as the row would
key it (or displaced by design: the grammar's key replaces a SportyBet-family key); a row with one must still
meet a price the grammar refuses or keys otherwise, or its reason has gone stale. BetPawa's reasons are the
rows' ``why``; Bet9ja's are markets/bet9ja/undecided.py (a Bet9ja row never exercised says so there).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from palimpsest_pipeline.books.bet9ja import keys as bet9ja_keys
from palimpsest_pipeline.books.betpawa import keys as betpawa_keys
from palimpsest_pipeline.markets.bet9ja.table import BY_PREFIX
from palimpsest_pipeline.markets.bet9ja.undecided import UNDECIDED
from palimpsest_pipeline.markets.grammar import bet9ja as bet9ja_grammar
from palimpsest_pipeline.markets.grammar import betpawa as grammar
from palimpsest_pipeline.markets.mapping_betpawa import BY_CATEGORY, BetPawaMarket
from palimpsest_pipeline.markets.uof import FIRST_NATIVE_ID
from palimpsest_pipeline.markets.vocabulary import VOCABULARY
from palimpsest_pipeline_tests.markets.conftest import CAPTURED
from palimpsest_sandbox.books.bet9ja import markets as bet9ja_sandbox
from palimpsest_sandbox.books.betpawa import markets as sandbox

if not CAPTURED.exists():
    pytest.skip(
        f"captured responses not available ({CAPTURED} is absent: ../shared is not mounted)",
        allow_module_level=True,
    )

SPORTS = {sport: category for category, (sport, _table) in BY_CATEGORY.items()}
CAPTURES = ("v3_event_sr68995116_prematch", "v3_event_sr67645534_live", "v3_event_sr71529092_tennis",
            "v3_event_sr71453210_basketball", "v4_event_sr67691078_prematch")  # fmt: skip
Key = tuple[int, str, int]


def _table_key(definition: BetPawaMarket, price: Mapping[str, Any], row: Mapping[str, Any]) -> Key | None:
    """The row's own key for one price (the parser's line rules), None when the row lacks its type id."""
    outcomes = {type_id: outcome for type_id, _name, outcome in definition.prices}
    outcome = outcomes.get(str(price.get("typeId")))
    if outcome is None:
        return None
    variant = VOCABULARY[definition.market].variant
    fixed = definition.specifier or (f"variant={variant}" if variant else "")
    return betpawa_keys.table_key((definition, outcome, fixed), row, 0)


def _bodies() -> Iterator[tuple[str, list[Any]]]:
    for sport in SPORTS:
        for seed in range(30):
            yield sport, sandbox.render(seed, 5, sport, 1.0)
    for name in CAPTURES:
        path = CAPTURED / "betpawa" / f"{name}.json"
        if path.exists():
            body = json.loads(path.read_text(encoding="utf-8"))
            yield BY_CATEGORY[str(body["category"]["id"])][0], body["markets"]


@pytest.fixture(scope="module")
def verdicts() -> dict[tuple[str, str], dict[str, int]]:
    """(sport, marketType id) -> counts of prices the grammar keys as the row ("same"), displaces
    ("displaced"), keys otherwise ("differs") or refuses ("refused")."""
    rows = {(sport, r.type_id): r for _cat, (sport, table) in BY_CATEGORY.items() for r in table}
    found: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for sport, markets in _bodies():
        for market in markets:
            definition = rows.get((sport, str(market["marketType"]["id"])))
            if definition is None:
                continue
            reading = grammar.read_market(market, sport)
            for r_index, row in enumerate(market["row"]):
                for p_index, price in enumerate(row["prices"]):
                    table = _table_key(definition, price, row)
                    if table is None:
                        continue
                    read = reading.keys.get((r_index, p_index))
                    found[(sport, definition.type_id)][_verdict(read, table)] += 1
    return found


def _verdict(read: object, table: Key) -> str:
    if not isinstance(read, tuple):
        return "refused"
    if read == table:
        return "same"
    if FIRST_NATIVE_ID <= table[0] < 2_000_000 and not FIRST_NATIVE_ID <= read[0] < 2_000_000:
        return "displaced"  # precedence.choose: the grammar's UOF or canonical key wins over a family key
    return "differs"


@pytest.mark.parametrize(
    "definition",
    [
        pytest.param((sport, r), id=f"{sport}-{r.type_id}")
        for _c, (sport, t) in BY_CATEGORY.items()
        for r in t
    ],
)
def test_each_row_is_needed_exactly_when_it_says_why(
    definition: tuple[str, BetPawaMarket], verdicts: dict[tuple[str, str], dict[str, int]]
) -> None:
    sport, row = definition
    seen = verdicts.get((sport, row.type_id), {})
    assert seen, f"{row.name!r} is never exercised: no proof either way"
    undecided = seen.get("refused", 0) + seen.get("differs", 0)
    if row.why:
        assert undecided, f"{row.name!r}: the grammar now keys it as the row does; drop its why ({seen})"
    else:
        assert not undecided, f"{row.name!r}: the grammar does not key it as the row does ({seen})"


#: The whole Bet9ja table, as the parser would read it if it consulted every row.
BET9JA_FULL = {
    (prefix, key): value
    for prefix, (_sport, table) in BY_PREFIX.items()
    for key, value in bet9ja_keys.index_table(table, prefix).items()
}


def _bet9ja_bodies() -> Iterator[dict[str, Any]]:
    for sport in SPORTS:
        for seed in range(30):
            yield bet9ja_sandbox.render(seed, 5, sport, 1.0)
    for path in sorted((CAPTURED / "bet9ja").glob("GetEvent_*.json")):
        yield json.loads(path.read_text(encoding="utf-8"))["D"]


@pytest.fixture(scope="module")
def bet9ja_verdicts() -> dict[str, dict[str, int]]:
    """ "S_OU" -> counts of odds keys the grammar keys as the full table would, or not (see ``_verdict``)."""
    found: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for body in _bet9ja_bodies():
        read = bet9ja_grammar.read_odds({"O": body["O"], "MK": body.get("MK", [])})
        for key in body["O"]:
            book_market, table, _restates = bet9ja_keys.table_translation(key, BET9JA_FULL)
            if table is not None:
                found[book_market][_verdict(read.get(key), table)] += 1
    return found


@pytest.mark.parametrize("market", sorted(f"{prefix}_{key}" for prefix, key in BET9JA_FULL))
def test_each_bet9ja_row_is_read_from_the_table_exactly_when_the_grammar_cannot(
    market: str, bet9ja_verdicts: dict[str, dict[str, int]]
) -> None:
    seen = bet9ja_verdicts.get(market, {})
    why = UNDECIDED.get(market)
    undecided = seen.get("refused", 0) + seen.get("differs", 0)
    if why is None:
        assert seen and not undecided, f"{market}: the grammar does not key it as the table does ({seen})"
    elif why.startswith("restates"):
        row, _outcomes = BET9JA_FULL[tuple(market.split("_", 1))]  # type: ignore[index]
        assert row.equivalent
    elif not seen:
        assert why.startswith("never in a capture"), f"{market} is never exercised: {why!r} cannot be checked"
    else:
        assert undecided, (
            f"{market}: the grammar now keys it as the table does; drop it from UNDECIDED ({seen})"
        )


def test_every_undecided_bet9ja_market_is_a_table_row() -> None:
    assert set(UNDECIDED) <= {f"{prefix}_{key}" for prefix, key in BET9JA_FULL}


def test_the_live_capture_has_no_market_catalogue_so_in_play_keys_need_the_table() -> None:
    path = CAPTURED / "bet9ja" / "GetLiveEvent_sr67645534_live.json"
    if not path.exists():
        pytest.skip(f"captured responses not available ({path} is absent: ../shared is not mounted)")
    assert "MK" not in json.loads(path.read_text(encoding="utf-8"))["D"]
