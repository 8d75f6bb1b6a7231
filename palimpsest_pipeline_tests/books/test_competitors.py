"""Which books compete with BetPawa where, and which countries run: the packaged default (PLATFORMS.md, "Which
books compete with BetPawa where"), an override from the environment, and bad files naming what and where."""

from __future__ import annotations

from pathlib import Path

import pytest

from palimpsest_pipeline.books.competitors import (
    CompetitorsError,
    competitors_from_env,
    countries_from_env,
)
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.books.run_countries import scraped_books_from_env

BP, SB, B9, MS, BW, BK = Book.BETPAWA, Book.SPORTYBET, Book.BET9JA, Book.MSPORT, Book.BETWAY, Book.BETIKA

#: PLATFORMS.md: SportyBet ng gh ke tz zm cm; MSport ng gh ke ug zm; Betway ng gh tz zm (za) bw mw mz;
#: Betika ke ug tz mw gh; Bet9ja ng. Every other BetPawa country has no known competitor.
DEFAULT = {
    "ng": {SB, B9, MS, BW},
    "gh": {SB, MS, BW, BK},
    "ke": {SB, MS, BK},
    "ug": {MS, BK},
    "tz": {SB, BW, BK},
    "zm": {SB, MS, BW},
    "cm": {SB},
    "bw": {BW},
    "mw": {BW, BK},
    "mz": {BW},
    **{cc: set() for cc in ["rw", "sl", "bj", "cg", "cd", "ls", "ao", "lr", "ml", "ss", "tg", "zw"]},
}


def test_the_default_is_every_betpawa_country_with_the_books_known_there() -> None:
    competitors = competitors_from_env({})
    assert {country: set(books) for country, books in competitors.by_country.items()} == DEFAULT
    assert competitors.source.endswith("competitors.toml")


def _scraped(*competitors: Book) -> tuple[Book, ...]:
    """BetPawa, then ``competitors`` (given in ``records.Book`` order): every book is scraped."""
    return (BP, *competitors)


def test_with_no_configuration_only_nigeria_runs_with_todays_books() -> None:
    assert scraped_books_from_env({}) == {"ng": _scraped(SB, B9, MS, BW)}


def test_countries_from_the_environment_scrape_betpawa_and_its_scraped_rivals() -> None:
    # Zambia's rivals are SportyBet, MSport and Betway; Uganda's MSport and Betika.
    env = {"PALIMPSEST_COUNTRIES": " ZM, ug ng,zm"}
    expected = {"zm": _scraped(SB, MS, BW), "ug": _scraped(MS, BK), "ng": _scraped(SB, B9, MS, BW)}
    assert scraped_books_from_env(env) == expected


def test_a_competitors_file_from_the_environment_replaces_the_default(tmp_path: Path) -> None:
    path = tmp_path / "rivals.toml"
    path.write_text('ng = ["bet9ja"]\ngh = ["sportybet", "msport"]\n', encoding="utf-8")
    env = {"PALIMPSEST_COMPETITORS_FILE": str(path), "PALIMPSEST_COUNTRIES": "gh,ng"}
    competitors = competitors_from_env(env)
    assert competitors.source == str(path)
    assert dict(competitors.by_country) == {"ng": (B9,), "gh": (SB, MS)}
    assert scraped_books_from_env(env) == {"gh": _scraped(SB, MS), "ng": _scraped(B9)}
    with pytest.raises(CompetitorsError) as caught:
        scraped_books_from_env({**env, "PALIMPSEST_COUNTRIES": "ke"})
    message = str(caught.value)
    assert "PALIMPSEST_COUNTRIES='ke'" in message and f"not listed in competitors file {path}" in message


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ('gh = ["hollywoodbets"]', "country 'gh': unknown book 'hollywoodbets'"),
        (
            'ug = ["sportybet"]',
            "country 'ug': book 'sportybet' has no ug edition (its editions: cm gh ke ng tz za zm",
        ),
        (
            'ng = ["bet9ja"]\ngh = ["bet9ja"]',
            "country 'gh': book 'bet9ja' has no gh edition (its editions: ng",
        ),
        ('za = ["betway"]', "country 'za' is not one BetPawa has an edition for"),
        ('gh = "sportybet"', "country 'gh': expected a list of book names"),
        ('gh = ["betpawa"]', "country 'gh': betpawa cannot compete with itself"),
        ('gh = ["msport", "msport"]', "country 'gh': a book is listed twice"),
        ("gh = [", "is not valid TOML"),
    ],
)
def test_a_bad_competitors_file_names_the_file_the_country_and_the_book(
    tmp_path: Path, text: str, complaint: str
) -> None:
    path = tmp_path / "rivals.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CompetitorsError) as caught:
        competitors_from_env({"PALIMPSEST_COMPETITORS_FILE": str(path)})
    assert f"competitors file {path}" in str(caught.value) and complaint in str(caught.value)


def test_a_missing_competitors_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(
        CompetitorsError, match=f"PALIMPSEST_COMPETITORS_FILE='{missing}': the file cannot be read"
    ):
        competitors_from_env({"PALIMPSEST_COMPETITORS_FILE": str(missing)})


@pytest.mark.parametrize(
    ("value", "complaint"), [("fr", "country 'fr' is not listed"), (" , ", "names no country")]
)
def test_an_unknown_country_to_run_is_named(value: str, complaint: str) -> None:
    with pytest.raises(CompetitorsError) as caught:
        countries_from_env({"PALIMPSEST_COUNTRIES": value}, competitors_from_env({}))
    assert f"PALIMPSEST_COUNTRIES={value!r}" in str(caught.value) and complaint in str(caught.value)
