"""``--country`` of the commands that run the pipeline: one site country, or every configured one."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import click

from palimpsest_pipeline.books.competitors import COUNTRIES_VAR
from palimpsest_pipeline.cli.app import loaded_settings
from palimpsest_pipeline.records import Book


def country_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """The ``--country CC`` option (default: every country of PALIMPSEST_COUNTRIES, in one run)."""
    return click.option(
        "--country",
        default=None,
        metavar="CC",
        help=f"One site country (ISO code, e.g. gh); default: every country of {COUNTRIES_VAR}, in one run.",
    )(command)


def chosen_countries(country: str | None) -> list[str]:
    """The countries a run covers: ``country`` (which must be configured) or every configured one."""
    configured = list(loaded_settings().site_countries())
    if country is None:
        return configured
    chosen = country.strip().lower()
    if chosen not in configured:
        raise click.BadParameter(
            f"{country!r} is not a configured site country ({COUNTRIES_VAR}: {' '.join(configured)})",
            param_hint="--country",
        )
    return [chosen]


def scraped_in(countries: Sequence[str]) -> list[Book]:
    """The books scraped in any of ``countries``, in ``records.Book`` order."""
    competitors = loaded_settings().competitors()
    found = {book for country in countries for book in competitors.scraped_books(country)}
    return [book for book in Book if book in found]


def edition_notes(countries: list[str]) -> list[str]:
    """One note per book not scraped in one of ``countries`` (no edition there, or not a competitor): its
    scraping steps skip that country."""
    competitors = loaded_settings().competitors()
    scraped = {country: competitors.scraped_books(country) for country in countries}
    return [
        f"{country}: {book.value} is not scraped there (no {country} edition or not a competitor): skipped"
        for country in countries
        for book in Book
        if book not in scraped[country]
    ]
