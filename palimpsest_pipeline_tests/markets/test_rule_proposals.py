"""The assistant's grammar-rule proposals: the unknown words, what they must mean, and the rule's source."""

from __future__ import annotations

import re

import pytest

from palimpsest_pipeline.markets.assistant import BookMarket, Proposal
from palimpsest_pipeline.markets.grammar import phrase_rules, phrases
from palimpsest_pipeline.markets.grammar.catalogue import uof_entry
from palimpsest_pipeline.markets.grammar.description import Description
from palimpsest_pipeline.markets.rule_proposals import rule_for


def _proposal(name: str, canonical: int) -> Proposal:
    market = BookMarket("KEY", name, "", (("a", "a", 2.0), ("b", "b", 2.0)))
    return Proposal(market, canonical, "", "none", (), 0.0, None, 0.5)


def test_unknown_words_get_the_bets_the_uof_market_has_and_the_rest_of_the_name_lacks() -> None:
    # UOF 546 reads "Double chance & both teams to score"; "Chance Mix" says none of it in known words
    rule = rule_for(_proposal("Chance Mix", 546))
    assert rule is not None
    assert (rule.phrase, rule.sets) == ("chance mix", (("bet", "btts&dc"),))
    assert rule.source() == """    (r"\\bchance mix\\b", _bet('btts', 'dc')),"""


def test_the_proposed_rule_makes_the_grammar_read_the_name_as_the_uof_market(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rule = rule_for(_proposal("Chance Mix", 546))
    assert rule is not None
    entry = uof_entry(546)
    assert entry is not None
    # the source line, evaluated in phrase_rules.py's namespace and put first, as a maintainer would add it
    added = eval(rule.source().strip().rstrip(","), vars(phrase_rules))
    monkeypatch.setattr(phrases, "_COMPILED", [(re.compile(added[0]), added[1], None), *phrases._COMPILED])
    phrases.read_market_name.cache_clear()
    try:
        reading = phrases.read_market_name("Chance Mix")
    finally:
        phrases.read_market_name.cache_clear()
    assert isinstance(reading, Description) and reading.shape == entry.description.shape


@pytest.mark.parametrize(
    ("name", "canonical", "why"),
    [
        ("1X2", 1, "the grammar reads the name already"),
        ("Zap Total Home", 19, "the rest reads as UOF 19 ('home total'): the word would mean nothing"),
        ("Total Bananas", 546, "the rest names a total, which double chance & BTTS is not"),
    ],
)
def test_no_rule_is_proposed_where_words_cannot_carry_the_difference(
    name: str, canonical: int, why: str
) -> None:
    assert rule_for(_proposal(name, canonical)) is None, why
