"""Pure parse functions of the three adapters on our own small fixtures (shapes from the WIRE DECISIONS)."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest

from palimpsest_pipeline.books.bet9ja import catalogue as bet9ja
from palimpsest_pipeline.books.betpawa import catalogue as betpawa
from palimpsest_pipeline.books.errors import PayloadError
from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.books.sportybet import catalogue as sportybet
from palimpsest_pipeline.records import Book, Tournament
from palimpsest_pipeline_tests.books.payloads import fixture

FOOTBALL = sport_by_key("football")


def data_of(payload: dict[str, Any], key: str = "data") -> Any:
    return payload[key]


# -------------------------------------------------------------------------------------------- SportyBet


@pytest.mark.parametrize(
    ("event_id", "expected"),
    [
        ("sr:match:68995116", 68995116),
        # PLATFORMS.md: seven 1s opening a number of more than 12 digits make it a Genius id, never an SR id
        ("sr:match:111111112345678", None),
        ("sr:match:123456789012345", 123456789012345),
        ("sr:match:", None),
        ("sr:match:abc", None),
        ("sr:simple_match:42", None),
        ("68995116", None),
        # str.isdigit() holds for a superscript, which int() refuses: the whole book's catalogue crashed
        ("sr:match:\u00b2", None),
        ("sr:match:\u0661\u0662", None),  # Arabic-Indic digits: not an id a book writes
    ],
)
def test_sportybet_sr_ids(event_id: str, expected: int | None) -> None:
    assert sportybet.ids_from_event_id(event_id)[0] == expected


def test_sportybet_catalogue_keeps_only_the_requested_sport() -> None:
    tournaments = sportybet.parse_catalogue(data_of(fixture("sportybet", "popularAndSportList")), FOOTBALL)
    assert [(t.tournament_id, t.name, t.country, t.event_count) for t in tournaments] == [
        ("sr:tournament:17", "Premier League", "England", 2),
        ("sr:tournament:18", "Championship", "England", 1),
        ("sr:tournament:649", "Chinese Super League", "China", 2),
    ]
    assert {(t.book, t.sport) for t in tournaments} == {(Book.SPORTYBET, "football")}


def test_sportybet_upcoming_page() -> None:
    total, events, bad = sportybet.parse_upcoming_page(
        data_of(fixture("sportybet", "pcUpcomingEvents_page2")), FOOTBALL
    )
    assert (total, bad) == (5, [])
    assert [event.event_id for event in events] == [
        "sr:match:61301003",
        "sr:match:68995116",
        "sr:match:69011234",
    ]
    wuhan = events[1]
    assert (wuhan.home, wuhan.away, wuhan.sr_id) == ("Wuhan Three Towns FC", "Qingdao Hainiu FC", 68995116)
    assert wuhan.kickoff == datetime(2026, 5, 8, 11, 0, tzinfo=UTC)
    assert (wuhan.tournament_id, wuhan.tournament_name, wuhan.country) == (
        "sr:tournament:649",
        "Chinese Super League",
        "China",
    )
    # A Genius-fed event: the SR id from eventId, the Genius id from eventSource with the 1s stripped.
    assert (events[2].sr_id, events[2].genius_id) == (69011234, 13612345)
    assert (wuhan.genius_id, wuhan.country_id) == (None, "sr:category:99")


def _with_source(kind: str, source_id: str, event_id: str = "sr:match:68995116") -> dict[str, Any]:
    data = copy.deepcopy(data_of(fixture("sportybet", "pcUpcomingEvents_page2")))
    row = data["tournaments"][-1]["events"][0]
    row["eventId"] = event_id
    row["eventSource"] = {
        "preMatchSource": {"sourceType": kind, "sourceId": source_id},
        "liveSource": {"sourceType": kind, "sourceId": source_id},
    }
    return data


@pytest.mark.parametrize(
    ("kind", "source_id", "sr_id", "genius_id"),
    [
        ("BET_RADAR", "68995116", 68995116, None),  # as in every capture
        ("BET_RADAR", "111111168995116", 68995116, None),  # prefixed SR id: seven 1s stripped
        ("BET_RADAR", "111111168990000", 68990000, None),  # disagrees with eventId: eventSource wins
        ("BET_GENIUS", "111111113599033", 68995116, 13599033),
        ("BET_GENIUS", "13599033", 68995116, 13599033),
        ("OTHER_FEED", "5", 68995116, None),  # an unknown feed names no id we use
    ],
)
def test_sportybet_event_source(kind: str, source_id: str, sr_id: int, genius_id: int | None) -> None:
    _, events, _ = sportybet.parse_upcoming_page(_with_source(kind, source_id), FOOTBALL)
    assert (events[1].sr_id, events[1].genius_id) == (sr_id, genius_id)


@pytest.mark.parametrize(
    ("event_id", "sr_id", "genius_id"),
    [
        ("sr:match:111111113599033", None, 13599033),  # seen on 7 of 319 real Ghana rows (PLATFORMS.md)
        ("sr:match:68995116", 68995116, None),
        ("sr:match:111111111", 111111111, None),  # nine digits: an SR id, however many 1s
    ],
)
def test_sportybet_genius_prefixed_event_id_is_never_an_sr_id(
    event_id: str, sr_id: int | None, genius_id: int | None
) -> None:
    data = copy.deepcopy(data_of(fixture("sportybet", "pcUpcomingEvents_page2")))
    row = data["tournaments"][-1]["events"][0]
    row["eventId"] = event_id
    row.pop("eventSource", None)
    _, events, _ = sportybet.parse_upcoming_page(data, FOOTBALL)
    assert (events[1].sr_id, events[1].genius_id) == (sr_id, genius_id)


@pytest.mark.parametrize("source_id", ["13-59", "\u00b2", "\u0661\u0662"])
def test_sportybet_bad_source_id_costs_its_row(source_id: str) -> None:
    _, events, bad = sportybet.parse_upcoming_page(_with_source("BET_GENIUS", source_id), FOOTBALL)
    assert [e.event_id for e in events] == ["sr:match:61301003", "sr:match:69011234"]
    assert len(bad) == 1 and "sourceId is not a positive number" in bad[0].reason
    assert bad[0].sport == "football" and bad[0].value["eventId"] == "sr:match:68995116"


def test_sportybet_bad_source_id_names_the_path() -> None:
    _, _, bad = sportybet.parse_upcoming_page(_with_source("BET_GENIUS", "13-59"), FOOTBALL)
    assert "events[0].eventSource.preMatchSource.sourceId: sourceId is" in bad[0].reason


def test_sportybet_past_the_end_is_empty() -> None:
    total, events, bad = sportybet.parse_upcoming_page(
        data_of(fixture("sportybet", "pcUpcomingEvents_past_end")), FOOTBALL
    )
    assert (total, events, bad) == (5, [], [])


def test_sportybet_list_event_without_nested_tournament_uses_the_enclosing_one() -> None:
    data = copy.deepcopy(data_of(fixture("sportybet", "pcUpcomingEvents_page1")))
    del data["tournaments"][1]["events"][0]["sport"]["category"]
    _, events, _ = sportybet.parse_upcoming_page(data, FOOTBALL)
    assert (events[2].tournament_id, events[2].tournament_name, events[2].country) == (
        "sr:tournament:18",
        "Championship",
        "England",
    )


def test_sportybet_malformed_kickoff_names_the_path() -> None:
    data = copy.deepcopy(data_of(fixture("sportybet", "pcUpcomingEvents_page1")))
    data["tournaments"][1]["events"][0]["estimateStartTime"] = "2026-05-07"
    _, events, bad = sportybet.parse_upcoming_page(data, FOOTBALL)
    assert len(bad) == 1 and len(events) == 2  # the row costs itself, the page is read
    message = bad[0].reason
    assert "sportybet" in message and "pcUpcomingEvents" in message
    assert "data.tournaments[1].events[0].estimateStartTime" in message and "expected an integer" in message


def test_sportybet_missing_total_names_the_field() -> None:
    with pytest.raises(PayloadError, match=r"data\.totalNum: missing"):
        sportybet.parse_upcoming_page({"tournaments": []}, FOOTBALL)


def test_sportybet_requests() -> None:
    page = sportybet.upcoming_page_request(FOOTBALL, 3, 336)
    assert page.path == "pcUpcomingEvents"
    assert dict(page.params) == {
        "sportId": "sr:sport:1",
        "marketId": "1",
        "pageSize": "100",
        "pageNum": "3",
        "option": "2",
        "timeline": "336",
    }
    assert dict(sportybet.event_detail_request("sr:match:1").params) == {
        "eventId": "sr:match:1",
        "productId": "3",
    }


# -------------------------------------------------------------------------------------------- Bet9ja


@pytest.mark.parametrize(
    ("extid", "expected"),
    [
        ("68995116", 68995116),
        (68995116, 68995116),
        ("", None),
        (None, None),
        ("sr:1", None),
        ("0", None),
        (True, None),
        (" 42 ", 42),
        ("\u00b2", None),
        ("\u0661\u0662", None),
    ],
)
def test_bet9ja_sr_ids(extid: Any, expected: int | None) -> None:
    assert bet9ja.sr_id_from_extid(extid) == expected


@pytest.mark.parametrize(
    ("extid", "readable"),
    [
        ("68995116", True),
        (68995116, True),
        ("", True),
        (None, True),
        ("0", True),
        (" 42 ", True),
        ({"unexpected": ["68995116"]}, False),
        (["68995116"], False),
        (True, False),
        (6.8, False),
        ("sr:1", True),  # text that is no number: no SR id (test_bet9ja_non_numeric_extid_is_no_sr_id)
    ],
)
def test_a_bet9ja_extid_that_cannot_be_read_sets_its_row_aside(extid: Any, readable: bool) -> None:
    """Read as "no SR id", an unreadable EXTID would drop the event's match and every price silently (make
    chaos's hostile wrong type): the row is set aside with the field named instead."""
    row = {"ID": "123", "DS": "A - B", "STARTDATE": "2026-05-06 18:00:00", "GID": "9", "EXTID": extid}
    group = Tournament(book=Book.BET9JA, tournament_id="9", name="League", country="X", sport="football")
    events, bad = bet9ja.parse_group_events({"E": [row]}, group)
    if readable:
        assert len(events) == 1 and bad == []
    else:
        assert events == [] and len(bad) == 1 and "EXTID" in bad[0].reason and bad[0].event_id == "123"


