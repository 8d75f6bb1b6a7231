"""The demo's closing summary, read back from the analytics tables as an analyst would see them: one block per
site country the warehouse holds; key health per book."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import psycopg

from palimpsest_pipeline.warehouse.site_books import country_name, ordered_books, site_books, site_countries


def format_countries(conn: psycopg.Connection, first: date, last: date) -> str:
    """Per site country the warehouse holds for [first, last]: coverage, prices and who moves them first."""
    return "\n\n".join(
        block
        for country in site_countries(conn, first, last)
        for block in (
            format_summary(read_summary(conn, first, last, site_country=country)),
            format_pricing(read_pricing(conn, first, last, site_country=country)),
            format_leadership(read_leadership(conn, first, last, site_country=country), country),
        )
    )


@dataclass(frozen=True)
class CoverageSummary:
    site_country: str
    first_date: date
    last_date: date
    events_per_book: dict[str, int]
    total: int
    matched: int
    betpawa_only: int
    competitor_only: int
    on_every_book: int
    top_missing: list[tuple[str, str, str, int]]  # sport, country, tournament, events missing on BetPawa
    #: analytics.to_list_now over the dates: how many, and the soonest (kick-off, where, match, listed by).
    to_list: int = 0
    soonest_to_list: list[tuple[datetime, str, str, str]] = field(default_factory=list)


def read_summary(conn: psycopg.Connection, first: date, last: date, *, site_country: str) -> CoverageSummary:
    """The site country's coverage over [first, last], and the ten tournaments BetPawa misses most there."""
    where = {"first": first, "last": last, "cc": site_country}
    row = conn.execute(
        """
        SELECT coalesce(sum(total), 0), coalesce(sum(matched), 0), coalesce(sum(betpawa_only), 0),
               coalesce(sum(competitor_only), 0), coalesce(sum(on_every_book), 0)
        FROM analytics.coverage_groups
        WHERE kickoff_date BETWEEN %(first)s AND %(last)s AND site_country = %(cc)s AND level = 'overall'
        """,
        where,
    ).fetchone()
    assert row is not None
    listed: dict[str, int] = dict(
        conn.execute(
            """
            SELECT book, sum(events)::bigint FROM analytics.coverage
            WHERE kickoff_date BETWEEN %(first)s AND %(last)s AND site_country = %(cc)s AND level = 'overall'
            GROUP BY book
            """,
            where,
        ).fetchall()
    )
    books = ordered_books([*site_books(conn, site_country, first, last), *map(str, listed)])
    missing = conn.execute(
        """
        SELECT sport, coalesce(country, '-'), coalesce(tournament, '-'), sum(competitor_only)::int AS missing
        FROM analytics.coverage_groups
        WHERE kickoff_date BETWEEN %(first)s AND %(last)s AND site_country = %(cc)s AND level = 'tournament'
        GROUP BY 1, 2, 3 HAVING sum(competitor_only) > 0
        ORDER BY missing DESC, 1, 2, 3 LIMIT 10
        """,
        where,
    ).fetchall()
    to_list = conn.execute(
        """
        SELECT kickoff, sport || ' / ' || coalesce(country, '-') || ' / ' || coalesce(tournament, '-'),
               home || ' v ' || away, array_to_string(listed_by, ', '), count(*) OVER ()
        FROM analytics.to_list_now
        WHERE kickoff_date BETWEEN %(first)s AND %(last)s AND site_country = %(cc)s
        ORDER BY kickoff, match_key LIMIT 5
        """,
        where,
    ).fetchall()
    return CoverageSummary(
        site_country=site_country,
        to_list=int(to_list[0][4]) if to_list else 0,
        soonest_to_list=[(r[0], str(r[1]), str(r[2]), str(r[3])) for r in to_list],
        first_date=first,
        last_date=last,
        events_per_book={book: int(listed.get(book, 0)) for book in books},
        total=int(row[0]),
        matched=int(row[1]),
        betpawa_only=int(row[2]),
        competitor_only=int(row[3]),
        on_every_book=int(row[4]),
        top_missing=[(str(s), str(c), str(t), int(n)) for s, c, t, n in missing],
    )


