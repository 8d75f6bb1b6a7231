-- Analytics tables written by the pipeline (Polars transforms) and read by analysts.
-- Each table is replaced one kick-off date at a time, in one transaction, so readers never see half a day.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0001_core

CREATE TABLE IF NOT EXISTS analytics.matched_events (
    kickoff_date       date NOT NULL,
    match_key          text NOT NULL
                       CHECK (match_key ~ '^(sr:[0-9]+|(betpawa|sportybet|bet9ja):.+)$'),
    sr_id              bigint CHECK (sr_id > 0),
    kickoff            timestamptz NOT NULL,
    sport              text NOT NULL,
    country            text,
    tournament         text,
    home               text NOT NULL,
    away               text NOT NULL,
    name_source        text NOT NULL CHECK (name_source IN ('betpawa', 'sportybet', 'bet9ja')),
    betpawa_event_id   text,
    sportybet_event_id text,
    bet9ja_event_id    text,
    on_betpawa         boolean NOT NULL,
    on_sportybet       boolean NOT NULL,
    on_bet9ja          boolean NOT NULL,
    book_count         smallint NOT NULL CHECK (book_count BETWEEN 1 AND 3),
    status             text NOT NULL CHECK (status IN ('matched', 'betpawa_only', 'competitor_only')),
    computed_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kickoff_date, match_key),
    CHECK (book_count = on_betpawa::int + on_sportybet::int + on_bet9ja::int),
    CHECK (on_betpawa = (betpawa_event_id IS NOT NULL)),
    CHECK (on_sportybet = (sportybet_event_id IS NOT NULL)),
    CHECK (on_bet9ja = (bet9ja_event_id IS NOT NULL)),
    CHECK (status = CASE
        WHEN on_betpawa AND (on_sportybet OR on_bet9ja) THEN 'matched'
        WHEN on_betpawa THEN 'betpawa_only'
        ELSE 'competitor_only' END)
);
CREATE INDEX IF NOT EXISTS matched_events_sr_id_idx ON analytics.matched_events (sr_id) WHERE sr_id IS NOT NULL;

COMMENT ON TABLE analytics.matched_events IS
    'One row per match and kick-off date across BetPawa, SportyBet and Bet9ja. Events sharing a SportRadar id '
    'are one match; an event without one stands alone. Recomputed per kick-off date from the live catalogues.';
COMMENT ON COLUMN analytics.matched_events.kickoff_date IS
    'Kick-off date (UTC) of the match, taken from the book whose names are shown (name_source).';
COMMENT ON COLUMN analytics.matched_events.match_key IS
    'Stable key of the match: sr:<SportRadar id>, or <book>:<event id> for an event without a SportRadar id.';
COMMENT ON COLUMN analytics.matched_events.sr_id IS
    'SportRadar match id shared by the books; null when the (single) listing book gives none.';
COMMENT ON COLUMN analytics.matched_events.kickoff IS 'Kick-off time (timestamptz, shown in UTC) from name_source.';
COMMENT ON COLUMN analytics.matched_events.sport IS 'Canonical sport key: football, basketball or tennis.';
COMMENT ON COLUMN analytics.matched_events.country IS
    'Country or region as name_source names it; null when that book gives none.';
COMMENT ON COLUMN analytics.matched_events.tournament IS 'Tournament name as name_source gives it.';
COMMENT ON COLUMN analytics.matched_events.home IS 'Home team or player as name_source spells it.';
COMMENT ON COLUMN analytics.matched_events.away IS 'Away team or player as name_source spells it.';
COMMENT ON COLUMN analytics.matched_events.name_source IS
    'Book whose names, tournament, country and kick-off are shown: BetPawa when it lists the match, else '
    'SportyBet, else Bet9ja.';
