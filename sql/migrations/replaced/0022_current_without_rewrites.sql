-- Current prices without a rewrite per capture (issue 10: real depth at ten times the volume).
--
-- core.odds_current kept, per outcome, captured_at: the last capture that confirmed the price. Every capture
-- of an event therefore rewrote every one of its outcomes' rows, although 94 percent or more of them had not
-- changed since the capture before: at real depth (hundreds to thousands of outcomes per event and book) about
-- 200 bytes of WAL and a dead tuple per captured outcome, and most of the store's database CPU.
--
-- Every successful capture of an (event, book) either confirms or closes each of its outcomes, so the last
-- capture that confirmed an open or suspended outcome is the pair's last successful capture, one value per
-- pair; a closed outcome was last seen when it closed. So:
--   core.odds_current_prices  one row per outcome ever seen: price, state, changed_at; written only when the
--                             price or state changes (the former table, renamed, captured_at dropped)
--   core.odds_confirmed       one row per (event, book): its newest stored successful capture
--   core.odds_current         a view with the former table's columns, captured_at derived as above
-- Readers (analytics.odds_current, the comparison, analysts' queries) see the same rows as before.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0021_archive_packs

CREATE TABLE IF NOT EXISTS core.odds_confirmed (
    sr_id       bigint NOT NULL CHECK (sr_id > 0),
    book        text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    captured_at timestamptz NOT NULL,
    PRIMARY KEY (sr_id, book)
);
COMMENT ON TABLE core.odds_confirmed IS
    'The newest stored successful capture of each (event, book): the capture that last confirmed every open or '
    'suspended price of core.odds_current_prices for that pair. Moves only forward.';

DO $split$
BEGIN
    IF to_regclass('core.odds_current_prices') IS NOT NULL THEN
        RETURN;
    END IF;
    INSERT INTO core.odds_confirmed (sr_id, book, captured_at)
    SELECT sr_id, book, max(captured_at) FROM core.odds_current GROUP BY sr_id, book;
    DROP VIEW IF EXISTS analytics.odds_current;
    ALTER TABLE core.odds_current RENAME TO odds_current_prices;
    ALTER TABLE core.odds_current_prices DROP COLUMN captured_at;
    -- Rows are now updated only when a price moves: far less room is needed for HOT updates.
    ALTER TABLE core.odds_current_prices SET (fillfactor = 90);
END
$split$;

COMMENT ON TABLE core.odds_current_prices IS
    'One row per outcome ever seen on a book: its latest price and state and when they last changed; written '
    'only when they change (a closed outcome keeps its row). Read it through core.odds_current.';

CREATE OR REPLACE VIEW core.odds_current AS
SELECT p.sr_id,
       CASE WHEN p.state = 'closed' THEN p.changed_at ELSE greatest(c.captured_at, p.changed_at) END
           AS captured_at,
       p.changed_at, p.price, p.market, p.outcome, p.book, p.specifier, p.state
FROM core.odds_current_prices AS p
LEFT JOIN core.odds_confirmed AS c USING (sr_id, book);
COMMENT ON VIEW core.odds_current IS
    'Latest price and state of every outcome ever seen, with captured_at = the last capture that confirmed it '
    '(for a closed outcome, the capture that closed it).';

CREATE OR REPLACE VIEW analytics.odds_current AS
SELECT o.sr_id, m.kickoff_date, m.kickoff, m.sport, m.country, m.tournament, m.home, m.away,
       o.book, o.market, o.specifier, o.outcome, o.price, o.state, o.captured_at, o.changed_at
FROM core.odds_current AS o
LEFT JOIN LATERAL (
    SELECT me.kickoff_date, me.kickoff, me.sport, me.country, me.tournament, me.home, me.away
    FROM analytics.matched_events AS me
    WHERE me.sr_id = o.sr_id
    ORDER BY me.computed_at DESC, me.kickoff_date DESC
    LIMIT 1
) AS m ON true
WHERE o.state <> 'closed';

COMMENT ON VIEW analytics.odds_current IS
    'The latest price of every outcome each book currently offers or has suspended (closed outcomes excluded), '
    'with the match names from analytics.matched_events.';
COMMENT ON COLUMN analytics.odds_current.sr_id IS 'SportRadar match id: the key shared by the three books.';
COMMENT ON COLUMN analytics.odds_current.kickoff_date IS
    'Kick-off date (UTC) of the match; the partition key of the comparison tables.';
COMMENT ON COLUMN analytics.odds_current.kickoff IS
    'Kick-off time (timestamptz, shown in UTC) from analytics.matched_events.';
COMMENT ON COLUMN analytics.odds_current.sport IS 'Canonical sport key: football, basketball or tennis.';
COMMENT ON COLUMN analytics.odds_current.country IS
    'Country or region of the match as analytics.matched_events names it.';
COMMENT ON COLUMN analytics.odds_current.tournament IS 'Tournament name as analytics.matched_events gives it.';
COMMENT ON COLUMN analytics.odds_current.home IS 'Home team or player (names from analytics.matched_events).';
COMMENT ON COLUMN analytics.odds_current.away IS 'Away team or player (names from analytics.matched_events).';
COMMENT ON COLUMN analytics.odds_current.book IS 'Book: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.odds_current.market IS
    'Canonical market id (SportRadar UOF), e.g. 1 = 1X2, 18 = total goals.';
COMMENT ON COLUMN analytics.odds_current.specifier IS
    'Normalised market line, e.g. total=2.5 or hcp=-0.5; empty when the market has none.';
COMMENT ON COLUMN analytics.odds_current.outcome IS
    'Canonical outcome id (SportRadar UOF), e.g. 1 home, 2 draw, 3 away, 12 over, 13 under.';
COMMENT ON COLUMN analytics.odds_current.price IS
    'Decimal odds (above 1.0); null when the outcome is closed or the book shows no price.';
COMMENT ON COLUMN analytics.odds_current.state IS
    'open = can be bet on; suspended = shown but not bettable.';
COMMENT ON COLUMN analytics.odds_current.captured_at IS
    'When the price was last confirmed: the moment the request of the book''s latest successful capture of '
    'the match was sent (UTC).';
COMMENT ON COLUMN analytics.odds_current.changed_at IS
    'When the price or state last changed (UTC); captured_at - changed_at is how long it has held.';
