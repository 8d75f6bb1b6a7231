"""``parse_saved_response`` on small hand-made files: header and rows; bad files name the file and what is
wrong (the real captures: ``test_saved_captured.py``)."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from palimpsest_pipeline.books.saved_response import (
    SavedResponseError,
    detect_book,
    parse_saved_response,
    read_saved_response,
)
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.markets.conftest import CAPTURED, CAPTURED_AT
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

KICKOFF_MS = 1_778_065_200_000  # 2026-05-06T11:00:00Z


# ------------------------------------------------------------------ small hand-made files


def _sportybet(event_id: str = "sr:match:123", **data: Any) -> dict[str, Any]:
    body = {
        "eventId": event_id,
        "homeTeamName": "Arsenal",
        "awayTeamName": "Chelsea",
        "estimateStartTime": KICKOFF_MS,
        "sport": {
            "id": "sr:sport:1",
            "category": {
                "name": "England",
                "tournament": {"id": "sr:tournament:17", "name": "Premier League"},
            },
        },
        "markets": [
            {
                "id": "1",
                "status": 0,
                "outcomes": [
                    {"id": "1", "odds": "2.40", "isActive": 1},
                    {"id": "2", "odds": "3.30", "isActive": 1},
                    {"id": "3", "odds": "3.00", "isActive": 0},
                ],
            }
        ],
        **data,
    }
    return {"bizCode": 10000, "message": "0#0", "data": body}


def _betpawa(widgets: list[dict[str, Any]] | None = None, **fields: Any) -> dict[str, Any]:
    return {
        "id": "555",
        "name": "Arsenal - Chelsea",
        "startTime": "2026-05-06T11:00:00Z",
        "participants": [{"name": "Arsenal", "position": 1}, {"name": "Chelsea", "position": 2}],
        "competition": {"id": "11965", "name": "Premier League"},
        "region": {"id": "1", "name": "England"},
        "category": {"id": "2", "name": "Football"},
        "widgets": [{"type": "SPORTRADAR", "id": "123"}] if widgets is None else widgets,
        "markets": [
            {
                "marketType": {"id": "3743", "name": "1X2 - FT"},
                "row": [{"prices": [{"typeId": "3744", "name": "1", "odds": 2.41}]}],
            }
        ],
        **fields,
    }


def _bet9ja(extid: str = "123", **fields: Any) -> dict[str, Any]:
    body = {
        "ID": "777",
        "DS": "Arsenal - Chelsea",
        "EXTID": extid,
        "STARTDATE": "2026-05-06 11:00:00",
        "SID": 1,
        "S": "Soccer",
        "GID": "170880",
        "GN": "Premier League",
        "SG": "England",
        "O": {"S_1X2_1": "2.42", "S_1X2_2": "1", "S_UNKNOWN_1": "5.0"},
        **fields,
    }
    return {"R": "OK", "D": body}


def _write(tmp_path: Path, content: Any, name: str = "event_sr1.json") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("book", "payload", "rows"),
    [
        (
            Book.SPORTYBET,
            _sportybet(),
            [(1, "", 1, 2.40, "open"), (1, "", 2, 3.30, "open"), (1, "", 3, 3.00, "suspended")],
        ),
        (Book.BETPAWA, _betpawa(), [(1, "", 1, 2.41, "open")]),
        (Book.BET9JA, _bet9ja(), [(1, "", 1, 2.42, "open"), (1, "", 3, None, "suspended")]),
    ],
)
def test_small_files_parse_to_header_and_rows(
    tmp_path: Path, book: Book, payload: dict[str, Any], rows: list[tuple[Any, ...]]
) -> None:
    path = _write(tmp_path, payload)
    header, *odds = parse_saved_response(book, path, captured_at=CAPTURED_AT)
    assert header["sr_id"] == 123
    assert (header["home"], header["away"], header["kickoff"]) == (
        "Arsenal",
        "Chelsea",
        "2026-05-06T11:00:00Z",
    )
    assert (header["tournament"], header["country"], header["sport"]) == (
        "Premier League",
        "England",
        "football",
    )
    got = [(r["market"], r["specifier"], r["outcome"], r["price"], r["state"]) for r in odds]
    assert got == rows
    assert {r["book"] for r in odds} == {book.value}


def test_bet9ja_unmapped_keys_are_reported_in_the_header(tmp_path: Path) -> None:
    header, *_ = parse_saved_response(Book.BET9JA, _write(tmp_path, _bet9ja()), captured_at=CAPTURED_AT)
    assert header["unkeyed_by_market"] == {"S_UNKNOWN": 1}
    assert (header["open_outcomes"], header["keyed_outcomes"], header["keyed_share"]) == (2, 1, 0.5)


def test_captured_at_defaults_to_the_files_modification_time(tmp_path: Path) -> None:
    path = _write(tmp_path, _sportybet())
    moment = datetime(2026, 5, 6, 8, 30, 15, tzinfo=UTC)
    os.utime(path, (moment.timestamp(), moment.timestamp()))
    saved = read_saved_response(Book.SPORTYBET, path)
    assert saved.captured_at == moment
    assert {row.captured_at for row in saved.odds.rows} == {moment}
    header = next(parse_saved_response(Book.SPORTYBET, path))
    assert header["captured_at"] == "2026-05-06T08:30:15Z"


def test_naive_captured_at_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        read_saved_response(Book.SPORTYBET, _write(tmp_path, _sportybet()), captured_at=datetime(2026, 5, 6))


def _without(payload: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k != key}


BAD_FILES: list[tuple[str, Book, Any, str]] = [
    ("not json", Book.SPORTYBET, b"hello", r"not JSON \(line 1 col 1: "),
    ("truncated", Book.SPORTYBET, json.dumps(_sportybet()).encode()[:120], r"truncated JSON"),
    ("empty", Book.BET9JA, b"  \n", r"empty file"),
    ("not utf-8", Book.BETPAWA, b'{"id": "\xff"}', r"not UTF-8 text \(byte 8"),
    ("a list", Book.BETPAWA, [1, 2], r"expected a JSON object .*got a list"),
    (
        "unknown shape",
        Book.BETPAWA,
        {"foo": 1, "bar": 2},
        r"not a BetPawa event-detail response \(top-level keys: foo, bar\)",
    ),
    (
        "sportybet error envelope",
        Book.SPORTYBET,
        {"bizCode": 19000, "message": "Event not found", "data": None},
        r"SportyBet error envelope bizCode 19000 'Event not found'$",
    ),
    ("bet9ja error envelope", Book.BET9JA, {"R": "E", "D": None}, r"Bet9ja error envelope R='E'"),
    (
        "betpawa without widget",
        Book.BETPAWA,
        _betpawa(widgets=[]),
        r"BetPawa payload has no SPORTRADAR widget",
    ),
    (
        "betpawa without widgets",
        Book.BETPAWA,
        _without(_betpawa(), "widgets"),
        r"BetPawa payload has no SPORTRADAR widget",
    ),
    (
        # PLATFORMS.md (corrected 2026-11-22): eventId always carries the SR id, a 1111111 prefix included;
        # only an id that is no sr:match:<number> has none.
        "sportybet non-match id",
        Book.SPORTYBET,
        _sportybet("sr:simple_match:42"),
        r"SportyBet event id 'sr:simple_match:42' is not a SportRadar match id",
    ),
    (
        "bet9ja without extid",
        Book.BET9JA,
        _bet9ja(extid=""),
        r"Bet9ja payload has no SportRadar id \(EXTID ''",
    ),
    (
        "betpawa missing kickoff",
        Book.BETPAWA,
        _without(_betpawa(), "startTime"),
        r"BetPawa event header: startTime: missing",
    ),
    (
        "sportybet missing team",
        Book.SPORTYBET,
        {"bizCode": 10000, "data": _without(_sportybet()["data"], "homeTeamName")},
        r"SportyBet event header: data.homeTeamName: missing",
    ),
    (
        "sportybet markets not a list",
        Book.SPORTYBET,
        _sportybet(markets={"id": "1", "status": 0}),
        r"SportyBet odds at data.markets: expected a list",
    ),
    (
        "bet9ja odds not an object",
        Book.BET9JA,
        _bet9ja(O="oops"),
        r"Bet9ja odds at D.O: expected an object, got str",
    ),
    (
        "betpawa markets not a list",
        Book.BETPAWA,
        _betpawa(markets={"marketType": {"id": "5000"}}),
        r"BetPawa odds at markets: expected a list",
    ),
]


@pytest.mark.parametrize(
    ("case", "book", "content", "message"), BAD_FILES, ids=[case[0] for case in BAD_FILES]
)
def test_bad_file_names_the_file_and_the_problem(
    tmp_path: Path, case: str, book: Book, content: Any, message: str
) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(SavedResponseError, match=rf"^{re.escape(str(path))}: {message}") as caught:
        parse_saved_response(book, path)  # raises on the call, before any line is produced
    assert caught.value.path == path


def _captured(relative: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((CAPTURED / relative).read_text(encoding="utf-8"))
    return loaded


GOOD = {
    Book.SPORTYBET: _sportybet(),
    Book.BETPAWA: _betpawa(),
    Book.BET9JA: _bet9ja(),
    Book.MSPORT: _captured("msport/match_detail_sr68995116_prematch.json"),
    Book.BETWAY: _captured("betway/markets_sr71583282_asian_handicap.json"),
}
NAMES = {
    Book.SPORTYBET: "SportyBet",
    Book.BETPAWA: "BetPawa",
    Book.BET9JA: "Bet9ja",
    Book.MSPORT: "MSport",
    Book.BETWAY: "Betway",
}


@pytest.mark.parametrize("actual", list(NIGERIA_BOOKS))
@pytest.mark.parametrize("claimed", list(NIGERIA_BOOKS))
def test_another_books_payload_is_caught(tmp_path: Path, actual: Book, claimed: Book) -> None:
    path = _write(tmp_path, GOOD[actual])
    assert detect_book(GOOD[actual]) is actual
    if actual is claimed:
        assert next(parse_saved_response(claimed, path))["book"] == claimed.value
        return
    with pytest.raises(
        SavedResponseError, match=f"this is a {NAMES[actual]} response, not a {NAMES[claimed]} one"
    ):
        parse_saved_response(claimed, path)


@pytest.mark.parametrize(
    ("book", "body", "sr_id"),
    [
        (Book.SPORTYBET, _sportybet()["data"], 123),
        (Book.BET9JA, _bet9ja()["D"], 123),
        (Book.MSPORT, _captured("msport/match_detail_sr68995116_prematch.json")["data"], 68995116),
    ],
)
def test_bodies_saved_without_their_envelope_parse_too(
    tmp_path: Path, book: Book, body: dict[str, Any], sr_id: int
) -> None:
    assert detect_book(body) is book
    header, first, *_ = parse_saved_response(book, _write(tmp_path, body), captured_at=CAPTURED_AT)
    assert (header["sr_id"], first["market"], first["outcome"]) == (sr_id, 1, 1)


def test_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"
    with pytest.raises(SavedResponseError, match=rf"^{re.escape(str(path))}: cannot read the file"):
        read_saved_response(Book.BETPAWA, path)