def test_bet9ja_catalogue_skips_antepost_players_and_zoom() -> None:
    basketball = sport_by_key("basketball")
    tournaments, bad = bet9ja.parse_catalogue(
        data_of(fixture("bet9ja", "GetSports"), "D"), [FOOTBALL, basketball]
    )
    assert bad == []
    assert [(t.tournament_id, t.name, t.country, t.sport, t.event_count) for t in tournaments] == [
        ("170880", "Premier League", "England", "football", 2),
        ("1414963", "Chinese Super League", "China", "football", 2),
        ("180000", "NBA", "USA", "basketball", 1),
    ]
    assert bet9ja.is_skipped_group("Zoom Soccer") and bet9ja.is_skipped_group("England ANTEPOST")
    assert not bet9ja.is_skipped_group("Premier League")


def test_bet9ja_catalogue_without_the_sport_is_empty() -> None:
    assert bet9ja.parse_catalogue(data_of(fixture("bet9ja", "GetSports"), "D"), [sport_by_key("tennis")]) == (
        [],
        [],
    )


def test_bet9ja_group_events() -> None:
    group = bet9ja.parse_catalogue(data_of(fixture("bet9ja", "GetSports"), "D"), [FOOTBALL])[0][0]
    events, bad = bet9ja.parse_group_events(
        data_of(fixture("bet9ja", "GetEventsInGroupV2_170880"), "D"), group
    )
    assert bad == []
    first, second = events
    assert (first.event_id, first.sr_id, first.home, first.away) == (
        "769000001",
        61301001,
        "Arsenal",
        "Chelsea",
    )
    assert first.kickoff == datetime(2026, 5, 6, 11, 0, tzinfo=UTC)  # STARTDATE is UTC
    assert (first.tournament_id, first.tournament_name, first.country, first.sport) == (
        "170880",
        "Premier League",
        "England",
        "football",
    )
    # Split on the FIRST " - "; an empty EXTID is no SR id; C (the betting code) is never used as an id.
    assert (second.home, second.away, second.sr_id) == ("Brighton & Hove Albion", "Wolves - U21", None)


