-- Long catalogue tables, the site's country on every row (issue 34): the books become rows, not columns.
-- analytics.matches (one row per match and site country) and analytics.match_listings (one row per match and
-- book listing it) replace analytics.matched_events; analytics.coverage_groups (one row per coverage group)
-- and analytics.coverage (one row per group and book) replace coverage_overall, coverage_by_sport,
-- coverage_by_country and coverage_by_tournament. Every existing row is carried over (Nigeria's site, the only
-- one read so far), the wide tables are dropped and their names become views pivoting Nigeria's three books,
-- with the old columns, so readers and example queries keep working. coverage_history and the two listing
-- tables gain site_country. Adding a book needs no migration: it is a value of the book column (core.books).
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0035_listing_age_unknown 0038_books_as_data

CREATE TABLE analytics.matches (
    kickoff_date              date NOT NULL,
    site_country              text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    match_key                 text NOT NULL CHECK (match_key ~ '^(sr:[0-9]+|gs:[0-9]+|[a-z0-9_]+:.+)$'),
    sr_id                     bigint CHECK (sr_id > 0),
    kickoff                   timestamptz NOT NULL,
    sport                     text NOT NULL,
    country                   text,
    tournament                text,
    home                      text NOT NULL,
    away                      text NOT NULL,
    name_source               text NOT NULL REFERENCES core.books (book),
    book_count                smallint NOT NULL CHECK (book_count >= 1),
    status                    text NOT NULL CHECK (status IN ('matched', 'betpawa_only', 'competitor_only')),
    genius_id                 bigint CHECK (genius_id > 0),
    linked_by                 text CHECK (linked_by IN ('sportradar', 'genius')),
    tournament_key            text,
    sr_tournament_id          text,
    canonical_tournament      text,
    sr_category_id            text,
    canonical_country         text,
    country_iso               text,
    computed_at               timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kickoff_date, site_country, match_key),
    CHECK ((linked_by IS NULL) = (book_count = 1))
);
CREATE INDEX matches_sr_id_idx ON analytics.matches (sr_id) WHERE sr_id IS NOT NULL;

CREATE TABLE analytics.match_listings (
    kickoff_date              date NOT NULL,
    site_country              text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    match_key                 text NOT NULL,
    book                      text NOT NULL REFERENCES core.books (book),
    event_id                  text NOT NULL,
    tournament_id             text,
    computed_at               timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kickoff_date, site_country, match_key, book),
    UNIQUE (kickoff_date, site_country, book, event_id),
    FOREIGN KEY (kickoff_date, site_country, match_key)
        REFERENCES analytics.matches (kickoff_date, site_country, match_key) ON DELETE CASCADE
);

CREATE TABLE analytics.coverage_groups (
    kickoff_date              date NOT NULL,
    site_country              text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    level                     text NOT NULL CHECK (level IN ('overall', 'sport', 'country', 'tournament')),
    sport                     text,
    sr_category_id            text,
    country                   text,
    tournament_key            text,
    tournament                text,
    placed                    boolean,
    sr_tournament_id          text,
    country_iso               text,
    total                     bigint NOT NULL CHECK (total >= 0),
    matched                   bigint NOT NULL CHECK (matched >= 0),
    betpawa_only              bigint NOT NULL CHECK (betpawa_only >= 0),
    competitor_only           bigint NOT NULL CHECK (competitor_only >= 0),
    several_competitors_only  bigint NOT NULL CHECK (several_competitors_only >= 0),
    on_every_book             bigint NOT NULL CHECK (on_every_book >= 0),
    without_sr_id             bigint NOT NULL CHECK (without_sr_id >= 0),
    linked_by_genius          bigint NOT NULL CHECK (linked_by_genius >= 0),
    match_rate                double precision CHECK (match_rate BETWEEN 0 AND 1),
    betpawa_coverage          double precision CHECK (betpawa_coverage BETWEEN 0 AND 1),
    computed_at               timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT coverage_groups_key UNIQUE NULLS NOT DISTINCT
        (kickoff_date, site_country, level, sport, sr_category_id, country, tournament_key),
    CHECK (matched + betpawa_only + competitor_only = total),
    CHECK ((placed IS NOT NULL) = (level = 'tournament')),
    CHECK (placed IS NULL OR placed = (sr_tournament_id IS NOT NULL)),
    CHECK ((sport IS NULL) = (level = 'overall')),
    CHECK ((tournament_key IS NOT NULL) = (level = 'tournament')),
    CHECK (level IN ('country', 'tournament') OR (sr_category_id IS NULL AND country IS NULL))
);

CREATE TABLE analytics.coverage (
    kickoff_date              date NOT NULL,
    site_country              text NOT NULL CHECK (site_country ~ '^[a-z]{2}$'),
    level                     text NOT NULL CHECK (level IN ('overall', 'sport', 'country', 'tournament')),
    sport                     text,
    sr_category_id            text,
    country                   text,
    tournament_key            text,
    book                      text NOT NULL REFERENCES core.books (book),
    events                    bigint NOT NULL CHECK (events >= 0),
    not_on_betpawa            bigint NOT NULL CHECK (not_on_betpawa >= 0 AND not_on_betpawa <= events),
    betpawa_not_on_it         bigint NOT NULL CHECK (betpawa_not_on_it >= 0),
    only_on_it                bigint NOT NULL CHECK (only_on_it >= 0 AND only_on_it <= events),
    catalogue_at              timestamptz,
    catalogue_stale           boolean,
    book_tournament_id        text,
    book_tournament_name      text,
    computed_at               timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT coverage_key UNIQUE NULLS NOT DISTINCT
        (kickoff_date, site_country, level, sport, sr_category_id, country, tournament_key, book),
    CHECK (level = 'overall' OR (catalogue_at IS NULL AND catalogue_stale IS NULL)),
    CHECK (level = 'tournament' OR (book_tournament_id IS NULL AND book_tournament_name IS NULL)),
    CHECK ((sport IS NULL) = (level = 'overall')),
    CHECK ((tournament_key IS NOT NULL) = (level = 'tournament')),
    CHECK (level IN ('country', 'tournament') OR (sr_category_id IS NULL AND country IS NULL))
);
-- A tournament is one group per date and site country (its country columns describe it): the views find
-- each tournament's book rows by it.
CREATE UNIQUE INDEX coverage_groups_tournament_key ON analytics.coverage_groups
    (kickoff_date, site_country, sport, tournament_key) WHERE level = 'tournament';
CREATE INDEX coverage_tournament_idx ON analytics.coverage
    (kickoff_date, site_country, tournament_key, book) WHERE level = 'tournament';

-- Every existing row is Nigeria's (the only site read before this migration).
INSERT INTO analytics.matches (site_country, kickoff_date, match_key, sr_id, kickoff, sport, country, tournament, home, away, name_source, book_count, status, computed_at, genius_id, linked_by, tournament_key, sr_tournament_id, canonical_tournament, sr_category_id, canonical_country, country_iso)
SELECT 'ng', kickoff_date, match_key, sr_id, kickoff, sport, country, tournament, home, away, name_source, book_count, status, computed_at, genius_id, linked_by, tournament_key, sr_tournament_id, canonical_tournament, sr_category_id, canonical_country, country_iso
FROM analytics.matched_events;
INSERT INTO analytics.match_listings
    (kickoff_date, site_country, match_key, book, event_id, tournament_id, computed_at)
SELECT me.kickoff_date, 'ng', me.match_key, l.book, l.event_id, l.tournament_id, me.computed_at
FROM analytics.matched_events AS me
CROSS JOIN LATERAL (VALUES
        ('betpawa', me.betpawa_event_id, me.betpawa_tournament_id),
        ('sportybet', me.sportybet_event_id, me.sportybet_tournament_id),
        ('bet9ja', me.bet9ja_event_id, me.bet9ja_tournament_id)
) AS l (book, event_id, tournament_id)
WHERE l.event_id IS NOT NULL;

INSERT INTO analytics.coverage_groups (kickoff_date, site_country, level, total, matched, betpawa_only, competitor_only, without_sr_id, linked_by_genius, match_rate, betpawa_coverage, computed_at,
    several_competitors_only, on_every_book)
