-- Degrade, do not stop: when a book's catalogue scrape fails, matching and coverage still run on its last good
-- catalogue. Every overall coverage row says, per book, when the catalogue it read was last refreshed and
-- whether it was stale (older than twice the catalogue cadence, or failed in the run that computed the row).
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0015_quarantined_rows

ALTER TABLE analytics.coverage_overall
    ADD COLUMN IF NOT EXISTS catalogue_at_betpawa timestamptz,
    ADD COLUMN IF NOT EXISTS catalogue_stale_betpawa boolean,
    ADD COLUMN IF NOT EXISTS catalogue_at_sportybet timestamptz,
    ADD COLUMN IF NOT EXISTS catalogue_stale_sportybet boolean,
    ADD COLUMN IF NOT EXISTS catalogue_at_bet9ja timestamptz,
    ADD COLUMN IF NOT EXISTS catalogue_stale_bet9ja boolean;

COMMENT ON COLUMN analytics.coverage_overall.catalogue_at_betpawa IS
    'When the BetPawa catalogue this row was computed from was last refreshed (its last successful scrape).';
COMMENT ON COLUMN analytics.coverage_overall.catalogue_stale_betpawa IS
    'The BetPawa catalogue was stale: older than twice the catalogue cadence, or its scrape failed in this run.';
COMMENT ON COLUMN analytics.coverage_overall.catalogue_at_sportybet IS
    'When the SportyBet catalogue this row was computed from was last refreshed (its last successful scrape).';
COMMENT ON COLUMN analytics.coverage_overall.catalogue_stale_sportybet IS
    'The SportyBet catalogue was stale: older than twice the catalogue cadence, or its scrape failed in this run.';
COMMENT ON COLUMN analytics.coverage_overall.catalogue_at_bet9ja IS
    'When the Bet9ja catalogue this row was computed from was last refreshed (its last successful scrape).';
COMMENT ON COLUMN analytics.coverage_overall.catalogue_stale_bet9ja IS
    'The Bet9ja catalogue was stale: older than twice the catalogue cadence, or its scrape failed in this run.';
