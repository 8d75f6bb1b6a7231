"""Betway's keyer: a market id's UOF number and specifier, held to UOF's catalogue, to the lines every other
place writes (betway/lines.py) and to UOF's outcome names; a market UOF's catalogue lacks ("1X2 (1Up)") is
read by the grammar from its names and gives way to a UOF market keying the same bet; one listing players
("Player 1+ Assists") is keyed by each outcome number, the player's SportRadar id. The shape's ref is the id
after the event's ("18total=2.5~"), so one plan keys every event.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from palimpsest_pipeline.books.betway.lines import line_fields, market_conflict
from palimpsest_pipeline.books.odds_errors import UNREADABLE
from palimpsest_pipeline.books.odds_parse import GOALSCORER_MARKETS, is_name_keyed
from palimpsest_pipeline.books.odds_values import described_plan
from palimpsest_pipeline.markets.grammar import uof_labels as platform_grammar
from palimpsest_pipeline.markets.grammar.description import Description
from palimpsest_pipeline.markets.grammar.player_bets import NO_GOAL
from palimpsest_pipeline.markets.grammar.resolve import resolve_listed_players
from palimpsest_pipeline.markets.keying.plans import FactsRead
from palimpsest_pipeline.markets.keying.records import MarketShape, Plan, Why
from palimpsest_pipeline.markets.players import RosterPlayer, roster_entry
from palimpsest_pipeline.markets.specifiers import join_specifier, normalise_specifier
from palimpsest_pipeline.markets.uof_ids import is_catalogued, market_definition, parameter_problem
from palimpsest_pipeline.markets.uof_outcome_names import name_conflict
from palimpsest_pipeline.markets.vocabulary import SCORE_HANDICAP_MARKETS, VOCABULARY
from palimpsest_pipeline.records import MAX_SPECIFIER_CHARS, Book


class BetwayKeyer:
    """Betway: one record per market line. A UOF market whose ids, names or lines disagree is refused, each
    outcome costing itself; an outcome number UOF's market lacks is counted unmapped."""

    book: Book = Book.BETWAY

    def plan(self, shape: MarketShape, facts: FactsRead) -> Plan:
        number, pairs = read_market_id(shape.ref, "")
        # the outcome numbers as numbers ("0012" is 12)
        shape = shape._replace(refs=tuple(None if ref is None else int(ref) for ref in shape.refs))
        if not is_catalogued(number) or number not in VOCABULARY:
            return _described(shape, facts, number, dict(pairs))
        try:
            spec = _checked(shape, facts, number, pairs)
        except UNREADABLE as error:
            why = Why("", str(error)[:240], False)
            return Plan((None,) * len(shape.refs), str(number), refused=why)
        definition = market_definition(number, dict(pairs).get("variant"))
        keys = tuple(
            (number, spec, outcome) if outcome is not None and definition.accepts(outcome) else None
            for outcome in shape.refs
        )
        return Plan(keys, str(number), roster=_roster(shape) if number in GOALSCORER_MARKETS else ())


class MarketId(NamedTuple):
    """A market id read: UOF's market number and its specifier's pairs, in the order written."""

    number: int
    pairs: tuple[tuple[str, str], ...]


def read_market_id(text: Any, event: str) -> MarketId:
    """``"7158328218total=0.5~"`` with event ``"71583282"`` -> MarketId(18, (("total", "0.5"),)); ValueError
    naming what is wrong for anything else."""
    if not isinstance(text, str) or not text.startswith(event):
        raise ValueError(f"market id {str(text)[:60]!r} does not start with the event id {event}")
    rest = text[len(event) :]
    digits = len(rest) - len(rest.lstrip("0123456789"))
    if digits == 0:
        raise ValueError(f"market id {text[:60]!r} has no market number after the event id")
    tail = rest[digits:]
    if tail and not tail.endswith("~"):
        raise ValueError(f"market id {text[:60]!r}: specifier {tail[:40]!r} does not end in '~'")
    pairs: list[tuple[str, str]] = []
    for part in tail[:-1].split("~") if tail else ():
        key, equals, value = part.partition("=")
        if not equals or not key or not (key.replace("_", "").isascii() and key.replace("_", "").isalpha()):
            raise ValueError(f"market id {text[:60]!r}: {part[:40]!r} is not key=value")
        pairs.append((key, value))
    return MarketId(int(rest[:digits]), tuple(pairs))


def _checked(shape: MarketShape, facts: FactsRead, number: int, pairs: tuple[Any, ...]) -> str:
    """The market's specifier, normalised; raises ValueError naming what denies the id: a parameter UOF's
    market does not take, a line another place contradicts, an outcome named as another."""
    problem = parameter_problem(number, frozenset(key for key, _value in pairs))
    if problem is not None:
        raise ValueError(problem)
    try:
        fields = line_fields(dict(pairs))
    except ValueError:
        raise ValueError(f"specifier {pairs!r} has a line that is not a number") from None
    texts = [text for text in shape.names if text is not None] if shape.lines else []
    names = shape.outcome_names
    home, away = facts.teams_for([*texts, *(name for name in names if name is not None)])
    outcomes = [
        (outcome, sbv, handicap)
        for outcome, ((_sbv, sbv), (_handicap, handicap)) in zip(
            shape.refs, shape.outcome_lines or (), strict=True
        )
    ]
    numbers = [("market handicap", value) for _place, value in shape.lines]
    conflict = market_conflict(fields, texts, numbers, outcomes, home, away)
    if conflict is not None:
        raise ValueError(conflict)
    for outcome, name in zip(shape.refs, names, strict=True):
        if outcome is not None and name is not None:
            denied = name_conflict(number, outcome, name, home, away)
            if denied is not None:
                raise ValueError(denied)
    return normalise_specifier(join_specifier(dict(pairs)), score_handicap=number in SCORE_HANDICAP_MARKETS)


