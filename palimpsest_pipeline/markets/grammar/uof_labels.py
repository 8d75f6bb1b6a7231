"""Markets written the UOF way whose id is not UOF's, read by the grammar: ``name`` (else ``desc``), outcome
``desc``, parameters from the ``specifier`` (UOF ids are keys already)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from palimpsest_pipeline.markets.free_text import MAX_NAME_LENGTH
from palimpsest_pipeline.markets.grammar.description import (
    UNVALUED,
    Description,
    Key,
    Refusal,
    Unreadable,
    unreadable_name,
)
from palimpsest_pipeline.markets.grammar.phrases import read_market_name
from palimpsest_pipeline.markets.grammar.player_bets import lists_players, read_player_bets
from palimpsest_pipeline.markets.grammar.resolve import resolve, resolve_readings
from palimpsest_pipeline.markets.grammar.thresholds import lists_thresholds, read_thresholds, team_side
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT, list_at
from palimpsest_pipeline.markets.specifiers import score_handicap_to_home_line


def describe(market: Mapping[str, Any], home: str, away: str, unnamed_bet: str = "") -> Description | Refusal:
    """The description of one market from its names (``name`` first: it says "Home", not the team). Where
    both names read, they must say the same bet ("Player Passes" is not "Player Total Accurate Passes")."""
    readings: list[Description] = []
    first: Refusal | None = None
    for field in ("name", "desc"):
        text = market.get(field)
        if isinstance(text, str) and text.strip():
            reading = read_market_name(text, home=home, away=away, unnamed_bet=unnamed_bet)
            if isinstance(reading, Description):
                readings.append(reading)
            else:
                first = first or reading
    if len(readings) == 2 and readings[0].shape != readings[1].shape:
        return Refusal(f"name and desc say different bets: {readings[0].text()} / {readings[1].text()}")
    if readings:
        return readings[0]
    return first or Refusal("market has no name")


def _values(description: Description, specifier: str) -> dict[str, str] | Refusal:
    """The specifier's values for the description's parameters; a specifier key it does not name refuses."""
    given = dict(part.split("=", 1) for part in specifier.split("|") if "=" in part) if specifier else {}
    bets = description.bet.split("&")
    values: dict[str, str] = {}
    for name, value in description.params:
        if value == UNVALUED and name not in given:
            return Refusal(f"specifier {specifier!r} gives no {name}")
    for name, value in given.items():
        if name == "minute" and description.param("from") == "1" and description.param("to") == value:
            continue  # "1X2 from 1 to 15 minute" with minute=15: the window the name already says
        if name == "hcp" and ("eh" in bets) and ":" in value:
            value = score_handicap_to_home_line(value)
        named = dict(description.params)
        if (
            name in named
            or (name == "total" and ("total" in bets or description.bet.startswith("bothhalves")))
            or (name == "hcp" and ("ah" in bets or "eh" in bets))
        ):
            values[name] = value
        else:
            return Refusal(f"{description.text()}: specifier {name}={value} is not in the name")
    return values


def read_market(market: Mapping[str, Any], sport: str, home: str, away: str) -> dict[str, Key | Refusal]:
    """outcome id -> the grammar's key (or why none) for one such market; an outcome whose name cannot be
    read is ``Unreadable`` on its own, never changing how its neighbours are keyed."""
    players = _players_read_as_sides(market, sport, home, away)
    return _read_market(market, sport, home, away) if players is None else players


def reads_teams(market: Mapping[str, Any]) -> bool:
    """Whether :func:`read_market`'s reading of ``market`` reads the teams beyond whether its ``name`` or
    ``desc`` holds a team's name: a list of players or of a statistic's "<team> N+", or a market with a value
    that is not text where text belongs."""
    outcomes = market.get("outcomes")
    if type(outcomes) is list and outcomes:
        first = outcomes[0]
        if type(first) is dict and str(first.get("id")).startswith("pre:playerprops:"):
            return True
    return not _all_text(market) or _reads_teams(market)


def _all_text(market: Mapping[str, Any]) -> bool:
    """Whether the market's names and specifier are text and each outcome an object whose id is text or a
    whole number and whose name is text."""
    texts = (market.get("name"), market.get("desc"), market.get("specifier"))
    if any(text is not None and type(text) is not str for text in texts):
        return False
    for outcome in list_at(market, "outcomes"):
        if type(outcome) is not dict:
            return False
        ref, desc = outcome.get("id"), outcome.get("desc")
        if type(ref) not in (str, int) or (desc is not None and type(desc) is not str):
            return False
    return True


#: A player's outcome id and name as SportyBet writes them (``pre:playerprops:<match>:<player>:<n>:<side>``,
#: "Uriel Antuna (Pumas) 2+"): ASCII digits, no parenthesis in the name or team, no space at either end.
_PLAYER_REF = re.compile(r"pre:playerprops:[0-9]{1,12}:([0-9]{1,12})((?::[0-9]{1,6}){0,3})")
_PLAYER_NAME = re.compile(r"[^()\s](?:[^()]*[^()\s])? \(([^()\s](?:[^()]*[^()\s])?)\)( [0-9]{1,6}\+)?")
#: What a player market is read with instead of its own players and teams (:func:`_players_read_as_sides`):
#: teams, a match, the n-th player's id (its digits found nowhere else in a key) and name.
_SIDE_TEAMS = {"home": "Qhomeq", "away": "Qawayq"}
_MATCH_STANDIN = "987650000"
_PLAYER_STANDIN = 9_876_543_000
_STANDIN_DIGITS = "98765"


def _players_read_as_sides(
    market: Mapping[str, Any], sport: str, home: str, away: str
) -> dict[str, Key | Refusal] | None:
    """The keys of a market listing players ("Player Fouls": "Uriel Antuna (Pumas) 2+" under
    ``pre:playerprops:<match>:<player>:2:1``), read once per FORM of its outcomes (id tail, side, count), not
    per player and event. None (read it as any other market) unless every outcome has that form, its team is
    one side, the names name no team, and every form keys."""
    outcomes = market.get("outcomes")
    if type(outcomes) is not list or not outcomes:
        return None
    first = outcomes[0]
    if type(first) is not dict or not str(first.get("id")).startswith("pre:playerprops:"):
        return None
    texts = (market.get("name"), market.get("desc"), market.get("specifier"))
    if any(text is not None and type(text) is not str for text in texts) or any(
        _names_a_team(texts[:2], *teams) for teams in ((home, away), tuple(_SIDE_TEAMS.values()))
    ):
        return None
    sides: dict[str, str | None] = {}
    read: list[tuple[str, str, tuple[str, str, str]]] = []  # (outcome id, player, form)
    for outcome in outcomes:
        if type(outcome) is not dict:
            return None
        ref, name = outcome.get("id"), outcome.get("desc")
        if type(ref) is not str or type(name) is not str or len(name) > MAX_NAME_LENGTH:
            return None
        ref_match, name_match = _PLAYER_REF.fullmatch(ref), _PLAYER_NAME.fullmatch(name)
        if ref_match is None or name_match is None:
            return None
        team = name_match.group(1)
        side = sides[team] if team in sides else sides.setdefault(team, team_side(team, home, away))
        if side is None:
            return None
        read.append((ref, ref_match.group(1), (ref_match.group(2), side, name_match.group(2) or "")))
    shape = (sport, *texts, frozenset(form for _ref, _player, form in read))
    templates = _SIDE_READINGS.get(shape)
    if templates is None:
        if len(_SIDE_READINGS) >= _MAX_READINGS:
            _SIDE_READINGS.clear()
        templates = _SIDE_READINGS[shape] = _form_templates(market, sport, shape[-1])
    if not templates:
        return None
    keys: dict[str, Key | Refusal] = {}
    for ref, player, form in read:
        market_id, before, after, outcome_id = templates[form]
        keys[ref] = (market_id, before + player + after, outcome_id)
    return keys


def _form_templates(
    market: Mapping[str, Any], sport: str, forms: frozenset[tuple[str, str, str]]
) -> dict[tuple[str, str, str], tuple[int, str, str, int]]:
    """Each form's key around its player id: (market, specifier before the id, after it, outcome); empty
    when the market does not read outcome by outcome or a form's key is not one with ``player=<id>``."""
    standins: dict[str, tuple[str, str, str]] = {}
    outcomes = []
    for index, form in enumerate(sorted(forms)):
        tail, side, count = form
        ref = f"pre:playerprops:{_MATCH_STANDIN}:{_PLAYER_STANDIN + index}{tail}"
        standins[ref] = form
        outcomes.append({"id": ref, "desc": f"P {index} ({_SIDE_TEAMS[side]}){count}"})
    standin = {field: market.get(field) for field in ("name", "desc", "specifier")}
    standin["outcomes"] = outcomes
    if not _reads_teams(standin):  # not a list of players read one by one
        return {}
    reading = _read_market(standin, sport, _SIDE_TEAMS["home"], _SIDE_TEAMS["away"])
    templates = {}
    for ref, form in standins.items():
        key = reading.get(ref)
        if not isinstance(key, tuple):
            return {}
        market_id, specifier, outcome_id = key
        player = ref.split(":")[3]
        pair = f"player={player}"
        elsewhere = f"{market_id}:{outcome_id}:{specifier.replace(pair, '')}"  # ":" splits no stand-in
        if specifier.split("|").count(pair) != 1 or _STANDIN_DIGITS in elsewhere:
            return {}
        at = specifier.index(pair) + len("player=")
        templates[form] = (market_id, specifier[:at], specifier[at + len(player) :], outcome_id)
    return templates


