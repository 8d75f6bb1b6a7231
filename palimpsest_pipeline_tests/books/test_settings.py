"""Book settings from the environment, and the adapter registry."""

from __future__ import annotations

import pytest

from palimpsest_pipeline.books.registry import ADAPTERS, adapter_for
from palimpsest_pipeline.books.settings import SettingsError, settings_from_env
from palimpsest_pipeline.records import Book


def test_defaults_are_the_real_books_with_scraper_limits() -> None:
    settings = settings_from_env({})
    assert settings[Book.BETPAWA].base_url == "https://www.betpawa.ng/api/sportsbook/v4/"
    assert settings[Book.SPORTYBET].base_url == "https://www.sportybet.com/api/ng/factsCenter/"
    assert settings[Book.BET9JA].base_url == "https://sports.bet9ja.com/desktop/feapi/PalimpsestAjax/"
    assert [settings[book].max_in_flight for book in (Book.BETPAWA, Book.SPORTYBET, Book.BET9JA)] == [
        50,
        50,
        15,
    ]
    assert settings[Book.BET9JA].pause_s == 0.025 and settings[Book.BETPAWA].pause_s == 0.0
    assert settings[Book.BET9JA].v_cache_version == "1.301.2.225"
    assert settings[Book.SPORTYBET].country == "ng"


def test_environment_overrides_each_book_separately() -> None:
    settings = settings_from_env(
        {
            "PALIMPSEST_BET9JA_URL": "http://127.0.0.1:8000/desktop/feapi/PalimpsestAjax",
            "PALIMPSEST_BET9JA_MAX_IN_FLIGHT": "4",
            "PALIMPSEST_BET9JA_PAUSE_S": "0",
            "PALIMPSEST_BET9JA_V_CACHE_VERSION": "1.326.2.248",
            "PALIMPSEST_BETPAWA_READ_TIMEOUT_S": "2.5",
            "UNRELATED": "x",
        }
    )
    nine = settings[Book.BET9JA]
    assert nine.base_url == "http://127.0.0.1:8000/desktop/feapi/PalimpsestAjax/"  # trailing slash added
    assert (nine.max_in_flight, nine.pause_s, nine.v_cache_version) == (4, 0.0, "1.326.2.248")
    assert settings[Book.BETPAWA].read_timeout_s == 2.5
    assert settings[Book.SPORTYBET].max_in_flight == 50


def test_sportybet_country_moves_the_default_url() -> None:
    settings = settings_from_env({"PALIMPSEST_SPORTYBET_COUNTRY": "gh"})
    assert settings[Book.SPORTYBET].base_url == "https://www.sportybet.com/api/gh/factsCenter/"


@pytest.mark.parametrize(
    ("variable", "value", "complaint"),
    [
        ("PALIMPSEST_BET9JA_MAX_IN_FLIGHT", "many", "valid integer"),
        ("PALIMPSEST_BET9JA_MAX_IN_FLIGHT", "0", "greater than or equal to 1"),
        ("PALIMPSEST_SPORTYBET_URL", "www.sportybet.com/api", "absolute http(s) URL"),
        ("PALIMPSEST_BETPAWA_PAUSE_S", "-1", "greater than or equal to 0"),
        ("PALIMPSEST_BETPAWA_MAX_INFLATE_RATIO", "1", "greater than or equal to 2"),
    ],
)
def test_bad_values_name_the_variable(variable: str, value: str, complaint: str) -> None:
    with pytest.raises(SettingsError) as caught:
        settings_from_env({variable: value})
    assert variable in str(caught.value) and complaint in str(caught.value)


def test_every_book_has_an_adapter() -> None:
    assert set(ADAPTERS) == set(Book)
    for book in Book:
        assert adapter_for(book).book is book
