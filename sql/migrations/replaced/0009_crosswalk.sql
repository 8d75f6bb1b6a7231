-- One identity per event and per tournament across the books.
--
-- Events: the Genius Sports event id (BetPawa's GENIUSSPORTS widget, SportyBet's BET_GENIUS eventSource) is
-- stored next to the SportRadar id and links a match where one book lacks the SR id; matched_events says
-- which id linked it. Tournaments: analytics.tournament_crosswalk places every book tournament on one
-- canonical tournament keyed by the SportRadar tournament id (SportyBet's own id; for BetPawa competitions
-- and Bet9ja groups a majority vote of their events matched to SportyBet events, kept across runs), and
-- analytics.country_crosswalk places each book's countries on SportRadar categories. The coverage tables then
-- group by the canonical tournament and country instead of one book's spelling.
-- The derived tables this changes (matched_events, coverage_*) are emptied: their old rows have no canonical
-- key, and the next run of the pipeline recomputes them from the stored catalogues.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0002_analytics_tables 0003_analytics_views

-- ------------------------------------------------------------------------------------------ core catalogue

ALTER TABLE core.events ADD COLUMN IF NOT EXISTS genius_id bigint CHECK (genius_id > 0);
ALTER TABLE core.events ADD COLUMN IF NOT EXISTS country_id text;
ALTER TABLE core.tournaments ADD COLUMN IF NOT EXISTS country_id text;
CREATE INDEX IF NOT EXISTS events_genius_id_idx ON core.events (genius_id) WHERE genius_id IS NOT NULL;

CREATE OR REPLACE VIEW analytics.events AS
SELECT book, event_id, sr_id, home, away, kickoff, kickoff_date, tournament_id, tournament_name, country,
       sport, first_seen_at, last_seen_at, last_batch_id, genius_id, country_id
FROM core.events
WHERE deleted_at IS NULL;
COMMENT ON COLUMN analytics.events.sr_id IS
    'SportRadar match id the book gives; null when it gives none.';
COMMENT ON COLUMN analytics.events.genius_id IS
    'Genius Sports event id the book gives (BetPawa GENIUSSPORTS widget; SportyBet eventSource BET_GENIUS, '
    'seven leading 1s stripped); null when it gives none. Links a match where a book lacks the SR id.';
COMMENT ON COLUMN analytics.events.country_id IS
    'The book''s own id of the country (SportyBet sr:category:N, BetPawa region id, Bet9ja SG id); null when none.';

CREATE OR REPLACE VIEW analytics.tournaments AS
SELECT book, tournament_id, name, country, sport, event_count, first_seen_at, last_seen_at, country_id
FROM core.tournaments
WHERE deleted_at IS NULL;
COMMENT ON COLUMN analytics.tournaments.country_id IS
    'The book''s own id of the country (SportyBet sr:category:N, BetPawa region id, Bet9ja SG id); null when none.';

-- ------------------------------------------------------------------------------------------ crosswalk

CREATE TABLE IF NOT EXISTS analytics.tournament_crosswalk (
    book                 text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    tournament_id        text NOT NULL,
    sport                text NOT NULL,
    tournament_name      text NOT NULL,
    country              text,
    country_id           text,
    placement            text NOT NULL CHECK (placement IN ('sportradar', 'voted', 'carried', 'unplaced')),
    sr_tournament_id     text CHECK (sr_tournament_id ~ '^sr:(simple_)?tournament:[0-9]+$'),
    events               bigint NOT NULL CHECK (events >= 0),
    votes                bigint NOT NULL CHECK (votes >= 0),
    agreeing             bigint NOT NULL CHECK (agreeing >= 0 AND agreeing <= votes),
    agreement_share      double precision CHECK (agreement_share BETWEEN 0 AND 1),
    candidates           bigint NOT NULL CHECK (candidates >= 0),
    conflict             boolean NOT NULL,
    tied                 boolean NOT NULL,
    votes_by_tournament  text,
    canonical_tournament text,
    sr_category_id       text,
    canonical_country    text,
    country_iso          text,
    placed_at            timestamptz,
    computed_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (book, tournament_id),
    CHECK ((placement = 'unplaced') = (sr_tournament_id IS NULL)),
    CHECK (conflict = (candidates > 1))
);
CREATE INDEX IF NOT EXISTS tournament_crosswalk_sr_idx ON analytics.tournament_crosswalk (sr_tournament_id);

