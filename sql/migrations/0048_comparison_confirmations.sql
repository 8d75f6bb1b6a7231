-- A price's and a margin's capture time is its book's latest confirmation of the event, the same for all of
-- the book's prices of it (core.odds_current), so it is stored once per event and book
-- (analytics.comparison_confirmations) and joined back by the views analytics.outcome_prices and
-- analytics.market_margins, which keep the former tables' names and columns over the tables
-- analytics.outcome_prices_stored and analytics.market_margins_stored. A capture confirming a price unchanged
-- then leaves its rows as they were: the comparison writes only the rows that differ (derive/comparison.py).
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0047_key_health_families

DROP VIEW analytics.odds_comparison;

ALTER TABLE analytics.outcome_prices RENAME TO outcome_prices_stored;
ALTER TABLE analytics.outcome_prices_stored RENAME CONSTRAINT outcome_prices_pkey TO outcome_prices_stored_pkey;
ALTER INDEX analytics.outcome_prices_sr_id_idx RENAME TO outcome_prices_stored_sr_id_idx;
ALTER TABLE analytics.market_margins RENAME TO market_margins_stored;
ALTER TABLE analytics.market_margins_stored RENAME CONSTRAINT market_margins_pkey TO market_margins_stored_pkey;

-- analytics.comparison_confirmations ----------------------------------------------------------------------------
CREATE TABLE analytics.comparison_confirmations (
    kickoff_date date NOT NULL,
    site_country text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    sr_id bigint NOT NULL CHECK (sr_id > 0),
    book text NOT NULL,
    captured_at timestamptz NOT NULL,
    computed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kickoff_date, site_country, sr_id, book)
);
COMMENT ON TABLE analytics.comparison_confirmations IS
    'Per match compared, site country and book with a current price on it: the book''s latest capture that '
    'confirmed its prices, as the comparison read it (core.odds_current); the capture time of the book''s rows '
    'of analytics.outcome_prices and analytics.market_margins. Written with the comparison.';
COMMENT ON COLUMN analytics.comparison_confirmations.kickoff_date IS
    'Kick-off date (UTC) of the match; the partition key of the comparison tables.';
COMMENT ON COLUMN analytics.comparison_confirmations.site_country IS
    'ISO code (lower case) of the country whose sites the row was read from (ng, gh); the tournament''s country '
    'is another thing.';
COMMENT ON COLUMN analytics.comparison_confirmations.sr_id IS 'SportRadar match id: the key shared by the books.';
COMMENT ON COLUMN analytics.comparison_confirmations.book IS 'The book (betpawa, sportybet, bet9ja, ...).';
COMMENT ON COLUMN analytics.comparison_confirmations.captured_at IS
    'When the book last confirmed its prices of the match: the moment the request of its latest successful '
    'capture was sent (UTC), as of the comparison.';
COMMENT ON COLUMN analytics.comparison_confirmations.computed_at IS
    'When the comparison last wrote this row (UTC).';

-- The existing rows' capture times, before their columns go: each book's newest on the match.
INSERT INTO analytics.comparison_confirmations (kickoff_date, site_country, sr_id, book, captured_at, computed_at)
SELECT kickoff_date, site_country, sr_id, book, max(captured_at), max(computed_at)
FROM (SELECT kickoff_date, site_country, sr_id, book, captured_at, computed_at
      FROM analytics.outcome_prices_stored
      UNION ALL
      SELECT kickoff_date, site_country, sr_id, book, captured_at, computed_at
      FROM analytics.market_margins_stored) AS stored
WHERE captured_at IS NOT NULL
GROUP BY kickoff_date, site_country, sr_id, book;

ALTER TABLE analytics.outcome_prices_stored DROP COLUMN captured_at;
ALTER TABLE analytics.market_margins_stored DROP COLUMN captured_at;

COMMENT ON TABLE analytics.outcome_prices_stored IS
    'The stored part of the view analytics.outcome_prices (read that): one row per match, market, line, outcome, '
    'site country and book with an open price on it, without its capture time (in '
    'analytics.comparison_confirmations).';
