"""The market-name grammar: any book's (or UOF's) market name read into a :class:`Description`, its phrases
(``phrase_rules.RULES``) matched in order and removed. A word the grammar does not know makes it refuse, so a
market it half understands is never keyed.
"""

from __future__ import annotations

import re
from functools import lru_cache

from palimpsest_pipeline.markets.free_text import overlong
from palimpsest_pipeline.markets.grammar.description import Description, Refusal
from palimpsest_pipeline.markets.grammar.phrase_rules import FOLLOWED_BY, RULES, Parts

_COMPILED = [(re.compile(pattern), action, FOLLOWED_BY.get(pattern)) for pattern, action in RULES]
_LEFTOVER_SPLIT = re.compile(r"[\s,()]+")

#: Words that carry no meaning once the phrases are read ("1X2 - FT", "Total Score Over/Under - FT").
_FILLER = frozenset(
    {
        "-",
        "|",
        "&",
        "+",
        "and",
        "the",
        "team",
        "match",
        "to",
        "y/n",
        "yes/no",
        "yes",
        "no",
        "of",
        "number",
        "count",
        "total",
        "with",
        "{home}",
        "{away}",
        "(",
        ")",
        ",",
        "/",
        "a",
        "in",
        "full",
        "time",
        "2-way",  # no draw outcome: the outcome list says so too
    }
)


def _normalise(text: str, home: str, away: str) -> str:
    lowered = f" {text.lower()} "
    for name, placeholder in ((home, " home "), (away, " away ")):
        if name:
            lowered = lowered.replace(name.lower(), placeholder)
    lowered = lowered.replace("{$competitor1}", " home ").replace("{$competitor2}", " away ")
    lowered = lowered.replace("{home}", " home ").replace("{away}", " away ")
    return " ".join(lowered.split())


@lru_cache(maxsize=8192)
def read_market_name(
    text: str, *, home: str = "", away: str = "", unnamed_bet: str = ""
) -> Description | Refusal:
    """The description a market name says, or why it cannot be read with certainty. ``unnamed_bet`` is the
    bet the outcomes already say when the name names none ("Player Fouls" listing "2+": at least)."""
    if reason := overlong(text, "market name"):
        return Refusal(reason)
    rest = _normalise(text, home, away)
    parts = Parts()
    for pattern, action, followed_by in _COMPILED:
        while True:
            match = pattern.search(rest)
            if match is None or (followed_by is not None and not followed_by.search(rest, match.end())):
                break
            action(parts, match)
            rest = rest[: match.start()] + " | " + rest[match.end() :]
    if "htft" in parts.bets and len(parts.bets) > 1 and parts.period not in (None, "match"):
        parts.conflict = "half time/full time combined with a one-half leg"
    if parts.conflict:
        return Refusal(f"{text!r}: {parts.conflict}")
    leftover = [word for word in _LEFTOVER_SPLIT.split(rest) if word and word not in _FILLER]
    if leftover:
        return Refusal(f"{text!r}: words the grammar does not know: {' '.join(leftover)}")
    named = set(parts.bets)
    counts_total = len(named) > 1 and not named <= _COMBINED_WITH_TOTAL  # "total" names the count
    if counts_total and parts.over_under and "total" in named:
        return Refusal(f"{text!r}: an over/under combined with a bet it is not combined with")
    bets = sorted(named - {"total"} if counts_total else named)
    if len(bets) > 1 and parts.counted not in (None, "score"):
        # "1X2 & Total Corners": the result is the goals', the total the corners': one counted cannot say so
        return Refusal(f"{text!r}: a combination naming {parts.counted}, not which leg counts them")
    if not bets and unnamed_bet:
        bets = [unnamed_bet]
    elif not bets and parts.numbered:
        bets = ["exact"]  # "Number Corner": "< 7", "7", ..., "20+"
    elif not bets and parts.scope == "player" and parts.counted not in (None, "score"):
        bets = ["total"]  # "Player Shots": a player's statistic is bet on counts ("N+", over/under)
    if not bets:
        return Refusal(f"{text!r}: no bet type named")
    return Description(
        counted=parts.counted or "score",
        period=parts.period or "match",
        scope=parts.scope or "match",
        bet="&".join(bets),
        qualifiers=frozenset(parts.qualifiers - {"line-named"}),
        params=tuple(sorted(parts.params.items())),
    )


#: Bets an over/under is combined with in one market ("1X2 and Totals"); beside others "total" names the count
#: ("Total Goals Exact", "Half More Goals - Total"), not an over/under bet.
_COMBINED_WITH_TOTAL = frozenset({"1x2", "dc", "btts", "htft", "winner", "total"})
