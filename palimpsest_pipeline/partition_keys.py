"""Dagster partition keys, read and written in one place beneath every layer: a kick-off date and a site
country joined as Dagster joins dimension keys (``2026-05-04|ng``; a date alone still reads as a date); a
malformed key raises :class:`PartitionKeyError` naming it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

#: How Dagster joins the dimension keys of a multi-part partition key.
DIMENSION_SEPARATOR = "|"
#: A kick-off date key, strictly: ``date.fromisoformat`` would also take ``20260501`` and ``2026-W18-5``.
_DATE_KEY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: A site country key: an ISO 3166 code in lower case.
_COUNTRY_KEY = re.compile(r"[a-z]{2}")


class PartitionKeyError(ValueError):
    """A partition key that does not hold what its partitions define; the message names the key."""


def partition_key(day: date, country: str) -> str:
    """The partition key of kick-off date ``day`` on ``country``'s sites: ``2026-05-04|ng``."""
    if not isinstance(country, str) or not _COUNTRY_KEY.fullmatch(country):
        raise PartitionKeyError(f"site country {country!r} is not a lower-case ISO code such as 'ng'")
    return f"{day.isoformat()}{DIMENSION_SEPARATOR}{country}"


def key_date(key: str) -> date:
    """The kick-off date of a partition key: the key itself, or the one date among its dimensions."""
    dated = _one_part(key, _DATE_KEY, "kick-off date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(dated)
    except ValueError as error:
        raise PartitionKeyError(f"partition key {key!r} is not a kick-off date: {error}") from None


def key_dates(keys: Iterable[str]) -> list[date]:
    """The kick-off dates of ``keys``, in their order, each once."""
    return list(dict.fromkeys(key_date(key) for key in keys))


def key_country(key: str) -> str:
    """The site country of a multi-part partition key: its one lower-case two-letter dimension."""
    return _one_part(key, _COUNTRY_KEY, "site country (such as 'ng')")


def _one_part(key: str, pattern: re.Pattern[str], what: str) -> str:
    """The one dimension of ``key`` that ``pattern`` matches, or a PartitionKeyError naming ``what``."""
    if not isinstance(key, str):
        raise PartitionKeyError(f"partition key {key!r} is not text")
    parts = [part for part in key.split(DIMENSION_SEPARATOR) if pattern.fullmatch(part)]
    if len(parts) != 1:
        found = "no" if not parts else "more than one"
        raise PartitionKeyError(f"partition key {key!r} has {found} {what}")
    return parts[0]


def dates_by_country(keys: Iterable[str]) -> dict[str, list[date]]:
    """The kick-off dates of ``keys`` per site country, countries and dates in the keys' order, each once."""
    found: dict[str, dict[date, None]] = {}
    for key in keys:
        found.setdefault(key_country(key), {})[key_date(key)] = None
    return {country: list(days) for country, days in found.items()}