COMMENT ON TABLE analytics.tournament_crosswalk IS
    'Every tournament of every book placed on one canonical tournament, keyed by the SportRadar tournament id. '
    'SportyBet gives the id itself; a BetPawa competition or Bet9ja group takes the id most of its events '
    'matched to SportyBet events carry (majority vote). A tournament keeps its last placement while no event '
    'gives evidence (placement carried); one no event ever linked to SportyBet stays unplaced.';
COMMENT ON COLUMN analytics.tournament_crosswalk.book IS 'Book listing the tournament: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.tournament_crosswalk.tournament_id IS 'The book''s own tournament id (competition, group).';
COMMENT ON COLUMN analytics.tournament_crosswalk.sport IS 'Canonical sport key: football, basketball or tennis.';
COMMENT ON COLUMN analytics.tournament_crosswalk.tournament_name IS 'Tournament name as the book spells it.';
COMMENT ON COLUMN analytics.tournament_crosswalk.country IS 'Country as the book spells it; null when it gives none.';
COMMENT ON COLUMN analytics.tournament_crosswalk.country_id IS 'The book''s own id of that country; null when none.';
COMMENT ON COLUMN analytics.tournament_crosswalk.placement IS
    'sportradar = the book gives the SR tournament id (SportyBet); voted = placed by this run''s majority vote; '
    'carried = no evidence this run, the last placement is kept; unplaced = no event ever linked to SportyBet.';
COMMENT ON COLUMN analytics.tournament_crosswalk.sr_tournament_id IS
    'The canonical tournament: SportRadar id sr:tournament:N or sr:simple_tournament:N; null when unplaced.';
COMMENT ON COLUMN analytics.tournament_crosswalk.events IS 'Live events the book lists in the tournament now.';
COMMENT ON COLUMN analytics.tournament_crosswalk.votes IS
    'Of those, events matched to a SportyBet event (each votes for that event''s SR tournament).';
COMMENT ON COLUMN analytics.tournament_crosswalk.agreeing IS 'Votes for the chosen SR tournament.';
COMMENT ON COLUMN analytics.tournament_crosswalk.agreement_share IS
    'agreeing / votes, between 0 and 1; null when there were no votes this run.';
COMMENT ON COLUMN analytics.tournament_crosswalk.candidates IS 'Distinct SR tournaments the votes went to.';
COMMENT ON COLUMN analytics.tournament_crosswalk.conflict IS
    'Whether the votes split across more than one SR tournament (the book''s tournament mixes competitions).';
COMMENT ON COLUMN analytics.tournament_crosswalk.tied IS
    'Whether two SR tournaments shared the top vote; the previous placement wins a tie, else the lowest id.';
COMMENT ON COLUMN analytics.tournament_crosswalk.votes_by_tournament IS
    'The vote, most votes first: sr:tournament:N=votes, ...; null when there were no votes.';
COMMENT ON COLUMN analytics.tournament_crosswalk.canonical_tournament IS
    'Name of the canonical tournament (SportyBet''s, i.e. SportRadar''s spelling); null when unplaced.';
COMMENT ON COLUMN analytics.tournament_crosswalk.sr_category_id IS
    'SportRadar category (country) of the canonical tournament, sr:category:N; null when unplaced.';
COMMENT ON COLUMN analytics.tournament_crosswalk.canonical_country IS
    'Name of that SportRadar category (SportyBet''s spelling); null when unplaced.';
COMMENT ON COLUMN analytics.tournament_crosswalk.country_iso IS
    'ISO 3166 code of the canonical country (alpha-2, or a subdivision such as GB-ENG); null when none exists.';
COMMENT ON COLUMN analytics.tournament_crosswalk.placed_at IS 'When the current placement was last voted or given.';
COMMENT ON COLUMN analytics.tournament_crosswalk.computed_at IS 'When the pipeline last recomputed this row (UTC).';

