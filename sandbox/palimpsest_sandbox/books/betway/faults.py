"""Where the fault machinery finds things in Betway's answers: bare ``events[]`` rows, ``regions[]`` each
with its ``leagues[]``, the three joined arrays of the markets answer (markets.py); drifted, a line is left
in the market and outcome ids alone (``total=10~``, quarter units), and no name, ``sbv`` or ``handicap``
carries it."""

from __future__ import annotations

import re
from typing import Any

import orjson

from palimpsest_sandbox.hostile import UNKNOWN_MARKET
from palimpsest_sandbox.kit import BookFaults
from palimpsest_sandbox.payload_drift import NAMED_LINE

#: A total or handicap pair in an id ("total=2.5~"); a score handicap ("hcp=0:1~") is not a line.
_ID_LINE = re.compile(r"(total|hcp)=([+-]?\d+(?:\.\d+)?)~")
#: The leagues the first region lists under ``implausible_count``: past any real catalogue (the largest
#: captured lists 302 competitions), each one request to the pipeline.
IMPLAUSIBLE_LEAGUES = 5_000


class Faults(BookFaults):
    def empty(self) -> bytes:
        return orjson.dumps({"events": []})

    def rows(self, payload: Any) -> list[Any] | None:
        if not isinstance(payload, dict):
            return None
        found: list[Any] | None = payload.get("events")
        return found

    def unname_wrapper(self, payload: Any) -> None:
        """The first region with leagues loses its ``name``."""
        for region in payload.get("regions") or []:
            if region.get("leagues"):
                region.pop("name", None)
                return

    def announce(self, payload: Any, count: int) -> None:
        """Its lists give no count (their length drives its paging): the first region lists
        ``IMPLAUSIBLE_LEAGUES`` leagues."""
        for region in payload.get("regions") or []:
            if region.get("leagues"):
                league = region["leagues"][0]
                region["leagues"] += [
                    {**league, "leagueId": f"{league['leagueId']}-{n}"} for n in range(IMPLAUSIBLE_LEAGUES)
                ]
                return

    def break_names(self, row: dict[str, Any]) -> None:
        row["homeTeam"] = ""

    def move_a_day(self, row: dict[str, Any]) -> None:
        row["expectedStartEpoch"] = int(row["expectedStartEpoch"]) + 86_400

    def duplicate(self, payload: Any) -> bool:
        prices = payload.get("prices")
        if not isinstance(prices, list) or not prices:
            return False
        twin = dict(prices[0])
        twin["priceDecimal"] = round(float(twin["priceDecimal"]) + 0.5, 2)
        twin["numerator"] = int(twin["numerator"]) + int(twin["denominator"]) // 2
        prices.append(twin)
        return True

    def unknown_market(self, payload: Any) -> bool:
        markets, outcomes, prices = (payload.get(key) for key in ("marketsInGroup", "outcomes", "prices"))
        if not (
            isinstance(markets, list) and markets and isinstance(outcomes, list) and isinstance(prices, list)
        ):
            return False
        market = dict(markets[0])
        own = f"{market['eventId']}{UNKNOWN_MARKET}"
        market.update(
            marketId=own, subscriptionId=UNKNOWN_MARKET, isSquashedParent=False, isSquashedMarket=False
        )
        market.pop("squashedMarketIds", None)
        market.pop("defaultLine", None)
        markets.append(market)
        outcome_id = f"{own}1"
        outcome = {**(outcomes[0] if outcomes else {}), "outcomeId": outcome_id, "marketId": own}
        outcome.update(originalMarketId=own, name="Yes", displayName="Yes", sbv="", handicap=0)
        outcomes.append(outcome)
        prices.append({"outcomeId": outcome_id, "numerator": 9, "denominator": 10, "priceDecimal": 1.9})
        return True

    def drift(self, document: Any) -> None:
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
                    market[key] = NAMED_LINE.sub("", market[key])
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
