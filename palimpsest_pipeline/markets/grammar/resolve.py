"""A read market resolved to keys: the UOF market with the same description, else a canonical key.

Sure or nothing: an outcome is keyed only when its name reads under the market's bet type, its parameters
all have values, and it names one UOF outcome (or, where UOF has no such market, a canonical one). Outcomes
whose meaning depends on the rest of the list ("other") are keyed only where the whole list is UOF's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from palimpsest_pipeline.markets.grammar.canonical import canonical_key
from palimpsest_pipeline.markets.grammar.catalogue import UofEntry, uof_index
from palimpsest_pipeline.markets.grammar.description import UNVALUED, Description, Refusal
from palimpsest_pipeline.markets.grammar.outcomes import is_residual, read_outcome_name, read_single
from palimpsest_pipeline.markets.specifiers import SpecifierError, join_specifier, normalise_number

Key = tuple[int, str, int]

#: Specifier values that are numbers (normalised as such); others are kept as written.
_NUMERIC = frozenset({"total", "hcp", "goalnr", "cornernr", "bookingnr", "setnr", "quarternr", "from", "to"})


#: Where one bet is listed in several UOF markets of a sport, the one books use. (sport, bet) -> UOF id.
PREFERRED: dict[tuple[str, str], int] = {
    # "2:1" is in 45, 199 and 431; SportyBet (UOF-native) keys football correct scores under 45
    ("football", "cs"): 45,
}


#: Sports where "the match" may or may not include overtime: a name must say which (else no key).
OVERTIME_SPORTS = frozenset({"basketball"})


@dataclass(frozen=True, slots=True)
class Resolution:
    """The key of each outcome (by the book's own reference), or why not; ``uof`` names the market used."""

    keys: dict[str, Key | Refusal]
    uof: UofEntry | None


def _rewrite(description: Description, tokens: dict[str, str]) -> tuple[Description, dict[str, str]]:
    """Bets that are another bet in other words: "home to score" yes == "away clean sheet" no; "a goal is
    scored" (no team named) yes == over 0.5 goals."""
    if description.bet == "toscore" and description.scope == "match":
        over = {ref: {"yes": "over", "no": "under"}.get(token, token) for ref, token in tokens.items()}
        total = Description(
            description.counted, description.period, "match", "total", description.qualifiers,
            description.params,
        ).with_params(total="0.5")  # fmt: skip
        return total, over
    if description.bet == "toscore" and description.scope in ("home", "away"):
        other = "away" if description.scope == "home" else "home"
        swapped = {ref: {"yes": "no", "no": "yes"}.get(token, token) for ref, token in tokens.items()}
        rewritten = Description(
            description.counted, description.period, other, "cleansheet", description.qualifiers,
            description.params,
        )  # fmt: skip
        return rewritten, swapped
    return description, tokens


def _without_own_team(name: str, scope: str) -> str:
    """ "Home Corner Over" in a home market is "Corner Over"; a label naming the other team is left whole
    (and does not read)."""
    words = name.split(maxsplit=1)
    if scope in ("home", "away") and len(words) == 2 and words[0].lower() == scope:
        return words[1]
    return name


def _outcome_map(entry: UofEntry, tokens: set[str]) -> tuple[str, dict[str, int]] | None:
    """(variant or "", token -> UOF outcome id) of ``entry`` that covers most of ``tokens``; None if none
    covers any, or two variants cover equally (the variant is then not known)."""
    if entry.outcomes:
        return ("", entry.outcomes) if tokens & entry.outcomes.keys() else None
    scored = sorted(
        ((len(tokens & names.keys()), variant) for variant, names in entry.variants.items()), reverse=True
    )
    if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1], entry.variants[scored[0][1]]


def _specifier(description: Description, variant: str) -> str:
    pairs = {}
    for name, value in description.params:
        pairs[name] = normalise_number(value) if name in _NUMERIC else value
    if variant:
        pairs["variant"] = variant
    return join_specifier(pairs)


def resolve(description: Description, outcomes: Sequence[tuple[str, str]], sport: str) -> Resolution:
    """Keys for ``outcomes`` ((book reference, outcome name) pairs) of a market read as ``description``.

    A reading depends on the names only, so it is remembered per (description, names, sport): a book lists
    the same markets on every event and every capture."""
    refs = [ref for ref, _name in outcomes]
    keys, uof = _resolve_names(description, tuple(name for _ref, name in outcomes), sport)
    return Resolution(dict(zip(refs, keys, strict=True)), uof)


