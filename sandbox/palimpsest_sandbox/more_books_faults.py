"""The fault machinery's hands in MSport's, Betway's and Betika's answers: where each list, row, wrapper,
market and line is, so answer_faults.py, hostile.py and payload_drift.py do to these books what they do to the
others.

MSport's answers are SportyBet's platform's (``data.tournaments[].events[]``, ``data.markets[]``); Betway's
are bare (``events[]``, ``regions[]``, the three joined arrays of markets/betway.py); Betika's are
``data[]`` rows, each with its ``odds[]`` market groups (betika.py), and no wrapper.
"""

from __future__ import annotations

import itertools
import re
from datetime import datetime, timedelta
from typing import Any

import orjson

from palimpsest_pipeline.records import Book
from palimpsest_sandbox import betika, msport

#: A line in a name: "(2.5)", "(-1.5)", "(0 : 0.5)", or the number after over/under/total/handicap.
_NAMED_LINE = re.compile(
    r"\s*\(\s*[+-]?\d+(?:\.\d+)?(?:\s*:\s*\d+(?:\.\d+)?)?\s*\)|(?<=over|nder|otal|icap)\s+[+-]?\d+(?:\.\d+)?",
    re.IGNORECASE,
)
#: A total or handicap pair in a Betway id ("total=2.5~"); a score handicap ("hcp=0:1~") is not a line.
_ID_LINE = re.compile(r"(total|hcp)=([+-]?\d+(?:\.\d+)?)~")
UNKNOWN_MARKET = 987_654
#: The leagues Betway's first region lists under ``implausible_count``: past any real catalogue (the largest
#: captured lists 302 competitions), each one request to the pipeline.
IMPLAUSIBLE_LEAGUES = 5_000
#: How far before the page's first event each endless MSport cursor points: never the same one twice.
_CURSOR_STEPS = itertools.count(1)


def empty(book: Book) -> bytes:
    """A list answer with no event, in the book's own shape."""
    if book is Book.MSPORT:
        return orjson.dumps(msport.envelope({"tournaments": [], "lastEventId": None}))
    if book is Book.BETIKA:
        return orjson.dumps(betika.answer([], 0, betika.DEFAULT_LIMIT, 1))
    return orjson.dumps({"events": []})


def rows(book: Book, payload: Any) -> list[Any] | None:
    """The answer's event rows as one mutable list (MSport's: the first tournament holding events)."""
    if not isinstance(payload, dict):
        return None
    if book is Book.MSPORT:
        for tournament in (payload.get("data") or {}).get("tournaments") or []:
            if tournament.get("events"):
                events: list[Any] = tournament["events"]
                return events
        return None
    if book is Book.BETIKA:
        data: list[Any] | None = payload.get("data")
        return data if isinstance(data, list) else None
    found: list[Any] | None = payload.get("events")
    return found


def unname_wrapper(book: Book, payload: Any) -> None:
    """The first wrapper of events loses its name: an MSport tournament its ``tournament``, a Betway region
    its ``name``; Betika's rows have no wrapper: the first row loses its competition's name."""
    if book is Book.BETIKA:
        for row in payload.get("data") or []:
            row.pop("competition_name", None)
            return
        return
    if book is Book.MSPORT:
        for tournament in (payload.get("data") or {}).get("tournaments") or []:
            if tournament.get("events"):
                tournament.pop("tournament", None)
                return
    for region in payload.get("regions") or []:
        if region.get("leagues"):
            region.pop("name", None)
            return


def announce(book: Book, payload: Any, count: int) -> None:
    """A list past any real one: Betika's ``meta.total`` says ``count``; MSport's page names a next page
    that starts before its own first event, never one named before, so its cursor never ends; Betway's first
    region lists ``IMPLAUSIBLE_LEAGUES`` leagues (its lists give no count: their length drives its paging)."""
    if book is Book.BETIKA:
        if isinstance(payload.get("meta"), dict):
            payload["meta"]["total"] = str(count)
        return
    if book is Book.MSPORT:
        data = payload.get("data") or {}
        ids = [row["eventId"] for t in data.get("tournaments") or [] for row in t.get("events") or []]
        if ids:
            first = min(int(event_id.rpartition(":")[2]) for event_id in ids)
            data["lastEventId"] = f"sr:match:{max(1, first - next(_CURSOR_STEPS))}"
        return
    for region in payload.get("regions") or []:
        if region.get("leagues"):
            league = region["leagues"][0]
            region["leagues"] += [
                {**league, "leagueId": f"{league['leagueId']}-{n}"} for n in range(IMPLAUSIBLE_LEAGUES)
            ]
            return


def break_names(book: Book, row: dict[str, Any]) -> None:
    row["home_team" if book is Book.BETIKA else "homeTeam"] = ""


def move_a_day(book: Book, row: dict[str, Any]) -> None:
    if book is Book.MSPORT:
        row["startTime"] = int(row["startTime"]) + 86_400_000
    elif book is Book.BETIKA:
        moved = datetime.strptime(row["start_time"], betika.TIME_FORMAT) + timedelta(days=1)
        row["start_time"] = moved.strftime(betika.TIME_FORMAT)
    else:
        row["expectedStartEpoch"] = int(row["expectedStartEpoch"]) + 86_400


