"""A read market resolved to keys: the UOF market with the same description, else a canonical key. Sure or
nothing: an outcome is keyed only when its name reads under the bet type, its parameters have values and it
names one outcome; "other" only where the whole list is UOF's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from palimpsest_pipeline.markets.combinations import ALL_OF, combination_key
from palimpsest_pipeline.markets.free_text import overlong
from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED, canonical_key
from palimpsest_pipeline.markets.grammar.catalogue import UofEntry, uof_index
from palimpsest_pipeline.markets.grammar.description import (
    UNVALUED,
    Description,
    Key,
    OutcomeReading,
    Refusal,
    Unreadable,
)
from palimpsest_pipeline.markets.grammar.outcomes import is_residual, read_outcome_name, read_single
from palimpsest_pipeline.markets.grammar.player_bets import (
    STAND_IN_PLAYER,
    listed_player_bet,
    listed_player_problem,
    read_named_players,
    refuse_keyed_alike,
)
from palimpsest_pipeline.markets.specifiers import SpecifierError, join_specifier, normalise_number

#: Specifier values that are numbers (normalised as such); others are kept as written.
_NUMERIC = frozenset({"total", "hcp", "goalnr", "cornernr", "bookingnr", "setnr", "quarternr", "from", "to"})

#: Bets whose outcomes are players named by the book (BetPawa's "Anytime Goalscorer": "Kylian Mbappe").
SCORER_BETS = frozenset({"anytimescorer", "scorer", "lastscorer"})

#: Parameters that belong to one leg of a combination (the rest, a window or a set, to every leg).
_LEG_PARAMS = {
    "total": {"total"},
    "ah": {"hcp"},
    "eh": {"hcp"},
    "goalnr": {"goalnr", "cornernr", "bookingnr"},
}
#: Parameters a name fixes for one leg ("DC + Multi Goal 4-5"): the leg's token, not a specifier.
_FIXED = ("range",)
#: Bets UOF has no market for that are exactly an "all of" of UOF outcomes (:func:`_legs`).
_COMPOSED = frozenset({"firstgoalhalf"})


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
        total = replace(description, scope="match", bet="total").with_params(total="0.5")
        return total, over
    if description.bet == "toscore" and description.scope in ("home", "away"):
        other = "away" if description.scope == "home" else "home"
        swapped = {ref: {"yes": "no", "no": "yes"}.get(token, token) for ref, token in tokens.items()}
        rewritten = replace(description, scope=other, bet="cleansheet")
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


def _fitting(
    description: Description, tokens: set[str], sport: str
) -> list[tuple[UofEntry, str, dict[str, int]]]:
    """The UOF markets of ``sport`` read as ``description``, with its parameters, listing some of ``tokens``:
    (market, variant or "", token -> outcome id), in the catalogue's order."""
    named = {name for name, _value in description.params}
    return [
        (entry, *chosen)
        for entry in uof_index(sport).get(description.shape, ())
        if entry.specifiers - {"variant"} == named and (chosen := _outcome_map(entry, tokens)) is not None
    ]


def _specifier(description: Description, variant: str) -> str:
    pairs = {
        name: normalise_number(value) if name in _NUMERIC else value for name, value in description.params
    }
    if variant:
        pairs["variant"] = variant
    return join_specifier(pairs)


def resolve(description: Description, outcomes: Sequence[tuple[str, str]], sport: str) -> Resolution:
    """Keys for ``outcomes`` ((book reference, outcome name) pairs) of a market read as ``description``,
    remembered per (description, names, sport). A name past the cap costs its own outcome only."""
    too_long = {ref: reason for ref, name in outcomes if (reason := overlong(name, "outcome name"))}
    if too_long:
        rest = resolve(description, [(ref, name) for ref, name in outcomes if ref not in too_long], sport)
        return Resolution(
            {ref: Unreadable(too_long[ref]) if ref in too_long else rest.keys[ref] for ref, _n in outcomes},
            rest.uof,
        )
    refs = [ref for ref, _name in outcomes]
    keys, uof = _resolve_names(description, tuple(name for _ref, name in outcomes), sport)
    return Resolution(dict(zip(refs, keys)), uof)  # noqa: B905 - one key per name; ``strict`` costs a call


