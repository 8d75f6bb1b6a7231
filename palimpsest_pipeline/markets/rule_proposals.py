"""From an assistant's proposal to a grammar rule: where the grammar refused the name of a market matched by
prices, the unknown words must say what the UOF market's description has and the rest of the name does not.
Pure: it proposes, a person decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from palimpsest_pipeline.markets.assistant import Proposal
from palimpsest_pipeline.markets.grammar.catalogue import uof_entry
from palimpsest_pipeline.markets.grammar.description import Description, Refusal
from palimpsest_pipeline.markets.grammar.phrases import read_market_name

_UNKNOWN = "words the grammar does not know: "


@dataclass(frozen=True)
class RuleProposal:
    """A phrase rule for the grammar: ``phrase`` (the unknown words) sets ``sets`` (description parts)."""

    proposal: Proposal
    phrase: str
    sets: tuple[tuple[str, str], ...]

    def source(self) -> str:
        """The ``RULES`` entry to add, in phrase_rules.py's own syntax."""
        # each part's action in phrase_rules.py is named after it; a combination's bet lists its members
        actions = [
            f"_bet({', '.join(map(repr, value.split('&')))})" if part == "bet" else f"_{part}({value!r})"
            for part, value in self.sets
        ]
        pattern = r"\b" + re.escape(self.phrase).replace(r"\ ", " ") + r"\b"
        calls = ", ".join(f"{action}(p, m)" for action in actions)
        action = actions[0] if len(actions) == 1 else f"lambda p, m: ({calls})"
        return f'    (r"{pattern}", {action}),'

    def describe(self) -> str:
        said = ", ".join(f"{part} {value}" for part, value in self.sets)
        return f"{self.proposal.market.name!r}: read {self.phrase!r} as {said} -> {self.source().strip()}"


def rule_for(proposal: Proposal) -> RuleProposal | None:
    """The grammar rule that would read ``proposal``'s market as its UOF market, or None: the grammar reads
    the name already, refuses it for another reason, the UOF market does not read, or the unknown words
    would have to carry nothing (the name says something else than the UOF market)."""
    name = proposal.market.name
    reading = read_market_name(name)
    if isinstance(reading, Description):
        return None
    _said, found, unknown = reading.reason.partition(_UNKNOWN)
    entry = uof_entry(proposal.canonical)
    if not found or not unknown.strip() or entry is None:
        return None
    phrase = unknown.strip()
    rest = _without(name, phrase.split())
    partial = read_market_name(rest) if rest.strip() else Refusal("nothing left")
    target = entry.description
    known = partial if isinstance(partial, Description) else None
    sets: list[tuple[str, str]] = []
    for part in ("counted", "period", "scope"):
        wanted = getattr(target, part)
        have = getattr(known, part) if known is not None else getattr(Description(), part)
        if have != wanted:
            if known is not None and have != getattr(Description(), part):
                return None  # the rest of the name says something the UOF market does not
            sets.append((part, wanted))
    wanted_bets = set(target.bet.split("&"))
    have_bets = set(known.bet.split("&")) if known is not None else set()
    if not have_bets <= wanted_bets:
        return None
    if missing := wanted_bets - have_bets:
        sets.append(("bet", "&".join(sorted(missing))))
    have_qualifiers = known.qualifiers if known is not None else frozenset()
    if not have_qualifiers <= target.qualifiers:
        return None
    sets += [("qualifier", q) for q in sorted(target.qualifiers - have_qualifiers)]
    return RuleProposal(proposal, phrase, tuple(sets)) if sets else None


def _without(name: str, words: list[str]) -> str:
    """``name`` with each of ``words`` removed once (compared lower-case, whole words)."""
    kept = name.split()
    for word in words:
        for index, token in enumerate(kept):
            if token.lower().strip("(),") == word:
                del kept[index]
                break
    return " ".join(kept)
