"""Two site countries' analytics rows, built by hand: Nigeria (BetPawa, SportyBet, Bet9ja, MSport) and Ghana
(BetPawa, SportyBet, MSport, Betika), with the figures the report, the alerts and the demo's summary must
show.

The same SportRadar match (1001, Arsenal v Chelsea) is on both countries' sites with different prices and
books, so a reader that mixes the countries shows figures neither has. Every expected figure below is worked
out by hand from the rows, not by the code under test.

Nigeria: 1001 on all four books (matched); 1002 on SportyBet and MSport (competitor only, to list); 1003 on
BetPawa alone (BetPawa only, basketball). Ghana: 1001 on its four books (matched); 2002 on MSport alone and
2003 on SportyBet and MSport (both competitor only, to list).

Prices on 1001's 1X2 (home, draw, away), the best in brackets:
  ng  betpawa 2.00 3.40 3.60 | sportybet 2.10 3.30 3.70 | bet9ja 2.05 3.35 3.50 | msport 2.20 3.20 3.60
      home: best msport 2.20, BetPawa 1 - 2.00/2.20 = 9.1 % below, rank 4; draw: BetPawa best;
      away: best sportybet 3.70, BetPawa 1 - 3.60/3.70 = 2.7 % below, rank 2 (MSport ties it).
  gh  betpawa 2.10 3.00 3.95 | sportybet 2.05 3.50 3.60 | msport 2.00 3.30 3.90 | betika 1.95 2.90 3.80
      home: BetPawa best; draw: best sportybet 3.50, BetPawa 1 - 3.00/3.50 = 14.3 % below, rank 3;
      away: BetPawa best.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import psycopg

#: The instant the rows were computed at, and the alerts evaluated at.
AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DAY = date(2026, 11, 25)

#: (site country, sr id, sport, country, tournament key, tournament, home, away, kick-off hour, books)
MATCHES = [
    ("ng", 1001, "football", "England", "sr:tournament:17", "Premier League", "Arsenal", "Chelsea", 15,
     ("betpawa", "sportybet", "bet9ja", "msport")),
    ("ng", 1002, "football", "England", "sr:tournament:17", "Premier League", "Everton", "Fulham", 16,
     ("sportybet", "msport")),
    ("ng", 1003, "basketball", "Spain", "sr:tournament:264", "ACB", "Real Madrid", "Barcelona", 17,
     ("betpawa",)),
    ("gh", 1001, "football", "England", "sr:tournament:17", "Premier League", "Arsenal", "Chelsea", 15,
     ("betpawa", "sportybet", "msport", "betika")),
    ("gh", 2002, "football", "Ghana", "sr:tournament:1000", "Ghana Premier League", "Hearts", "Kotoko", 15,
     ("msport",)),
    ("gh", 2003, "football", "Ghana", "sr:tournament:1000", "Ghana Premier League", "Aduana", "Medeama", 19,
     ("sportybet", "msport")),
]  # fmt: skip

#: 1001's 1X2 prices per site country and book: home (1), draw (2), away (3).
PRICES = {
    "ng": {
        "betpawa": (2.00, 3.40, 3.60),
        "sportybet": (2.10, 3.30, 3.70),
        "bet9ja": (2.05, 3.35, 3.50),
        "msport": (2.20, 3.20, 3.60),
    },
    "gh": {
        "betpawa": (2.10, 3.00, 3.95),
        "sportybet": (2.05, 3.50, 3.60),
        "msport": (2.00, 3.30, 3.90),
        "betika": (1.95, 2.90, 3.80),
    },
}
#: Median 1X2 margins per site country and book (one market each: the median is the value).
MARGINS = {
    "ng": {"betpawa": 0.07, "sportybet": 0.06, "bet9ja": 0.08, "msport": 0.05},
    "gh": {"betpawa": 0.09, "sportybet": 0.04, "msport": 0.03, "betika": 0.06},
}
#: Main-market price moves per site country and book: (moves, led, followed).
LEADERSHIP = {"ng": {"sportybet": (10, 8, 2)}, "gh": {"msport": (6, 6, 0)}}

#: What each country's summary and page must show, worked out from MATCHES and PRICES.
EXPECTED = {
    "ng": {
        "books": ["betpawa", "sportybet", "bet9ja", "msport"],
        "events_per_book": {"betpawa": 2, "sportybet": 2, "bet9ja": 1, "msport": 2},
        "total": 3, "matched": 1, "betpawa_only": 1, "competitor_only": 1, "on_every_book": 1,
        "to_list": [1002],
        "best_share": 1 / 3,
        "median_gap": 3.60 / 3.70 - 1,  # the middle of 2.00/2.20 - 1, 0 and 3.60/3.70 - 1
        "out_of_line": [("Arsenal v Chelsea", "msport", 9.1), ("Arsenal v Chelsea", "sportybet", 2.7)],
        "coverage_by_tournament": {"Premier League": (1, 1, 0), "ACB": (0, 0, 1)},
    },
    "gh": {
        "books": ["betpawa", "sportybet", "msport", "betika"],
        "events_per_book": {"betpawa": 1, "sportybet": 2, "msport": 3, "betika": 1},
        "total": 3, "matched": 1, "betpawa_only": 0, "competitor_only": 2, "on_every_book": 1,
        "to_list": [2002, 2003],
        "best_share": 2 / 3,
        "median_gap": 0.0,
        "out_of_line": [("Arsenal v Chelsea", "sportybet", 14.3)],
        "coverage_by_tournament": {"Premier League": (1, 0, 0), "Ghana Premier League": (0, 2, 0)},
    },
}  # fmt: skip


def _kickoff(hour: int) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hour, tzinfo=UTC)


def _insert(conn: psycopg.Connection, table: str, row: dict[str, object]) -> None:
    """One row into ``analytics.<table>`` (names are this module's constants, never input)."""
    columns = ", ".join(row)
    values = ", ".join(f"%({name})s" for name in row)
    conn.execute(f"INSERT INTO analytics.{table} ({columns}) VALUES ({values})", row)


def _status(books: tuple[str, ...]) -> str:
    if "betpawa" not in books:
        return "competitor_only"
    return "betpawa_only" if len(books) == 1 else "matched"


def seed_two_countries(conn: psycopg.Connection) -> None:
    """Write both countries' rows: matches and listings, coverage at every level, coverage history, what to
    list, 1001's 1X2 comparison and prices, margins and price leadership."""
    for cc, sr_id, sport, country, key, tournament, home, away, hour, books in MATCHES:
        where = {"kickoff_date": DAY, "site_country": cc, "match_key": f"sr:{sr_id}"}
        names = {"sport": sport, "country": country, "tournament": tournament, "home": home, "away": away}
        _insert(conn, "matches", {
            **where, **names, "sr_id": sr_id, "kickoff": _kickoff(hour), "name_source": books[0],
            "book_count": len(books), "status": _status(books),
            "linked_by": "sportradar" if len(books) > 1 else None, "tournament_key": key,
            "sr_tournament_id": key, "canonical_tournament": tournament, "computed_at": AT,
        })  # fmt: skip
        for book in books:
            _insert(conn, "match_listings", {
                **where, "book": book, "event_id": f"{book}-{cc}-{sr_id}", "computed_at": AT,
            })  # fmt: skip
        if _status(books) == "competitor_only":
            _insert(conn, "to_list_now", {
                **where, **names, "sr_id": sr_id, "kickoff": _kickoff(hour),
                "hours_to_kickoff": (_kickoff(hour) - AT).total_seconds() / 3600, "listed_by": list(books),
                "first_listed_at": AT - timedelta(hours=2), "hours_listed_by_competitor": 2.0,
                "computed_at": AT,
            })  # fmt: skip
    _coverage(conn)
    _prices(conn)
    for cc, margins in MARGINS.items():
        for book, margin in margins.items():
            _insert(conn, "market_margins_stored", {
                "kickoff_date": DAY, "site_country": cc, "sr_id": 1001, "market": 1, "specifier": "",
                "book": book, "outcomes_expected": 3, "outcomes_open": 3, "margin": margin, "computed_at": AT,
            })  # fmt: skip
    for cc, by_book in LEADERSHIP.items():
        for book, (moves, led, followed) in by_book.items():
            _insert(conn, "price_leadership", {
                "kickoff_date": DAY, "site_country": cc, "sport": "football", "country": "England",
                "tournament": "Premier League", "market": 1, "book": book, "moves": moves, "moves_led": led,
                "led_moves_followed": 0, "moves_followed": followed, "moves_late": 0,
                "median_follow_lag_minutes": 3.0 if followed else None, "moves_missed": 0,
                "window_minutes": 30, "computed_at": AT,
            })  # fmt: skip


#: Coverage groups per country, counted by hand from MATCHES: (level, sport, country, tournament key,
#: tournament, total, matched, BetPawa only, competitor only, several competitors only, on every book).
GROUPS = {
    "ng": [
        ("overall", None, None, None, None, 3, 1, 1, 1, 1, 1),
        ("sport", "football", None, None, None, 2, 1, 0, 1, 1, 1),
        ("sport", "basketball", None, None, None, 1, 0, 1, 0, 0, 0),
        ("country", "football", "England", None, None, 2, 1, 0, 1, 1, 1),
        ("country", "basketball", "Spain", None, None, 1, 0, 1, 0, 0, 0),
        ("tournament", "football", "England", "sr:tournament:17", "Premier League", 2, 1, 0, 1, 1, 1),
        ("tournament", "basketball", "Spain", "sr:tournament:264", "ACB", 1, 0, 1, 0, 0, 0),
    ],
    "gh": [
        ("overall", None, None, None, None, 3, 1, 0, 2, 1, 1),
        ("sport", "football", None, None, None, 3, 1, 0, 2, 1, 1),
        ("country", "football", "England", None, None, 1, 1, 0, 0, 0, 1),
        ("country", "football", "Ghana", None, None, 2, 0, 0, 2, 1, 0),
        ("tournament", "football", "England", "sr:tournament:17", "Premier League", 1, 1, 0, 0, 0, 1),
        ("tournament", "football", "Ghana", "sr:tournament:1000", "Ghana Premier League", 2, 0, 0, 2, 1, 0),
    ],
}
#: Each book's overall row: events, not on BetPawa, BetPawa has and it lacks, on it alone.
BOOK_COVERAGE = {
    "ng": [
        ("betpawa", 2, 0, 0, 1),
        ("sportybet", 2, 1, 1, 0),
        ("bet9ja", 1, 0, 1, 0),
        ("msport", 2, 1, 1, 0),
    ],
    "gh": [
        ("betpawa", 1, 0, 0, 0),
        ("sportybet", 2, 1, 0, 0),
        ("msport", 3, 2, 0, 1),
        ("betika", 1, 0, 0, 0),
    ],
}


def _coverage(conn: psycopg.Connection) -> None:
    for cc, rows in GROUPS.items():
        for (
            level,
            sport,
            country,
            key,
            tournament,
            total,
            matched,
            bp_only,
            comp_only,
            several,
            every,
        ) in rows:
            counts = {
                "total": total,
                "matched": matched,
                "betpawa_only": bp_only,
                "competitor_only": comp_only,
            }
            rates = {
                "match_rate": matched / total,
                "betpawa_coverage": matched / (matched + comp_only) if matched + comp_only else None,
            }
            _insert(conn, "coverage_groups", {
                "kickoff_date": DAY, "site_country": cc, "level": level, "sport": sport, "country": country,
                "tournament_key": key, "tournament": tournament, "placed": True if key else None,
                "sr_tournament_id": key, **counts, "several_competitors_only": several,
                "on_every_book": every, "without_sr_id": 0, "linked_by_genius": 0, **rates, "computed_at": AT,
            })  # fmt: skip
            if level == "overall":
                _insert(conn, "coverage_history", {
                    "computed_at": AT, "site_country": cc, "kickoff_date": DAY, **counts, **rates,
                })  # fmt: skip
    for cc, rows_of_books in BOOK_COVERAGE.items():
        for book, events, not_on_betpawa, betpawa_not_on_it, only_on_it in rows_of_books:
            _insert(conn, "coverage", {
                "kickoff_date": DAY, "site_country": cc, "level": "overall", "book": book, "events": events,
                "not_on_betpawa": not_on_betpawa, "betpawa_not_on_it": betpawa_not_on_it,
                "only_on_it": only_on_it, "catalogue_at": AT, "catalogue_stale": False, "computed_at": AT,
            })  # fmt: skip


def _prices(conn: psycopg.Connection) -> None:
    """1001's 1X2 in each country: every book's price, and the best, BetPawa's gap and rank per outcome."""
    for cc, by_book in PRICES.items():
        for place, (outcome, name) in enumerate(((1, "1"), (2, "X"), (3, "2"))):
            prices = {book: triple[place] for book, triple in by_book.items()}
            best = max(prices.values())
            best_books = [book for book in by_book if prices[book] == best]
            where = {
                "kickoff_date": DAY, "site_country": cc, "sr_id": 1001, "market": 1, "specifier": "",
                "outcome": outcome, "computed_at": AT,
            }  # fmt: skip
            _insert(conn, "outcome_comparison", {
                **where, "market_name": "1X2", "outcome_name": name, "best_price": best,
                "best_book": best_books[0], "best_books": best_books,
                "betpawa_gap": prices["betpawa"] / best - 1,
                "betpawa_rank": 1 + sum(price > prices["betpawa"] for price in prices.values()),
                "books_offering": len(prices), "fair_price": None, "fair_books": 0,
            })  # fmt: skip
            for book, price in prices.items():
                _insert(conn, "outcome_prices_stored", {
                    **where, "book": book, "price": price, "stale": False, "suspect": False,
                })  # fmt: skip
        for book in by_book:  # every book's prices captured five minutes before
            _insert(conn, "comparison_confirmations", {
                "kickoff_date": DAY, "site_country": cc, "sr_id": 1001, "book": book,
                "captured_at": AT - timedelta(minutes=5), "computed_at": AT,
            })  # fmt: skip
