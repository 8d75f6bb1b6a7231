"""The keying engine's contract (docs/keying.md), with a keyer written here: a plan is remade for an event on
which a fact it read differs and shared where none does; a higher rank gives way to a key rank 0 took; a key
listed twice at one price is counted once, at two prices set aside naming both, whatever the book; a fault
costs its outcome and leaves its market not read whole; records of lines apart in a flat payload go in by
payload position, and an outcome set aside by key is said with its key. The expected rows and counts are
written out by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from palimpsest_pipeline.books.odds_parse import EVERY_LINE, EventOdds
from palimpsest_pipeline.markets.keying.engine import key_event
from palimpsest_pipeline.markets.keying.plans import MATCH_PLANS, MAX_MATCH_PLANS, PLANS, FactsRead
from palimpsest_pipeline.markets.keying.records import (
    Facts,
    MarketRecord,
    MarketShape,
    Plan,
    Why,
)
from palimpsest_pipeline.markets.players import RosterPlayer
from palimpsest_pipeline.markets.uof_outcome_names import AWAY, HOME, book_words, sides_named
from palimpsest_pipeline.records import Book

AT = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@dataclass(eq=False)
class _Keyer:
    """Market "1" keys its outcomes as 1X2; its name "home" reads the teams whole; market "rank1" keys the
    same bets at rank 1. Counts the plans it makes."""

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


def _key(
    keyer: _Keyer | _Restating,
    teams: tuple[str, str],
    *records: MarketRecord,
    listed: frozenset[tuple[str, str]] = frozenset(),
) -> EventOdds:
    result = EventOdds()
    key_event(keyer, Facts("football", *teams, listed), records, result, sr_id=7, captured_at=AT)
    return result


@dataclass(eq=False)
class _Restating:
    """Market "eq" restates market "1" where the event lists it; its first outcome keys at rank 1 under a
    player's name key (named "Ann"), its second at rank 0; its third is set aside "first" (before its own
    fault)."""

    book: Book = Book.SPORTYBET
    made: list[str] = field(default_factory=list)

    def plan(self, shape: MarketShape, facts: FactsRead) -> Plan:
        self.made.append(shape.ref)
        if shape.ref != "eq":
            return Plan(tuple((1, "", int(ref)) for ref in shape.refs), str(shape.ref))
        if facts.lists("1", ""):
            return Plan(tuple((1, "", int(ref)) for ref in shape.refs), "eq", rank=1)
        return Plan(
            ((40, "", -5), (1, "", 2), None),
            "eq",
            asides=(None, None, Why(".desc", "name unreadable", False, first=True)),
            ranks=(1, 0, 0),
            player_names=("Ann", None, None),
        )


def test_a_plan_is_shared_unless_a_fact_it_read_differs() -> None:
    keyer = _Keyer()
    for teams in (("A", "B"), ("C", "D"), ("A", "B")):
        _key(keyer, teams, _record("1", "plain", (2.0, 3.0, 4.0)), _record("2", "home", (2.0,)))
    assert keyer.made == ["1", "2", "2", "2"]  # "plain" read no fact; "home" read the teams, which changed


def test_plans_listing_players_are_kept_apart_and_few_and_their_players_reach_the_roster() -> None:
    @dataclass(eq=False)
    class Listing(_Keyer):
        def plan(self, shape: MarketShape, facts: FactsRead) -> Plan:
            made = super().plan(shape, facts)
            player = RosterPlayer(int(shape.refs[0]), "Ann")
            return (
                Plan(((2, "", player.sr_id),), "players", roster=(player,))
                if shape.ref == "players"
                else made
            )

    keyer = Listing()
    for _again in range(2):  # the same event parsed again takes the plans it made
        parsed = _key(keyer, ("A", "B"), _record("players", "x", (2.0,)), _record("1", "x", (2.0,)))
        assert parsed.roster == {RosterPlayer(1, "Ann")} and [r.price for r in parsed.rows] == [2.0, 2.0]
    assert keyer.made == ["players", "1"]
    for match in range(MAX_MATCH_PLANS + 10):  # each match its own players: never more than a few kept
        shape = MarketShape("players", "", ("x",), (), (str(match + 2),), (None,))
        _key(keyer, ("A", "B"), MarketRecord(shape, "markets[0]", ".outcomes", True, (2.0,), (True,)))
    assert len(PLANS[keyer]) == 1 and 0 < len(MATCH_PLANS[keyer]) <= MAX_MATCH_PLANS


def test_a_shared_plan_remade_as_a_match_players_plan_is_not_looked_up_again() -> None:
    @dataclass(eq=False)
    class Listing(_Keyer):
        def plan(self, shape: MarketShape, facts: FactsRead) -> Plan:
            made = super().plan(shape, facts)  # reads the teams: "home"
            if facts.teams() != ("C", "D"):
                return made
            player = RosterPlayer(9, "Ann")
            return Plan(((2, "", 9),), "players", roster=(player,))

    keyer = Listing()
    for teams in (("A", "B"), ("C", "D"), ("C", "D")):
        _key(keyer, teams, _record("1", "home", (2.0,)))
    assert keyer.made == ["1", "1"]  # the match's own plan found the second time, not the teams A-B's


def test_a_higher_rank_gives_way_at_one_price_and_is_set_aside_naming_both_at_another() -> None:
    parsed = _key(_Keyer(), ("A", "B"), _record("rank1", "x", (2.0, 9.0, 9.0)), _record("1", "x", (2.0, 3.0)))
    assert [(r.outcome, r.price) for r in parsed.rows] == [(1, 2.0), (2, 3.0), (3, 9.0)]
    assert parsed.duplicate_listings == 1  # outcome 1 at 2.0 twice: one bet
    assert parsed.malformed == [
        "betika: markets[0].outcomes[1] (market '1' 'x') at 3.0 and markets[0].outcomes[1] "
        "(market 'rank1' 'x') at 9.0 read to the key (1, '', 2) at different prices"
    ]
    # the catalogued outcome 2 stays; the restating one is set aside, counted open, not keyed
    assert (parsed.open_outcomes, parsed.mapped_outcomes, parsed.set_aside_outcomes) == (4, 3, 1)


def test_a_key_listed_twice_is_counted_once_at_one_price_and_set_aside_naming_both_at_two() -> None:
    for again in (2.0, 2.004, 2.19):  # a tenth apart at most: one bet, priced with two margins
        once = _key(_Keyer(), ("A", "B"), _record("1", "x", (2.0, 3.0)), _record("1b", "x", (again,)))
        assert [(r.outcome, r.price) for r in once.rows] == [(1, 2.0), (2, 3.0)]
        assert (once.open_outcomes, once.duplicate_listings, once.malformed) == (2, 1, [])
    twice = _key(_Keyer(), ("A", "B"), _record("1", "x", (2.0, 3.0)), _record("1b", "x", (2.5,)))
    reason = (
        "betika: markets[0].outcomes[0] (market '1' 'x') at 2.0 and markets[0].outcomes[0] "
        "(market '1b' 'x') at 2.5 read to the key (1, '', 1) at different prices"
    )
    assert twice.malformed == [reason, reason]  # each listing costs itself
    assert [(r.outcome, r.price) for r in twice.rows] == [(2, 3.0)]
    assert (twice.open_outcomes, twice.mapped_outcomes, twice.set_aside_outcomes) == (3, 1, 2)


def test_a_listing_not_on_offer_and_an_open_one_of_its_key_disagree_and_neither_is_kept() -> None:
    parsed = _key(_Keyer(), ("A", "B"), _record("1", "x", (None, 3.0)), _record("1b", "x", (2.5,)))
    assert [(r.outcome, r.price, r.state) for r in parsed.rows] == [(2, 3.0, "open")]
    assert parsed.malformed == [
        "betika: markets[0].outcomes[0] (market '1' 'x') not on offer and markets[0].outcomes[0] "
        "(market '1b' 'x') at 2.5 read to the key (1, '', 1) at different prices"
    ]
    # the open listing counted open and set aside; the one not on offer was no open outcome
    assert (parsed.open_outcomes, parsed.mapped_outcomes, parsed.set_aside_outcomes) == (2, 1, 1)


def test_a_fault_costs_its_outcome_and_leaves_its_market_not_read_whole() -> None:
    parsed = _key(_Keyer(), ("A", "B"), _record("1", "x", (2.0, None, 4.0), (None, "bad price", None)))
    assert [(r.outcome, r.price) for r in parsed.rows] == [(1, 2.0), (3, 4.0)]
    assert parsed.malformed == ["bad price"] and parsed.unmapped == {"malformed:1": 1}
    assert parsed.unread_lines == {(1, "")} and parsed.open_outcomes == 2


def test_a_market_restating_one_the_event_lists_gives_way_to_it_and_is_met_against_its_prices() -> None:
    keyer = _Restating()
    restated = _record("eq", "x", (2.5, 3.0, 4.0), (None, None, "bad price"))
    listed = _key(keyer, ("A", "B"), restated, _record("1", "x", (2.5,)), listed=frozenset({("1", "")}))
    # outcome 1 restates "1"'s at its price (counted once); outcome 2 is keyed; outcome 3's fault costs it
    assert [(r.market, r.outcome, r.price) for r in listed.rows] == [(1, 1, 2.5), (1, 2, 3.0)]
    assert (listed.open_outcomes, listed.duplicate_listings, listed.player_names) == (2, 1, {})
    assert listed.malformed == ["bad price"]
    alone = _key(keyer, ("A", "B"), restated, listed=frozenset({("1", "total=2.5")}))
    assert keyer.made == ["eq", "1", "eq"]  # the listing it read differs: planned again
    # rank 0 first, then rank 1; the third outcome's plan reason is said before its own fault
    assert [(r.market, r.outcome, r.price) for r in alone.rows] == [(1, 2, 3.0), (40, -5, 2.5)]
    assert alone.malformed == ["sportybet: markets[0].outcomes[2].desc: name unreadable"]
    assert alone.player_names == {(40, "", -5): "Ann"} and alone.open_outcomes == 2


@dataclass(eq=False)
class _Lines:
    """Each outcome ref "N" keys (1, "", N); ref "9" is set aside on a line no one can name, ref "8" by its
    line's own conflict; market "eq" keys at rank 1."""

    book: Book = Book.BET9JA

    def plan(self, shape: MarketShape, facts: FactsRead) -> Plan:
        whys = {"9": Why("", "no name", True, everything=True), "8": Why("", "lines differ", True)}
        asides = tuple(whys.get(ref) for ref in shape.refs)
        keys = tuple(None if ref in whys else (1, "", int(ref)) for ref in shape.refs)
        rank = 1 if shape.ref == "eq" else 0
        return Plan(keys, str(shape.ref), asides=asides if any(asides) else None, rank=rank)