@dataclass(frozen=True)
class PricingSummary:
    site_country: str
    events_priced: int
    outcomes_compared: int  # outcomes with a BetPawa price and at least one competitor's
    betpawa_best_share: float | None
    betpawa_median_gap: float | None
    median_1x2_margin: dict[str, float | None]
    #: Book markets whose prices cannot be true (analytics.suspect_markets), per book.
    suspect_markets: dict[str, int]


def read_pricing(conn: psycopg.Connection, first: date, last: date, *, site_country: str) -> PricingSummary:
    """How BetPawa's prices compare on the same bets on the site country's sites."""
    where = {"first": first, "last": last, "cc": site_country}
    row = conn.execute(
        """
        SELECT count(DISTINCT c.sr_id), count(*),
               avg((c.betpawa_rank = 1)::int), percentile_cont(0.5) WITHIN GROUP (ORDER BY c.betpawa_gap)
        FROM analytics.outcome_comparison AS c
        JOIN analytics.outcome_prices AS bp
          ON (bp.kickoff_date, bp.site_country, bp.sr_id, bp.market, bp.specifier, bp.outcome, bp.book)
             = (c.kickoff_date, c.site_country, c.sr_id, c.market, c.specifier, c.outcome, 'betpawa')
        WHERE c.kickoff_date BETWEEN %(first)s AND %(last)s AND c.site_country = %(cc)s
          AND bp.price IS NOT NULL AND c.books_offering >= 2
        """,
        where,
    ).fetchone()
    margins = conn.execute(
        """
        SELECT book, percentile_cont(0.5) WITHIN GROUP (ORDER BY margin)
        FROM analytics.market_margins
        WHERE kickoff_date BETWEEN %(first)s AND %(last)s AND site_country = %(cc)s
          AND market = 1 AND specifier = '' AND margin IS NOT NULL
        GROUP BY book
        """,
        where,
    ).fetchall()
    suspects = conn.execute(
        "SELECT book, count(*) FROM analytics.suspect_markets "
        "WHERE kickoff_date BETWEEN %(first)s AND %(last)s AND site_country = %(cc)s GROUP BY book",
        where,
    ).fetchall()
    assert row is not None
    by_book = {str(book): float(m) for book, m in margins}
    suspect_by_book = {str(book): int(n) for book, n in suspects}
    books = ordered_books([*site_books(conn, site_country, first, last), *by_book, *suspect_by_book])
    return PricingSummary(
        site_country=site_country,
        events_priced=int(row[0]),
        outcomes_compared=int(row[1]),
        betpawa_best_share=None if row[2] is None else float(row[2]),
        betpawa_median_gap=None if row[3] is None else float(row[3]),
        median_1x2_margin={book: by_book.get(book) for book in books},
        suspect_markets={book: suspect_by_book.get(book, 0) for book in books},
    )


def format_pricing(pricing: PricingSummary) -> str:
    """The pricing part of the demo's report."""
    return "\n".join(
        [
            f"Prices on the same bets, {_site(pricing.site_country)} ({pricing.events_priced:,} events, "
            "all books captured at once):",
            f"  outcomes BetPawa prices alongside a competitor  {pricing.outcomes_compared:>9,}",
            f"  BetPawa has the best price on                  {pct(pricing.betpawa_best_share):>9}",
            f"  BetPawa's median gap to the best price         {pct(pricing.betpawa_median_gap):>9}",
            "  median 1X2 margin: "
            + ", ".join(f"{book} {pct(m)}" for book, m in pricing.median_1x2_margin.items()),
            "  suspect markets (left out of the comparison): "
            + ", ".join(f"{book} {n:,}" for book, n in pricing.suspect_markets.items()),
        ]
    )


