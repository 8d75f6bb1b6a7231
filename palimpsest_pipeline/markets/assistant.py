"""Mapping assistant: propose a UOF key for each unmapped market of a book from a keyed book's same match.

Books add market types faster than anyone reads them; an unmapped market whose prices line up, outcome by
outcome, with one keyed market of the same match on SportyBet is very probably that market. Pure: it proposes
with the evidence and never applies anything (the rules: docs/market-keys.md).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from palimpsest_pipeline.markets.vocabulary import VOCABULARY
from palimpsest_pipeline.records import OddsRow

MARGIN_BOUNDS = (0.0, 0.25)
#: Two or three prices agree with SOME keyed group by chance among hundreds: a small market needs its name
#: to resemble the UOF name as well; from this many outcomes on, price agreement alone is evidence enough.
OUTCOMES_ENOUGH_ALONE = 4
MIN_NAME_SIMILARITY = 0.5


@dataclass(frozen=True, slots=True)
class BookMarket:
    """One market of the book being mapped, on one line: its key, display name and priced outcomes."""

    key: str  # Bet9ja market key without prefix ("DCGGNG"), BetPawa marketType id
    name: str
    line: str  # the book's @param / handicap line as text, "" for line-less markets
    outcomes: tuple[tuple[str, str, float], ...]  # (outcome key, outcome name, price)


@dataclass(frozen=True, slots=True)
class Proposal:
    market: BookMarket
    canonical: int
    specifier: str
    line_rule: str  # "none", "total" or "hcp"
    pairs: tuple[
        tuple[str, str, float, int, float], ...
    ]  # (okey, oname, book price, UOF outcome, keyed price)
    worst_gap: float  # largest relative price difference over the pairs
    margin: float | None  # the book's margin on these outcomes when the UOF market is complete
    name_similarity: float  # 0..1, book market name vs UOF market name

    def describe(self) -> str:
        """The evidence, for a person deciding whether to accept it."""
        uof = VOCABULARY[self.canonical].name if self.canonical in VOCABULARY else "?"
        line = f" @{self.market.line}" if self.market.line else ""
        margin = "n/a" if self.margin is None else f"{self.margin:.3f}"
        head = (
            f"{self.market.key}{line} {self.market.name!r} -> UOF {self.canonical} {self.specifier!r} "
            f"({uof!r}); worst price gap {self.worst_gap:.1%}, margin {margin}, "
            f"name similarity {self.name_similarity:.2f}"
        )
        rows = [
            f"    {okey:>14} {oname[:28]:<28} {price:>8.2f}  vs  outcome {outcome:<6} {keyed:>8.2f}"
            for okey, oname, price, outcome, keyed in self.pairs
        ]
        return "\n".join([head, *rows])


def bet9ja_markets(payload: Mapping[str, Any], mapped: Iterable[str]) -> list[BookMarket]:
    """Bet9ja's unmapped markets in ``payload``: ``mapped`` are the market keys (no prefix) already mapped."""
    body = payload.get("D", payload)
    names = {str(mk.get("ID", "")).partition("_")[2]: str(mk.get("DS", "")) for mk in body.get("MK") or []}
    skip = set(mapped)
    grouped: dict[tuple[str, str], list[tuple[str, str, float]]] = defaultdict(list)
    for key, raw in (body.get("O") or {}).items():
        _prefix, _, rest = key.partition("_")
        head, _, outcome = rest.rpartition("_")
        market, _, line = head.partition("@")
        value = raw.get("v") if isinstance(raw, Mapping) else raw
        price = _price(value)
        if market and market not in skip and price is not None:
            grouped[(market, line)].append((outcome, outcome, price))
    return [
        BookMarket(market, names.get(market, ""), line, tuple(sorted(outcomes)))
        for (market, line), outcomes in sorted(grouped.items())
    ]


def betpawa_markets(payload: Mapping[str, Any], mapped: Iterable[str]) -> list[BookMarket]:
    """BetPawa's unmapped markets: ``mapped`` are the marketType ids already mapped."""
    skip = set(mapped)
    found: list[BookMarket] = []
    for market in payload.get("markets") or []:
        market_type = market.get("marketType") or {}
        type_id = str(market_type.get("id"))
        if type_id in skip:
            continue
        for row in market.get("row") or []:
            outcomes = []
            lines = set()
            for price in row.get("prices") or []:
                value = _price(price.get("odds", price.get("price")))
                if value is None or price.get("suspended") is True:
                    continue
                outcomes.append((str(price.get("typeId")), str(price.get("name")), value))
                handicap = price.get("handicap")
                if handicap:
                    lines.add(str(handicap).rpartition(" ")[2].lstrip("+"))
            if outcomes:
                line = min(lines, key=lambda text: abs(float(text))) if lines else ""
                found.append(BookMarket(type_id, str(market_type.get("name", "")), line, tuple(outcomes)))
    return found


