"""A small typed reader over decoded JSON turning every surprise into a ``PayloadError`` naming its JSON path
(``pcUpcomingEvents: data.tournaments[3].events[0].estimateStartTime: expected an integer``): the books'
APIs change without notice, and the error must say which field broke.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from palimpsest_pipeline.books.errors import PayloadError
from palimpsest_pipeline.records import Book

_MISSING = object()
#: An error quotes what it read up to this many characters: a 40 kB name must not become a 40 kB message.
MAX_ERROR_CHARS = 300
#: No text a book sends runs this long: longer is an error page or a concatenation, refused where it is read,
#: so it never reaches a URL, a message or ``int()``.
MAX_TEXT_CHARS = 1_000
#: Whole numbers a book sends (ids, counts, epoch ms) fit Postgres' bigint: one past it is a bad value.
INTEGER_LIMIT = 2**63
#: Digits of a whole number sent as text: enough for any bigint, and read without a 4,300-digit ``int()``.
_INTEGER = re.compile(r"-?[0-9]{1,19}")


class Node:
    """One value inside a payload, with the path that leads to it."""

    __slots__ = ("book", "path", "value", "where")

    def __init__(self, book: Book, where: str, value: Any, path: str = "") -> None:
        self.book = book
        self.where = where
        self.value = value
        self.path = path

    def error(self, what: str) -> PayloadError:
        if len(what) > MAX_ERROR_CHARS:
            what = f"{what[:MAX_ERROR_CHARS]}… ({len(what):,} characters)"
        return PayloadError(self.book, self.where, f"{self.path or '<root>'}: {what}")

    def _child(self, key: str | int, value: Any) -> Node:
        if isinstance(key, int):
            return Node(self.book, self.where, value, f"{self.path}[{key}]")
        path = f"{self.path}.{key}" if self.path else key
        return Node(self.book, self.where, value, path)

    def _mapping(self) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise self.error(f"expected an object, got {describe(self.value)}")
        return self.value

    def has(self, key: str) -> bool:
        return key in self._mapping()

    def get(self, key: str) -> Node:
        """The required member ``key``."""
        value = self._mapping().get(key, _MISSING)
        if value is _MISSING:
            raise self._child(key, None).error("missing")
        return self._child(key, value)

    def opt(self, key: str) -> Node | None:
        """The member ``key``, or None when it is absent or null."""
        value = self._mapping().get(key)
        return None if value is None else self._child(key, value)

    def opt_text(self, key: str) -> str | None:
        """The member ``key`` as text, or None when it is absent or null."""
        member = self.opt(key)
        return None if member is None else member.text()

    def items(self) -> Iterator[tuple[str, Node]]:
        for key, value in self._mapping().items():
            yield key, self._child(key, value)

    def elements(self) -> list[Node]:
        if not isinstance(self.value, list):
            raise self.error(f"expected a list, got {describe(self.value)}")
        return [self._child(index, item) for index, item in enumerate(self.value)]

    def text(self) -> str:
        """A non-empty string (numbers are accepted and rendered as text: ids come both ways)."""
        value = self.value
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.error(f"expected a string, got {describe(value)}")
        if isinstance(value, int):
            return str(self._bounded(value))
        if len(value) > MAX_TEXT_CHARS:
            raise self.error(f"text of {len(value):,} characters, over the {MAX_TEXT_CHARS:,} allowed")
        text = value.strip()
        if not text:
            raise self.error("expected a non-empty string, got ''")
        return text

    def _bounded(self, value: int) -> int:
        if not -INTEGER_LIMIT <= value < INTEGER_LIMIT:
            raise self.error(f"a whole number past 64 bits: {describe(value)}")
        return value

    def integer(self) -> int:
        value = self.value
        if isinstance(value, bool):
            raise self.error(f"expected an integer, got {describe(value)}")
        if isinstance(value, int):
            return self._bounded(value)
        # ASCII digits only: str.isdigit() holds for "²", which int() refuses (a crash, not a PayloadError)
        if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
            return self._bounded(int(value))
        raise self.error(f"expected an integer, got {describe(value)}")

    def number(self) -> float:
        """A finite decimal number, sent as a JSON number or as text (odds come both ways)."""
        value = self.value
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self.error(f"expected a number, got {describe(value)}")
        try:
            number = float(value)
        except (ValueError, OverflowError):  # OverflowError: a whole number past a float's range
            raise self.error(f"expected a number, got {describe(value)}") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise self.error(f"expected a finite number, got {describe(value)}")
        return number

    def epoch_ms(self) -> datetime:
        millis = self.integer()
        try:
            return datetime.fromtimestamp(millis / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise self.error(f"epoch milliseconds out of range: {millis}") from None

    def iso_utc(self) -> datetime:
        """An ISO 8601 instant with an explicit offset (``Z`` or ``+hh:mm``), as UTC."""
        text = self.text()
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise self.error(f"expected an ISO 8601 time, got {text!r}") from None
        if parsed.tzinfo is None:
            raise self.error(f"time without a UTC offset: {text!r}")
        return parsed.astimezone(UTC)

    def naive_utc(self, fmt: str) -> datetime:
        """A zone-less time the book documents as UTC (``YYYY-MM-DD HH:MM:SS``)."""
        text = self.text()
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            raise self.error(f"expected a time like {fmt!r}, got {text!r}") from None


class _Quoted(reprlib.Repr):
    """What an error quotes of a value: a few levels of a nested one (``repr`` recurses into all of them)
    and no more than a number's size when it is past what ``repr`` writes."""

    def __init__(self) -> None:
        super().__init__()
        self.maxstring = self.maxother = 100  # then cut to 60, as every value is

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 64:
            return f"<a number of {x.bit_length():,} bits>"
        return super().repr_int(x, level)


_QUOTED = _Quoted()


def describe(value: Any) -> str:
    """A value as an error quotes it: its type and the start of its text, whatever its size or depth."""
    if value is None:
        return "null"
    text = _QUOTED.repr(value)
    return f"{type(value).__name__} {text[:60]}{'…' if len(text) > 60 else ''}"


def split_home_away(node: Node) -> tuple[str, str]:
    """Split ``"Home - Away"`` on the FIRST " - " (team names may contain " - " later, rarely earlier)."""
    text = node.text()
    home, separator, away = text.partition(" - ")
    if not separator or not home.strip() or not away.strip():
        raise node.error(f"expected 'Home - Away', got {text!r}")
    return home.strip(), away.strip()