def test_bet9ja_non_numeric_extid_is_no_sr_id() -> None:
    group = bet9ja.parse_catalogue(data_of(fixture("bet9ja", "GetSports"), "D"), [FOOTBALL])[0][1]
    events, _ = bet9ja.parse_group_events(
        data_of(fixture("bet9ja", "GetEventsInGroupV2_1414963"), "D"), group
    )
    assert [event.sr_id for event in events] == [68995116, None]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("DS", "Arsenal v Chelsea", r"D\.E\[0\]\.DS: expected 'Home - Away'"),
        ("STARTDATE", "2026-05-06T11:00:00Z", r"D\.E\[0\]\.STARTDATE: expected a time like"),
        ("ID", None, r"D\.E\[0\]\.ID: expected a string, got null"),
        # read as "no SR id", a 10 kB EXTID would silently cost the event its match and every price
        ("EXTID", "x" * 10_240, r"D\.E\[0\]\.EXTID: is 10240 characters \(limit 200\)"),
    ],
)
def test_bet9ja_malformed_rows_name_the_field(field: str, value: Any, expected: str) -> None:
    group = bet9ja.parse_catalogue(data_of(fixture("bet9ja", "GetSports"), "D"), [FOOTBALL])[0][0]
    data = copy.deepcopy(data_of(fixture("bet9ja", "GetEventsInGroupV2_170880"), "D"))
    data["E"][0][field] = value
    events, bad = bet9ja.parse_group_events(data, group)
    assert [e.event_id for e in events] == ["769000002"]  # the bad row costs itself, never its page
    assert len(bad) == 1 and re.search(expected, bad[0].reason), bad


