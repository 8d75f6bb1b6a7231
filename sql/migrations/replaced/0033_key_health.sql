-- Keys that check themselves. Per capture: the open outcomes set aside (unreadable, or a line whose places do
-- not agree), those in a market a single-book check finds impossible, those keyed under the grammar's own
-- canonical keys (so uof_outcomes counts UOF keys only), and the payload fields never seen before. The
-- single-book suspects themselves, current per match and book. analytics.key_health: each book's keys per
-- hour, what the keys_drift alert compares with the book's own last seven days.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0032_price_leadership

ALTER TABLE core.odds_captures
    ADD COLUMN IF NOT EXISTS canonical_outcomes integer CHECK (canonical_outcomes >= 0),
    ADD COLUMN IF NOT EXISTS set_aside_outcomes integer CHECK (set_aside_outcomes >= 0),
    ADD COLUMN IF NOT EXISTS suspect_outcomes integer CHECK (suspect_outcomes >= 0),
    ADD COLUMN IF NOT EXISTS new_fields text[];

CREATE OR REPLACE VIEW analytics.odds_captures AS
SELECT sr_id, book, captured_at, batch_id, status, reason, sent_at, received_at, open_outcomes,
       mapped_outcomes,
       CASE WHEN open_outcomes > 0 THEN mapped_outcomes::double precision / open_outcomes END AS mapping_rate,
       EXTRACT(EPOCH FROM (received_at - sent_at))::double precision * 1000 AS latency_ms,
       native_outcomes,
       mapped_outcomes - coalesce(native_outcomes, 0) - coalesce(composed_outcomes, 0)
           - coalesce(canonical_outcomes, 0) AS uof_outcomes,
       composed_outcomes,
       canonical_outcomes,
       set_aside_outcomes,
       suspect_outcomes,
       new_fields
FROM core.odds_captures;

COMMENT ON COLUMN analytics.odds_captures.uof_outcomes IS
    'Of mapped_outcomes, those keyed under a SportRadar UOF market itself (neither book-native, a combination '
    'nor one of the grammar''s canonical keys).';
COMMENT ON COLUMN analytics.odds_captures.canonical_outcomes IS
    'Of mapped_outcomes, those keyed by the market grammar under a canonical key of its own because UOF has no '
    'such market (markets/grammar/canonical.py); null for captures stored before it was counted.';
COMMENT ON COLUMN analytics.odds_captures.set_aside_outcomes IS
    'Outcomes or markets of the answer set aside with a reason (an unreadable value, a line whose places in the '
    'payload do not agree); the reasons are in analytics.quarantined_rows. Null before it was counted.';
COMMENT ON COLUMN analytics.odds_captures.suspect_outcomes IS
    'Of mapped_outcomes, those in a market the single-book checks find impossible (core.market_suspects): '
    'kept, and left out of best price, rank and gap. Null before it was counted.';
COMMENT ON COLUMN analytics.odds_captures.new_fields IS
    'Payload fields (JSON paths, list positions as []) this capture showed for the first time on this book; '
    'empty when none, null when not looked at.';

-- A book's market that its own prices show cannot be true, as of the book's latest capture of the match.
CREATE TABLE IF NOT EXISTS core.market_suspects (
    sr_id       bigint NOT NULL CHECK (sr_id > 0),
    book        text NOT NULL CHECK (book <> ''),
    market      integer NOT NULL,
    specifier   text NOT NULL,
    reason      text NOT NULL CHECK (reason IN ('overround', 'ladder', 'identity', 'units')),
    detail      text NOT NULL,
    captured_at timestamptz NOT NULL,
    PRIMARY KEY (sr_id, book, market, specifier)
);

-- Every payload field path a book has shown, with when it was first seen.
CREATE TABLE IF NOT EXISTS core.payload_fields (
    book          text NOT NULL CHECK (book <> ''),
    path          text NOT NULL CHECK (path <> ''),
    first_seen_at timestamptz NOT NULL,
    first_sr_id   bigint,
    PRIMARY KEY (book, path)
);