SELECT kickoff_date, 'ng', 'overall', total, matched, betpawa_only, competitor_only, without_sr_id, linked_by_genius, match_rate, betpawa_coverage, computed_at,
    sportybet_and_bet9ja_only, on_all_three
FROM analytics.coverage_overall;
INSERT INTO analytics.coverage (kickoff_date, site_country, level, book, events, not_on_betpawa, betpawa_not_on_it, only_on_it, catalogue_at, catalogue_stale, computed_at)
SELECT w.kickoff_date, 'ng', 'overall', b.book, b.events, b.not_on_betpawa, b.betpawa_not_on_it, b.only_on_it, b.catalogue_at, b.catalogue_stale, w.computed_at
FROM analytics.coverage_overall AS w
CROSS JOIN LATERAL (VALUES
        ('betpawa', w.betpawa_events, 0::bigint, 0::bigint, w.betpawa_only, w.catalogue_at_betpawa, w.catalogue_stale_betpawa),
        ('sportybet', w.sportybet_events, w.sportybet_not_betpawa, w.betpawa_not_sportybet, w.only_sportybet, w.catalogue_at_sportybet, w.catalogue_stale_sportybet),
        ('bet9ja', w.bet9ja_events, w.bet9ja_not_betpawa, w.betpawa_not_bet9ja, w.only_bet9ja, w.catalogue_at_bet9ja, w.catalogue_stale_bet9ja)
) AS b (book, events, not_on_betpawa, betpawa_not_on_it, only_on_it, catalogue_at, catalogue_stale);

INSERT INTO analytics.coverage_groups (kickoff_date, site_country, level, sport, total, matched, betpawa_only, competitor_only, without_sr_id, linked_by_genius, match_rate, betpawa_coverage, computed_at,
    several_competitors_only, on_every_book)
SELECT kickoff_date, 'ng', 'sport', sport, total, matched, betpawa_only, competitor_only, without_sr_id, linked_by_genius, match_rate, betpawa_coverage, computed_at,
    sportybet_and_bet9ja_only, on_all_three
FROM analytics.coverage_by_sport;
INSERT INTO analytics.coverage (kickoff_date, site_country, level, sport, book, events, not_on_betpawa, betpawa_not_on_it, only_on_it, computed_at)
SELECT w.kickoff_date, 'ng', 'sport', w.sport, b.book, b.events, b.not_on_betpawa, b.betpawa_not_on_it, b.only_on_it, w.computed_at
FROM analytics.coverage_by_sport AS w
CROSS JOIN LATERAL (VALUES
        ('betpawa', w.betpawa_events, 0::bigint, 0::bigint, w.betpawa_only),
        ('sportybet', w.sportybet_events, w.sportybet_not_betpawa, w.betpawa_not_sportybet, w.only_sportybet),
        ('bet9ja', w.bet9ja_events, w.bet9ja_not_betpawa, w.betpawa_not_bet9ja, w.only_bet9ja)
) AS b (book, events, not_on_betpawa, betpawa_not_on_it, only_on_it);

INSERT INTO analytics.coverage_groups (kickoff_date, site_country, level, sport, sr_category_id, country, country_iso, total, matched, betpawa_only, competitor_only, without_sr_id, linked_by_genius, match_rate, betpawa_coverage, computed_at,
    several_competitors_only, on_every_book)
SELECT kickoff_date, 'ng', 'country', sport, sr_category_id, country, country_iso, total, matched, betpawa_only, competitor_only, without_sr_id, linked_by_genius, match_rate, betpawa_coverage, computed_at,
    sportybet_and_bet9ja_only, on_all_three
FROM analytics.coverage_by_country;
INSERT INTO analytics.coverage (kickoff_date, site_country, level, sport, sr_category_id, country, book, events, not_on_betpawa, betpawa_not_on_it, only_on_it, computed_at)
SELECT w.kickoff_date, 'ng', 'country', w.sport, w.sr_category_id, w.country, b.book, b.events, b.not_on_betpawa, b.betpawa_not_on_it, b.only_on_it, w.computed_at
FROM analytics.coverage_by_country AS w
CROSS JOIN LATERAL (VALUES
        ('betpawa', w.betpawa_events, 0::bigint, 0::bigint, w.betpawa_only),
        ('sportybet', w.sportybet_events, w.sportybet_not_betpawa, w.betpawa_not_sportybet, w.only_sportybet),
        ('bet9ja', w.bet9ja_events, w.bet9ja_not_betpawa, w.betpawa_not_bet9ja, w.only_bet9ja)
) AS b (book, events, not_on_betpawa, betpawa_not_on_it, only_on_it);

INSERT INTO analytics.coverage_groups (kickoff_date, site_country, level, sport, sr_category_id, country, tournament_key, tournament, placed, sr_tournament_id, country_iso, total, matched, betpawa_only, competitor_only, without_sr_id, linked_by_genius, match_rate, betpawa_coverage, computed_at,
    several_competitors_only, on_every_book)
SELECT kickoff_date, 'ng', 'tournament', sport, sr_category_id, country, tournament_key, tournament, placed, sr_tournament_id, country_iso, total, matched, betpawa_only, competitor_only, without_sr_id, linked_by_genius, match_rate, betpawa_coverage, computed_at,
    sportybet_and_bet9ja_only, on_all_three
FROM analytics.coverage_by_tournament;
INSERT INTO analytics.coverage (kickoff_date, site_country, level, sport, sr_category_id, country, tournament_key, book, events, not_on_betpawa, betpawa_not_on_it, only_on_it, book_tournament_id, book_tournament_name, computed_at)
SELECT w.kickoff_date, 'ng', 'tournament', w.sport, w.sr_category_id, w.country, w.tournament_key, b.book, b.events, b.not_on_betpawa, b.betpawa_not_on_it, b.only_on_it, b.book_tournament_id, b.book_tournament_name, w.computed_at
FROM analytics.coverage_by_tournament AS w
CROSS JOIN LATERAL (VALUES
        ('betpawa', w.betpawa_events, 0::bigint, 0::bigint, w.betpawa_only, w.betpawa_tournament_id, w.betpawa_tournament_name),
        ('sportybet', w.sportybet_events, w.sportybet_not_betpawa, w.betpawa_not_sportybet, w.only_sportybet, w.sportybet_tournament_id, w.sportybet_tournament_name),
        ('bet9ja', w.bet9ja_events, w.bet9ja_not_betpawa, w.betpawa_not_bet9ja, w.only_bet9ja, w.bet9ja_tournament_id, w.bet9ja_tournament_name)
) AS b (book, events, not_on_betpawa, betpawa_not_on_it, only_on_it, book_tournament_id, book_tournament_name);

-- analytics.odds_current reads analytics.matched_events: dropped with it, created again unchanged below.
DROP VIEW analytics.odds_current;
DROP TABLE analytics.matched_events, analytics.coverage_overall, analytics.coverage_by_sport,
    analytics.coverage_by_country, analytics.coverage_by_tournament;

CREATE VIEW analytics.matched_events AS
SELECT m.kickoff_date,
       m.match_key,
       m.sr_id,
       m.kickoff,
       m.sport,
       m.country,
       m.tournament,
       m.home,
       m.away,
       m.name_source,
       betpawa.event_id AS betpawa_event_id,
       sportybet.event_id AS sportybet_event_id,
       bet9ja.event_id AS bet9ja_event_id,
       betpawa.event_id IS NOT NULL AS on_betpawa,
       sportybet.event_id IS NOT NULL AS on_sportybet,
       bet9ja.event_id IS NOT NULL AS on_bet9ja,
       m.book_count,
       m.status,
       m.computed_at,
       m.genius_id,
       m.linked_by,
       betpawa.tournament_id AS betpawa_tournament_id,
       sportybet.tournament_id AS sportybet_tournament_id,
       bet9ja.tournament_id AS bet9ja_tournament_id,
       m.tournament_key,
       m.sr_tournament_id,
       m.canonical_tournament,
       m.sr_category_id,
       m.canonical_country,
       m.country_iso
FROM analytics.matches AS m
LEFT JOIN analytics.match_listings AS betpawa
    ON betpawa.kickoff_date = m.kickoff_date AND betpawa.site_country = m.site_country
   AND betpawa.match_key = m.match_key AND betpawa.book = 'betpawa'
