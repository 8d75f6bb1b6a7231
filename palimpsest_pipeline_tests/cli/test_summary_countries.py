"""The demo's summary per site country: a block for Nigeria and one for Ghana, each with its own books and
figures (worked out by hand in ``two_countries.py``), never the other's."""

from __future__ import annotations

import psycopg
import pytest

from palimpsest_pipeline.summary import (
    format_countries,
    format_leadership,
    format_pricing,
    format_summary,
    read_leadership,
    read_pricing,
    read_summary,
)
from palimpsest_pipeline.warehouse.site_books import site_countries
from palimpsest_pipeline_tests.two_countries import DAY, EXPECTED, MARGINS, seed_two_countries


def test_the_warehouse_holds_both_countries_nigeria_first(warehouse_conn: psycopg.Connection) -> None:
    assert site_countries(warehouse_conn, DAY, DAY) == ["ng"]  # a fresh warehouse: the default alone
    seed_two_countries(warehouse_conn)
    assert site_countries(warehouse_conn, DAY, DAY) == ["ng", "gh"]


@pytest.mark.parametrize("country", ["ng", "gh"])
def test_each_countrys_coverage_block_has_its_own_books_and_figures(
    warehouse_conn: psycopg.Connection, country: str
) -> None:
    seed_two_countries(warehouse_conn)
    expected = EXPECTED[country]
    summary = read_summary(warehouse_conn, DAY, DAY, site_country=country)
    assert summary.events_per_book == expected["events_per_book"]
    assert list(summary.events_per_book) == expected["books"]
    assert (
        summary.total,
        summary.matched,
        summary.betpawa_only,
        summary.competitor_only,
        summary.on_every_book,
    ) == (
        expected["total"],
        expected["matched"],
        expected["betpawa_only"],
        expected["competitor_only"],
        expected["on_every_book"],
    )
    assert summary.to_list == len(expected["to_list"])
    text = format_summary(summary)
    name = {"ng": "Nigeria (ng)", "gh": "Ghana (gh)"}[country]
    assert text.splitlines()[0] == f"Palimpsest comparison, {name}, kick-off dates {DAY} .. {DAY} (UTC)"
    listed = [line.split() for line in text.splitlines() if line.startswith("  ") and len(line.split()) == 2]
    assert [(book, int(n)) for book, n in listed] == list(expected["events_per_book"].items())
    other = {"ng": "Hearts v Kotoko", "gh": "Everton v Fulham"}[country]
    assert other not in text  # the other country's match to list


@pytest.mark.parametrize("country", ["ng", "gh"])
def test_each_countrys_prices_and_leadership_are_its_own(
    warehouse_conn: psycopg.Connection, country: str
) -> None:
    seed_two_countries(warehouse_conn)
    expected = EXPECTED[country]
    pricing = read_pricing(warehouse_conn, DAY, DAY, site_country=country)
    assert (pricing.events_priced, pricing.outcomes_compared) == (1, 3)
    assert pricing.betpawa_best_share == pytest.approx(expected["best_share"])
    assert pricing.betpawa_median_gap == pytest.approx(expected["median_gap"])
    assert pricing.median_1x2_margin == pytest.approx(MARGINS[country])
    assert list(pricing.median_1x2_margin) == expected["books"]
    assert pricing.suspect_markets == dict.fromkeys(expected["books"], 0)
    assert ("Ghana (gh)" if country == "gh" else "Nigeria (ng)") in format_pricing(pricing)

    books = read_leadership(warehouse_conn, DAY, DAY, site_country=country)
    assert [b.book for b in books] == expected["books"]
    moved = {b.book: (b.moves, b.led, b.followed) for b in books if b.moves}
    assert moved == ({"sportybet": (10, 8, 2)} if country == "ng" else {"msport": (6, 6, 0)})
    lines = format_leadership(books, country).splitlines()
    assert lines[0].startswith(
        f"Who moves prices first, {'Ghana (gh)' if country == 'gh' else 'Nigeria (ng)'}"
    )
    assert len(lines) == 2 + len(expected["books"])


def test_the_demo_prints_a_block_per_country_nigeria_first(warehouse_conn: psycopg.Connection) -> None:
    seed_two_countries(warehouse_conn)
    text = format_countries(warehouse_conn, DAY, DAY)
    heads = [line for line in text.splitlines() if not line.startswith(" ") and line]
    assert heads == [
        f"Palimpsest comparison, Nigeria (ng), kick-off dates {DAY} .. {DAY} (UTC)",
        "Events listed per book:",
        "Tournaments with the most events missing on BetPawa:",
        "To list now (a competitor lists it, BetPawa does not): 1 matches, soonest:",
        "Prices on the same bets, Nigeria (ng) (1 events, all books captured at once):",
        "Who moves prices first, Nigeria (ng) (main-market price moves; analytics.price_leadership):",
        f"Palimpsest comparison, Ghana (gh), kick-off dates {DAY} .. {DAY} (UTC)",
        "Events listed per book:",
        "Tournaments with the most events missing on BetPawa:",
        "To list now (a competitor lists it, BetPawa does not): 2 matches, soonest:",
        "Prices on the same bets, Ghana (gh) (1 events, all books captured at once):",
        "Who moves prices first, Ghana (gh) (main-market price moves; analytics.price_leadership):",
    ]
    nigeria, ghana = text.split("Palimpsest comparison, Ghana (gh)")
    assert "Everton v Fulham" in nigeria and "Hearts v Kotoko" not in nigeria
    assert "Hearts v Kotoko" in ghana and "Aduana v Medeama" in ghana and "Everton v Fulham" not in ghana
    assert "bet9ja" in nigeria and "bet9ja" not in ghana  # Ghana's books are its own