-- The single-book reasons join the cross-book one; implied_sum becomes overround.
ALTER TABLE analytics.suspect_markets DROP CONSTRAINT IF EXISTS suspect_markets_reason_check;
ALTER TABLE analytics.suspect_markets DROP CONSTRAINT IF EXISTS suspect_markets_check;
UPDATE analytics.suspect_markets SET reason = 'overround' WHERE reason = 'implied_sum';
ALTER TABLE analytics.suspect_markets ADD COLUMN IF NOT EXISTS detail text;
ALTER TABLE analytics.suspect_markets
    ADD CONSTRAINT suspect_markets_reason_check
        CHECK (reason IN ('overround', 'ladder', 'identity', 'units', 'disagrees')),
    ADD CONSTRAINT suspect_markets_overround_sum CHECK (reason <> 'overround' OR implied_sum IS NOT NULL);

COMMENT ON COLUMN analytics.suspect_markets.reason IS
    'Why the market cannot be true. From the book''s own prices alone: overround (its implied probabilities '
    'sum to an overround no real market of its bet type has), ladder (its lines are not monotone: an over '
    'more likely than a lower over, a handicap less likely as it grows), identity (the same bet under two '
    'names priced apart: Asian handicap -0.5 home and the home win), units (a line outside the bounds the '
    'book''s own 1X2 or correct score put on it, as a line read in the wrong unit is). From other books: '
    'disagrees (some of its outcomes far from every other book''s price).';
COMMENT ON COLUMN analytics.suspect_markets.implied_sum IS
    'Sum of 1/price over the market''s outcomes (1 + margin); always set when reason is overround.';
COMMENT ON COLUMN analytics.suspect_markets.detail IS
    'What failed, with the prices that show it (for a single-book reason); null for disagrees.';

CREATE TABLE IF NOT EXISTS analytics.key_health (
    book               text NOT NULL,
    hour               timestamptz NOT NULL,
    captures           integer NOT NULL CHECK (captures >= 0),
    open_outcomes      bigint NOT NULL CHECK (open_outcomes >= 0),
    keyed_outcomes     bigint NOT NULL CHECK (keyed_outcomes >= 0),
    set_aside_outcomes bigint NOT NULL CHECK (set_aside_outcomes >= 0),
    suspect_outcomes   bigint NOT NULL CHECK (suspect_outcomes >= 0),
    keyed_share        double precision,
    set_aside_share    double precision,
    suspect_share      double precision,
    new_fields         text[] NOT NULL DEFAULT '{}',
    computed_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (book, hour),
    CHECK (hour = date_trunc('hour', hour AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
);

COMMENT ON TABLE analytics.key_health IS
    'Per book and UTC hour: how well the book''s answers keyed (its successful captures of that hour, from '
    'analytics.odds_captures), recomputed whole for an hour each time a capture of it is stored. The keys_drift '
    'alert compares each hour with the book''s own last seven days.';
COMMENT ON COLUMN analytics.key_health.book IS 'The book.';
COMMENT ON COLUMN analytics.key_health.hour IS 'Start of the UTC hour of the captures (their send time).';
COMMENT ON COLUMN analytics.key_health.captures IS 'Successful captures (status ok) of the book in the hour.';
COMMENT ON COLUMN analytics.key_health.open_outcomes IS 'Open outcomes in those answers, keyed or not.';
COMMENT ON COLUMN analytics.key_health.keyed_outcomes IS 'Of them, those that reached a canonical key.';
COMMENT ON COLUMN analytics.key_health.set_aside_outcomes IS
    'Outcomes or markets set aside with a reason (analytics.quarantined_rows says why).';
COMMENT ON COLUMN analytics.key_health.suspect_outcomes IS
    'Keyed outcomes in markets the single-book checks found impossible (analytics.suspect_markets).';
COMMENT ON COLUMN analytics.key_health.keyed_share IS 'keyed_outcomes / open_outcomes; null when nothing was open.';
COMMENT ON COLUMN analytics.key_health.set_aside_share IS
    'set_aside_outcomes / open_outcomes; null when nothing was open.';
COMMENT ON COLUMN analytics.key_health.suspect_share IS
    'suspect_outcomes / keyed_outcomes; null when nothing was keyed.';
COMMENT ON COLUMN analytics.key_health.new_fields IS
    'Payload fields the book showed for the first time in this hour (JSON paths, list positions as []).';
COMMENT ON COLUMN analytics.key_health.computed_at IS 'When the hour was last recomputed.';

COMMENT ON COLUMN analytics.alert_conditions.rule IS
    'The rule: live_gap, list_soon, price_out_of_line, feed_stale or keys_drift (a book''s keyed share down, or '
    'its suspect share up, against its own last seven days: analytics.key_health).';
