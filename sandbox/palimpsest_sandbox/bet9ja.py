"""Bet9ja payloads, in the exact shapes of ../shared/PLATFORMS.md and the wire decisions.

Pure functions from the world to the ``D`` part of ``{"R": "OK", "D": ...}``. ``AUX``, ``TRANS`` and
``CATMARKET`` are derived from the odds and market catalogue the markets module renders, so they always
agree with them as on the real site.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.markets.specifiers import format_line
from palimpsest_pipeline.records import Book
from palimpsest_sandbox.live_prices import LivePrices
from palimpsest_sandbox.live_timeline import MatchState
from palimpsest_sandbox.names import stable_hash
from palimpsest_sandbox.world import WorldEvent, WorldTournament

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


def ok(data: Any) -> dict[str, Any]:
    return {"R": "OK", "D": data}


def error() -> dict[str, Any]:
    """Bet9ja's one error answer: not found and throttled look the same."""
    return {"R": "E", "D": None}


def virtual_group_id(tournament: WorldTournament, index: int) -> int:
    return 2_000_000 + tournament.bet9ja_group_id % 1_000_000 * 2 + index


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
        sport = sport_by_key(event.sport)
        t = event.tournament
        countries = pal.setdefault(str(sport.bet9ja_sid), {"S_DESC": sport.bet9ja_name, "SG": {}})["SG"]
        country = {"SG_DESC": t.country_spellings[Book.BET9JA], "G": {}}
        groups = countries.setdefault(str(t.bet9ja_country_id), country)["G"]
        group = groups.get(str(t.bet9ja_group_id))
        if group is None:
            group = groups[str(t.bet9ja_group_id)] = {"G_DESC": t.spellings[Book.BET9JA], "NUM": 0}
            if _has_outrights(t):
                for index, suffix in enumerate(VIRTUAL_GROUP_SUFFIXES):
                    groups[str(virtual_group_id(t, index))] = {"G_DESC": f"{t.name} {suffix}", "NUM": 3}
        group["NUM"] += 1
    football = pal.get(str(sport_by_key("football").bet9ja_sid))
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
    start = _start(event)
    detail: dict[str, Any] = {
        "INCTYPE": 0,
        "ST": 1,
        "GID": t.bet9ja_group_id,
        "SPORTCAST_FIXTURE_ID": str(500_000 + event.uid % 100_000) if sport.key == "football" else "",
        "C": event.bet9ja_code,
        "STARTDATE": start,
        "SGID": t.bet9ja_country_id,
        "EXTID": _extid(event),
        "PLAYER_EID": 9_000_000 + event.uid % 1_000_000 if sport.key == "football" else 0,
        "DS": _ds(event),
        "SID": sport.bet9ja_sid,
        "P": 0,
        "PRV": 1,
        "IS_BOOSTED": False,
        "IS_BETBUILDER": sport.key == "football",
        "ENDVISIBILITYDATE": start,
        "ID": event.bet9ja_id,
        "PL": 0,
        "TYPE": 0,
        "ISSTREAMINGVIDEO": sport.key == "football",
    }
    if sport.key == "football":
        detail["PLAYER_SID"] = 301
    odds: dict[str, str] = rendered.get("O", {})
    markets: list[dict[str, Any]] = rendered.get("MK", [])
    detail.update(
        GN=t.spellings[Book.BET9JA],
        GP=t.country_key,
        SG=t.country_spellings[Book.BET9JA],
        S=sport.bet9ja_name,
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
        "ID": event.bet9ja_id,
        "EXTID": _extid(event),
        "DS": _ds(event),
        "STARTDATE": _start(event),
        "GID": t.bet9ja_group_id,
        "GN": t.spellings[Book.BET9JA],
        "SG": t.country_spellings[Book.BET9JA],
        "SGID": t.bet9ja_country_id,
        "SID": sport_by_key(event.sport).bet9ja_sid,
        "C": event.bet9ja_code,
        "O": odds,
    }


def _extid(event: WorldEvent) -> str:
    sr_id = event.visible_sr_id(Book.BET9JA)
    return "" if sr_id is None else str(sr_id)


def _ds(event: WorldEvent) -> str:
    return f"{event.home[Book.BET9JA]} - {event.away[Book.BET9JA]}"


def _start(event: WorldEvent) -> str:
    return event.kickoff.strftime("%Y-%m-%d %H:%M:%S")


# --- in play (PalimpsestLiveAjax/GetLiveEvent) -------------------------------------------------------------

