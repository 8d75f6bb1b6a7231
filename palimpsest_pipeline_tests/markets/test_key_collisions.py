"""Two listings of one book that read to one key (docs/keying.md): kept once where their prices agree, set
aside with a reason naming both where they do not; rows of a higher rank give way to the catalogued market
only where they agree. Hand-written SportyBet payloads through its parser, then every real capture walked
listing by listing, apart from the engine's own meeting of them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytest

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.sportybet import odds as sportybet
from palimpsest_pipeline.markets.keying import event
from palimpsest_pipeline.markets.keying.engine import key_event
from palimpsest_pipeline.markets.keying.plans import FactsRead
from palimpsest_pipeline.markets.keying.records import Facts, MarketRecord, MarketShape, Plan
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.contract.parse_golden import CAPTURED, captures, parse_event
from palimpsest_pipeline_tests.markets.conftest import CAPTURED_AT


def _market(market_id: str, prices: dict[str, str]) -> dict[str, Any]:
    return {
        "id": market_id,
        "status": 0,
        "outcomes": [{"id": oid, "odds": odds, "isActive": 1} for oid, odds in prices.items()],
    }


def _parse(*markets: dict[str, Any]) -> EventOdds:
    parse = sportybet.parse_odds(
        {"bizCode": 10000, "data": {"eventId": "sr:match:1", "markets": list(markets)}},
        sr_id=1,
        captured_at=CAPTURED_AT,
    )
    assert parse.mapped_outcomes + sum(parse.unmapped.values()) == parse.open_outcomes
    return parse


def _prices(parse: EventOdds) -> dict[tuple[int, str, int], float | None]:
    prices = {(r.market, r.specifier, r.outcome): r.price for r in parse.rows}
    assert len(prices) == len(parse.rows), "a key is stored twice"
    return prices


def test_a_market_listed_twice_at_one_price_is_kept_once_and_noted() -> None:
    parse = _parse(_market("1", {"1": "2.10", "2": "3.20"}), _market("1", {"1": "2.10", "2": "3.20"}))
    assert _prices(parse) == {(1, "", 1): 2.10, (1, "", 2): 3.20}
    assert (parse.open_outcomes, parse.mapped_outcomes, parse.malformed) == (2, 2, [])
    assert (parse.duplicate_listings, parse.other_notes) == (2, [])


def test_a_market_listed_twice_at_other_prices_is_set_aside_both_times_naming_both() -> None:
    parse = _parse(_market("1", {"1": "2.10", "2": "3.20"}), _market("1", {"1": "3.40", "2": "3.20"}))
    assert _prices(parse) == {(1, "", 2): 3.20}  # the outcome priced alike is kept once
    assert (
        parse.malformed
        == [
            "sportybet: data.markets[0].outcomes[0] (market '1') at 2.1 and data.markets[1].outcomes[0] "
            "(market '1') at 3.4 read to the key (1, '', 1) at different prices",
        ]
        * 2
    )
    # both listings counted open and set aside under their market; the kept one keyed
    assert (parse.open_outcomes, parse.mapped_outcomes, parse.set_aside_outcomes) == (3, 1, 2)
    assert parse.unmapped == {"malformed:1": 2} and (1, "") in parse.unread_lines
    assert parse.duplicate_listings == 1


def test_prices_a_tenth_apart_are_one_bet_priced_with_two_margins() -> None:
    parse = _parse(_market("1", {"1": "2.10"}), _market("1", {"1": "2.31"}))
    assert _prices(parse) == {(1, "", 1): 2.10} and not parse.malformed
    parse = _parse(_market("1", {"1": "2.10"}), _market("1", {"1": "2.32"}))
    assert _prices(parse) == {} and parse.set_aside_outcomes == 2


def test_a_suspended_listing_and_an_open_one_of_its_key_disagree_and_neither_is_kept() -> None:
    suspended = {"id": "1", "status": 0, "outcomes": [{"id": "1", "odds": "0", "isActive": 0}]}
    parse = _parse(suspended, _market("1", {"1": "2.50"}))
    assert _prices(parse) == {}
    assert len(parse.malformed) == 1 and " not on offer and " in parse.malformed[0]
    assert parse.malformed[0].endswith("at 2.5 read to the key (1, '', 1) at different prices")
    assert (parse.open_outcomes, parse.mapped_outcomes, parse.set_aside_outcomes) == (1, 0, 1)


@dataclass(eq=False)
class _Keyer:
    """Market "u" (catalogued) keys its outcome N as (1, "", N) at rank 0; market "d" (described) the same
    keys at rank 1; market "m" its first outcome at rank 0 and the others at rank 1."""

    book: Book = Book.SPORTYBET

    def plan(self, shape: MarketShape, facts: FactsRead) -> Plan:
        keys, label = tuple((1, "", int(ref)) for ref in shape.refs), str(shape.ref)
        if shape.ref == "m":
            return Plan(keys, label, ranks=(0,) + (1,) * (len(keys) - 1))
        return Plan(keys, label, rank=int(shape.ref == "d"))


def _ranked(*records: tuple[str, tuple[float, ...]], in_order: bool = False) -> EventOdds:
    """``records`` keyed by ``_Keyer``; ``in_order``: their rows in by payload position, one after another."""
    result = EventOdds()
    made, position = [], 0
    for at, (ref, prices) in enumerate(records):
        refs = tuple(str(index + 1) for index in range(len(prices)))
        shape = MarketShape(ref, "", (None,), (), refs, (None,) * len(prices))
        order = tuple(range(position, position + len(prices))) if in_order else None
        position += len(prices)
        where = f"markets[{at}]"
        made.append(MarketRecord(shape, where, ".outcomes", True, prices, (True,) * len(prices), order=order))
    key_event(_Keyer(), Facts("football", "A", "B"), made, result, sr_id=7, captured_at=CAPTURED_AT)
    return result


@pytest.mark.parametrize("order", ["catalogued_first", "described_first"])
def test_a_described_market_at_the_same_price_gives_way_noted(order: str) -> None:
    records = [("u", (2.0, 3.0)), ("d", (2.0,))]
    parse = _ranked(*(records if order == "catalogued_first" else reversed(records)))
    assert _prices(parse) == {(1, "", 1): 2.0, (1, "", 2): 3.0}
    assert (parse.open_outcomes, parse.mapped_outcomes, parse.malformed) == (2, 2, [])
    assert parse.duplicate_listings == 1


def test_a_described_market_at_another_price_is_set_aside_and_the_catalogued_one_kept() -> None:
    parse = _ranked(("d", (2.5,)), ("u", (2.0, 3.0)))
    assert _prices(parse) == {(1, "", 1): 2.0, (1, "", 2): 3.0}
    assert parse.malformed == [
        "sportybet: markets[1].outcomes[0] (market 'u') at 2.0 and "
        "markets[0].outcomes[0] (market 'd') at 2.5 read to the key (1, '', 1) at different prices"
    ]
    assert (parse.open_outcomes, parse.mapped_outcomes, parse.set_aside_outcomes) == (3, 2, 1)
    assert parse.unmapped == {"malformed:d": 1} and parse.duplicate_listings == 0


def test_two_described_markets_at_other_prices_are_both_set_aside() -> None:
    parse = _ranked(("d", (2.5,)), ("d", (2.0,)))
    assert _prices(parse) == {} and parse.set_aside_outcomes == 2
    assert (
        parse.malformed
        == [
            "sportybet: markets[0].outcomes[0] (market 'd') at 2.5 and "
            "markets[1].outcomes[0] (market 'd') at 2.0 read to the key (1, '', 1) at different prices"
        ]
        * 2
    )


@pytest.mark.parametrize("in_order", [False, True])
def test_a_market_of_mixed_ranks_meets_the_keys_taken_already_at_each_rank(in_order: bool) -> None:
    # "m" restates "u": its rank 0 outcome is met where "u" took the key, its rank 1 outcome gives way
    parse = _ranked(("u", (2.0, 3.0)), ("m", (2.0, 3.0)), in_order=in_order)
    assert _prices(parse) == {(1, "", 1): 2.0, (1, "", 2): 3.0}
    assert (parse.open_outcomes, parse.mapped_outcomes, parse.malformed) == (2, 2, [])
    assert parse.duplicate_listings == 2
    # another price at rank 0: neither listing is preferred, both set aside naming both
    parse = _ranked(("u", (2.0, 3.0)), ("m", (2.5, 3.0)), in_order=in_order)
    assert _prices(parse) == {(1, "", 2): 3.0}
    assert (
        parse.malformed
        == [
            "sportybet: markets[0].outcomes[0] (market 'u') at 2.0 and "
            "markets[1].outcomes[0] (market 'm') at 2.5 read to the key (1, '', 1) at different prices"
        ]
        * 2
    )
    assert (parse.open_outcomes, parse.mapped_outcomes, parse.set_aside_outcomes) == (3, 1, 2)


def _detail(relative: str) -> bool:
    """A capture of one event's markets (not a list, Betway's event state or a catalogue of names)."""
    return not any(part in relative for part in ("/lists_", "event_state_", "popularAndSportList", "names_"))


def _agree(low: float, high: float) -> bool:
    """Two prices of one bet, as the rule says (a tenth apart at most, rounding aside): hand-written here."""
    return high <= low * 1.10 + 0.005 + 1e-9


def _walked(relative: str, monkeypatch: pytest.MonkeyPatch) -> tuple[EventOdds, list[Any]]:
    """The capture's parse, and every keying's records with their plans' keys (taken as ``finish`` starts)."""
    keyings: list[Any] = []
    finish = event.Keying.finish

    def watched(self: event.Keying) -> None:
        keyings.append([*((record, keys) for _start, record, keys in self.flat), *self.apart])
        finish(self)

    monkeypatch.setattr(event.Keying, "finish", watched)
    parsed = parse_event(relative)
    assert isinstance(parsed, EventOdds), parsed
    return parsed, [listing for listed in keyings for listing in listed]


