-- Closing prices per day (issue 54): analytics.closing_prices summed per kick-off date, site country,
-- competition, market family and book, with a histogram of the gaps to a tenth of a point and BetPawa's
-- opening and closing gaps against the competitors' on the same bets, so the weekly digest reads a week from a
-- few thousand rows instead of millions (docs/digest.md, Closing prices). Written by the closing prices step in
-- the transaction that writes the rows (warehouse/closing_price_days.py holds the same statement), rebuilt
-- here from the rows already stored, and dropped with them by the daily maintenance.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0054_weekly_digest

-- analytics.closing_price_days ----------------------------------------------------------------------------------
CREATE TABLE analytics.closing_price_days (
    kickoff_date date NOT NULL,
    site_country text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    sport text NOT NULL,
    competition text NOT NULL,
    market_family text NOT NULL,
    book text NOT NULL,
    outcomes integer NOT NULL CHECK (outcomes > 0),
    compared integer NOT NULL CHECK (compared >= 0 AND compared <= outcomes),
    gap_sum double precision,
    above_fair integer NOT NULL CHECK (above_fair >= 0 AND above_fair <= compared),
    opening_gap_sum double precision,
    openings_compared integer NOT NULL CHECK (openings_compared >= 0 AND openings_compared <= compared),
    no_consensus integer NOT NULL CHECK (no_consensus >= 0),
    stale integer NOT NULL CHECK (stale >= 0),
    suspended integer NOT NULL CHECK (suspended >= 0),
    closed integer NOT NULL CHECK (closed >= 0),
    kickoff_disagrees integer NOT NULL CHECK (kickoff_disagrees >= 0),
    unreadable_price integer NOT NULL CHECK (unreadable_price >= 0),
    negative_margin integer NOT NULL CHECK (negative_margin >= 0),
    gap_bins integer[] NOT NULL,
    gap_bin_counts integer[] NOT NULL,
    betpawa_bets integer CHECK (betpawa_bets > 0),
    betpawa_opening_sum double precision,
    betpawa_closing_sum double precision,
    betpawa_opening_abs_sum double precision,
    betpawa_closing_abs_sum double precision,
    betpawa_moved_nearer integer CHECK (betpawa_moved_nearer >= 0 AND betpawa_moved_nearer <= betpawa_bets),
    betpawa_off_fair_sum double precision,
    betpawa_off_fair_count integer CHECK (betpawa_off_fair_count >= 0),
    rivals_gap_sum double precision,
    rivals_compared integer CHECK (rivals_compared >= 0),
    rivals_off_fair_sum double precision,
    rivals_fair_count integer CHECK (rivals_fair_count >= 0),
    betpawa_competition_matches integer CHECK (betpawa_competition_matches > 0),
    CHECK (cardinality(gap_bins) = cardinality(gap_bin_counts)),
    CHECK ((betpawa_bets IS NULL) = (betpawa_competition_matches IS NULL)),
    CHECK (betpawa_bets IS NULL OR book = 'betpawa'),
    PRIMARY KEY (site_country, kickoff_date, sport, competition, market_family, book)
);
COMMENT ON TABLE analytics.closing_price_days IS
    'analytics.closing_prices summed per kick-off date, site country, competition, market family and book: '
    'counts, sums and a histogram of the gaps that add up over days, for the weekly digest (docs/digest.md, '
    'Closing prices). Written with the rows in one transaction, only for the competitions whose rows changed; '
    'kick-off dates older than PALIMPSEST_CLOSING_PRICES_RETENTION_DAYS deleted by the daily maintenance.';
COMMENT ON COLUMN analytics.closing_price_days.kickoff_date IS 'Kick-off date (UTC) of the matches.';
COMMENT ON COLUMN analytics.closing_price_days.site_country IS 'ISO 3166 code of the sites captured.';
COMMENT ON COLUMN analytics.closing_price_days.sport IS 'Canonical sport key.';
COMMENT ON COLUMN analytics.closing_price_days.competition IS 'Canonical tournament (closing_prices.competition).';
COMMENT ON COLUMN analytics.closing_price_days.market_family IS 'Market family (closing_prices.market_family).';
COMMENT ON COLUMN analytics.closing_price_days.book IS 'The book.';
COMMENT ON COLUMN analytics.closing_price_days.outcomes IS 'The book''s closing rows (outcomes priced before kick-off).';
COMMENT ON COLUMN analytics.closing_price_days.compared IS 'Of them, those with a gap.';
COMMENT ON COLUMN analytics.closing_price_days.gap_sum IS 'Sum of gap over the compared outcomes; NULL with none.';
COMMENT ON COLUMN analytics.closing_price_days.above_fair IS 'Compared outcomes with a gap above 0.';
COMMENT ON COLUMN analytics.closing_price_days.opening_gap_sum IS
    'BetPawa: sum of opening_gap over the compared outcomes that have one.';