def _line(ref: str, outcomes: dict[str, tuple[int, float]]) -> MarketRecord:
    """A line whose outcomes (key text -> (payload position, price)) are keyed by their refs."""
    keys = tuple(outcomes)
    refs = tuple(key.rpartition("_")[2] for key in keys)
    shape = MarketShape(ref, "", (), (), refs, (None,) * len(keys))
    positions, prices = zip(*outcomes.values(), strict=True)
    return MarketRecord(
        shape, "D", ".O", True, prices, (True,) * len(keys), None, keys, True, positions, keys
    )


def test_rows_of_lines_apart_in_the_payload_go_in_by_rank_then_payload_position() -> None:
    # payload: m_1 (0), n_2 (1), m_3 (2), eq_1 (3), n_1 (4), eq_4 (5): m and n are lines apart in it
    records = (
        _line("m", {"m_1": (0, 2.0), "m_3": (2, 3.0)}),
        _line("eq", {"eq_1": (3, 2.0), "eq_4": (5, 4.0)}),
        _line("n", {"n_2": (1, 2.5), "n_1": (4, 2.0)}),
    )
    parsed = _key(_Lines(), ("A", "B"), *records)
    # rank 0 in payload order (n_1 at 4 meets m_1 at 0 at its price: counted once), then rank 1 (eq_1 too)
    assert [(r.outcome, r.price) for r in parsed.rows] == [(1, 2.0), (2, 2.5), (3, 3.0), (4, 4.0)]
    assert (parsed.open_outcomes, parsed.mapped_outcomes, parsed.malformed) == (4, 4, [])
    assert parsed.duplicate_listings == 2


