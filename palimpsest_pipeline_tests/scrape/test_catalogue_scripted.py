"""Catalogue scrapes of all three books against a scripted server that serves our own fixtures.

Checks the book-specific flows end to end on real sockets: paging and stop rules, de-duplication, skipped
Bet9ja groups, BetPawa detail fetches only for rows without widgets, the kick-off window, and that one
failing book does not fail the others.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.catalogue import CatalogueScrape, scrape_catalogue
from palimpsest_pipeline_tests.books.payloads import fixture, fixture_bytes
from palimpsest_pipeline_tests.books.scripted_server import Hit, Reply, ScriptedServer
from palimpsest_pipeline_tests.scrape.every_book import scrape_every_book

NOW = datetime(2026, 5, 1, 0, 0, tzinfo=UTC)
HORIZON = timedelta(days=14)
PREFIX = {Book.SPORTYBET: "/sb/", Book.BET9JA: "/b9/", Book.BETPAWA: "/bp/"}
Override = Callable[[Hit], Reply | None]


def json_reply(book: str, name: str) -> Reply:
    return Reply(body=fixture_bytes(book, name), headers={"content-type": "application/json"})


def fake_books(override: Override | None = None) -> Callable[[Hit], Reply]:
    """Serve the fixtures at the three books' paths; ``override`` may answer a hit first."""

    def handle(hit: Hit) -> Reply:
        if override is not None and (reply := override(hit)) is not None:
            return reply
        path, query = hit.path, hit.query
        if path == "/sb/popularAndSportList":
            return json_reply("sportybet", "popularAndSportList")
        if path == "/sb/pcUpcomingEvents":
            page = {"1": "pcUpcomingEvents_page1", "2": "pcUpcomingEvents_page2"}.get(query["pageNum"])
            return json_reply("sportybet", page or "pcUpcomingEvents_past_end")
        if path == "/b9/GetSports":
            return json_reply("bet9ja", "GetSports")
        if path == "/b9/GetEventsInGroupV2":
            if query["GROUPID"] in {"170880", "1414963"}:
                return json_reply("bet9ja", f"GetEventsInGroupV2_{query['GROUPID']}")
            return Reply.json({"R": "E", "D": "group not found"})
        if path == "/bp/categories/list/2":
            return json_reply("betpawa", "categories_list_2")
        if path == "/bp/events/lists/by-queries":
            skip = orjson.loads(query["q"])["queries"][0]["skip"]
            return json_reply("betpawa", "events_page0" if skip == 0 else "events_past_end")
        if path == "/bp/events/33289995":
            return json_reply("betpawa", "event_33289995")
        return Reply(status=404, body=b"not found")

    return handle


def settings_for(server: ScriptedServer, **overrides: Any) -> dict[Book, BookSettings]:
    values: dict[str, Any] = {
        "max_attempts": 2,
        "backoff_base_s": 0.0,
        "backoff_cap_s": 0.0,
        "pause_s": 0.0,
        "envelope_attempts": 2,
    }
    values.update(overrides)
    return {
        book: BookSettings(book=book, base_url=server.url(prefix), **values)
        for book, prefix in PREFIX.items()
    }


def scrape_all(
    override: Override | None = None, *, now: datetime = NOW, horizon: timedelta = HORIZON
) -> tuple[ScriptedServer, dict[Book, CatalogueScrape]]:
    async def scenario() -> tuple[ScriptedServer, dict[Book, CatalogueScrape]]:
        async with ScriptedServer(fake_books(override)) as server:
            results = await scrape_every_book(
                settings_for(server), sports=["football"], horizon=horizon, now=now
            )
        return server, results

    return asyncio.run(scenario())


