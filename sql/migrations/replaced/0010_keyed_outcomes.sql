-- Honest mapping figures per capture: of the open outcomes a book showed, how many reached a key, and of those
-- how many are book-native (SportyBet's own market families) rather than SportRadar UOF keys. The analytics view
-- gains the split; mapped_outcomes keeps its name (it is the keyed count, UOF plus native).
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0005_odds_analytics

ALTER TABLE core.odds_captures ADD COLUMN IF NOT EXISTS native_outcomes integer CHECK (native_outcomes >= 0);
ALTER TABLE core.odds_captures ADD CONSTRAINT odds_captures_native_within_keyed
    CHECK (native_outcomes IS NULL OR mapped_outcomes IS NULL OR native_outcomes <= mapped_outcomes);

CREATE OR REPLACE VIEW analytics.odds_captures AS
SELECT sr_id, book, captured_at, batch_id, status, reason, sent_at, received_at, open_outcomes,
       mapped_outcomes,
       CASE WHEN open_outcomes > 0 THEN mapped_outcomes::double precision / open_outcomes END AS mapping_rate,
       EXTRACT(EPOCH FROM (received_at - sent_at))::double precision * 1000 AS latency_ms,
       native_outcomes,
       mapped_outcomes - coalesce(native_outcomes, 0) AS uof_outcomes
FROM core.odds_captures;

COMMENT ON COLUMN analytics.odds_captures.native_outcomes IS
    'Of mapped_outcomes, those keyed under a book-native market (SportyBet''s own families, ids from 60000), '
    'not a SportRadar UOF market: they compare with nothing on another book unless its table maps them.';
COMMENT ON COLUMN analytics.odds_captures.uof_outcomes IS
    'Of mapped_outcomes, those keyed under a SportRadar UOF market (comparable across books).';
