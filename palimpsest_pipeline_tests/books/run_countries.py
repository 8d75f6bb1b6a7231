"""What the pipeline reads of an environment in each country it runs (``PALIMPSEST_COUNTRIES``): the books
it scrapes there and their settings, as the tests ask for them."""

from __future__ import annotations

from collections.abc import Mapping

from palimpsest_pipeline.books.competitors import competitors_from_env, countries_from_env
from palimpsest_pipeline.books.settings import BookSettings, settings_from_env
from palimpsest_pipeline.records import Book


def scraped_books_from_env(env: Mapping[str, str]) -> dict[str, tuple[Book, ...]]:
    """For each country the pipeline runs, the books it scrapes there (BetPawa first)."""
    competitors = competitors_from_env(env)
    return {country: competitors.scraped_books(country) for country in countries_from_env(env, competitors)}


def settings_by_country(env: Mapping[str, str]) -> dict[str, dict[Book, BookSettings]]:
    """``settings_from_env`` for each country the pipeline runs."""
    return {
        country: settings_from_env(env, country)
        for country in countries_from_env(env, competitors_from_env(env))
    }
