"""Answers that are well formed but not true, as real books send them: faults that rewrite a good answer.

List answers (the upcoming lists) can come back empty in the book's own shape, shrunk to half, with one row
broken (an empty team name), with an event moved to the next day, or announcing more events than any real
list holds (``implausible_count``: the book's own count, or where it has none the cursor or the length that
drives its paging). Event details can come back oversized
(valid JSON padded far past any real detail) or as a bomb (a small body that inflates to hundreds of
megabytes: gzip, zstd, or gzip twice, ``content-encoding: gzip, gzip``). Each fault applies only where it
makes sense; elsewhere the real answer is served.
"""

from __future__ import annotations

import functools
import gzip
import zlib
from datetime import datetime, timedelta
from typing import Any

import orjson
import zstandard

from palimpsest_pipeline.records import Book
from palimpsest_sandbox import more_books_faults
from palimpsest_sandbox.more_books import NEW_BOOKS

LIST_FAULTS = ("empty_answer", "shrunken_catalogue", "bad_list_row", "moved_event")
BODY_FAULTS = ("oversized_body", "gzip_bomb", "zstd_bomb", "stacked_encoding_bomb")
#: Faults that take the name off one wrapper of events (a SportyBet tournament, a Bet9ja group), where the
#: book has one: BetPawa's lists have none.
WRAPPER_FAULTS = ("bad_wrapper",)
WRAPPER_ENDPOINTS = frozenset({"pcUpcomingEvents", "GetSports", "sports-matches-list", "RegionsAndLeagues"})
#: Faults that make a list announce more than any real one holds, where the book's answer says how long its
#: list is: a count (SportyBet, BetPawa's catalogue, Bet9ja's catalogue, Betika), MSport's cursor, and the
#: leagues of Betway's regions (each listed one request apiece).
COUNT_FAULTS = ("implausible_count",)
COUNT_ENDPOINTS = frozenset(
    {"pcUpcomingEvents", "categories/list/{category}", "GetSports", "uo/matches", "sports-matches-list",
     "RegionsAndLeagues"}
)  # fmt: skip
#: Faults that are not drawn per request but hold for every list request of the named sports
#: (FaultConfig.quiet_sports): the list handlers answer them empty and count them under this name.
SPORT_FAULTS = ("quiet_sports",)
#: Betika answers its list and one match at the same path (``uo/matches``): it is in both.
LIST_ENDPOINTS = frozenset(
    {
        "events/lists/by-queries",
        "pcUpcomingEvents",
        "GetEventsInGroupV2",
        "sports-matches-list",
        "BetBook/Filtered",
        "uo/matches",
    }
)
DETAIL_ENDPOINTS = frozenset(
    {"events/{id}", "event", "GetEvent", "match/detail", "MarketGroupNamesAndMarketsForEvent", "uo/matches"}
)
#: Past the pipeline's default decoded-body limit, and some 20 times the largest real event detail.
OVERSIZED_BYTES = 48 * 1024 * 1024
#: What the gzip bomb inflates to (it travels as well under a megabyte).
BOMB_INFLATED_BYTES = 512 * 1024 * 1024
_BET9JA_TIME = "%Y-%m-%d %H:%M:%S"


def applies(fault: str, endpoint: str) -> bool:
    return (
        (fault in (*LIST_FAULTS, *SPORT_FAULTS) and endpoint in LIST_ENDPOINTS)
        or (fault in BODY_FAULTS and endpoint in DETAIL_ENDPOINTS)
        or (fault in WRAPPER_FAULTS and endpoint in WRAPPER_ENDPOINTS)
        or (fault in COUNT_FAULTS and endpoint in COUNT_ENDPOINTS)
    )


def rewrite(
    book: Book, fault: str, body: bytes, announced_count: int = 10_000_000
) -> tuple[bytes, dict[str, str]]:
    """What ``fault`` makes of ``body`` (a good list or detail answer), and the headers it adds;
    ``announced_count`` is the count ``implausible_count`` announces."""
    if fault == "gzip_bomb":
        return _gzip_bomb(), {"content-encoding": "gzip"}
    if fault == "zstd_bomb":
        return _zstd_bomb(), {"content-encoding": "zstd"}
    if fault == "stacked_encoding_bomb":
        return _stacked_bomb(), {"content-encoding": "gzip, gzip"}
    if fault == "oversized_body":
        return body[:-1] + b',"padding":"' + b"x" * OVERSIZED_BYTES + b'"}', {}
    payload = orjson.loads(body)
    if fault == "bad_wrapper":
        _unname_wrapper(book, payload)
        return orjson.dumps(payload), {}
    if fault == "implausible_count":
        _announce(book, payload, announced_count)
        return orjson.dumps(payload), {}
    rows = _rows(book, payload)
    if fault == "empty_answer":
        return _empty(book), {}
    if rows is not None and rows:
        if fault == "shrunken_catalogue":
            rows[:] = rows[::2]
        elif fault == "bad_list_row":
            _break_names(book, rows[0])
        elif fault == "moved_event":
            _move_a_day(book, rows[0])
    return orjson.dumps(payload), {}