LEFT JOIN analytics.match_listings AS sportybet
    ON sportybet.kickoff_date = m.kickoff_date AND sportybet.site_country = m.site_country
   AND sportybet.match_key = m.match_key AND sportybet.book = 'sportybet'
LEFT JOIN analytics.match_listings AS bet9ja
    ON bet9ja.kickoff_date = m.kickoff_date AND bet9ja.site_country = m.site_country
   AND bet9ja.match_key = m.match_key AND bet9ja.book = 'bet9ja'
WHERE m.site_country = 'ng';

CREATE VIEW analytics.coverage_overall AS
SELECT g.kickoff_date,
       g.total,
       g.matched,
       g.betpawa_only,
       g.competitor_only,
       b.only_sportybet,
       b.only_bet9ja,
       g.several_competitors_only AS sportybet_and_bet9ja_only,
       g.on_every_book AS on_all_three,
       b.betpawa_events,
       b.sportybet_events,
       b.bet9ja_events,
       b.sportybet_not_betpawa,
       b.bet9ja_not_betpawa,
       b.betpawa_not_sportybet,
       b.betpawa_not_bet9ja,
       g.without_sr_id,
       g.match_rate,
       g.betpawa_coverage,
       g.computed_at,
       g.linked_by_genius,
       b.catalogue_at_betpawa,
       b.catalogue_stale_betpawa,
       b.catalogue_at_sportybet,
       b.catalogue_stale_sportybet,
       b.catalogue_at_bet9ja,
       b.catalogue_stale_bet9ja
FROM analytics.coverage_groups AS g
CROSS JOIN LATERAL (
    SELECT coalesce(max(c.only_on_it) FILTER (WHERE c.book = 'sportybet'), 0) AS only_sportybet,
           coalesce(max(c.only_on_it) FILTER (WHERE c.book = 'bet9ja'), 0) AS only_bet9ja,
           coalesce(max(c.events) FILTER (WHERE c.book = 'betpawa'), 0) AS betpawa_events,
           coalesce(max(c.events) FILTER (WHERE c.book = 'sportybet'), 0) AS sportybet_events,
           coalesce(max(c.events) FILTER (WHERE c.book = 'bet9ja'), 0) AS bet9ja_events,
           coalesce(max(c.not_on_betpawa) FILTER (WHERE c.book = 'sportybet'), 0) AS sportybet_not_betpawa,
           coalesce(max(c.not_on_betpawa) FILTER (WHERE c.book = 'bet9ja'), 0) AS bet9ja_not_betpawa,
           coalesce(max(c.betpawa_not_on_it) FILTER (WHERE c.book = 'sportybet'), 0) AS betpawa_not_sportybet,
           coalesce(max(c.betpawa_not_on_it) FILTER (WHERE c.book = 'bet9ja'), 0) AS betpawa_not_bet9ja,
           max(c.catalogue_at) FILTER (WHERE c.book = 'betpawa') AS catalogue_at_betpawa,
           bool_or(c.catalogue_stale) FILTER (WHERE c.book = 'betpawa') AS catalogue_stale_betpawa,
           max(c.catalogue_at) FILTER (WHERE c.book = 'sportybet') AS catalogue_at_sportybet,
           bool_or(c.catalogue_stale) FILTER (WHERE c.book = 'sportybet') AS catalogue_stale_sportybet,
           max(c.catalogue_at) FILTER (WHERE c.book = 'bet9ja') AS catalogue_at_bet9ja,
           bool_or(c.catalogue_stale) FILTER (WHERE c.book = 'bet9ja') AS catalogue_stale_bet9ja
    FROM analytics.coverage AS c
    WHERE c.kickoff_date = g.kickoff_date AND c.site_country = g.site_country AND c.level = g.level
      AND TRUE
) AS b
WHERE g.site_country = 'ng' AND g.level = 'overall';

CREATE VIEW analytics.coverage_by_sport AS
SELECT g.kickoff_date,
       g.sport,
       g.total,
       g.matched,
       g.betpawa_only,
       g.competitor_only,
       b.only_sportybet,
       b.only_bet9ja,
       g.several_competitors_only AS sportybet_and_bet9ja_only,
       g.on_every_book AS on_all_three,
       b.betpawa_events,
       b.sportybet_events,
       b.bet9ja_events,
       b.sportybet_not_betpawa,
       b.bet9ja_not_betpawa,
       b.betpawa_not_sportybet,
       b.betpawa_not_bet9ja,
       g.without_sr_id,
       g.match_rate,
       g.betpawa_coverage,
       g.computed_at,
       g.linked_by_genius
FROM analytics.coverage_groups AS g
CROSS JOIN LATERAL (
    SELECT coalesce(max(c.only_on_it) FILTER (WHERE c.book = 'sportybet'), 0) AS only_sportybet,
           coalesce(max(c.only_on_it) FILTER (WHERE c.book = 'bet9ja'), 0) AS only_bet9ja,
           coalesce(max(c.events) FILTER (WHERE c.book = 'betpawa'), 0) AS betpawa_events,
           coalesce(max(c.events) FILTER (WHERE c.book = 'sportybet'), 0) AS sportybet_events,
           coalesce(max(c.events) FILTER (WHERE c.book = 'bet9ja'), 0) AS bet9ja_events,
           coalesce(max(c.not_on_betpawa) FILTER (WHERE c.book = 'sportybet'), 0) AS sportybet_not_betpawa,
           coalesce(max(c.not_on_betpawa) FILTER (WHERE c.book = 'bet9ja'), 0) AS bet9ja_not_betpawa,
           coalesce(max(c.betpawa_not_on_it) FILTER (WHERE c.book = 'sportybet'), 0) AS betpawa_not_sportybet,
           coalesce(max(c.betpawa_not_on_it) FILTER (WHERE c.book = 'bet9ja'), 0) AS betpawa_not_bet9ja
    FROM analytics.coverage AS c
    WHERE c.kickoff_date = g.kickoff_date AND c.site_country = g.site_country AND c.level = g.level
      AND c.sport = g.sport
) AS b
WHERE g.site_country = 'ng' AND g.level = 'sport';

CREATE VIEW analytics.coverage_by_country AS
SELECT g.kickoff_date,
       g.sport,
       g.country,
       g.total,
       g.matched,
       g.betpawa_only,
       g.competitor_only,
       b.only_sportybet,
       b.only_bet9ja,
       g.several_competitors_only AS sportybet_and_bet9ja_only,
       g.on_every_book AS on_all_three,
       b.betpawa_events,
       b.sportybet_events,
       b.bet9ja_events,
       b.sportybet_not_betpawa,
       b.bet9ja_not_betpawa,
       b.betpawa_not_sportybet,
       b.betpawa_not_bet9ja,
       g.without_sr_id,
       g.match_rate,
       g.betpawa_coverage,
       g.computed_at,
       g.linked_by_genius,
       g.sr_category_id,
       g.country_iso
FROM analytics.coverage_groups AS g
CROSS JOIN LATERAL (
    SELECT coalesce(max(c.only_on_it) FILTER (WHERE c.book = 'sportybet'), 0) AS only_sportybet,
           coalesce(max(c.only_on_it) FILTER (WHERE c.book = 'bet9ja'), 0) AS only_bet9ja,
           coalesce(max(c.events) FILTER (WHERE c.book = 'betpawa'), 0) AS betpawa_events,
           coalesce(max(c.events) FILTER (WHERE c.book = 'sportybet'), 0) AS sportybet_events,
           coalesce(max(c.events) FILTER (WHERE c.book = 'bet9ja'), 0) AS bet9ja_events,
           coalesce(max(c.not_on_betpawa) FILTER (WHERE c.book = 'sportybet'), 0) AS sportybet_not_betpawa,
           coalesce(max(c.not_on_betpawa) FILTER (WHERE c.book = 'bet9ja'), 0) AS bet9ja_not_betpawa,
           coalesce(max(c.betpawa_not_on_it) FILTER (WHERE c.book = 'sportybet'), 0) AS betpawa_not_sportybet,
           coalesce(max(c.betpawa_not_on_it) FILTER (WHERE c.book = 'bet9ja'), 0) AS betpawa_not_bet9ja
    FROM analytics.coverage AS c
    WHERE c.kickoff_date = g.kickoff_date AND c.site_country = g.site_country AND c.level = g.level
      AND c.sport = g.sport AND c.sr_category_id IS NOT DISTINCT FROM g.sr_category_id
      AND c.country IS NOT DISTINCT FROM g.country
) AS b
WHERE g.site_country = 'ng' AND g.level = 'country';