#: Live sport ids: the capture's soccer is 3000001 (prematch SID 1); the others follow the pattern (a guess).
LIVE_SID_BASE = 3_000_000
#: Canonical (market, outcome) -> (live market key, outcome key); ``{line}`` is the specifier's value.
_LIVE_KEYS: dict[tuple[int, int], tuple[str, str]] = {
    (1, 1): ("1X2", "1"), (1, 2): ("1X2", "X"), (1, 3): ("1X2", "2"),
    (10, 9): ("DC", "1X"), (10, 10): ("DC", "12"), (10, 11): ("DC", "X2"),
    (11, 4): ("DNB", "1"), (11, 5): ("DNB", "2"),
    (18, 12): ("OU@{line}", "O"), (18, 13): ("OU@{line}", "U"),
    (29, 74): ("GGNG", "Y"), (29, 76): ("GGNG", "N"),
    (26, 70): ("OE", "OD"), (26, 72): ("OE", "EV"),
    (8, 6): ("NEXTGOAL@{score}", "1"), (8, 7): ("NEXTGOAL@{score}", "X"), (8, 8): ("NEXTGOAL@{score}", "2"),
    (19, 12): ("OUHOME@{line}", "O"), (19, 13): ("OUHOME@{line}", "U"),
    (20, 12): ("OUAWAY@{line}", "O"), (20, 13): ("OUAWAY@{line}", "U"),
    (219, 4): ("12", "1"), (219, 5): ("12", "2"),
    (225, 12): ("OU@{line}", "O"), (225, 13): ("OU@{line}", "U"),
    (186, 4): ("12", "1"), (186, 5): ("12", "2"),
}  # fmt: skip
_LIVE_PREFIX = {"football": "LIVES_", "basketball": "LIVEB_", "tennis": "LIVET_"}
_PERIOD_NAMES = {
    "H1": "1st Half", "HT": "Half Time", "H2": "2nd Half",
    "Q1": "1st Quarter", "Q2": "2nd Quarter", "Q3": "3rd Quarter", "Q4": "4th Quarter",
    "B1": "Pause", "B2": "Half Time", "B3": "Pause",
    "S1": "1st Set", "S2": "2nd Set", "S3": "3rd Set",
}  # fmt: skip


def live_odds(sport: str, prices: LivePrices, score: tuple[int, int]) -> dict[str, dict[str, float | int]]:
    """``D.O`` of GetLiveEvent: ``{"LIVES_OU@2.5_O": {"v": 1.85}}``; a closed line shows ``{"v": 1}``.

    Numbers, not strings (unlike GetEvent), trimmed to an int when whole, as in the capture.
    """
    prefix = _LIVE_PREFIX[sport]
    odds: dict[str, dict[str, float | int]] = {}
    for (market, spec, outcome), price in prices.items():
        template, outcome_key = _LIVE_KEYS[(market, outcome)]
        line = spec.partition("=")[2]
        key = template.format(line=format_line(float(line)) if line else "", score=f"{score[0]}:{score[1]}")
        value: float | int = 1 if price is None else price
        odds[f"{prefix}{key}_{outcome_key}"] = {"v": int(value) if float(value).is_integer() else value}
    return odds


def live_event(
    event: WorldEvent, state: MatchState, odds: dict[str, dict[str, float | int]]
) -> dict[str, Any]:
    """``D`` of GetLiveEvent: ``A`` (match state), ``O`` (live odds), ``AA`` (event and competition).

    EVENTID is the event's GetEvent ``ID`` (no live list was captured to learn live ids from); ``A.ID`` and
    ``AA.ID`` echo it. Events without a SportRadar id have ``EXTID`` "" and ``BRMATCHID`` 0 (a guess).
    """
    sport = sport_by_key(event.sport)
    t = event.tournament
    live_sid = LIVE_SID_BASE + sport.bet9ja_sid
    sgid = f"{live_sid}_{t.bet9ja_group_id}"
    group_name = t.spellings[Book.BET9JA]
    country = t.country_spellings[Book.BET9JA]
    if country not in group_name:
        group_name = f"{country} - {group_name}"
    priority = 1 + stable_hash("b9-priority", t.key) % 150
    status = _PERIOD_NAMES[state.phase.code]
    open_markets = {key.rpartition("_")[0] for key, value in odds.items() if value["v"] != 1}
    home, away = state.score
    br_match_id = event.visible_sr_id(Book.BET9JA) or 0
    serving = -1
    points = ""
    if sport.key == "tennis":
        serving = 1 + stable_hash(event.match_seed, "serve", state.elapsed_s // 270) % 2
        points = ("0:0", "15:0", "15:15", "30:15", "30:30", "40:30")[state.elapsed_s // 45 % 6]
    match = {
        "A": True,
        "E": True,
        "MKNUM": len(open_markets),
        "EXTID": _extid(event),
        "ISSTREAMINGVIDEO": sport.key == "football",
        "ES": status,
        "BS": status,
        "R": {
            "SS": [f"{h}:{a}" for h, a in state.period_scores],
            "S": f"{home}:{away}",
            "EXTRA": "",
            "SRV": serving,
            "GS": points,
        },
        "WID": None,
        "T": state.minute,
        "PRV": 60,
        "ID": event.bet9ja_id,
        "T2": status if state.is_break else f"{state.minute}'",
        "BRMATCHID": br_match_id,
    }
    start = _start(event)
    competition = {
        "INCTYPE": 0,
        "ST": 1,
        "GID": t.bet9ja_group_id,
        "C": int(event.bet9ja_code),
        "STARTDATE": start,
        "EXTID": _extid(event),
        "SGID": sgid,
        "ISSTREAMINGVIDEO": sport.key == "football",
        "DS": _ds(event),
        "SID": live_sid,
        "WID": None,
        "PRV": 60,
        "ID": event.bet9ja_id,
        "PL": 1,
        "TYPE": 0,
        "BRMATCHID": br_match_id,
        "ENDVISIBILITYDATE": start,
        "COMP": {
            "SPORT": sport.bet9ja_name,
            "SGID": sgid,
            "G_PRIORITY": priority,
            "DS": group_name,
            "SID": live_sid,
            "AP": 0,
            "BTID": sgid,
            "S_PRIORITY": 10 + sport.bet9ja_sid,
            "INT_SID": live_sid,
            "CATEGORY": f"{sport.bet9ja_name} {group_name}",
            "PARENT": None,
            "ID": t.bet9ja_group_id,
            "PL": None,
        },
        "GN": group_name,
        "GP": priority,
    }
    return {"A": match, "O": odds, "AA": competition}
