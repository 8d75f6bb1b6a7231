"""Bet9ja payloads, in the exact shapes of ../shared/PLATFORMS.md and the wire decisions.

Pure functions from the world to the ``D`` part of ``{"R": "OK", "D": ...}``. ``AUX``, ``TRANS`` and
``CATMARKET`` are derived from the odds and market catalogue the markets module renders, so they always
agree with them as on the real site.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.records import Book
from palimpsest_sandbox.names import stable_hash
from palimpsest_sandbox.rendering import Rendered
from palimpsest_sandbox.world import WorldEvent, WorldTournament

BOOK = Book.BET9JA
#: Each sport's ``SID`` and name (``S_DESC``).
SPORT_IDS = {"football": 1, "basketball": 2, "tennis": 5}
SPORT_NAMES = {"football": "Soccer", "basketball": "Basketball", "tennis": "Tennis"}

#: Outright and virtual groups real Bet9ja lists among tournaments; clients must skip them.
VIRTUAL_GROUP_SUFFIXES = ("Antepost", "Players Specials")
ZOOM_COUNTRY_ID = 19_999
ZOOM_GROUPS = ((2_900_001, "Zoom Premier League"), (2_900_002, "Zoom LaLiga"))
#: Market parts (between the sport prefix and the outcome) that list rows carry in ``O``.
LIST_MARKETS = frozenset({"1X2", "DC", "12"})
_CATEGORY_CODES = {
    "POPULAR": "1",
    "SETS": "2",
    "SET1": "10",
    "HT": "102",
    "2T": "103",
    "GOAL": "104",
    "HOMEAWAY": "105",
    "COMBINED": "106",
    "CORNER": "108",
    "COMBO": "129",
    "OTHER": "999",
}


def group_id(tournament: WorldTournament) -> int:
    """A tournament's group (``GID``)."""
    return 1_000_000 + tournament.number * 97