CREATE VIEW analytics.coverage_by_tournament AS
SELECT g.kickoff_date,
       g.sport,
       g.country,
       g.tournament,
       g.total,
       g.matched,
       g.betpawa_only,
       g.competitor_only,
       b.only_sportybet,
       b.only_bet9ja,
       g.several_competitors_only AS sportybet_and_bet9ja_only,
       g.on_every_book AS on_all_three,
       b.betpawa_events,
       b.sportybet_events,
       b.bet9ja_events,
       b.sportybet_not_betpawa,
       b.bet9ja_not_betpawa,
       b.betpawa_not_sportybet,
       b.betpawa_not_bet9ja,
       g.without_sr_id,
       g.match_rate,
       g.betpawa_coverage,
       g.computed_at,
       g.linked_by_genius,
       g.tournament_key,
       g.placed,
       g.sr_tournament_id,
       g.sr_category_id,
       g.country_iso,
       b.betpawa_tournament_id,
       b.betpawa_tournament_name,
       b.sportybet_tournament_id,
       b.sportybet_tournament_name,
       b.bet9ja_tournament_id,
       b.bet9ja_tournament_name
FROM analytics.coverage_groups AS g
CROSS JOIN LATERAL (
    SELECT coalesce(max(c.only_on_it) FILTER (WHERE c.book = 'sportybet'), 0) AS only_sportybet,
           coalesce(max(c.only_on_it) FILTER (WHERE c.book = 'bet9ja'), 0) AS only_bet9ja,
           coalesce(max(c.events) FILTER (WHERE c.book = 'betpawa'), 0) AS betpawa_events,
           coalesce(max(c.events) FILTER (WHERE c.book = 'sportybet'), 0) AS sportybet_events,
           coalesce(max(c.events) FILTER (WHERE c.book = 'bet9ja'), 0) AS bet9ja_events,
           coalesce(max(c.not_on_betpawa) FILTER (WHERE c.book = 'sportybet'), 0) AS sportybet_not_betpawa,
           coalesce(max(c.not_on_betpawa) FILTER (WHERE c.book = 'bet9ja'), 0) AS bet9ja_not_betpawa,
           coalesce(max(c.betpawa_not_on_it) FILTER (WHERE c.book = 'sportybet'), 0) AS betpawa_not_sportybet,
           coalesce(max(c.betpawa_not_on_it) FILTER (WHERE c.book = 'bet9ja'), 0) AS betpawa_not_bet9ja,
           max(c.book_tournament_id) FILTER (WHERE c.book = 'betpawa') AS betpawa_tournament_id,
           max(c.book_tournament_name) FILTER (WHERE c.book = 'betpawa') AS betpawa_tournament_name,
           max(c.book_tournament_id) FILTER (WHERE c.book = 'sportybet') AS sportybet_tournament_id,
           max(c.book_tournament_name) FILTER (WHERE c.book = 'sportybet') AS sportybet_tournament_name,
           max(c.book_tournament_id) FILTER (WHERE c.book = 'bet9ja') AS bet9ja_tournament_id,
           max(c.book_tournament_name) FILTER (WHERE c.book = 'bet9ja') AS bet9ja_tournament_name
    FROM analytics.coverage AS c
    WHERE c.kickoff_date = g.kickoff_date AND c.site_country = g.site_country AND c.level = g.level
      AND c.sport = g.sport AND c.tournament_key = g.tournament_key
) AS b
WHERE g.site_country = 'ng' AND g.level = 'tournament';

CREATE VIEW analytics.odds_current AS
 SELECT o.sr_id,
    m.kickoff_date,
    m.kickoff,
    m.sport,
    m.country,
    m.tournament,
    m.home,
    m.away,
    o.book,
    o.market,
    o.specifier,
    o.outcome,
    o.price,
    o.state,
    o.captured_at,
    o.changed_at
   FROM core.odds_current o
     LEFT JOIN LATERAL ( SELECT me.kickoff_date,
            me.kickoff,
            me.sport,
            me.country,
            me.tournament,
            me.home,
            me.away
           FROM analytics.matched_events me
          WHERE me.sr_id = o.sr_id
          ORDER BY me.computed_at DESC, me.kickoff_date DESC
         LIMIT 1) m ON true
  WHERE o.state <> 'closed'::text;

-- Comments: the views keep the old tables' column comments; the new tables and columns are described.
COMMENT ON VIEW analytics.matched_events IS
    'One row per match and kick-off date across BetPawa, SportyBet and Bet9ja. Events sharing a '
    'SportRadar id are one match; an event without one stands alone. Recomputed per kick-off date from '
    'the live catalogues. A view: Nigeria''s site (site_country ng) only, with its three books as '
    'columns, pivoted from analytics.matches and analytics.match_listings; other countries and books are '
    'read there.';
COMMENT ON COLUMN analytics.matched_events.kickoff_date IS
    'Kick-off date (UTC) of the match, taken from the book whose names are shown (name_source).';
COMMENT ON COLUMN analytics.matched_events.match_key IS
    'Stable key of the match: sr:<SportRadar id>, gs:<Genius Sports id> when only a Genius id links its '
    'books, or <book>:<event id> for an event nothing links.';
COMMENT ON COLUMN analytics.matched_events.sr_id IS
    'SportRadar match id any listing book gives (a book linked through the Genius id may lack it); null '
    'when none does.';
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
COMMENT ON COLUMN analytics.matched_events.betpawa_event_id IS
    'BetPawa''s own event id; null when BetPawa does not list the match.';
COMMENT ON COLUMN analytics.matched_events.sportybet_event_id IS
    'SportyBet''s own event id (sr:match:N); null when SportyBet does not list it.';
COMMENT ON COLUMN analytics.matched_events.bet9ja_event_id IS
    'Bet9ja''s own event id; null when Bet9ja does not list the match.';
COMMENT ON COLUMN analytics.matched_events.on_betpawa IS 'Whether BetPawa lists the match.';
COMMENT ON COLUMN analytics.matched_events.on_sportybet IS 'Whether SportyBet lists the match.';
COMMENT ON COLUMN analytics.matched_events.on_bet9ja IS 'Whether Bet9ja lists the match.';
COMMENT ON COLUMN analytics.matched_events.book_count IS 'How many of the three books list the match (1 to 3).';
COMMENT ON COLUMN analytics.matched_events.status IS
    'matched = on BetPawa and at least one competitor; betpawa_only = on BetPawa alone; competitor_only = '
    'on at least one competitor but not on BetPawa.';
COMMENT ON COLUMN analytics.matched_events.computed_at IS 'When the pipeline computed this row (UTC).';
COMMENT ON COLUMN analytics.matched_events.genius_id IS
    'Genius Sports event id any listing book gives (BetPawa widget, SportyBet Genius feed); null when '
    'none does.';
COMMENT ON COLUMN analytics.matched_events.linked_by IS
    'Which id linked the books: sportradar = every listing book gives the SR id; genius = at least one '
    'book was linked through the Genius Sports id only; null when one book lists the match.';
COMMENT ON COLUMN analytics.matched_events.betpawa_tournament_id IS
    'BetPawa''s own competition id for the match; null when BetPawa does not list it.';
COMMENT ON COLUMN analytics.matched_events.sportybet_tournament_id IS
    'SportyBet''s own tournament id for the match (the SportRadar id, sr:tournament:N); null when not '
    'listed.';
COMMENT ON COLUMN analytics.matched_events.bet9ja_tournament_id IS
    'Bet9ja''s own group id for the match; null when Bet9ja does not list it.';
COMMENT ON COLUMN analytics.matched_events.tournament_key IS
    'Key of the canonical tournament: sr_tournament_id, or <book>:<tournament id> of the name source when '
    'unplaced (always set by the pipeline).';
COMMENT ON COLUMN analytics.matched_events.sr_tournament_id IS
    'Canonical tournament (SportRadar id): SportyBet''s when it lists the match, else the crosswalk '
    'placement of BetPawa''s competition, else of Bet9ja''s group; null when none is placed (see '
    'tournament_crosswalk).';
