"""Prepare the environment every entry point runs in: database, migrations, Dagster home, book URLs.

The CLI, the demo and the tests all go through here, so "embedded defaults" mean the same thing everywhere:
with no ``PALIMPSEST_DATABASE_URL`` an embedded Postgres starts in the project-local state folder; with it,
that server is used and nothing embedded starts.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from sqlalchemy import make_url

from palimpsest_pipeline.books.competitors import competitors_from_env, countries_from_env
from palimpsest_pipeline.books.settings import DEFAULT_BASE_URLS, env_var_name
from palimpsest_pipeline.records import SCRAPED_BOOKS, Book
from palimpsest_pipeline.warehouse.config import (
    DATABASE_URL_VAR,
    analyst_password,
    dagster_storage_url,
    ensure_databases,
    libpq_url,
    warehouse_url,
)
from palimpsest_pipeline.warehouse.migrate import READER_ROLE, migrate, restrict_connect

#: The variable naming each scraped book's base URL in the default site country (``PALIMPSEST_<BOOK>_URL``).
BOOK_URL_VARS: dict[Book, str] = {book: env_var_name(book, "base_url") for book in SCRAPED_BOOKS}


def project_home(env: Mapping[str, str] = os.environ) -> Path:
    """The project-local state folder: embedded Postgres, Dagster home, raw archive."""
    configured = env.get("PALIMPSEST_HOME")
    if configured:
        return Path(configured).resolve()
    return Path(__file__).resolve().parent.parent / ".palimpsest"


@dataclass(frozen=True)
class Runtime:
    """What a prepared environment points at."""

    home: Path
    warehouse_url: str
    dagster_storage_url: str
    dagster_home: Path
    embedded: bool

    @property
    def psql_url(self) -> str:
        return libpq_url(self.warehouse_url)

    def reader_url(self, env: Mapping[str, str] = os.environ) -> str | None:
        """The read-only analyst login's URL, or None when no reader password is configured."""
        password = analyst_password(env, embedded=self.embedded)
        if password is None:
            return None
        url = make_url(self.psql_url).set(username=READER_ROLE, password=password)
        return url.render_as_string(hide_password=False)


def prepare(env: MutableMapping[str, str] = os.environ) -> Runtime:
    """Start or find the database, migrate it, lay out DAGSTER_HOME, export the variables Dagster reads."""
    home = project_home(env)
    home.mkdir(parents=True, exist_ok=True)
    embedded = not env.get(DATABASE_URL_VAR)
    wh_url = warehouse_url(env)
    dg_url = dagster_storage_url(env)
    ensure_databases(wh_url, dg_url)
    migrate(wh_url)
    restrict_connect(dg_url)
    dagster_home = home / "dagster_home"
    dagster_home.mkdir(parents=True, exist_ok=True)
    template = files("palimpsest_pipeline.deploy").joinpath("dagster.yaml")
    with template.open("rb") as src, (dagster_home / "dagster.yaml").open("wb") as dst:
        shutil.copyfileobj(src, dst)
    env["PALIMPSEST_DATABASE_URL"] = wh_url
    env["PALIMPSEST_DAGSTER_STORAGE_URL"] = dg_url
    env["DAGSTER_HOME"] = str(dagster_home)
    return Runtime(
        home=home,
        warehouse_url=wh_url,
        dagster_storage_url=dg_url,
        dagster_home=dagster_home,
        embedded=embedded,
    )


def point_books_at(
    base_urls: Mapping[Book, str],
    env: MutableMapping[str, str] = os.environ,
    edition_urls: Mapping[tuple[Book, str], str] | None = None,
) -> None:
    """Export the books' base URLs (the sandbox's, or the real ones) for the Dagster resources; a book the
    pipeline does not scrape has no variable, and its URL (the sandbox serves Betika) is not
    exported. ``edition_urls`` (the sandbox's, by book and country): each edition the pipeline scrapes in
    the countries it runs (PALIMPSEST_COUNTRIES) is pointed there too, as ``PALIMPSEST_<BOOK>_<CC>_URL``."""
    for book, url in base_urls.items():
        if book in BOOK_URL_VARS:
            env[BOOK_URL_VARS[book]] = url
    if edition_urls:
        competitors = competitors_from_env(env)
        for country in countries_from_env(env, competitors):
            for book in competitors.scraped_books(country):
                if (book, country) in edition_urls:
                    env[env_var_name(book, "base_url", country)] = edition_urls[(book, country)]


def point_books_at_real(env: MutableMapping[str, str] = os.environ) -> None:
    """The real books: base URLs already in the environment win, else each book's documented API URL."""
    point_books_at(
        {book: env.get(var) or DEFAULT_BASE_URLS[book] for book, var in BOOK_URL_VARS.items()}, env
    )
