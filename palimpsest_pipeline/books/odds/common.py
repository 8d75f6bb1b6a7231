"""Small helpers shared by the odds parsers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from palimpsest_pipeline.books.odds.errors import OddsPayloadError
from palimpsest_pipeline.records import Book


def require_mapping(book: Book, value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise OddsPayloadError(book, where, f"expected an object, got {type(value).__name__}")
    return value


def require_list(book: Book, value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise OddsPayloadError(book, where, f"expected a list, got {type(value).__name__}")
    return value


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