COMMENT ON COLUMN analytics.matched_events.canonical_tournament IS
    'Canonical tournament name (SportRadar''s); the name source''s own name when unplaced.';
COMMENT ON COLUMN analytics.matched_events.sr_category_id IS
    'SportRadar category (country) of the canonical tournament; else of the name source''s country per '
    'country_crosswalk; null when unknown.';
COMMENT ON COLUMN analytics.matched_events.canonical_country IS
    'Canonical country name (SportRadar''s); the name source''s own spelling when no category is known.';
COMMENT ON COLUMN analytics.matched_events.country_iso IS
    'ISO 3166 code of the canonical country; null when none exists.';
COMMENT ON VIEW analytics.coverage_overall IS
    'Coverage of BetPawa against SportyBet and Bet9ja all sports together, per kick-off date (UTC). '
    'Counts are of matches (rows of analytics.matched_events), each counted once however many books list '
    'it. A view: Nigeria''s site (site_country ng) only, with its three books as columns, pivoted from '
    'analytics.coverage_groups and analytics.coverage; other countries and books are read there.';
COMMENT ON COLUMN analytics.coverage_overall.kickoff_date IS
    'Kick-off date (UTC) of the matches counted; the partition key.';
COMMENT ON COLUMN analytics.coverage_overall.total IS
    'Matches in the group: matched + betpawa_only + competitor_only.';
COMMENT ON COLUMN analytics.coverage_overall.matched IS
    'Matches listed by BetPawa and by at least one competitor (SportyBet or Bet9ja).';
COMMENT ON COLUMN analytics.coverage_overall.betpawa_only IS 'Matches listed by BetPawa and by neither competitor.';
COMMENT ON COLUMN analytics.coverage_overall.competitor_only IS
    'Matches listed by at least one competitor but not by BetPawa: the coverage gap.';
COMMENT ON COLUMN analytics.coverage_overall.only_sportybet IS
    'Matches listed by SportyBet alone (not BetPawa, not Bet9ja).';
COMMENT ON COLUMN analytics.coverage_overall.only_bet9ja IS
    'Matches listed by Bet9ja alone (not BetPawa, not SportyBet).';
COMMENT ON COLUMN analytics.coverage_overall.sportybet_and_bet9ja_only IS
    'Matches listed by both competitors but not by BetPawa.';
COMMENT ON COLUMN analytics.coverage_overall.on_all_three IS 'Matches listed by all three books.';
COMMENT ON COLUMN analytics.coverage_overall.betpawa_events IS 'Matches BetPawa lists.';
COMMENT ON COLUMN analytics.coverage_overall.sportybet_events IS 'Matches SportyBet lists.';
COMMENT ON COLUMN analytics.coverage_overall.bet9ja_events IS 'Matches Bet9ja lists.';
COMMENT ON COLUMN analytics.coverage_overall.sportybet_not_betpawa IS
    'Matches SportyBet lists that BetPawa does not.';
COMMENT ON COLUMN analytics.coverage_overall.bet9ja_not_betpawa IS 'Matches Bet9ja lists that BetPawa does not.';
COMMENT ON COLUMN analytics.coverage_overall.betpawa_not_sportybet IS
    'Matches BetPawa lists that SportyBet does not.';
COMMENT ON COLUMN analytics.coverage_overall.betpawa_not_bet9ja IS 'Matches BetPawa lists that Bet9ja does not.';
COMMENT ON COLUMN analytics.coverage_overall.without_sr_id IS
    'Matches without a SportRadar id: they cannot be matched across books and count as single-book '
    'matches.';
COMMENT ON COLUMN analytics.coverage_overall.match_rate IS
    'matched / total, a fraction between 0 and 1; null when total is 0.';
COMMENT ON COLUMN analytics.coverage_overall.betpawa_coverage IS
    'matched / (matched + competitor_only): the fraction of the matches competitors list that BetPawa '
    'lists too; null when the denominator is 0.';
COMMENT ON COLUMN analytics.coverage_overall.computed_at IS 'When the pipeline computed this row (UTC).';
COMMENT ON COLUMN analytics.coverage_overall.linked_by_genius IS
    'Matches whose books were linked through the Genius Sports id only (a book lacked the SportRadar id).';
COMMENT ON COLUMN analytics.coverage_overall.catalogue_at_betpawa IS
    'When the BetPawa catalogue this row was computed from was last refreshed (its last successful '
    'scrape).';
COMMENT ON COLUMN analytics.coverage_overall.catalogue_stale_betpawa IS
    'The BetPawa catalogue was stale: older than twice the catalogue cadence, or its scrape failed in '
    'this run.';
COMMENT ON COLUMN analytics.coverage_overall.catalogue_at_sportybet IS
    'When the SportyBet catalogue this row was computed from was last refreshed (its last successful '
    'scrape).';
COMMENT ON COLUMN analytics.coverage_overall.catalogue_stale_sportybet IS
    'The SportyBet catalogue was stale: older than twice the catalogue cadence, or its scrape failed in '
    'this run.';
COMMENT ON COLUMN analytics.coverage_overall.catalogue_at_bet9ja IS
    'When the Bet9ja catalogue this row was computed from was last refreshed (its last successful '
    'scrape).';
COMMENT ON COLUMN analytics.coverage_overall.catalogue_stale_bet9ja IS
    'The Bet9ja catalogue was stale: older than twice the catalogue cadence, or its scrape failed in this '
    'run.';
COMMENT ON VIEW analytics.coverage_by_sport IS
    'Coverage of BetPawa against SportyBet and Bet9ja per sport, per kick-off date (UTC). Counts are of '
    'matches (rows of analytics.matched_events), each counted once however many books list it. A view: '
    'Nigeria''s site (site_country ng) only, with its three books as columns, pivoted from '
    'analytics.coverage_groups and analytics.coverage; other countries and books are read there.';
COMMENT ON COLUMN analytics.coverage_by_sport.kickoff_date IS
    'Kick-off date (UTC) of the matches counted; the partition key.';
COMMENT ON COLUMN analytics.coverage_by_sport.sport IS 'Canonical sport key: football, basketball or tennis.';
COMMENT ON COLUMN analytics.coverage_by_sport.total IS
    'Matches in the group: matched + betpawa_only + competitor_only.';
COMMENT ON COLUMN analytics.coverage_by_sport.matched IS
    'Matches listed by BetPawa and by at least one competitor (SportyBet or Bet9ja).';
COMMENT ON COLUMN analytics.coverage_by_sport.betpawa_only IS 'Matches listed by BetPawa and by neither competitor.';
COMMENT ON COLUMN analytics.coverage_by_sport.competitor_only IS
    'Matches listed by at least one competitor but not by BetPawa: the coverage gap.';
COMMENT ON COLUMN analytics.coverage_by_sport.only_sportybet IS
    'Matches listed by SportyBet alone (not BetPawa, not Bet9ja).';
COMMENT ON COLUMN analytics.coverage_by_sport.only_bet9ja IS
    'Matches listed by Bet9ja alone (not BetPawa, not SportyBet).';
COMMENT ON COLUMN analytics.coverage_by_sport.sportybet_and_bet9ja_only IS
    'Matches listed by both competitors but not by BetPawa.';
COMMENT ON COLUMN analytics.coverage_by_sport.on_all_three IS 'Matches listed by all three books.';
COMMENT ON COLUMN analytics.coverage_by_sport.betpawa_events IS 'Matches BetPawa lists.';
COMMENT ON COLUMN analytics.coverage_by_sport.sportybet_events IS 'Matches SportyBet lists.';
COMMENT ON COLUMN analytics.coverage_by_sport.bet9ja_events IS 'Matches Bet9ja lists.';
COMMENT ON COLUMN analytics.coverage_by_sport.sportybet_not_betpawa IS
    'Matches SportyBet lists that BetPawa does not.';
COMMENT ON COLUMN analytics.coverage_by_sport.bet9ja_not_betpawa IS 'Matches Bet9ja lists that BetPawa does not.';
COMMENT ON COLUMN analytics.coverage_by_sport.betpawa_not_sportybet IS
    'Matches BetPawa lists that SportyBet does not.';
