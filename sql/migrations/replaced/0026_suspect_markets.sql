-- Suspect markets: a book's market whose prices cannot be true (an implied-probability sum no real market has,
-- or outcomes far from every other book's), most likely keyed wrong. Such a market stays in the comparison,
-- flagged per book (suspect_<book>), and takes no part in best_price, betpawa_rank, betpawa_gap or fair_price
-- (palimpsest_pipeline/transforms/suspect_markets.py).
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0025_drop_archive_compaction

ALTER TABLE analytics.odds_comparison
    ADD COLUMN IF NOT EXISTS suspect_betpawa   boolean,
    ADD COLUMN IF NOT EXISTS suspect_sportybet boolean,
    ADD COLUMN IF NOT EXISTS suspect_bet9ja    boolean;

CREATE TABLE IF NOT EXISTS analytics.suspect_markets (
    kickoff_date         date NOT NULL,
    sr_id                bigint NOT NULL CHECK (sr_id > 0),
    market               integer NOT NULL,
    specifier            text NOT NULL,
    book                 text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    reason               text NOT NULL CHECK (reason IN ('implied_sum', 'disagrees')),
    implied_sum          double precision,
    outcomes_compared    integer NOT NULL CHECK (outcomes_compared >= 0),
    outcomes_disagreeing integer NOT NULL CHECK (outcomes_disagreeing >= 0),
    computed_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kickoff_date, sr_id, market, specifier, book),
    CHECK ((reason = 'implied_sum') = (implied_sum IS NOT NULL))
);

COMMENT ON TABLE analytics.suspect_markets IS
    'Per match, market, line and book: a market whose prices cannot be true, probably keyed wrong. It stays '
    'in analytics.odds_comparison (suspect_<book>) but takes no part in best price, rank, gap or consensus. '
    'Recomputed per kick-off date with the comparison.';
COMMENT ON COLUMN analytics.suspect_markets.reason IS
    'implied_sum: the book''s own prices of the complete market sum to an implied probability no real market '
    'has for its number of outcomes; disagrees: some of its outcomes are far from every other book''s price.';
COMMENT ON COLUMN analytics.suspect_markets.implied_sum IS
    'Sum of 1/price over the market''s outcomes (1 + margin), when reason is implied_sum.';
COMMENT ON COLUMN analytics.suspect_markets.outcomes_compared IS
    'The book''s fresh open outcomes of this market that another book also prices.';
COMMENT ON COLUMN analytics.suspect_markets.outcomes_disagreeing IS
    'Of those, the outcomes whose implied probability is more than 1.5 times and 0.05 away from every other '
    'book''s.';
COMMENT ON COLUMN analytics.odds_comparison.suspect_betpawa IS
    'True when BetPawa''s market is in analytics.suspect_markets: its price is shown but takes no part in '
    'best_price, betpawa_rank, betpawa_gap or fair_price.';
COMMENT ON COLUMN analytics.odds_comparison.suspect_sportybet IS
    'True when SportyBet''s market is in analytics.suspect_markets (see suspect_betpawa).';
COMMENT ON COLUMN analytics.odds_comparison.suspect_bet9ja IS
    'True when Bet9ja''s market is in analytics.suspect_markets (see suspect_betpawa).';
COMMENT ON COLUMN analytics.suspect_markets.kickoff_date IS
    'Kick-off date (UTC) of the match; the partition key of the comparison tables.';
COMMENT ON COLUMN analytics.suspect_markets.sr_id IS 'SportRadar match id.';
COMMENT ON COLUMN analytics.suspect_markets.market IS 'Canonical market id (UOF, or a canonical extension).';
COMMENT ON COLUMN analytics.suspect_markets.specifier IS
    'Normalised specifier of the market line (sorted key=value pairs, empty when none).';
COMMENT ON COLUMN analytics.suspect_markets.book IS 'The book whose market is suspect.';
COMMENT ON COLUMN analytics.suspect_markets.computed_at IS 'When the comparison that found it ran.';