def propose(
    markets: Iterable[BookMarket], keyed: Iterable[OddsRow], *, tolerance: float = 0.08, best: int = 1
) -> list[Proposal]:
    """Up to ``best`` proposals per book market whose prices agree with a keyed group (module docstring)."""
    groups: dict[tuple[int, str], list[tuple[int, float]]] = defaultdict(list)
    for row in keyed:
        if row.state == "open" and row.price is not None:
            groups[(row.market, row.specifier)].append((row.outcome, row.price))
    proposals: list[Proposal] = []
    for market in markets:
        found = [
            proposal
            for (canonical, spec), outcomes in groups.items()
            if (proposal := _compare(market, canonical, spec, outcomes, tolerance)) is not None
        ]
        found.sort(key=lambda p: (p.worst_gap, -p.name_similarity))
        proposals += found[:best]
    return proposals


def _compare(
    market: BookMarket, canonical: int, spec: str, outcomes: list[tuple[int, float]], tolerance: float
) -> Proposal | None:
    if len(outcomes) != len(market.outcomes) or len(outcomes) < 2:
        return None
    line_rule = _line_rule(market.line, spec)
    if line_rule is None:
        return None
    mine = sorted(market.outcomes, key=lambda o: o[2])
    theirs = sorted(outcomes, key=lambda o: o[1])
    pairs = tuple(
        (okey, oname, price, oid, keyed)
        for (okey, oname, price), (oid, keyed) in zip(mine, theirs, strict=True)
    )
    worst = max(abs(price / keyed - 1) for _k, _n, price, _o, keyed in pairs)
    if worst > tolerance:
        return None
    definition = VOCABULARY.get(canonical)
    margin = None
    if definition is not None and definition.complete:
        margin = sum(1 / price for _k, _n, price, _o, _p in pairs) - 1
        if not MARGIN_BOUNDS[0] <= margin <= MARGIN_BOUNDS[1]:
            return None
    uof_name = definition.name if definition is not None else ""
    similarity = difflib.SequenceMatcher(None, market.name.casefold(), uof_name.casefold()).ratio()
    if len(pairs) < OUTCOMES_ENOUGH_ALONE and similarity < MIN_NAME_SIMILARITY:
        return None
    return Proposal(market, canonical, spec, line_rule, pairs, worst, margin, similarity)


def _line_rule(line: str, spec: str) -> str | None:
    """How the book's param relates to the keyed specifier: "none", "total" or "hcp"; None if it does not."""
    pairs = dict(part.split("=", 1) for part in spec.split("|")) if spec else {}
    if not line:
        return "none" if not ({"total", "hcp"} & pairs.keys()) else None
    try:
        value = float(line)
    except ValueError:
        return None
    for key in ("total", "hcp"):
        if key in pairs and float(pairs[key]) == value and len(pairs) == 1:
            return key
    return None


def _price(value: Any) -> float | None:
    try:
        price = float(value)
    except (TypeError, ValueError):
        return None
    return price if price > 1.0 else None


def row_source(book: str, proposal: Proposal) -> str:
    """The mapping-table row (Python source) for an accepted proposal, in the book's table syntax."""
    market, spec = proposal.market, proposal.specifier
    rule = proposal.line_rule
    fixed = spec if rule == "none" else ""
    if book == "bet9ja":
        outcomes = ", ".join(f"({okey!r}, {oid})" for okey, _n, _p, oid, _k in proposal.pairs)
        extra = "" if rule == "none" else f", {rule!r}"
        extra += f", specifier={fixed!r}" if fixed else ""
        return f"    market({market.key!r}, {market.name!r}, {proposal.canonical}, [{outcomes}]{extra}),\n"
    if book == "betpawa":
        prices = ", ".join(f"({okey!r}, {name!r}, {oid})" for okey, name, _p, oid, _k in proposal.pairs)
        extra = "" if rule == "none" else f", {rule!r}"
        extra += f", specifier={fixed!r}" if fixed else ""
        return f"    row({market.key!r}, {market.name!r}, {proposal.canonical}, [{prices}]{extra}),\n"
    raise ValueError(f"no mapping table to write for book {book!r} (betpawa or bet9ja)")