def test_lines_apart_listing_one_key_at_two_prices_are_both_set_aside_and_name_each_other() -> None:
    records = (_line("m", {"m_1": (0, 2.0), "m_3": (2, 3.0)}), _line("n", {"n_2": (1, 2.5), "n_1": (4, 8.0)}))
    parsed = _key(_Lines(), ("A", "B"), *records)
    assert [(r.outcome, r.price) for r in parsed.rows] == [(2, 2.5), (3, 3.0)]
    assert (parsed.open_outcomes, parsed.mapped_outcomes, parsed.set_aside_outcomes) == (4, 2, 2)
    assert len(parsed.malformed) == 2 and all(
        "at 2.0 and " in reason and "at 8.0 read to the key (1, '', 1) at different prices" in reason
        for reason in parsed.malformed
    )


def test_an_outcome_set_aside_by_key_is_said_with_its_key_and_counted_under_its_own_market() -> None:
    line = _line("m", {"m_1": (0, 2.0), "m@x_8": (1, 2.0)})
    conflict = _key(_Lines(), ("A", "B"), line)
    assert conflict.malformed == ["bet9ja odds payload at D.O['m@x_8']: lines differ"]
    assert conflict.unmapped == {"malformed:m@x_8": 1} and conflict.unread_lines == {(1, "")}
    unnamed = _key(_Lines(), ("A", "B"), _line("m", {"m_1": (0, 2.0), "m_9": (1, 2.0)}))
    assert unnamed.malformed == ["bet9ja odds payload at D.O['m_9']: no name"]
    assert EVERY_LINE in unnamed.unread_lines  # a line no one can name: nothing of the event closes
    assert [(r.outcome, r.price) for r in unnamed.rows] == [(1, 2.0)]