COMMENT ON COLUMN analytics.coverage_by_sport.betpawa_not_bet9ja IS 'Matches BetPawa lists that Bet9ja does not.';
COMMENT ON COLUMN analytics.coverage_by_sport.without_sr_id IS
    'Matches without a SportRadar id: they cannot be matched across books and count as single-book '
    'matches.';
COMMENT ON COLUMN analytics.coverage_by_sport.match_rate IS
    'matched / total, a fraction between 0 and 1; null when total is 0.';
COMMENT ON COLUMN analytics.coverage_by_sport.betpawa_coverage IS
    'matched / (matched + competitor_only): the fraction of the matches competitors list that BetPawa '
    'lists too; null when the denominator is 0.';
COMMENT ON COLUMN analytics.coverage_by_sport.computed_at IS 'When the pipeline computed this row (UTC).';
COMMENT ON COLUMN analytics.coverage_by_sport.linked_by_genius IS
    'Matches whose books were linked through the Genius Sports id only (a book lacked the SportRadar id).';
COMMENT ON VIEW analytics.coverage_by_country IS
    'Coverage of BetPawa against SportyBet and Bet9ja per sport and canonical country (SportRadar '
    'category), per kick-off date (UTC). Counts are of matches (rows of analytics.matched_events), each '
    'counted once. A view: Nigeria''s site (site_country ng) only, with its three books as columns, '
    'pivoted from analytics.coverage_groups and analytics.coverage; other countries and books are read '
    'there.';
COMMENT ON COLUMN analytics.coverage_by_country.kickoff_date IS
    'Kick-off date (UTC) of the matches counted; the partition key.';
COMMENT ON COLUMN analytics.coverage_by_country.sport IS 'Canonical sport key: football, basketball or tennis.';
COMMENT ON COLUMN analytics.coverage_by_country.country IS
    'Canonical country: SportRadar''s name of the category; the name source''s own spelling when no '
    'category is known; null (one group) when no book gives one.';
COMMENT ON COLUMN analytics.coverage_by_country.total IS
    'Matches in the group: matched + betpawa_only + competitor_only.';
COMMENT ON COLUMN analytics.coverage_by_country.matched IS
    'Matches listed by BetPawa and by at least one competitor (SportyBet or Bet9ja).';
COMMENT ON COLUMN analytics.coverage_by_country.betpawa_only IS
    'Matches listed by BetPawa and by neither competitor.';
COMMENT ON COLUMN analytics.coverage_by_country.competitor_only IS
    'Matches listed by at least one competitor but not by BetPawa: the coverage gap.';
COMMENT ON COLUMN analytics.coverage_by_country.only_sportybet IS
    'Matches listed by SportyBet alone (not BetPawa, not Bet9ja).';
COMMENT ON COLUMN analytics.coverage_by_country.only_bet9ja IS
    'Matches listed by Bet9ja alone (not BetPawa, not SportyBet).';
COMMENT ON COLUMN analytics.coverage_by_country.sportybet_and_bet9ja_only IS
    'Matches listed by both competitors but not by BetPawa.';
COMMENT ON COLUMN analytics.coverage_by_country.on_all_three IS 'Matches listed by all three books.';
COMMENT ON COLUMN analytics.coverage_by_country.betpawa_events IS 'Matches BetPawa lists.';
COMMENT ON COLUMN analytics.coverage_by_country.sportybet_events IS 'Matches SportyBet lists.';
COMMENT ON COLUMN analytics.coverage_by_country.bet9ja_events IS 'Matches Bet9ja lists.';
COMMENT ON COLUMN analytics.coverage_by_country.sportybet_not_betpawa IS
    'Matches SportyBet lists that BetPawa does not.';
COMMENT ON COLUMN analytics.coverage_by_country.bet9ja_not_betpawa IS 'Matches Bet9ja lists that BetPawa does not.';
COMMENT ON COLUMN analytics.coverage_by_country.betpawa_not_sportybet IS
    'Matches BetPawa lists that SportyBet does not.';
COMMENT ON COLUMN analytics.coverage_by_country.betpawa_not_bet9ja IS 'Matches BetPawa lists that Bet9ja does not.';
COMMENT ON COLUMN analytics.coverage_by_country.without_sr_id IS
    'Matches without a SportRadar id: they cannot be matched across books and count as single-book '
    'matches.';
COMMENT ON COLUMN analytics.coverage_by_country.match_rate IS
    'matched / total, a fraction between 0 and 1; null when total is 0.';
COMMENT ON COLUMN analytics.coverage_by_country.betpawa_coverage IS
    'matched / (matched + competitor_only): the fraction of the matches competitors list that BetPawa '
    'lists too; null when the denominator is 0.';
COMMENT ON COLUMN analytics.coverage_by_country.computed_at IS 'When the pipeline computed this row (UTC).';
COMMENT ON COLUMN analytics.coverage_by_country.linked_by_genius IS
    'Matches whose books were linked through the Genius Sports id only (a book lacked the SportRadar id).';
COMMENT ON COLUMN analytics.coverage_by_country.sr_category_id IS
    'Canonical country: SportRadar category id (sr:category:N); null when unknown.';
COMMENT ON COLUMN analytics.coverage_by_country.country_iso IS
    'ISO 3166 code of the canonical country (alpha-2 or e.g. GB-ENG); null when none exists.';
COMMENT ON VIEW analytics.coverage_by_tournament IS
    'Coverage of BetPawa against SportyBet and Bet9ja per sport and canonical tournament (SportRadar '
    'tournament id, see analytics.tournament_crosswalk), per kick-off date (UTC); a tournament the '
    'crosswalk cannot place keeps its own row (placed = false). Counts are of matches (rows of '
    'analytics.matched_events). A view: Nigeria''s site (site_country ng) only, with its three books as '
    'columns, pivoted from analytics.coverage_groups and analytics.coverage; other countries and books '
    'are read there.';
COMMENT ON COLUMN analytics.coverage_by_tournament.kickoff_date IS
    'Kick-off date (UTC) of the matches counted; the partition key.';
COMMENT ON COLUMN analytics.coverage_by_tournament.sport IS 'Canonical sport key: football, basketball or tennis.';
COMMENT ON COLUMN analytics.coverage_by_tournament.country IS
    'Canonical country: SportRadar''s name of the category; the name source''s own spelling when no '
    'category is known; null (one group) when no book gives one.';
COMMENT ON COLUMN analytics.coverage_by_tournament.tournament IS
    'Canonical tournament name (SportRadar''s); the name source''s own name when unplaced.';
COMMENT ON COLUMN analytics.coverage_by_tournament.total IS
    'Matches in the group: matched + betpawa_only + competitor_only.';
COMMENT ON COLUMN analytics.coverage_by_tournament.matched IS
    'Matches listed by BetPawa and by at least one competitor (SportyBet or Bet9ja).';
COMMENT ON COLUMN analytics.coverage_by_tournament.betpawa_only IS
    'Matches listed by BetPawa and by neither competitor.';
COMMENT ON COLUMN analytics.coverage_by_tournament.competitor_only IS
    'Matches listed by at least one competitor but not by BetPawa: the coverage gap.';
COMMENT ON COLUMN analytics.coverage_by_tournament.only_sportybet IS
    'Matches listed by SportyBet alone (not BetPawa, not Bet9ja).';
COMMENT ON COLUMN analytics.coverage_by_tournament.only_bet9ja IS
    'Matches listed by Bet9ja alone (not BetPawa, not SportyBet).';
COMMENT ON COLUMN analytics.coverage_by_tournament.sportybet_and_bet9ja_only IS
    'Matches listed by both competitors but not by BetPawa.';
COMMENT ON COLUMN analytics.coverage_by_tournament.on_all_three IS 'Matches listed by all three books.';
COMMENT ON COLUMN analytics.coverage_by_tournament.betpawa_events IS 'Matches BetPawa lists.';
COMMENT ON COLUMN analytics.coverage_by_tournament.sportybet_events IS 'Matches SportyBet lists.';
COMMENT ON COLUMN analytics.coverage_by_tournament.bet9ja_events IS 'Matches Bet9ja lists.';
COMMENT ON COLUMN analytics.coverage_by_tournament.sportybet_not_betpawa IS
    'Matches SportyBet lists that BetPawa does not.';
COMMENT ON COLUMN analytics.coverage_by_tournament.bet9ja_not_betpawa IS
    'Matches Bet9ja lists that BetPawa does not.';
