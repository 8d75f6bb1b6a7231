"""``palimpsest parse BOOK FILE``: one saved event-detail response, read as the book sent it and parsed by the
same adapter and odds parser as a scrape, as JSON lines (the event with its mapping account, then its odds
rows, sorted so two books' outputs diff); every problem raises :class:`SavedResponseError` naming the file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import Any

import orjson

from palimpsest_pipeline.books.errors import PayloadError
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.odds_errors import OddsPayloadError
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.markets.families import family_shares
from palimpsest_pipeline.records import Book, Event, OddsRow


class SavedResponseError(ValueError):
    """A saved response that cannot be parsed; the message is ``"<file>: <what is wrong>"``."""

    def __init__(self, path: Path, what: str) -> None:
        super().__init__(f"{path}: {what}")
        self.path = path
        self.what = what


@dataclass(frozen=True, slots=True)
class SavedResponse:
    """One parsed saved response: the event header, its canonical odds and when it was captured."""

    path: Path
    event: Event
    sr_id: int
    odds: EventOdds
    captured_at: datetime


def parse_saved_response(
    book: Book, path: Path, *, captured_at: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """The header line, then one line per odds row sorted by (market, specifier, outcome); the file is read
    and parsed before this returns, so a bad file raises here, not halfway through the output."""
    saved = read_saved_response(book, path, captured_at=captured_at)
    rows = sorted(saved.odds.rows, key=lambda r: (r.market, r.specifier, r.outcome))
    return chain([header_line(saved)], map(odds_line, rows))


def read_saved_response(book: Book, path: Path, *, captured_at: datetime | None = None) -> SavedResponse:
    """Read and parse one saved event-detail response of ``book`` (see the module docstring)."""
    book = Book(book)
    captured = _capture_time(path, captured_at)
    payload = _load_json(path)
    _require_book(book, path, payload)
    kit = KITS[book]
    name = kit.name
    envelope = kit.error_envelope(payload)
    if envelope is not None:  # an error answer saved as if it were an event
        raise SavedResponseError(path, f"{name} {envelope}")
    try:
        event = kit.adapter().parse_event_detail(payload)
    except PayloadError as exc:
        raise SavedResponseError(path, f"{name} event header: {exc.what}") from None
    if event.sr_id is None:  # odds are keyed by it: we cannot go on
        raise SavedResponseError(path, f"{name} {kit.no_sr_id(event, payload)}")
    try:
        odds = kit.parse_odds(payload, sr_id=event.sr_id, captured_at=captured)
    except OddsPayloadError as exc:
        raise SavedResponseError(path, f"{name} odds at {exc.where}: {exc.what}") from None
    return SavedResponse(path=path, event=event, sr_id=event.sr_id, odds=odds, captured_at=captured)


def header_line(saved: SavedResponse) -> dict[str, Any]:
    """The event line: identity, kick-off, tournament and the mapping account of the response."""
    event, odds = saved.event, saved.odds
    unmapped = dict(sorted(odds.unmapped.items(), key=lambda item: (-item[1], item[0])))
    return {
        "type": "event",
        "sr_id": saved.sr_id,
        "book": event.book.value,
        "event_id": event.event_id,
        "home": event.home,
        "away": event.away,
        "kickoff": iso_utc(event.kickoff),
        "tournament": event.tournament_name,
        "tournament_id": event.tournament_id,
        "country": event.country,
        "sport": event.sport,
        "captured_at": iso_utc(saved.captured_at),
        "open_outcomes": odds.open_outcomes,
        # keyed = a UOF key, a combination of UOF outcomes (markets/combinations.py), or a SportyBet family's
        # own key; the last two are counted apart, and uof_share is the share keyed under a UOF market itself.
        "keyed_outcomes": odds.mapped_outcomes,
        "native_outcomes": odds.native_outcomes,
        "composed_outcomes": odds.composed_outcomes,
        "keyed_share": round(odds.mapping_rate, 4),
        "uof_share": round(odds.uof_outcomes / odds.open_outcomes, 4) if odds.open_outcomes else 0.0,
        "rows": len(odds.rows),
        "unkeyed_by_market": unmapped,
        # per market family (what is counted, how it is bet): open keyed outcomes, the share of each key kind
        "families": family_shares(odds.rows),
    }


def odds_line(row: OddsRow) -> dict[str, Any]:
    return {
        "type": "odds",
        "sr_id": row.sr_id,
        "book": row.book.value,
        "market": row.market,
        "specifier": row.specifier,
        "outcome": row.outcome,
        "price": row.price,
        "state": row.state,
    }


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``: ``2026-05-06T11:00:00Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def detect_book(payload: Mapping[str, Any]) -> Book | None:
    """Which book's event-detail shape ``payload`` has, from its top-level keys (each kit's ``recognises``,
    in ``records.Book`` order); None when none fits."""
    return next((book for book, kit in KITS.items() if kit.recognises(payload)), None)


def _capture_time(path: Path, captured_at: datetime | None) -> datetime:
    if captured_at is not None:
        if captured_at.tzinfo is None:
            raise ValueError(f"captured_at must be timezone-aware (UTC), got naive {captured_at.isoformat()}")
        return captured_at.astimezone(UTC)
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    except OSError as exc:
        raise SavedResponseError(path, f"cannot read the file ({exc.strerror or exc})") from None


def _load_json(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SavedResponseError(path, f"cannot read the file ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SavedResponseError(path, f"not UTF-8 text (byte {exc.start}: {exc.reason})") from None
    if not text.strip():
        raise SavedResponseError(path, "empty file, expected a JSON response")
    try:
        payload = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        where = f"line {exc.lineno} col {exc.colno}: {exc.msg}"
        if exc.pos >= len(text.rstrip()):
            raise SavedResponseError(path, f"truncated JSON, it ends mid-document ({where})") from None
        raise SavedResponseError(path, f"not JSON ({where})") from None
    if not isinstance(payload, dict):
        raise SavedResponseError(
            path, f"expected a JSON object (an event-detail response), got a {_json_type(payload)}"
        )
    return payload


def _require_book(book: Book, path: Path, payload: Mapping[str, Any]) -> None:
    if KITS[book].recognises(payload):
        return
    detected = detect_book(payload)
    name = KITS[book].name
    if detected is None:
        keys = ", ".join(list(payload)[:8]) or "none"
        raise SavedResponseError(path, f"not a {name} event-detail response (top-level keys: {keys})")
    if detected is not book:
        raise SavedResponseError(
            path, f"this is a {KITS[detected].name} response, not a {name} one (wrong BOOK or wrong file?)"
        )


def _json_type(value: Any) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(value), "null" if value is None else type(value).__name__
    )
