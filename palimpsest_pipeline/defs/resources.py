"""Dagster resources, the only place the Dagster layer learns URLs and settings: settings are validated when
the code location loads, URLs reach runs through ``dg.EnvVar`` so no password is stored in run storage."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import dagster as dg
import psycopg
from pydantic import Field

from palimpsest_pipeline.books.settings import BookSettings, env_var_name
from palimpsest_pipeline.deploy.run_liveness import start_heartbeat
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.settings import PalimpsestSettings, load_settings
from palimpsest_pipeline.warehouse.config import libpq_url

#: The settings the code location loaded with: its countries, schedules, sensors and their status.
LOCATION_SETTINGS: PalimpsestSettings = load_settings()


def sensor_status(running: bool | None = None) -> dg.DefaultSensorStatus:
    """A sensor's starting status: RUNNING unless ``running`` (None: the settings' automation) is false."""
    on = LOCATION_SETTINGS.automation_running if running is None else running
    return dg.DefaultSensorStatus.RUNNING if on else dg.DefaultSensorStatus.STOPPED


def schedule_status(running: bool | None = None) -> dg.DefaultScheduleStatus:
    """A schedule's starting status, as :func:`sensor_status`."""
    return dg.DefaultScheduleStatus(sensor_status(running).value)


class WarehouseResource(dg.ConfigurableResource):
    """The Postgres warehouse. Connections are short-lived: one per write, so a write is one transaction."""

    database_url: str

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # every run uses the warehouse: its process says it is alive from here on (deploy/run_liveness.py)
        start_heartbeat(context.instance, context.run.run_id if context.run is not None else None)

    @contextmanager
    def connect(self, *, autocommit: bool = False) -> Iterator[psycopg.Connection]:
        """A connection; ``autocommit`` for writers whose every ``transaction()`` block must commit on its
        own (without it, each block is a savepoint of an implicit transaction committed at close)."""
        with psycopg.connect(libpq_url(self.database_url), autocommit=autocommit) as conn:
            yield conn


def edition_key(country: str, book: Book) -> str:
    """An edition's key in ``BooksResource.base_urls``: ``ng/betpawa``, as the country's assets are keyed."""
    return f"{country}/{book.value}"


class BooksResource(dg.ConfigurableResource):
    """Where the books are (real or sandbox) and what to scrape from them."""

    #: Base URL of editions, keyed ``<cc>/<book>`` (:func:`edition_key`), the same for every country; an
    #: edition not named reads ``PALIMPSEST_<BOOK>_<CC>_URL``, else its own (``books/editions.toml``).
    base_urls: dict[str, str] = Field(default_factory=dict)
    # Copied per instance by pydantic, so a list default is safe (RUF012 is about plain class attributes).
    sports: list[str] = Field(default_factory=lambda: ["football", "basketball", "tennis"])
    horizon_days: int = 14

    def settings(self, country: str) -> dict[Book, BookSettings]:
        """Settings of the books scraped in ``country``; when this resource names a URL of any of its
        editions it must name every book scraped there (a forgotten one would otherwise reach the real
        book)."""
        named = {
            Book(book): url
            for key, url in self.base_urls.items()
            for cc, _, book in [key.partition("/")]
            if cc == country
        }
        overrides = {env_var_name(book, "base_url", country): url for book, url in named.items()}
        found = load_settings().book_settings(country, **overrides)
        missing = sorted(edition_key(country, book) for book in found if book not in named)
        if named and missing:
            raise ValueError(f"BooksResource.base_urls names no URL for {', '.join(missing)}")
        return found


class AlertsResource(dg.ConfigurableResource):
    """Where alerts go (``PALIMPSEST_ALERT_URLS``, apprise URLs; none: alerts are recorded, not sent)."""

    urls: str = ""


class ClockResource(dg.ConfigurableResource):
    """The pipeline's notion of "now": real time, unless tests and replays pin it (``fixed_utc``) so that
    "upcoming", "withdrawn" and the kick-off windows are judged at the instant of the world they scrape."""

    fixed_utc: str | None = None

    def now(self) -> datetime:
        if self.fixed_utc is None:
            return datetime.now(UTC)
        moment = datetime.fromisoformat(self.fixed_utc)
        if moment.tzinfo is None:
            raise ValueError(f"ClockResource.fixed_utc must carry a timezone, got {self.fixed_utc!r}")
        return moment.astimezone(UTC)


def resources_from_env() -> dict[str, object]:
    """The resources as a deployment builds them: every URL read from the environment at run time."""
    settings = load_settings()
    competitors = settings.competitors()
    return {
        "warehouse": WarehouseResource(database_url=dg.EnvVar("PALIMPSEST_DATABASE_URL")),
        # each edition's URL variable set here, the same rule for every country: an EnvVar, read at run time
        "books": BooksResource(
            base_urls={
                edition_key(country, book): dg.EnvVar(name)
                for country in settings.site_countries()
                for book in competitors.scraped_books(country)
                if settings.book_variables.get(name := env_var_name(book, "base_url", country))
            }
        ),
        "alerting": AlertsResource(
            urls=dg.EnvVar("PALIMPSEST_ALERT_URLS") if settings.alert_urls.get_secret_value() else ""
        ),
        # Test and replay only: pins "now" for every run of a code location (real time when unset).
        "clock": ClockResource(fixed_utc=settings.fixed_now.isoformat() if settings.fixed_now else None),
    }
