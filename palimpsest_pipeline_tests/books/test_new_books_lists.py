"""MSport's and Betway's event headers (real captures, read in place), and their catalogue and live lists.

No list answer of either book was ever captured: the lists here are small hand-made answers in the shapes
../shared/PLATFORMS.md documents, served over a real socket to the books' own catalogue flows.
"""

from __future__ import annotations

import asyncio
import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from palimpsest_pipeline.books.adapter import CatalogueParts, Window
from palimpsest_pipeline.books.betway import catalogue as betway
from palimpsest_pipeline.books.betway import live as betway_live
from palimpsest_pipeline.books.errors import PayloadError
from palimpsest_pipeline.books.http import BookClient
from palimpsest_pipeline.books.msport import catalogue as msport
from palimpsest_pipeline.books.msport import live as msport_live
from palimpsest_pipeline.books.settings import BookSettings, default_settings
from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.books.wire import EnvelopeError
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.books.scripted_server import Hit, Reply, ScriptedServer

CAPTURED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured"
FOOTBALL = sport_by_key("football")
#: README of the captures: Wuhan Three Towns v Qingdao Hainiu, 2026-05-06 11:00Z, on every book.
KICKOFF_68995116 = datetime(2026, 5, 6, 11, 0, tzinfo=UTC)
MS = 1_778_065_200_000  # that kick-off in epoch milliseconds


def _load(relative: str) -> Any:
    path = CAPTURED / relative
    if not path.exists():
        pytest.skip(f"captured responses not available ({path} is absent: ../shared is not mounted)")
    return json.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------- headers (captured)


def test_msport_header_of_the_captured_detail() -> None:
    event = msport.parse_event_detail(_load("msport/match_detail_sr68995116_prematch.json"))
    assert (event.book, event.event_id, event.sr_id, event.sport) == (
        Book.MSPORT,
        "sr:match:68995116",
        68995116,
        "football",
    )
    assert (event.home, event.away, event.kickoff) == (
        "Wuhan Three Towns",
        "Qingdao Hainiu FC",
        KICKOFF_68995116,
    )
    assert (event.tournament_id, event.tournament_name, event.country) == (
        "sr:tournament:649",
        "Chinese Super League",
        "China",
    )


def test_betway_header_of_the_captured_state_is_in_epoch_seconds() -> None:
    event = betway.parse_event_detail(_load("betway/event_state_sr68995116_prematch.json"))
    assert (event.book, event.event_id, event.sr_id, event.sport) == (
        Book.BETWAY,
        "68995116",
        68995116,
        "football",
    )
    assert (event.home, event.away, event.kickoff) == (
        "Wuhan Three Towns FC",
        "Qingdao Hainiu FC",
        KICKOFF_68995116,
    )
    assert (event.tournament_id, event.tournament_name, event.country) == (
        "soccer::china::chinese-super-league",
        "Chinese Super League",
        "China",
    )
    live = betway.parse_event_detail(_load("betway/event_state_sr67645534_live.json"))
    assert live.sr_id == 67645534


def test_the_msport_detail_after_the_match_has_no_price() -> None:
    from palimpsest_pipeline.books.msport.odds import parse_odds

    body = _load("msport/match_detail_sr67645534_live.json")
    assert msport.parse_event_detail(body).sr_id == 67645534
    parsed = parse_odds(body, sr_id=67645534, captured_at=KICKOFF_68995116)
    assert (parsed.rows, parsed.open_outcomes, parsed.malformed) == ([], 0, [])


def test_msport_wrong_operid_is_not_retried() -> None:
    with pytest.raises(EnvelopeError) as caught:
        msport.unwrap({"bizCode": 19000, "message": "invalid operId", "data": None}, "sports-matches-list")
    assert caught.value.mode == "fatal" and "invalid operId" in caught.value.what


# --------------------------------------------------------------------------------- MSport lists


def _msport_row(number: int, start_ms: int = MS, **extra: Any) -> dict[str, Any]:
    return {"eventId": f"sr:match:{number}", "homeTeam": f"Home {number}", "awayTeam": f"Away {number}",
            "startTime": start_ms, **extra}  # fmt: skip


def _msport_page(rows: list[dict[str, Any]], cursor: str | None) -> dict[str, Any]:
    wrapper = {"tournamentId": "sr:tournament:649", "tournament": "Chinese Super League", "category": "China",
               "categoryId": "sr:category:99", "events": rows}  # fmt: skip
    return {"bizCode": 10000, "message": "0#0", "data": {"tournaments": [wrapper], "lastEventId": cursor}}


