-- Compact odds history: one row per (event, book, capture) holding that capture's price changes as two integer
-- arrays, market keys integer-coded through a dimension table, prices as integer thousandths.
--
-- Why: real events carry hundreds to thousands of outcomes per book, and the row-per-change layout of 0004 cost
-- about 166 bytes per stored change (a 24-byte tuple header, three text columns and a six-column primary key
-- per change). Here a change costs 8 bytes of array payload, and the tuple header, the (sr_id, book,
-- captured_at) key and its index entry are shared by every change of the same capture (bench_storage.py
-- measures the bytes per change, both layouts side by side).
--
-- Encoding of one change (core.odds_changes.codes, decoded by the view core.odds_history):
--   code > 0    open at price code / 1000
--   code < -1   suspended at price -code / 1000
--   code = -1   suspended without a price
--   code = 0    closed (absent from a successful capture)
-- Books quote decimal odds with at most two decimals (every price of the 15 real captures); the store
-- quarantines a price that thousandths do not hold exactly, so a decoded price equals the stored one bit for
-- bit (an integer over 1000, in double precision, is correctly rounded). Prices are > 1, so an open or
-- suspended price is never coded 0 or -1.
--
-- core.odds_history stays the name readers use: a view with the 0004 columns, one row per change.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0016_catalogue_freshness

CREATE TABLE IF NOT EXISTS core.market_keys (
    key_id    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    market    integer NOT NULL,
    outcome   integer NOT NULL,
    specifier text NOT NULL,
    UNIQUE (market, specifier, outcome)
);
COMMENT ON TABLE core.market_keys IS
    'Dimension of canonical outcome keys (UOF market, normalised specifier, outcome): core.odds_changes '
    'stores key_id instead of the three columns. Rows are only ever added.';

-- book: 1 betpawa, 2 sportybet, 3 bet9ja (core.odds_book_names below). 8-byte columns first: no padding.
CREATE TABLE IF NOT EXISTS core.odds_changes (
    captured_at timestamptz NOT NULL,
    sr_id       bigint NOT NULL CHECK (sr_id > 0),
    book        smallint NOT NULL CHECK (book BETWEEN 1 AND 3),
    key_ids     integer[] NOT NULL,
    codes       integer[] NOT NULL,
    CHECK (cardinality(key_ids) = cardinality(codes) AND cardinality(key_ids) > 0),
    PRIMARY KEY (sr_id, book, captured_at)
) PARTITION BY RANGE (captured_at);
COMMENT ON TABLE core.odds_changes IS
    'Change-only odds history, one row per event, book and capture that changed something: key_ids[i] '
    '(core.market_keys) changed to codes[i] (see 0017_compact_history.sql). Read it through core.odds_history.';

-- Existing history moves over: partitions for its days, then its rows grouped per capture.
DO $convert$
DECLARE
    day date;
BEGIN
    IF to_regclass('core.odds_history') IS NULL
       OR (SELECT relkind FROM pg_class WHERE oid = 'core.odds_history'::regclass) <> 'p' THEN
        RETURN;
    END IF;
    FOR day IN SELECT DISTINCT (captured_at AT TIME ZONE 'UTC')::date FROM core.odds_history LOOP
        EXECUTE format(
            'CREATE TABLE IF NOT EXISTS core.%I PARTITION OF core.odds_changes FOR VALUES FROM (%L) TO (%L)',
            'odds_changes_p' || to_char(day, 'YYYYMMDD'),
            (day::timestamp AT TIME ZONE 'UTC'), ((day + 1)::timestamp AT TIME ZONE 'UTC'));
    END LOOP;
    INSERT INTO core.market_keys (market, specifier, outcome)
    SELECT DISTINCT market, specifier, outcome FROM core.odds_history
    ORDER BY market, specifier, outcome
    ON CONFLICT DO NOTHING;
    INSERT INTO core.odds_changes (captured_at, sr_id, book, key_ids, codes)
    SELECT h.captured_at, h.sr_id, array_position(ARRAY['betpawa', 'sportybet', 'bet9ja'], h.book)::smallint,
           array_agg(k.key_id ORDER BY k.key_id),
           array_agg(CASE h.state WHEN 'closed' THEN 0
                                  WHEN 'suspended' THEN coalesce(-round(h.price * 1000)::integer, -1)
                                  ELSE round(h.price * 1000)::integer END ORDER BY k.key_id)
    FROM core.odds_history AS h
    JOIN core.market_keys AS k USING (market, specifier, outcome)
    GROUP BY h.captured_at, h.sr_id, h.book;
    DROP VIEW IF EXISTS analytics.odds_history;
    DROP TABLE core.odds_history;
END
$convert$;

CREATE OR REPLACE VIEW core.odds_history AS
SELECT c.captured_at, c.sr_id,
       CASE WHEN u.code > 0 THEN u.code::double precision / 1000
            WHEN u.code < -1 THEN -u.code::double precision / 1000 END AS price,
       k.market, k.outcome, (ARRAY['betpawa', 'sportybet', 'bet9ja'])[c.book] AS book, k.specifier,
       CASE WHEN u.code > 0 THEN 'open' WHEN u.code = 0 THEN 'closed' ELSE 'suspended' END AS state
FROM core.odds_changes AS c
CROSS JOIN LATERAL unnest(c.key_ids, c.codes) AS u (key_id, code)
JOIN core.market_keys AS k ON k.key_id = u.key_id;
COMMENT ON VIEW core.odds_history IS
    'core.odds_changes decoded: one row per price change, in the columns of the former table.';

CREATE OR REPLACE VIEW analytics.odds_history AS
SELECT sr_id, book, market, specifier, outcome, price, state, captured_at
FROM core.odds_history;
COMMENT ON VIEW analytics.odds_history IS
    'Price changes: one row each time an outcome''s price or state changed (opened, moved, suspended, '
    'closed). The price at any moment is the latest row at or before it; nothing is written while it holds.';
COMMENT ON COLUMN analytics.odds_history.sr_id IS 'SportRadar match id: the key shared by the three books.';
COMMENT ON COLUMN analytics.odds_history.book IS 'The bookmaker: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.odds_history.market IS 'Canonical (SportRadar UOF) market id.';
COMMENT ON COLUMN analytics.odds_history.specifier IS
    'Normalised market specifier (e.g. total=2.5, hcp=-1); empty when the market has none.';
COMMENT ON COLUMN analytics.odds_history.outcome IS 'Canonical (UOF) outcome id within the market.';
COMMENT ON COLUMN analytics.odds_history.price IS
    'Decimal odds from this change on; null when closed, or suspended without a price.';
COMMENT ON COLUMN analytics.odds_history.state IS
    'open, suspended or closed (absent from a successful capture of that book).';
COMMENT ON COLUMN analytics.odds_history.captured_at IS
    'When the capture that saw the change was sent to the book (UTC).';
