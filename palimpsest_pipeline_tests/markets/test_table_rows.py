"""BetPawa's reviewed table keeps a row for the parser only where the grammar cannot decide, saying why.

Every row is exercised on the sandbox's BetPawa bodies (which name markets from the table, as the book
does) and on the real captures in ../shared: a row without ``why`` must be keyed by the grammar exactly as
the row would key it (or displaced by design: a canonical reading replaces a SportyBet-family key); a row
with ``why`` must still meet a price the grammar refuses or keys otherwise, or its reason has gone stale.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from palimpsest_pipeline.books.betpawa import odds as parser
from palimpsest_pipeline.markets.grammar import betpawa as grammar
from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.markets.mapping_betpawa import BY_CATEGORY, BetPawaMarket
from palimpsest_pipeline.markets.uof import FIRST_NATIVE_ID
from palimpsest_pipeline.markets.vocabulary import VOCABULARY
from palimpsest_pipeline.sandbox.markets import betpawa as sandbox
from palimpsest_pipeline_tests.markets.conftest import CAPTURED

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
    return parser._table_key((definition, outcome, fixed), price, row, "row", 0, definition.type_id)


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
                    if not isinstance(read, tuple):
                        verdict = "refused"
                    elif read == table:
                        verdict = "same"
                    elif read[0] == DESCRIBED and FIRST_NATIVE_ID <= table[0] < 2_000_000:
                        verdict = "displaced"
                    else:
                        verdict = "differs"
                    found[(sport, definition.type_id)][verdict] += 1
    return found


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
