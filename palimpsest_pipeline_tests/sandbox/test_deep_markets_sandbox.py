"""The sandbox speaks the deep markets: Bet9ja's bookings, sending-off, first-card, added-time and first-half
shots markets under the names the book uses, read by the parser into SportRadar's keys (ids and outcomes
written here from ../shared/uof's catalogue, not from the code), priced from one fair probability; and
SportyBet's goalscorers carry the sr:player ids and names of the match's roster, which BetPawa's full names
resolve to."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from palimpsest_pipeline.books.bet9ja.odds import parse_odds as parse_bet9ja
from palimpsest_pipeline.books.sportybet.odds import parse_odds as parse_sportybet
from palimpsest_pipeline.markets.grammar.description import Description
from palimpsest_pipeline.markets.grammar.outcomes import implied_bet
from palimpsest_pipeline.markets.grammar.phrases import read_market_name
from palimpsest_pipeline.markets.grammar.resolve import resolve
from palimpsest_pipeline.markets.players import roster_entry
from palimpsest_pipeline_tests.markets.player_match import resolve_player
from palimpsest_sandbox.books.bet9ja import markets as bet9ja
from palimpsest_sandbox.books.bet9ja.families import DEEP_FROM_DEPTH
from palimpsest_sandbox.books.sportybet import markets as sportybet
from palimpsest_sandbox.markets import deep_props
from palimpsest_sandbox.markets.players import anytime_probability, roster, roster_for

AT = datetime(2026, 11, 25, tzinfo=UTC)
SEEDS = (11, 4242, 90_001)
_EXACT = (730, 732, 734, 736)  # UOF's "0-1", "2", "3", "4+"
INJURY = (2_000_003, "market=score.injurytime.match.total|total=0.5")
#: Bet9ja odds key -> the UOF (market, specifier, outcome) it means (UOF 143/144 exact bookings of each side,
#: 147/148 each side's sending off, 150 the first half's first booking), or the canonical added-time goal.
EXPECTED = {
    **{f"S_NCARDSH_{k}": (143, "", o) for k, o in zip(deep_props.EXACT_BOOKINGS, _EXACT, strict=True)},
    **{f"S_NCARDSA_{k}": (144, "", o) for k, o in zip(deep_props.EXACT_BOOKINGS, _EXACT, strict=True)},
    "S_REDCARDH_Y": (147, "", 74), "S_REDCARDH_N": (147, "", 76),
    "S_REDCARDA_Y": (148, "", 74), "S_REDCARDA_N": (148, "", 76),
    "S_FIRSTCARDHT_1": (150, "bookingnr=1", 6), "S_FIRSTCARDHT_X": (150, "bookingnr=1", 7),
    "S_FIRSTCARDHT_2": (150, "bookingnr=1", 8),
    "S_GOALINJ_Y": (*INJURY, 12), "S_GOALINJ_N": (*INJURY, 13),
}  # fmt: skip


@pytest.mark.parametrize("seed", SEEDS)
def test_bet9ja_deep_markets_are_read_into_their_keys_at_one_fair_price(seed: int) -> None:
    body = {"R": "OK", "D": bet9ja.render(seed, 7, "football", 1.0)}
    rows = parse_bet9ja(body, sr_id=1, captured_at=AT).rows
    by_key = {(r.market, r.specifier, r.outcome): r.price for r in rows}
    for odds_key, key in EXPECTED.items():
        assert key in by_key, odds_key
        assert by_key[key] == float(body["D"]["O"][odds_key])
    for market in (143, 144, 147, 148, 150):  # a complete market: implied sum one plus a plausible margin
        implied = sum(1 / v for (m, _s, _o), v in by_key.items() if m == market and v)
        assert 1.0 < implied < 1.3, (market, implied)


def test_the_sandbox_prices_a_deep_outcome_from_its_fair_probability() -> None:
    body = bet9ja.render(4242, 7, "football", 1.0)["O"]
    fair = deep_props.sending_off(4242, 2)
    assert 1 / (fair * 1.2) < float(body["S_REDCARDA_Y"]) < 1 / fair  # within Bet9ja's exotic margin


def test_ht_shots_names_no_bet_its_labels_say_it_and_only_deep_events_list_it() -> None:
    body = bet9ja.render(11, 7, "football", 1.0)
    entry = next(e for e in body["MK"] if e["ID"] == "S_HTSHOTS")
    described = read_market_name(entry["DS"], unnamed_bet=implied_bet(entry["SGN"]))
    assert isinstance(described, Description)
    keys = resolve(described.with_params(total="9.5"), [("O", "Over"), ("U", "Under")], "football").keys
    assert keys == {
        "O": (2_000_003, "market=shots.1h.match.total|total=9.5", 12),
        "U": (2_000_003, "market=shots.1h.match.total|total=9.5", 13),
    }
    assert not any("HTSHOTS" in k for k in bet9ja.render(11, 7, "football", DEEP_FROM_DEPTH)["O"])
    assert not any("CARD" in k for k in bet9ja.render(11, 7, "football", 0.3)["O"])


def _sportybet_event(seed: int) -> dict[str, object]:
    markets = sportybet.render(seed, 7, "football", 1.0, ("Home FC", "Away City"))
    return {"eventId": f"sr:match:{seed}", "homeTeamName": "Home FC", "awayTeamName": "Away City",
            "sport": {"id": "sr:sport:1"}, "markets": markets}  # fmt: skip


@pytest.mark.parametrize("seed", SEEDS)
def test_sportybet_goalscorers_list_the_roster_and_betpawas_full_names_resolve_to_it(seed: int) -> None:
    markets = sportybet.render(seed, 7, "football", 1.0, ("Home FC", "Away City"))
    anytime = next(m for m in markets if m["id"] == "40")
    listed = [roster_entry(o["id"], o["desc"]) for o in anytime["outcomes"]]
    players = [p for p in listed if p is not None]
    truth = {p.sr_id: p for p in roster_for(seed, 1.0)}
    assert {p.sr_id for p in players} == set(truth)
    assert all(p.name == truth[p.sr_id].listed_name() for p in players)
    resolved = {p.sr_id: resolve_player(p.full_name(), players).sr_id for p in truth.values()}
    assert all(found in (None, sr_id) for sr_id, found in resolved.items())  # never another player
    assert sum(found == sr_id for sr_id, found in resolved.items()) >= 0.9 * len(truth)
    assert any(p.middle or p.second_surname for p in truth.values())  # full names are longer than listed


def test_sportybet_prices_a_player_from_the_rosters_fair_probability() -> None:
    player = max(roster(4242), key=lambda p: p.rate)
    anytime = next(m for m in sportybet.render(4242, 7, "football", 1.0) if m["id"] == "40")
    odds = next(float(o["odds"]) for o in anytime["outcomes"] if o["id"] == f"sr:player:{player.sr_id}")
    fair = anytime_probability(player)
    assert 1 / (fair * 1.2) < odds < 1 / fair


def test_the_sportybet_parser_keys_the_rosters_players_by_their_ids() -> None:
    parse = parse_sportybet({"bizCode": 10000, "data": _sportybet_event(4242)}, sr_id=4242, captured_at=AT)
    scorers = {r.outcome for r in parse.rows if r.market == 40}
    assert {p.sr_id for p in roster_for(4242, 1.0)} <= scorers
