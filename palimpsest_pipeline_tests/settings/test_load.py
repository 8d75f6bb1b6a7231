"""Loading the settings object: defaults, an error naming each bad variable and its value, secrets masked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.settings import SettingsLoadError, load_settings


def test_an_empty_environment_loads_the_documented_defaults() -> None:
    settings = load_settings({})
    assert settings.site_countries() == ("ng",)
    assert settings.automation_running
    assert settings.catalogue_cron == "*/15 * * * *"
    assert settings.archive_retention_days == 14 and settings.odds_history_retention_days is None
    assert settings.alert_settings().price_gap == 0.05
    assert settings.cadence_policy().horizon == timedelta(hours=24)
    assert settings.book_settings()[Book.BET9JA].max_in_flight == 15


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
        load_settings({"PALIMPSEST_BET9JA_URL": "ftp://user:hunter2@example.org/"})
    assert "hunter2" not in str(raised.value) and "PALIMPSEST_BET9JA_URL" in str(raised.value)


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("PALIMPSEST_COUNTRIES", "ng,zz", "'zz'"),
        ("PALIMPSEST_BET9JA_MAX_IN_FLIGHT", "many", "PALIMPSEST_BET9JA_MAX_IN_FLIGHT='many'"),
        ("PALIMPSEST_FIXED_NOW", "2026-11-26T05:00:00", "PALIMPSEST_FIXED_NOW='2026-11-26T05:00:00'"),
        ("PALIMPSEST_CATALOGUE_CRON", "*/15 *", "PALIMPSEST_CATALOGUE_CRON='*/15 *'"),
        ("PALIMPSEST_QUARANTINE_RETENTION_DAYS", "0", "PALIMPSEST_QUARANTINE_RETENTION_DAYS='0'"),
    ],
)
def test_each_kind_of_bad_value_fails_the_load_naming_it(variable: str, value: str, named: str) -> None:
    with pytest.raises(SettingsLoadError, match=variable.removeprefix("PALIMPSEST_")) as raised:
        load_settings({variable: value})
    assert named in str(raised.value)


def test_the_retired_dagster_database_name_fails_naming_the_one_to_use() -> None:
    with pytest.raises(SettingsLoadError) as raised:
        load_settings({"PALIMPSEST_DAGSTER_DATABASE_URL": "postgresql://u:secret@h/d"})
    assert "PALIMPSEST_DAGSTER_STORAGE_URL" in str(raised.value)
    assert "secret" not in str(raised.value)


def test_the_layers_own_defaults_are_the_settings_defaults() -> None:
    """The layers below take values and keep a default for direct callers (tests, benchmarks): each is the
    settings object's, so a default changed in one place only fails here."""
    from palimpsest_pipeline.alerts.settings import AlertSettings
    from palimpsest_pipeline.derive.leadership import DEFAULT_WINDOW
    from palimpsest_pipeline.scrape.cadence import DEFAULT_POLICY
    from palimpsest_pipeline.scrape.live import DEFAULT_POLL_SECONDS
    from palimpsest_pipeline.warehouse.catalogue_store import DEFAULT_WITHDRAWAL

    settings = load_settings({})
    assert settings.alert_settings() == AlertSettings()
    assert settings.leadership_window == DEFAULT_WINDOW
    assert settings.cadence_policy() == DEFAULT_POLICY
    assert settings.live_poll_seconds == DEFAULT_POLL_SECONDS
    assert settings.withdrawal_policy() == DEFAULT_WITHDRAWAL


def test_a_given_mapping_is_read_instead_of_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PALIMPSEST_CATALOGUE_CRON", "0 * * * *")
    assert load_settings({}).catalogue_cron == "*/15 * * * *"
    assert load_settings().catalogue_cron == "0 * * * *"
