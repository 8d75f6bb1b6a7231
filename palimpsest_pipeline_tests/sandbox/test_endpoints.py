"""Each book endpoint over real sockets: paths, envelopes, paging and the quirks of the wire decisions."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta

import httpx
import orjson

from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.fixtures_sandbox import SANDBOX_TEST_INSTANT, sandbox_test_config
from palimpsest_pipeline_tests.sandbox.clients import bet9ja_rows, pawa_query, pawa_rows, sporty_pages
from palimpsest_sandbox import SandboxHandle, start_in_thread


def _listed_ids(sandbox: SandboxHandle, book: Book, sport: str = "football") -> set[str]:
    return {event.event_id for event in sandbox.world.listed(book, sandbox.now(), sport=sport)}


# --- SportyBet ---------------------------------------------------------------------------------------


def test_sportybet_catalogue_counts_what_is_listed(sandbox: SandboxHandle, http: httpx.Client) -> None:
    url = sandbox.base_urls[Book.SPORTYBET] + "popularAndSportList"
    body = http.get(url, params={"sportId": "sr:sport:1", "productId": 3, "_t": 1}).json()
    assert body["bizCode"] == 10_000 and body["message"] == "0#0"
    (football,) = body["data"]["sportList"]
    assert football["id"] == "sr:sport:1"
    tournaments = [t for category in football["categories"] for t in category["tournaments"]]
    assert all(c["id"].startswith("sr:category:") for c in football["categories"])
    assert (
        sum(t["eventSize"] for t in tournaments)
        == football["eventSize"]
        == len(_listed_ids(sandbox, Book.SPORTYBET))
    )
    truth = sandbox.world.listed_tournaments(Book.SPORTYBET, sandbox.now(), sport="football")
    assert {(t["id"], t["name"], t["eventSize"]) for t in tournaments} == {
        (t.tournament_id, t.name, t.event_count) for t in truth
    }


def test_sportybet_paging_covers_every_event_with_repeats_at_page_starts(
    sandbox: SandboxHandle, http: httpx.Client
) -> None:
    pages = sporty_pages(http, sandbox)
    ids = [e["eventId"] for page in pages for t in page["tournaments"] for e in t["events"]]
    assert set(ids) == _listed_ids(sandbox, Book.SPORTYBET)
    assert pages[0]["totalNum"] == len(set(ids))
    assert len(ids) > len(set(ids))  # some page repeated its predecessor's last event
    assert all(sum(len(t["events"]) for t in page["tournaments"]) <= 100 for page in pages)
    first_ids = [[e["eventId"] for t in page["tournaments"] for e in t["events"]] for page in pages]
    for previous, current in itertools.pairwise(first_ids):
        assert current[0] not in previous[:-1]  # a repeat is only ever the previous page's last event
    straddling = [p["tournaments"][-1]["id"] for p in pages[:-1]]
    assert any(tid == nxt["tournaments"][0]["id"] for tid, nxt in zip(straddling, pages[1:], strict=True))


def test_sportybet_list_row_shape(sandbox: SandboxHandle, http: httpx.Client) -> None:
    page = sporty_pages(http, sandbox)[0]
    tournament = page["tournaments"][0]
    assert set(tournament) == {"id", "name", "categoryId", "categoryName", "events"}
    event = tournament["events"][0]
    assert set(event) == {
        "eventId", "gameId", "estimateStartTime", "status", "matchStatus", "homeTeamId", "homeTeamName",
        "awayTeamId", "awayTeamName", "sport", "eventSource", "markets",
    }  # fmt: skip
    assert event["status"] == 0 and event["matchStatus"] == "Not start"
    assert isinstance(event["estimateStartTime"], int)
    assert [market["id"] for market in event["markets"]] == ["1"]


def test_sportybet_timeline_limits_hours_ahead(sandbox: SandboxHandle, http: httpx.Client) -> None:
    url = sandbox.base_urls[Book.SPORTYBET] + "pcUpcomingEvents"
    params: dict[str, str | int] = {
        "sportId": "sr:sport:1",
        "marketId": 1,
        "pageSize": 100,
        "pageNum": 1,
        "option": 2,
        "timeline": 24,
    }
    data = http.get(url, params=params).json()["data"]
    horizon = sandbox.now() + timedelta(hours=24)
    expected = [
        e
        for e in sandbox.world.listed(Book.SPORTYBET, sandbox.now(), sport="football")
        if e.kickoff <= horizon
    ]
    assert data["totalNum"] == len(expected) > 0
    limit_ms = horizon.timestamp() * 1_000
    assert all(e["estimateStartTime"] <= limit_ms for t in data["tournaments"] for e in t["events"])


def test_sportybet_rejects_page_size_over_100(sandbox: SandboxHandle, http: httpx.Client) -> None:
    url = sandbox.base_urls[Book.SPORTYBET] + "pcUpcomingEvents"
    response = http.get(url, params={"sportId": "sr:sport:1", "pageSize": 101, "pageNum": 1})
    assert response.status_code == 200
    body = response.json()
    assert (body["bizCode"], body["message"], body["data"]) == (4_000, "pageSize too large", None)


def test_sportybet_past_the_end_is_empty(sandbox: SandboxHandle, http: httpx.Client) -> None:
    url = sandbox.base_urls[Book.SPORTYBET] + "pcUpcomingEvents"
    data = http.get(url, params={"sportId": "sr:sport:1", "pageSize": 100, "pageNum": 500}).json()["data"]
    assert data["tournaments"] == [] and data["totalNum"] > 0


def test_sportybet_event_detail_and_not_found(sandbox: SandboxHandle, http: httpx.Client) -> None:
    url = sandbox.base_urls[Book.SPORTYBET] + "event"
    event = sandbox.world.listed(Book.SPORTYBET, sandbox.now())[0]
    body = http.get(url, params={"eventId": event.event_id, "productId": 3}).json()
    assert body["bizCode"] == 10_000
    assert body["data"]["eventId"] == event.event_id
    assert body["data"]["homeTeamName"] == event.home
    assert body["data"]["estimateStartTime"] == int(event.kickoff.timestamp() * 1_000)
    missing = http.get(url, params={"eventId": "sr:match:1", "productId": 3}).json()
    assert (
        missing["bizCode"] == 19_000 and missing["message"] == "Event not found" and missing["data"] is None
    )


def test_sportybet_genius_events_say_so(sandbox: SandboxHandle, http: httpx.Client) -> None:
    """As on the real book (PLATFORMS.md, corrected): eventId keeps the SR id, eventSource names the Genius
    feed with the Genius id behind seven 1s, and BetPawa's GENIUSSPORTS widget shows the same id."""
    event = next(
        e
        for e in sandbox.world.listed_events(Book.SPORTYBET, sandbox.now())
        if e.genius_sourced and Book.BETPAWA in e.listings
    )
    data = http.get(
        sandbox.base_urls[Book.SPORTYBET] + "event", params={"eventId": event.event_id(Book.SPORTYBET)}
    ).json()["data"]
    assert data["eventId"] == f"sr:match:{event.sr_id}"
    source = data["eventSource"]["preMatchSource"]
    assert source["sourceType"] == "BET_GENIUS"
    assert source["sourceId"].startswith("1111111") and len(source["sourceId"]) == 15
    pawa = http.get(sandbox.base_urls[Book.BETPAWA] + f"events/{event.event_id(Book.BETPAWA)}").json()
    genius = [w["id"] for w in pawa["widgets"] if w["type"] == "GENIUSSPORTS"]
    assert genius == [source["sourceId"].removeprefix("1111111")]


