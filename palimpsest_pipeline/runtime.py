"""Prepare the environment every entry point (the CLI, the demo, the tests) runs in, so "embedded defaults"
mean the same everywhere: database, migrations, Dagster home, book URLs."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, MutableMapping
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from pydantic import SecretStr
from sqlalchemy import make_url

from palimpsest_pipeline.books.editions import EDITIONS
from palimpsest_pipeline.books.settings import env_var_name
from palimpsest_pipeline.deploy.run_queue import sized_instance_yaml
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.settings import PalimpsestSettings, load_settings
from palimpsest_pipeline.warehouse.config import (
    DAGSTER_STORAGE_URL_VAR,
    DATABASE_URL_VAR,
    analyst_password,
    dagster_storage_url,
    ensure_databases,
    libpq_url,
    palimpsest_home,
    warehouse_url,
)
from palimpsest_pipeline.warehouse.migrate import READER_ROLE, migrate, restrict_connect


def url_variables(
    settings: PalimpsestSettings | None = None, countries: Iterable[str] | None = None
) -> dict[tuple[Book, str], str]:
    """``PALIMPSEST_<BOOK>_<CC>_URL`` of each edition scraped in ``countries`` (default: the countries run),
    by (book, country): the same rule for every country."""
    settings = settings or load_settings()
    competitors = settings.competitors()
    return {
        (book, country): env_var_name(book, "base_url", country)
        for country in (settings.site_countries() if countries is None else countries)
        for book in competitors.scraped_books(country)
    }


def project_home(settings: PalimpsestSettings | None = None) -> Path:
    """The project-local state folder: embedded Postgres, Dagster home, raw archive."""
    return palimpsest_home((settings or load_settings()).home)


def export(values: Mapping[str, str], env: MutableMapping[str, str] | None = None) -> None:
    """Set ``values`` in ``env``, or in this process's environment (for the Dagster code and children)."""
    if env is None:
        os.environ.update(values)
    else:
        env.update(values)


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None


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

    def reader_url(self) -> str | None:
        """The read-only analyst login's URL, or None when no reader password is configured."""
        password = analyst_password(_secret(load_settings().analyst_password), embedded=self.embedded)
        if password is None:
            return None
        url = make_url(self.psql_url).set(username=READER_ROLE, password=password)
        return url.render_as_string(hide_password=False)


def prepare(settings: PalimpsestSettings) -> Runtime:
    """Start or find the database, migrate it, lay out DAGSTER_HOME, export the variables Dagster reads."""
    home = palimpsest_home(settings.home)
    home.mkdir(parents=True, exist_ok=True)
    embedded = settings.database_url is None
    wh_url = warehouse_url(_secret(settings.database_url), home)
    dg_url = dagster_storage_url(_secret(settings.dagster_storage_url), wh_url)
    ensure_databases(wh_url, dg_url)
    migrate(wh_url, password=_secret(settings.analyst_password))
    restrict_connect(dg_url)
    dagster_home = home / "dagster_home"
    dagster_home.mkdir(parents=True, exist_ok=True)
    template = files("palimpsest_pipeline.deploy").joinpath("dagster.yaml").read_text()
    countries = len(settings.site_countries())
    (dagster_home / "dagster.yaml").write_text(sized_instance_yaml(template, countries))
    export({DATABASE_URL_VAR: wh_url, DAGSTER_STORAGE_URL_VAR: dg_url, "DAGSTER_HOME": str(dagster_home)})
    return Runtime(home, wh_url, dg_url, dagster_home, embedded)


def point_books_at(
    edition_urls: Mapping[tuple[Book, str], str], env: MutableMapping[str, str] | None = None
) -> None:
    """Export each edition the pipeline scrapes of ``edition_urls`` (the sandbox's, by book and country) as
    ``PALIMPSEST_<BOOK>_<CC>_URL``, for the Dagster resources and settings."""
    found = {
        name: edition_urls[edition]
        for edition, name in url_variables(load_settings(env)).items()
        if edition in edition_urls
    }
    export(found, env)


def point_books_at_real(env: MutableMapping[str, str] | None = None) -> None:
    """The real books: base URLs already in the environment win, else each edition's documented API URL."""
    settings = load_settings(env)
    given = settings.book_variables
    point_books_at(
        {
            edition: given.get(name) or EDITIONS[edition].base_url
            for edition, name in url_variables(settings).items()
        },
        env,
    )
