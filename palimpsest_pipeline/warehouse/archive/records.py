"""The raw archive's records, tables, errors and request labels, shared by its writer, reader and upkeep."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, get_args

from palimpsest_pipeline.records import Book

ArchiveKind = Literal["catalogue", "list", "event"]
ARCHIVE_KINDS: tuple[str, ...] = get_args(ArchiveKind)
#: Catalogue and list pages, and event details without an event id: a row each.
ARCHIVE_TABLE = "core.raw_archive"
#: Event details: many entries per row (``packs.py``).
PACK_TABLE = "core.archive_packs"


class ArchiveError(ValueError):
    """A response handed to the archive, or a setting, is unusable; the message names it."""


class ArchiveCorruptError(ArchiveError):
    """An archived row does not decode to the bytes it recorded (checksum) or cannot be decoded at all."""


@dataclass(frozen=True, slots=True)
class RawResponse:
    """One response as received. ``kickoff_date`` is set for event details (the reader selects by it)."""

    book: Book
    kind: ArchiveKind
    url: str
    status: int
    body: bytes
    captured_at: datetime
    sr_id: int | None = None
    event_id: str | None = None
    kickoff_date: date | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ArchivedBody(RawResponse):
    """One archived response read back, its body decompressed, and the batch that archived it."""

    batch_id: str


@dataclass(frozen=True, slots=True)
class ArchiveLabels:
    """What a request is about, set by the caller for the ``on_response`` hook (which only sees the URL)."""

    kind: ArchiveKind
    sr_id: int | None = None
    event_id: str | None = None
    kickoff_date: date | None = None


def describe_row(
    book: str, kind: str, event_id: str | None, captured_at: datetime, batch_id: str, url: str | None
) -> str:
    """How an error names an archived row: enough to find it with one query."""
    event = f" {event_id!r}" if event_id is not None else ""
    asked = repr(url) if url is not None else "its base's URL"
    at = captured_at.isoformat()
    return f"archived {book} {kind}{event} captured at {at} (batch {batch_id!r}, {asked})"


def validate_response(r: RawResponse) -> None:
    where = f"archive {r.kind!r} response {r.url!r}"
    if r.kind not in ARCHIVE_KINDS:
        raise ArchiveError(f"{where}: kind must be one of {ARCHIVE_KINDS}")
    if not 100 <= r.status <= 599:
        raise ArchiveError(f"{where}: HTTP status {r.status} is not one")
    if r.captured_at.tzinfo is None or r.captured_at.utcoffset() is None:
        raise ArchiveError(
            f"{where}: captured_at must be timezone-aware UTC, got {r.captured_at.isoformat()}"
        )
    if r.sr_id is not None and r.sr_id <= 0:
        raise ArchiveError(f"{where}: sr_id must be positive, got {r.sr_id}")