COMMENT ON COLUMN analytics.outcome_prices_stored.computed_at IS
    'When the comparison last wrote this row (UTC): a recomputation that finds it unchanged leaves it.';
COMMENT ON TABLE analytics.market_margins_stored IS
    'The stored part of the view analytics.market_margins (read that): each book''s margin per match, market '
    'and line, without its capture time (in analytics.comparison_confirmations).';
COMMENT ON COLUMN analytics.market_margins_stored.computed_at IS
    'When the comparison last wrote this row (UTC): a recomputation that finds it unchanged leaves it.';
COMMENT ON COLUMN analytics.outcome_comparison.computed_at IS
    'When the comparison last wrote this row (UTC): a recomputation that finds it unchanged leaves it.';
COMMENT ON COLUMN analytics.market_availability.computed_at IS
    'When the comparison last wrote this row (UTC): a recomputation that finds it unchanged leaves it.';
COMMENT ON COLUMN analytics.suspect_markets.computed_at IS
    'When the comparison that found it (or last changed its figures) ran (UTC).';

-- analytics.outcome_prices --------------------------------------------------------------------------------------
CREATE VIEW analytics.outcome_prices AS
SELECT p.kickoff_date, p.site_country, p.sr_id, p.market, p.specifier, p.outcome, p.book, p.price,
       c.captured_at, p.stale, p.suspect, p.computed_at
FROM analytics.outcome_prices_stored AS p
LEFT JOIN analytics.comparison_confirmations AS c
  ON c.kickoff_date = p.kickoff_date AND c.site_country = p.site_country AND c.sr_id = p.sr_id
 AND c.book = p.book;
COMMENT ON VIEW analytics.outcome_prices IS
    'One row per match, market, line, outcome, site country and book with an open price on it: the price, when '
    'it was captured, and whether it is stale or its market suspect. A book with no row lacks the outcome or has '
    'it suspended (analytics.market_availability says which, per market). The comparison itself is in '
    'analytics.outcome_comparison. analytics.outcome_prices_stored with the book''s confirmation '
    '(analytics.comparison_confirmations).';
COMMENT ON COLUMN analytics.outcome_prices.kickoff_date IS
    'Kick-off date (UTC) of the match; the partition key of the comparison tables.';
COMMENT ON COLUMN analytics.outcome_prices.site_country IS
    'ISO code (lower case) of the country whose sites the row was read from (ng, gh); the tournament''s country '
    'is another thing.';
COMMENT ON COLUMN analytics.outcome_prices.sr_id IS 'SportRadar match id: the key shared by the books.';
COMMENT ON COLUMN analytics.outcome_prices.market IS
    'Canonical market id (SportRadar UOF), e.g. 1 = 1X2, 18 = total goals.';
COMMENT ON COLUMN analytics.outcome_prices.specifier IS
    'Normalised market line, e.g. total=2.5 or hcp=-0.5; empty when the market has none.';
COMMENT ON COLUMN analytics.outcome_prices.outcome IS
    'Canonical outcome id (SportRadar UOF), e.g. 1 home, 2 draw, 3 away, 12 over, 13 under.';
COMMENT ON COLUMN analytics.outcome_prices.book IS
    'The book (betpawa, sportybet, bet9ja, ...): one row per book.';
COMMENT ON COLUMN analytics.outcome_prices.price IS 'The book''s open decimal price.';
COMMENT ON COLUMN analytics.outcome_prices.captured_at IS
    'When the book last confirmed its price: its latest successful capture of the match as of the comparison '
    '(analytics.comparison_confirmations).';
COMMENT ON COLUMN analytics.outcome_prices.stale IS
    'True when the price is stale: older than its freshness bound or older than a failed capture. A stale price '
    'is shown but takes no part in the comparison.';
COMMENT ON COLUMN analytics.outcome_prices.suspect IS
    'True when the book''s market is in analytics.suspect_markets: its price is shown but takes no part in the '
    'comparison.';
