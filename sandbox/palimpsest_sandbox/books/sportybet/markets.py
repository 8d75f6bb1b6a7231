"""SportyBet's ``data.markets`` list: modelled canonical markets plus SportyBet-typical extras.

Market and outcome objects carry the same keys and value types as the captured event
(``../shared/fixtures/captured/sportybet/event_sr68995116_prematch.json``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from palimpsest_pipeline.markets.sportybet.equivalents import EQUIVALENTS
from palimpsest_pipeline.markets.vocabulary import VOCABULARY
from palimpsest_pipeline.records import Book
from palimpsest_sandbox.books.sportybet import players
from palimpsest_sandbox.markets import moves
from palimpsest_sandbox.markets.labels import book_spec, outcome_id, outcome_label
from palimpsest_sandbox.markets.moves import unit
from palimpsest_sandbox.markets.players import prop_version
from palimpsest_sandbox.markets.pricing import book_prices, line_code
from palimpsest_sandbox.markets.shared_props import priced_as, prop_odds

_BASE_CHANGE_MS = 1_778_000_000_000
#: SportyBet-typical families appear from a depth spread over [0, EXTRA_DEPTH_SPAN).
EXTRA_DEPTH_SPAN = 0.6
_EXTEND_1X2 = [
    {"name": "1UP", "rootMarketId": "1", "nodeMarketId": "60200", "notSupport": False},
    {"name": "2UP", "rootMarketId": "1", "nodeMarketId": "60100", "notSupport": False},
]


def _market(
    market_id: str,
    desc: str,
    spec: str | None,
    outcomes: list[dict[str, Any]],
    changed: int,
    *,
    status: int = 0,
    group: str = "Main",
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": market_id,
        "product": 3,
        "desc": desc,
        "status": status,
        "group": group,
        "groupId": f"171121135724MGI{int(market_id) % 100000:08d}",
        "marketGuide": f"{desc}. Overtime not included.",
        "title": ",".join(o["desc"] for o in outcomes[:3]),
        "name": desc,
        "favourite": 0,
        "outcomes": outcomes,
        "farNearOdds": 0,
    }
    if market_id == "1":
        body["marketExtendVOS"] = _EXTEND_1X2
    body["sourceType"] = "BET_RADAR"
    body["lastOddsChangeTime"] = changed
    body["banned"] = False
    if spec:
        body["specifier"] = spec
    return body


def _outcome(oid: str, odds: float, active: bool, desc: str) -> dict[str, Any]:
    texts = _ODDS_TEXTS.get(odds)
    if texts is None:
        texts = _odds_texts(odds)
    return {
        "id": oid,
        "odds": texts[0],
        "probability": texts[1],
        "voidProbability": "0E-10",
        "isActive": 1 if active else 0,
        "desc": desc,
    }


#: Odds -> their ``odds`` and ``probability`` texts. Odds are on a two-decimal ladder (~50,000 values at
#: most), and formatting both strings was a sixth of a SportyBet render.
_ODDS_TEXTS: dict[float, tuple[str, str]] = {}


def _odds_texts(odds: float) -> tuple[str, str]:
    texts = (f"{odds:.2f}", f"{min(0.999, 1 / (odds * 1.05)):.10f}")
    if len(_ODDS_TEXTS) < 100_000:
        _ODDS_TEXTS[odds] = texts
    return texts


def _modelled(match_seed: int, version: int, sport: str, depth: float) -> list[dict[str, Any]]:
    prices = book_prices(Book.SPORTYBET, match_seed, version, sport, depth)
    markets: list[dict[str, Any]] = []
    current: tuple[int, str] | None = None
    outcomes: list[dict[str, Any]] = []
    for (market, spec, outcome), (price, state) in prices.items():
        if (market, spec) != current:
            if current is not None:
                markets.append(_finish(current, outcomes, _line_changed(match_seed, version, current)))
            current, outcomes = (market, spec), []
        assert price is not None  # SportyBet keeps the odds of suspended outcomes
        label = outcome_label(market, spec, outcome)
        outcomes.append(_outcome(outcome_id(market, outcome), price, state == "open", label))
    if current is not None:
        markets.append(_finish(current, outcomes, _line_changed(match_seed, version, current)))
    return markets


def _line_changed(match_seed: int, version: int, line: tuple[int, str]) -> int:
    code = line_code(*line)
    return _changed(moves.market_version(version, match_seed, code))


_EARLY_GOALS_MINUTES = {"total=1.5": 10, "total=2.5": 30, "total=3.5": 50}


def _finish(key: tuple[int, str], outcomes: list[dict[str, Any]], changed: int) -> dict[str, Any]:
    market, spec = key
    name = VOCABULARY[market].name
    group = "Half" if name.startswith(("1st half", "2nd half")) else "Main"
    body = _market(str(market), name, book_spec(market, spec) or None, outcomes, changed, group=group)
    if market == 18 and spec in _EARLY_GOALS_MINUTES:  # as captured: totals link to their "early goals" twin
        body["earlyPayoutMarkets"] = [
            {
                "name": "over_under",
                "sourceMarketId": "18",
                "sourceSpecifier": spec,
                "mappedMarketId": "60180",
                "mappedSpecifier": f"minsnr={_EARLY_GOALS_MINUTES[spec]}|{spec}",
                "supported": True,
            }
        ]
    return body


# --- SportyBet-typical extras: not modelled; their prices are plausible noise ------------------------------
# (market id, desc, specifiers, outcomes as (id, desc)); "{line}" in a desc is filled from the specifier.
_YN = [("74", "Yes"), ("76", "No")]
_YN9 = [("39", "Yes"), ("40", "No")]
_1X2 = [("1", "Home"), ("2", "Draw"), ("3", "Away")]
_OU30 = [("30", "Over"), ("31", "Under")]


def _goal_bounds(top: int) -> list[tuple[str, str]]:
    """A SportyBet goal-bounds slider's outcomes as the book lists them: id ``11*low + (high-low)``, names
    "0", "0-1", ..., "1-5+", "5+" (the top bound open); "0 to top+" (certain) is not offered."""
    outcomes = []
    for low in range(top + 1):
        for high in range(low, top + 1):
            if low == 0 and high == top:
                continue
            plus = "+" if high == top else ""
            name = f"{low}{plus}" if low == high else f"{low}-{high}{plus}"
            outcomes.append((str(11 * low + high - low), name))
    return outcomes


#: UOF's multigoals outcomes by name (548 over the match, 549-553 for a team or a half).
_MULTIGOALS_TOTAL = {
    **{f"{a}-{b}": 1730 + i for i, (a, b) in enumerate(
        (a, b) for a in range(1, 6) for b in range(a + 1, 7)
    )},
    "7+": 1745,
    "0": 1804,
}  # fmt: skip
_MULTIGOALS_TEAM = {"1-2": 1746, "1-3": 1747, "2-3": 1748, "4+": 1749, "0": 1805}
_TEAM_MULTIGOALS_LISTED = [(str(oid), name) for name, oid in _MULTIGOALS_TEAM.items() if oid != 1805]
#: SportyBet-only markets whose outcomes are, in the world, UOF outcomes (so every book prices them alike):
#: a goal bound "0" is multigoals' "no goal", a bound "a-b" under the slider's top is that range.
_GOAL_BOUNDS_AS = {"450001": (548, _MULTIGOALS_TOTAL), "450002": (549, _MULTIGOALS_TEAM),
                   "450003": (550, _MULTIGOALS_TEAM), "810001": (552, _MULTIGOALS_TEAM)}  # fmt: skip
_EXTRAS_FOOTBALL: list[tuple[str, str, list[str], list[tuple[str, str]]]] = [
    ("60200", "1X2 - 1UP", [""], _1X2),
    ("60100", "1X2 - 2UP", [""], _1X2),
    (
        "60180",
        "Over/Under - Early Goals",
        ["minsnr=10|total=1.5", "minsnr=30|total=2.5"],
        [("12", "Over"), ("13", "Under")],
    ),
    *[(str(60000 + i), f"Goals in a row {i}", [""], _YN) for i in (0, 10, 20, 11, 21, 12, 22)],
    *[(str(60300 + i), f"To lead by {i % 3 + 1} goal(s) at any time", [""], _YN) for i in range(9)],
    ("450001", "Goal Bounds", [""], _goal_bounds(5)),
    ("450002", "Goal Bounds - Home", [""], _goal_bounds(3)),
    ("450003", "Goal Bounds - Away", [""], _goal_bounds(3)),
    ("450004", "Excluded Number of Goals", [""], [(str(i), f"{i}") for i in range(5)] + [("5", "5+")]),
    ("810001", "Goal Bounds - 1st Half", [""], _goal_bounds(3)),
    *[
        (str(mid), desc, [""], _YN9)
        for mid, desc in (
            (900027, "Both Teams to Score in Both Halves Yes/No"),
            (900041, "No Draw Both Teams To Score Yes/No"),
            (900036, "Half-time Home Team to Win to Nil Yes/No"),
            (900037, "Half-time Away Team to Win to Nil Yes/No"),
        )
    ],
    ("900069", "1X2 from 1 to {minute} minute", [f"minute={m}" for m in range(5, 80, 5)], _1X2),
    (
        "900313",
        "Total Goals Over/Under from 1 to {minute} minute",
        [f"minute={m}|total={t}" for m in range(5, 90, 5) for t in ("0.5", "1.5", "2.5", "3.5")],
        _OU30,
    ),
    ("900300", "Home Team Total Corners", [f"total={t}.5" for t in range(3, 8)], _OU30),
    ("900301", "Away Team Total Corners", [f"total={t}.5" for t in range(2, 7)], _OU30),
    (
        "166",
        "Corners - Over/Under",
        [f"total={t}.5" for t in range(7, 12)],
        [("12", "Over"), ("13", "Under")],
    ),
    ("165", "Corner Handicap", ["hcp=-1.5", "hcp=-0.5", "hcp=0.5"], [("1714", "Home"), ("1715", "Away")]),
    ("162", "Corners - 1X2", [""], _1X2),
    ("172", "Odd/Even Corners", [""], [("70", "Odd"), ("72", "Even")]),
    ("548", "Multigoals", [""], [(str(oid), name) for name, oid in _MULTIGOALS_TOTAL.items() if oid != 1804]),
    ("549", "Home Multigoals", [""], _TEAM_MULTIGOALS_LISTED),
    ("550", "Away Multigoals", [""], _TEAM_MULTIGOALS_LISTED),
    (
        "818",
        "Halftime/Fulltime & Over/Under",
        [f"total={t}.5" for t in range(1, 5)],
        [(str(1836 + i), f"combo {i}") for i in range(18)],
    ),
    ("46", "Half Time/Full Time Correct Score", [""], [(str(326 + 2 * i), f"score {i}") for i in range(46)]),
    *[(str(mid), f"UOF combo {mid}", ["total=2.5"] if mid < 860 else [""], _YN) for mid in range(854, 866)],
]
_EXTRAS_FOOTBALL += [
    (str(mid), f"UOF market {mid}", [""], [(str(oid), f"outcome {oid}") for oid in outcomes])
    for mid, outcomes in (
        (55, (806, 808, 810, 812)),
        (58, (74, 76)),
        (59, (74, 76)),
        (100, (584, 586, 588, 590, 592, 594, 596)),
        (101, tuple(range(598, 618, 2))),
        (163, (6, 7, 8)),
        (164, (6, 7, 8)),
        (173, (1, 2, 3)),
        (174, (6, 7, 8)),
        (175, (6, 7, 8)),
        (180, (730, 732, 734, 736)),
        (181, (730, 732, 734, 736)),
        (183, (70, 72)),
        (184, (814, 816, 818, 820, 822, 824, 826)),
        (540, tuple(range(1718, 1724))),
        (541, tuple(range(1718, 1724))),
        (542, tuple(range(1718, 1724))),
        (543, (78, 80, 82, 84, 86, 88)),
        (545, tuple(range(1718, 1724))),
        (552, (1746, 1747, 1748, 1749, 1805)),
        (553, (1746, 1747, 1748, 1749, 1805)),
        (1179, (1, 2, 3)),
        (76, (74, 76)),
        (77, (74, 76)),
        (96, (74, 76)),
        (97, (74, 76)),
        (78, (78, 80, 82, 84, 86, 88)),
        (53, (436, 438, 440)),
        (54, (436, 438, 440)),
        (551, tuple(range(1750, 1760))),
    )
]
_EXTRAS_FOOTBALL += [
    (
        str(mid),
        f"UOF market {mid}",
        ["total=1.5", "total=2.5", "total=3.5"],
        [(str(o), f"outcome {o}") for o in outs],
    )
    for mid, outs in (
        (79, (794, 796, 798, 800, 802, 804)),
        (544, (794, 796, 798, 800, 802, 804)),
        (177, (12, 13)),
        (819, tuple(range(1836, 1854))),
    )
]
_CASH_OUT_MARKETS = frozenset({"60200", "60100"})
_SLIDER_MARKETS = frozenset({"450001", "450002", "450003", "450004"})


def _changed(market_version: int) -> int:
    """``lastOddsChangeTime``: moves only when the market re-prices."""
    return _BASE_CHANGE_MS + market_version * 60_000


def _extras(match_seed: int, version: int, depth: float) -> list[dict[str, Any]]:
    """SportyBet-typical markets the model does not price: more families the deeper the event."""
    markets: list[dict[str, Any]] = []
    for index, (market_id, desc, specs, outcomes) in enumerate(_EXTRAS_FOOTBALL):
        if depth < 1.0 and unit(index, 0x5B) * EXTRA_DEPTH_SPAN >= depth:
            continue
        for line, spec in enumerate(specs):
            shown = desc.replace("{minute}", spec.split("|")[0].partition("=")[2]) if "{" in desc else desc
            market_version, draw = prop_version(match_seed, version, index * 1_000 + line + 0x5B000)
            rendered = [
                _outcome(oid, _shared_odds(match_seed, market_id, spec, (oid, odesc), draw, n), True, odesc)
                for n, (oid, odesc) in enumerate(outcomes)
            ]
            if market_id in _CASH_OUT_MARKETS:
                for outcome in rendered:
                    outcome["cashOutIsActive"] = 1
            market = _market(
                market_id, shown, spec or None, rendered, _changed(market_version), group="Other"
            )
            if market_id in _SLIDER_MARKETS:
                market["mode"] = "slider"
                market["parameters"] = [str(n) for n in range(5)] + ["5+"]
            markets.append(market)
    return markets


def render(
    match_seed: int, version: int, sport: str, depth: float = 1.0, teams: tuple[str, str] = ("Home", "Away")
) -> list[dict[str, Any]]:
    """SportyBet ``data.markets`` for one match version at an event depth in [0, 1] (moves.py, world)."""
    markets = _modelled(match_seed, version, sport, depth)
    if sport == "football":
        markets.extend(_extras(match_seed, version, depth))
        markets.extend(players.render(match_seed, version, depth, _market, _outcome, teams))
    elif depth > 0.3:
        markets.extend(_other_sport_extras(match_seed, version, sport, depth))
    return markets


#: Quarter and set markets SportyBet lists on basketball and tennis (noise-priced, UOF ids the
#: model does not price): (market id, desc, lines, outcomes).
_OU = [("12", "Over"), ("13", "Under")]
_EXTRAS_OTHER: dict[str, list[tuple[str, str, list[str], list[tuple[str, str]]]]] = {
    "basketball": [
        (
            "235",
            "Quarter - 1X2",
            [f"quarternr={q}" for q in range(1, 5)],
            [("1", "Home"), ("2", "Draw"), ("3", "Away")],
        ),
        (
            "236",
            "Quarter - total",
            [f"quarternr={q}|total={36 + k}.5" for q in range(1, 5) for k in range(14)],
            _OU,
        ),
        ("227", "Home total", [f"total={72 + k}.5" for k in range(16)], _OU),
        ("228", "Away total", [f"total={70 + k}.5" for k in range(16)], _OU),
    ],
    "tennis": [
        ("202", "Set - winner", ["setnr=1", "setnr=2"], [("4", "Home"), ("5", "Away")]),
        ("204", "Set - total games", [f"setnr=1|total={k}.5" for k in range(7, 12)], _OU),
        (
            "203",
            "Set - game handicap",
            [f"setnr=1|hcp={k}.5" for k in range(-4, 4)],
            [("1714", "Home"), ("1715", "Away")],
        ),
        ("188", "Set handicap", ["hcp=-1.5", "hcp=1.5"], [("1714", "Home"), ("1715", "Away")]),
        ("190", "Home total games", [f"total={k}.5" for k in range(9, 14)], _OU),
        ("191", "Away total games", [f"total={k}.5" for k in range(9, 14)], _OU),
    ],
}


def _shared_odds(
    match_seed: int, market_id: str, spec: str, listed: tuple[str, str], draw: int, n: int
) -> float:
    """SportyBet's price of an unmodelled outcome (``listed`` is its id and name), from the fair probability
    every book shares; a native market or outcome that is a UOF one in the world is priced as that."""
    market, priced, outcome = _priced_key(market_id, spec, listed)
    return prop_odds(Book.SPORTYBET, match_seed, market, priced, outcome, draw, n)


@lru_cache(maxsize=16_384)  # the same for every match: a few thousand extra outcomes exist
def _priced_key(market_id: str, spec: str, listed: tuple[str, str]) -> tuple[int, str, int]:
    """The canonical (market, specifier, outcome) whose fair probability prices a SportyBet extra."""
    oid, name = listed
    market, outcome = int(market_id), int(oid)
    if market_id in EQUIVALENTS:
        market, outcomes = EQUIVALENTS[market_id]
        outcome = outcomes.get(oid, outcome)
    elif market_id in _GOAL_BOUNDS_AS and name in _GOAL_BOUNDS_AS[market_id][1]:
        market, outcome = _GOAL_BOUNDS_AS[market_id][0], _GOAL_BOUNDS_AS[market_id][1][name]
        spec = ""
    else:
        market, spec = priced_as(market, spec)
    return market, spec, outcome


def _other_sport_extras(match_seed: int, version: int, sport: str, depth: float) -> list[dict[str, Any]]:
    markets: list[dict[str, Any]] = []
    for index, (market_id, desc, specs, outcomes) in enumerate(_EXTRAS_OTHER.get(sport, [])):
        for line, spec in enumerate(specs):
            if unit(match_seed, index, line, 0x07) > depth:
                continue
            market_version, draw = prop_version(match_seed, version, index * 1_000 + line + 0x07000)
            rendered = [
                _outcome(oid, _shared_odds(match_seed, market_id, spec, (oid, odesc), draw, n), True, odesc)
                for n, (oid, odesc) in enumerate(outcomes)
            ]
            markets.append(_market(market_id, desc, spec or None, rendered, _changed(market_version)))
    return markets
