"""How we talk to each book's edition: base URL, politeness limits, timeouts, retries. The limits default to
the book's kit, the base URL to its edition's (``editions.toml``); everything is overridden from the
environment per book and country, so the same code runs against the real books, the sandbox or a test server.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from palimpsest_pipeline.books import editions
from palimpsest_pipeline.books.competitors import competitors_from_env
from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY, Book

#: A desktop browser user agent: the books serve browsers, and scrapers that sent one were served.
DEFAULT_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)

ENV_PREFIX = "PALIMPSEST_"
#: Per-book variables no longer read, refused by name: a country's site is an edition.
_REFUSED_SUFFIXES = ("_COUNTRY", "_OPERID")
#: The country whose edition a country-less ``PALIMPSEST_<BOOK>_<FIELD>`` used to set, named in its refusal.
_COUNTRYLESS_WAS = DEFAULT_SITE_COUNTRY
#: A URL's user information (``user:password@``), with or without a scheme before it.
_USERINFO = re.compile(r"^([a-z][a-z0-9+.-]*://)?.*@", re.IGNORECASE | re.DOTALL)


class SettingsError(ValueError):
    """A setting from the environment was invalid; the message names the variable."""


class BookSettings(BaseModel):
    """Connection and politeness settings for one book's edition (immutable: share freely between tasks)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    book: Book
    base_url: str
    #: The country whose site this is (ISO code, lower case): its edition gives the headers and parameters.
    #: Settings from the environment always name it (:func:`edition_settings`); the default is a shorthand
    #: for code building one edition's settings by hand (tests, benchmarks).
    site_country: str = DEFAULT_SITE_COUNTRY
    max_in_flight: int = Field(default=50, ge=1, le=1000)
    pause_s: float = Field(default=0.0, ge=0.0, le=60.0, description="held after each request, per slot")
    connect_timeout_s: float = Field(default=10.0, gt=0.0)
    read_timeout_s: float = Field(default=30.0, gt=0.0)
    #: Hard deadline for one attempt, so a server trickling bytes cannot outlive the read timeout forever.
    attempt_timeout_s: float = Field(default=60.0, gt=0.0)
    max_attempts: int = Field(default=4, ge=1, le=20)
    backoff_base_s: float = Field(default=0.5, ge=0.0)
    backoff_cap_s: float = Field(default=20.0, ge=0.0)
    #: Longest Retry-After we obey; a book asking for more is treated as asking for this much.
    retry_after_cap_s: float = Field(default=60.0, ge=0.0)
    #: Largest answer read, as sent and once inflated: a larger one (or a gzip bomb) is aborted as
    #: ``too_large`` while streaming.
    max_wire_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)
    max_body_bytes: int = Field(default=32 * 1024 * 1024, ge=1024)
    #: Most an answer may inflate, in times the bytes read from the wire so far, once past a floor
    #: (``books/http.py``): more is a compression bomb, refused as ``too_large``.
    max_inflate_ratio: int = Field(default=100, ge=2, le=100_000)
    #: How many times an ambiguous error envelope (Bet9ja ``R == "E"``) is retried before meaning "not found".
    envelope_attempts: int = Field(default=3, ge=1, le=20)
    user_agent: str = DEFAULT_USER_AGENT
    #: Bet9ja only: sent as ``v_cache_version`` on every call.
    v_cache_version: str = "1.301.2.225"

    @field_validator("base_url")
    @classmethod
    def _absolute_with_trailing_slash(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an absolute http(s) URL naming a host (https://<host>/<path>/)")
        return value if value.endswith("/") else value + "/"

    @model_validator(mode="after")
    def _edition_known(self) -> BookSettings:
        try:
            editions.edition(self.book, self.site_country)
        except editions.UnknownEdition as error:
            raise ValueError(str(error)) from None
        return self

    @property
    def edition(self) -> editions.Edition:
        """The site these settings talk to: the headers and parameters every request carries."""
        return editions.edition(self.book, self.site_country)


def default_settings(book: Book, country: str = DEFAULT_SITE_COUNTRY) -> BookSettings:
    """The settings of ``book``'s ``country`` edition when the environment says nothing (no country given:
    Nigeria's, a shorthand for hand-built settings; the environment's always name theirs)."""
    site = editions.edition(book, country)
    limits = KITS[book].limits
    return BookSettings(
        book=book,
        base_url=site.base_url,
        site_country=country,
        max_in_flight=limits.max_in_flight,
        pause_s=limits.pause_s,
    )


#: The fields of an edition the environment overrides.
EDITION_FIELDS: tuple[str, ...] = tuple(
    f for f in BookSettings.model_fields if f not in ("book", "site_country")
)


def _suffix(field: str) -> str:
    return "URL" if field == "base_url" else field.upper()


def env_var_name(book: Book, field: str, country: str) -> str:
    """The variable of one field of one edition, the same rule for every country:
    ``PALIMPSEST_<BOOK>_<CC>_<FIELD>`` (``PALIMPSEST_BETPAWA_GH_MAX_IN_FLIGHT``); the base URL is
    ``..._URL`` (``PALIMPSEST_BETPAWA_NG_URL``)."""
    return f"{ENV_PREFIX}{book.value.upper()}_{country.upper()}_{_suffix(field)}"


def _variables(book: Book, country: str) -> dict[str, list[str]]:
    """Each overridable field of an edition and the variable that sets it."""
    return {field: [env_var_name(book, field, country)] for field in EDITION_FIELDS}


@functools.cache
def edition_variables() -> Mapping[str, tuple[Book, str]]:
    """Every per-edition variable name of the editions in ``editions.toml``, with the (book, country) it
    speaks for."""
    return MappingProxyType(
        {
            name: (book, country)
            for book, country in editions.EDITIONS
            for names in _variables(book, country).values()
            for name in names
        }
    )


def refused_variables(book: Book) -> tuple[str, ...]:
    """The per-book variables no longer read, whose presence fails the load: ``_COUNTRY``, ``_OPERID`` and
    every country-less ``PALIMPSEST_<BOOK>_<FIELD>`` (an edition's variables name its country)."""
    prefix = f"{ENV_PREFIX}{book.value.upper()}"
    return tuple(f"{prefix}{suffix}" for suffix in _REFUSED_SUFFIXES) + tuple(
        f"{prefix}_{_suffix(field)}" for field in EDITION_FIELDS
    )


def refusals(env: Mapping[str, str], books: tuple[Book, ...] | None = None) -> list[str]:
    """Why each refused variable of ``books`` (default: every book) set in ``env`` fails the load, naming
    what to set instead: ``PALIMPSEST_BETPAWA_URL`` is now ``PALIMPSEST_BETPAWA_NG_URL``."""
    given = {name.upper() for name in env}  # as the settings read them: whatever the case
    found = []
    for book in Book if books is None else books:
        prefix = f"{ENV_PREFIX}{book.value.upper()}"
        for suffix in _REFUSED_SUFFIXES:
            if f"{prefix}{suffix}" in given:
                found.append(
                    f"{prefix}{suffix} is no longer read: a country's site is an edition "
                    "(books/editions.toml), the countries run are PALIMPSEST_COUNTRIES "
                    "(docs/adding-a-country.md)"
                )
        for field in EDITION_FIELDS:
            name = f"{prefix}_{_suffix(field)}"
            if name in given:
                found.append(
                    f"{name} is no longer read: set {env_var_name(book, field, _COUNTRYLESS_WAS)} (each "
                    f"edition's variables name its country: {prefix}_<CC>_{_suffix(field)})"
                )
    return found


def without_userinfo(url: str) -> str:
    """``url`` fit to print: anything before an ``@`` (a user and password) replaced by ``***``, whether
    or not a scheme precedes it."""
    return _USERINFO.sub(r"\1***@", url)


def settings_from_env(env: Mapping[str, str], country: str) -> dict[Book, BookSettings]:
    """Settings for every book scraped in ``country``: defaults overridden by
    ``PALIMPSEST_<BOOK>_<CC>_<FIELD>``; ``SettingsError`` names a bad variable."""
    books = competitors_from_env(env).scraped_books(country)
    return {book: edition_settings(book, country, env) for book in books}


def edition_settings(book: Book, country: str, env: Mapping[str, str]) -> BookSettings:
    """The settings of one edition: its defaults, then the environment's overrides
    (``PALIMPSEST_<BOOK>_<CC>_<FIELD>``); a refused variable of the book fails it, naming what to set."""
    refused = refusals(env, (book,))
    if refused:
        raise SettingsError("; ".join(refused))
    values: dict[str, Any] = default_settings(book, country).model_dump()
    overridden: dict[str, str] = {}
    for field, names in _variables(book, country).items():
        name = next((name for name in names if name in env), None)
        if name is not None:
            values[field] = env[name]
            overridden[field] = name
    try:
        return BookSettings.model_validate(values)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else "?"
            variable = overridden.get(field, f"default for {field}")
            shown = values.get(field)
            if field == "base_url" and isinstance(shown, str):
                shown = without_userinfo(shown)
            problems.append(f"{variable}={shown!r}: {item['msg']}")
        raise SettingsError(f"invalid {book.value} {country} settings: " + "; ".join(problems)) from None


def settings_country(settings: Mapping[Book, BookSettings]) -> str:
    """The one site country of a run's ``settings`` (a run reads one country's sites: every row it stores
    says which); settings of several countries, or none, are the caller's bug."""
    countries = {s.site_country for s in settings.values()}
    if len(countries) != 1:
        raise ValueError(f"a run reads one country's sites, got settings of {sorted(countries) or 'none'}")
    return countries.pop()
