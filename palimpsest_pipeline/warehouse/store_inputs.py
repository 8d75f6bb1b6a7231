"""Checks of what a caller hands a store, made before anything is written: a failure is the caller's bug,
and the message names the record and the field; and the counts a store hands back."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Self

from palimpsest_pipeline.records import Book


class StoreInputError(ValueError):
    """The records handed to the store are inconsistent; the message names the record and the field."""


def checked_book(book: Book | str, where: str, error: type[ValueError] = StoreInputError) -> Book:
    """``book`` as a :class:`Book`, or ``error`` naming ``where`` and the books there are."""
    try:
        return Book(book)
    except ValueError:
        raise error(f"{where}: unknown book {book!r} (expected one of {[b.value for b in Book]})") from None


def require_aware(moment: datetime, name: str, error: type[ValueError] = StoreInputError) -> None:
    """Raise ``error`` naming ``name`` when ``moment`` is naive: every instant stored is UTC."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise error(f"{name} must be timezone-aware (UTC), got naive {moment.isoformat()}")


@dataclass(frozen=True)
class Counts:
    """A store's counts of what it did, added field by field (``a + b``) over calls."""

    def __add__(self, other: Self) -> Self:
        return replace(self, **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})
