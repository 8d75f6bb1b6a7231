"""``parse_saved_response`` on the real captured files: the right header and exactly the files' prices."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from palimpsest_pipeline.books.saved_response import (
    SavedResponseError,
    parse_saved_response,
    read_saved_response,
)
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.markets.conftest import CAPTURED, CAPTURED_AT

# ------------------------------------------------------------------ captured files


def _sportybet_prices(raw: Any) -> set[float]:
    return {float(o["odds"]) for m in raw["data"]["markets"] for o in m["outcomes"]}


def _betpawa_prices(raw: Any) -> set[float]:
    return {
        float(p.get("odds", p.get("price"))) for m in raw["markets"] for r in m["row"] for p in r["prices"]
    }


def _bet9ja_prices(raw: Any) -> set[float]:
    return {float(v) for v in raw["D"]["O"].values()}


def _sportybet_winner(raw: Any, market: str, outcome: str) -> float:
    (found,) = [
        float(o["odds"])
        for m in raw["data"]["markets"]
        if m["id"] == market
        for o in m["outcomes"]
        if o["id"] == outcome
    ]
    return found


def _betpawa_winner(raw: Any, type_id: str) -> float:
    (found,) = [
        float(p.get("odds", p.get("price")))
        for m in raw["markets"]
        for r in m["row"]
        for p in r["prices"]
        if p["typeId"] == type_id
    ]
    return found


CAPTURES: list[tuple[Book, str, dict[str, Any], Callable[[Any], set[float]], Callable[[Any], float], int]] = [
    (
        Book.SPORTYBET,
        "sportybet/event_sr68995116_prematch.json",
        {"sr_id": 68995116, "home": "Wuhan Three Towns FC", "away": "Qingdao Hainiu FC"},
        _sportybet_prices,
        lambda raw: _sportybet_winner(raw, "1", "1"),
        1,
    ),
    (
        Book.SPORTYBET,
        "sportybet/event_sr71529092_tennis.json",
        {"sr_id": 71529092, "home": "Rinderknech, Arthur", "kickoff": "2026-05-18T10:10:00Z"},
        _sportybet_prices,
        lambda raw: _sportybet_winner(raw, "186", "4"),
        186,
    ),
    (
        Book.BETPAWA,
        "betpawa/v3_event_sr68995116_prematch.json",
        {"sr_id": 68995116, "event_id": "33289995", "away": "Qingdao Hainiu FC"},
        _betpawa_prices,
        lambda raw: _betpawa_winner(raw, "3744"),
        1,
    ),
    (
        Book.BETPAWA,
        "betpawa/v3_event_sr71529092_tennis.json",
        {"sr_id": 71529092, "away": "Tirante, Thiago Agustin", "sport": "tennis"},
        _betpawa_prices,
        lambda raw: _betpawa_winner(raw, "2043821"),
        186,
    ),
    (
        Book.BETPAWA,
        "betpawa/v4_event_sr67691078_prematch.json",
        {"sr_id": 67691078, "home": "Sydney FC Youth", "kickoff": "2026-08-21T09:30:00Z"},
        _betpawa_prices,
        lambda raw: _betpawa_winner(raw, "3744"),
        1,
    ),
    (
        Book.BET9JA,
        "bet9ja/GetEvent_sr68995116_prematch.json",
        {"sr_id": 68995116, "event_id": "769895636", "home": "Wuhan Three Towns"},
        _bet9ja_prices,
        lambda raw: float(raw["D"]["O"]["S_1X2_1"]),
        1,
    ),
    (
        Book.BET9JA,
        "bet9ja/GetEvent_sr71543524_tennis.json",
        {"sr_id": 71543524, "away": "Etcheverry, Tomas Martin", "kickoff": "2026-05-18T11:10:00Z"},
        _bet9ja_prices,
        lambda raw: float(raw["D"]["O"]["T_12_1"]),
        186,
    ),
]


def _captured_path(relative: str) -> Path:
    path = CAPTURED / relative
    if not path.exists():
        pytest.skip(f"captured responses not available ({path} is absent: ../shared is not mounted)")
    return path


@pytest.mark.parametrize(
    ("book", "relative", "header", "raw_prices", "raw_winner", "winner_market"),
    CAPTURES,
    ids=[relative for _book, relative, *_ in CAPTURES],
)
def test_captured_file_gives_header_and_the_files_prices(
    book: Book,
    relative: str,
    header: dict[str, Any],
    raw_prices: Callable[[Any], set[float]],
    raw_winner: Callable[[Any], float],
    winner_market: int,
) -> None:
    path = _captured_path(relative)
    lines = list(parse_saved_response(book, path, captured_at=CAPTURED_AT))
    assert json.loads(json.dumps(lines)) == lines  # JSON-ready as promised
    first, rows = lines[0], lines[1:]
    assert first["type"] == "event"
    assert first["book"] == book.value
    assert {key: first[key] for key in header} == header
    assert first["kickoff"].endswith("Z")
    assert first["captured_at"] == "2026-05-06T09:00:00Z"
    assert first["rows"] == len(rows) > 0
    assert first["keyed_outcomes"] + sum(first["unkeyed_by_market"].values()) == first["open_outcomes"]
    assert first["keyed_outcomes"] == sum(1 for row in rows if row["state"] == "open")

    assert {row["type"] for row in rows} == {"odds"}
    assert {row["sr_id"] for row in rows} == {header["sr_id"]}
    keys = [(row["market"], row["specifier"], row["outcome"]) for row in rows]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)  # sorted, one row per canonical key
    raw = json.loads(path.read_text(encoding="utf-8"))
    file_prices = raw_prices(raw)
    for row in rows:
        # a suspended row keeps the last price the book showed (or None when the book shows none)
        assert row["price"] is None or row["price"] in file_prices, row
        assert row["price"] is not None or row["state"] == "suspended", row
    (winner,) = [row for row in rows if (row["market"], row["specifier"]) == (winner_market, "")][:1]
    assert winner["price"] == pytest.approx(raw_winner(raw))


def test_captured_file_of_another_book_is_refused() -> None:
    path = _captured_path("betpawa/v3_event_sr68995116_prematch.json")
    with pytest.raises(SavedResponseError, match="this is a BetPawa response, not a Bet9ja one"):
        read_saved_response(Book.BET9JA, path)
