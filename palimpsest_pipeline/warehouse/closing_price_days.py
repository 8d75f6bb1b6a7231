"""analytics.closing_price_days: the closing prices summed per kick-off date, site country, competition,
market family and book, rewritten from the stored rows of the competitions a write touched, in the
transaction that wrote them, so the weekly digest reads a week's sums and gap histograms instead of its rows.
Migration 0055 runs the same statement over every stored row
(test_closing_days_statement.py holds the two alike)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import psycopg

from palimpsest_pipeline.warehouse.locks import lock_units

TABLE = "analytics.closing_price_days"

_DELETE = f"""
    DELETE FROM {TABLE} AS d
    USING unnest(%(dates)s::date[], %(competitions)s::text[]) AS g (kickoff_date, competition)
    WHERE d.site_country = %(cc)s AND d.kickoff_date = g.kickoff_date AND d.competition = g.competition
    """

#: Per book: its outcomes, those compared, the gaps' sum, histogram (rounded to a tenth of a point) and the
#: set-aside counts; on BetPawa's row, its bets with an opening and a closing gap against the competitors'
#: rows on the same bets.
INSERT_DAY_SUMS = """
    WITH scope AS (
        SELECT p.* FROM analytics.closing_prices AS p
        JOIN unnest(%(dates)s::date[], %(competitions)s::text[]) AS g (kickoff_date, competition)
            USING (kickoff_date, competition)
        WHERE p.site_country = %(cc)s
    ), books AS (
        SELECT kickoff_date, site_country, sport, competition, market_family, book,
               count(*)::integer AS outcomes,
               count(gap)::integer AS compared,
               sum(gap) AS gap_sum,
               (count(*) FILTER (WHERE gap > 0))::integer AS above_fair,
               sum(opening_gap) FILTER (WHERE gap IS NOT NULL) AS opening_gap_sum,
               (count(opening_gap) FILTER (WHERE gap IS NOT NULL))::integer AS openings_compared,
               (count(*) FILTER (WHERE set_aside IS NULL AND gap IS NULL))::integer AS no_consensus,
               (count(*) FILTER (WHERE set_aside = 'stale'))::integer AS stale,
               (count(*) FILTER (WHERE set_aside = 'suspended'))::integer AS suspended,
               (count(*) FILTER (WHERE set_aside = 'closed'))::integer AS closed,
               (count(*) FILTER (WHERE set_aside = 'kickoff_disagrees'))::integer AS kickoff_disagrees,
               (count(*) FILTER (WHERE set_aside = 'unreadable_price'))::integer AS unreadable_price,
               (count(*) FILTER (WHERE set_aside = 'negative_margin'))::integer AS negative_margin
        FROM scope
        GROUP BY kickoff_date, site_country, sport, competition, market_family, book
    ), bins AS (
        SELECT kickoff_date, site_country, sport, competition, market_family, book,
               round(gap * 1000)::integer AS bin, count(*)::integer AS n
        FROM scope
        WHERE gap IS NOT NULL
        GROUP BY kickoff_date, site_country, sport, competition, market_family, book, bin
    ), histograms AS (
        SELECT kickoff_date, site_country, sport, competition, market_family, book,
               array_agg(bin ORDER BY bin) AS gap_bins, array_agg(n ORDER BY bin) AS gap_bin_counts
        FROM bins
        GROUP BY kickoff_date, site_country, sport, competition, market_family, book
    ), bets AS (
        SELECT kickoff_date, site_country, sr_id, min(sport) AS sport, min(competition) AS competition,
               min(market_family) AS market_family,
               max(gap) FILTER (WHERE book = 'betpawa') AS own_gap,
               max(opening_gap) FILTER (WHERE book = 'betpawa') AS own_opening,
               max(abs(book_fair_probability - consensus_probability)) FILTER (WHERE book = 'betpawa')
                   AS own_off_fair,
               sum(gap) FILTER (WHERE book <> 'betpawa') AS rivals_gaps,
               count(gap) FILTER (WHERE book <> 'betpawa') AS rivals_compared,
               sum(abs(book_fair_probability - consensus_probability))
                   FILTER (WHERE book <> 'betpawa' AND gap IS NOT NULL) AS rivals_off_fair,
               count(book_fair_probability) FILTER (WHERE book <> 'betpawa' AND gap IS NOT NULL)
                   AS rivals_fair
        FROM scope
        GROUP BY kickoff_date, site_country, sr_id, market, specifier, outcome
    ), betpawa_bets AS (
        SELECT * FROM bets WHERE own_gap IS NOT NULL AND own_opening IS NOT NULL
    ), bet_sums AS (
        SELECT kickoff_date, site_country, sport, competition, market_family,
               count(*)::integer AS betpawa_bets,
               sum(own_opening) AS betpawa_opening_sum,
               sum(own_gap) AS betpawa_closing_sum,
               sum(abs(own_opening)) AS betpawa_opening_abs_sum,
               sum(abs(own_gap)) AS betpawa_closing_abs_sum,
               (count(*) FILTER (WHERE abs(own_gap) < abs(own_opening)))::integer AS betpawa_moved_nearer,
               sum(own_off_fair) AS betpawa_off_fair_sum,
               count(own_off_fair)::integer AS betpawa_off_fair_count,
               sum(rivals_gaps) AS rivals_gap_sum,
               sum(rivals_compared)::integer AS rivals_compared,
               sum(rivals_off_fair) AS rivals_off_fair_sum,
               sum(rivals_fair)::integer AS rivals_fair_count
        FROM betpawa_bets
        GROUP BY kickoff_date, site_country, sport, competition, market_family
    ), competition_matches AS (
        SELECT kickoff_date, site_country, sport, competition, count(DISTINCT sr_id)::integer AS matches
        FROM betpawa_bets
        GROUP BY kickoff_date, site_country, sport, competition
    )
    INSERT INTO analytics.closing_price_days (kickoff_date, site_country, sport, competition, market_family,
        book, outcomes, compared, gap_sum, above_fair, opening_gap_sum, openings_compared, no_consensus,
        stale, suspended, closed, kickoff_disagrees, unreadable_price, negative_margin, gap_bins,
        gap_bin_counts, betpawa_bets, betpawa_opening_sum, betpawa_closing_sum, betpawa_opening_abs_sum,
        betpawa_closing_abs_sum, betpawa_moved_nearer, betpawa_off_fair_sum, betpawa_off_fair_count,
        rivals_gap_sum, rivals_compared, rivals_off_fair_sum, rivals_fair_count, betpawa_competition_matches)
    SELECT b.kickoff_date, b.site_country, b.sport, b.competition, b.market_family, b.book,
           b.outcomes, b.compared, b.gap_sum, b.above_fair, b.opening_gap_sum, b.openings_compared,
           b.no_consensus, b.stale, b.suspended, b.closed, b.kickoff_disagrees, b.unreadable_price,
           b.negative_margin, coalesce(h.gap_bins, '{}'), coalesce(h.gap_bin_counts, '{}'),
           s.betpawa_bets, s.betpawa_opening_sum, s.betpawa_closing_sum, s.betpawa_opening_abs_sum,
           s.betpawa_closing_abs_sum, s.betpawa_moved_nearer, s.betpawa_off_fair_sum,
           s.betpawa_off_fair_count, s.rivals_gap_sum, s.rivals_compared, s.rivals_off_fair_sum,
           s.rivals_fair_count, m.matches
    FROM books AS b
    LEFT JOIN histograms AS h USING (kickoff_date, site_country, sport, competition, market_family, book)
    LEFT JOIN bet_sums AS s
        ON b.book = 'betpawa' AND s.kickoff_date = b.kickoff_date AND s.site_country = b.site_country
       AND s.sport = b.sport AND s.competition = b.competition AND s.market_family = b.market_family
    LEFT JOIN competition_matches AS m
        ON s.betpawa_bets IS NOT NULL AND m.kickoff_date = b.kickoff_date AND m.site_country = b.site_country
       AND m.sport = b.sport AND m.competition = b.competition
    ORDER BY b.kickoff_date, b.site_country, b.sport, b.competition, b.market_family, b.book
    """


def replace_closing_price_days(
    conn: psycopg.Connection, site_country: str, competitions: Iterable[tuple[date, str]]
) -> int:
    """Make ``site_country``'s day sums of each (kick-off date, competition) in ``competitions`` those of
    its stored closing rows (none left: none kept); the rows written. Run in the transaction that wrote the
    rows; one writer per site country (its advisory lock, held to the end of that transaction)."""
    groups = sorted(set(competitions))
    if not groups:
        return 0
    params = {
        "cc": site_country,
        "dates": [day for day, _ in groups],
        "competitions": [competition for _, competition in groups],
    }
    with conn.transaction():
        lock_units(conn, [f"{TABLE}:{site_country}"])
        conn.execute(_DELETE, params)
        return conn.execute(INSERT_DAY_SUMS, params).rowcount
