"""SportyBet's ``data.markets`` list: modelled canonical markets plus SportyBet-typical extras.

Market and outcome objects carry the same keys and value types as the captured event
(``../shared/fixtures/captured/sportybet/event_sr68995116_prematch.json``).
"""

from __future__ import annotations

import random
from typing import Any

from palimpsest_pipeline.markets.specifiers import home_line_to_score_handicap
from palimpsest_pipeline.markets.vocabulary import SCORE_HANDICAP_MARKETS, VOCABULARY
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.sandbox.markets.labels import outcome_label
from palimpsest_pipeline.sandbox.markets.pricing import book_prices

_BASE_CHANGE_MS = 1_778_000_000_000
_GROUPS = {"1st Half": "Half", "2nd Half": "Half"}
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


def _outcome(outcome_id: str, odds: float, active: bool, desc: str) -> dict[str, Any]:
    return {
        "id": outcome_id,
        "odds": f"{odds:.2f}",
        "probability": f"{min(0.999, 1 / (odds * 1.05)):.10f}",
        "voidProbability": "0E-10",
        "isActive": 1 if active else 0,
        "desc": desc,
    }


def _book_spec(market: int, spec: str) -> str:
    """Canonical specifier -> SportyBet's (3-way handicap back to UOF "a:b")."""
    if market in SCORE_HANDICAP_MARKETS and spec.startswith("hcp="):
        return "hcp=" + home_line_to_score_handicap(float(spec[4:]))
    return spec


def _modelled(match_seed: int, version: int, sport: str, changed: int) -> list[dict[str, Any]]:
    prices = book_prices(Book.SPORTYBET, match_seed, version, sport)
    markets: list[dict[str, Any]] = []
    current: tuple[int, str] | None = None
    outcomes: list[dict[str, Any]] = []
    for (market, spec, outcome), (price, state) in prices.items():
        if (market, spec) != current:
            if current is not None:
                markets.append(_finish(current, outcomes, changed))
            current, outcomes = (market, spec), []
        variant = VOCABULARY[market].variant
        outcome_id = f"{variant}:{outcome}" if variant else str(outcome)
        assert price is not None  # SportyBet keeps the odds of suspended outcomes
        outcomes.append(_outcome(outcome_id, price, state == "open", outcome_label(market, spec, outcome)))
    if current is not None:
        markets.append(_finish(current, outcomes, changed))
    return markets


_EARLY_GOALS_MINUTES = {"total=1.5": 10, "total=2.5": 30, "total=3.5": 50}


def _finish(key: tuple[int, str], outcomes: list[dict[str, Any]], changed: int) -> dict[str, Any]:
    market, spec = key
    name = VOCABULARY[market].name
    group = "Half" if name.startswith(("1st half", "2nd half")) else "Main"
    body = _market(str(market), name, _book_spec(market, spec) or None, outcomes, changed, group=group)
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
    ("450001", "Goal Bounds", [""], [(str(i), f"{i}") for i in range(20)]),
    ("450002", "Goal Bounds - Home", [""], [(str(i), f"{i}") for i in range(9)]),
    ("450003", "Goal Bounds - Away", [""], [(str(i), f"{i}") for i in range(9)]),
    ("450004", "Excluded Number of Goals", [""], [(str(i), f"{i}") for i in range(6)]),
    ("810001", "Goal Bounds - 1st Half", [""], [(str(i), f"{i}") for i in range(9)]),
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
    ("548", "Multigoals", [""], [(str(1730 + i), f"range {i}") for i in range(16)]),
    ("549", "Home Multigoals", [""], [(str(1746 + i), f"range {i}") for i in range(4)]),
    ("550", "Away Multigoals", [""], [(str(1746 + i), f"range {i}") for i in range(4)]),
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
_PLAYER_MARKETS = [
    ("38", "1st Goalscorer", "goalnr=1|type=prematch"),
    ("39", "Last Goalscorer", "type=prematch"),
    ("40", "Anytime Goalscorer", "type=prematch"),
]


def _extras(match_seed: int, version: int, changed: int) -> list[dict[str, Any]]:
    rng = random.Random(match_seed * 31 + version)
    markets: list[dict[str, Any]] = []
    for market_id, desc, specs, outcomes in _EXTRAS_FOOTBALL:
        for spec in specs:
            shown = desc.replace("{minute}", spec.split("|")[0].partition("=")[2]) if "{" in desc else desc
            rendered = [_outcome(oid, 1.05 + rng.random() * 12, True, odesc) for oid, odesc in outcomes]
            if market_id in _CASH_OUT_MARKETS:
                for outcome in rendered:
                    outcome["cashOutIsActive"] = 1
            market = _market(market_id, shown, spec or None, rendered, changed, group="Other")
            if market_id in _SLIDER_MARKETS:
                market["mode"] = "slider"
                market["parameters"] = [str(n) for n in range(5)] + ["5+"]
            markets.append(market)
    players = [
        (f"sr:player:{(match_seed * 97 + i * 7919) % 3_000_000 + 100_000}", f"Player {i}") for i in range(49)
    ]
    for market_id, desc, spec in _PLAYER_MARKETS:
        rendered = [_outcome("1716", 12.0 + rng.random() * 6, True, "No Goal")]
        rendered += [_outcome(pid, 2.0 + rng.random() * 40, True, name) for pid, name in players]
        markets.append(_market(market_id, desc, spec, rendered, changed, group="Player"))
    return markets


def render(match_seed: int, version: int, sport: str) -> list[dict[str, Any]]:
    """SportyBet ``data.markets`` for one match version."""
    changed = _BASE_CHANGE_MS + (match_seed % 600) * 1000 + version * 60_000
    markets = _modelled(match_seed, version, sport, changed)
    if sport == "football":
        markets.extend(_extras(match_seed, version, changed))
    return markets