def event_id(event: WorldEvent) -> int:
    """An event's ``ID``."""
    return 700_000_000 + (event.uid // 10_000 % 29_000) * 10_000 + event.uid % 10_000


def country_id(tournament: WorldTournament) -> int:
    """A tournament's country (``SGID``): the sport's ``SID`` and SportRadar's category number."""
    return SPORT_IDS[tournament.sport] * 10_000 + tournament.country_key


def code(event: WorldEvent) -> str:
    """The event's short code on the site (``C``)."""
    return str(1_000 + event.uid * 31 % 9_000)


def ok(data: Any) -> dict[str, Any]:
    return {"R": "OK", "D": data}


def error() -> dict[str, Any]:
    """Bet9ja's one error answer: not found and throttled look the same."""
    return {"R": "E", "D": None}


def virtual_group_id(tournament: WorldTournament, index: int) -> int:
    return 2_000_000 + group_id(tournament) % 1_000_000 * 2 + index


def virtual_group_ids(tournaments: Sequence[WorldTournament]) -> set[int]:
    ids = {gid for gid, _ in ZOOM_GROUPS}
    ids.update(virtual_group_id(t, i) for t in tournaments if _has_outrights(t) for i in (0, 1))
    return ids


def _has_outrights(tournament: WorldTournament) -> bool:
    return tournament.sport == "football" and stable_hash("antepost", tournament.key) % 5 == 0


def catalogue(events: Sequence[WorldEvent]) -> dict[str, Any]:
    """``GetSports``: ``PAL.{sid}.SG.{countryId}.G.{groupId} = {G_DESC, NUM}``, virtual groups included."""
    pal: dict[str, dict[str, Any]] = {}
    for event in events:
        t = event.tournament
        sport_entry = {"S_DESC": SPORT_NAMES[event.sport], "SG": {}}
        countries = pal.setdefault(str(SPORT_IDS[event.sport]), sport_entry)["SG"]
        country = {"SG_DESC": t.country_spellings[BOOK], "G": {}}
        groups = countries.setdefault(str(country_id(t)), country)["G"]
        group = groups.get(str(group_id(t)))
        if group is None:
            group = groups[str(group_id(t))] = {"G_DESC": t.spellings[BOOK], "NUM": 0}
            if _has_outrights(t):
                for index, suffix in enumerate(VIRTUAL_GROUP_SUFFIXES):
                    groups[str(virtual_group_id(t, index))] = {"G_DESC": f"{t.name} {suffix}", "NUM": 3}
        group["NUM"] += 1
    football = pal.get(str(SPORT_IDS["football"]))
    if football is not None:
        football["SG"][str(ZOOM_COUNTRY_ID)] = {
            "SG_DESC": "Zoom Soccer",
            "G": {str(gid): {"G_DESC": name, "NUM": 10} for gid, name in ZOOM_GROUPS},
        }
    return {"PAL": pal}


def group_rows(events: Sequence[WorldEvent], odds: Sequence[dict[str, str]]) -> dict[str, Any]:
    """``GetEventsInGroupV2``: the group's events with their 1X2/DC odds (``odds`` aligned to events)."""
    return {"E": [_row(event, o) for event, o in zip(events, odds, strict=True)]}


def list_odds(rendered: dict[str, Any]) -> dict[str, str]:
    """The few odds a list row carries: keys like ``S_1X2_1`` / ``S_DC_1X`` (no lines)."""
    selected = {}
    for key, value in rendered.get("O", {}).items():
        _, _, rest = key.partition("_")
        market, _, _ = rest.rpartition("_")
        if market in LIST_MARKETS:
            selected[key] = value
    return selected


def event_detail(event: WorldEvent, rendered: dict[str, Any]) -> dict[str, Any]:
    """``GetEvent``: the full event with every field the capture has, key order included."""
    sport = sport_by_key(event.sport)
    t = event.tournament
    start = start_date(event)
    detail: dict[str, Any] = {
        "INCTYPE": 0,
        "ST": 1,
        "GID": group_id(t),
        "SPORTCAST_FIXTURE_ID": str(500_000 + event.uid % 100_000) if sport.key == "football" else "",
        "C": code(event),
        "STARTDATE": start,
        "SGID": country_id(t),
        "EXTID": extid(event),
        "PLAYER_EID": 9_000_000 + event.uid % 1_000_000 if sport.key == "football" else 0,
        "DS": ds(event),
        "SID": SPORT_IDS[sport.key],
        "P": 0,
        "PRV": 1,
        "IS_BOOSTED": False,
        "IS_BETBUILDER": sport.key == "football",
        "ENDVISIBILITYDATE": start,
        "ID": event_id(event),
        "PL": 0,
        "TYPE": 0,
        "ISSTREAMINGVIDEO": sport.key == "football",
    }
    if sport.key == "football":
        detail["PLAYER_SID"] = 301
    odds: dict[str, str] = rendered.get("O", {})
    markets: list[dict[str, Any]] = rendered.get("MK", [])
    detail.update(
        GN=t.spellings[BOOK],
        GP=t.country_key,
        SG=t.country_spellings[BOOK],
        S=SPORT_NAMES[sport.key],
        O=odds,
        AUX=aux_lines(odds),
        EXCLUDED_BONUS=[],
        BOOSTED_ODDS=[],
        BOOSTED_MARKETS=[],
        MK=markets,
        CATMARKET=category_markets(markets),
        TRANS=translations(markets),
    )
    return detail


def aux_lines(odds: dict[str, str]) -> dict[str, dict[str, float | int]]:
    """``AUX``: every market's lines, ``{"S_OU": {"2.5": 2.5}}``, read back from the odds keys."""
    aux: dict[str, dict[str, float | int]] = {}
    for key in odds:
        market, at, rest = key.partition("@")
        if not at:
            continue
        line = rest.rpartition("_")[0]
        try:
            number = float(line)
        except ValueError:
            continue
        aux.setdefault(market, {})[line] = int(number) if number.is_integer() else number
    return aux


def category_markets(markets: list[dict[str, Any]]) -> list[dict[str, str]]:
    seen: dict[str, None] = dict.fromkeys(str(m.get("GCAT", "OTHER")) for m in markets)
    return [{"CODE": _CATEGORY_CODES.get(c, str(200 + stable_hash(c) % 700)), "VALUE": c} for c in seen]


def translations(markets: list[dict[str, Any]]) -> dict[str, Any]:
    """``TRANS``: market names/descriptions (dicts) and outcome labels (strings), keyed like the site's."""
    trans: dict[str, Any] = {}
    for market in markets:
        market_id = market["ID"]
        trans[f"M#{market_id}"] = {"NAME": market.get("DS", ""), "DESC": market.get("MDESC", "")}
        labels = market.get("SGN", [])
        for key, label in zip(market.get("SGNK", []), labels, strict=False):
            trans[f"M#{market_id}_{key}"] = label
            trans[f"MCU#{market_id}_{key}"] = label
        if len(labels) == 2:
            trans[f"MH#{market_id}"] = "|".join(labels)
        if "CNT" in market:
            trans[f"CNT#{market['CNT']}"] = market.get("CNTLABEL", "")
    return trans


def _row(event: WorldEvent, odds: dict[str, str]) -> dict[str, Any]:
    t = event.tournament
    return {
        "ID": event_id(event),
        "EXTID": extid(event),
        "DS": ds(event),
        "STARTDATE": start_date(event),
        "GID": group_id(t),
        "GN": t.spellings[BOOK],
        "SG": t.country_spellings[BOOK],
        "SGID": country_id(t),
        "SID": SPORT_IDS[event.sport],
        "C": code(event),
        "O": odds,
    }


def extid(event: WorldEvent) -> str:
    sr_id = event.visible_sr_id(BOOK)
    return "" if sr_id is None else str(sr_id)


def ds(event: WorldEvent) -> str:
    return f"{event.home[BOOK]} - {event.away[BOOK]}"


def start_date(event: WorldEvent) -> str:
    return event.kickoff.strftime("%Y-%m-%d %H:%M:%S")


def render(event: WorldEvent, markets: dict[str, Any], version: int) -> Rendered:
    """The detail body and the few odds a list row carries."""
    return Rendered(orjson.dumps(ok(event_detail(event, markets))), list_odds(markets))