def test_sportybet_pc_events_post_is_forbidden(sandbox: SandboxHandle, http: httpx.Client) -> None:
    body = [{"sportId": "sr:sport:1", "marketId": "1", "tournamentId": [["sr:tournament:17"]]}]
    assert http.post(sandbox.base_urls[Book.SPORTYBET] + "pcEvents", json=body).status_code == 403


# --- BetPawa -----------------------------------------------------------------------------------------


def test_betpawa_categories_and_regions(sandbox: SandboxHandle, http: httpx.Client) -> None:
    base = sandbox.base_urls[Book.BETPAWA]
    meta = http.get(base + "categories/list/all").json()["onlyMeta"]
    football = next(m for m in meta if m["category"] == {"id": "2", "name": "Football"})
    assert football["eventCounts"]["UPCOMING"] == len(_listed_ids(sandbox, Book.BETPAWA))
    (category,) = http.get(base + "categories/list/2", params={"includeRegions": "true"}).json()[
        "withRegions"
    ]
    competitions = [c for region in category["regions"] for c in region["competitions"]]
    assert all(set(region["region"]) == {"id", "name"} for region in category["regions"])
    assert sum(c["eventCounts"]["UPCOMING"] for c in competitions) == football["eventCounts"]["UPCOMING"]


def test_betpawa_paging_covers_every_event(sandbox: SandboxHandle, http: httpx.Client) -> None:
    rows = pawa_rows(http, sandbox)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    assert set(ids) == _listed_ids(sandbox, Book.BETPAWA)
    without_widgets = [row for row in rows if "widgets" not in row]
    assert without_widgets and len(without_widgets) < len(rows) / 3
    row = next(row for row in rows if "widgets" in row)
    assert {"id", "name", "startTime", "participants", "competition", "region", "category", "markets"} < set(
        row
    )
    assert row["startTime"].endswith("Z")
    assert [market["marketType"]["id"] for market in row["markets"]] == ["3743"]


