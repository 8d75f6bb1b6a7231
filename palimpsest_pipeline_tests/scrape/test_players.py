"""Players keyed by their SportRadar id across books (scrape/odds/players.py), on real captures.

SportyBet's real capture of Cruz Azul v Pumas lists its players with their SportRadar ids; a BetPawa answer is
built here from BetPawa's real capture with its Anytime Goalscorer market naming those players as a book that
writes names would (full names, initials, diacritics, a team in parentheses), each name's expected id read off
by hand from SportyBet's listing. Real BetPawa and SportyBet answers of one match (Wuhan v Qingdao) must meet
under the same ids at the same prices within a margin.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.markets.checks.verdicts import Suspect
from palimpsest_pipeline.markets.players import name_key
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.scrape.archive.odds_replay import _ReplayedCycle, _resolve_in_capture_order
from palimpsest_pipeline.scrape.odds.model import CaptureResult
from palimpsest_pipeline.scrape.odds.parsing import parse_body
from palimpsest_pipeline.scrape.odds.players import (
    NO_ROSTER,
    UNRESOLVED_KIND,
    _leading_name,
    _player_key,
    resolve_event_players,
)
from palimpsest_pipeline_tests.books.payloads import betpawa_naming, captured

AT = datetime(2026, 5, 6, 10, 0, tzinfo=UTC)
ANYTIME = 40

#: Names as a book might write Cruz Azul v Pumas's players, and the SportRadar id SportyBet lists each under
#: (read by hand from the capture: "Antuna, Uriel (Pumas UNAM)" is sr:player:1006665, ...).
RESOLVABLE = {
    "Uriel Antuna": 1006665,  # SportyBet: "Antuna, Uriel"
    "Osinachi Christian Ebere": 918668,  # "Ebere, Osinachi Christian"
    "N. Ibáñez": 1030235,  # "Ibanez, Nicolas": an initial and diacritics
    "Rubén Duarte (Pumas)": 253415,  # "Duarte, Ruben" of "Pumas UNAM"
    "Santiago Trigos Nava": 2286725,  # "Trigos Nava, Santiago"
    "Juninho": 966393,  # one name
    "Silva (Pumas)": 996543,  # "Silva, Nathan" of Pumas; "Silva, Ivan" plays for Cruz Azul
    "N. Silva": 996543,
}
AMBIGUOUS = "Rivas"  # "Rivas, Ulises" and "Rivas, Jesus"
UNKNOWN = "Zinedine Zidane"


def _parsed(book: Book, payload: Any, sr_id: int) -> EventOdds:
    parsed = parse_body(book, orjson.dumps(payload), sr_id=sr_id, captured_at=AT, with_fields=False)
    assert isinstance(parsed, EventOdds), parsed
    return parsed


def _sportybet_cruz_azul() -> EventOdds:
    return _parsed(Book.SPORTYBET, captured("sportybet", "event_sr71583282_asian_handicap.json"), 71583282)


def _anytime(parsed: EventOdds) -> dict[int, float | None]:
    return {row.outcome: row.price for row in parsed.rows if row.market == ANYTIME}


def test_names_written_as_books_write_them_resolve_to_sportybets_ids() -> None:
    names = [*RESOLVABLE, AMBIGUOUS, UNKNOWN]
    betpawa = _parsed(Book.BETPAWA, betpawa_naming(names), 71583282)
    assert {name for _i, name in betpawa.named_players} == set(names)  # the parser kept each name as written
    assert set(_anytime(betpawa)) == {name_key(name) for name in names}

    resolved = resolve_event_players({Book.BETPAWA: betpawa, Book.SPORTYBET: _sportybet_cruz_azul()})
    assert set(resolved) == {Book.BETPAWA}  # SportyBet keys its players by id already: untouched
    after = resolved[Book.BETPAWA]
    priced = {3.0 + index / 10: name for index, name in enumerate(names)}
    anytime = _anytime(after)
    # "Silva (Pumas)" and "N. Silva" are one player under two names: neither price can be his (see below)
    expected = {sr: name for name, sr in RESOLVABLE.items() if sr != 996543}
    assert set(anytime) == set(expected)
    for sr_id, price in anytime.items():
        assert price is not None and priced[round(price, 2)] == expected[sr_id]
    reasons = [reason for kind, reason in after.notes if kind == UNRESOLVED_KIND]
    assert any(f"'{AMBIGUOUS}': ambiguous, 2 listed players match" in reason for reason in reasons), reasons
    assert any(f"'{UNKNOWN}': no listed player matches" in reason for reason in reasons), reasons
    assert any("2 player outcome(s) set aside: resolves to SportRadar player 996543" in r for r in reasons)
    set_aside = 4  # the ambiguous, the unknown and both Silvas
    assert after.set_aside_outcomes == betpawa.set_aside_outcomes + set_aside
    assert after.mapped_outcomes == betpawa.mapped_outcomes - set_aside
    assert after.open_outcomes == betpawa.open_outcomes
    assert len(after) == len(betpawa) - set_aside and after.named_players == ()
    assert resolve_event_players({Book.BETPAWA: after}) == {}  # resolved once: nothing left to resolve


def test_real_answers_of_one_match_meet_under_sportybets_ids_at_their_prices() -> None:
    betpawa = _parsed(Book.BETPAWA, captured("betpawa", "v3_event_sr68995116_prematch.json"), 68995116)
    sportybet = _parsed(Book.SPORTYBET, captured("sportybet", "event_sr68995116_prematch.json"), 68995116)
    named = len(betpawa.named_players)
    assert named == 49
    after = resolve_event_players({Book.BETPAWA: betpawa, Book.SPORTYBET: sportybet})[Book.BETPAWA]
    theirs, ours = _anytime(sportybet), _anytime(after)
    assert all(outcome >= 0 for outcome in ours) and after.set_aside_outcomes == betpawa.set_aside_outcomes
    met = set(ours) & set(theirs)
    assert len(met) == len(ours) == named  # every player BetPawa names, under SportyBet's id
    for outcome in met:  # the same player: the two books' chances within a few percent of each other
        a, b = ours[outcome], theirs[outcome]
        assert a is not None and b is not None and 0.95 < b / a < 1.05, (outcome, a, b)


def test_an_event_no_book_lists_players_for_sets_its_named_players_aside() -> None:
    betpawa = _parsed(Book.BETPAWA, captured("betpawa", "v3_event_sr68995116_prematch.json"), 68995116)
    after = resolve_event_players({Book.BETPAWA: betpawa})[Book.BETPAWA]
    assert _anytime(after) == {} and _anytime(betpawa)  # no price stored under a name key
    assert after.mapped_outcomes == betpawa.mapped_outcomes - 49
    assert after.set_aside_outcomes == betpawa.set_aside_outcomes + 49
    assert (UNRESOLVED_KIND, f"betpawa: 49 player outcome(s) set aside: {NO_ROSTER}") in after.notes


def test_a_players_count_is_rekeyed_in_its_specifier() -> None:
    """A canonical player market ("K. Mbappe 2+" as player=<name key>|total=1.5) takes the id there."""
    key = name_key("N. Silva")
    parsed = EventOdds(
        rows=[
            OddsRow(1, Book.BET9JA, 2_000_003, f"player={key}|total=1.5", 12, 2.5, "open", AT),
            OddsRow(1, Book.BET9JA, 2_000_003, "total=2.5", 12, 1.9, "open", AT),
        ],
        open_outcomes=2,
        mapped_outcomes=2,
        canonical_outcomes=2,
        named_players=((0, "N. Silva 2+"),),
    )
    after = resolve_event_players({Book.BET9JA: parsed, Book.SPORTYBET: _sportybet_cruz_azul()})[Book.BET9JA]
    assert [row.specifier for row in after.rows] == ["player=996543|total=1.5", "total=2.5"]
    assert [row.price for row in after.rows] == [2.5, 1.9] and after.mapped_outcomes == 2


def test_a_player_key_that_cannot_take_an_id_costs_its_row_not_the_event() -> None:
    """Keys no parser writes (a doubled minus, a part without a value) set their one row aside, named; the
    event's other player row still takes its id."""
    key = name_key("N. Silva")
    specifiers = [f"player=-{key}|total=1.5", f"player={key}|total", f"player={key}|total=1.5"]
    parsed = EventOdds(
        rows=[OddsRow(1, Book.BET9JA, 2_000_003, spec, 12, 2.5, "open", AT) for spec in specifiers],
        open_outcomes=3,
        mapped_outcomes=3,
        canonical_outcomes=3,
        named_players=((0, "N. Silva 2+"), (1, "N. Silva 2+"), (2, "N. Silva 2+")),
    )
    after = resolve_event_players({Book.BET9JA: parsed, Book.SPORTYBET: _sportybet_cruz_azul()})[Book.BET9JA]
    assert [row.specifier for row in after.rows] == ["player=996543|total=1.5"]
    assert after.mapped_outcomes == 1 and after.set_aside_outcomes == 2
    assert any("a part without a value" in reason for _kind, reason in after.notes)
    assert any("does not name the player" in reason for _kind, reason in after.notes)