def test_every_book_is_scraped_completely() -> None:
    server, results = scrape_all()
    # the scripted server serves the three books whose fixtures it holds: only those are scraped
    assert {book: result.status for book, result in results.items()} == {book: "ok" for book in PREFIX}
    assert all(result.complete for result in results.values())
    # the only message: BetPawa's catalogue counts one event more than its list gives, so football is held
    assert [r.error_messages for r in results.values() if r.book is not Book.BETPAWA] == [[], []]
    assert results[Book.BETPAWA].error_messages == [
        "stale sport football: listed 3 events, the catalogue counted 4"
    ]

    sporty = results[Book.SPORTYBET]
    assert [event.sr_id for event in sporty.events] == [61301001, 61301002, 61301003, 68995116, 69011234]
    assert [event.genius_id for event in sporty.events] == [None, None, None, None, 13612345]
    assert sporty.warnings == []  # 5 distinct events, as totalNum said
    # Page 1 announces 5 events (one page); the list then ends with two empty pages.
    assert [hit.query["pageNum"] for hit in server.hits_on("/sb/pcUpcomingEvents")] == ["1", "2", "3", "4"]
    assert {t.tournament_id for t in sporty.tournaments} == {
        "sr:tournament:17",
        "sr:tournament:18",
        "sr:tournament:649",
    }

    nine = results[Book.BET9JA]
    assert [event.event_id for event in nine.events] == ["769000001", "769000002", "769895636", "769895637"]
    # Antepost / Players / Zoom groups are never even requested.
    assert {hit.query["GROUPID"] for hit in server.hits_on("/b9/GetEventsInGroupV2")} == {"170880", "1414963"}
    assert [t.tournament_id for t in nine.tournaments] == ["170880", "1414963"]

    pawa = results[Book.BETPAWA]
    assert [(event.event_id, event.sr_id) for event in pawa.events] == [
        ("33000001", 61301001),
        ("33000002", None),
        ("33289995", 68995116),
    ]
    assert [hit.path for hit in server.hits if hit.path.startswith("/bp/events/3")] == ["/bp/events/33289995"]

    assert all(result.stats.requests > 0 and result.stats.failed == 0 for result in results.values())
    assert all(result.started_at <= result.finished_at for result in results.values())


def test_only_kickoffs_inside_the_window_are_kept() -> None:
    now = datetime(2026, 5, 6, 0, 0, tzinfo=UTC)
    server, results = scrape_all(now=now, horizon=timedelta(days=1))
    for result in results.values():
        assert result.events and all(
            now <= event.kickoff <= now + timedelta(days=1) for event in result.events
        )
    assert [e.event_id for e in results[Book.SPORTYBET].events] == ["sr:match:61301001", "sr:match:61301002"]
    assert server.hits_on("/sb/pcUpcomingEvents")[0].query["timeline"] == "24"
    # The widget-less BetPawa row kicks off after the window: its detail is not fetched.
    assert server.hits_on("/bp/events/33289995") == []


def test_one_failing_book_does_not_fail_the_others() -> None:
    def bet9ja_down(hit: Hit) -> Reply | None:
        return Reply(status=503, body=b"down") if hit.path.startswith("/b9/") else None

    server, results = scrape_all(bet9ja_down)
    failed = results[Book.BET9JA]
    assert failed.status == "failed" and not failed.complete and failed.events == []
    assert "HTTP 503" in failed.error_messages[0] and server.url("/b9/GetSports") in failed.error_messages[0]
    assert failed.stats.errors == {"status_503": 2}
    assert results[Book.SPORTYBET].status == "ok" and results[Book.BETPAWA].status == "ok"


def test_malformed_payload_is_quarantined() -> None:
    broken = orjson.dumps({"responses": [{"responses": "not a list"}]})

    def broken_list(hit: Hit) -> Reply | None:
        return Reply(body=broken) if hit.path == "/bp/events/lists/by-queries" else None

    _, results = scrape_all(broken_list)
    pawa = results[Book.BETPAWA]
    assert pawa.status == "failed" and not pawa.complete
    assert len(pawa.quarantined) == 1
    quarantined = pawa.quarantined[0]
    assert quarantined.book is Book.BETPAWA and quarantined.body == broken
    assert "expected a list" in quarantined.reason and "by-queries" in quarantined.url
    assert pawa.stats.errors == {"malformed": 2}


