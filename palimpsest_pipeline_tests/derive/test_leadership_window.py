"""The leadership window comes from PALIMPSEST_LEADERSHIP_WINDOW_MINUTES, 30 minutes unless set."""

from __future__ import annotations

from datetime import timedelta

import pytest

from palimpsest_pipeline.settings import SettingsLoadError, load_settings


def test_the_window_defaults_to_30_minutes_and_reads_the_setting() -> None:
    assert load_settings({}).leadership_window == timedelta(minutes=30)
    window = load_settings({"PALIMPSEST_LEADERSHIP_WINDOW_MINUTES": " 12.5 "}).leadership_window
    assert window == timedelta(minutes=12.5)


@pytest.mark.parametrize("value", ["0", "-5", "soon", "nan"])
def test_an_unusable_window_names_the_setting(value: str) -> None:
    with pytest.raises(SettingsLoadError, match="PALIMPSEST_LEADERSHIP_WINDOW_MINUTES"):
        load_settings({"PALIMPSEST_LEADERSHIP_WINDOW_MINUTES": value})