COMMENT ON COLUMN analytics.coverage_by_tournament.betpawa_not_sportybet IS
    'Matches BetPawa lists that SportyBet does not.';
COMMENT ON COLUMN analytics.coverage_by_tournament.betpawa_not_bet9ja IS
    'Matches BetPawa lists that Bet9ja does not.';
COMMENT ON COLUMN analytics.coverage_by_tournament.without_sr_id IS
    'Matches without a SportRadar id: they cannot be matched across books and count as single-book '
    'matches.';
COMMENT ON COLUMN analytics.coverage_by_tournament.match_rate IS
    'matched / total, a fraction between 0 and 1; null when total is 0.';
COMMENT ON COLUMN analytics.coverage_by_tournament.betpawa_coverage IS
    'matched / (matched + competitor_only): the fraction of the matches competitors list that BetPawa '
    'lists too; null when the denominator is 0.';
COMMENT ON COLUMN analytics.coverage_by_tournament.computed_at IS 'When the pipeline computed this row (UTC).';
COMMENT ON COLUMN analytics.coverage_by_tournament.linked_by_genius IS
    'Matches whose books were linked through the Genius Sports id only (a book lacked the SportRadar id).';
COMMENT ON COLUMN analytics.coverage_by_tournament.tournament_key IS
    'Key of the row''s tournament: sr_tournament_id, or <book>:<tournament id> of the name source for a '
    'tournament the crosswalk cannot place.';
COMMENT ON COLUMN analytics.coverage_by_tournament.placed IS
    'Whether the tournament is placed on a SportRadar tournament (false: the book''s own row).';
COMMENT ON COLUMN analytics.coverage_by_tournament.sr_tournament_id IS
    'Canonical tournament: SportRadar id (sr:tournament:N); null when unplaced.';
COMMENT ON COLUMN analytics.coverage_by_tournament.sr_category_id IS
    'Canonical country: SportRadar category id (sr:category:N); null when unknown.';
COMMENT ON COLUMN analytics.coverage_by_tournament.country_iso IS
    'ISO 3166 code of the canonical country (alpha-2 or e.g. GB-ENG); null when none exists.';
COMMENT ON COLUMN analytics.coverage_by_tournament.betpawa_tournament_id IS
    'BetPawa''s competition id for this tournament (the one with most agreeing votes in the crosswalk); '
    'null when BetPawa has none.';
COMMENT ON COLUMN analytics.coverage_by_tournament.betpawa_tournament_name IS 'BetPawa''s name for it.';
COMMENT ON COLUMN analytics.coverage_by_tournament.sportybet_tournament_id IS
    'SportyBet''s tournament id for it (the SR id itself when placed).';
COMMENT ON COLUMN analytics.coverage_by_tournament.sportybet_tournament_name IS 'SportyBet''s name for it.';
COMMENT ON COLUMN analytics.coverage_by_tournament.bet9ja_tournament_id IS
    'Bet9ja''s group id for this tournament (most agreeing votes); null when none.';
COMMENT ON COLUMN analytics.coverage_by_tournament.bet9ja_tournament_name IS 'Bet9ja''s name for it.';
COMMENT ON VIEW analytics.odds_current IS
    'The latest price of every outcome each book currently offers or has suspended (closed outcomes '
    'excluded), with the match names from analytics.matched_events.';
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
COMMENT ON COLUMN analytics.odds_current.state IS 'open = can be bet on; suspended = shown but not bettable.';
COMMENT ON COLUMN analytics.odds_current.captured_at IS
    'When the price was last confirmed: the moment the request of the book''s latest successful capture '
    'of the match was sent (UTC).';
COMMENT ON COLUMN analytics.odds_current.changed_at IS
    'When the price or state last changed (UTC); captured_at - changed_at is how long it has held.';

COMMENT ON TABLE analytics.matches IS
    'One row per match, kick-off date and site country: the books'' listings of one real-world match on one '
    'country''s sites, linked by SportRadar id (else Genius Sports id; an event neither links stands alone). '
    'Which books list it, with their own ids: analytics.match_listings. Recomputed per kick-off date and site '
    'country from the live catalogues.';
COMMENT ON COLUMN analytics.matches.kickoff_date IS
    'Kick-off date (UTC) as the name source gives it; with site_country, the partition key.';
COMMENT ON COLUMN analytics.matches.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites the match was read from, e.g. ng, gh.';
COMMENT ON COLUMN analytics.matches.match_key IS
    'The match''s key: sr:<SportRadar id>, gs:<Genius Sports id> (linked by Genius only), or <book>:<event id> '
    'for a listing nothing links.';
COMMENT ON COLUMN analytics.matches.sr_id IS 'SportRadar match id; null when no listing of the match carries one.';
COMMENT ON COLUMN analytics.matches.kickoff IS 'Kick-off time (timestamptz, shown in UTC) from name_source.';
COMMENT ON COLUMN analytics.matches.sport IS 'Canonical sport key: football, basketball or tennis.';
COMMENT ON COLUMN analytics.matches.country IS
    'Country or region of the tournament as name_source names it (the tournament''s country, not the site''s).';
COMMENT ON COLUMN analytics.matches.tournament IS 'Tournament name as name_source gives it.';
COMMENT ON COLUMN analytics.matches.home IS 'Home team or player as name_source spells it.';
COMMENT ON COLUMN analytics.matches.away IS 'Away team or player as name_source spells it.';
COMMENT ON COLUMN analytics.matches.name_source IS
    'The book the descriptive fields come from: BetPawa when it lists the match, else the first competitor '
    'listing it.';
COMMENT ON COLUMN analytics.matches.book_count IS 'How many books list the match (rows of analytics.match_listings).';
COMMENT ON COLUMN analytics.matches.status IS
    'matched (BetPawa and a competitor list it), betpawa_only, or competitor_only (the coverage gap).';
COMMENT ON COLUMN analytics.matches.genius_id IS 'Genius Sports match id, when a listing carries one.';
COMMENT ON COLUMN analytics.matches.linked_by IS
    'How the books'' listings were linked: sportradar, or genius (a listing lacked the SportRadar id); null '
    'when one book lists the match.';
COMMENT ON COLUMN analytics.matches.tournament_key IS
    'Canonical tournament key: the SportRadar tournament id when the match is placed, else '
    '<name source>:<its tournament id>.';
COMMENT ON COLUMN analytics.matches.sr_tournament_id IS
    'SportRadar tournament id the match is placed on (see analytics.tournament_crosswalk); null when unplaced.';
COMMENT ON COLUMN analytics.matches.canonical_tournament IS
    'Tournament name of the canonical tournament (the name source''s own name when unplaced).';
COMMENT ON COLUMN analytics.matches.sr_category_id IS
    'SportRadar category (country or region) of the canonical tournament; null when unknown.';
COMMENT ON COLUMN analytics.matches.canonical_country IS
    'Country or region of the canonical tournament (the name source''s own when unplaced).';
COMMENT ON COLUMN analytics.matches.country_iso IS 'ISO 3166 code of the canonical country; null when none exists.';
COMMENT ON COLUMN analytics.matches.computed_at IS 'When the pipeline computed this row (UTC).';

COMMENT ON TABLE analytics.match_listings IS
    'One row per match of analytics.matches and book listing it on that site country: the book''s own event '
    'and tournament ids. A book absent here does not list the match.';
COMMENT ON COLUMN analytics.match_listings.kickoff_date IS 'Kick-off date (UTC) of the match in analytics.matches.';
COMMENT ON COLUMN analytics.match_listings.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites the listing was read from.';
COMMENT ON COLUMN analytics.match_listings.match_key IS 'The match''s key in analytics.matches.';
COMMENT ON COLUMN analytics.match_listings.book IS 'The book listing the match, e.g. betpawa, sportybet, bet9ja.';
COMMENT ON COLUMN analytics.match_listings.event_id IS 'The book''s own event id of the match.';
COMMENT ON COLUMN analytics.match_listings.tournament_id IS 'The book''s own tournament id of the match.';
COMMENT ON COLUMN analytics.match_listings.computed_at IS 'When the pipeline computed this row (UTC).';

