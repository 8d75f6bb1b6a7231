"""An outcome set aside for an unreadable value does not close its stored price, on real Postgres.

A capture that could not read one outcome of a market (its name of the wrong type or 40 kB long) has not
seen the market whole: the book still offers the bet. Before, the price stored by the previous capture was
closed by the outcome's absence, so a hostile value made a live price vanish from the comparison (``make
chaos``'s ``hostile_long_digits`` truth cell: two current prices closed on SportyBet). Expectations are the
hand-written payload's prices; in a market read whole, a bet the book stopped offering still closes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import psycopg
import pytest

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.parsing import parse_body
from palimpsest_pipeline.warehouse.odds_store import store_odds

SR_ID = 1234
T1 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
T2 = T1 + timedelta(minutes=5)
HOME, AWAY = "FC Alpha Rovers", "Beta Rovers"
#: (outcome id, name, price) of a SportyBet player statistic: each "N+" is the player's over N - 0.5.
PASSES = [
    ("pre:playerprops:7:42:1:1", "Ann Smith (Alpha Rovers) 1+", "1.50"),
    ("pre:playerprops:7:42:2:1", "Ann Smith (Alpha Rovers) 2+", "3.10"),
    ("pre:playerprops:7:57:1:2", "Bea Jones (Beta Rovers) 1+", "1.80"),
    ("pre:playerprops:7:57:2:2", "Bea Jones (Beta Rovers) 2+", "4.20"),
]
ANN_OVER_1_5 = (2_000_003, "market=accuratepasses.match.player.total|player=42|total=1.5", 12)
BEA_OVER_1_5 = (2_000_003, "market=accuratepasses.match.player.total|player=57|total=1.5", 12)


#: A UOF 1X2 beside it (market 1: home 1, draw 2, away 3).
RESULT = [("1", "Home", "2.10"), ("2", "Draw", "3.30"), ("3", "Away", "3.60")]


def _body(outcomes: list[tuple[str, Any, str]], result: list[tuple[str, str, str]]) -> bytes:
    one_x_two = {
        "id": "1",
        "desc": "1X2",
        "status": 0,
        "outcomes": [{"id": ref, "desc": name, "odds": odds, "isActive": 1} for ref, name, odds in result],
    }
    market = {
        "id": "800292",
        "name": "Player Total Accurate Passes",
        "desc": "Player Total Accurate Passes",
        "status": 0,
        "outcomes": [{"id": ref, "desc": name, "odds": odds, "isActive": 1} for ref, name, odds in outcomes],
    }
    data = {
        "eventId": f"sr:match:{SR_ID}",
        "sport": {"id": "sr:sport:1"},
        "homeTeamName": HOME,
        "awayTeamName": AWAY,
        "markets": [one_x_two, market],
    }
    return orjson.dumps({"bizCode": 10000, "message": "0#0", "data": data})


def _store(conn: psycopg.Connection, body: bytes, at: datetime) -> EventOdds:
    parsed = parse_body(Book.SPORTYBET, body, sr_id=SR_ID, captured_at=at)
    assert isinstance(parsed, EventOdds), parsed
    pair = (SR_ID, Book.SPORTYBET)
    rows = parsed.rows
    store_odds(conn, rows, captured={pair: at}, unread_lines={pair: parsed.unread_lines}, site_country="ng")
    return parsed


def _current(conn: psycopg.Connection, key: tuple[int, str, int]) -> tuple[Any, ...] | None:
    return conn.execute(
        "SELECT price, state FROM core.odds_current WHERE sr_id = %s AND book = 'sportybet' "
        "AND market = %s AND specifier = %s AND outcome = %s",
        (SR_ID, *key),
    ).fetchone()


@pytest.mark.parametrize("hostile", ["1" * 40_960, {"unexpected": ["Ann Smith (Alpha Rovers) 2+"]}])
def test_an_outcome_set_aside_keeps_its_price_and_a_withdrawn_one_closes(
    warehouse_conn: psycopg.Connection, hostile: Any
) -> None:
    _store(warehouse_conn, _body(PASSES, RESULT), T1)
    assert _current(warehouse_conn, ANN_OVER_1_5) == (3.10, "open")
    # next capture: Ann's 2+ name is unreadable (set aside), Bea's 2+ and the draw no longer offered at all
    second = [PASSES[0], (PASSES[1][0], hostile, PASSES[1][2]), PASSES[2]]
    parsed = _store(warehouse_conn, _body(second, [RESULT[0], RESULT[2]]), T2)
    assert parsed.set_aside_outcomes == 1
    assert _current(warehouse_conn, ANN_OVER_1_5) == (3.10, "open")  # not seen whole: not closed
    # the family was not read whole: no line of it closes on this capture, Bea's 2+ included
    assert _current(warehouse_conn, BEA_OVER_1_5) == (4.20, "open")
    assert _current(warehouse_conn, (1, "", 2)) == (None, "closed")  # a market read whole: the draw closes
    assert _current(warehouse_conn, (1, "", 1)) == (2.10, "open")


def test_a_capture_that_could_not_name_the_line_closes_nothing_of_the_event(
    warehouse_conn: psycopg.Connection,
) -> None:
    """``*`` (``EventOdds.unread_everything``: a value unreadable on a line no one can name, a Bet9ja market
    whose name is unreadable) leaves every stored price of the pair as it was; a whole capture closes."""
    _store(warehouse_conn, _body(PASSES, RESULT), T1)
    pair = (SR_ID, Book.SPORTYBET)
    store_odds(warehouse_conn, [], captured={pair: T2}, unread_lines={pair: [(0, "*")]}, site_country="ng")
    assert _current(warehouse_conn, ANN_OVER_1_5) == (3.10, "open")
    assert _current(warehouse_conn, (1, "", 2)) == (3.30, "open")
    store_odds(warehouse_conn, [], captured={pair: T2 + timedelta(minutes=5)}, site_country="ng")
    assert _current(warehouse_conn, (1, "", 2)) == (None, "closed")