COMMENT ON COLUMN analytics.matched_events.betpawa_event_id IS 'BetPawa''s own event id; null when BetPawa does not list the match.';
COMMENT ON COLUMN analytics.matched_events.sportybet_event_id IS 'SportyBet''s own event id (sr:match:N); null when SportyBet does not list it.';
COMMENT ON COLUMN analytics.matched_events.bet9ja_event_id IS 'Bet9ja''s own event id; null when Bet9ja does not list the match.';
COMMENT ON COLUMN analytics.matched_events.on_betpawa IS 'Whether BetPawa lists the match.';
COMMENT ON COLUMN analytics.matched_events.on_sportybet IS 'Whether SportyBet lists the match.';
COMMENT ON COLUMN analytics.matched_events.on_bet9ja IS 'Whether Bet9ja lists the match.';
COMMENT ON COLUMN analytics.matched_events.book_count IS 'How many of the three books list the match (1 to 3).';
COMMENT ON COLUMN analytics.matched_events.status IS
    'matched = on BetPawa and at least one competitor; betpawa_only = on BetPawa alone; competitor_only = on '
    'at least one competitor but not on BetPawa.';
COMMENT ON COLUMN analytics.matched_events.computed_at IS 'When the pipeline computed this row (UTC).';

-- The four coverage tables share their metric columns; only the grouping keys differ.
-- country / tournament may be null (the book gave none): null groups as one value (NULLS NOT DISTINCT).

CREATE TABLE IF NOT EXISTS analytics.coverage_overall (
    kickoff_date              date NOT NULL,
    total                     bigint NOT NULL CHECK (total >= 0),
    matched                   bigint NOT NULL CHECK (matched >= 0),
    betpawa_only              bigint NOT NULL CHECK (betpawa_only >= 0),
    competitor_only           bigint NOT NULL CHECK (competitor_only >= 0),
    only_sportybet            bigint NOT NULL CHECK (only_sportybet >= 0),
    only_bet9ja               bigint NOT NULL CHECK (only_bet9ja >= 0),
    sportybet_and_bet9ja_only bigint NOT NULL CHECK (sportybet_and_bet9ja_only >= 0),
    on_all_three              bigint NOT NULL CHECK (on_all_three >= 0),
    betpawa_events            bigint NOT NULL CHECK (betpawa_events >= 0),
    sportybet_events          bigint NOT NULL CHECK (sportybet_events >= 0),
    bet9ja_events             bigint NOT NULL CHECK (bet9ja_events >= 0),
    sportybet_not_betpawa     bigint NOT NULL CHECK (sportybet_not_betpawa >= 0),
    bet9ja_not_betpawa        bigint NOT NULL CHECK (bet9ja_not_betpawa >= 0),
    betpawa_not_sportybet     bigint NOT NULL CHECK (betpawa_not_sportybet >= 0),
    betpawa_not_bet9ja        bigint NOT NULL CHECK (betpawa_not_bet9ja >= 0),
    without_sr_id             bigint NOT NULL CHECK (without_sr_id >= 0),
    match_rate                double precision CHECK (match_rate BETWEEN 0 AND 1),
    betpawa_coverage          double precision CHECK (betpawa_coverage BETWEEN 0 AND 1),
    computed_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (kickoff_date)
);

CREATE TABLE IF NOT EXISTS analytics.coverage_by_sport (
    kickoff_date              date NOT NULL,
    sport                     text NOT NULL,
    total                     bigint NOT NULL CHECK (total >= 0),
    matched                   bigint NOT NULL CHECK (matched >= 0),
    betpawa_only              bigint NOT NULL CHECK (betpawa_only >= 0),
    competitor_only           bigint NOT NULL CHECK (competitor_only >= 0),
    only_sportybet            bigint NOT NULL CHECK (only_sportybet >= 0),
    only_bet9ja               bigint NOT NULL CHECK (only_bet9ja >= 0),
    sportybet_and_bet9ja_only bigint NOT NULL CHECK (sportybet_and_bet9ja_only >= 0),
    on_all_three              bigint NOT NULL CHECK (on_all_three >= 0),
    betpawa_events            bigint NOT NULL CHECK (betpawa_events >= 0),
    sportybet_events          bigint NOT NULL CHECK (sportybet_events >= 0),
    bet9ja_events             bigint NOT NULL CHECK (bet9ja_events >= 0),
    sportybet_not_betpawa     bigint NOT NULL CHECK (sportybet_not_betpawa >= 0),
    bet9ja_not_betpawa        bigint NOT NULL CHECK (bet9ja_not_betpawa >= 0),
    betpawa_not_sportybet     bigint NOT NULL CHECK (betpawa_not_sportybet >= 0),
    betpawa_not_bet9ja        bigint NOT NULL CHECK (betpawa_not_bet9ja >= 0),
    without_sr_id             bigint NOT NULL CHECK (without_sr_id >= 0),
    match_rate                double precision CHECK (match_rate BETWEEN 0 AND 1),
    betpawa_coverage          double precision CHECK (betpawa_coverage BETWEEN 0 AND 1),
    computed_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (kickoff_date, sport)
);

