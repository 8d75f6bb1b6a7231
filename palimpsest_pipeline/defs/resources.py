"""Dagster resources, the only place the Dagster layer learns URLs and settings: settings are validated when
the code location loads, URLs reach runs through ``dg.EnvVar`` so no password is stored in run storage."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import dagster as dg
import psycopg
from pydantic import Field

from palimpsest_pipeline.books.settings import DEFAULT_BASE_URLS, BookSettings, env_var_name
from palimpsest_pipeline.deploy.run_liveness import start_heartbeat
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY, Book
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


class BooksResource(dg.ConfigurableResource):
    """Where the books are (real or sandbox) and what to scrape from them."""

    #: Base URL of each book's edition in the default site country, keyed by book (``records.Book`` value).
    base_urls: dict[str, str]
    # Copied per instance by pydantic, so a list default is safe (RUF012 is about plain class attributes).
    sports: list[str] = Field(default_factory=lambda: ["football", "basketball", "tennis"])
    horizon_days: int = 14

    def settings(self, country: str = DEFAULT_SITE_COUNTRY) -> dict[Book, BookSettings]:
        """Settings of the books scraped in ``country``, the default country's base URLs from this resource,
        which must name every book scraped there (a forgotten one would otherwise reach the real book)."""
        overrides = {env_var_name(Book(book), "base_url"): url for book, url in self.base_urls.items()}
        found = load_settings().book_settings(country, **overrides)
        if country == DEFAULT_SITE_COUNTRY:
            missing = sorted(book.value for book in found if book.value not in self.base_urls)
            if missing:
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
    return {
        "warehouse": WarehouseResource(database_url=dg.EnvVar("PALIMPSEST_DATABASE_URL")),
        "books": BooksResource(
            base_urls={book.value: dg.EnvVar(env_var_name(book, "base_url")) for book in DEFAULT_BASE_URLS}
        ),
        "alerting": AlertsResource(
            urls=dg.EnvVar("PALIMPSEST_ALERT_URLS") if settings.alert_urls.get_secret_value() else ""
        ),
        # Test and replay only: pins "now" for every run of a code location (real time when unset).
        "clock": ClockResource(fixed_utc=settings.fixed_now.isoformat() if settings.fixed_now else None),
    }