@lru_cache(maxsize=32_768)
def _resolve_names(
    description: Description, names: tuple[str, ...], sport: str
) -> tuple[tuple[Key | Refusal, ...], UofEntry | None]:
    resolution = _resolve(description, [(str(index), name) for index, name in enumerate(names)], sport)
    return tuple(resolution.keys[str(index)] for index in range(len(names))), resolution.uof


def _resolve(description: Description, outcomes: Sequence[tuple[str, str]], sport: str) -> Resolution:
    if sport in OVERTIME_SPORTS and description.period == "match":
        reason = Refusal(f"{description.text()}: {sport} name does not say whether overtime counts")
        return Resolution(dict.fromkeys((ref for ref, _n in outcomes), reason), None)
    unvalued = [name for name, value in description.params if value == UNVALUED]
    if unvalued:
        reason = Refusal(f"{description.text()}: no value for {', '.join(unvalued)}")
        return Resolution({ref: reason for ref, _name in outcomes}, None)
    if "ah" in description.bet.split("&") and any(read_single(n, "1x2") == "draw" for _r, n in outcomes):
        # a handicap with a draw outcome is European ("Handicap": 1, X, 2)
        bet = "&".join(sorted("eh" if b == "ah" else b for b in description.bet.split("&")))
        description = Description(
            description.counted, description.period, description.scope, bet, description.qualifiers,
            description.params,
        )  # fmt: skip
    keys: dict[str, Key | Refusal] = {}
    tokens: dict[str, str] = {}
    seen: dict[str, str] = {}
    for ref, name in outcomes:
        token = read_outcome_name(_without_own_team(name, description.scope), description.bet)
        if isinstance(token, Refusal):
            keys[ref] = token
        elif token in seen:
            keys[ref] = keys[seen[token]] = Refusal(f"outcomes {name!r} and another read alike ({token})")
            tokens.pop(seen[token], None)
        else:
            seen[token] = ref
            tokens[ref] = token
    description, tokens = _rewrite(description, tokens)
    listed = set(tokens.values())
    if "exact" in description.bet.split("&") and listed and not any("+" in t for t in listed):
        reason = Refusal(f"{description.text()}: no 'N+' outcome, so the highest count may mean 'or more'")
        return Resolution({**keys, **dict.fromkeys(tokens, reason)}, None)
    fitting: list[tuple[UofEntry, str, dict[str, int]]] = []
    for entry in uof_index(sport).get(description.shape, ()):
        if entry.specifiers - {"variant"} != {name for name, _v in description.params}:
            continue
        chosen = _outcome_map(entry, listed)
        if chosen is not None:
            fitting.append((entry, chosen[0], chosen[1]))
    preferred = PREFERRED.get((sport, description.bet))
    fitting.sort(
        key=lambda f: (f[0].market_id != preferred, -len(listed & f[2].keys()), len(f[2].keys() - listed),
                       f[0].market_id)
    )  # fmt: skip
    try:
        return _keyed(description, keys, tokens, fitting)
    except SpecifierError as error:
        reason = Refusal(f"{description.text()}: {error}")
        return Resolution({**keys, **dict.fromkeys(tokens, reason)}, None)


def _keyed(
    description: Description,
    keys: dict[str, Key | Refusal],
    tokens: dict[str, str],
    fitting: list[tuple[UofEntry, str, dict[str, int]]],
) -> Resolution:
    """Each outcome under the first fitting UOF market that has it (the preferred one, then the one covering
    most of the book's list: UOF lists one bet in several markets); a residual outcome ("other") only under
    a market whose list is exactly the book's; the rest under canonical keys."""
    listed = set(tokens.values())
    for ref, token in tokens.items():
        if is_residual(token):
            same_list = [(e, v, m) for e, v, m in fitting if m.keys() == listed]
            home = same_list[0] if same_list else None
        else:
            home = next(((e, v, m) for e, v, m in fitting if token in m), None)
        if home is not None:
            keys[ref] = (home[0].market_id, _specifier(description, home[1]), home[2][token])
        elif is_residual(token) and fitting:
            keys[ref] = Refusal(f"{token!r}: the book's list is not UOF {fitting[0][0].market_id}'s")
        else:
            keys[ref] = canonical_key(description, _specifier(description, ""), token)
    return Resolution(keys, fitting[0][0] if fitting else None)
