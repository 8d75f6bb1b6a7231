"""Market families: what a keyed market counts and how it is bet ("score 1x2", "corners total"), so keyed
figures can be read per family rather than per market id."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache

from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.markets.grammar.catalogue import uof_entry
from palimpsest_pipeline.markets.vocabulary import key_kind
from palimpsest_pipeline.records import OddsRow

KINDS = ("uof", "canonical", "composed", "native")


def market_family(market: int, specifier: str) -> str:
    """``"<counted> <bet>"`` of a keyed market; ``combination`` for a combination of UOF outcomes,
    ``native`` for a native family (``key_kind``), ``other`` for a UOF market the grammar does not read."""
    if market == DESCRIBED:
        pairs = dict(pair.partition("=")[::2] for pair in specifier.split("|"))
        counted, _period, _scope, bet, *_ = pairs.get("market", "other.?.?.?").split(".")
        return f"{counted} {bet}"
    return _family_of(market)


@cache
def _family_of(market: int) -> str:
    kind = key_kind(market)
    if kind != "uof":  # composed or native (the canonical DESCRIBED is read above)
        return "combination" if kind == "composed" else kind
    entry = uof_entry(market)
    return "other" if entry is None else f"{entry.description.counted} {entry.description.bet}"


def family_shares(rows: Iterable[OddsRow]) -> dict[str, dict[str, float | int]]:
    """Per family, over the open keyed rows: how many, and the share keyed under each kind of key."""
    counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        if row.state == "open":
            counts[market_family(row.market, row.specifier)][key_kind(row.market)] += 1
    out: dict[str, dict[str, float | int]] = {}
    for family, by_kind in sorted(counts.items(), key=lambda item: (-sum(item[1].values()), item[0])):
        total = sum(by_kind.values())
        out[family] = {"outcomes": total, **{kind: round(by_kind[kind] / total, 4) for kind in KINDS}}
    return out
