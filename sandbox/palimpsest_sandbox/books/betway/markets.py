"""Betway's markets of one event: the world's prices for Betway as the three joined arrays it serves.

Shapes as ``../shared/fixtures/captured/betway/markets_sr71583282_asian_handicap.json``: a market id is the
event id, UOF's market id and UOF's specifier as ``key=value~`` pairs; an outcome id is its market's id and
UOF's outcome id; a price ``{outcomeId, numerator, denominator, priceDecimal}``. A market on several lines
is "squashed" as captured: a parent (``isSquashedParent``, ``squashedMarketIds``, ``defaultLine``) listing
every line's outcomes under its own id with the line's in ``originalMarketId``, and one market per line
(``isSquashedMarket``, the line in ``handicap`` and ``displayName``). Outcome names are the teams' ("CF Cruz
Azul"), a total's "Over " with its line in ``sbv`` (" (2.5)"), a handicap's head start in ``sbv``
(" (0 : 0.5)"). Football adds Betway's own "1X2 (1Up)" (1601, ``xup=N``; early_payout.py). Returned as market
groups (a parent with its lines, or one market), the unit
``skip``/``take`` count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any

from palimpsest_pipeline.markets.vocabulary import VOCABULARY
from palimpsest_pipeline.records import Book
from palimpsest_sandbox.markets.early_payout import early_payout
from palimpsest_sandbox.markets.labels import book_spec, uof_label
from palimpsest_sandbox.markets.pricing import BookPrices, book_prices

#: The three-goal early-payout 1X2 is listed on deep matches only.
THREE_UP_DEPTH = 0.5

_PUBLISHED = "2026-05-21T23:10:43.4886507Z"
_HANDICAP_OUTCOMES = frozenset({1714, 1715})


@dataclass
class MarketGroup:
    """One entry of ``marketsInGroup`` (with its lines' entries after it) and its outcomes and prices."""

    markets: list[dict[str, Any]] = field(default_factory=list)
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    prices: list[dict[str, Any]] = field(default_factory=list)


def market_id(sr_id: int, market: int, spec: str) -> str:
    """ "7158328218total=0.5~": event id, UOF market id, the specifier's pairs each closed by "~"."""
    uof = book_spec(market, spec)
    return f"{sr_id}{market}" + "".join(f"{part}~" for part in uof.split("|") if part)


@lru_cache(maxsize=8_192)  # a price ladder has a few thousand rungs; limit_denominator is costly
def fraction(price: float) -> tuple[int, int]:
    """The fractional odds Betway shows beside a decimal price (13/20 for 1.65)."""
    value = Fraction(price - 1).limit_denominator(100)
    return value.numerator, value.denominator


@lru_cache(maxsize=4_096)  # a few hundred specifiers exist
def _line_text(spec: str) -> tuple[str, float] | None:
    """(what the line reads as, the ``handicap`` value) of a lone total or handicap specifier."""
    key, _, value = spec.partition("=")
    if "|" in spec or key not in ("total", "hcp"):
        return None
    line = float(value)
    if key == "total":
        return f"{line:g}", line
    home, away = (line, 0.0) if line >= 0 else (0.0, -line)
    return f"{home:g} : {away:g}", line


def _outcome_name(market: int, spec: str, outcome: int, teams: tuple[str, str]) -> tuple[str, str]:
    """(``name``, ``sbv``): a total's "Over " and " (2.5)", a 2-way handicap's team and " (0 : 0.5)"."""
    line = _line_text(spec)
    if line is not None and spec.startswith("total=") and outcome in (12, 13):
        return ("Over " if outcome == 12 else "Under "), f" ({line[0]})"
    if line is not None and spec.startswith("hcp=") and outcome in _HANDICAP_OUTCOMES:
        return teams[0 if outcome == 1714 else 1], f" ({line[0]})"
    text = uof_label(market, spec, outcome)
    if text in ("Home", "Away"):
        return teams[0 if text == "Home" else 1], ""
    return text, ""


def render(
    sr_id: int, match_seed: int, version: int, sport: str, depth: float, teams: tuple[str, str]
) -> list[MarketGroup]:
    """The market groups of one match version on Betway, in the world's order."""
    prices = book_prices(Book.BETWAY, match_seed, version, sport, depth)
    groups = priced_groups(sr_id, prices, version, teams)
    if sport == "football":
        groups.append(_early_payout(sr_id, match_seed, version, depth, teams, len(groups)))
    return groups


def priced_groups(
    sr_id: int,
    prices: BookPrices,
    version: int,
    teams: tuple[str, str],
    suspended: frozenset[str] = frozenset(),
) -> list[MarketGroup]:
    """The market groups of canonical ``prices`` (a suspended outcome's odds kept; 1.01 where none), the
    lines of ``suspended`` (market ids) shown suspended: the modelled part, prematch or in play."""
    by_market: dict[int, dict[str, list[tuple[int, float, bool]]]] = {}
    for (market, spec, outcome), (price, state) in prices.items():
        odds = 1.01 if price is None else price
        by_market.setdefault(market, {}).setdefault(spec, []).append((outcome, odds, state == "open"))
    groups: list[MarketGroup] = []
    for index, (market, lines) in enumerate(by_market.items()):
        group = MarketGroup()
        name = VOCABULARY[market].name
        squashed = len(lines) > 1 and all(_line_text(spec) is not None for spec in lines)
        parent = f"{sr_id}{market}"
        if squashed:
            line_ids = [market_id(sr_id, market, spec) for spec in lines]
            group.markets.append(
                _market(parent, sr_id, market, f"[{name}]", name, 0, index, version, parent=line_ids)
            )
        for spec, outcomes in lines.items():
            own = market_id(sr_id, market, spec)
            line = _line_text(spec)
            shown = f"{name} ({line[0]})" if line is not None else name
            group.markets.append(
                _market(
                    own, sr_id, market, name, shown, line[1] if line else 0, index, version, squashed=squashed
                )
            )
            if own in suspended:
                group.markets[-1]["isSuspended"] = True
            for outcome, price, is_open in outcomes:
                outcome_name, sbv = _outcome_name(market, spec, outcome, teams)
                listed_under = parent if squashed else own
                handicap = line[1] if line else 0
                outcome_id = f"{own}{outcome}"
                _add_outcome(
                    group,
                    listed_under,
                    own,
                    outcome_id,
                    outcome_name,
                    sbv,
                    handicap,
                    price,
                    is_open,
                    sr_id,
                    index,
                    version,
                )
        groups.append(group)
    return groups


def _early_payout(
    sr_id: int, match_seed: int, version: int, depth: float, teams: tuple[str, str], index: int
) -> MarketGroup:
    """Betway's own "1X2 (1Up)" (1601, ``xup=N``), one market per goals up, as captured."""
    group = MarketGroup()
    ups = (1, 2, 3) if depth >= THREE_UP_DEPTH else (1, 2)
    for up, odds in early_payout(Book.BETWAY, match_seed, version, ups).items():
        own = f"{sr_id}1601xup={up}~"
        name = f"1X2 ({up}Up)"
        group.markets.append(_market(own, sr_id, 1601, name, name, 0, index, version))
        for n, (side, price) in enumerate(zip((teams[0], "Draw", teams[1]), odds, strict=True)):
            _add_outcome(group, own, own, f"{own}{n + 1}", side, "", 0, price, True, sr_id, index, version)
    return group


def _add_outcome(
    group: MarketGroup,
    market_id: str,
    own: str,
    outcome_id: str,
    name: str,
    sbv: str,
    handicap: float,
    price: float,
    is_open: bool,
    sr_id: int,
    index: int,
    version: int,
) -> None:
    """One outcome (listed under ``market_id``, its line ``own``) and its price."""
    group.outcomes.append(
        {
            "outcomeId": outcome_id,
            "shouldDisplay": True,
            "isTradingActive": is_open,
            "marketId": market_id,
            "eventId": sr_id,
            "name": name,
            "displayName": name,
            "sbv": sbv,
            "index": index,
            "handicap": handicap,
            "isBoosted": False,
            "version": version,
            "skipExtractedHandicap": False,
            "originalMarketId": own,
            "publicHubPublishedTime": _PUBLISHED,
            "additionalInfo": {},
            "isCashOutAllowed": False,
        }
    )
    numerator, denominator = fraction(price)
    group.prices.append(
        {
            "outcomeId": outcome_id,
            "numerator": numerator,
            "denominator": denominator,
            "priceDecimal": price,
            "version": version,
            "publicHubPublishedTime": _PUBLISHED,
        }
    )


def _market(
    own: str,
    sr_id: int,
    market: int,
    name: str,
    shown: str,
    handicap: float,
    index: int,
    version: int,
    *,
    parent: list[str] | None = None,
    squashed: bool = False,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "marketId": own,
        "isActive": True,
        "shouldDisplay": True,
        "isSuspended": False,
        "eventId": sr_id,
        "name": name,
        "displayName": shown,
        "index": index + 1,
        "handicap": handicap,
        "isCashOutAllowed": True,
        "isBoosted": False,
        "version": version,
        "isSportBonusAllowed": True,
        "publicHubPublishedTime": _PUBLISHED,
        "additionalInfo": {"Producer": "3"},
        "marketTypeCName": shown,
        "isSquashedParent": parent is not None,
        "isSquashedMarket": squashed,
        "subscriptionId": market,
    }
    if parent is not None:
        body["squashedMarketIds"] = parent
        body["defaultLine"] = parent[len(parent) // 2]
    return body