CREATE TABLE IF NOT EXISTS analytics.country_crosswalk (
    book              text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    sport             text NOT NULL,
    country           text,
    sr_category_id    text,
    canonical_country text,
    country_iso       text,
    tournaments       bigint NOT NULL CHECK (tournaments >= 0),
    agreeing          bigint NOT NULL CHECK (agreeing >= 0 AND agreeing <= tournaments),
    agreement_share   double precision CHECK (agreement_share BETWEEN 0 AND 1),
    computed_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (book, sport, country)
);
COMMENT ON TABLE analytics.country_crosswalk IS
    'Every country of every book placed on a SportRadar category: the category most of its placed tournaments '
    'belong to. Books spell countries differently (South Korea, Korea Republic, Republic of Korea).';
COMMENT ON COLUMN analytics.country_crosswalk.book IS 'Book: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.country_crosswalk.sport IS 'Canonical sport key (categories are per sport).';
COMMENT ON COLUMN analytics.country_crosswalk.country IS 'Country as the book spells it; null when it gives none.';
COMMENT ON COLUMN analytics.country_crosswalk.sr_category_id IS
    'SportRadar category it is placed on, sr:category:N; null when none of its tournaments is placed.';
COMMENT ON COLUMN analytics.country_crosswalk.canonical_country IS 'SportRadar''s (SportyBet''s) name of that category.';
COMMENT ON COLUMN analytics.country_crosswalk.country_iso IS 'ISO 3166 code of the category; null when none exists.';
COMMENT ON COLUMN analytics.country_crosswalk.tournaments IS 'Placed tournaments of the book in this country.';
COMMENT ON COLUMN analytics.country_crosswalk.agreeing IS 'Of those, tournaments in the chosen category.';
COMMENT ON COLUMN analytics.country_crosswalk.agreement_share IS 'agreeing / tournaments; null when no tournament is placed.';
COMMENT ON COLUMN analytics.country_crosswalk.computed_at IS 'When the pipeline computed this row (UTC).';

-- ------------------------------------------------------------------------------------------ matched events

DELETE FROM analytics.matched_events;
ALTER TABLE analytics.matched_events DROP CONSTRAINT IF EXISTS matched_events_match_key_check;
ALTER TABLE analytics.matched_events ADD CONSTRAINT matched_events_match_key_check
    CHECK (match_key ~ '^(sr:[0-9]+|gs:[0-9]+|(betpawa|sportybet|bet9ja):.+)$');
ALTER TABLE analytics.matched_events
    ADD COLUMN IF NOT EXISTS genius_id bigint CHECK (genius_id > 0),
    ADD COLUMN IF NOT EXISTS linked_by text CHECK (linked_by IN ('sportradar', 'genius')),
    ADD COLUMN IF NOT EXISTS betpawa_tournament_id text,
    ADD COLUMN IF NOT EXISTS sportybet_tournament_id text,
    ADD COLUMN IF NOT EXISTS bet9ja_tournament_id text,
    ADD COLUMN IF NOT EXISTS tournament_key text,
    ADD COLUMN IF NOT EXISTS sr_tournament_id text,
    ADD COLUMN IF NOT EXISTS canonical_tournament text,
    ADD COLUMN IF NOT EXISTS sr_category_id text,
    ADD COLUMN IF NOT EXISTS canonical_country text,
    ADD COLUMN IF NOT EXISTS country_iso text;
ALTER TABLE analytics.matched_events DROP CONSTRAINT IF EXISTS matched_events_linked_by_books_check;
ALTER TABLE analytics.matched_events ADD CONSTRAINT matched_events_linked_by_books_check
    CHECK ((linked_by IS NULL) = (book_count = 1));

COMMENT ON COLUMN analytics.matched_events.match_key IS
    'Stable key of the match: sr:<SportRadar id>, gs:<Genius Sports id> when only a Genius id links its books, '
    'or <book>:<event id> for an event nothing links.';
COMMENT ON COLUMN analytics.matched_events.sr_id IS
    'SportRadar match id any listing book gives (a book linked through the Genius id may lack it); null when '
    'none does.';
COMMENT ON COLUMN analytics.matched_events.genius_id IS
    'Genius Sports event id any listing book gives (BetPawa widget, SportyBet Genius feed); null when none does.';
COMMENT ON COLUMN analytics.matched_events.linked_by IS
    'Which id linked the books: sportradar = every listing book gives the SR id; genius = at least one book was '
    'linked through the Genius Sports id only; null when one book lists the match.';