def _roster(shape: MarketShape) -> tuple[RosterPlayer, ...]:
    """A goalscorer market's players: each outcome number is the player's SportRadar id."""
    found = (
        roster_entry(f"sr:player:{outcome}", name)
        for outcome, name in zip(shape.refs, shape.outcome_names, strict=True)
        if outcome is not None and outcome != NO_GOAL and name is not None
    )
    return tuple(player for player in found if player is not None)


def _described(shape: MarketShape, facts: FactsRead, number: int, pairs: dict[str, str]) -> Plan:
    """A market UOF's catalogue lacks: the grammar keys each outcome from the names, else it is counted
    unkeyed; rank 1, so a UOF market keying the same bet wins. ``xup=N`` ("1X2 (1Up)") must be what the name
    says, and is then the name's."""
    name, shown = shape.names
    up = pairs.pop("xup", None)
    if up is not None and not any(
        text is not None and f"{up}up" in text.lower().replace(" ", "") for text in (name, shown)
    ):
        why = Why("", f"specifier xup={up[:10]} is not in the name {str(shown)[:60]!r}", False)
        return Plan((None,) * len(shape.refs), str(number), refused=why)
    read = _grammar(shape, facts, name, shown, pairs)
    if not read or any(type(key) is not tuple or is_name_keyed(*key) for key in read.values()):
        players = _players(shape, facts, number, pairs)  # keyed by each player's id where it lists them
        if players is not None:
            return players
    return described_plan(shape.refs, read, str(number))


def _players(shape: MarketShape, facts: FactsRead, number: int, pairs: dict[str, str]) -> Plan | None:
    """A market of a player's statistic or bet listing the players ("Player 2+ Shots On Target", id
    ``count=2``): each outcome number is the player's SportRadar id, as in UOF's goalscorer markets; the
    count is read from the name and the id and keyed only where they agree. None for any other market."""
    name, shown = shape.names
    sport = facts.sport()
    if sport is None or any(ref is None for ref in shape.refs) or None in shape.outcome_names:
        return None
    texts = [text for text in (_unbracketed(name), shown) if text is not None]
    home, away = facts.teams_for(texts)
    description = platform_grammar.describe({"name": texts[0] if texts else None, "desc": shown}, home, away)
    if not isinstance(description, Description) or description.scope != "player":
        return None
    if set(pairs) - {"count"}:
        return None
    counts = (pairs.get("count"), description.param("atleast"))
    if counts[0] != counts[1]:
        why = Why("", f"the id's count={counts[0]} and the name's {str(shown)[:60]!r} disagree", False)
        return Plan((None,) * len(shape.refs), str(number), refused=why)
    listed = [
        (str(ref), ref, text)
        for ref, text in zip(shape.refs, shape.outcome_names, strict=True)
        if text is not None  # none is: checked above
    ]
    read = resolve_listed_players(description, listed, sport)
    return described_plan(shape.refs, read, str(number), roster=_roster(shape))


def _grammar(
    shape: MarketShape, facts: FactsRead, name: str | None, shown: str | None, pairs: dict[str, str]
) -> dict[str, Any]:
    """The grammar's reading of the market, the teams written "Home" and "Away" as it reads them."""
    sport = facts.sport()
    specifier = "|".join(f"{key}={value}" for key, value in pairs.items())
    if sport is None or len(specifier) > MAX_SPECIFIER_CHARS:
        return {}
    outcomes = [
        (outcome, f"{text or ''}{sbv or ''}".strip())
        for outcome, text, ((_sbv, sbv), _handicap) in zip(
            shape.refs, shape.outcome_names, shape.outcome_lines or (), strict=True
        )
        if outcome is not None
    ]
    bare = _unbracketed(name)
    texts = [text for text in (bare, shown, *(desc for _outcome, desc in outcomes)) if text is not None]
    home, away = facts.teams_for(texts)
    view = {
        "name": _sides(bare, home, away),
        "desc": _sides(shown, home, away),
        "specifier": specifier,
        "outcomes": [{"id": str(outcome), "desc": _sides(desc, home, away)} for outcome, desc in outcomes],
    }
    try:
        return platform_grammar.read_market(view, sport, "Home", "Away")
    except UNREADABLE:
        return {}


def _sides(text: str | None, home: str, away: str) -> str | None:
    """``text`` with the teams written "Home" and "Away", as the grammar reads them."""
    if text is None or not home or not away or len(text) > 200:
        return text
    for team, side in sorted(((home, "Home"), (away, "Away")), key=lambda pair: -len(pair[0])):
        text = text.replace(team, side)
    return text


def _unbracketed(name: str | None) -> str | None:
    """ "[Home Team] No Bet" -> "Home No Bet": Betway's template brackets dropped."""
    if name is None:
        return None
    return (
        name.replace("[Home Team]", "Home").replace("[Away Team]", "Away").replace("[", "").replace("]", "")
    )


BETWAY = BetwayKeyer()
