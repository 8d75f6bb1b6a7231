"""Every ``PALIMPSEST_*`` setting, declared once (type, default, description) and validated when loaded: the
only module that reads the environment for settings; the docs' table and the Helm ConfigMap come from it."""

from __future__ import annotations

import difflib
import os
import re
import warnings
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings.sources.utils import parse_env_vars

from palimpsest_pipeline.alerts.settings import AlertSettings
from palimpsest_pipeline.books.competitors import Competitors, competitors_from_env, countries_from_env
from palimpsest_pipeline.books.settings import (
    ENV_PREFIX,
    BookSettings,
    edition_settings,
    edition_variables,
    refusals,
    refused_variables,
    settings_from_env,
)
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY, Book
from palimpsest_pipeline.scrape.cadence import CadencePolicy, Tier
from palimpsest_pipeline.warehouse.config import parse_postgres_url
from palimpsest_pipeline.warehouse.withdrawal import WithdrawalPolicy

#: Names that once meant something and now must fail the load, with what to set instead.
RETIRED = {
    "PALIMPSEST_DAGSTER_DATABASE_URL": "PALIMPSEST_DAGSTER_STORAGE_URL (what dagster.yaml reads)",
}
#: ``PALIMPSEST_*`` names no setting reads but others do.
_READ_ELSEWHERE = re.compile(
    r"""^PALIMPSEST_(
        CODE_SERVER_HOST | CODE_SERVER_PORT  # the code server's address (deploy/workspace.grpc.yaml)
        | TEST_\w+ | CI_\w+  # the tests' and CI's own
        # what Kubernetes gives a pod for each service of its namespace (palimpsest-pipeline's included)
        | \w+_SERVICE_HOST | \w+_SERVICE_PORT\w* | \w+_PORT (_\d+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?)?
    )$""",
    re.VERBOSE,
)
_BOOK_VARIABLE = re.compile(rf"^{ENV_PREFIX}({'|'.join(b.value.upper() for b in Book)})_", re.IGNORECASE)
_URL_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")
_environ: ContextVar[Mapping[str, str] | None] = ContextVar("palimpsest_settings_environ", default=None)

Days = Annotated[int, Field(ge=1)]


def _schedulable(value: str) -> str:
    """A cron Dagster can schedule (5 fields, each in range): a bad one fails the load naming its variable."""
    from dagster._utils.schedules import is_valid_cron_string  # Dagster loads only where a cron is read

    cron = " ".join(value.split())
    if not is_valid_cron_string(cron):
        raise ValueError("is not a cron expression: 5 fields (minute hour day month weekday), each in range")
    return cron


Cron = Annotated[str, AfterValidator(_schedulable)]


def _secret(description: str, shown_default: str, default: SecretStr | None = None) -> Any:
    """A secret (unset by default): masked wherever settings are printed."""
    return Field(
        default=default,
        description=description,
        json_schema_extra={"secret": True, "shown_default": shown_default},
    )


class SettingsLoadError(ValueError):
    """A setting's value cannot be used; the message names each variable and its value (secrets masked)."""


class UnknownSettingWarning(UserWarning):
    """A ``PALIMPSEST_*`` variable no setting reads (misspelt, or an edition ``editions.toml`` lacks)."""


