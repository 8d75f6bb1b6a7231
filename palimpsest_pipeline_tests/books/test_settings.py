"""Book settings from the environment."""

from __future__ import annotations

import pytest

from palimpsest_pipeline.books.settings import SettingsError, settings_from_env
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.books.run_countries import settings_by_country


def _scraped(*competitors: Book) -> list[Book]:
    """BetPawa, then ``competitors`` (given in ``records.Book`` order): every book is scraped."""
    return [Book.BETPAWA, *competitors]


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
    assert {book: s.site_country for book, s in settings.items()} == dict.fromkeys(settings, "ng")


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


def test_with_no_configuration_nigeria_reads_every_scraped_book() -> None:
    # Nigeria's rivals (competitors.toml: SportyBet, Bet9ja, MSport, Betway) are every book scraped, in order
    assert list(settings_from_env({})) == _scraped(Book.SPORTYBET, Book.BET9JA, Book.MSPORT, Book.BETWAY)
    assert list(settings_by_country({})) == ["ng"]


def test_a_country_edition_is_overridden_by_its_own_variables() -> None:
    env = {
        "PALIMPSEST_COUNTRIES": "ng,gh",
        "PALIMPSEST_SPORTYBET_URL": "http://127.0.0.1:9/ng-sporty/",
        "PALIMPSEST_SPORTYBET_MAX_ATTEMPTS": "2",
        "PALIMPSEST_SPORTYBET_GH_URL": "http://127.0.0.1:9/gh-sporty/",
        "PALIMPSEST_SPORTYBET_GH_MAX_IN_FLIGHT": "7",
        "PALIMPSEST_BETPAWA_NG_READ_TIMEOUT_S": "3",
        "PALIMPSEST_BETPAWA_READ_TIMEOUT_S": "4",
    }
    by_country = settings_by_country(env)
    # Ghana: BetPawa and its scraped rivals among SportyBet, MSport, Betway and Betika; Bet9ja is Nigeria's
    # alone.
    assert {country: list(books) for country, books in by_country.items()} == {
        "ng": _scraped(Book.SPORTYBET, Book.BET9JA, Book.MSPORT, Book.BETWAY),
        "gh": _scraped(Book.SPORTYBET, Book.MSPORT, Book.BETWAY, Book.BETIKA),
    }
    ghana, nigeria = by_country["gh"], by_country["ng"]
    assert (ghana[Book.SPORTYBET].site_country, ghana[Book.SPORTYBET].base_url) == (
        "gh",
        "http://127.0.0.1:9/gh-sporty/",
    )
    assert (ghana[Book.SPORTYBET].max_in_flight, ghana[Book.SPORTYBET].max_attempts) == (
        7,
        4,
    )  # Nigeria's 2 stays there
    assert ghana[Book.BETPAWA].base_url == "https://www.betpawa.com.gh/api/sportsbook/v4/"
    assert ghana[Book.BETPAWA].read_timeout_s == 30.0
    assert nigeria[Book.SPORTYBET].base_url == "http://127.0.0.1:9/ng-sporty/"
    assert (nigeria[Book.SPORTYBET].max_in_flight, nigeria[Book.SPORTYBET].max_attempts) == (50, 2)
    assert nigeria[Book.BETPAWA].read_timeout_s == 3.0  # the country's own variable wins over the book's


def test_a_bad_country_variable_is_named() -> None:
    with pytest.raises(SettingsError) as caught:
        settings_by_country({"PALIMPSEST_COUNTRIES": "gh", "PALIMPSEST_BETPAWA_GH_MAX_ATTEMPTS": "0"})
    assert "invalid betpawa gh settings: PALIMPSEST_BETPAWA_GH_MAX_ATTEMPTS='0'" in str(caught.value)


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


@pytest.mark.parametrize("variable", ["PALIMPSEST_SPORTYBET_COUNTRY", "PALIMPSEST_SPORTYBET_OPERID"])
def test_a_retired_country_variable_is_refused_not_ignored(variable: str) -> None:
    """A deployment that chose SportyBet's country this way would read Nigeria's site without a word."""
    with pytest.raises(SettingsError) as caught:
        settings_from_env({variable: "gh"})
    assert f"{variable} is no longer read" in str(caught.value) and "PALIMPSEST_COUNTRIES" in str(
        caught.value
    )