CREATE TABLE IF NOT EXISTS analytics.coverage_by_country (
    kickoff_date              date NOT NULL,
    sport                     text NOT NULL,
    country                   text,
    total                     bigint NOT NULL CHECK (total >= 0),
    matched                   bigint NOT NULL CHECK (matched >= 0),
    betpawa_only              bigint NOT NULL CHECK (betpawa_only >= 0),
    competitor_only           bigint NOT NULL CHECK (competitor_only >= 0),
    only_sportybet            bigint NOT NULL CHECK (only_sportybet >= 0),
    only_bet9ja               bigint NOT NULL CHECK (only_bet9ja >= 0),
    sportybet_and_bet9ja_only bigint NOT NULL CHECK (sportybet_and_bet9ja_only >= 0),
    on_all_three              bigint NOT NULL CHECK (on_all_three >= 0),
    betpawa_events            bigint NOT NULL CHECK (betpawa_events >= 0),
    sportybet_events          bigint NOT NULL CHECK (sportybet_events >= 0),
    bet9ja_events             bigint NOT NULL CHECK (bet9ja_events >= 0),
    sportybet_not_betpawa     bigint NOT NULL CHECK (sportybet_not_betpawa >= 0),
    bet9ja_not_betpawa        bigint NOT NULL CHECK (bet9ja_not_betpawa >= 0),
    betpawa_not_sportybet     bigint NOT NULL CHECK (betpawa_not_sportybet >= 0),
    betpawa_not_bet9ja        bigint NOT NULL CHECK (betpawa_not_bet9ja >= 0),
    without_sr_id             bigint NOT NULL CHECK (without_sr_id >= 0),
    match_rate                double precision CHECK (match_rate BETWEEN 0 AND 1),
    betpawa_coverage          double precision CHECK (betpawa_coverage BETWEEN 0 AND 1),
    computed_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (kickoff_date, sport, country)
);

CREATE TABLE IF NOT EXISTS analytics.coverage_by_tournament (
    kickoff_date              date NOT NULL,
    sport                     text NOT NULL,
    country                   text,
    tournament                text,
    total                     bigint NOT NULL CHECK (total >= 0),
    matched                   bigint NOT NULL CHECK (matched >= 0),
    betpawa_only              bigint NOT NULL CHECK (betpawa_only >= 0),
    competitor_only           bigint NOT NULL CHECK (competitor_only >= 0),
    only_sportybet            bigint NOT NULL CHECK (only_sportybet >= 0),
    only_bet9ja               bigint NOT NULL CHECK (only_bet9ja >= 0),
    sportybet_and_bet9ja_only bigint NOT NULL CHECK (sportybet_and_bet9ja_only >= 0),
    on_all_three              bigint NOT NULL CHECK (on_all_three >= 0),
    betpawa_events            bigint NOT NULL CHECK (betpawa_events >= 0),
    sportybet_events          bigint NOT NULL CHECK (sportybet_events >= 0),
    bet9ja_events             bigint NOT NULL CHECK (bet9ja_events >= 0),
    sportybet_not_betpawa     bigint NOT NULL CHECK (sportybet_not_betpawa >= 0),
    bet9ja_not_betpawa        bigint NOT NULL CHECK (bet9ja_not_betpawa >= 0),
    betpawa_not_sportybet     bigint NOT NULL CHECK (betpawa_not_sportybet >= 0),
    betpawa_not_bet9ja        bigint NOT NULL CHECK (betpawa_not_bet9ja >= 0),
    without_sr_id             bigint NOT NULL CHECK (without_sr_id >= 0),
    match_rate                double precision CHECK (match_rate BETWEEN 0 AND 1),
    betpawa_coverage          double precision CHECK (betpawa_coverage BETWEEN 0 AND 1),
    computed_at               timestamptz NOT NULL DEFAULT now(),
    UNIQUE NULLS NOT DISTINCT (kickoff_date, sport, country, tournament)
);

