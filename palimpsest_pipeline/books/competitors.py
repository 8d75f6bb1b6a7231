"""Which books compete with BetPawa in which country (``competitors.toml``, or the file
``PALIMPSEST_COMPETITORS_FILE`` names), and which countries the pipeline runs (``PALIMPSEST_COUNTRIES``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from palimpsest_pipeline.books.editions import COUNTRY_CODE, EDITIONS, PACKAGE, countries_of
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY, Book

COMPETITORS_FILE = "competitors.toml"
COMPETITORS_FILE_VAR = "PALIMPSEST_COMPETITORS_FILE"
COUNTRIES_VAR = "PALIMPSEST_COUNTRIES"


class CompetitorsError(ValueError):
    """The competitors file or the countries asked for cannot be used; the message names the file or the
    variable, the country and the book."""


@dataclass(frozen=True)
class Competitors:
    """BetPawa's competitors per country, as one file declares them (``source``)."""

    source: str
    by_country: Mapping[str, tuple[Book, ...]]

    def of(self, country: str) -> tuple[Book, ...]:
        """The books that compete with BetPawa in ``country``, as the file lists them."""
        try:
            return self.by_country[country]
        except KeyError:
            raise CompetitorsError(
                f"competitors file {self.source} does not list country {country!r} "
                f"(it lists: {' '.join(sorted(self.by_country))})"
            ) from None

    def scraped_books(self, country: str) -> tuple[Book, ...]:
        """BetPawa and its rivals in ``country``, in ``records.Book`` order: the books scraped there."""
        rivals = self.of(country)
        return tuple(book for book in Book if book is Book.BETPAWA or book in rivals)


def parse_competitors(text: str, source: str) -> Competitors:
    """The competitors a TOML text declares (``<cc> = ["book", ...]``); ``source`` names it in errors."""
    where = f"competitors file {source}"
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CompetitorsError(f"{where} is not valid TOML: {error}") from None
    betpawa_countries = countries_of(Book.BETPAWA)
    found: dict[str, tuple[Book, ...]] = {}
    for country, names in document.items():
        if not COUNTRY_CODE.match(country) or country not in betpawa_countries:
            raise CompetitorsError(
                f"{where}: country {country!r} is not one BetPawa has an edition for "
                f"(its editions: {' '.join(betpawa_countries)})"
            )
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise CompetitorsError(
                f"{where}: country {country!r}: expected a list of book names, got {names!r}"
            )
        found[country] = tuple(_competitor(name, country, where) for name in names)
        if len(set(found[country])) != len(names):
            raise CompetitorsError(f"{where}: country {country!r}: a book is listed twice in {names}")
    return Competitors(source, MappingProxyType(found))


def _competitor(name: str, country: str, where: str) -> Book:
    try:
        book = Book(name)
    except ValueError:
        known = " ".join(b.value for b in Book if b is not Book.BETPAWA)
        raise CompetitorsError(
            f"{where}: country {country!r}: unknown book {name!r} (known: {known})"
        ) from None
    if book is Book.BETPAWA:
        raise CompetitorsError(f"{where}: country {country!r}: betpawa cannot compete with itself")
    if (book, country) not in EDITIONS:
        raise CompetitorsError(
            f"{where}: country {country!r}: book {name!r} has no {country} edition "
            f"(its editions: {' '.join(countries_of(book)) or 'none'}; see docs/adding-a-country.md)"
        )
    return book


def packaged_competitors() -> Competitors:
    """The competitors of ``competitors.toml`` in this package."""
    text = resources.files(PACKAGE).joinpath(COMPETITORS_FILE).read_text(encoding="utf-8")
    return parse_competitors(text, f"{PACKAGE}/{COMPETITORS_FILE}")


def competitors_from_env(env: Mapping[str, str]) -> Competitors:
    """The packaged competitors, or those of the file ``PALIMPSEST_COMPETITORS_FILE`` names."""
    path = env.get(COMPETITORS_FILE_VAR)
    if not path:
        return packaged_competitors()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CompetitorsError(
            f"{COMPETITORS_FILE_VAR}={path!r}: the file cannot be read ({error})"
        ) from None
    return parse_competitors(text, path)


def countries_from_env(env: Mapping[str, str], competitors: Competitors) -> tuple[str, ...]:
    """The site countries the pipeline runs (``PALIMPSEST_COUNTRIES``: codes separated by commas or spaces;
    default Nigeria), each one the competitors file lists."""
    raw = env.get(COUNTRIES_VAR, DEFAULT_SITE_COUNTRY)
    countries = tuple(dict.fromkeys(part for part in re.split(r"[\s,]+", raw.strip().lower()) if part))
    if not countries:
        raise CompetitorsError(f"{COUNTRIES_VAR}={raw!r}: names no country")
    for country in countries:
        if country not in competitors.by_country:
            raise CompetitorsError(
                f"{COUNTRIES_VAR}={raw!r}: country {country!r} is not listed in competitors file "
                f"{competitors.source} (it lists: {' '.join(sorted(competitors.by_country))})"
            )
    return countries