def test_msport_list_page_rows_cost_only_themselves() -> None:
    page = _msport_page([_msport_row(1), _msport_row(2, start_ms="soon"), _msport_row(3)], "sr:match:3")  # type: ignore[arg-type]
    events, bad, cursor = msport.parse_matches_page(page["data"], FOOTBALL)
    assert [(e.sr_id, e.tournament_id, e.country, e.kickoff) for e in events] == [
        (1, "sr:tournament:649", "China", KICKOFF_68995116),
        (3, "sr:tournament:649", "China", KICKOFF_68995116),
    ]
    assert [(b.event_id, b.sr_id) for b in bad] == [("sr:match:2", 2)] and "startTime" in bad[0].reason
    assert cursor == "sr:match:3"


def test_an_msport_cursor_longer_than_any_event_id_is_not_followed() -> None:
    page = _msport_page([_msport_row(1)], "sr:match:" + "9" * 291)
    with pytest.raises(PayloadError, match=r"data.lastEventId: is 300 characters, longer than any event id"):
        msport.parse_matches_page(page["data"], FOOTBALL)


def _settings(book: Book, server: ScriptedServer, prefix: str) -> BookSettings:
    return default_settings(book).model_copy(
        update={"base_url": server.url(prefix), "max_attempts": 1, "backoff_base_s": 0.0}
    )


def _catalogue(book: Book, handler: Any, prefix: str) -> tuple[CatalogueParts, list[Hit]]:
    adapter = msport.ADAPTER if book is Book.MSPORT else betway.ADAPTER

    async def run() -> tuple[CatalogueParts, list[Hit]]:
        async with ScriptedServer(handler) as server:
            settings = _settings(book, server, prefix)
            async with BookClient(settings, adapter.wire(settings)) as client:
                window = Window(KICKOFF_68995116 - timedelta(days=1), timedelta(days=14))
                return await adapter.list_catalogue(client, [FOOTBALL], window), server.hits

    return asyncio.run(run())


def test_msport_catalogue_follows_the_cursor_until_a_page_lists_nothing() -> None:
    pages = {None: _msport_page([_msport_row(1), _msport_row(2)], "sr:match:2"),
             "sr:match:2": _msport_page([_msport_row(2), _msport_row(3)], "sr:match:3"),
             "sr:match:3": _msport_page([], None)}  # fmt: skip

    def handle(hit: Hit) -> Reply:
        assert hit.path == "/ms/sports-matches-list" and hit.headers["operid"] == "2"
        return Reply.json(pages[hit.query.get("lastEventId")])

    parts, hits = _catalogue(Book.MSPORT, handle, "/ms/")
    assert [hit.query.get("lastEventId") for hit in hits] == [None, "sr:match:2", "sr:match:3"]
    assert [e.sr_id for e in parts.events] == [1, 2, 3] and parts.complete
    assert [t.tournament_id for t in parts.tournaments] == ["sr:tournament:649"]


def test_msport_live_rows_count_their_suspended_lines() -> None:
    open_line = {
        "id": 1,
        "specifiers": "",
        "status": 0,
        "outcomes": [{"id": "1", "isActive": 1, "odds": "2.1"}],
    }
    closed = {
        "id": 18,
        "specifiers": "total=2.5",
        "status": 0,
        "outcomes": [{"id": "12", "isActive": 0, "odds": "1.9"}],
    }
    rows = [_msport_row(1, markets=[open_line, closed]), _msport_row(2, markets="none")]
    events, bad = msport_live.parse_live_list(_msport_page(rows, None)["data"], FOOTBALL)
    assert [(e.event.sr_id, e.markets, e.suspended) for e in events] == [(1, 2, 1)]
    assert [b.sr_id for b in bad] == [2]


# --------------------------------------------------------------------------------- Betway lists


def _betway_event(number: int, **extra: Any) -> dict[str, Any]:
    return {"eventId": number, "homeTeam": f"Home {number}", "awayTeam": f"Away {number}",
            "expectedStartEpoch": MS // 1000, "sportId": "soccer", "regionId": "china", "region": "China",
            "leagueId": "chinese-super-league", "league": "Chinese Super League",
            "joinedLeagueId": "soccer::china::chinese-super-league", **extra}  # fmt: skip


REGIONS = {"regions": [{"regionId": "china", "name": "China", "leagues": [
    {"leagueId": "chinese-super-league", "name": "Chinese Super League"},
    {"leagueId": "china-league-one", "name": "China League One"}]}]}  # fmt: skip


