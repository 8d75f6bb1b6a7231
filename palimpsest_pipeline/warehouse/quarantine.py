"""Row-level quarantine: a value that cannot be stored as it is costs its row, never the batch. A NUL is
removed and recorded; a value over its limit, or a self-contradicting row, is set aside with its reason in
``core.quarantined_rows``."""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any, TypeVar, get_args

import psycopg

from palimpsest_pipeline.records import (
    CONTROL_CHARACTERS,
    MAX_ID_CHARS,
    MAX_NAME_CHARS,
    MAX_SPECIFIER_CHARS,
    Book,
    Event,
    OddsRow,
    OddsState,
    Tournament,
)
from palimpsest_pipeline.warehouse.table_io import copy_binary

#: What a quarantine row keeps of the offending value.
EXCERPT_CHARS = 200
#: The history stores a price as int4 thousandths: a price it cannot hold exactly is set aside.
PRICE_SCALE = 1000
MAX_PRICE = 2_000_000.0
#: The ranges of the integer columns a book's numbers land in: one past its column would abort a COPY.
_INTEGER_LIMIT = 2**31
_BIGINT_LIMIT = 2**63
_STATES: tuple[str, ...] = get_args(OddsState)


_ID_FIELDS = ("event_id", "tournament_id", "country_id")
_NUMBER_ID_FIELDS = ("sr_id", "genius_id")
_NAME_FIELDS = ("home", "away", "tournament_name", "name", "country", "sport")


@dataclass(frozen=True)
class Quarantined:
    """One value set aside (or cleaned: kind ``nul_removed``), with where it came from and why."""

    stage: str  # "catalogue" | "odds"
    book: str
    kind: str
    reason: str
    excerpt: str
    sr_id: int | None = None
    event_id: str | None = None
    key: str = ""  # what identifies the item within its batch (idempotent re-recording)


def excerpt(value: Any) -> str:
    """A bounded, storable rendering of an offending value (NUL and control characters escaped)."""
    text = (value if isinstance(value, str) else repr(value))[:EXCERPT_CHARS]
    return "".join(f"\\x{ord(ch):02x}" if ch in CONTROL_CHARACTERS else ch for ch in text)


def storable_text(value: str, limit: int) -> str:
    """Free text a book sent that we keep for diagnosis: NULs removed and cut to ``limit`` characters."""
    return value.replace("\x00", "")[:limit]


_R = TypeVar("_R", Event, Tournament)


def screen_listing(record: _R, book: Book) -> tuple[_R | None, list[Quarantined]]:
    """An event or tournament as storable: NULs removed (recorded); None when an id or a name is unusable."""
    found: list[Quarantined] = []
    ident = getattr(record, "event_id", None) or getattr(record, "tournament_id", "")
    sr_id = getattr(record, "sr_id", None)
    what = type(record).__name__

    def note(kind: str, name: str, value: Any, why: str) -> Quarantined:
        return Quarantined(
            "catalogue",
            book.value,
            kind,
            f"{what} {ident!r}: {name} {why}",
            excerpt(value),
            sr_id=sr_id,
            event_id=excerpt(ident),
            key=f"{what}|{ident}|{name}|{kind}",
        )

    changes: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if isinstance(value, int) and not isinstance(value, bool):
            if f.name in _NUMBER_ID_FIELDS and not _fits_bigint(value):
                return None, [*found, note("bad_id", f.name, value, "is past the range of bigint")]
            if f.name == "event_count" and not _fits_integer(value):
                # what the book claims it lists, not the listing's identity: kept without the count
                changes[f.name] = None
                found.append(note("bad_number", f.name, value, "is past the range of integer (dropped)"))
            continue
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            value = value.replace("\x00", "")
            changes[f.name] = value
            found.append(note("nul_removed", f.name, getattr(record, f.name), "held a NUL (removed)"))
        if f.name in _ID_FIELDS and (len(value) > MAX_ID_CHARS or CONTROL_CHARACTERS & set(value)):
            long = len(value) > MAX_ID_CHARS
            why = f"is {len(value)} characters (limit {MAX_ID_CHARS})" if long else "holds control characters"
            return None, [*found, note("bad_id", f.name, value, why)]
        if f.name in _NAME_FIELDS and len(value) > MAX_NAME_CHARS:
            why = f"is {len(value)} characters (limit {MAX_NAME_CHARS})"
            return None, [*found, note("too_long", f.name, value, why)]
    return (replace(record, **changes) if changes else record), found


