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
    settings = settings_from_env({}, "ng")
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
            "PALIMPSEST_BET9JA_NG_URL": "http://127.0.0.1:8000/desktop/feapi/PalimpsestAjax",
            "PALIMPSEST_BET9JA_NG_MAX_IN_FLIGHT": "4",
            "PALIMPSEST_BET9JA_NG_PAUSE_S": "0",
            "PALIMPSEST_BET9JA_NG_V_CACHE_VERSION": "1.326.2.248",
            "PALIMPSEST_BETPAWA_NG_READ_TIMEOUT_S": "2.5",
            "UNRELATED": "x",
        },
        "ng",
    )
    nine = settings[Book.BET9JA]
    assert nine.base_url == "http://127.0.0.1:8000/desktop/feapi/PalimpsestAjax/"  # trailing slash added
    assert (nine.max_in_flight, nine.pause_s, nine.v_cache_version) == (4, 0.0, "1.326.2.248")
    assert settings[Book.BETPAWA].read_timeout_s == 2.5
    assert settings[Book.SPORTYBET].max_in_flight == 50


def test_with_no_configuration_nigeria_reads_every_scraped_book() -> None:
    # Nigeria's rivals (competitors.toml: SportyBet, Bet9ja, MSport, Betway) are every book scraped, in order
    assert list(settings_from_env({}, "ng")) == _scraped(
        Book.SPORTYBET, Book.BET9JA, Book.MSPORT, Book.BETWAY
    )
    assert list(settings_by_country({})) == ["ng"]


def test_a_country_edition_is_overridden_by_its_own_variables() -> None:
    env = {
        "PALIMPSEST_COUNTRIES": "ng,gh",
        "PALIMPSEST_SPORTYBET_NG_URL": "http://127.0.0.1:9/ng-sporty/",
        "PALIMPSEST_SPORTYBET_NG_MAX_ATTEMPTS": "2",
        "PALIMPSEST_SPORTYBET_GH_URL": "http://127.0.0.1:9/gh-sporty/",
        "PALIMPSEST_SPORTYBET_GH_MAX_IN_FLIGHT": "7",
        "PALIMPSEST_BETPAWA_NG_READ_TIMEOUT_S": "3",
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
    assert nigeria[Book.BETPAWA].read_timeout_s == 3.0
    assert ghana[Book.BETPAWA].read_timeout_s == 30.0  # Nigeria's variable is Nigeria's alone


def test_ghanas_and_nigerias_urls_are_read_the_same_way() -> None:
    """One rule for every country: PALIMPSEST_<BOOK>_<CC>_URL, Nigeria no different from Ghana."""
    env = {
        "PALIMPSEST_COUNTRIES": "ng,gh",
        "PALIMPSEST_BETPAWA_NG_URL": "http://127.0.0.1:9/pawa-ng",
        "PALIMPSEST_BETPAWA_GH_URL": "http://127.0.0.1:9/pawa-gh",
        "PALIMPSEST_MSPORT_NG_MAX_IN_FLIGHT": "3",
        "PALIMPSEST_MSPORT_GH_MAX_IN_FLIGHT": "4",
    }
    by_country = settings_by_country(env)
    assert by_country["ng"][Book.BETPAWA].base_url == "http://127.0.0.1:9/pawa-ng/"
    assert by_country["gh"][Book.BETPAWA].base_url == "http://127.0.0.1:9/pawa-gh/"
    assert (by_country["ng"][Book.MSPORT].max_in_flight, by_country["gh"][Book.MSPORT].max_in_flight) == (
        3,
        4,
    )
    # and without its variable, each country's edition keeps its own URL, Nigeria's as Ghana's
    plain = settings_by_country({"PALIMPSEST_COUNTRIES": "ng,gh"})
    assert plain["ng"][Book.SPORTYBET].base_url == "https://www.sportybet.com/api/ng/factsCenter/"
    assert plain["gh"][Book.BETPAWA].base_url == "https://www.betpawa.com.gh/api/sportsbook/v4/"


@pytest.mark.parametrize(
    ("variable", "instead"),
    [
        ("PALIMPSEST_BETPAWA_URL", "PALIMPSEST_BETPAWA_NG_URL"),
        ("PALIMPSEST_SPORTYBET_MAX_IN_FLIGHT", "PALIMPSEST_SPORTYBET_NG_MAX_IN_FLIGHT"),
        ("PALIMPSEST_MSPORT_V_CACHE_VERSION", "PALIMPSEST_MSPORT_NG_V_CACHE_VERSION"),
    ],
)
def test_a_countryless_book_variable_is_refused_naming_the_one_to_use(variable: str, instead: str) -> None:
    """It used to speak for Nigeria: read now it would make Nigeria special, ignored it would be lost."""
    with pytest.raises(SettingsError) as caught:
        settings_from_env({variable: "http://127.0.0.1:9/"}, "ng")
    assert f"{variable} is no longer read: set {instead}" in str(caught.value)
    with pytest.raises(SettingsError, match=f"set {instead}"):  # Ghana's run refuses it as well
        settings_from_env({variable: "http://127.0.0.1:9/"}, "gh")


def test_a_bad_country_variable_is_named() -> None:
    with pytest.raises(SettingsError) as caught:
        settings_by_country({"PALIMPSEST_COUNTRIES": "gh", "PALIMPSEST_BETPAWA_GH_MAX_ATTEMPTS": "0"})
    assert "invalid betpawa gh settings: PALIMPSEST_BETPAWA_GH_MAX_ATTEMPTS='0'" in str(caught.value)


@pytest.mark.parametrize(
    ("variable", "value", "complaint"),
    [
        ("PALIMPSEST_BET9JA_NG_MAX_IN_FLIGHT", "many", "valid integer"),
        ("PALIMPSEST_BET9JA_NG_MAX_IN_FLIGHT", "0", "greater than or equal to 1"),
        ("PALIMPSEST_SPORTYBET_NG_URL", "www.sportybet.com/api", "absolute http(s) URL"),
        ("PALIMPSEST_BETPAWA_NG_PAUSE_S", "-1", "greater than or equal to 0"),
        ("PALIMPSEST_BETPAWA_NG_MAX_INFLATE_RATIO", "1", "greater than or equal to 2"),
    ],
)
def test_bad_values_name_the_variable(variable: str, value: str, complaint: str) -> None:
    with pytest.raises(SettingsError) as caught:
        settings_from_env({variable: value}, "ng")
    assert variable in str(caught.value) and complaint in str(caught.value)


@pytest.mark.parametrize("variable", ["PALIMPSEST_SPORTYBET_COUNTRY", "PALIMPSEST_SPORTYBET_OPERID"])
def test_a_retired_country_variable_is_refused_not_ignored(variable: str) -> None:
    """A deployment that chose SportyBet's country this way would read Nigeria's site without a word."""
    with pytest.raises(SettingsError) as caught:
        settings_from_env({variable: "gh"}, "ng")
    assert f"{variable} is no longer read" in str(caught.value) and "PALIMPSEST_COUNTRIES" in str(
        caught.value
    )