COMMENT ON TABLE analytics.coverage_overall IS
    'Coverage of BetPawa against SportyBet and Bet9ja all sports together, per kick-off date (UTC). Counts are of matches (rows of analytics.matched_events), each counted once however many books list it.';
COMMENT ON TABLE analytics.coverage_by_sport IS
    'Coverage of BetPawa against SportyBet and Bet9ja per sport, per kick-off date (UTC). Counts are of matches (rows of analytics.matched_events), each counted once however many books list it.';
COMMENT ON TABLE analytics.coverage_by_country IS
    'Coverage of BetPawa against SportyBet and Bet9ja per sport and country, per kick-off date (UTC). Counts are of matches (rows of analytics.matched_events), each counted once however many books list it.';
COMMENT ON TABLE analytics.coverage_by_tournament IS
    'Coverage of BetPawa against SportyBet and Bet9ja per sport, country and tournament, per kick-off date (UTC). Counts are of matches (rows of analytics.matched_events), each counted once however many books list it.';

-- Column comments are the same in the four tables: set them in one loop.
DO $comments$
DECLARE
    tbl text;
    col record;
BEGIN
    FOREACH tbl IN ARRAY ARRAY['coverage_overall', 'coverage_by_sport', 'coverage_by_country',
                               'coverage_by_tournament'] LOOP
        FOR col IN SELECT * FROM (VALUES
            ('kickoff_date', 'Kick-off date (UTC) of the matches counted; the partition key.'),
            ('sport', 'Canonical sport key: football, basketball or tennis.'),
            ('country', 'Country or region as the name-source book names it; null (one group) when it gives none.'),
            ('tournament', 'Tournament name as the name-source book gives it; null (one group) when missing.'),
            ('total', 'Matches in the group: matched + betpawa_only + competitor_only.'),
            ('matched', 'Matches listed by BetPawa and by at least one competitor (SportyBet or Bet9ja).'),
            ('betpawa_only', 'Matches listed by BetPawa and by neither competitor.'),
            ('competitor_only', 'Matches listed by at least one competitor but not by BetPawa: the coverage gap.'),
            ('only_sportybet', 'Matches listed by SportyBet alone (not BetPawa, not Bet9ja).'),
            ('only_bet9ja', 'Matches listed by Bet9ja alone (not BetPawa, not SportyBet).'),
            ('sportybet_and_bet9ja_only', 'Matches listed by both competitors but not by BetPawa.'),
            ('on_all_three', 'Matches listed by all three books.'),
            ('betpawa_events', 'Matches BetPawa lists.'),
            ('sportybet_events', 'Matches SportyBet lists.'),
            ('bet9ja_events', 'Matches Bet9ja lists.'),
            ('sportybet_not_betpawa', 'Matches SportyBet lists that BetPawa does not.'),
            ('bet9ja_not_betpawa', 'Matches Bet9ja lists that BetPawa does not.'),
            ('betpawa_not_sportybet', 'Matches BetPawa lists that SportyBet does not.'),
            ('betpawa_not_bet9ja', 'Matches BetPawa lists that Bet9ja does not.'),
            ('without_sr_id', 'Matches without a SportRadar id: they cannot be matched across books and count '
                              'as single-book matches.'),
            ('match_rate', 'matched / total, a fraction between 0 and 1; null when total is 0.'),
            ('betpawa_coverage', 'matched / (matched + competitor_only): the fraction of the matches competitors '
                                 'list that BetPawa lists too; null when the denominator is 0.'),
            ('computed_at', 'When the pipeline computed this row (UTC).')
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