def screen_odds(
    rows: Iterable[OddsRow], pairs: Mapping[tuple[int, Book], datetime]
) -> tuple[list[tuple[Any, ...]], list[Quarantined]]:
    """Odds rows as COPY tuples, and the rows set aside: a bad price, state or specifier, and every row of a
    key given twice at different prices. Identical repeats collapse."""
    by_key: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    conflicting: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    found: list[Quarantined] = []
    # Hot path: the pair's values are looked up when it changes; a plainly fine row skips the full check.
    pair_sr_id: object = None
    pair_book: object = None
    at: datetime | None = None
    book_value = ""
    sr_id_fits = False
    for row in rows:
        sr_id, row_book, market, outcome, price, spec = (
            row.sr_id, row.book, row.market, row.outcome, row.price, row.specifier
        )  # fmt: skip
        if sr_id != pair_sr_id or row_book is not pair_book:
            pair_sr_id, pair_book = sr_id, row_book
            at, book_value, sr_id_fits = pairs[(sr_id, row_book)], row_book.value, _fits_bigint(sr_id)
        plainly_fine = (
            sr_id_fits
            and type(market) is int
            and type(outcome) is int
            and -_INTEGER_LIMIT <= market < _INTEGER_LIMIT
            and -_INTEGER_LIMIT <= outcome < _INTEGER_LIMIT
            and row.state in _STATES
            and (price is None or (type(price) is float and _price_problem(price) is None))
            and type(spec) is str
            and _usable_specifier(spec)
        )
        if not plainly_fine:
            problem = _odds_problem(row)
            if problem is not None:
                kind, why = problem
                found.append(_odds_note(row, kind, why, spec if kind == "bad_specifier" else price))
                continue
        key = (sr_id, book_value, market, spec, outcome)
        value = (*key, price, row.state, at)
        if key in conflicting:
            conflicting[key].append(value)
            continue
        seen = by_key.setdefault(key, value)
        if seen != value:
            conflicting[key] = [by_key.pop(key), value]
    for key, values in conflicting.items():
        sr_id, book, market, specifier, outcome = key
        shown = sorted({(v[5], v[6]) for v in values}, key=repr)
        found.append(
            Quarantined(
                "odds",
                book,
                "conflicting_duplicate",
                f"sr_id {sr_id} {book} market {market} {specifier!r} outcome {outcome}: given "
                f"{len(values)} times with different prices/states {shown}; none kept",
                excerpt(repr(shown)),
                sr_id=sr_id,
                key=f"{market}|{specifier[:MAX_SPECIFIER_CHARS]}|{outcome}",
            )
        )
    return list(by_key.values()), found


def _odds_problem(row: OddsRow) -> tuple[str, str] | None:
    """Why ``row`` cannot be stored, or None (price and specifier checks are cached per distinct value)."""
    if row.state not in _STATES:
        return "bad_state", f"state {row.state!r} is not one of {_STATES}"
    if not (_fits_integer(row.market) and _fits_integer(row.outcome) and _fits_bigint(row.sr_id)):
        return "bad_id", f"market {row.market}, outcome {row.outcome} or SR id is past its column's range"
    price = row.price
    if price is not None:
        problem = _price_problem(price) if type(price) is float else _price_problem_uncached(price)
        if problem is not None:
            return "bad_price", problem
    spec = row.specifier
    if not isinstance(spec, str) or not _usable_specifier(spec):
        return "bad_specifier", f"specifier is unusable (over {MAX_SPECIFIER_CHARS} chars or control chars)"
    return None


def _fits_integer(value: object) -> bool:
    return isinstance(value, int) and -_INTEGER_LIMIT <= value < _INTEGER_LIMIT


def _fits_bigint(value: object) -> bool:
    return isinstance(value, int) and -_BIGINT_LIMIT <= value < _BIGINT_LIMIT


@functools.lru_cache(maxsize=1 << 16)
def _price_problem(price: float) -> str | None:
    return _price_problem_uncached(price)


def _price_problem_uncached(price: object) -> str | None:
    if not (isinstance(price, float | int) and math.isfinite(price) and price > 1.0):
        return f"price {price!r} is not decimal odds above 1.0"
    if price > MAX_PRICE or round(price * PRICE_SCALE) / PRICE_SCALE != price:
        return f"price {price!r} is over {MAX_PRICE:g} or not exact in thousandths as stored"
    return None


