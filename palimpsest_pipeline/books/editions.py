"""Country editions: each book's site per country (base URL, headers, query parameters, the zone of
offset-less times), read from ``editions.toml`` in this package: a country of a known book is configuration.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from palimpsest_pipeline.records import Book

PACKAGE = "palimpsest_pipeline.books"
EDITIONS_FILE = "editions.toml"
#: A site country: ISO 3166-1 alpha-2, lower case.
COUNTRY_CODE = re.compile(r"^[a-z]{2}$")
_FIELDS = frozenset({"base_url", "headers", "params", "time_zone"})


class EditionsFileError(ValueError):
    """The editions file cannot be read; the message names the file, the book and the country."""


class UnknownEdition(LookupError):
    """No edition of this book for this country; the message names both and the countries known."""


@dataclass(frozen=True)
class Edition:
    """One book's site in one country: where it answers and what every request to it carries."""

    book: Book
    site_country: str
    base_url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, str] = field(default_factory=dict)
    #: The IANA zone the site writes offset-less times in (None: the book's times carry their offset).
    time_zone: str | None = None

    def __post_init__(self) -> None:
        # read-only views of copies, so no holder of an edition can change what others send
        object.__setattr__(self, "headers", MappingProxyType(dict(self.headers)))
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    def __reduce__(self) -> tuple[type[Edition], tuple[Any, ...]]:
        # a read-only view does not pickle: an edition travels as plain values and is rebuilt
        fields = (
            self.book,
            self.site_country,
            self.base_url,
            dict(self.headers),
            dict(self.params),
            self.time_zone,
        )
        return (Edition, fields)


def parse_editions(text: str, source: str) -> dict[tuple[Book, str], Edition]:
    """The editions a TOML text declares, keyed by (book, country); ``source`` names it in errors."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise EditionsFileError(f"editions file {source} is not valid TOML: {error}") from None
    found: dict[tuple[Book, str], Edition] = {}
    for book_name, countries in document.items():
        try:
            book = Book(book_name)
        except ValueError:
            known = ", ".join(b.value for b in Book)
            raise EditionsFileError(
                f"editions file {source}: unknown book {book_name!r} (known: {known})"
            ) from None
        if not isinstance(countries, dict):
            raise EditionsFileError(
                f"editions file {source}: {book_name} must be a table of [{book_name}.<cc>]"
            )
        for country, table in countries.items():
            found[(book, country)] = _edition(
                book, country, table, f"editions file {source}: [{book_name}.{country}]"
            )
    return found


def _edition(book: Book, country: str, table: Any, where: str) -> Edition:
    if not COUNTRY_CODE.match(country):
        raise EditionsFileError(f"{where}: the country must be a lower-case ISO code of two letters")
    if not isinstance(table, dict):
        raise EditionsFileError(f"{where}: must be a table with base_url, headers and params")
    unknown = sorted(set(table) - _FIELDS)
    if unknown:
        raise EditionsFileError(f"{where}: unknown key(s) {unknown} (allowed: {sorted(_FIELDS)})")
    base_url = table.get("base_url")
    if not isinstance(base_url, str) or not base_url.startswith("https://"):
        raise EditionsFileError(f"{where}: base_url must be an https URL, got {base_url!r}")
    return Edition(
        book=book,
        site_country=country,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        headers=_strings(table.get("headers", {}), f"{where} headers"),
        params=_strings(table.get("params", {}), f"{where} params"),
        time_zone=_zone(table.get("time_zone"), f"{where} time_zone"),
    )


def _zone(value: Any, where: str) -> str | None:
    if value is None:
        return None
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, OSError, TypeError, ValueError):
        raise EditionsFileError(f"{where}: must name an IANA time zone, got {value!r}") from None
    return str(value)


def _strings(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) and v for v in value.values()):
        raise EditionsFileError(f"{where}: must be a table of non-empty strings, got {value!r}")
    return value


def _packaged() -> dict[tuple[Book, str], Edition]:
    text = resources.files(PACKAGE).joinpath(EDITIONS_FILE).read_text(encoding="utf-8")
    return parse_editions(text, f"{PACKAGE}/{EDITIONS_FILE}")


EDITIONS: Mapping[tuple[Book, str], Edition] = MappingProxyType(_packaged())


def countries_of(book: Book) -> tuple[str, ...]:
    """The countries whose ``book`` site has an edition, sorted."""
    return tuple(sorted(country for known, country in EDITIONS if known is book))


def edition(book: Book, country: str) -> Edition:
    """The edition of ``book`` for ``country``; ``UnknownEdition`` naming both when there is none."""
    try:
        return EDITIONS[(book, country)]
    except KeyError:
        known = " ".join(countries_of(book)) or "none"
        raise UnknownEdition(
            f"no {book.value} edition for country {country!r} (its editions: {known}; add one to "
            f"{PACKAGE}/{EDITIONS_FILE}, see docs/adding-a-country.md)"
        ) from None