@pytest.mark.skipif(not CAPTURED.is_dir(), reason="../shared/fixtures/captured is absent")
@pytest.mark.parametrize(
    "relative",
    [each for each in captures() if _detail(each)] if CAPTURED.is_dir() else [],
)
def test_every_capture_stores_a_key_once_and_names_both_of_two_prices(
    relative: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    parse, listed = _walked(relative, monkeypatch)
    keys = [(r.market, r.specifier, r.outcome) for r in parse.rows]
    assert len(keys) == len(set(keys)), "a key is stored twice"
    stored = dict(zip(keys, (r.price for r in parse.rows), strict=True))
    # every keyed listing, by key: (where it is, its price)
    by_key: dict[Any, list[tuple[str, float | None]]] = defaultdict(list)
    for record, plan_keys in listed:
        for index, key in enumerate(plan_keys):
            if key is None or (record.faults is not None and record.faults[index] is not None):
                continue
            if not (record.open and record.actives[index]):  # not on offer: no price to meet
                continue
            place = index if record.positions is None else record.positions[index]
            where = f"{record.where}{record.outcomes_at}[{place if type(place) is int else repr(place)}]"
            by_key[key].append((where, record.prices[index]))
    reasons = [reason for reason in parse.malformed if reason.endswith("at different prices")]
    for key, listings in by_key.items():
        priced = [(where, price) for where, price in listings if price is not None]
        if len(listings) < 2 or len(priced) < 2:
            continue
        low, high = min(price for _, price in priced), max(price for _, price in priced)
        if _agree(low, high):  # one bet: stored once, at one of its prices
            assert key not in stored or stored[key] in {price for _, price in listings}, (key, listings)
            continue
        for where, price in priced:  # each listing apart from another is named in a reason with the key
            if all(_agree(min(price, other), max(price, other)) for _, other in priced):
                continue
            assert any(where in reason and str(key) in reason for reason in reasons), (key, where, listings)
        named = [reason for reason in reasons if str(key) in reason]
        assert named, (key, listings)
        assert key not in stored or stored[key] in {price for _, price in listings}, (key, listings)