@functools.lru_cache(maxsize=1 << 14)
def _usable_specifier(spec: str) -> bool:
    return len(spec) <= MAX_SPECIFIER_CHARS and not CONTROL_CHARACTERS.intersection(spec)


def _odds_note(row: OddsRow, kind: str, why: str, value: Any) -> Quarantined:
    spec = row.specifier if isinstance(row.specifier, str) else repr(row.specifier)
    return Quarantined(
        "odds",
        row.book.value,
        kind,
        f"sr_id {row.sr_id} {row.book.value} market {row.market} outcome {row.outcome}: {why}",
        excerpt(value),
        sr_id=row.sr_id,
        key=f"{row.market}|{spec[:MAX_SPECIFIER_CHARS]}|{row.outcome}|{kind}",
    )


_COLUMNS = (
    "batch_id", "stage", "book", "kind", "sr_id", "event_id", "item_key", "reason", "excerpt", "site_country"
)  # fmt: skip
_TYPES = ("text", "text", "text", "text", "int8", "text", "text", "text", "text", "text")


def record_quarantine(
    conn: psycopg.Connection, *, batch_id: str, site_country: str, items: Iterable[Quarantined]
) -> None:
    """Write the quarantined items of a batch read from ``site_country``'s sites (the same item again adds
    nothing)."""
    rows = [
        (
            # an SR id past bigint is kept in the reason and excerpt only
            batch_id, q.stage, q.book, q.kind, q.sr_id if _fits_bigint(q.sr_id) else None, q.event_id,
            hashlib.md5(q.key.encode(), usedforsecurity=False).hexdigest(), q.reason[:2_000], q.excerpt,
            site_country,
        )
        for q in items
    ]  # fmt: skip
    if not rows:
        return
    with conn.transaction():
        copy_binary(conn, "quarantine_in", _COLUMNS, _TYPES, rows, temp=True)
        conn.execute(
            f"INSERT INTO core.quarantined_rows ({', '.join(_COLUMNS)}) "
            f"SELECT {', '.join(_COLUMNS)} FROM quarantine_in ON CONFLICT DO NOTHING"
        )
        conn.execute("DROP TABLE quarantine_in")


def screen_catalogue(
    book: Book, events: Iterable[Event], tournaments: Iterable[Tournament]
) -> tuple[list[Event], list[Tournament], list[Quarantined]]:
    """A book's scraped listings as storable, and what was set aside: unusable ids or names, an id given twice
    with different content (every copy), and an SR id listed by two events (the later event ids)."""
    found: list[Quarantined] = []
    kept_events = _unique(book, events, found)
    kept_tournaments = _unique(book, tournaments, found)
    by_sr: dict[int, str] = {}
    unique_sr: list[Event] = []
    for event in sorted(kept_events, key=lambda e: e.event_id):
        if event.sr_id is None or by_sr.setdefault(event.sr_id, event.event_id) == event.event_id:
            unique_sr.append(event)
            continue
        found.append(
            Quarantined(
                "catalogue",
                book.value,
                "sr_id_listed_twice",
                f"Event {event.event_id!r}: SportRadar id {event.sr_id} is already listed by event "
                f"{by_sr[event.sr_id]!r}; a book lists a match once",
                excerpt(f"{event.home} v {event.away}"),
                sr_id=event.sr_id,
                event_id=excerpt(event.event_id),
                key=f"Event|{event.event_id}|sr_id",
            )
        )
    return unique_sr, kept_tournaments, found


def _unique(book: Book, records: Iterable[_R], found: list[Quarantined]) -> list[_R]:
    by_id: dict[str, _R] = {}
    conflicting: set[str] = set()
    for record in records:
        clean, notes = screen_listing(record, book)
        found.extend(notes)
        if clean is None:
            continue
        ident = str(getattr(clean, "event_id", None) or getattr(clean, "tournament_id", ""))
        if ident in conflicting:
            continue
        if by_id.setdefault(ident, clean) != clean:
            conflicting.add(ident)
            first = by_id.pop(ident)
            found.append(
                Quarantined(
                    "catalogue",
                    book.value,
                    "conflicting_duplicate",
                    f"{type(clean).__name__} {ident!r} given twice with different content; neither kept",
                    excerpt(f"{first} vs {clean}"),
                    event_id=excerpt(ident),
                    key=f"{type(clean).__name__}|{ident}|duplicate",
                )
            )
    return list(by_id.values())
