"""The ``palimpsest`` command group every command module registers on, and what the commands share: the
settings, and ``--country`` of those that run the pipeline (one site country, or every configured one)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import click

from palimpsest_pipeline.books.competitors import COUNTRIES_VAR
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.settings import PalimpsestSettings, SettingsLoadError, load_settings


@click.group()
def main() -> None:
    """Compare BetPawa's catalogue and prices with its competitors' in each country it runs a site in."""
    # Dagster flags beta/preview parameters (backfill_policy, pools) on every import; we use them on purpose.
    warnings.filterwarnings("ignore", module=r"dagster\..*")
    warnings.filterwarnings("ignore", message=r".*is currently in (beta|preview).*")


def loaded_settings() -> PalimpsestSettings:
    """The settings from the environment, a bad value reported as the command's error (secrets masked)."""
    try:
        return load_settings()
    except SettingsLoadError as error:
        raise click.ClickException(str(error)) from None


country_option = click.option(
    "--country",
    default=None,
    metavar="CC",
    help=f"One site country (ISO code, e.g. gh); default: every country of {COUNTRIES_VAR}, in one run.",
)


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
    """One note per book not scraped in one of ``countries``: its scraping steps skip that country."""
    competitors = loaded_settings().competitors()
    scraped = {country: competitors.scraped_books(country) for country in countries}
    return [
        f"{country}: {book.value} is not scraped there (no {country} edition or not a competitor): skipped"
        for country in countries
        for book in Book
        if book not in scraped[country]
    ]