def _empty(book: Book) -> bytes:
    """A list answer with no event, in the book's own shape (maintenance windows, geo-blocks)."""
    if book in NEW_BOOKS:
        return more_books_faults.empty(book)
    if book is Book.BET9JA:
        return orjson.dumps({"R": "OK", "D": {"PAL": {}}})
    if book is Book.SPORTYBET:
        return orjson.dumps({"bizCode": 10000, "message": "0#0", "data": {"totalNum": 0, "tournaments": []}})
    return orjson.dumps({"responses": [{}]})


def _rows(book: Book, payload: Any) -> list[Any] | None:
    """The answer's event rows as one mutable list (SportyBet's are spread over tournaments: the first
    tournament holding events)."""
    if book in NEW_BOOKS:
        return more_books_faults.rows(book, payload)
    if book is Book.BET9JA:
        return ((payload.get("D") or {}).get("E")) if isinstance(payload, dict) else None
    if book is Book.SPORTYBET:
        for tournament in (payload.get("data") or {}).get("tournaments") or []:
            if tournament.get("events"):
                events: list[Any] = tournament["events"]
                return events
        return None
    responses = payload.get("responses") or [{}]
    inner: list[Any] | None = responses[0].get("responses")
    return inner


def _unname_wrapper(book: Book, payload: Any) -> None:
    """The first wrapper holding events loses its name: a SportyBet tournament its ``name``, a Bet9ja
    ``GetSports`` group its ``G_DESC``."""
    if book in NEW_BOOKS:
        more_books_faults.unname_wrapper(book, payload)
        return
    if book is Book.SPORTYBET:
        for tournament in (payload.get("data") or {}).get("tournaments") or []:
            if tournament.get("events"):
                tournament.pop("name", None)
                return
    elif book is Book.BET9JA:
        for sport in ((payload.get("D") or {}).get("PAL") or {}).values():
            for country in (sport.get("SG") or {}).values():
                for group in (country.get("G") or {}).values():
                    if group.get("NUM"):
                        group.pop("G_DESC", None)
                        return


def _announce(book: Book, payload: Any, count: int) -> None:
    """The list announces ``count`` events: SportyBet's ``totalNum``, the first BetPawa competition's
    ``UPCOMING``, the first counted Bet9ja ``GetSports`` group's ``NUM`` (the other books:
    more_books_faults)."""
    if book in NEW_BOOKS:
        more_books_faults.announce(book, payload, count)
    elif book is Book.SPORTYBET:
        (payload.get("data") or {})["totalNum"] = count
    elif book is Book.BET9JA:
        for sport in ((payload.get("D") or {}).get("PAL") or {}).values():
            for country in (sport.get("SG") or {}).values():
                for group in (country.get("G") or {}).values():
                    if group.get("NUM"):
                        group["NUM"] = count
                        return
    else:
        for entry in payload.get("withRegions") or []:
            for region in entry.get("regions") or []:
                for competition in region.get("competitions") or []:
                    competition.setdefault("eventCounts", {})["UPCOMING"] = count
                    return


def _break_names(book: Book, row: dict[str, Any]) -> None:
    if book in NEW_BOOKS:
        more_books_faults.break_names(book, row)
        return
    if book is Book.BET9JA:
        row["DS"] = ""
    elif book is Book.SPORTYBET:
        row["homeTeamName"] = ""
    else:
        row["participants"] = []
        row["name"] = ""


def _move_a_day(book: Book, row: dict[str, Any]) -> None:
    if book in NEW_BOOKS:
        more_books_faults.move_a_day(book, row)
        return
    if book is Book.BET9JA:
        moved = datetime.strptime(row["STARTDATE"], _BET9JA_TIME) + timedelta(days=1)
        row["STARTDATE"] = moved.strftime(_BET9JA_TIME)
    elif book is Book.SPORTYBET:
        row["estimateStartTime"] = int(row["estimateStartTime"]) + 86_400_000
    else:
        moved = datetime.fromisoformat(row["startTime"].replace("Z", "+00:00")) + timedelta(days=1)
        row["startTime"] = moved.strftime("%Y-%m-%dT%H:%M:%SZ")


@functools.cache
def _gzip_bomb() -> bytes:
    """Valid JSON that inflates to ``BOMB_INFLATED_BYTES`` (mostly spaces), compressed chunk by chunk (never
    held whole: the sandbox runs inside the process whose memory chaos measures) once per process."""
    out = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    return b"".join([*(out.compress(chunk) for chunk in _bomb_chunks()), out.flush()])


def _bomb_chunks() -> list[bytes]:
    chunk = b" " * (1024 * 1024)
    return [b'{"bomb":', *([chunk] * (BOMB_INFLATED_BYTES // len(chunk))), b"1}"]


@functools.cache
def _zstd_bomb() -> bytes:
    """The same JSON as the gzip bomb in zstd (some 16 KB on the wire), compressed chunk by chunk."""
    compressor = zstandard.ZstdCompressor(level=19).compressobj()
    parts = [compressor.compress(chunk) for chunk in _bomb_chunks()]
    return b"".join([*parts, compressor.flush()])


@functools.cache
def _stacked_bomb() -> bytes:
    """The same JSON gzipped twice (a couple of kilobytes on the wire), compressed chunk by chunk."""
    inner = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    once = b"".join([*(inner.compress(chunk) for chunk in _bomb_chunks()), inner.flush()])
    return gzip.compress(once, compresslevel=9)