@dataclass(eq=False)
class _Sides:
    """A 1X2 market named as the teams: set aside where its outcome 1 is not named as the home team, the
    reason naming it. Counts the plans it makes, by outcome 1's name."""

    book: Book = Book.BETWAY
    made: list[str | None] = field(default_factory=list)

    def plan(self, shape: MarketShape, facts: FactsRead) -> Plan:
        first = shape.outcome_names[0]
        self.made.append(first)
        home, _away = facts.teams_for([name for name in shape.outcome_names if name is not None])
        if first != home:
            return Plan((None,) * 3, "1x2", refused=Why("", f"outcome 1 is named {first}", False))
        return Plan(tuple((1, "", int(ref)) for ref in shape.refs), "1x2")


def test_outcomes_named_as_the_teams_share_a_plan_across_teams_where_the_keyer_reads_them_as_sides() -> None:
    keyer = _Sides()

    def key(home: str, away: str, names: tuple[str, str, str], *, sides: bool = True) -> EventOdds:
        shape = MarketShape("1", "", ("1X2",), (), ("1", "2", "3"), names)
        record = MarketRecord(shape, "m", "", True, (2.0, 3.0, 4.0), (True, True, True))
        result = EventOdds()
        side = sides_named if sides else None
        key_event(keyer, Facts("football", home, away), [record], result, sr_id=7, captured_at=AT, sides=side)
        return result

    assert (
        len(key("Ann", "Bo", ("Ann", "Draw", "Bo")).rows)
        == len(key("Cy", "Di", ("Cy", "Draw", "Di")).rows)
        == 3
    )
    assert keyer.made == ["Ann"]
    # a plan that sets aside may say the names: it holds for its teams only
    assert key("Ed", "Fa", ("Fa", "Draw", "Ed")).malformed == ["betway: m: outcome 1 is named Fa"] * 3
    assert key("Gi", "Ho", ("Ho", "Draw", "Gi")).malformed == ["betway: m: outcome 1 is named Ho"] * 3
    # a team inside another name ("Dr" in "Draw"), or no sides read: the plan holds for its teams only
    key("Dr", "Zed", ("Dr", "Draw", "Zed"))
    key("Dr", "Yo", ("Dr", "Draw", "Yo"))
    key("Ann", "Bo", ("Ann", "Draw", "Bo"), sides=False)
    key("Cy", "Di", ("Cy", "Draw", "Di"), sides=False)
    assert keyer.made == ["Ann", "Fa", "Ho", "Dr", "Dr", "Ann", "Cy"]


def test_teams_are_sides_named_only_where_a_name_written_as_one_reads_as_that_side_alone() -> None:
    for home, away in (
        ("Ann", "Bo"),
        ("Man City", "City"),
        ("Öster IF", "Draw Town"),
        ("1860 Munich", "Ulm"),
    ):
        assert sides_named(home, away)
        assert book_words(home, home, away) == (HOME,) and book_words(away, home, away) == (AWAY,)
    for home, away in (
        ("Ann", "ann"),
        ("X", "Bo"),
        ("Ann", " "),
        ("1 2", "Bo"),
        ("A\x01", "Bo"),
        ("A" * 201, "B"),
    ):
        assert not sides_named(home, away)