COMMENT ON TABLE analytics.coverage_groups IS
    'Coverage of BetPawa against the books competing with it on one country''s sites, per kick-off date (UTC), '
    'site country and group: all sports together (level overall), per sport, per sport and canonical country '
    '(SportRadar category), per sport and canonical tournament. Counts are of matches (rows of '
    'analytics.matches), each counted once however many books list it. The per-book figures of each group are '
    'in analytics.coverage.';
COMMENT ON COLUMN analytics.coverage_groups.kickoff_date IS
    'Kick-off date (UTC) of the matches counted; with site_country, the partition key.';
COMMENT ON COLUMN analytics.coverage_groups.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites the matches were read from.';
COMMENT ON COLUMN analytics.coverage_groups.level IS
    'The grouping: overall (one row per date), sport, country (sport and canonical country) or tournament '
    '(sport and canonical tournament).';
COMMENT ON COLUMN analytics.coverage_groups.sport IS 'Sport of the group; null at level overall.';
COMMENT ON COLUMN analytics.coverage_groups.sr_category_id IS
    'SportRadar category (canonical country) of the group at levels country and tournament; null when unknown.';
COMMENT ON COLUMN analytics.coverage_groups.country IS
    'Canonical country or region of the group at levels country and tournament; null when unknown.';
COMMENT ON COLUMN analytics.coverage_groups.tournament_key IS
    'Canonical tournament key (analytics.matches.tournament_key) at level tournament; null at the others.';
COMMENT ON COLUMN analytics.coverage_groups.tournament IS 'Canonical tournament name at level tournament.';
COMMENT ON COLUMN analytics.coverage_groups.placed IS
    'At level tournament: whether the tournament is placed on a SportRadar tournament; null at the others.';
COMMENT ON COLUMN analytics.coverage_groups.sr_tournament_id IS
    'At level tournament: the SportRadar tournament id, null when unplaced.';
COMMENT ON COLUMN analytics.coverage_groups.country_iso IS
    'ISO 3166 code of the canonical country at levels country and tournament; null when none exists.';
COMMENT ON COLUMN analytics.coverage_groups.total IS 'Matches in the group: matched + betpawa_only + competitor_only.';
COMMENT ON COLUMN analytics.coverage_groups.matched IS
    'Matches listed by BetPawa and by at least one competitor.';
COMMENT ON COLUMN analytics.coverage_groups.betpawa_only IS 'Matches listed by BetPawa and by no competitor.';
COMMENT ON COLUMN analytics.coverage_groups.competitor_only IS
    'Matches listed by at least one competitor but not by BetPawa: the coverage gap.';
COMMENT ON COLUMN analytics.coverage_groups.several_competitors_only IS
    'Matches listed by two competitors or more but not by BetPawa.';
COMMENT ON COLUMN analytics.coverage_groups.on_every_book IS
    'Matches listed by every book read on the site country (BetPawa and all its competitors there).';
COMMENT ON COLUMN analytics.coverage_groups.without_sr_id IS
    'Matches without a SportRadar id: they cannot be matched across books and count as single-book matches.';
COMMENT ON COLUMN analytics.coverage_groups.linked_by_genius IS
    'Matches whose books were linked through the Genius Sports id only (a book lacked the SportRadar id).';
COMMENT ON COLUMN analytics.coverage_groups.match_rate IS
    'matched / total, a fraction between 0 and 1; null when total is 0.';
COMMENT ON COLUMN analytics.coverage_groups.betpawa_coverage IS
    'matched / (matched + competitor_only): the fraction of the matches competitors list that BetPawa lists '
    'too; null when the denominator is 0.';
COMMENT ON COLUMN analytics.coverage_groups.computed_at IS 'When the pipeline computed this row (UTC).';

COMMENT ON TABLE analytics.coverage IS
    'Per-book coverage figures of each group of analytics.coverage_groups (same key columns, plus book): one '
    'row per group and book read on the site country, BetPawa included, a book listing none of the group''s '
    'matches with zeros.';
COMMENT ON COLUMN analytics.coverage.kickoff_date IS
    'Kick-off date (UTC) of the matches counted; with site_country, the partition key.';
COMMENT ON COLUMN analytics.coverage.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites the matches were read from.';
COMMENT ON COLUMN analytics.coverage.level IS 'The grouping, as in analytics.coverage_groups.level.';
COMMENT ON COLUMN analytics.coverage.sport IS 'Sport of the group; null at level overall.';
COMMENT ON COLUMN analytics.coverage.sr_category_id IS
    'SportRadar category of the group at levels country and tournament; null when unknown.';
COMMENT ON COLUMN analytics.coverage.country IS
    'Canonical country or region of the group at levels country and tournament; null when unknown.';
COMMENT ON COLUMN analytics.coverage.tournament_key IS 'Canonical tournament key at level tournament; null at the others.';
COMMENT ON COLUMN analytics.coverage.book IS 'The book, e.g. betpawa, sportybet, bet9ja.';
COMMENT ON COLUMN analytics.coverage.events IS 'Matches of the group the book lists.';
COMMENT ON COLUMN analytics.coverage.not_on_betpawa IS
    'Matches the book lists that BetPawa does not (0 on BetPawa''s own row).';
COMMENT ON COLUMN analytics.coverage.betpawa_not_on_it IS
    'Matches BetPawa lists that the book does not (0 on BetPawa''s own row).';
COMMENT ON COLUMN analytics.coverage.only_on_it IS
    'Matches the book alone lists (on BetPawa''s row: analytics.coverage_groups.betpawa_only).';
COMMENT ON COLUMN analytics.coverage.catalogue_at IS
    'At level overall: when the book''s catalogue the figures were computed from was last refreshed (its last '
    'successful scrape); null at the other levels.';
COMMENT ON COLUMN analytics.coverage.catalogue_stale IS
    'At level overall: the book''s catalogue was stale (older than twice the catalogue cadence, or its scrape '
    'failed in this run); null at the other levels.';
COMMENT ON COLUMN analytics.coverage.book_tournament_id IS
    'At level tournament: the book''s own tournament id for the group''s tournament (the one placed on it with '
    'the most agreeing votes; an unplaced tournament''s own book only); null when none.';
COMMENT ON COLUMN analytics.coverage.book_tournament_name IS
    'At level tournament: the book''s own name of that tournament; null when none.';
COMMENT ON COLUMN analytics.coverage.computed_at IS 'When the pipeline computed this row (UTC).';

-- The tables already one row per book gain the site country; their existing rows are Nigeria's.
ALTER TABLE analytics.coverage_history ADD COLUMN site_country text NOT NULL DEFAULT 'ng'
    CHECK (site_country ~ '^[a-z]{2}$');
ALTER TABLE analytics.coverage_history ALTER COLUMN site_country DROP DEFAULT;
ALTER TABLE analytics.coverage_history DROP CONSTRAINT coverage_history_pkey;
ALTER TABLE analytics.coverage_history ADD PRIMARY KEY (computed_at, site_country, kickoff_date);
COMMENT ON COLUMN analytics.coverage_history.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites the matches were read from.';

ALTER TABLE analytics.listing_lead_time ADD COLUMN site_country text NOT NULL DEFAULT 'ng'
    CHECK (site_country ~ '^[a-z]{2}$');
ALTER TABLE analytics.listing_lead_time ALTER COLUMN site_country DROP DEFAULT;
ALTER TABLE analytics.listing_lead_time DROP CONSTRAINT listing_lead_time_pkey;
ALTER TABLE analytics.listing_lead_time ADD PRIMARY KEY (kickoff_date, site_country, sport, country, tournament, book);
COMMENT ON COLUMN analytics.listing_lead_time.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites the listings were read from.';

ALTER TABLE analytics.to_list_now ADD COLUMN site_country text NOT NULL DEFAULT 'ng'
    CHECK (site_country ~ '^[a-z]{2}$');
ALTER TABLE analytics.to_list_now ALTER COLUMN site_country DROP DEFAULT;
ALTER TABLE analytics.to_list_now DROP CONSTRAINT to_list_now_pkey;
ALTER TABLE analytics.to_list_now ADD PRIMARY KEY (kickoff_date, site_country, match_key);
COMMENT ON COLUMN analytics.to_list_now.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites the listings were read from.';
COMMENT ON COLUMN analytics.to_list_now.listed_by IS
    'The competitors listing it, in the order they were first seen listing it.';
