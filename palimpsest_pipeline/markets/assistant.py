"""Mapping assistant: propose a UOF key for each unmapped market of a book from a keyed book's same match.

An unmapped market whose prices line up, outcome by outcome, with one keyed market of the same match is very
probably that market. Pure: it proposes with the evidence, a person decides (docs/market-keys.md).
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
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

    key: str  # the book's market key or id, as its table writes it
    name: str
    line: str  # the book's @param / handicap line as text, "" for line-less markets
    outcomes: tuple[tuple[str, str, float], ...]  # (outcome key, outcome name, price)


@dataclass(frozen=True, slots=True)
class Proposal:
    market: BookMarket
    canonical: int
    specifier: str
    line_rule: str  # "none", "total" or "hcp"
    #: (outcome key, outcome name, book price, UOF outcome, keyed price)
    pairs: tuple[tuple[str, str, float, int, float], ...]
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

    def table_row(self, builder: str, outcomes: str) -> str:
        """The table row (Python source) this proposal becomes, made by the table's ``builder`` function from
        the book's ``outcomes`` (source text), with the line rule and fixed specifier after them."""
        fixed = self.specifier if self.line_rule == "none" else ""
        extra = "" if self.line_rule == "none" else f", {self.line_rule!r}"
        extra += f", specifier={fixed!r}" if fixed else ""
        head = f"{builder}({self.market.key!r}, {self.market.name!r}, {self.canonical}"
        return f"    {head}, [{outcomes}]{extra}),\n"


def propose(
    markets: Iterable[BookMarket], keyed: Iterable[OddsRow], *, tolerance: float = 0.08
) -> list[Proposal]:
    """The best proposal per book market whose prices agree with a keyed group (module docstring)."""
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
        proposals += found[:1]
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


def offered_price(value: Any) -> float | None:
    """A payload's price as a number above 1, else None (not offered)."""
    try:
        price = float(value)
    except (TypeError, ValueError):
        return None
    return price if price > 1.0 else None