COMMENT ON COLUMN analytics.outcome_prices.computed_at IS
    'When the comparison last wrote this row (UTC): a recomputation that finds it unchanged leaves it.';

-- analytics.market_margins --------------------------------------------------------------------------------------
CREATE VIEW analytics.market_margins AS
SELECT m.kickoff_date, m.sr_id, m.market, m.specifier, m.book, m.outcomes_expected, m.outcomes_open, m.margin,
       m.complete, m.reason, m.computed_at, c.captured_at, m.stale, m.site_country
FROM analytics.market_margins_stored AS m
LEFT JOIN analytics.comparison_confirmations AS c
  ON c.kickoff_date = m.kickoff_date AND c.site_country = m.site_country AND c.sr_id = m.sr_id
 AND c.book = m.book;
COMMENT ON VIEW analytics.market_margins IS
    'Each book''s margin (overround) per match, market and line, when it prices the whole complete market; '
    'otherwise margin is null and reason says why. Recomputed per kick-off date. '
    'analytics.market_margins_stored with the book''s confirmation (analytics.comparison_confirmations).';
COMMENT ON COLUMN analytics.market_margins.kickoff_date IS
    'Kick-off date (UTC) of the match; the partition key of the comparison tables.';
COMMENT ON COLUMN analytics.market_margins.sr_id IS 'SportRadar match id: the key shared by the three books.';
COMMENT ON COLUMN analytics.market_margins.market IS
    'Canonical market id (SportRadar UOF), e.g. 1 = 1X2, 18 = total goals.';
COMMENT ON COLUMN analytics.market_margins.specifier IS
    'Normalised market line, e.g. total=2.5 or hcp=-0.5; empty when the market has none.';
COMMENT ON COLUMN analytics.market_margins.book IS 'Book: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.market_margins.outcomes_expected IS
    'Outcomes the canonical market has; null for an unknown market.';
COMMENT ON COLUMN analytics.market_margins.outcomes_open IS 'Outcomes the book has open with a price.';
COMMENT ON COLUMN analytics.market_margins.margin IS
    'sum(1 / price) - 1 over the market''s outcomes (0.05 = 5 percent overround); null when not computable (see '
    'reason).';
COMMENT ON COLUMN analytics.market_margins.complete IS
    'Whether the book prices the whole complete market, i.e. margin is not null.';
COMMENT ON COLUMN analytics.market_margins.reason IS
    'Why margin is null: unknown_market, not_complete (outcomes not exhaustive), unknown_outcome, '
    'missing_outcome or not_all_open; null when margin is set.';
COMMENT ON COLUMN analytics.market_margins.computed_at IS
    'When the comparison last wrote this row (UTC): a recomputation that finds it unchanged leaves it.';
COMMENT ON COLUMN analytics.market_margins.captured_at IS
    'When the book last confirmed its prices of the market: its latest successful capture of the match as of '
    'the comparison (analytics.comparison_confirmations).';
COMMENT ON COLUMN analytics.market_margins.stale IS
    'True when an open price of this market is stale; such a margin is not used for the consensus.';
COMMENT ON COLUMN analytics.market_margins.site_country IS
    'ISO code (lower case) of the country whose sites the row was read from (ng, gh); the tournament''s country '
    'is another thing.';

