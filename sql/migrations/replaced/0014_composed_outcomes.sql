-- Of the keyed outcomes of a capture, those keyed as a combination of UOF outcomes ("1 + GG + over 2.5",
-- "1X at half time and 12 at full time": markets/combinations.py), counted apart like the book-native ones,
-- so uof_outcomes is the count keyed under a UOF market itself.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0010_keyed_outcomes

ALTER TABLE core.odds_captures ADD COLUMN IF NOT EXISTS composed_outcomes integer CHECK (composed_outcomes >= 0);

CREATE OR REPLACE VIEW analytics.odds_captures AS
SELECT sr_id, book, captured_at, batch_id, status, reason, sent_at, received_at, open_outcomes,
       mapped_outcomes,
       CASE WHEN open_outcomes > 0 THEN mapped_outcomes::double precision / open_outcomes END AS mapping_rate,
       EXTRACT(EPOCH FROM (received_at - sent_at))::double precision * 1000 AS latency_ms,
       native_outcomes,
       mapped_outcomes - coalesce(native_outcomes, 0) - coalesce(composed_outcomes, 0) AS uof_outcomes,
       composed_outcomes
FROM core.odds_captures;

COMMENT ON COLUMN analytics.odds_captures.composed_outcomes IS
    'Of mapped_outcomes, those keyed as a combination of UOF outcomes (market 2000001 all-of, 2000002 any-of, '
    'legs in the specifier): comparable with any book selling the same combination.';
COMMENT ON COLUMN analytics.odds_captures.uof_outcomes IS
    'Of mapped_outcomes, those keyed under a SportRadar UOF market itself (neither book-native nor a combination).';