COMMENT ON COLUMN analytics.matched_events.betpawa_tournament_id IS
    'BetPawa''s own competition id for the match; null when BetPawa does not list it.';
COMMENT ON COLUMN analytics.matched_events.sportybet_tournament_id IS
    'SportyBet''s own tournament id for the match (the SportRadar id, sr:tournament:N); null when not listed.';
COMMENT ON COLUMN analytics.matched_events.bet9ja_tournament_id IS
    'Bet9ja''s own group id for the match; null when Bet9ja does not list it.';
COMMENT ON COLUMN analytics.matched_events.tournament_key IS
    'Key of the canonical tournament: sr_tournament_id, or <book>:<tournament id> of the name source when '
    'unplaced (always set by the pipeline).';
COMMENT ON COLUMN analytics.matched_events.sr_tournament_id IS
    'Canonical tournament (SportRadar id): SportyBet''s when it lists the match, else the crosswalk placement of '
    'BetPawa''s competition, else of Bet9ja''s group; null when none is placed (see tournament_crosswalk).';
COMMENT ON COLUMN analytics.matched_events.canonical_tournament IS
    'Canonical tournament name (SportRadar''s); the name source''s own name when unplaced.';
COMMENT ON COLUMN analytics.matched_events.sr_category_id IS
    'SportRadar category (country) of the canonical tournament; else of the name source''s country per '
    'country_crosswalk; null when unknown.';
COMMENT ON COLUMN analytics.matched_events.canonical_country IS
    'Canonical country name (SportRadar''s); the name source''s own spelling when no category is known.';
COMMENT ON COLUMN analytics.matched_events.country_iso IS 'ISO 3166 code of the canonical country; null when none exists.';

-- ------------------------------------------------------------------------------------------ coverage tables

DELETE FROM analytics.coverage_overall;
DELETE FROM analytics.coverage_by_sport;
DELETE FROM analytics.coverage_by_country;
DELETE FROM analytics.coverage_by_tournament;

-- The grouping keys change: drop each table's old unique key, whatever Postgres named it.
DO $unique$
DECLARE
    con record;
BEGIN
    FOR con IN SELECT c.conname, t.relname FROM pg_constraint AS c JOIN pg_class AS t ON t.oid = c.conrelid
               JOIN pg_namespace AS n ON n.oid = t.relnamespace
               WHERE n.nspname = 'analytics' AND c.contype = 'u'
                 AND t.relname IN ('coverage_by_country', 'coverage_by_tournament') LOOP
        EXECUTE 'ALTER TABLE analytics.' || quote_ident(con.relname) || ' DROP CONSTRAINT ' || quote_ident(con.conname);
    END LOOP;
END
$unique$;

ALTER TABLE analytics.coverage_overall ADD COLUMN IF NOT EXISTS linked_by_genius bigint NOT NULL DEFAULT 0
    CHECK (linked_by_genius >= 0);
ALTER TABLE analytics.coverage_by_sport ADD COLUMN IF NOT EXISTS linked_by_genius bigint NOT NULL DEFAULT 0
    CHECK (linked_by_genius >= 0);
ALTER TABLE analytics.coverage_by_country
    ADD COLUMN IF NOT EXISTS linked_by_genius bigint NOT NULL DEFAULT 0 CHECK (linked_by_genius >= 0),
    ADD COLUMN IF NOT EXISTS sr_category_id text,
    ADD COLUMN IF NOT EXISTS country_iso text;
ALTER TABLE analytics.coverage_by_country DROP CONSTRAINT IF EXISTS coverage_by_country_key;
ALTER TABLE analytics.coverage_by_country ADD CONSTRAINT coverage_by_country_key
    UNIQUE NULLS NOT DISTINCT (kickoff_date, sport, sr_category_id, country);
ALTER TABLE analytics.coverage_by_tournament
    ADD COLUMN IF NOT EXISTS linked_by_genius bigint NOT NULL DEFAULT 0 CHECK (linked_by_genius >= 0),
    ADD COLUMN IF NOT EXISTS tournament_key text NOT NULL,
    ADD COLUMN IF NOT EXISTS placed boolean NOT NULL,
    ADD COLUMN IF NOT EXISTS sr_tournament_id text,
    ADD COLUMN IF NOT EXISTS sr_category_id text,
    ADD COLUMN IF NOT EXISTS country_iso text,
    ADD COLUMN IF NOT EXISTS betpawa_tournament_id text,
    ADD COLUMN IF NOT EXISTS betpawa_tournament_name text,
    ADD COLUMN IF NOT EXISTS sportybet_tournament_id text,
    ADD COLUMN IF NOT EXISTS sportybet_tournament_name text,
    ADD COLUMN IF NOT EXISTS bet9ja_tournament_id text,
    ADD COLUMN IF NOT EXISTS bet9ja_tournament_name text;