def resolve_readings(
    readings: Mapping[str, Key | OutcomeReading | Refusal], sport: str
) -> dict[str, Key | Refusal]:
    """outcome reference -> key (or why none) of outcomes read one by one: each reading keyed as the one
    outcome of its own market; a key or a refusal as it is."""
    keys: dict[str, Key | Refusal] = {}
    for ref, read in readings.items():
        if not isinstance(read, OutcomeReading):
            keys[ref] = read
            continue
        player = read.description.param("player")
        if player is None:
            keys[ref] = resolve(read.description, [(ref, read.token)], sport).keys[ref]
            continue
        # a player's bet keys as any player's: read once with the stand-in, his own value put in
        template = _player_template(
            read.description.with_params(player=str(STAND_IN_PLAYER)), read.token, sport
        )
        if isinstance(template, Refusal):  # read as himself, so that the reason names him
            keys[ref] = resolve(read.description, [(ref, read.token)], sport).keys[ref]
        else:
            market, before, after, outcome = template
            keys[ref] = (market, f"{before}{player}{after}", outcome)
    return keys


def resolve_listed_players(
    description: Description, outcomes: Sequence[tuple[str, int, str]], sport: str
) -> dict[str, Key | Refusal]:
    """outcome reference -> key (or why none) of a market listing one outcome per player by his SportRadar
    id ((reference, id, name)): the market read once with a stand-in player, each player's id put in."""
    template = _listed_template(description, sport)
    if isinstance(template, Refusal):
        return dict.fromkeys((ref for ref, _player, _name in outcomes), template)
    market, before, after, outcome = template
    return {
        ref: listed_player_problem(ref, player, name) or (market, f"{before}{player}{after}", outcome)
        for ref, player, name in outcomes
    }


@lru_cache(maxsize=4096)
def _listed_template(description: Description, sport: str) -> tuple[int, str, str, int] | Refusal:
    """The stand-in player's key around his id: (market, specifier before the id, after it, outcome)."""
    reading = listed_player_bet(description)
    if isinstance(reading, Refusal):
        return reading
    return _player_template(reading.description, reading.token, sport)


@lru_cache(maxsize=4096)
def _player_template(description: Description, token: str, sport: str) -> tuple[int, str, str, int] | Refusal:
    """The key of the stand-in player's ``token`` around his value: (market, specifier before it, after it,
    outcome); why none, or that the key does not name him once."""
    key = resolve(description, [("0", token)], sport).keys["0"]
    if isinstance(key, Refusal):
        return key
    market, specifier, outcome = key
    pair = f"player={STAND_IN_PLAYER}"
    if specifier.split("|").count(pair) != 1 or str(STAND_IN_PLAYER) in specifier.replace(pair, ""):
        return Refusal(f"{description.text()}: its key does not name the player once")
    at = specifier.index(pair) + len("player=")
    return market, specifier[:at], specifier[at + len(str(STAND_IN_PLAYER)) :], outcome


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
    if description.scope == "each":
        return _each_side(description, outcomes, sport)
    if (description.scope == "player" or description.bet in SCORER_BETS) and description.param(
        "player"
    ) is None:
        # outcomes named by player: player_bets reads each name into a market of its own, keyed here
        players = resolve_readings(read_named_players(description, outcomes, sport), sport)
        return Resolution(refuse_keyed_alike(players), None)
    unvalued = [name for name, value in description.params if value == UNVALUED]
    if unvalued:
        reason = Refusal(f"{description.text()}: no value for {', '.join(unvalued)}")
        return Resolution({ref: reason for ref, _name in outcomes}, None)
    if "ah" in description.bet.split("&") and any(read_single(n, "1x2") == "draw" for _r, n in outcomes):
        # a handicap with a draw outcome is European ("Handicap": 1, X, 2)
        bet = "&".join(sorted("eh" if b == "ah" else b for b in description.bet.split("&")))
        description = replace(description, bet=bet)
    keys: dict[str, Key | Refusal] = {}
    tokens: dict[str, str] = {}
    seen: dict[str, str] = {}
    for ref, name in outcomes:
        token = _read_token(description, _without_own_team(name, description.scope))
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
    if (
        any(description.param(name) for name in _FIXED)
        or "." in description.bet
        or description.bet in _COMPOSED
    ):
        return _combined(description, keys, tokens, sport)
    fitting = _fitting(description, listed, sport)
    preferred = PREFERRED.get((sport, description.bet))
    fitting.sort(
        key=lambda f: (f[0].market_id != preferred, -len(listed & f[2].keys()), len(f[2].keys() - listed),
                       f[0].market_id)
    )  # fmt: skip
    if not fitting and "&" in description.bet:
        return _combined(description, keys, tokens, sport)
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


def _read_token(description: Description, name: str) -> str | Refusal:
    """The outcome's token; a leg the name fixes ("Multi Goal 4-5") joins the token the outcome gives."""
    fixed = {bet: description.param(bet) for bet in _FIXED if description.param(bet)}
    if not fixed:
        return read_outcome_name(name, description.bet)
    members = description.bet.split("&")
    read_bets = [bet for bet in members if bet not in fixed]
    if not read_bets or any(bet not in members for bet in fixed):
        return Refusal(f"{description.text()}: the name fixes every leg or one it does not bet on")
    token = read_outcome_name(name, "&".join(read_bets))
    if isinstance(token, Refusal):
        return token
    read = dict(zip(read_bets, token.split("&"), strict=True))
    return "&".join(fixed.get(bet) or read[bet] for bet in members)


