-- analytics.outcome_prices keeps a row only where the book has an open price on the outcome. A row per book
-- with odds on the match, whatever it priced, was about half the table: its price and capture time were null
-- and told nothing analytics.market_availability does not (offered, suspended or not offered, per market and
-- book). The comparison is derived and replaced per kick-off date; the rows dropped here are those rows.
-- depends: 0037_long_comparison 0042_site_country_core 0044_live_books_as_data

DELETE FROM analytics.outcome_prices WHERE price IS NULL;
ALTER TABLE analytics.outcome_prices ALTER COLUMN price SET NOT NULL;

COMMENT ON TABLE analytics.outcome_prices IS
    'One row per match, market, line, outcome, site country and book with an open price on it: the price, '
    'when it was captured, and whether it is stale or its market suspect. A book with no row lacks the '
    'outcome or has it suspended (analytics.market_availability says which, per market). The comparison '
    'itself is in analytics.outcome_comparison.';
COMMENT ON COLUMN analytics.outcome_prices.price IS 'The book''s open decimal price.';