def test_betpawa_past_the_end_and_competition_zones(sandbox: SandboxHandle, http: httpx.Client) -> None:
    url = sandbox.base_urls[Book.BETPAWA] + "events/lists/by-queries"
    assert http.get(url, params={"q": pawa_query(skip=50_000)}).json() == {"responses": [{}]}
    event = sandbox.world.listed(Book.BETPAWA, sandbox.now(), sport="football")[0]
    rows = http.get(url, params={"q": pawa_query(competitions=[event.tournament_id])}).json()["responses"][0][
        "responses"
    ]
    assert rows and {row["competition"]["id"] for row in rows} == {event.tournament_id}


def test_betpawa_take_over_100_is_a_400(sandbox: SandboxHandle, http: httpx.Client) -> None:
    response = http.get(
        sandbox.base_urls[Book.BETPAWA] + "events/lists/by-queries", params={"q": pawa_query(take=101)}
    )
    assert response.status_code == 400
    assert "take" in response.json()["message"]


def test_betpawa_list_without_json_accept_is_protobuf(sandbox: SandboxHandle) -> None:
    headers = {"x-pawa-brand": "betpawa-nigeria", "devicetype": "web"}
    with httpx.Client(timeout=30, headers=headers) as client:
        response = client.get(
            sandbox.base_urls[Book.BETPAWA] + "events/lists/by-queries", params={"q": pawa_query()}
        )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-protobuf"
    assert response.content[:1] == b"\x0a"
    try:
        json.loads(response.content)
    except ValueError:
        pass
    else:
        raise AssertionError("protobuf body parsed as JSON")


def test_betpawa_event_detail_v3_and_not_found(sandbox: SandboxHandle, http: httpx.Client) -> None:
    base = sandbox.base_urls[Book.BETPAWA]
    event = next(e for e in sandbox.world.listed(Book.BETPAWA, sandbox.now()) if e.sr_id is not None)
    body = http.get(base + f"events/{event.event_id}").json()
    assert body["id"] == event.event_id and body["name"] == f"{event.home} - {event.away}"
    sportradar = [w for w in body["widgets"] if w["type"] == "SPORTRADAR"]
    assert {w["id"] for w in sportradar} == {str(event.sr_id)} and len(sportradar) == 2
    assert http.get(base + "events/1").status_code == 404
    v3 = base.replace("/v4/", "/v3/")
    assert http.get(v3 + f"events/{event.event_id}").status_code == 404


# --- Bet9ja ------------------------------------------------------------------------------------------


def test_bet9ja_catalogue_has_virtual_groups_and_counts(sandbox: SandboxHandle, http: httpx.Client) -> None:
    body = http.get(sandbox.base_urls[Book.BET9JA] + "GetSports", params={"DISP": 0}).json()
    assert body["R"] == "OK"
    soccer = body["D"]["PAL"]["1"]
    assert soccer["S_DESC"] == "Soccer"
    groups = [g for country in soccer["SG"].values() for g in country["G"].values()]
    names = [g["G_DESC"] for g in groups]
    assert (
        any("Antepost" in n for n in names)
        and any("Zoom" in n for n in names)
        and any("Players" in n for n in names)
    )
    real = [g for g in groups if not any(w in g["G_DESC"] for w in ("Antepost", "Players", "Zoom"))]
    assert sum(g["NUM"] for g in real) == len(_listed_ids(sandbox, Book.BET9JA))


def test_bet9ja_groups_cover_every_event(sandbox: SandboxHandle, http: httpx.Client) -> None:
    rows = bet9ja_rows(http, sandbox)
    assert {str(row["ID"]) for row in rows} == {
        e.event_id for e in sandbox.world.listed(Book.BET9JA, sandbox.now())
    }
    row = rows[0]
    assert set(row) == {"ID", "EXTID", "DS", "STARTDATE", "GID", "GN", "SG", "SGID", "SID", "C", "O"}
    assert isinstance(row["ID"], int) and row["C"] != str(row["ID"])
    datetime.strptime(row["STARTDATE"], "%Y-%m-%d %H:%M:%S")
    football = next(r for r in rows if r["SID"] == 1)
    assert {"S_1X2_1", "S_1X2_X", "S_1X2_2"} <= set(football["O"])
    assert any(r["EXTID"] == "" for r in rows)


