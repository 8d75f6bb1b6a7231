"""``parse_event_detail`` on the real captured responses in ../shared/fixtures/captured (skip if absent)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from palimpsest_pipeline.books.bet9ja import catalogue as bet9ja
from palimpsest_pipeline.books.betpawa import catalogue as betpawa
from palimpsest_pipeline.books.sportybet import catalogue as sportybet
from palimpsest_pipeline.records import Book, Event
from palimpsest_pipeline_tests.books.payloads import captured

KICKOFF_68995116 = datetime(2026, 5, 6, 11, 0, tzinfo=UTC)


def test_sr68995116_is_the_same_match_on_all_three_books() -> None:
    events = [
        sportybet.parse_event_detail(captured("sportybet", "event_sr68995116_prematch.json")),
        bet9ja.parse_event_detail(captured("bet9ja", "GetEvent_sr68995116_prematch.json")),
        betpawa.parse_event_detail(captured("betpawa", "v3_event_sr68995116_prematch.json")),
    ]
    assert [event.book for event in events] == [Book.SPORTYBET, Book.BET9JA, Book.BETPAWA]
    for event in events:
        assert event.sr_id == 68995116
        assert event.kickoff == KICKOFF_68995116 and event.kickoff.tzinfo is UTC
        assert event.sport == "football"
        assert event.country == "China" and event.tournament_name == "Chinese Super League"
    assert [(event.home, event.away) for event in events] == [
        ("Wuhan Three Towns FC", "Qingdao Hainiu FC"),
        ("Wuhan Three Towns", "Qingdao Hainiu FC"),  # Bet9ja's own spelling, split on " - "
        ("Wuhan Three Towns FC", "Qingdao Hainiu FC"),
    ]
    assert [event.event_id for event in events] == ["sr:match:68995116", "769895636", "33289995"]
    assert [event.tournament_id for event in events] == ["sr:tournament:649", "1414963", "13344"]


def test_unwrapped_data_parses_the_same_as_the_whole_response() -> None:
    whole = captured("sportybet", "event_sr68995116_prematch.json")
    assert sportybet.parse_event_detail(whole["data"]) == sportybet.parse_event_detail(whole)
    whole = captured("bet9ja", "GetEvent_sr68995116_prematch.json")
    assert bet9ja.parse_event_detail(whole["D"]) == bet9ja.parse_event_detail(whole)


def test_betpawa_v4_detail() -> None:
    event = betpawa.parse_event_detail(captured("betpawa", "v4_event_sr67691078_prematch.json"))
    assert event == Event(
        book=Book.BETPAWA,
        event_id="36552873",
        sr_id=67691078,
        home="Sydney FC Youth",
        away="Rockdale Ilinden FC",
        kickoff=datetime(2026, 8, 21, 9, 30, tzinfo=UTC),
        tournament_id="12647",
        tournament_name="NSW NPL 1",
        country="Australia",
        sport="football",
        genius_id=13395068,
        country_id="248",
    )


# Read by hand from the captures: the SR id is the one in each file's name; BetPawa's GENIUSSPORTS widget is
# in 3 of its 5 captures; no SportyBet capture is Genius-sourced (every eventSource is BET_RADAR).
PROVIDER_IDS = [
    ("betpawa", "v3_event_sr67645534_live.json", 67645534, 13571147),
    ("betpawa", "v3_event_sr68995116_prematch.json", 68995116, 13599033),
    ("betpawa", "v3_event_sr71453210_basketball.json", 71453210, None),
    ("betpawa", "v3_event_sr71529092_tennis.json", 71529092, None),
    ("betpawa", "v4_event_sr67691078_prematch.json", 67691078, 13395068),
    ("sportybet", "event_sr67645534_live.json", 67645534, None),
    ("sportybet", "event_sr68995116_prematch.json", 68995116, None),
    ("sportybet", "event_sr71529092_tennis.json", 71529092, None),
    ("sportybet", "event_sr71550420_basketball.json", 71550420, None),
    ("sportybet", "event_sr71583282_asian_handicap.json", 71583282, None),
]


@pytest.mark.parametrize(("book", "name", "sr_id", "genius_id"), PROVIDER_IDS)
def test_captures_give_their_sr_and_genius_ids(
    book: str, name: str, sr_id: int, genius_id: int | None
) -> None:
    parse = {"sportybet": sportybet, "betpawa": betpawa}[book].parse_event_detail
    event = parse(captured(book, name))
    assert (event.sr_id, event.genius_id) == (sr_id, genius_id)


def test_betpawa_genius_widget_in_three_of_five_captures() -> None:
    names = [name for book, name, _, _ in PROVIDER_IDS if book == "betpawa"]
    parsed = [betpawa.parse_event_detail(captured("betpawa", name)) for name in names]
    assert len(parsed) == 5
    assert sum(event.genius_id is not None for event in parsed) == 3


def test_sportybet_category_is_the_sportradar_country_id() -> None:
    event = sportybet.parse_event_detail(captured("sportybet", "event_sr68995116_prematch.json"))
    assert (event.country_id, event.country) == ("sr:category:99", "China")


@pytest.mark.parametrize(
    ("book", "name", "sr_id", "home", "away"),
    [
        (
            "sportybet",
            "event_sr71529092_tennis.json",
            71529092,
            "Rinderknech, Arthur",
            "Tirante, Thiago Agustin",
        ),
        (
            "betpawa",
            "v3_event_sr71529092_tennis.json",
            71529092,
            "Rinderknech, Arthur",
            "Tirante, Thiago Agustin",
        ),
        (
            "bet9ja",
            "GetEvent_sr71543524_tennis.json",
            71543524,
            "Atmane, Terence",
            "Etcheverry, Tomas Martin",
        ),
    ],
)
def test_tennis_details(book: str, name: str, sr_id: int, home: str, away: str) -> None:
    parse = {"sportybet": sportybet, "betpawa": betpawa, "bet9ja": bet9ja}[book].parse_event_detail
    event = parse(captured(book, name))
    assert (event.sr_id, event.home, event.away, event.sport) == (sr_id, home, away, "tennis")


def test_sportybet_and_betpawa_tennis_agree_on_kickoff() -> None:
    sporty = sportybet.parse_event_detail(captured("sportybet", "event_sr71529092_tennis.json"))
    pawa = betpawa.parse_event_detail(captured("betpawa", "v3_event_sr71529092_tennis.json"))
    assert sporty.kickoff == pawa.kickoff == datetime(2026, 5, 18, 10, 10, tzinfo=UTC)


def test_live_captures_keep_their_sr_ids() -> None:
    sporty = sportybet.parse_event_detail(captured("sportybet", "event_sr67645534_live.json"))
    pawa = betpawa.parse_event_detail(captured("betpawa", "v3_event_sr67645534_live.json"))
    assert sporty.sr_id == pawa.sr_id == 67645534
    assert sporty.kickoff == pawa.kickoff == datetime(2026, 5, 6, 6, 0, tzinfo=UTC)


def test_bet9ja_in_play_header_is_read_from_its_own_place() -> None:
    """GetLiveEvent keeps the header in ``D.AA`` with a live sport id (3000001) and the sport's name in
    ``AA.COMP.SPORT``; the same match as the SportyBet and BetPawa live captures."""
    live = bet9ja.parse_event_detail(captured("bet9ja", "GetLiveEvent_sr67645534_live.json"))
    assert (live.sr_id, live.event_id, live.home, live.away) == (
        67645534,
        "9261155",
        "FC Tokyo",
        "JEF United Chiba",
    )
    assert (live.sport, live.tournament_name) == ("football", "Japan - J1 League")
    assert live.kickoff == datetime(2026, 5, 6, 6, 0, tzinfo=UTC)