def test_a_bad_list_row_costs_only_itself_and_its_sports_withdrawals() -> None:
    row = {"id": "1", "name": "A - B"}  # no category: unreadable, on every page of every sport
    broken = orjson.dumps({"responses": [{"responses": [row]}]})

    def broken_list(hit: Hit) -> Reply | None:
        return Reply(body=broken) if hit.path == "/bp/events/lists/by-queries" else None

    _, results = scrape_all(broken_list)
    pawa = results[Book.BETPAWA]
    rows = [q for q in pawa.quarantined if q.url.endswith("list row")]
    assert rows and all("category: missing" in q.reason and orjson.loads(q.body) == row for q in rows)
    assert "football" in pawa.held_sports
    assert "malformed" not in pawa.stats.errors  # never retried: a retry gets the same row
    # the book listed nothing while its own catalogue counted events: nothing it says can be trusted
    assert pawa.status == "suspect" and pawa.error_messages[0].startswith("suspect: no event listed")


def test_partial_list_is_reported_incomplete() -> None:
    def page_two_fails(hit: Hit) -> Reply | None:
        if hit.path == "/sb/pcUpcomingEvents" and hit.query["pageNum"] == "2":
            return Reply(status=500)
        return None

    _, results = scrape_all(page_two_fails)
    sporty = results[Book.SPORTYBET]
    assert sporty.status == "partial" and not sporty.complete
    assert [event.sr_id for event in sporty.events] == [61301001, 61301002, 61301003]


def test_group_answering_not_found_despite_its_count_makes_the_scrape_incomplete() -> None:
    def china_missing(hit: Hit) -> Reply | None:
        if hit.path == "/b9/GetEventsInGroupV2" and hit.query["GROUPID"] == "1414963":
            return Reply.json({"R": "E", "D": ""})
        return None

    server, results = scrape_all(china_missing)
    nine = results[Book.BET9JA]
    assert nine.status == "partial" and not nine.complete
    assert any("1414963" in message and 'R "E"' in message for message in nine.error_messages)
    assert len([h for h in server.hits_on("/b9/GetEventsInGroupV2") if h.query["GROUPID"] == "1414963"]) == 2


def test_totalnum_disagreement_is_a_warning() -> None:
    def more_announced(hit: Hit) -> Reply | None:
        if hit.path == "/sb/pcUpcomingEvents" and hit.query["pageNum"] == "1":
            payload = fixture("sportybet", "pcUpcomingEvents_page1")
            payload["data"]["totalNum"] = 7
            return Reply.json(payload)
        return None

    _, results = scrape_all(more_announced)
    sporty = results[Book.SPORTYBET]
    assert sporty.complete and sporty.warnings == ["football: read 5 distinct events, totalNum said 7"]


def test_settings_must_belong_to_the_book() -> None:
    import pytest

    settings = BookSettings(book=Book.BET9JA, base_url="http://127.0.0.1:9/")
    with pytest.raises(ValueError, match="settings are for bet9ja"):
        asyncio.run(scrape_catalogue(Book.BETPAWA, settings, sports=["football"], horizon=HORIZON, now=NOW))
    with pytest.raises(ValueError, match="timezone-aware"):
        asyncio.run(
            scrape_catalogue(
                Book.BET9JA, settings, sports=["football"], horizon=HORIZON, now=datetime(2026, 5, 1)
            )
        )
    with pytest.raises(ValueError, match="unknown sport 'curling'"):
        asyncio.run(scrape_catalogue(Book.BET9JA, settings, sports=["curling"], horizon=HORIZON, now=NOW))


def test_bad_arguments_raise_before_any_request() -> None:
    import pytest

    async def scenario() -> ScriptedServer:
        async with ScriptedServer(fake_books()) as server:
            settings = settings_for(server)[Book.BETPAWA]
            with pytest.raises(ValueError, match="horizon must be positive"):
                await scrape_catalogue(
                    Book.BETPAWA, settings, sports=["football"], horizon=timedelta(0), now=NOW
                )
            with pytest.raises(ValueError, match="unknown sport"):
                await scrape_catalogue(Book.BETPAWA, settings, sports=["polo"], horizon=HORIZON, now=NOW)
            with pytest.raises(ValueError, match="settings are for betpawa"):
                await scrape_catalogue(Book.BET9JA, settings, sports=["football"], horizon=HORIZON, now=NOW)
        return server

    assert asyncio.run(scenario()).hits == []


