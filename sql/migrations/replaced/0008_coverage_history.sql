-- Coverage over time. The coverage tables are replaced one kick-off date at a time, so they only ever show the
-- latest computation; every computation of the overall coverage is also appended here (one row per
-- computation and kick-off date), so match rate and BetPawa coverage can be followed over time (the traders'
-- report draws it). Written by the coverage asset in the same transaction as the coverage tables.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0002_analytics_tables

CREATE TABLE IF NOT EXISTS analytics.coverage_history (
    computed_at      timestamptz NOT NULL,
    kickoff_date     date NOT NULL,
    total            bigint NOT NULL CHECK (total >= 0),
    matched          bigint NOT NULL CHECK (matched >= 0),
    betpawa_only     bigint NOT NULL CHECK (betpawa_only >= 0),
    competitor_only  bigint NOT NULL CHECK (competitor_only >= 0),
    match_rate       double precision CHECK (match_rate BETWEEN 0 AND 1),
    betpawa_coverage double precision CHECK (betpawa_coverage BETWEEN 0 AND 1),
    PRIMARY KEY (computed_at, kickoff_date),
    CHECK (matched + betpawa_only + competitor_only = total)
);
CREATE INDEX IF NOT EXISTS coverage_history_kickoff_idx ON analytics.coverage_history (kickoff_date);

COMMENT ON TABLE analytics.coverage_history IS
    'Every computation of the overall coverage, per kick-off date: how match rate and BetPawa coverage move '
    'over time (analytics.coverage_overall holds only the latest computation).';
COMMENT ON COLUMN analytics.coverage_history.computed_at IS 'When this coverage was computed (the run''s clock).';
COMMENT ON COLUMN analytics.coverage_history.kickoff_date IS 'UTC kick-off date the row counts events of.';
COMMENT ON COLUMN analytics.coverage_history.total IS 'Distinct events on any book that day.';
COMMENT ON COLUMN analytics.coverage_history.matched IS 'Events on BetPawa and at least one competitor.';
COMMENT ON COLUMN analytics.coverage_history.betpawa_only IS 'Events on BetPawa only.';
COMMENT ON COLUMN analytics.coverage_history.competitor_only IS 'Events on a competitor but not on BetPawa.';
COMMENT ON COLUMN analytics.coverage_history.match_rate IS 'matched / total.';
COMMENT ON COLUMN analytics.coverage_history.betpawa_coverage IS 'matched / (matched + competitor_only).';