COMMENT ON COLUMN analytics.closing_price_days.openings_compared IS
    'Compared outcomes with an opening gap (BetPawa''s only).';
COMMENT ON COLUMN analytics.closing_price_days.no_consensus IS
    'Outcomes not set aside without a gap: fewer than two competitors priced the bet.';
COMMENT ON COLUMN analytics.closing_price_days.stale IS 'Outcomes set aside as stale.';
COMMENT ON COLUMN analytics.closing_price_days.suspended IS 'Outcomes set aside as suspended at the close.';
COMMENT ON COLUMN analytics.closing_price_days.closed IS 'Outcomes set aside as closed at the close.';
COMMENT ON COLUMN analytics.closing_price_days.kickoff_disagrees IS
    'Outcomes set aside because the book''s kick-off disagreed.';
COMMENT ON COLUMN analytics.closing_price_days.unreadable_price IS 'Outcomes set aside with an unreadable price.';
COMMENT ON COLUMN analytics.closing_price_days.negative_margin IS
    'Outcomes set aside because their line''s margin was negative.';
COMMENT ON COLUMN analytics.closing_price_days.gap_bins IS
    'The compared outcomes'' gaps in tenths of a point, rounded to the nearest (round(gap * 1000)), each '
    'distinct value once, ascending: with gap_bin_counts, the histogram a week''s median gap is read from, '
    'within half a tenth of a point of the exact median.';
COMMENT ON COLUMN analytics.closing_price_days.gap_bin_counts IS 'How many compared outcomes each of gap_bins holds.';
COMMENT ON COLUMN analytics.closing_price_days.betpawa_bets IS
    'BetPawa''s row: its outcomes with both an opening and a closing gap (the bets it is set against the '
    'competitors on); NULL on other books'' rows and without such outcomes.';
COMMENT ON COLUMN analytics.closing_price_days.betpawa_opening_sum IS 'Sum of BetPawa''s opening_gap over betpawa_bets.';
COMMENT ON COLUMN analytics.closing_price_days.betpawa_closing_sum IS 'Sum of BetPawa''s gap over betpawa_bets.';
COMMENT ON COLUMN analytics.closing_price_days.betpawa_opening_abs_sum IS
    'Sum of the absolute opening_gap over betpawa_bets.';
COMMENT ON COLUMN analytics.closing_price_days.betpawa_closing_abs_sum IS 'Sum of the absolute gap over betpawa_bets.';
COMMENT ON COLUMN analytics.closing_price_days.betpawa_moved_nearer IS
    'Of betpawa_bets, those whose absolute gap is smaller at close than at open.';
COMMENT ON COLUMN analytics.closing_price_days.betpawa_off_fair_sum IS
    'Sum over betpawa_bets of the distance between BetPawa''s own fair probability and the consensus.';
COMMENT ON COLUMN analytics.closing_price_days.betpawa_off_fair_count IS
    'Of betpawa_bets, those with a fair probability of BetPawa''s own (its line complete at close).';
COMMENT ON COLUMN analytics.closing_price_days.rivals_gap_sum IS
    'Sum of the competitors'' gaps on the same bets as betpawa_bets (same match, market, line and outcome).';
COMMENT ON COLUMN analytics.closing_price_days.rivals_compared IS 'How many competitor gaps rivals_gap_sum adds.';
COMMENT ON COLUMN analytics.closing_price_days.rivals_off_fair_sum IS
    'Sum of the competitors'' distances between their fair probability and the consensus on those bets.';
COMMENT ON COLUMN analytics.closing_price_days.rivals_fair_count IS 'How many distances rivals_off_fair_sum adds.';
COMMENT ON COLUMN analytics.closing_price_days.betpawa_competition_matches IS
    'BetPawa''s rows with betpawa_bets: the competition''s matches of the date with such a bet in any market '
    'family (the same on each family''s row of the competition and date).';

-- the rows already stored, summed as warehouse/closing_price_days.py sums them
WITH scope AS (
    SELECT * FROM analytics.closing_prices
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
ORDER BY b.kickoff_date, b.site_country, b.sport, b.competition, b.market_family, b.book;
