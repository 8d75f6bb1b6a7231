-- The wide views over Nigeria's three books (BetPawa, SportyBet, Bet9ja as columns) stay only where an
-- analyst's query reads them (issue 53). analytics.coverage_by_sport is dropped: no example query
-- (sql/queries/), report, alert, CLI command or summary reads it; its figures are every country's and
-- book's in analytics.coverage_groups (level sport) and analytics.coverage, which the report reads.
-- Kept, each for the query that reads it:
--   analytics.matched_events: sql/queries/01_sportybet_not_on_betpawa.sql, the alerts' match names
--     (warehouse/alert_findings.py);
--   analytics.coverage_by_tournament: sql/queries/02_top_tournaments_missing_on_betpawa.sql;
--   analytics.coverage_overall: sql/queries/03_match_rate_trend.sql;
--   analytics.coverage_by_country: sql/queries/04_coverage_by_country.sql;
--   core.ng_three_book_matches: what those four count;
--   analytics.odds_comparison: the prices side by side the analyst login reads (docs/odds-comparison.md,
--     the suspect_<book> and captured_at_<book> columns);
--   analytics.stale_vs_market: the BetPawa prices left behind (docs/price-leadership.md).
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0049_capture_requests

DROP VIEW analytics.coverage_by_sport;
