"""Minimal synchronous clients that page through the sandbox's lists the way the real adapters must."""

from __future__ import annotations

import json
from typing import Any

import httpx

from palimpsest_pipeline.records import Book
from palimpsest_sandbox import SandboxHandle

PAWA_HEADERS = {"x-pawa-brand": "betpawa-nigeria", "devicetype": "web", "accept": "application/json"}


def pawa_query(
    *, category: str = "2", skip: int = 0, take: int = 100, competitions: list[str] | None = None
) -> str:
    query: dict[str, Any] = {"eventType": "UPCOMING", "categories": [category], "hasOdds": True}
    if competitions is not None:
        query["zones"] = {"competitions": competitions}
    return json.dumps(
        {"queries": [{"query": query, "view": {"marketTypes": ["3743"]}, "skip": skip, "take": take}]}
    )


def sporty_pages(
    client: httpx.Client, sandbox: SandboxHandle, sport_id: str = "sr:sport:1"
) -> list[dict[str, Any]]:
    """Every page's ``data`` until the first empty page."""
    pages: list[dict[str, Any]] = []
    for page_num in range(1, 1_000):
        params: dict[str, str | int] = {
            "sportId": sport_id,
            "marketId": 1,
            "pageSize": 100,
            "pageNum": page_num,
            "option": 2,
            "_t": 1,
        }
        response = client.get(sandbox.base_urls[Book.SPORTYBET] + "pcUpcomingEvents", params=params)
        data = response.json()["data"]
        if not data["tournaments"]:
            return pages
        pages.append(data)
    raise AssertionError("SportyBet paging never ended")


def pawa_rows(client: httpx.Client, sandbox: SandboxHandle, category: str = "2") -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for skip in range(0, 100_000, 100):
        params = {"q": pawa_query(category=category, skip=skip)}
        body = client.get(sandbox.base_urls[Book.BETPAWA] + "events/lists/by-queries", params=params).json()
        page = body["responses"][0].get("responses")
        if not page:
            return rows
        rows.extend(page)
    raise AssertionError("BetPawa paging never ended")


def bet9ja_rows(client: httpx.Client, sandbox: SandboxHandle) -> list[dict[str, Any]]:
    base = sandbox.base_urls[Book.BET9JA]
    sports = client.get(base + "GetSports", params={"DISP": 0}).json()["D"]["PAL"]
    rows: list[dict[str, Any]] = []
    for sport in sports.values():
        for country in sport["SG"].values():
            for group_id, group in country["G"].items():
                if any(word in group["G_DESC"] for word in ("Antepost", "Players", "Zoom")):
                    continue
                params = {"GROUPID": group_id, "DISP": 0, "GROUPMARKETID": 1}
                body = client.get(base + "GetEventsInGroupV2", params=params).json()
                assert body["R"] == "OK", group
                rows.extend(body["D"]["E"])
    return rows