# ------------------------------------------------------------- wrappers and groups read one by one (item 8)


def _edited(book: str, name: str, edit: Callable[[Any], None]) -> Reply:
    payload = copy.deepcopy(fixture(book, name))
    edit(payload)
    return Reply.json(payload)


def test_a_sportybet_wrapper_without_its_name_costs_itself_not_the_sport() -> None:
    """Issue 33 item 8: the wrapper was read before its rows, so one without ``name`` failed the page."""

    def nameless(hit: Hit) -> Reply | None:
        if hit.path == "/sb/pcUpcomingEvents" and hit.query["pageNum"] == "1":
            return _edited(
                "sportybet", "pcUpcomingEvents_page1", lambda p: p["data"]["tournaments"][0].pop("name")
            )
        return None

    _, results = scrape_all(nameless)
    sporty = results[Book.SPORTYBET]
    assert sporty.status == "ok" and sporty.complete
    # its rows name their own tournament: every event is still read (the same five as the clean scrape)
    assert [event.sr_id for event in sporty.events] == [61301001, 61301002, 61301003, 68995116, 69011234]
    (wrapper,) = [q for q in sporty.quarantined if "tournament wrapper" in q.reason]
    assert "tournaments[0].name: missing" in wrapper.reason
    assert orjson.loads(wrapper.body) == {
        "id": "sr:tournament:17", "categoryId": "sr:category:1", "categoryName": "England", "events": 2
    }  # fmt: skip
    assert "football" in sporty.held_sports  # an unreadable wrapper holds its sport's withdrawals


def test_a_bet9ja_group_without_its_description_costs_itself_not_the_book() -> None:
    """Issue 33 item 8: one ``GetSports`` group without ``G_DESC`` failed the whole book's catalogue."""

    def nameless(hit: Hit) -> Reply | None:
        if hit.path == "/b9/GetSports":
            return _edited(
                "bet9ja",
                "GetSports",
                lambda p: p["D"]["PAL"]["1"]["SG"]["12016"]["G"]["1414963"].pop("G_DESC"),
            )
        return None

    server, results = scrape_all(nameless)
    nine = results[Book.BET9JA]
    assert nine.status == "ok" and nine.complete
    assert [t.tournament_id for t in nine.tournaments] == ["170880"]  # the good group, still listed
    assert [event.event_id for event in nine.events] == ["769000001", "769000002"]
    assert {hit.query["GROUPID"] for hit in server.hits_on("/b9/GetEventsInGroupV2")} == {"170880"}
    (group,) = [q for q in nine.quarantined if q.url == "football list row"]
    assert "group 1414963" in group.reason and "G_DESC: missing" in group.reason
    assert orjson.loads(group.body) == {"NUM": 2}
    assert "football" in nine.held_sports  # the set-aside group's events are not missed


def test_a_bet9ja_group_without_a_count_answering_not_found_is_unknown() -> None:
    """Issue 33 item 10: R "E" for a group with no ``NUM`` was read as an empty group: its events missed."""

    def countless(hit: Hit) -> Reply | None:
        if hit.path == "/b9/GetSports":
            return _edited(
                "bet9ja", "GetSports", lambda p: p["D"]["PAL"]["1"]["SG"]["12016"]["G"]["1414963"].pop("NUM")
            )
        if hit.path == "/b9/GetEventsInGroupV2" and hit.query["GROUPID"] == "1414963":
            return Reply.json({"R": "E", "D": ""})
        return None

    _, results = scrape_all(countless)
    nine = results[Book.BET9JA]
    assert [event.event_id for event in nine.events] == ["769000001", "769000002"]
    assert "football" in nine.held_sports
    assert any("1414963" in m and 'R "E"' in m for m in nine.error_messages)
