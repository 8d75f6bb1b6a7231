"""Dagster partition keys, read and written in one place beneath every layer: a kick-off date
(``2026-05-04``; the site country is part of each asset's key, not of its partitions), and the ISO week a
weekly digest covers (``2026-W48``); a malformed key raises :class:`PartitionKeyError` naming it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

#: A kick-off date key, strictly: ``date.fromisoformat`` would also take ``20260501`` and ``2026-W18-5``.
_DATE_KEY = re.compile(r"\d{4}-\d{2}-\d{2}")


class PartitionKeyError(ValueError):
    """A partition key that does not hold what its partitions define; the message names the key."""


def partition_key(day: date) -> str:
    """The partition key of kick-off date ``day``: ``2026-05-04``."""
    return day.isoformat()


def key_date(key: str) -> date:
    """The kick-off date a partition key names."""
    if not isinstance(key, str):
        raise PartitionKeyError(f"partition key {key!r} is not text")
    if not _DATE_KEY.fullmatch(key):
        raise PartitionKeyError(f"partition key {key!r} is no kick-off date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(key)
    except ValueError as error:
        raise PartitionKeyError(f"partition key {key!r} is not a kick-off date: {error}") from None


def key_dates(keys: Iterable[str]) -> list[date]:
    """The kick-off dates of ``keys``, in their order, each once."""
    return list(dict.fromkeys(key_date(key) for key in keys))


#: An ISO week key: ``2026-W48``.
_WEEK_KEY = re.compile(r"(\d{4})-W(\d{2})")


def iso_week(day: date) -> str:
    """The ISO week ``day`` falls in: ``2026-W48``."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_dates(key: str) -> tuple[date, date]:
    """The Monday and the Sunday of the ISO week ``key`` (``2026-W48``: 2026-11-23 and 2026-11-29)."""
    found = _WEEK_KEY.fullmatch(key) if isinstance(key, str) else None
    if found is None:
        raise PartitionKeyError(f"week {key!r} is no ISO week (YYYY-Www)")
    try:
        monday = date.fromisocalendar(int(found[1]), int(found[2]), 1)
    except ValueError as error:
        raise PartitionKeyError(f"week {key!r} is no ISO week: {error}") from None
    return monday, date.fromordinal(monday.toordinal() + 6)


def week_before(day: date) -> str:
    """The ISO week before the one ``day`` falls in: the last full week a digest built on ``day`` covers."""
    return iso_week(date.fromordinal(day.toordinal() - 7))