ALTER TABLE analytics.coverage_by_tournament DROP CONSTRAINT IF EXISTS coverage_by_tournament_key;
ALTER TABLE analytics.coverage_by_tournament ADD CONSTRAINT coverage_by_tournament_key
    UNIQUE (kickoff_date, sport, tournament_key);
ALTER TABLE analytics.coverage_by_tournament DROP CONSTRAINT IF EXISTS coverage_by_tournament_placed_check;
ALTER TABLE analytics.coverage_by_tournament ADD CONSTRAINT coverage_by_tournament_placed_check
    CHECK (placed = (sr_tournament_id IS NOT NULL));

COMMENT ON TABLE analytics.coverage_by_country IS
    'Coverage of BetPawa against SportyBet and Bet9ja per sport and canonical country (SportRadar category), per '
    'kick-off date (UTC). Counts are of matches (rows of analytics.matched_events), each counted once.';
COMMENT ON TABLE analytics.coverage_by_tournament IS
    'Coverage of BetPawa against SportyBet and Bet9ja per sport and canonical tournament (SportRadar tournament '
    'id, see analytics.tournament_crosswalk), per kick-off date (UTC); a tournament the crosswalk cannot place '
    'keeps its own row (placed = false). Counts are of matches (rows of analytics.matched_events).';

DO $comments$
DECLARE
    tbl text;
    col record;
BEGIN
    FOREACH tbl IN ARRAY ARRAY['coverage_overall', 'coverage_by_sport', 'coverage_by_country',
                               'coverage_by_tournament'] LOOP
        FOR col IN SELECT * FROM (VALUES
            ('country', 'Canonical country: SportRadar''s name of the category; the name source''s own spelling '
                        'when no category is known; null (one group) when no book gives one.'),
            ('tournament', 'Canonical tournament name (SportRadar''s); the name source''s own name when unplaced.'),
            ('linked_by_genius', 'Matches whose books were linked through the Genius Sports id only (a book '
                                 'lacked the SportRadar id).'),
            ('tournament_key', 'Key of the row''s tournament: sr_tournament_id, or <book>:<tournament id> of the '
                               'name source for a tournament the crosswalk cannot place.'),
            ('placed', 'Whether the tournament is placed on a SportRadar tournament (false: the book''s own row).'),
            ('sr_tournament_id', 'Canonical tournament: SportRadar id (sr:tournament:N); null when unplaced.'),
            ('sr_category_id', 'Canonical country: SportRadar category id (sr:category:N); null when unknown.'),
            ('country_iso', 'ISO 3166 code of the canonical country (alpha-2 or e.g. GB-ENG); null when none exists.'),
            ('betpawa_tournament_id', 'BetPawa''s competition id for this tournament (the one with most agreeing '
                                      'votes in the crosswalk); null when BetPawa has none.'),
            ('betpawa_tournament_name', 'BetPawa''s name for it.'),
            ('sportybet_tournament_id', 'SportyBet''s tournament id for it (the SR id itself when placed).'),
            ('sportybet_tournament_name', 'SportyBet''s name for it.'),
            ('bet9ja_tournament_id', 'Bet9ja''s group id for this tournament (most agreeing votes); null when none.'),
            ('bet9ja_tournament_name', 'Bet9ja''s name for it.')
        ) AS c (name, comment) LOOP
            IF EXISTS (SELECT FROM information_schema.columns
                       WHERE table_schema = 'analytics' AND table_name = tbl AND column_name = col.name) THEN
                EXECUTE 'COMMENT ON COLUMN analytics.' || quote_ident(tbl) || '.' || quote_ident(col.name)
                        || ' IS ' || quote_literal(col.comment);
            END IF;
        END LOOP;
    END LOOP;
END
$comments$;
