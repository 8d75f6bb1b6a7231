"""The score, the half and the keyed lines of SportyBet's and BetPawa's live rows and MSport's score, read
from the real captures (hand-read figures), and set aside where the score's two places disagree or the half
does not fit the period the row gives (the row still counts)."""

from __future__ import annotations

from typing import Any

from palimpsest_pipeline.books.betpawa.live import keyed_lines, live_half, live_score
from palimpsest_pipeline.books.match_score import agreeing_score, football_half
from palimpsest_pipeline.books.msport.live import live_score as msport_score
from palimpsest_pipeline.books.payload import Node
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.books.payloads import captured


def _raw_suspended(event: dict[str, Any]) -> tuple[int, int]:
    """The capture's own lines (rows of its markets) and those whose every price says suspended."""
    rows = [row for market in event["markets"] for row in market["row"]]
    return len(rows), sum(all(price.get("suspended") for price in row["prices"]) for row in rows)


def test_sportybets_captured_live_event_gives_its_score_and_half() -> None:
    # hand-read: setScore "0:3", gameScore ["0:1", "0:2"] (the halves), matchStatus "H2", period "2"
    sporty = captured("sportybet", "event_sr67645534_live.json")["data"]
    assert agreeing_score(sporty["setScore"], sporty["gameScore"]) == (0, 3)
    assert football_half(sporty["matchStatus"], sporty["period"]) == "second_half"
    assert agreeing_score(sporty["setScore"], ["0:1", "0:1"]) is None  # the halves sum to 0:2
    assert agreeing_score("0-3", None) is None
    assert football_half("H2", "1") is None and football_half("2nd half", "2") is None


def test_betpawas_captured_live_events_give_their_score_half_and_lines() -> None:
    # hand-read: at 96' 0:3 in the second half (0:1 and 0:2 by half), every price suspended (46 keyed lines of
    # its 137 rows); at 33' 0:0 in
    # the first half, none of its lines suspended
    late = captured("betpawa", "v3_event_sr67645534_live.json")
    assert live_score(late["results"]) == (0, 3) and live_half(late["results"]) == "second_half"
    lines = keyed_lines(Node(Book.BETPAWA, "live", late), 67645534)
    rows, held = _raw_suspended(late)
    assert rows == held and len(lines) == 46 and all(suspended for *_, suspended in lines)
    early = captured("betpawa", "v3_event_sr62384158_live_2026-04.json")
    assert live_score(early["results"]) == (0, 0) and live_half(early["results"]) == "first_half"
    lines = keyed_lines(Node(Book.BETPAWA, "live", early), 62384158)
    assert lines and not any(suspended for *_, suspended in lines)
    assert _raw_suspended(early)[1] == 0
    assert {market for market, *_ in lines} >= {1, 18}  # 1X2 and total goals, keyed


def test_a_betpawa_score_its_halves_contradict_is_set_aside() -> None:
    results = captured("betpawa", "v3_event_sr67645534_live.json")["results"]
    away = results["participantPeriodResults"][1]
    whole = {**away["periodResults"][0], "result": "4"}  # FULL_TIME 4 while the halves say 1 and 2
    broken = {**results, "participantPeriodResults": [
        results["participantPeriodResults"][0], {**away, "periodResults": [whole, *away["periodResults"][1:]]}
    ]}  # fmt: skip
    assert live_score(broken) is None
    assert live_half({"display": {"currentPeriod": {"slug": "SECOND_SET"}}}) is None


def test_msports_captured_live_detail_gives_its_score_where_its_two_places_agree() -> None:
    # hand-read: scoreOfWholeMatch "0:3", allScores [["HT", "0:1"], ["FT", "0:3"]]
    msport = captured("msport", "match_detail_sr67645534_live.json")["data"]
    assert msport_score(msport) == (0, 3)
    assert msport_score(msport | {"allScores": [["HT", "0:1"], ["FT", "0:2"]]}) is None
    assert msport_score(msport | {"allScores": None}) == (0, 3)  # one place: kept
    assert msport_score(msport | {"scoreOfWholeMatch": None}) is None
