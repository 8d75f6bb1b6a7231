"""MSport's keyer: its ids are UOF's (markets/keying/uof_books.py's rules); its own markets are read by the
platform's grammar from their names."""

from __future__ import annotations

from palimpsest_pipeline.books.facts_center import listed_players
from palimpsest_pipeline.books.odds_values import described_plan
from palimpsest_pipeline.markets.grammar import uof_labels as platform_grammar
from palimpsest_pipeline.markets.keying.plans import FactsRead
from palimpsest_pipeline.markets.keying.records import MarketShape, Plan, Why
from palimpsest_pipeline.markets.keying.uof_books import (
    line_conflict,
    outcome_number,
    outcome_texts,
    uof_keys,
)
from palimpsest_pipeline.markets.players import RosterPlayer
from palimpsest_pipeline.markets.specifiers import SpecifierError, normalise_specifier
from palimpsest_pipeline.markets.uof import FIRST_NATIVE_ID
from palimpsest_pipeline.markets.vocabulary import SCORE_HANDICAP_MARKETS
from palimpsest_pipeline.records import MAX_ID_CHARS, Book


class MSportKeyer:
    """MSport: one record per market; shape names (description, name). A specifier that does not read costs
    the market once, names that deny it each outcome."""

    book: Book = Book.MSPORT

    def plan(self, shape: MarketShape, facts: FactsRead) -> Plan:
        market_id, specifier, refs = shape.ref, shape.specifier, shape.refs
        roster = listed_players(shape)
        if market_id >= FIRST_NATIVE_ID:
            return _described(shape, facts, roster)
        unmapped = (None,) * len(refs)
        try:
            spec = normalise_specifier(specifier, score_handicap=market_id in SCORE_HANDICAP_MARKETS)
        except SpecifierError as error:
            why = Why(".specifiers", str(error), True)
            return Plan(unmapped, str(market_id), refused=why, refused_each=False, roster=roster)
        description = shape.names[0]
        texts = [*outcome_texts(shape), *((description,) if description is not None else ())]
        home, away = facts.teams_for(texts)
        pairs = zip(refs, shape.outcome_names, strict=True)
        denied = line_conflict(market_id, specifier, texts, pairs, home, away)
        if denied is not None:
            return Plan(unmapped, str(market_id), refused=Why("", denied, False), roster=roster)
        variant = dict(part.partition("=")[::2] for part in specifier.split("|")).get("variant")
        numbers: list[int | None] = []
        asides: list[Why | None] = []
        for ref in refs:
            prefix, _colon, number = ref.rpartition(":") if type(ref) is str else ("", "", "")
            aside = None
            if variant is not None and prefix not in ("", variant, "sr:player"):
                what = f"outcome {ref[:60]!r} is not of the market's variant {variant[:60]!r}"
                aside = Why(".id", what, True)
            asides.append(aside)
            numbers.append(outcome_number(number, MAX_ID_CHARS))
        return Plan(
            uof_keys(market_id, spec, variant, numbers),
            str(market_id),
            asides=tuple(asides) if any(asides) else None,
            roster=roster,
        )


def _described(shape: MarketShape, facts: FactsRead, roster: tuple[RosterPlayer, ...]) -> Plan:
    """A market outside UOF: the grammar keys each outcome from the names (MSport writes them as the platform
    does), else it is counted unkeyed; rank 1, so a UOF market keying the same bet wins."""
    market_id = shape.ref
    description, name = shape.names
    outcomes = [{"id": ref, "desc": text} for ref, text in zip(shape.refs, shape.outcome_names, strict=True)]
    view = dict(id=str(market_id), name=name, desc=description, specifier=shape.specifier, outcomes=outcomes)
    sport = facts.sport()
    # The teams matter only where a name holds one (padded, as the grammar reads it), unless the grammar
    # reads them further: a plan then keys other teams' events too.
    texts = [f" {text} " for text in shape.names if text is not None]
    try:
        if sport is None:
            read = {}
        else:
            teams = facts.teams() if platform_grammar.reads_teams(view) else facts.teams_for(texts)
            read = platform_grammar.read_market(view, sport, *teams)
    except (SpecifierError, KeyError, TypeError, ValueError, AttributeError):
        read = {}
    return described_plan(shape.refs, read, str(market_id), roster)


KEYER = MSportKeyer()