-- analytics.odds_comparison, as before, over the view analytics.outcome_prices ---------------------------------
CREATE VIEW analytics.odds_comparison AS
 SELECT c.kickoff_date,
    c.sr_id,
    c.market,
    c.specifier,
    c.outcome,
    c.market_name,
    c.outcome_name,
    bp.price AS price_betpawa,
    sb.price AS price_sportybet,
    b9.price AS price_bet9ja,
    f.prices[1] AS best_price,
    f.books[1] AS best_book,
    ((f.betpawa / f.prices[1]) - (1.0)::double precision) AS betpawa_gap,
        CASE
            WHEN (f.betpawa IS NOT NULL) THEN (( SELECT (1 + count(DISTINCT p.p))
               FROM unnest(f.prices) p(p)
              WHERE (p.p > f.betpawa)))::smallint
            ELSE NULL::smallint
        END AS betpawa_rank,
    (COALESCE(cardinality(f.prices), 0))::smallint AS books_offering,
    c.fair_price,
    c.fair_books,
    c.computed_at,
    bp.captured_at AS captured_at_betpawa,
    sb.captured_at AS captured_at_sportybet,
    b9.captured_at AS captured_at_bet9ja,
    bp.stale AS stale_betpawa,
    sb.stale AS stale_sportybet,
    b9.stale AS stale_bet9ja,
    bp.suspect AS suspect_betpawa,
    sb.suspect AS suspect_sportybet,
    b9.suspect AS suspect_bet9ja
   FROM ((((analytics.outcome_comparison c
     LEFT JOIN analytics.outcome_prices bp ON (((bp.kickoff_date = c.kickoff_date) AND (bp.site_country = c.site_country) AND (bp.sr_id = c.sr_id) AND (bp.market = c.market) AND (bp.specifier = c.specifier) AND (bp.outcome = c.outcome) AND (bp.book = 'betpawa'::text))))
     LEFT JOIN analytics.outcome_prices sb ON (((sb.kickoff_date = c.kickoff_date) AND (sb.site_country = c.site_country) AND (sb.sr_id = c.sr_id) AND (sb.market = c.market) AND (sb.specifier = c.specifier) AND (sb.outcome = c.outcome) AND (sb.book = 'sportybet'::text))))
     LEFT JOIN analytics.outcome_prices b9 ON (((b9.kickoff_date = c.kickoff_date) AND (b9.site_country = c.site_country) AND (b9.sr_id = c.sr_id) AND (b9.market = c.market) AND (b9.specifier = c.specifier) AND (b9.outcome = c.outcome) AND (b9.book = 'bet9ja'::text))))
     CROSS JOIN LATERAL ( SELECT array_agg(v.price ORDER BY v.price DESC, v.place) AS prices,
            array_agg(v.book ORDER BY v.price DESC, v.place) AS books,
            max(v.price) FILTER (WHERE (v.book = 'betpawa'::text)) AS betpawa
           FROM ( VALUES (1,'betpawa'::text,bp.price,bp.stale,bp.suspect), (2,'sportybet'::text,sb.price,sb.stale,sb.suspect), (3,'bet9ja'::text,b9.price,b9.stale,b9.suspect)) v(place, book, price, stale, suspect)
          WHERE ((v.price IS NOT NULL) AND (NOT COALESCE(v.stale, false)) AND (NOT COALESCE(v.suspect, false)))) f)
  WHERE ((c.site_country = 'ng'::text) AND ((bp.book IS NOT NULL) OR (sb.book IS NOT NULL) OR (b9.book IS NOT NULL)));
COMMENT ON VIEW analytics.odds_comparison IS
    'Nigeria''s comparison side by side (BetPawa, SportyBet, Bet9ja): analytics.outcome_comparison with each '
    'book''s row of analytics.outcome_prices as columns. Only open prices count: a suspended outcome has no '
    'price here.';
COMMENT ON COLUMN analytics.odds_comparison.kickoff_date IS
    'Kick-off date (UTC) of the match; the partition key of the comparison tables.';
COMMENT ON COLUMN analytics.odds_comparison.sr_id IS 'SportRadar match id: the key shared by the three books.';
COMMENT ON COLUMN analytics.odds_comparison.market IS
    'Canonical market id (SportRadar UOF), e.g. 1 = 1X2, 18 = total goals.';
COMMENT ON COLUMN analytics.odds_comparison.specifier IS
    'Normalised market line, e.g. total=2.5 or hcp=-0.5; empty when the market has none.';
COMMENT ON COLUMN analytics.odds_comparison.outcome IS
    'Canonical outcome id (SportRadar UOF), e.g. 1 home, 2 draw, 3 away, 12 over, 13 under.';