#: Readings of player markets by (sport, names, specifier, outcome forms), cleared whole when full.
_SIDE_READINGS: dict[tuple[Any, ...], dict[tuple[str, str, str], tuple[int, str, str, int]]] = {}
_MAX_READINGS = 20_000


def _names_a_team(texts: tuple[str | None, ...], home: str, away: str) -> bool:
    """Whether the market's name or desc holds a team's name (``read_market_name`` replaces it)."""
    home, away = home.lower(), away.lower()
    for text in texts:
        if text is not None:
            lowered = text.lower()
            if (home and home in lowered) or (away and away in lowered):
                return True
    return False


def _refs(market: Mapping[str, Any]) -> tuple[list[tuple[str, str]], dict[str, Unreadable]]:
    """(outcome id, name) of the market's readable outcomes, and why each other one cannot be read."""
    outcomes = [o for o in list_at(market, "outcomes") if isinstance(o, JSON_OBJECT)]
    unreadable = {
        str(o.get("id")): why for o in outcomes if (why := unreadable_name(o.get("desc"), "outcome name"))
    }
    refs = [
        (str(o.get("id")), str(o.get("desc") or "")) for o in outcomes if str(o.get("id")) not in unreadable
    ]
    return refs, unreadable


def _reads_teams(market: Mapping[str, Any]) -> bool:
    """Whether :func:`_read_refs` takes a road that reads the teams (thresholds, players)."""
    refs, _unreadable = _refs(market)
    return _implied_total(market, [name for _ref, name in refs]) or (
        lists_players(refs) and not market.get("specifier")
    )