class _Environment(EnvSettingsSource):
    """The environment source over a given mapping, gathering the per-book-edition variables too."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._given = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        return parse_env_vars(
            self._given, self.case_sensitive, self.env_ignore_empty, self.env_parse_none_str
        )

    def __call__(self) -> dict[str, Any]:
        found = super().__call__()
        found["book_variables"] = {k.upper(): v for k, v in self._given.items() if _BOOK_VARIABLE.match(k)}
        return found


class PalimpsestSettings(BaseSettings):
    """The pipeline's settings, each from ``PALIMPSEST_<FIELD>``; ``json_schema_extra`` marks secrets."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_ignore_empty=True, frozen=True, extra="ignore"
    )

    database_url: SecretStr | None = _secret(
        "the warehouse database (SQLAlchemy or libpq URL); when set, nothing embedded starts",
        "embedded Postgres in `.palimpsest/pg`",
    )
    dagster_storage_url: SecretStr | None = _secret(
        "Dagster's instance storage, a separate database (what `dagster.yaml` reads)",
        "same server, database `<warehouse>_dagster`",
    )
    analyst_password: SecretStr | None = _secret(
        "password of the read-only `palimpsest_reader` login (`palimpsest db url` prints it)",
        "`palimpsest-reader-local` on the embedded server",
    )
    alert_urls: SecretStr = _secret(
        "where alerts go: apprise URLs (Slack, Telegram, e-mail, webhook), comma separated",
        "none: recorded, not sent",
        default=SecretStr(""),
    )
    home: Path | None = Field(
        default=None,
        description="project-local state folder (embedded Postgres, Dagster home)",
        json_schema_extra={"local": True, "shown_default": "`.palimpsest/`"},
    )
    countries: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(DEFAULT_SITE_COUNTRY,),
        description="the site countries run, ISO codes separated by commas (docs/adding-a-country.md)",
    )
    competitors_file: Path | None = Field(
        default=None,
        description="a file replacing the packaged `books/competitors.toml`",
        json_schema_extra={"shown_default": "the packaged file"},
    )
    automation: Literal["running", "stopped"] = Field(
        default="running", description="`stopped` loads every schedule and sensor stopped"
    )
    catalogue_cron: Cron = Field(default="*/15 * * * *", description="the catalogue schedule's cron")
    maintenance_cron: Cron = Field(default="17 3 * * *", description="the daily maintenance's cron")
    live_cron: Cron = Field(default="*/5 * * * *", description="the cron of the live watcher's runs")
    live_poll_seconds: float = Field(default=30.0, ge=5, description="how often the live watcher polls")
    live_run_minutes: float = Field(
        default=20, ge=1, description="how long one live watcher run polls (less 20 s: the next tick follows)"
    )
    odds_sensor_interval_s: int = Field(default=15, ge=1, description="the odds sensor's interval")
    odds_imminent_minutes: float = Field(default=30, gt=0, description="imminent tier reach before kick-off")
    odds_imminent_every_s: float = Field(default=60, gt=0, description="imminent tier cadence")
    odds_soon_minutes: float = Field(default=120, gt=0, description="soon tier reach before kick-off")
    odds_soon_every_s: float = Field(default=300, gt=0, description="soon tier cadence")
    odds_horizon_hours: float = Field(default=24, gt=0, description="later tier reach = the sensor's horizon")
    odds_later_every_s: float = Field(default=1800, gt=0, description="later tier cadence")
    capture_worker_minutes: float = Field(
        default=20, ge=1, description="how long one capture worker run takes captures from the queue"
    )
    withdraw_after_misses: int = Field(
        default=2,
        ge=1,
        le=100,
        description="consecutive complete, plausible catalogue scrapes missing an event to withdraw it",
    )
    catalogue_max_drop_share: float = Field(
        default=0.3,
        gt=0,
        le=1,
        description="share of a sport's live events a scrape may miss before it is held (docs/tables.md)",
    )
    leadership_window_minutes: float = Field(
        default=30, gt=0, description="how long after a price move the same move counts as following it"
    )
    fixed_now: AwareDatetime | None = Field(
        default=None,
        description="pins the pipeline's clock (ISO 8601 with zone): tests and replays only",
        json_schema_extra={"local": True, "shown_default": "real time"},
    )
    archive_retention_days: Days = Field(default=14, description="days of raw archive kept")
    odds_history_retention_days: Days | None = Field(
        default=None,
        description="days of odds history kept",
        json_schema_extra={"shown_default": "keep all"},
    )
    capture_log_retention_days: Days = Field(default=28, description="days of `core.odds_captures` kept")
    capture_requests_retention_days: Days = Field(
        default=14, description="days of `core.capture_requests` (the capture queue) kept"
    )
    quarantine_retention_days: Days = Field(default=28, description="days of `core.quarantine(d_rows)` kept")
    scrape_metrics_retention_days: Days = Field(
        default=56, description="days of scrape metrics, run failures"
    )
    unmapped_markets_retention_days: Days = Field(default=28, description="days of `core.unmapped_markets`")
    coverage_history_retention_days: Days = Field(default=91, description="days of coverage history kept")
    catalogue_changes_retention_days: Days = Field(default=91, description="days of catalogue changes kept")
    live_coverage_retention_days: Days = Field(
        default=91,
        description="days of live coverage (last seen), live starts and market retention (kick-off), live "
        "sightings and live snapshots",
    )
    live_suspension_retention_days: Days = Field(default=28, description="days of live suspension kept")
    event_rosters_retention_days: Days = Field(default=28, description="days of event rosters (last seen)")
    key_health_families_retention_days: Days = Field(default=28, description="days of key health per family")
    closing_prices_retention_days: Days = Field(
        default=28,
        description="days of closing prices and day sums kept (by kick-off date; docs/odds-comparison.md)",
    )
    dagster_runs_retention_days: Days = Field(
        default=30, description="days of finished Dagster runs (and their event logs) kept"
    )
    alert_list_within_hours: float = Field(default=6.0, gt=0, description="list_soon: kick-off within")
    alert_price_gap: float = Field(
        default=0.05, gt=0, lt=1, description="price_out_of_line: share below best"
    )
    alert_price_minutes: float = Field(default=15.0, ge=0, description="price_out_of_line: for longer than")
    alert_stale_minutes: float = Field(default=45.0, gt=0, description="feed_stale: newest feed older than")
    alert_live_seen_seconds: float = Field(default=120.0, gt=0, description="live_gap: seen within")
    alert_keys_drift_points: float = Field(default=5.0, gt=0, lt=100, description="keys_drift: points moved")
    alert_retention_below: float = Field(
        default=0.5, gt=0, le=1, description="retention_low: BetPawa's market types kept from T-1 to +5 under"
    )
    alert_cooldown_minutes: float = Field(default=60.0, gt=0, description="between two alerts on one subject")
    alert_retry_max_seconds: float = Field(default=60.0, gt=0, description="longest wait between retries")
    alert_rules_off: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description="alert rules switched off, comma separated: still evaluated and recorded (status `off`), "
        "sent to nobody; the weekly digest counts what each would have raised",
        json_schema_extra={"shown_default": "none"},
    )
    digest_cron: Cron = Field(
        default="0 6 * * 1", description="the weekly digest schedule's cron (it covers the ISO week before)"
    )
    report_public_url: str | None = Field(
        default=None,
        description="where the reports folder is served (https://...): the weekly digest's message links its "
        "page there, besides attaching it",
        json_schema_extra={"shown_default": "none: the page is attached only"},
    )
    book_variables: dict[str, str] = Field(
        default_factory=dict,
        description="one book edition's base URL, request limits, timeouts and retries",
        json_schema_extra={
            "pattern": True,
            "shown_default": "the edition's URL; the book's limits (its kit's)",
        },
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        given = _environ.get()
        return init_settings, _Environment(settings_cls, os.environ if given is None else given)

    @field_validator("countries", mode="before")
    @classmethod
    def _split_countries(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(dict.fromkeys(p for p in re.split(r"[\s,]+", value.strip().lower()) if p))
        return value

    @field_validator("alert_rules_off", mode="before")
    @classmethod
    def _split_rules(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        from palimpsest_pipeline.alerts.rules import RULES

        named = tuple(dict.fromkeys(p for p in re.split(r"[\s,]+", value.strip().lower()) if p))
        unknown = [rule for rule in named if rule not in RULES]
        if unknown:
            raise ValueError(f"names no rule: {', '.join(unknown)} (rules: {', '.join(RULES)})")
        return named

    @field_validator("report_public_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", value):
            raise ValueError("is not an http(s) URL: expected https://host/path")
        return value

    @field_validator("database_url", "dagster_storage_url")
    @classmethod
    def _postgres_with_database(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not parse_postgres_url(value.get_secret_value()).database:
            raise ValueError("names no database: expected a URL ending in /<database>")
        return value

    def _variables(self) -> dict[str, str]:
        """The per-book variables and the two that name the books' competitors and countries."""
        found = dict(self.book_variables)
        found[f"{ENV_PREFIX}COUNTRIES"] = ",".join(self.countries)
        if self.competitors_file is not None:
            found[f"{ENV_PREFIX}COMPETITORS_FILE"] = str(self.competitors_file)
        return found

    def competitors(self) -> Competitors:
        return competitors_from_env(self._variables())

    def site_countries(self) -> tuple[str, ...]:
        """The countries run, each checked against the competitors file."""
        return countries_from_env(self._variables(), self.competitors())

    def book_settings(self, country: str, **urls: str) -> dict[Book, BookSettings]:
        """Settings of the books scraped in ``country``; ``urls`` (``PALIMPSEST_<BOOK>_<CC>_URL`` names)
        win."""
        return settings_from_env({**self._variables(), **urls}, country)

    def cadence_policy(self) -> CadencePolicy:
        """The odds sensor's three tiers (``CadencePolicy`` refuses reaches out of order)."""
        tiers = (
            ("imminent", timedelta(minutes=self.odds_imminent_minutes), self.odds_imminent_every_s),
            ("soon", timedelta(minutes=self.odds_soon_minutes), self.odds_soon_every_s),
            ("later", timedelta(hours=self.odds_horizon_hours), self.odds_later_every_s),
        )
        return CadencePolicy(
            tuple(Tier(name, reach, timedelta(seconds=every)) for name, reach, every in tiers)
        )

    def retention_days(self) -> dict[str, int | None]:
        """Every ``*_RETENTION_DAYS`` setting by variable name (None: keep all)."""
        return {
            variable(f): getattr(self, f) for f in type(self).model_fields if f.endswith("_retention_days")
        }

    def unset(self, names: Iterable[str]) -> list[str]:
        """Those of the per-book variables ``names`` the environment leaves unset or empty."""
        return [name for name in names if not self.book_variables.get(name)]

    @property
    def leadership_window(self) -> timedelta:
        return timedelta(minutes=self.leadership_window_minutes)

    def withdrawal_policy(self) -> WithdrawalPolicy:
        return WithdrawalPolicy(self.withdraw_after_misses, self.catalogue_max_drop_share)

    def alert_settings(self) -> AlertSettings:
        return AlertSettings(**{name: getattr(self, f"alert_{name}") for name in AlertSettings.model_fields})

    @property
    def automation_running(self) -> bool:
        return self.automation == "running"


def variable(field: str) -> str:
    """The environment variable of a field: ``PALIMPSEST_<FIELD>``."""
    return f"{ENV_PREFIX}{field.upper()}"


def without_passwords(text: str) -> str:
    """``text`` with every URL's password replaced by ``***``."""
    return _URL_PASSWORD.sub(r"\1***@", text)


def load_settings(environ: Mapping[str, str] | None = None) -> PalimpsestSettings:
    """The settings from ``environ`` (default: the process environment); a bad value raises
    ``SettingsLoadError`` naming each variable and its value, secrets masked."""
    given = os.environ if environ is None else environ
    retired = [
        f"{name} is no longer read: set {instead}" for name, instead in RETIRED.items() if name in given
    ]
    retired += refusals(given)  # PALIMPSEST_<BOOK>_URL and the like: each edition's names its country
    if retired:
        raise SettingsLoadError("; ".join(retired))
    token = _environ.set(given)
    try:
        settings = PalimpsestSettings()
    except ValidationError as error:
        problems = []
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else "?"
            name = variable(field)
            extra = getattr(PalimpsestSettings.model_fields.get(field), "json_schema_extra", None)
            secret = isinstance(extra, dict) and extra.get("secret")
            shown = "'***'" if secret else repr(str(given.get(name, item.get("input"))))
            problems.append(f"{name}={shown}: {item['msg']}")  # URL passwords are masked below
        raise SettingsLoadError(without_passwords("invalid settings: " + "; ".join(problems))) from None
    finally:
        _environ.reset(token)
    try:  # the countries against the competitors file, every edition's variables set, the tiers' order
        for country in settings.site_countries():
            settings.book_settings(country)
        variables = settings._variables()
        for book, country in {edition_variables()[n] for n in variables if n in edition_variables()}:
            edition_settings(book, country, variables)
        settings.cadence_policy()
    except ValueError as error:
        raise SettingsLoadError(without_passwords(str(error))) from None
    _warn_unknown(given)
    return settings


def _warn_unknown(given: Mapping[str, str]) -> None:
    """One ``UnknownSettingWarning`` per ``PALIMPSEST_*`` variable nothing reads (nor refuses with a
    message), naming the closest known."""
    refused = {name for book in Book for name in refused_variables(book)}
    declared = {variable(field) for field in PalimpsestSettings.model_fields if field != "book_variables"}
    known = declared | set(edition_variables()) | set(RETIRED) | refused
    for name in sorted(given):
        upper = name.upper()
        if not upper.startswith(ENV_PREFIX) or upper in known or _READ_ELSEWHERE.match(upper):
            continue
        closest = difflib.get_close_matches(upper, known, n=1)
        hint = f" (closest known name: {closest[0]})" if closest else ""
        warnings.warn(
            f"{name} is read by no setting and is ignored{hint}", UnknownSettingWarning, stacklevel=2
        )
