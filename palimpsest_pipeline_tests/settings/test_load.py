"""Loading the settings object: defaults, an error naming each bad variable and its value, secrets masked."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta

import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.settings import SettingsLoadError, UnknownSettingWarning, load_settings


def test_an_empty_environment_loads_the_documented_defaults() -> None:
    settings = load_settings({})
    assert settings.site_countries() == ("ng",)
    assert settings.automation_running
    assert settings.catalogue_cron == "*/15 * * * *"
    assert settings.archive_retention_days == 14 and settings.odds_history_retention_days is None
    assert settings.alert_settings().price_gap == 0.05
    assert settings.cadence_policy().horizon == timedelta(hours=24)
    assert settings.book_settings("ng")[Book.BET9JA].max_in_flight == 15


def test_values_arrive_typed_and_per_edition_variables_reach_their_edition() -> None:
    settings = load_settings(
        {
            "PALIMPSEST_COUNTRIES": "ng, gh",
            "PALIMPSEST_FIXED_NOW": "2026-11-26T05:00:00+01:00",
            "PALIMPSEST_ODDS_HORIZON_HOURS": "12",
            "PALIMPSEST_SPORTYBET_GH_MAX_IN_FLIGHT": "7",
            "PALIMPSEST_AUTOMATION": "stopped",
        }
    )
    assert settings.site_countries() == ("ng", "gh")
    assert settings.fixed_now == datetime(2026, 11, 26, 4, tzinfo=UTC)
    assert settings.cadence_policy().horizon == timedelta(hours=12)
    assert settings.book_settings("gh")[Book.SPORTYBET].max_in_flight == 7
    assert settings.book_settings("ng")[Book.SPORTYBET].max_in_flight == 50
    assert not settings.automation_running


def test_one_error_names_every_bad_variable_with_its_value() -> None:
    with pytest.raises(SettingsLoadError) as raised:
        load_settings({"PALIMPSEST_LIVE_POLL_SECONDS": "2", "PALIMPSEST_AUTOMATION": "paused"})
    message = str(raised.value)
    assert "PALIMPSEST_LIVE_POLL_SECONDS='2'" in message
    assert "PALIMPSEST_AUTOMATION='paused'" in message


def test_secrets_and_url_passwords_are_never_echoed() -> None:
    with pytest.raises(SettingsLoadError) as raised:
        load_settings(
            {"PALIMPSEST_DATABASE_URL": "not a url", "PALIMPSEST_ALERT_URLS": "x", "PALIMPSEST_HOME": ""}
        )
    assert "not a url" not in str(raised.value)
    assert "PALIMPSEST_DATABASE_URL='***'" in str(raised.value)
    with pytest.raises(SettingsLoadError) as raised:
        load_settings({"PALIMPSEST_BET9JA_NG_URL": "ftp://user:hunter2@example.org/"})
    assert "hunter2" not in str(raised.value) and "PALIMPSEST_BET9JA_NG_URL" in str(raised.value)


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("PALIMPSEST_COUNTRIES", "ng,zz", "'zz'"),
        ("PALIMPSEST_BET9JA_NG_MAX_IN_FLIGHT", "many", "PALIMPSEST_BET9JA_NG_MAX_IN_FLIGHT='many'"),
        ("PALIMPSEST_FIXED_NOW", "2026-11-26T05:00:00", "PALIMPSEST_FIXED_NOW='2026-11-26T05:00:00'"),
        ("PALIMPSEST_CATALOGUE_CRON", "*/15 *", "PALIMPSEST_CATALOGUE_CRON='*/15 *'"),
        ("PALIMPSEST_QUARANTINE_RETENTION_DAYS", "0", "PALIMPSEST_QUARANTINE_RETENTION_DAYS='0'"),
    ],
)
def test_each_kind_of_bad_value_fails_the_load_naming_it(variable: str, value: str, named: str) -> None:
    with pytest.raises(SettingsLoadError, match=variable.removeprefix("PALIMPSEST_")) as raised:
        load_settings({variable: value})
    assert named in str(raised.value)


@pytest.mark.parametrize(
    ("variable", "cron"),
    [
        ("PALIMPSEST_CATALOGUE_CRON", "99 99 * * *"),  # minute and hour out of range
        ("PALIMPSEST_MAINTENANCE_CRON", "0 24 * * *"),  # hours run 0-23
        ("PALIMPSEST_LIVE_CRON", "0 0 30 2 *"),  # the 30th of February never comes
    ],
)
def test_a_cron_with_a_field_out_of_range_fails_the_load_naming_its_variable(
    variable: str, cron: str
) -> None:
    with pytest.raises(SettingsLoadError) as raised:
        load_settings({variable: cron})
    assert f"{variable}={cron!r}" in str(raised.value)


def test_a_cron_dagster_schedules_loads() -> None:
    settings = load_settings(
        {"PALIMPSEST_CATALOGUE_CRON": "0  9 * * mon-fri", "PALIMPSEST_LIVE_CRON": "@hourly"}
    )
    assert (settings.catalogue_cron, settings.live_cron) == ("0 9 * * mon-fri", "@hourly")


@pytest.mark.parametrize(
    ("variable", "url"),
    [
        ("PALIMPSEST_BET9JA_NG_URL", "user:secret@bet9ja.example/api"),  # no scheme
        ("PALIMPSEST_BETPAWA_NG_URL", "https://user:secret@/api/"),  # no host
        ("PALIMPSEST_BETPAWA_NG_URL", "https://secret@"),  # a token as the user, no host
        ("PALIMPSEST_SPORTYBET_GH_URL", "sportybet.example:secret@proxy/api"),  # an edition not run (ng only)
    ],
)
def test_a_book_url_without_scheme_or_host_fails_the_load_naming_it_never_its_credentials(
    variable: str, url: str
) -> None:
    with pytest.raises(SettingsLoadError) as raised:
        load_settings({variable: url})
    assert variable in str(raised.value) and "http" in str(raised.value)
    assert "secret" not in str(raised.value)


@pytest.mark.parametrize(
    ("variable", "instead"),
    [
        ("PALIMPSEST_BETPAWA_URL", "PALIMPSEST_BETPAWA_NG_URL"),
        ("PALIMPSEST_SPORTYBET_MAX_IN_FLIGHT", "PALIMPSEST_SPORTYBET_NG_MAX_IN_FLIGHT"),
        ("palimpsest_msport_pause_s", "PALIMPSEST_MSPORT_NG_PAUSE_S"),
    ],
)
def test_a_countryless_book_variable_fails_the_load_naming_the_one_to_set(
    variable: str, instead: str
) -> None:
    """Whatever the countries run (Ghana only here), never silently ignored nor read for Nigeria."""
    with pytest.raises(SettingsLoadError) as raised:
        load_settings({"PALIMPSEST_COUNTRIES": "gh", variable: "5"})
    assert f"{variable.upper()} is no longer read: set {instead}" in str(raised.value)


def test_each_palimpsest_variable_nothing_reads_is_warned_by_name() -> None:
    """A misspelt setting and an edition ``editions.toml`` lacks (SportyBet has no Senegal site, Bet9ja no
    Ghana one) are named; settings, editions' variables, and the tests' own variables are not."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        load_settings(
            {
                "PALIMPSEST_CATALOGE_CRON": "0 * * * *",
                "PALIMPSEST_SPORTYBET_SN_URL": "https://sportybet.example/",
                "palimpsest_bet9ja_gh_max_in_flight": "5",
                "PALIMPSEST_CATALOGUE_CRON": "0 * * * *",
                "PALIMPSEST_SPORTYBET_GH_URL": "https://sportybet.example/",
                "PALIMPSEST_BET9JA_NG_MAX_IN_FLIGHT": "5",
                "PALIMPSEST_TEST_DATABASE_URL": "postgresql://localhost/test",
                "PATH": "/usr/bin",
            }
        )
    unknown = [str(w.message) for w in caught if issubclass(w.category, UnknownSettingWarning)]
    assert [message.split()[0] for message in unknown] == [
        "PALIMPSEST_CATALOGE_CRON",
        "PALIMPSEST_SPORTYBET_SN_URL",
        "palimpsest_bet9ja_gh_max_in_flight",
    ]
    assert "PALIMPSEST_CATALOGUE_CRON" in unknown[0]