def _read_market(market: Mapping[str, Any], sport: str, home: str, away: str) -> dict[str, Key | Refusal]:
    refs, unreadable = _refs(market)
    return {**_read_refs(market, refs, sport, home, away), **unreadable}


def _read_refs(
    market: Mapping[str, Any], refs: list[tuple[str, str]], sport: str, home: str, away: str
) -> dict[str, Key | Refusal]:
    if _implied_total(market, [name for _ref, name in refs]):
        return _thresholds(market, refs, sport, home, away)
    if lists_players(refs) and not market.get("specifier"):
        described = describe(market, home, away)
        if isinstance(described, Refusal):
            return dict.fromkeys((ref for ref, _n in refs), described)
        return resolve_readings(read_player_bets(described, refs, home=home, away=away), sport)
    description = describe(market, home, away)
    if isinstance(description, Description):
        values = _values(description, str(market.get("specifier") or ""))
        if not isinstance(values, Refusal):
            return resolve(description.with_params(**values), refs, sport).keys
        description = values
    return dict.fromkeys((ref for ref, _n in refs), description)


def implied_bet(market: Mapping[str, Any]) -> str:
    """The bet a nameless market's outcomes say: "total" when each is "<subject> N+" (a statistic's
    thresholds, thresholds.py) and no specifier adds anything, else none."""
    names = [str(o.get("desc") or "") for o in list_at(market, "outcomes") if isinstance(o, JSON_OBJECT)]
    return "total" if _implied_total(market, names) else ""


def _implied_total(market: Mapping[str, Any], names: list[str]) -> bool:
    return bool(names) and lists_thresholds(names) and not market.get("specifier")


def _thresholds(
    market: Mapping[str, Any], refs: list[tuple[str, str]], sport: str, home: str, away: str
) -> dict[str, Key | Refusal]:
    """A statistic listed as "<subject> N+" outcomes (thresholds.py)."""
    description = describe(market, home, away, unnamed_bet="total")
    if isinstance(description, Refusal) or description.bet != "total" or description.params:
        reason = (
            description
            if isinstance(description, Refusal)
            else Refusal(f"{description.text()}: 'N+' outcomes under a bet that is not a plain count")
        )
        return dict.fromkeys((ref for ref, _n in refs), reason)
    named_team = any(
        re.search(r"\bteam\b", str(market.get(field) or "").lower()) for field in ("name", "desc")
    )
    readings = read_thresholds(description, refs, home=home, away=away, named_team=named_team)
    return resolve_readings(readings, sport)