COMMENT ON COLUMN analytics.odds_comparison.market_name IS
    'Readable market name from the canonical vocabulary; null for an unknown market.';
COMMENT ON COLUMN analytics.odds_comparison.outcome_name IS
    'Readable outcome name from the canonical vocabulary; null when not described.';
COMMENT ON COLUMN analytics.odds_comparison.price_betpawa IS
    'BetPawa''s open price; null when it lacks the outcome or has it suspended.';
COMMENT ON COLUMN analytics.odds_comparison.price_sportybet IS
    'SportyBet''s open price; null when it lacks the outcome or has it suspended.';
COMMENT ON COLUMN analytics.odds_comparison.price_bet9ja IS
    'Bet9ja''s open price; null when it lacks the outcome or has it suspended.';
COMMENT ON COLUMN analytics.odds_comparison.best_price IS
    'Highest open price among the books; null when no book has an open price.';
COMMENT ON COLUMN analytics.odds_comparison.best_book IS
    'Book with the best price; on a tie BetPawa, then SportyBet, then Bet9ja.';
COMMENT ON COLUMN analytics.odds_comparison.betpawa_gap IS
    'price_betpawa / best_price - 1: 0 when BetPawa is best, negative when beaten (-0.05 = 5 percent worse); '
    'null when BetPawa has no open price.';
COMMENT ON COLUMN analytics.odds_comparison.betpawa_rank IS
    'Rank of BetPawa''s price among the open prices (1 = best, ties share a rank); null when BetPawa has no open '
    'price.';
COMMENT ON COLUMN analytics.odds_comparison.books_offering IS
    'How many books have an open price for the outcome.';
COMMENT ON COLUMN analytics.odds_comparison.fair_price IS
    'Consensus fair odds: margin removed by the power method per book, probabilities averaged over the books '
    'pricing the whole market (every book read in Nigeria, not only the three here); null when none does.';
COMMENT ON COLUMN analytics.odds_comparison.fair_books IS
    'How many books the fair price rests on (every book read in Nigeria, not only the three here).';
COMMENT ON COLUMN analytics.odds_comparison.computed_at IS
    'When the comparison last wrote this outcome''s row (UTC): a recomputation that finds it unchanged leaves it.';
COMMENT ON COLUMN analytics.odds_comparison.captured_at_betpawa IS
    'When BetPawa last confirmed price_betpawa (null when it has no open price for this outcome).';
COMMENT ON COLUMN analytics.odds_comparison.captured_at_sportybet IS
    'When SportyBet last confirmed price_sportybet (null when it has no open price for this outcome).';
COMMENT ON COLUMN analytics.odds_comparison.captured_at_bet9ja IS
    'When Bet9ja last confirmed price_bet9ja (null when it has no open price for this outcome).';
COMMENT ON COLUMN analytics.odds_comparison.stale_betpawa IS
    'True when price_betpawa is stale: older than its freshness bound or older than a failed capture. A stale '
    'price is shown but takes no part in best_price, betpawa_rank, betpawa_gap or fair_price.';
COMMENT ON COLUMN analytics.odds_comparison.stale_sportybet IS
    'True when price_sportybet is stale (see stale_betpawa); it then takes no part in the comparison.';
COMMENT ON COLUMN analytics.odds_comparison.stale_bet9ja IS
    'True when price_bet9ja is stale (see stale_betpawa); it then takes no part in the comparison.';
COMMENT ON COLUMN analytics.odds_comparison.suspect_betpawa IS
    'True when BetPawa''s market is in analytics.suspect_markets: its price is shown but takes no part in '
    'best_price, betpawa_rank, betpawa_gap or fair_price.';
COMMENT ON COLUMN analytics.odds_comparison.suspect_sportybet IS
    'True when SportyBet''s market is in analytics.suspect_markets (see suspect_betpawa).';
COMMENT ON COLUMN analytics.odds_comparison.suspect_bet9ja IS
    'True when Bet9ja''s market is in analytics.suspect_markets (see suspect_betpawa).';