def _each_side(description: Description, outcomes: Sequence[tuple[str, str]], sport: str) -> Resolution:
    """ "Home/Away - Over/Under": two markets in one, each outcome naming its side first ("Home Over")."""
    keys: dict[str, Key | Refusal] = {}
    sides: dict[str, list[tuple[str, str]]] = {}
    for ref, name in outcomes:
        side, _, rest = name.strip().partition(" ")
        if side.lower() not in ("home", "away") or not rest.strip():
            keys[ref] = Refusal(f"outcome {name!r} of a home/away market names no side first")
            continue
        sides.setdefault(side.lower(), []).append((ref, rest.strip()))
    for side, named in sides.items():
        one_side = replace(description, scope=side)
        keys.update(_resolve(one_side, named, sport).keys)
    return Resolution(keys, None)


def _leg(description: Description, bet: str, period: str | None = None, **params: str) -> Description:
    """One leg of a combination: the combination's counted and scope, its own bet, period and parameters."""
    own = {name: value for name, value in description.params if name not in _FIXED}
    kept = {
        name: value for name, value in own.items()
        if name not in set().union(*_LEG_PARAMS.values()) or name in _LEG_PARAMS.get(bet, set())
    }  # fmt: skip
    kept.update(params)
    return Description(
        description.counted, period or description.period, description.scope, bet, description.qualifiers,
        tuple(sorted(kept.items())),
    )  # fmt: skip


def _legs(description: Description, token: str) -> list[tuple[Description, str]] | None:
    """The UOF outcomes that together are ``token`` (all must win), or None when it is not their "all of"."""
    if description.bet == "firstgoalhalf":
        # the half of the (team's) first goal: the first half scores; or it does not and the second does
        if token == "1h":
            return [(_leg(description, "total", "1h", total="0.5"), "over")]
        if token == "2h":
            return [
                (_leg(description, "total", "1h", total="0.5"), "under"),
                (_leg(description, "total", "2h", total="0.5"), "over"),
            ]
        return [(_leg(description, "total", "match", total="0.5"), "under")] if token == "none" else None
    if description.bet.startswith("htft."):
        _htft, first, second = description.bet.split(".")
        halves = token.split("/")
        return [(_leg(description, first, "1h"), halves[0]), (_leg(description, second, "match"), halves[1])]
    members = description.bet.split("&")
    parts = token.split("&")
    if len(members) < 2 or len(parts) != len(members):
        return None
    return [(_leg(description, bet), part) for bet, part in zip(members, parts, strict=True)]


def _combined(
    description: Description, keys: dict[str, Key | Refusal], tokens: dict[str, str], sport: str
) -> Resolution:
    """A bet UOF has no market for, made of UOF outcomes that must all win: the combination of their keys
    (markets/combinations.py), the same key a reviewed table composes; a leg without a UOF key refuses."""
    for ref, token in tokens.items():
        legs = _legs(description, token)
        if legs is None or is_residual(token):
            keys[ref] = Refusal(f"{description.text()}: {token!r} is not a combination of UOF outcomes")
            continue
        found: list[Key] = []
        for leg, leg_token in legs:
            key = _resolve_tokens(leg, leg_token, sport)
            if isinstance(key, Refusal):
                keys[ref] = key
                break
            found.append(key)
        else:
            try:
                keys[ref] = combination_key(ALL_OF, found)
            except SpecifierError as error:
                keys[ref] = Refusal(f"{description.text()}: {error}")
    return Resolution(keys, None)


def _resolve_tokens(description: Description, token: str, sport: str) -> Key | Refusal:
    """The UOF key of one leg's token, or why not (a leg under a canonical key is no UOF outcome)."""
    fitting = _fitting(description, {token}, sport)
    preferred = PREFERRED.get((sport, description.bet))
    # one outcome says nothing about which list it is in: a market with a fixed list before a variant one
    fitting.sort(key=lambda f: (f[0].market_id != preferred, bool(f[1]), f[0].market_id))
    if not fitting:
        return Refusal(f"leg {description.text()} {token!r}: no UOF market has it")
    try:
        key = _keyed(description, {}, {"leg": token}, fitting).keys["leg"]
    except SpecifierError as error:
        return Refusal(f"leg {description.text()}: {error}")
    if isinstance(key, tuple) and key[0] == DESCRIBED:
        return Refusal(f"leg {description.text()} {token!r}: no UOF market has it")
    return key
