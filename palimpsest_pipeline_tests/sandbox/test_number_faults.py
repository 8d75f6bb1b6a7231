"""The sandbox's numbers past what a book could send truly: ``implausible_count`` makes each book's list
announce more than any real list holds (its count, MSport's cursor, Betway's leagues), and the hostile kind
``huge_number`` puts a 4,301-digit number where a number is. Read raw, as the pipeline would get them."""

from __future__ import annotations

import random
from typing import Any

import httpx
import orjson

from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.fixtures_sandbox import FaultSetter
from palimpsest_pipeline_tests.sandbox.clients import pawa_query
from palimpsest_sandbox import SandboxHandle, hostile
from palimpsest_sandbox.books.betway.faults import IMPLAUSIBLE_LEAGUES
from palimpsest_sandbox.books.msport.handlers import operid

COUNT = 4_100_000_000


def _json(http: httpx.Client, sandbox: SandboxHandle, book: Book, path: str, **params: Any) -> Any:
    headers = {"operid": operid("ng")} if book is Book.MSPORT else {}
    response = http.get(sandbox.base_urls[book] + path, params=params, headers=headers)
    assert response.status_code == 200, response.text[:200]
    return response.json()


def test_every_book_announces_a_list_past_any_real_one(
    sandbox: SandboxHandle, sandbox_faults: FaultSetter, http: httpx.Client
) -> None:
    for book in (Book.SPORTYBET, Book.BETPAWA, Book.BET9JA, Book.BETIKA, Book.MSPORT, Book.BETWAY):
        sandbox_faults(book, implausible_count=1.0, announced_count=COUNT)
    sporty = _json(http, sandbox, Book.SPORTYBET, "pcUpcomingEvents", sportId="sr:sport:1", pageNum=1)
    assert sporty["data"]["totalNum"] == COUNT and sporty["data"]["tournaments"]
    pawa = _json(http, sandbox, Book.BETPAWA, "categories/list/2", includeRegions="true")
    counts = [
        c["eventCounts"]["UPCOMING"] for r in pawa["withRegions"][0]["regions"] for c in r["competitions"]
    ]
    assert counts[0] == COUNT and max(counts[1:]) < 1_000  # the first competition's, the rest as they were
    nine = _json(http, sandbox, Book.BET9JA, "GetSports", DISP=0)["D"]["PAL"]
    groups = [g for s in nine.values() for c in s["SG"].values() for g in c["G"].values()]
    assert [g["NUM"] for g in groups].count(COUNT) == 1
    betika = _json(http, sandbox, Book.BETIKA, "uo/matches", sport_id=14, page=1, limit=100)
    assert betika["meta"]["total"] == str(COUNT) and betika["data"]
    # MSport's list never ends: each page names a next one, never one named before, and lists events
    cursors: list[str | None] = [None]
    for _ in range(5):
        params = {"sportId": "sr:sport:1"} | ({"lastEventId": cursors[-1]} if cursors[-1] else {})
        page = _json(http, sandbox, Book.MSPORT, "sports-matches-list", **params)["data"]
        assert page["tournaments"] and page["lastEventId"] not in cursors
        cursors.append(page["lastEventId"])
    regions = _json(http, sandbox, Book.BETWAY, "Feeds/RegionsAndLeagues/soccer", countryCode="NG")["regions"]
    assert len(regions[0]["leagues"]) > IMPLAUSIBLE_LEAGUES
    for book in (Book.SPORTYBET, Book.BETPAWA, Book.BET9JA, Book.BETIKA, Book.MSPORT, Book.BETWAY):
        assert sandbox.served(book, outcome="implausible_count") >= 1


def test_pawa_lists_keep_their_rows_under_the_count_fault(
    sandbox: SandboxHandle, sandbox_faults: FaultSetter, http: httpx.Client
) -> None:
    """The fault touches the catalogue's count, not the list it counts."""
    before = _json(http, sandbox, Book.BETPAWA, "events/lists/by-queries", q=pawa_query())
    sandbox_faults(Book.BETPAWA, implausible_count=1.0)
    assert _json(http, sandbox, Book.BETPAWA, "events/lists/by-queries", q=pawa_query()) == before


def test_a_huge_number_goes_where_a_number_is() -> None:
    body = orjson.dumps({"data": {"totalNum": 3, "rows": [{"id": "68995116", "odds": "1.85", "name": "A"}]}})
    seen = set()
    for seed in range(40):
        mutated, applied = hostile.mutate(Book.SPORTYBET, body, random.Random(seed), "huge_number")
        assert applied == "huge_number"
        data = orjson.loads(mutated)["data"]
        fields = {"totalNum": data["totalNum"], **data["rows"][0]}
        [hit] = [key for key, value in fields.items() if value == hostile.HUGE_NUMBER]
        assert len(hostile.HUGE_NUMBER) == 4_301 and fields["name"] == "A"  # never a name
        seen.add(hit)
    assert seen == {"totalNum", "id", "odds"}  # a count, an id, a price
    nothing = orjson.dumps({"name": "A"})
    assert hostile.mutate(Book.SPORTYBET, nothing, random.Random(1), "huge_number") == (nothing, "none")
