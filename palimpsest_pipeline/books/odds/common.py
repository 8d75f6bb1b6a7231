"""Small helpers shared by the odds parsers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from palimpsest_pipeline.books.odds.errors import OddsPayloadError
from palimpsest_pipeline.records import MAX_ID_CHARS, Book


def require_mapping(book: Book, value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise OddsPayloadError(book, where, f"expected an object, got {type(value).__name__}")
    return value


def require_list(book: Book, value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise OddsPayloadError(book, where, f"expected a list, got {type(value).__name__}")
    return value


def check_key(book: Book, value: Any, where: str) -> None:
    """Refuse a market or outcome id past ``MAX_ID_CHARS``: no real one is longer than a few dozen
    characters, so it is an error page or a concatenation, and left in it would be counted as an unmapped
    market (its rows silently gone, a 10 kB "market key" stored). Refused, it is set aside with this reason
    and quarantined like any malformed outcome."""
    if isinstance(value, str) and len(value) > MAX_ID_CHARS:
        raise OddsPayloadError(
            book, where, f"id is {len(value)} characters (limit {MAX_ID_CHARS}): {value[:40]!r}..."
        )


def read_price(book: Book, value: Any, where: str) -> float | None:
    """A decimal price from a string or number; None when it is not a price (<= 1, as books mark closed)."""
    if isinstance(value, bool) or value is None:
        raise OddsPayloadError(book, where, f"price is {value!r}, not a number")
    try:
        price = float(value)
    except (TypeError, ValueError):
        raise OddsPayloadError(book, where, f"price {value!r} is not a number") from None
    if price != price:
        raise OddsPayloadError(book, where, "price is NaN")
    return price if price > 1.0 else None


def without_nuls(value: Any, path: str = "$") -> tuple[Any, list[str]]:
    """``value`` with every NUL removed from its strings and object keys, and the JSON paths they were at.

    A NUL is never meaningful in a book's id, name, specifier or price, and Postgres text cannot hold it; left
    in, it turns "60100" into an unknown market or "2.5" into a broken line and the outcome is lost. Removed
    (and recorded by the caller), the value reads as the book meant it. Pure; returns ``value`` itself when
    it holds no NUL.
    """
    found: list[str] = []
    cleaned = _strip(value, path, found)
    return (cleaned, found) if found else (value, found)


def _strip(value: Any, path: str, found: list[str]) -> Any:
    if isinstance(value, str):
        if "\x00" in value:
            found.append(path)
            return value.replace("\x00", "")
        return value
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            clean_key = key
            if isinstance(key, str) and "\x00" in key:
                clean_key = key.replace("\x00", "")
                found.append(f"{path}.{clean_key} (key)")
            out[clean_key] = _strip(item, f"{path}.{clean_key}", found)
        return out
    if isinstance(value, list):
        return [_strip(item, f"{path}[{i}]", found) for i, item in enumerate(value)]
    return value