def format_summary(summary: CoverageSummary) -> str:
    """A plain-text report for the terminal."""
    rate = summary.matched / summary.total if summary.total else None
    lines = [
        f"Palimpsest comparison, {_site(summary.site_country)}, kick-off dates {summary.first_date} .. "
        f"{summary.last_date} (UTC)",
        "",
        "Events listed per book:",
        *(f"  {book:<10} {count:>7,}" for book, count in summary.events_per_book.items()),
        "",
        f"  distinct events (all books)   {summary.total:>7,}",
        f"  matched (BetPawa + competitor) {summary.matched:>6,}",
        f"  on every book                 {summary.on_every_book:>7,}",
        f"  BetPawa only                  {summary.betpawa_only:>7,}",
        f"  competitor only (BetPawa lacks){summary.competitor_only:>6,}",
        f"  match rate                    {pct(rate):>7}",
        "",
        "Tournaments with the most events missing on BetPawa:",
    ]
    if not summary.top_missing:
        lines.append("  (none)")
    for sport, country, tournament, missing in summary.top_missing:
        lines.append(f"  {missing:>5}  {sport} / {country} / {tournament}")
    lines += [
        "",
        f"To list now (a competitor lists it, BetPawa does not): {summary.to_list:,} matches, soonest:",
    ]
    if not summary.soonest_to_list:
        lines.append("  (none)")
    for kickoff, where, match, listed_by in summary.soonest_to_list:
        lines.append(f"  {kickoff:%Y-%m-%d %H:%M}  {where}: {match} ({listed_by})")
    return "\n".join(lines)


def pct(value: float | None) -> str:
    """A share as the summary prints it: "12.5%", or "n/a"."""
    return "n/a" if value is None else f"{value:.1%}"


def _site(site_country: str) -> str:
    """The site country as the summary names it: "Nigeria (ng)"."""
    return f"{country_name(site_country)} ({site_country})"


@dataclass(frozen=True)
class BookLeadership:
    """One book's main-market price moves over the dates (analytics.price_leadership): how many, how many it
    led, followed (and the mean of the per-market median lags, weighted by moves followed) and missed."""

    book: str
    moves: int
    led: int
    followed: int
    follow_lag_minutes: float | None
    missed: int


def read_leadership(
    conn: psycopg.Connection, first: date, last: date, *, site_country: str
) -> list[BookLeadership]:
    """Per book of the site country, its price leadership over [first, last] (zeros where none)."""
    led = conn.execute(
        "SELECT DISTINCT book FROM analytics.price_leadership "
        "WHERE kickoff_date BETWEEN %s AND %s AND site_country = %s",
        (first, last, site_country),
    ).fetchall()
    books = ordered_books([*site_books(conn, site_country, first, last), *(str(row[0]) for row in led)])
    rows = conn.execute(
        """
        SELECT b.book, coalesce(sum(l.moves), 0)::int, coalesce(sum(l.moves_led), 0)::int,
               coalesce(sum(l.moves_followed), 0)::int,
               sum(l.median_follow_lag_minutes * l.moves_followed) / nullif(sum(l.moves_followed), 0),
               coalesce(sum(l.moves_missed), 0)::int
        FROM unnest(%(books)s::text[]) WITH ORDINALITY AS b (book, place)
        LEFT JOIN analytics.price_leadership AS l
          ON l.book = b.book AND l.kickoff_date BETWEEN %(first)s AND %(last)s AND l.site_country = %(cc)s
        GROUP BY b.book, b.place ORDER BY b.place
        """,
        {"books": books, "first": first, "last": last, "cc": site_country},
    ).fetchall()
    return [
        BookLeadership(str(book), moves, led, followed, None if lag is None else float(lag), missed)
        for book, moves, led, followed, lag, missed in rows
    ]


