-- Row-level quarantine (warehouse/quarantine.py): a value that cannot be stored as it is (a NUL, an id or
-- name over its limit, one outcome twice at two prices, a price that is not odds) is set aside here with its
-- reason and a bounded excerpt, and everything else is stored. A NUL removed from a kept row is recorded
-- too (kind nul_removed). Re-recording the same item of the same batch adds nothing (item_key).
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0014_composed_outcomes

CREATE TABLE IF NOT EXISTS core.quarantined_rows (
    id          bigserial PRIMARY KEY,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    batch_id    text NOT NULL,
    stage       text NOT NULL CHECK (stage IN ('catalogue', 'odds')),
    book        text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    kind        text NOT NULL,
    sr_id       bigint,
    event_id    text,
    item_key    text NOT NULL,
    reason      text NOT NULL,
    excerpt     text NOT NULL,
    UNIQUE NULLS NOT DISTINCT (batch_id, stage, book, kind, sr_id, event_id, item_key)
);
CREATE INDEX IF NOT EXISTS quarantined_rows_recorded_idx ON core.quarantined_rows (recorded_at);

CREATE OR REPLACE VIEW analytics.quarantined_rows AS
SELECT recorded_at, batch_id, stage, book, kind, sr_id, event_id, reason, excerpt FROM core.quarantined_rows;

COMMENT ON VIEW analytics.quarantined_rows IS
    'Values a scrape could not store as they were, one row each: stage (catalogue or odds), book, kind '
    '(nul_removed: the row was kept without its NUL; bad_id, too_long, conflicting_duplicate, bad_price, '
    'bad_state, bad_specifier: the row or event was set aside), the reason naming what and where, and an excerpt.';
COMMENT ON COLUMN analytics.quarantined_rows.recorded_at IS 'When the item was set aside.';
COMMENT ON COLUMN analytics.quarantined_rows.batch_id IS 'The run (Dagster run id) whose scrape met the value.';
COMMENT ON COLUMN analytics.quarantined_rows.stage IS 'catalogue (a listing) or odds (a price row).';
COMMENT ON COLUMN analytics.quarantined_rows.book IS 'The book that sent the value.';
COMMENT ON COLUMN analytics.quarantined_rows.kind IS
    'nul_removed (kept, NUL removed), bad_id, too_long, conflicting_duplicate, sr_id_listed_twice, bad_price, '
    'bad_state, bad_specifier (set aside).';
COMMENT ON COLUMN analytics.quarantined_rows.sr_id IS 'The SportRadar match id, when known.';
COMMENT ON COLUMN analytics.quarantined_rows.event_id IS 'The book''s event (or tournament) id, when known.';
COMMENT ON COLUMN analytics.quarantined_rows.reason IS 'What was wrong and where, in words.';
COMMENT ON COLUMN analytics.quarantined_rows.excerpt IS
    'The offending value, at most 200 characters, control characters escaped.';
