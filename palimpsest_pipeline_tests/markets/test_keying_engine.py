"""The keying engine's contract (docs/keying.md), with a keyer written here: a plan is remade for an event on
which a fact it read differs and shared where none does; a higher rank gives way to a key rank 0 took; a key
listed twice is handled as the keyer says; a fault costs its outcome and leaves its market not read whole.
The expected rows and counts are written out by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.markets.keying.engine import FactsRead, key_event
from palimpsest_pipeline.markets.keying.records import (
    Facts,
    MarketRecord,
    MarketShape,
    Plan,
    Twice,
)
from palimpsest_pipeline.records import Book

AT = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@dataclass(eq=False)
class _Keyer:
    """Market "1" keys its outcomes as 1X2; its name "home" reads the teams whole; market "rank1" keys the
    same bets at rank 1. Counts the plans it makes."""

    twice: Twice = "aside"
    book: Book = Book.BETIKA
    made: list[str] = field(default_factory=list)

    def plan(self, shape: MarketShape, facts: FactsRead) -> Plan:
        self.made.append(shape.ref)
        if shape.names == ("home",):
            facts.teams()
        rank = 1 if shape.ref == "rank1" else 0
        return Plan(tuple((1, "", int(ref)) for ref in shape.refs), str(shape.ref), rank=rank)


def _record(
    ref: str, name: str, prices: tuple[float | None, ...], faults: tuple[str | None, ...] | None = None
) -> MarketRecord:
    refs = tuple(str(index + 1) for index in range(len(prices)))
    shape = MarketShape(ref, "", (name,), (), refs, (None,) * len(prices))
    return MarketRecord(shape, "markets[0]", ".outcomes", True, prices, (True,) * len(prices), faults)


def _key(keyer: _Keyer, teams: tuple[str, str], *records: MarketRecord) -> EventOdds:
    result = EventOdds()
    key_event(keyer, Facts("football", *teams), records, result, sr_id=7, captured_at=AT)
    return result


def test_a_plan_is_shared_unless_a_fact_it_read_differs() -> None:
    keyer = _Keyer()
    for teams in (("A", "B"), ("C", "D"), ("A", "B")):
        _key(keyer, teams, _record("1", "plain", (2.0, 3.0, 4.0)), _record("2", "home", (2.0,)))
    assert keyer.made == ["1", "2", "2", "2"]  # "plain" read no fact; "home" read the teams, which changed


def test_a_higher_rank_gives_way_and_is_counted_nowhere() -> None:
    parsed = _key(_Keyer(), ("A", "B"), _record("rank1", "x", (9.0, 9.0, 9.0)), _record("1", "x", (2.0, 3.0)))
    assert [(r.outcome, r.price) for r in parsed.rows] == [(1, 2.0), (2, 3.0), (3, 9.0)]
    assert parsed.open_outcomes == parsed.mapped_outcomes == 3 and not parsed.malformed


def test_a_key_listed_twice_is_set_aside_dropped_or_unmapped_as_the_keyer_says() -> None:
    records = (_record("1", "x", (2.0, 3.0)), _record("1b", "x", (2.5,)))
    aside = _key(_Keyer(twice="aside"), ("A", "B"), *records)
    assert aside.malformed == ["betika: markets[0].outcomes[0]: the key (1, '', 1) is listed twice"]
    assert (aside.open_outcomes, aside.set_aside_outcomes, len(aside.rows)) == (3, 1, 2)
    dropped = _key(_Keyer(twice="drop"), ("A", "B"), *records)
    assert (dropped.open_outcomes, dropped.malformed, len(dropped.rows)) == (2, [], 2)
    unmapped = _key(_Keyer(twice="unmapped"), ("A", "B"), *records)
    assert (unmapped.open_outcomes, unmapped.unmapped, len(unmapped.rows)) == (3, {"1b": 1}, 2)


def test_a_fault_costs_its_outcome_and_leaves_its_market_not_read_whole() -> None:
    parsed = _key(_Keyer(), ("A", "B"), _record("1", "x", (2.0, None, 4.0), (None, "bad price", None)))
    assert [(r.outcome, r.price) for r in parsed.rows] == [(1, 2.0), (3, 4.0)]
    assert parsed.malformed == ["bad price"] and parsed.unmapped == {"malformed:1": 1}
    assert parsed.unread_lines == {(1, "")} and parsed.open_outcomes == 2