def format_leadership(books: list[BookLeadership], site_country: str) -> str:
    """The "who moves prices first" part of the demo's report for one site country: a line per book."""
    lines = [
        f"Who moves prices first, {_site(site_country)} "
        "(main-market price moves; analytics.price_leadership):"
    ]
    if not any(b.moves for b in books):
        return "\n".join([*lines, "  (no price move judged yet: it takes captures that see prices move)"])
    lines.append(f"  {'book':<10} {'moves':>7} {'led':>6} {'followed':>8} {'lag (min)':>9} {'missed':>6}")
    for b in books:
        led = f"{b.led / b.moves:.0%}" if b.moves else "n/a"
        lag = "n/a" if b.follow_lag_minutes is None else f"{b.follow_lag_minutes:.2f}"
        lines.append(f"  {b.book:<10} {b.moves:>7,} {led:>6} {b.followed:>8,} {lag:>9} {b.missed:>6,}")
    return "\n".join(lines)


@dataclass(frozen=True)
class BookKeyHealth:
    """How one book's answers keyed in one run: shares of its open outcomes, the suspect share of its keyed
    ones; a share is None where nothing was counted (captures stored before it was)."""

    book: str
    captures: int
    open_outcomes: int
    keyed_share: float | None
    set_aside_share: float | None
    suspect_share: float | None
    uof_share: float | None
    new_fields: int


def read_key_health(conn: psycopg.Connection, batch_id: str, books: Sequence[str]) -> list[BookKeyHealth]:
    """Per book of ``books`` (zeros where the run captured none) and any other it captured, the key health of
    the successful captures of run ``batch_id``: each share divides sums over the captures that counted it."""
    captured = conn.execute(
        "SELECT DISTINCT book FROM analytics.odds_captures WHERE batch_id = %s", (batch_id,)
    ).fetchall()
    shown = ordered_books([*books, *(str(row[0]) for row in captured)])
    rows = conn.execute(
        """
        SELECT b.book, count(c.book)::int, coalesce(sum(c.open_outcomes), 0)::bigint,
               sum(c.mapped_outcomes)::float8 / nullif(sum(c.open_outcomes), 0),
               sum(c.set_aside_outcomes)::float8
                   / nullif(sum(c.open_outcomes) FILTER (WHERE c.set_aside_outcomes IS NOT NULL), 0),
               sum(c.suspect_outcomes)::float8
                   / nullif(sum(c.mapped_outcomes) FILTER (WHERE c.suspect_outcomes IS NOT NULL), 0),
               sum(c.uof_outcomes) FILTER (WHERE c.canonical_outcomes IS NOT NULL)::float8
                   / nullif(sum(c.open_outcomes) FILTER (WHERE c.canonical_outcomes IS NOT NULL), 0),
               (SELECT count(DISTINCT field)::int
                FROM analytics.odds_captures AS n CROSS JOIN LATERAL unnest(n.new_fields) AS field
                WHERE n.book = b.book AND n.batch_id = %(batch)s AND n.status = 'ok')
        FROM unnest(%(books)s::text[]) WITH ORDINALITY AS b (book, place)
        LEFT JOIN analytics.odds_captures AS c
          ON c.book = b.book AND c.batch_id = %(batch)s AND c.status = 'ok'
        GROUP BY b.book, b.place ORDER BY b.place
        """,
        {"batch": batch_id, "books": shown},
    ).fetchall()
    return [
        BookKeyHealth(str(book), int(captures), int(opened), keyed, set_aside, suspect, uof, int(fields))
        for book, captures, opened, keyed, set_aside, suspect, uof, fields in rows
    ]


def format_key_health(books: list[BookKeyHealth]) -> str:
    """The key-health part of the demo's report: a line per book."""
    header = (
        f"  {'book':<10} {'captures':>8} {'open outcomes':>13} {'keyed':>7} {'set aside':>9} {'suspect':>7} "
        f"{'UOF':>7} {'new fields':>10}"
    )
    return "\n".join(
        [
            "Key health per book (this run's captures; keyed, set aside and UOF-keyed are shares of the open "
            "outcomes, suspect of the keyed):",
            header,
            *(
                f"  {b.book:<10} {b.captures:>8,} {b.open_outcomes:>13,} {pct(b.keyed_share):>7} "
                f"{pct(b.set_aside_share):>9} {pct(b.suspect_share):>7} {pct(b.uof_share):>7} "
                f"{b.new_fields:>10,}"
                for b in books
            ),
        ]
    )
