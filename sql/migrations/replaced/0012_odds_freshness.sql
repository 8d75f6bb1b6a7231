-- Freshness of compared prices: a stored price is only as current as its last capture. Each comparison row
-- carries every book's capture time and whether that price is stale (captured before its freshness bound:
-- twice its kick-off tier's capture cadence, or before a newer failed capture of that book); stale prices are
-- shown but left out of best price, rank, gap and consensus (palimpsest_pipeline/transforms/freshness.py).
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0005_odds_analytics

ALTER TABLE analytics.odds_comparison
    ADD COLUMN IF NOT EXISTS captured_at_betpawa   timestamptz,
    ADD COLUMN IF NOT EXISTS captured_at_sportybet timestamptz,
    ADD COLUMN IF NOT EXISTS captured_at_bet9ja    timestamptz,
    ADD COLUMN IF NOT EXISTS stale_betpawa         boolean,
    ADD COLUMN IF NOT EXISTS stale_sportybet       boolean,
    ADD COLUMN IF NOT EXISTS stale_bet9ja          boolean;

ALTER TABLE analytics.market_margins
    ADD COLUMN IF NOT EXISTS captured_at timestamptz,
    ADD COLUMN IF NOT EXISTS stale       boolean NOT NULL DEFAULT false;

COMMENT ON COLUMN analytics.odds_comparison.captured_at_betpawa IS
    'When BetPawa last confirmed price_betpawa (null when it has no open price for this outcome).';
COMMENT ON COLUMN analytics.odds_comparison.captured_at_sportybet IS
    'When SportyBet last confirmed price_sportybet (null when it has no open price for this outcome).';
COMMENT ON COLUMN analytics.odds_comparison.captured_at_bet9ja IS
    'When Bet9ja last confirmed price_bet9ja (null when it has no open price for this outcome).';
COMMENT ON COLUMN analytics.odds_comparison.stale_betpawa IS
    'True when price_betpawa is stale: older than its freshness bound or older than a failed capture. A '
    'stale price is shown but takes no part in best_price, betpawa_rank, betpawa_gap or fair_price.';
COMMENT ON COLUMN analytics.odds_comparison.stale_sportybet IS
    'True when price_sportybet is stale (see stale_betpawa); it then takes no part in the comparison.';
COMMENT ON COLUMN analytics.odds_comparison.stale_bet9ja IS
    'True when price_bet9ja is stale (see stale_betpawa); it then takes no part in the comparison.';
COMMENT ON COLUMN analytics.market_margins.captured_at IS
    'The oldest capture time among this book''s prices of the market.';
COMMENT ON COLUMN analytics.market_margins.stale IS
    'True when an open price of this market is stale; such a margin is not used for the consensus.';