def test_bet9ja_envelope() -> None:
    from palimpsest_pipeline.books.wire import EnvelopeError

    assert bet9ja.unwrap({"R": "OK", "D": {"E": []}}, "x") == {"E": []}
    with pytest.raises(EnvelopeError) as caught:
        bet9ja.unwrap({"R": "E", "D": ""}, "x")
    assert caught.value.mode == "retry_then_not_found"
    with pytest.raises(PayloadError, match="R: expected"):
        bet9ja.unwrap({"R": "MAYBE"}, "x")


# -------------------------------------------------------------------------------------------- BetPawa


def test_betpawa_catalogue() -> None:
    tournaments = betpawa.parse_catalogue(fixture("betpawa", "categories_list_2"), FOOTBALL)
    assert [(t.tournament_id, t.name, t.country, t.event_count) for t in tournaments] == [
        ("11965", "Premier League", "England", 2),
        ("13344", "Chinese Super League", "China", 2),
    ]


def test_betpawa_list_rows() -> None:
    rows, bad = betpawa.parse_events_page(fixture("betpawa", "events_page0"))
    assert bad == []
    assert [(r.event.event_id, r.event.sr_id, r.event.genius_id, r.needs_detail) for r in rows] == [
        ("33000001", 61301001, 13599033, False),  # SPORTRADAR widget (repeated per retention) + Genius
        ("33000002", None, 13599034, False),  # widgets present, only Genius: linkable through Genius only
        ("33289995", None, None, True),  # widgets omitted: the detail must tell
    ]
    first = rows[0].event
    assert (first.home, first.away, first.country, first.tournament_id) == (
        "Arsenal",
        "Chelsea",
        "England",
        "11965",
    )
    assert first.kickoff == datetime(2026, 5, 6, 11, 0, tzinfo=UTC)


def test_betpawa_past_the_end_is_empty() -> None:
    assert betpawa.parse_events_page(fixture("betpawa", "events_past_end")) == ([], [])


@pytest.mark.parametrize("answer", [{"responses": [{}]}, {"responses": [{"responses": []}]}])
def test_betpawa_empty_answers_list_nothing(answer: dict[str, Any]) -> None:
    assert betpawa.parse_events_page(answer) == ([], [])