def test_a_players_suspect_line_moves_to_its_id_and_one_whose_rows_are_set_aside_goes() -> None:
    """The single-book suspects follow the re-keyed line; an unresolved player's line has no row left."""
    silva, zidane = name_key("N. Silva"), name_key(UNKNOWN)
    line, gone = f"player={silva}|total=1.5", f"player={zidane}|total=1.5"
    parsed = EventOdds(
        rows=[
            OddsRow(1, Book.BET9JA, 2_000_003, line, 12, 2.5, "open", AT),
            OddsRow(1, Book.BET9JA, 2_000_003, line, 13, 1.5, "open", AT),
            OddsRow(1, Book.BET9JA, 2_000_003, gone, 12, 2.0, "open", AT),
            OddsRow(1, Book.BET9JA, 1, "", 1, 1.9, "open", AT),
        ],
        open_outcomes=4,
        mapped_outcomes=4,
        canonical_outcomes=3,
        named_players=((0, "N. Silva 2+"), (1, "N. Silva 2+"), (2, f"{UNKNOWN} 2+")),
        suspects=(
            Suspect(2_000_003, line, "overround", "a"),
            Suspect(2_000_003, gone, "overround", "b"),
            Suspect(1, "", "overround", "c"),
        ),
        suspect_outcomes=4,
    )
    after = resolve_event_players({Book.BET9JA: parsed, Book.SPORTYBET: _sportybet_cruz_azul()})[Book.BET9JA]
    assert after.suspects == (
        Suspect(1, "", "overround", "c"),
        Suspect(2_000_003, "player=996543|total=1.5", "overround", "a"),
    )
    assert after.suspect_outcomes == 3  # the two of N. Silva's line and the 1X2's one
    assert after.set_aside_outcomes == 1 and after.canonical_outcomes == 2


