"""BetPawa's player markets in the sandbox; goal ranges and goal combinations priced from the match's score.

Bodies are read by the books' own parsers. Expected keys come from ../shared/uof's ids (UOF 38/39/40 with
``type=prematch``) and the grammar's documented canonical keys; expected prices from probabilities computed
here by hand from the model's goal rates (a Poisson total, a Poisson grid) or from the model's own markets
(half time/full time, half totals), never from the sandbox's pricing code.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import pytest

from palimpsest_pipeline.books.bet9ja.odds import parse_odds as parse_bet9ja
from palimpsest_pipeline.books.betpawa.odds import parse_odds as parse_betpawa
from palimpsest_pipeline.books.sportybet.odds import parse_odds as parse_sportybet
from palimpsest_pipeline.markets.combinations import ALL_OF, combination_key
from palimpsest_pipeline.markets.players import name_key, roster_entry
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline_tests.markets.player_match import resolve_player
from palimpsest_sandbox.books.bet9ja import markets as bet9ja
from palimpsest_sandbox.books.betpawa import markets as betpawa
from palimpsest_sandbox.books.betpawa.markets import DETAIL_SHAPES
from palimpsest_sandbox.books.sportybet import markets as sportybet
from palimpsest_sandbox.markets.model import fair_book, goal_rates
from palimpsest_sandbox.markets.players import roster_for

AT = datetime(2026, 11, 25, tzinfo=UTC)
SEEDS = (11, 4242, 90_001)
DESCRIBED = 2_000_003
TEAMS = ("Home FC", "Away City")
#: Each book's exotic margin (main margin + 0.06, sandbox/markets/pricing.py's documented figures), the
#: sandbox's +-3 % noise and the books' rounding: an implied probability over a fair one sits in this band.
BAND = {Book.BETPAWA: (1.06, 1.19), Book.SPORTYBET: (1.05, 1.185), Book.BET9JA: (1.07, 1.22)}


def _betpawa_rows(seed: int, shape: str, depth: float = 1.0) -> list[OddsRow]:
    event = {"id": "1", "category": {"id": "2"}, "markets": betpawa.render(seed, 7, "football", depth, shape)}
    return parse_betpawa(event, sr_id=seed, captured_at=AT).rows


def _sportybet(seed: int) -> tuple[list[Any], list[OddsRow]]:
    markets = sportybet.render(seed, 7, "football", 1.0, TEAMS)
    event = {"eventId": f"sr:match:{seed}", "homeTeamName": TEAMS[0], "awayTeamName": TEAMS[1],
             "sport": {"id": "sr:sport:1"}, "markets": markets}  # fmt: skip
    return markets, parse_sportybet({"bizCode": 10000, "data": event}, sr_id=seed, captured_at=AT).rows


def _bet9ja(seed: int) -> tuple[dict[str, str], list[OddsRow]]:
    body = {"R": "OK", "D": bet9ja.render(seed, 7, "football", 1.0)}
    return body["D"]["O"], parse_bet9ja(body, sr_id=seed, captured_at=AT).rows


def _prices(rows: Iterable[OddsRow]) -> dict[tuple[int, str, int], float]:
    return {(r.market, r.specifier, r.outcome): r.price for r in rows if r.price is not None}


def _in_band(book: Book, price: float, fair: float) -> bool:
    low, high = BAND[book]
    return low <= 1 / (price * fair) <= high


# --- BetPawa's player markets -------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [shape for shape, _share in DETAIL_SHAPES])
@pytest.mark.parametrize("seed", SEEDS)
def test_betpawa_player_markets_land_on_their_keys_in_every_shape(seed: int, shape: str) -> None:
    prices = _prices(_betpawa_rows(seed, shape))
    players = roster_for(seed, 1.0)
    for player in players:
        key = name_key(player.full_name())
        anytime = prices[(40, "type=prematch", key)]
        assert _in_band(Book.BETPAWA, anytime, 1 - math.exp(-player.rate)), player
        for market, spec in ((38, "goalnr=1|type=prematch"), (38, "goalnr=2|type=prematch"),
                             (39, "type=prematch")):  # fmt: skip
            assert (market, spec, key) in prices, (player, market, spec)
    for market, spec in (
        (38, "goalnr=1|type=prematch"),
        (38, "goalnr=2|type=prematch"),
        (39, "type=prematch"),
    ):
        assert (market, spec, 1716) in prices  # "No Goalscorer" is UOF's "no goal"
    regulars = [name_key(p.full_name()) for p in players[: round(len(players) * 0.62)]]
    for family, lines in (("score.match.player.scoreorassist", [""]), ("score.match.player.carded", [""]),
                          ("shots.match.player.total", ["0.5", "1.5", "2.5"]),
                          ("shotsontarget.match.player.total", ["0.5", "1.5"])):  # fmt: skip
        outcome = 74 if lines == [""] else 12
        for key in regulars:
            for line in lines:
                spec = f"market={family}|player={key}" + (f"|total={line}" if line else "")
                assert (DESCRIBED, spec, outcome) in prices, spec
    saves = {k for k in prices if k[0] == DESCRIBED and "market=saves.match.player.total" in k[1]}
    assert len(saves) == 2 * 4 * 2  # two keepers, four lines, over and under
    for market, spec, outcome in saves:  # over and under of a line: one plus BetPawa's exotic margin
        other = prices[(market, spec, 25 - outcome)]
        assert 1.05 < 1 / prices[(market, spec, outcome)] + 1 / other < 1.2


def test_betpawa_lists_players_only_on_deep_events() -> None:
    assert not any(r.market in (38, 39, 40) for r in _betpawa_rows(4242, "goals", 0.2))
    shallow = _betpawa_rows(4242, "goals", 0.45)
    assert {r.market for r in shallow if r.market in (38, 39, 40)} == {40}
    assert not any("player=" in r.specifier for r in shallow)


@pytest.mark.parametrize("seed", SEEDS)
def test_betpawa_and_sportybet_price_a_player_alike_once_names_are_resolved(seed: int) -> None:
    markets, sporty_rows = _sportybet(seed)
    sporty = _prices(sporty_rows)
    listed = [
        entry
        for market in markets
        if market["id"] == "40"
        for outcome in market["outcomes"]
        if (entry := roster_entry(outcome["id"], outcome["desc"])) is not None
    ]
    ids: dict[int, int] = {}
    for player in roster_for(seed, 1.0):
        found = resolve_player(player.full_name(), listed).sr_id
        if found is not None:
            ids[name_key(player.full_name())] = found
    assert len(ids) >= 0.9 * len(roster_for(seed, 1.0))
    met = []
    for (market, spec, outcome), price in _prices(_betpawa_rows(seed, "goals")).items():
        if market in (38, 39, 40) and outcome in ids:
            key = (market, spec, ids[outcome])
        elif market == DESCRIBED and "|player=" in spec:
            head, _, rest = spec.partition("|player=")
            player, _, tail = rest.partition("|")
            if int(player) not in ids:
                continue
            key = (market, "|".join(filter(None, (f"{head}|player={ids[int(player)]}", tail))), outcome)
        else:
            continue
        if key in sporty:
            met.append(price / sporty[key])
    assert len(met) >= 3 * 0.9 * len(roster_for(seed, 1.0))  # first, last and anytime at least
    assert all(0.88 < ratio < 1.13 for ratio in met), (min(met), max(met))


# --- goal ranges and combinations from the match's score -------------------------------------------------


def _poisson(rate: float, k: int) -> float:
    return math.exp(-rate) * rate**k / math.factorial(k)


#: UOF 548's ranges (../shared/uof): outcome -> (fewest, most) goals.
RANGES = {1730 + i: span for i, span in enumerate((a, b) for a in range(1, 6) for b in range(a + 1, 7))}


@pytest.mark.parametrize("seed", SEEDS)
def test_every_books_goal_ranges_are_priced_from_the_matchs_goals(seed: int) -> None:
    home, away = goal_rates(seed, 0)
    fair = {o: sum(_poisson(home + away, k) for k in range(a, b + 1)) for o, (a, b) in RANGES.items()}
    books = {
        Book.BETPAWA: _prices(_betpawa_rows(seed, "goals")),
        Book.SPORTYBET: _prices(_sportybet(seed)[1]),
        Book.BET9JA: _prices(_bet9ja(seed)[1]),
    }
    for book, prices in books.items():
        ranges = {o: prices[(548, "", o)] for o in RANGES if (548, "", o) in prices}
        assert len(ranges) >= 10, book
        for outcome, price in ranges.items():
            assert _in_band(book, price, fair[outcome]), (book, outcome, price, fair[outcome])


def _ft_grid(seed: int) -> dict[tuple[int, int], float]:
    home, away = goal_rates(seed, 0)
    return {(h, a): _poisson(home, h) * _poisson(away, a) for h in range(15) for a in range(15)}


@pytest.mark.parametrize("seed", SEEDS)
def test_bet9ja_result_with_a_goal_range_is_the_joint_chance(seed: int) -> None:
    odds, rows = _bet9ja(seed)
    prices = _prices(rows)
    grid = _ft_grid(seed)
    checked = 0
    for label, sign in (("1", 1), ("X", 0), ("2", -1)):
        for a, b in ((1, 2), (2, 3), (3, 4), (2, 5)):
            key = combination_key(ALL_OF, [(1, "", {1: 1, 0: 2, -1: 3}[sign]), (548, "", _range_id(a, b))])
            fair = sum(p for (h, w), p in grid.items() if a <= h + w <= b and (h > w) - (h < w) == sign)
            if key in prices and fair > 0.01:
                assert _in_band(Book.BET9JA, prices[key], fair), (label, a, b)
                assert prices[key] == float(odds[f"S_1X2MULTI{a}-{b}_{label}"])
                checked += 1
    assert checked >= 6


def _range_id(a: int, b: int) -> int:
    return next(o for o, span in RANGES.items() if span == (a, b))


@pytest.mark.parametrize("seed", SEEDS)
def test_bet9ja_half_time_double_chance_with_full_time_result_is_the_models_half_time_full_time(
    seed: int,
) -> None:
    prices = _prices(_bet9ja(seed)[1])
    fair = fair_book(seed, 0, "football")
    # UOF 47: 422 home at half time / away at full time, 428 draw / away; 63/9 is 1st-half "home or draw"
    key = combination_key(ALL_OF, [(63, "", 9), (1, "", 3)])
    assert _in_band(Book.BET9JA, prices[key], fair[(47, "", 422)] + fair[(47, "", 428)])


@pytest.mark.parametrize("seed", SEEDS)
def test_bet9ja_half_of_the_first_goal_is_listed_and_agrees_with_the_models_half_totals(seed: int) -> None:
    odds, rows = _bet9ja(seed)
    prices = _prices(rows)
    assert {f"S_1STGHT_{k}" for k in ("1", "2", "NG")} <= set(odds)
    fair = fair_book(seed, 0, "football")
    second = combination_key(ALL_OF, [(68, "total=0.5", 13), (90, "total=0.5", 12)])
    assert _in_band(Book.BET9JA, prices[second], fair[(68, "total=0.5", 13)] * fair[(90, "total=0.5", 12)])
    # "First Half" is the first half's over 0.5: where the book lists that line, at its price
    if (68, "total=0.5", 12) in prices:
        assert float(odds["S_1STGHT_1"]) == prices[(68, "total=0.5", 12)]
    home_second = combination_key(ALL_OF, [(69, "total=0.5", 13), (91, "total=0.5", 12)])
    assert home_second in prices