def test_betpawa_bad_row_costs_only_itself() -> None:
    data = copy.deepcopy(fixture("betpawa", "events_page0"))
    data["responses"][0]["responses"][1]["startTime"] = "soon"
    rows, bad = betpawa.parse_events_page(data, "football")
    assert [r.event.event_id for r in rows] == ["33000001", "33289995"]
    assert [(b.sport, "startTime" in b.reason) for b in bad] == [("football", True)]


@pytest.mark.parametrize("count", ["\u00b2", "-\u00b2", "\u0661", "--5"])
def test_an_integer_that_int_refuses_is_a_payload_error(count: str) -> None:
    """str.isdigit() holds for superscripts and other scripts' digits: int() refused them (ValueError, a crash
    of the book's whole catalogue scrape) or read them as a number the book never wrote."""
    data = copy.deepcopy(data_of(fixture("sportybet", "popularAndSportList")))
    data["sportList"][0]["categories"][0]["tournaments"][0]["eventSize"] = count
    with pytest.raises(PayloadError, match="expected an integer"):
        sportybet.parse_catalogue(data, FOOTBALL)


def test_betpawa_widget_id_in_another_script_is_a_payload_error() -> None:
    row = copy.deepcopy(fixture("betpawa", "event_33289995"))
    for widget in row["widgets"]:
        if widget["type"] == "SPORTRADAR":
            widget["id"] = "\u00b2"
    with pytest.raises(PayloadError, match="widget id is not a positive number"):
        betpawa.parse_event_detail(row)


def test_betpawa_detail_gives_the_sr_id() -> None:
    event = betpawa.parse_event_detail(fixture("betpawa", "event_33289995"))
    assert (event.event_id, event.sr_id, event.home) == ("33289995", 68995116, "Wuhan Three Towns FC")


def test_betpawa_teams_fall_back_to_the_name() -> None:
    row = copy.deepcopy(fixture("betpawa", "event_33289995"))
    del row["participants"]
    event = betpawa.parse_event_detail(row)
    assert (event.home, event.away) == ("Wuhan Three Towns FC", "Qingdao Hainiu FC")


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda row: row.update(startTime="8 May 2026 11:00"), r"startTime: expected an ISO 8601 time"),
        (lambda row: row.update(startTime="2026-05-08T11:00:00"), r"startTime: time without a UTC offset"),
        (lambda row: row.pop("competition"), r"competition: missing"),
        (lambda row: row["widgets"][0].update(id="sr123"), r"widgets\[0\]\.id: SPORTRADAR widget id"),
        (lambda row: row["category"].update(id="999"), r"category\.id: category '999' is not a sport"),
    ],
)
def test_betpawa_malformed_detail_names_the_field(mutate: Any, expected: str) -> None:
    row = copy.deepcopy(fixture("betpawa", "event_33289995"))
    mutate(row)
    with pytest.raises(PayloadError, match=expected):
        betpawa.parse_event_detail(row)


def test_betpawa_list_query() -> None:
    request = betpawa.events_page_request(FOOTBALL, 200)
    q = orjson.loads(request.params["q"])
    assert q == {
        "queries": [
            {
                "query": {"eventType": "UPCOMING", "categories": ["2"], "hasOdds": True},
                "view": {"marketTypes": ["3743"]},
                "skip": 200,
                "take": 100,
            }
        ]
    }
    detail = betpawa.event_detail_request("33289995")
    assert detail.path == "events/33289995"


def test_betpawa_query_survives_url_encoding() -> None:
    import httpx

    request = betpawa.events_page_request(FOOTBALL, 0)
    url = httpx.URL("https://www.betpawa.ng/api/sportsbook/v4/" + request.path, params=request.params)
    assert orjson.loads(parse_qs(urlsplit(str(url)).query)["q"][0]) == orjson.loads(request.params["q"])


def test_bet9ja_empty_group_answer_lists_nothing() -> None:
    group = bet9ja.parse_catalogue(data_of(fixture("bet9ja", "GetSports"), "D"), [FOOTBALL])[0][0]
    assert bet9ja.parse_group_events({"PAL": {}}, group) == ([], [])