def test_two_names_of_one_player_or_a_name_of_a_player_priced_by_id_are_set_aside() -> None:
    """Two prices under one key cannot be stored: which name is right cannot be told, so both go."""
    silva, silva_of_pumas, ebere = name_key("N. Silva"), name_key("Silva (Pumas)"), name_key("O. C. Ebere")
    parsed = EventOdds(
        rows=[
            OddsRow(1, Book.BET9JA, 2_000_003, f"player={silva}|total=1.5", 12, 2.5, "open", AT),
            OddsRow(1, Book.BET9JA, 2_000_003, f"player={silva_of_pumas}|total=1.5", 12, 2.6, "open", AT),
            OddsRow(1, Book.BET9JA, 2_000_003, "player=918668|total=2.5", 12, 4.0, "open", AT),
            OddsRow(1, Book.BET9JA, 2_000_003, f"player={ebere}|total=2.5", 12, 4.2, "open", AT),
            OddsRow(1, Book.BET9JA, 2_000_003, f"player={ebere}|total=1.5", 12, 2.2, "open", AT),
        ],
        open_outcomes=5,
        mapped_outcomes=5,
        canonical_outcomes=5,
        named_players=(
            (0, "N. Silva 2+"),
            (1, "Silva (Pumas) 2+"),
            (3, "O. C. Ebere 3+"),
            (4, "O. C. Ebere 2+"),
        ),
    )
    after = resolve_event_players({Book.BET9JA: parsed, Book.SPORTYBET: _sportybet_cruz_azul()})[Book.BET9JA]
    assert [(row.specifier, row.price) for row in after.rows] == [
        ("player=918668|total=2.5", 4.0),
        ("player=918668|total=1.5", 2.2),
    ]
    assert after.set_aside_outcomes == 3 and after.mapped_outcomes == 2
    assert sorted(reason for kind, reason in after.notes if kind == UNRESOLVED_KIND) == [
        "bet9ja: 1 player outcome(s) set aside: resolves to SportRadar player 918668, whose key the book "
        "already prices too",
        "bet9ja: 2 player outcome(s) set aside: resolves to SportRadar player 996543, whose key another "
        "outcome resolves to too",
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [("K. Mbappe 2+", "K. Mbappe"), ("Kylian Mbappe Over 1.5", "Kylian Mbappe"), ("Mbappe", "Mbappe")],
)
def test_the_players_name_is_found_in_the_outcomes_text(text: str, name: str) -> None:
    assert _leading_name(text, _player_key((2_000_003, f"player={name_key(name)}|total=1.5", 12))) == name
    other = _player_key((2_000_003, f"player={name_key('Someone Else')}|total=1.5", 12))
    assert _leading_name(text, other) is None


def test_the_archive_replay_resolves_as_the_capture_does() -> None:
    betpawa = _parsed(Book.BETPAWA, captured("betpawa", "v3_event_sr68995116_prematch.json"), 68995116)
    sportybet = _parsed(Book.SPORTYBET, captured("sportybet", "event_sr68995116_prematch.json"), 68995116)
    cycle = _ReplayedCycle("run-1", AT)
    for book, odds in ((Book.BETPAWA, betpawa), (Book.SPORTYBET, sportybet)):
        cycle.results[book] = CaptureResult(68995116, book, "ok", "e", sent_at=AT, odds=odds)
    _resolve_in_capture_order([cycle], ())
    expected = resolve_event_players({Book.BETPAWA: betpawa, Book.SPORTYBET: sportybet})[Book.BETPAWA]
    assert cycle.results[Book.BETPAWA].odds == expected
    assert cycle.results[Book.SPORTYBET].odds is sportybet
    assert len(_anytime(expected)) == 49 and all(outcome > 0 for outcome in _anytime(expected))