def duplicate(book: Book, payload: Any) -> bool:
    """The first priced outcome given a second time at another price."""
    if book is Book.BETIKA:
        groups = _betika_groups(payload)
        if not groups or not groups[0].get("odds"):
            return False
        twin = dict(groups[0]["odds"][0])
        twin["odd_value"] = f"{float(twin['odd_value']) + 0.5:.2f}"
        groups[0]["odds"].append(twin)
        return True
    if book is Book.MSPORT:
        markets = (payload.get("data") or {}).get("markets")
        if not isinstance(markets, list) or not markets:
            return False
        twin = orjson.loads(orjson.dumps(markets[0]))
        for outcome in twin.get("outcomes", []):
            outcome["odds"] = f"{float(outcome['odds']) + 0.5:.2f}"
        markets.append(twin)
        return True
    prices = payload.get("prices")
    if not isinstance(prices, list) or not prices:
        return False
    twin = dict(prices[0])
    twin["priceDecimal"] = round(float(twin["priceDecimal"]) + 0.5, 2)
    twin["numerator"] = int(twin["numerator"]) + int(twin["denominator"]) // 2
    prices.append(twin)
    return True


def unknown_market(book: Book, payload: Any) -> bool:
    """A market no catalogue knows, priced like the first one."""
    if book is Book.BETIKA:
        groups = _betika_groups(payload)
        if not groups:
            return False
        twin = orjson.loads(orjson.dumps(groups[0]))
        twin["sub_type_id"] = str(UNKNOWN_MARKET)
        groups.append(twin)
        return True
    if book is Book.MSPORT:
        markets = (payload.get("data") or {}).get("markets")
        if not isinstance(markets, list) or not markets:
            return False
        twin = orjson.loads(orjson.dumps(markets[0]))
        twin["id"] = UNKNOWN_MARKET
        markets.append(twin)
        return True
    markets, outcomes, prices = (payload.get(key) for key in ("marketsInGroup", "outcomes", "prices"))
    if not (
        isinstance(markets, list) and markets and isinstance(outcomes, list) and isinstance(prices, list)
    ):
        return False
    market = dict(markets[0])
    own = f"{market['eventId']}{UNKNOWN_MARKET}"
    market.update(marketId=own, subscriptionId=UNKNOWN_MARKET, isSquashedParent=False, isSquashedMarket=False)
    market.pop("squashedMarketIds", None)
    market.pop("defaultLine", None)
    markets.append(market)
    outcome_id = f"{own}1"
    outcome = {**(outcomes[0] if outcomes else {}), "outcomeId": outcome_id, "marketId": own}
    outcome.update(originalMarketId=own, name="Yes", displayName="Yes", sbv="", handicap=0)
    outcomes.append(outcome)
    prices.append({"outcomeId": outcome_id, "numerator": 9, "denominator": 10, "priceDecimal": 1.9})
    return True


def drift(book: Book, document: Any) -> None:
    """``bare_quarter_lines``: every total and handicap in quarter units, only where the book's specifier is
    (MSport's ``specifiers``, Betway's ids), and no name, ``sbv`` or ``handicap`` carrying a line."""
    if book is Book.MSPORT:
        for market in (document.get("data") or {}).get("markets", []):
            _msport_market(market)
        return
    if book is Book.BETIKA:
        for group in _betika_groups(document) or []:
            for outcome in group.get("odds", []):
                _betika_outcome(outcome)
        return
    for market in document.get("marketsInGroup", []):
        for key in ("marketId", "defaultLine"):
            if isinstance(market.get(key), str):
                market[key] = _ID_LINE.sub(_quarter_pair, market[key])
        if isinstance(market.get("squashedMarketIds"), list):
            market["squashedMarketIds"] = [
                _ID_LINE.sub(_quarter_pair, str(m)) for m in market["squashedMarketIds"]
            ]
        market["handicap"] = 0
        for key in ("name", "displayName"):
            if isinstance(market.get(key), str):
                market[key] = _NAMED_LINE.sub("", market[key])
    for outcome in document.get("outcomes", []):
        for key in ("outcomeId", "marketId", "originalMarketId"):
            if isinstance(outcome.get(key), str):
                outcome[key] = _ID_LINE.sub(_quarter_pair, outcome[key])
        outcome.update(sbv="", handicap=0)
    for price in document.get("prices", []):
        if isinstance(price.get("outcomeId"), str):
            price["outcomeId"] = _ID_LINE.sub(_quarter_pair, price["outcomeId"])


def _quarter_pair(match: re.Match[str]) -> str:
    return f"{match.group(1)}={round(float(match.group(2)) * 4)}~"


def _in_quarter_units(specifier: str) -> str:
    """A UOF specifier with its total and handicap lines written in quarter units (a drifted payload)."""
    parts = []
    for part in specifier.split("|"):
        key, _, value = part.partition("=")
        if key in ("total", "hcp") and ":" not in value:
            value = str(round(float(value) * 4))
        parts.append(f"{key}={value}")
    return "|".join(parts)


def _msport_market(market: dict[str, Any]) -> None:
    specifier = market.get("specifiers")
    if not isinstance(specifier, str) or not specifier:
        return
    market["specifiers"] = _in_quarter_units(specifier)
    for field in ("description", "name"):
        if isinstance(market.get(field), str):
            market[field] = _NAMED_LINE.sub("", market[field])
    for outcome in market.get("outcomes", []):
        if isinstance(outcome.get("description"), str):
            outcome["description"] = _NAMED_LINE.sub("", outcome["description"])


def _betika_groups(payload: Any) -> list[Any] | None:
    """The first row's market groups (a one-match answer has one row)."""
    rows = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(rows, list) or not rows or not isinstance(rows[0], dict):
        return None
    groups = rows[0].get("odds")
    return groups if isinstance(groups, list) else None


def _betika_outcome(outcome: dict[str, Any]) -> None:
    specifier = outcome.get("special_bet_value")
    if not isinstance(specifier, str) or not specifier:
        return
    outcome["special_bet_value"] = _in_quarter_units(specifier)
    for field in ("display", "odd_key", "odd_def"):
        if isinstance(outcome.get(field), str):
            outcome[field] = _NAMED_LINE.sub("", outcome[field])
