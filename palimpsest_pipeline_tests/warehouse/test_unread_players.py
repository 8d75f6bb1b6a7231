"""The odds store leaves a player line's stored prices open when the capture priced a player there that it
could not key (``unread_lines``), on real Postgres; every other absent outcome still closes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from palimpsest_pipeline.markets.players import player_shape
from palimpsest_pipeline.records import Book, OddsRow
from palimpsest_pipeline.warehouse.odds_store import store_odds

SR_ID = 41
T1 = datetime(2026, 5, 6, 10, 0, tzinfo=UTC)
T2 = T1 + timedelta(minutes=5)
COUNT = 2_000_003  # a canonical player market: the player in the specifier


@pytest.mark.parametrize(
    ("specifier", "shape"),
    [
        ("player=996543|total=1.5", "player=*|total=1.5"),
        ("total=1.5|player=-12", "total=1.5|player=*"),
        ("type=prematch", "type=prematch"),
        ("otherplayer=3|total=1.5", "otherplayer=3|total=1.5"),
    ],
)
def test_the_shape_masks_the_player_alone_as_the_store_does(
    specifier: str, shape: str, warehouse_conn: psycopg.Connection
) -> None:
    assert player_shape(specifier) == shape
    row = warehouse_conn.execute(
        r"SELECT regexp_replace(%s, '(^|\|)player=[^|]*', '\1player=*', 'g')", (specifier,)
    ).fetchone()
    assert row == (shape,)


def _row(specifier: str, outcome: int, price: float, at: datetime) -> OddsRow:
    return OddsRow(SR_ID, Book.BETPAWA, COUNT, specifier, outcome, price, "open", at)


def test_an_unread_player_line_keeps_its_stored_prices(warehouse_conn: psycopg.Connection) -> None:
    first = [
        _row("player=7|total=1.5", 12, 2.5, T1),
        _row("player=8|total=1.5", 12, 3.5, T1),
        _row("player=7|total=2.5", 12, 6.0, T1),
    ]
    store_odds(warehouse_conn, first, captured={(SR_ID, Book.BETPAWA): T1}, site_country="ng")
    # the next capture keys player 8's 1.5 line afresh, cannot key the other name on that line, and lists no
    # 2.5 line: player 7's 1.5 price stays as it was, the 2.5 line closes
    stats = store_odds(
        warehouse_conn,
        [_row("player=8|total=1.5", 12, 3.4, T2)],
        captured={(SR_ID, Book.BETPAWA): T2},
        unread_lines={(SR_ID, Book.BETPAWA): [(COUNT, "player=*|total=1.5")]},
        site_country="ng",
    )
    assert stats.closed == 1
    current = warehouse_conn.execute(
        "SELECT specifier, price, state FROM core.odds_current WHERE sr_id = %s ORDER BY specifier", (SR_ID,)
    ).fetchall()
    assert current == [
        ("player=7|total=1.5", 2.5, "open"),
        ("player=7|total=2.5", None, "closed"),
        ("player=8|total=1.5", 3.4, "open"),
    ]