def test_betway_catalogue_reads_every_league_with_the_country_code() -> None:
    def handle(hit: Hit) -> Reply:
        assert hit.query["countryCode"] == "NG"
        if hit.path == "/bw/Feeds/RegionsAndLeagues/soccer":
            return Reply.json(REGIONS)
        if hit.path == "/bw/BetBook/Filtered/" and hit.query["leagueId"] == "chinese-super-league":
            return Reply.json({"events": [_betway_event(1), _betway_event(2, expectedStartEpoch="soon")]})
        if hit.path == "/bw/BetBook/Filtered/":
            return Reply(status=500, body=b"down")
        return Reply(status=404)

    parts, hits = _catalogue(Book.BETWAY, handle, "/bw/")
    assert [(e.sr_id, e.event_id, e.kickoff) for e in parts.events] == [(1, "1", KICKOFF_68995116)]
    assert [(b.event_id, b.sr_id) for b in parts.bad_rows] == [("2", 2)]
    assert [t.tournament_id for t in parts.tournaments] == [
        "soccer::china::chinese-super-league",
        "soccer::china::china-league-one",
    ]
    assert not parts.complete and len(parts.failures) == 1  # the second league's list failed
    assert len(hits) == 3


def test_a_betway_row_whose_id_cannot_be_read_still_names_its_event() -> None:
    """Betway's event id is its only id: a row whose ``eventId`` is a hostile value (a 4,301-digit number,
    another type) is named by the SR id its ``signalRGroupId`` carries (``"event::68995116"``, captured)."""
    unreadable = {"unexpected": [68995116]}
    data = {
        "events": [
            _betway_event(1),
            _betway_event(68995116, eventId=unreadable, signalRGroupId="event::68995116"),
            _betway_event(3, eventId=unreadable, signalRGroupId="market::3"),
            _betway_event(4, eventId=unreadable),
        ]
    }
    events, bad = betway.parse_events(data, "football")
    assert [e.sr_id for e in events] == [1]
    assert [(b.event_id, b.sr_id) for b in bad] == [("68995116", 68995116), (None, None), (None, None)]


def test_betway_live_rows_count_their_suspended_lines() -> None:
    markets = [{"isActive": True, "isSuspended": False}, {"isActive": True, "isSuspended": True}]
    data = {"events": [_betway_event(1, isLive=True, markets=markets), _betway_event(0)]}
    events, bad = betway_live.parse_live_list(data, FOOTBALL)
    assert [(e.event.sr_id, e.markets, e.suspended) for e in events] == [(1, 2, 1)]
    assert len(bad) == 1 and "not a SportRadar id" in bad[0].reason


def test_betway_odds_request_asks_the_markets_whole() -> None:
    request = betway.event_detail_request("71583282")
    assert request.path == "MarketGroupings/MarketGroupNamesAndMarketsForEvent"
    assert dict(request.params) == {"eventId": "71583282", "skip": "0", "take": "1000"}
    assert copy.copy(betway.wire(default_settings(Book.BETWAY)).common_params) == {"countryCode": "NG"}


def test_each_new_book_is_scraped_where_it_has_an_edition_betika_in_ghana() -> None:
    from palimpsest_pipeline.books.settings import settings_from_env
    from palimpsest_pipeline.deploy.pools import pool_limits
    from palimpsest_pipeline_tests.books.run_countries import settings_by_country

    new = {Book.MSPORT, Book.BETWAY}
    assert new <= set(settings_from_env({}, "ng"))  # Nigeria's edition of each, by default
    assert all(any(book.value in pool for pool in pool_limits({})) for book in new)
    # Betika has no Nigerian edition: scraped in Ghana, where competitors.toml lists it, never in Nigeria
    both = {"PALIMPSEST_COUNTRIES": "ng,gh"}
    assert Book.BETIKA not in settings_from_env({}, "ng") and Book.BETIKA in settings_by_country(both)["gh"]
    assert [pool for pool in pool_limits(both) if Book.BETIKA.value in pool] == ["book_betika_gh"]
    assert (
        default_settings(Book.MSPORT).base_url == "https://www.msport.com/api/ng/facts-center/query/frontend/"
    )
    assert default_settings(Book.BETWAY).base_url == "https://feeds-roa2.betwayafrica.com/br/_apis/sport/v1/"
    assert default_settings(Book.MSPORT).max_in_flight == default_settings(Book.BETWAY).max_in_flight == 20