def test_bet9ja_unknown_group_and_event_answer_r_e(sandbox: SandboxHandle, http: httpx.Client) -> None:
    base = sandbox.base_urls[Book.BET9JA]
    assert http.get(base + "GetEventsInGroupV2", params={"GROUPID": 42, "DISP": 0}).json()["R"] == "E"
    assert http.get(base + "GetEvent", params={"EVENTID": 42}).json()["R"] == "E"


def test_bet9ja_event_detail(sandbox: SandboxHandle, http: httpx.Client) -> None:
    event = next(e for e in sandbox.world.listed(Book.BET9JA, sandbox.now(), sport="football") if e.sr_id)
    body = http.get(sandbox.base_urls[Book.BET9JA] + "GetEvent", params={"EVENTID": event.event_id}).json()
    detail = body["D"]
    assert body["R"] == "OK" and str(detail["ID"]) == event.event_id and detail["EXTID"] == str(event.sr_id)
    assert detail["DS"] == f"{event.home} - {event.away}"
    assert detail["STARTDATE"] == event.kickoff.strftime("%Y-%m-%d %H:%M:%S")
    assert all(key.startswith("S_") for key in detail["O"])


# --- clock, determinism, control API -----------------------------------------------------------------


def test_moving_the_clock_moves_the_lists(sandbox_clock: SandboxHandle, http: httpx.Client) -> None:
    sandbox = sandbox_clock
    first = sandbox.world.listed(Book.BETPAWA, sandbox.now())[0]
    url = sandbox.base_urls[Book.BETPAWA] + f"events/{first.event_id}"
    assert http.get(url).status_code == 200
    response = http.post(
        sandbox.url + "/_sandbox/clock", json={"at": first.kickoff.isoformat(), "frozen": True}
    )
    assert response.json()["now"] == first.kickoff.isoformat()
    assert http.get(url).status_code == 404  # kicked off: gone from detail and lists
    assert first.event_id not in {row["id"] for row in pawa_rows(http, sandbox)}
    http.post(sandbox.url + "/_sandbox/clock", json={"advance_s": -60})
    assert http.get(url).status_code == 200


def test_same_seed_and_clock_serve_the_same_bytes(sandbox: SandboxHandle, http: httpx.Client) -> None:
    event = next(e for e in sandbox.world.listed(Book.SPORTYBET, sandbox.now()) if len(e.event_id) < 20)
    paths = {
        Book.SPORTYBET: f"event?eventId={event.event_id}&productId=3",
        Book.BETPAWA: "events/lists/by-queries?q=" + pawa_query(),
        Book.BET9JA: "GetSports?DISP=0",
    }
    with start_in_thread(sandbox_test_config()) as twin:
        for book, path in paths.items():
            assert (
                http.get(sandbox.base_urls[book] + path).content
                == http.get(twin.base_urls[book] + path).content
            )


def test_prices_move_with_the_clock(sandbox_clock: SandboxHandle, http: httpx.Client) -> None:
    sandbox = sandbox_clock
    event = sandbox.world.listed(Book.SPORTYBET, sandbox.now(), sport="football")[0]
    url = sandbox.base_urls[Book.SPORTYBET] + f"event?eventId={event.event_id}"
    first = orjson.loads(http.get(url).content)["data"]["markets"]
    sandbox.set_clock(advance_s=3_600)  # an hour: a few % of the markets re-price (markets/moves.py)
    later = orjson.loads(http.get(url).content)["data"]["markets"]
    assert first != later


def test_control_api(sandbox: SandboxHandle, http: httpx.Client) -> None:
    health = http.get(sandbox.url + "/_sandbox/health").json()
    assert health["status"] == "ok" and health["now"] == SANDBOX_TEST_INSTANT.isoformat() and health["frozen"]
    config = http.get(sandbox.url + "/_sandbox/config").json()
    assert set(config["books"]) == {"betpawa", "sportybet", "bet9ja", "msport", "betway", "betika"}
    bad = http.put(sandbox.url + "/_sandbox/config", json={"books": {"bet9ja": {"faults": {"hang": 1.5}}}})
    assert bad.status_code == 400 and "hang" in bad.json()["error"]
    unknown = http.put(sandbox.url + "/_sandbox/config", json={"books": {"bet10ja": {}}})
    assert unknown.status_code == 400 and "bet10ja" in unknown.json()["error"]
    assert http.post(sandbox.url + "/_sandbox/clock", json={"at": "2026-05-04T12:00:00"}).status_code == 400
    assert sandbox.now() == SANDBOX_TEST_INSTANT.astimezone(UTC)