def test_the_retired_dagster_database_name_fails_naming_the_one_to_use() -> None:
    with pytest.raises(SettingsLoadError) as raised:
        load_settings({"PALIMPSEST_DAGSTER_DATABASE_URL": "postgresql://u:secret@h/d"})
    assert "PALIMPSEST_DAGSTER_STORAGE_URL" in str(raised.value)
    assert "secret" not in str(raised.value)


def test_the_layers_own_defaults_are_the_settings_defaults() -> None:
    """The layers below take values and keep a default for direct callers (tests, benchmarks): each is the
    settings object's, so a default changed in one place only fails here."""
    from palimpsest_pipeline.alerts.settings import AlertSettings
    from palimpsest_pipeline.scrape.cadence import DEFAULT_POLICY
    from palimpsest_pipeline.warehouse.withdrawal import DEFAULT_WITHDRAWAL

    settings = load_settings({})
    assert settings.alert_settings() == AlertSettings()
    assert settings.cadence_policy() == DEFAULT_POLICY
    assert settings.withdrawal_policy() == DEFAULT_WITHDRAWAL


def test_a_given_mapping_is_read_instead_of_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PALIMPSEST_CATALOGUE_CRON", "0 * * * *")
    assert load_settings({}).catalogue_cron == "*/15 * * * *"
    assert load_settings().catalogue_cron == "0 * * * *"
