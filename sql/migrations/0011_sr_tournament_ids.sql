-- Matched events and per-tournament coverage carry the SportRadar tournament id (analytics.tournament_crosswalk
-- places each book's tournament on one), and a view lists each book's own id and spelling of every canonical
-- tournament beside its coverage.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0002_analytics_tables 0009_tournament_crosswalk

ALTER TABLE analytics.matched_events ADD COLUMN IF NOT EXISTS sr_tournament_id text;
ALTER TABLE analytics.coverage_by_tournament ADD COLUMN IF NOT EXISTS sr_tournament_id text;

-- The tournament key now includes the SportRadar id: two competitions that share a name stay two rows.
DO $key$
DECLARE
    old_key text;
BEGIN
    SELECT conname INTO old_key FROM pg_constraint
    WHERE conrelid = 'analytics.coverage_by_tournament'::regclass AND contype = 'u';
    IF old_key IS NOT NULL AND old_key <> 'coverage_by_tournament_key' THEN
        EXECUTE 'ALTER TABLE analytics.coverage_by_tournament DROP CONSTRAINT ' || quote_ident(old_key);
    END IF;
END
$key$;
ALTER TABLE analytics.coverage_by_tournament DROP CONSTRAINT IF EXISTS coverage_by_tournament_key;
ALTER TABLE analytics.coverage_by_tournament ADD CONSTRAINT coverage_by_tournament_key
    UNIQUE NULLS NOT DISTINCT (kickoff_date, sport, country, tournament, sr_tournament_id);

COMMENT ON COLUMN analytics.matched_events.sr_tournament_id IS
    'SportRadar tournament id of the match (sr:tournament:N); null when the source book''s tournament is '
    'not placed (see analytics.tournament_crosswalk).';
COMMENT ON COLUMN analytics.coverage_by_tournament.sr_tournament_id IS
    'SportRadar tournament id of the row (sr:tournament:N); null for a book tournament not placed yet, which '
    'keeps its book''s own spelling in tournament.';

CREATE OR REPLACE VIEW analytics.coverage_by_tournament_books AS
SELECT c.*,
       b.betpawa_tournament_ids, b.betpawa_tournament_names,
       b.sportybet_tournament_ids, b.sportybet_tournament_names,
       b.bet9ja_tournament_ids, b.bet9ja_tournament_names
FROM analytics.coverage_by_tournament AS c
LEFT JOIN LATERAL (
    SELECT string_agg(x.tournament_id, ', ' ORDER BY x.tournament_id) FILTER (WHERE x.book = 'betpawa')
               AS betpawa_tournament_ids,
           string_agg(x.tournament_name, ', ' ORDER BY x.tournament_id) FILTER (WHERE x.book = 'betpawa')
               AS betpawa_tournament_names,
           string_agg(x.tournament_id, ', ' ORDER BY x.tournament_id) FILTER (WHERE x.book = 'sportybet')
               AS sportybet_tournament_ids,
           string_agg(x.tournament_name, ', ' ORDER BY x.tournament_id) FILTER (WHERE x.book = 'sportybet')
               AS sportybet_tournament_names,
           string_agg(x.tournament_id, ', ' ORDER BY x.tournament_id) FILTER (WHERE x.book = 'bet9ja')
               AS bet9ja_tournament_ids,
           string_agg(x.tournament_name, ', ' ORDER BY x.tournament_id) FILTER (WHERE x.book = 'bet9ja')
               AS bet9ja_tournament_names
    FROM analytics.tournament_crosswalk AS x
    WHERE x.sr_tournament_id = c.sr_tournament_id
) AS b ON true;

COMMENT ON VIEW analytics.coverage_by_tournament_books IS
    'analytics.coverage_by_tournament with each book''s own tournament ids and spellings for the row''s '
    'SportRadar tournament (from analytics.tournament_crosswalk); empty for an unplaced row.';

-- The view's columns: those of coverage_by_tournament keep their comments, the book columns get their own.
DO $comments$
DECLARE
    col record;
BEGIN
    FOR col IN
        SELECT a.attname, col_description('analytics.coverage_by_tournament'::regclass, a.attnum) AS note
        FROM pg_attribute AS a
        WHERE a.attrelid = 'analytics.coverage_by_tournament'::regclass AND a.attnum > 0 AND NOT a.attisdropped
    LOOP
        EXECUTE 'COMMENT ON COLUMN analytics.coverage_by_tournament_books.' || quote_ident(col.attname)
            || ' IS ' || quote_literal(coalesce(col.note, col.attname));
    END LOOP;
END
$comments$;
COMMENT ON COLUMN analytics.coverage_by_tournament_books.betpawa_tournament_ids IS
    'BetPawa''s competition id(s) placed on this SportRadar tournament.';
COMMENT ON COLUMN analytics.coverage_by_tournament_books.betpawa_tournament_names IS
    'BetPawa''s spelling(s) of it.';
COMMENT ON COLUMN analytics.coverage_by_tournament_books.sportybet_tournament_ids IS
    'SportyBet''s tournament id (the SportRadar id itself).';
COMMENT ON COLUMN analytics.coverage_by_tournament_books.sportybet_tournament_names IS
    'SportyBet''s spelling of it (the canonical name).';
COMMENT ON COLUMN analytics.coverage_by_tournament_books.bet9ja_tournament_ids IS
    'Bet9ja''s group id(s) placed on this SportRadar tournament.';
COMMENT ON COLUMN analytics.coverage_by_tournament_books.bet9ja_tournament_names IS
    'Bet9ja''s spelling(s) of it.';
