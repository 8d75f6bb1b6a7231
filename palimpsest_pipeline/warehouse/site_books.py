"""Which site countries the analytics tables hold, which books each one's rows name (a new book or country
shows up once the pipeline stores its rows), and how both read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import psycopg

from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY, Book

#: The tables whose rows say a site country holds data (each keyed by kick-off date, then site country).
_COUNTRY_TABLES = ("analytics.coverage_groups", "analytics.matches")

_COUNTRY_NAMES = {
    "ng": "Nigeria", "gh": "Ghana", "ke": "Kenya", "ug": "Uganda", "tz": "Tanzania", "zm": "Zambia",
    "cm": "Cameroon", "bw": "Botswana", "mw": "Malawi", "mz": "Mozambique", "rw": "Rwanda",
    "sl": "Sierra Leone", "bj": "Benin", "cg": "Congo", "cd": "DR Congo", "ls": "Lesotho", "ao": "Angola",
    "lr": "Liberia", "ml": "Mali", "ss": "South Sudan", "tg": "Togo", "zw": "Zimbabwe",
}  # fmt: skip


def book_name(book: str) -> str:
    """How a book key reads on the page and in an alert (its kit's ``name``); the key if unknown."""
    return KITS[Book(book)].name if book in Book._value2member_map_ else book


def country_name(site_country: str) -> str:
    """How a site country reads (``gh`` -> Ghana); the upper-case code if unknown."""
    return _COUNTRY_NAMES.get(site_country, site_country.upper())


def site_countries(conn: psycopg.Connection, first: date, last: date) -> list[str]:
    """Every site country the analytics tables hold rows of for kick-off dates ``first`` .. ``last``, the
    default first (alone when they hold none), then by code."""
    union = " UNION ".join(
        f"SELECT DISTINCT site_country FROM {table} WHERE kickoff_date BETWEEN %(first)s AND %(last)s"
        for table in _COUNTRY_TABLES  # constants above, never input
    )
    found = {str(row[0]) for row in conn.execute(union, {"first": first, "last": last}).fetchall()}
    return sorted(found | {DEFAULT_SITE_COUNTRY}, key=lambda cc: (cc != DEFAULT_SITE_COUNTRY, cc))


def page_countries(conn: psycopg.Connection, first: date, last: date) -> list[str]:
    """The site countries the traders' page gives a part: those of ``site_countries``, and any with a live gap
    open now or key health judged within a week of the newest judged hour, in the same order."""
    rows = conn.execute(
        """
        SELECT site_country FROM analytics.live_coverage WHERE closed_at IS NULL
        UNION
        SELECT site_country FROM analytics.key_health
        WHERE hour > (SELECT max(hour) FROM analytics.key_health) - interval '7 days'
        """
    ).fetchall()
    found = set(site_countries(conn, first, last)) | {str(row[0]) for row in rows}
    return sorted(found, key=lambda cc: (cc != DEFAULT_SITE_COUNTRY, cc))


def site_books(conn: psycopg.Connection, site_country: str, first: date, last: date) -> list[str]:
    """BetPawa and every book listing a match of the site country kicking off ``first`` .. ``last``, in
    :func:`ordered_books` order."""
    rows = conn.execute(
        """
        SELECT book FROM analytics.match_listings
        WHERE site_country = %(cc)s AND kickoff_date BETWEEN %(first)s AND %(last)s
        UNION SELECT book FROM analytics.coverage
        WHERE site_country = %(cc)s AND kickoff_date BETWEEN %(first)s AND %(last)s
        """,
        {"cc": site_country, "first": first, "last": last},
    ).fetchall()
    return ordered_books({str(row[0]) for row in rows})


def ordered_books(books: Iterable[str]) -> list[str]:
    """BetPawa and ``books`` once each: BetPawa first, then ``records.Book`` order, then the rest by name."""
    order = [book.value for book in Book]
    found = {*books, Book.BETPAWA.value}
    return sorted(found, key=lambda book: (order.index(book) if book in order else len(order), book))


def competitor_names(books: list[str]) -> str:
    """The competitors among ``books`` as prose, by name: "A, B and C" ("no competitor" if none)."""
    names = [book_name(book) for book in books if book != Book.BETPAWA]
    if not names:
        return "no competitor"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
