-- The site's country in the core tables: a book's event ids are the same on each of its country sites
-- (SportyBet's sr:match ids, ...), so every row read from a site names that site's country (site_country) and
-- the keys that identify a listing, a price or a capture include it: a Ghana scrape never overwrites Nigeria's
-- rows. Every row stored so far was read from Nigeria's sites (the only country read before): it gets 'ng'.
-- The default is dropped afterwards, so every writer says the country. On a partitioned table (odds_changes,
-- raw_archive) ADD COLUMN reaches every partition; a constant default fills the existing rows without a rewrite.
-- core.archive_packs needs no column: each pack entry names a core.archive_events row, which carries it.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0009_crosswalk 0017_compact_history 0039_wide_views_three_books 0041_book_history_codes 0018_delta_archive 0021_archive_packs 0022_current_without_rewrites 0027_listing_lead_time 0033_key_health 0034_event_rosters 0038_books_as_data 0040_alert_subjects_per_country

DO $$
DECLARE
    tab text;
BEGIN
    FOREACH tab IN ARRAY ARRAY[
        'core.scrape_batches', 'core.book_runs', 'core.quarantine', 'core.tournaments', 'core.events',
        'core.raw_archive', 'core.odds_captures', 'core.unmapped_markets', 'core.scrape_metrics',
        'core.quarantined_rows', 'core.odds_changes', 'core.archive_events', 'core.odds_current_prices',
        'core.odds_confirmed', 'core.market_suspects', 'core.payload_fields', 'core.event_rosters',
        'analytics.catalogue_changes', 'analytics.tournament_crosswalk', 'analytics.country_crosswalk'
    ] LOOP
        EXECUTE 'ALTER TABLE ' || tab || ' ADD COLUMN site_country text NOT NULL DEFAULT ''ng''';
        EXECUTE 'ALTER TABLE ' || tab || ' ALTER COLUMN site_country DROP DEFAULT';
        EXECUTE 'COMMENT ON COLUMN ' || tab || '.site_country IS '
            '''ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...''';
    END LOOP;
END
$$;

-- Keys of rows whose identity depends on the site. Batch- and run-keyed rows (scrape_batches, book_runs,
-- scrape_metrics, unmapped_markets, quarantine, quarantined_rows) keep theirs: a run reads one country.
ALTER TABLE core.events DROP CONSTRAINT events_pkey, ADD PRIMARY KEY (site_country, book, event_id);
DROP INDEX core.events_live_sr_id_per_book_uidx;
CREATE UNIQUE INDEX events_live_sr_id_per_book_uidx ON core.events (site_country, book, sr_id)
    WHERE sr_id IS NOT NULL AND deleted_at IS NULL;
DROP INDEX core.events_kickoff_date_book_idx;
CREATE INDEX events_kickoff_date_book_idx ON core.events (kickoff_date, site_country, book);

ALTER TABLE core.tournaments DROP CONSTRAINT tournaments_pkey, ADD PRIMARY KEY (site_country, book, tournament_id);

ALTER TABLE core.odds_current_prices DROP CONSTRAINT odds_current_pkey,
    ADD CONSTRAINT odds_current_pkey PRIMARY KEY (sr_id, book, site_country, market, specifier, outcome);
ALTER TABLE core.odds_confirmed DROP CONSTRAINT odds_confirmed_pkey, ADD PRIMARY KEY (sr_id, book, site_country);
ALTER TABLE core.odds_captures DROP CONSTRAINT odds_captures_pkey,
    ADD PRIMARY KEY (sr_id, book, site_country, captured_at);
ALTER TABLE core.odds_changes DROP CONSTRAINT odds_changes_pkey,
    ADD PRIMARY KEY (sr_id, book, site_country, captured_at);
ALTER TABLE core.market_suspects DROP CONSTRAINT market_suspects_pkey,
    ADD PRIMARY KEY (sr_id, book, site_country, market, specifier);
ALTER TABLE core.event_rosters DROP CONSTRAINT event_rosters_pkey,
    ADD PRIMARY KEY (sr_id, book, site_country, player_sr_id, name, team);
ALTER TABLE core.payload_fields DROP CONSTRAINT payload_fields_pkey, ADD PRIMARY KEY (book, site_country, path);

ALTER TABLE core.archive_events DROP CONSTRAINT archive_events_labels_key,
    ADD CONSTRAINT archive_events_labels_key
        UNIQUE NULLS NOT DISTINCT (site_country, book, event_id, sr_id, kickoff_date);
DROP INDEX core.raw_archive_event_chain_idx;
CREATE INDEX raw_archive_event_chain_idx ON core.raw_archive (site_country, event_id, captured_at)
    WHERE kind = 'event';

ALTER TABLE analytics.catalogue_changes DROP CONSTRAINT catalogue_changes_pkey,
    ADD PRIMARY KEY (site_country, book, event_id, changed_at, change);
ALTER TABLE analytics.tournament_crosswalk DROP CONSTRAINT tournament_crosswalk_pkey,
    ADD PRIMARY KEY (site_country, book, tournament_id);
ALTER TABLE analytics.country_crosswalk DROP CONSTRAINT country_crosswalk_book_sport_country_key,
    ADD CONSTRAINT country_crosswalk_book_sport_country_key UNIQUE NULLS NOT DISTINCT (site_country, book, sport, country);

-- Views over these tables carry the column (appended, so CREATE OR REPLACE keeps every reader's columns);
-- core.odds_current joins a price to its own site's last confirmed capture.
CREATE OR REPLACE VIEW core.odds_current AS
SELECT p.sr_id,
       CASE WHEN p.state = 'closed' THEN p.changed_at ELSE GREATEST(c.captured_at, p.changed_at) END AS captured_at,
       p.changed_at, p.price, p.market, p.outcome, p.book, p.specifier, p.state, p.site_country
FROM core.odds_current_prices p
LEFT JOIN core.odds_confirmed c USING (sr_id, book, site_country);

-- core.odds_history is redefined from its own definition (how it decodes the book code is not this
-- migration's business): the site's country is appended to its select list.
DO $$
DECLARE
    def text := pg_get_viewdef('core.odds_history'::regclass, true);
    extended text;
BEGIN
    extended := regexp_replace(
        def, '\s+FROM (\(*)(core\.)?odds_changes c\M', ', c.site_country FROM \1core.odds_changes c'
    );
    IF extended = def THEN
        RAISE EXCEPTION USING MESSAGE = 'core.odds_history does not read core.odds_changes c: ' || def;
    END IF;
    EXECUTE 'CREATE OR REPLACE VIEW core.odds_history AS ' || extended;
END
$$;

CREATE OR REPLACE VIEW analytics.odds_history AS
SELECT sr_id, book, market, specifier, outcome, price, state, captured_at, site_country FROM core.odds_history;

CREATE OR REPLACE VIEW analytics.events AS
SELECT book, event_id, sr_id, home, away, kickoff, kickoff_date, tournament_id, tournament_name, country, sport,
       first_seen_at, last_seen_at, last_batch_id, genius_id, country_id, site_country
FROM core.events
WHERE deleted_at IS NULL;

CREATE OR REPLACE VIEW analytics.tournaments AS
SELECT book, tournament_id, name, country, sport, event_count, first_seen_at, last_seen_at, country_id, site_country
FROM core.tournaments
WHERE deleted_at IS NULL;

CREATE OR REPLACE VIEW analytics.scrape_runs AS
SELECT r.batch_id, b.trigger, b.status AS batch_status, b.partition_start, b.partition_end, r.book, r.status,
       r.complete, r.tournaments, r.events, r.requests, r.errors, r.error_messages, r.started_at, r.finished_at,
       r.duration_s, r.site_country
FROM core.book_runs r
JOIN core.scrape_batches b USING (batch_id);

CREATE OR REPLACE VIEW analytics.odds_captures AS
SELECT sr_id, book, captured_at, batch_id, status, reason, sent_at, received_at, open_outcomes, mapped_outcomes,
       CASE WHEN open_outcomes > 0 THEN mapped_outcomes::double precision / open_outcomes END AS mapping_rate,
       extract(epoch FROM received_at - sent_at)::double precision * 1000 AS latency_ms,
       native_outcomes,
       mapped_outcomes - coalesce(native_outcomes, 0) - coalesce(composed_outcomes, 0)
           - coalesce(canonical_outcomes, 0) AS uof_outcomes,
       composed_outcomes, canonical_outcomes, set_aside_outcomes, suspect_outcomes, new_fields, site_country
FROM core.odds_captures;

CREATE OR REPLACE VIEW analytics.unmapped_markets AS
SELECT batch_id, book, market_key, outcomes, recorded_at, site_country FROM core.unmapped_markets;

CREATE OR REPLACE VIEW analytics.scrape_metrics AS
SELECT run_id, book, kind, status, started_at, finished_at,
       extract(epoch FROM finished_at - started_at)::double precision AS duration_s,
       requests, attempts, failed_requests, throttled, errors,
       CASE WHEN attempts > 0 THEN (attempts - requests)::double precision / attempts END AS retry_share,
       CASE WHEN requests > 0 THEN failed_requests::double precision / requests END AS failure_rate,
       CASE WHEN attempts > 0 THEN throttled::double precision / attempts END AS throttle_rate,
       latency_p50_ms, latency_p95_ms, latency_p99_ms, bytes_received, site_country
FROM core.scrape_metrics;

CREATE OR REPLACE VIEW analytics.quarantined_rows AS
SELECT recorded_at, batch_id, stage, book, kind, sr_id, event_id, reason, excerpt, site_country
FROM core.quarantined_rows;

COMMENT ON COLUMN core.odds_current.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the price was read from.';
COMMENT ON COLUMN core.odds_history.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the change was read from.';
COMMENT ON COLUMN analytics.odds_history.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the change was read from.';
COMMENT ON COLUMN analytics.events.site_country IS
    'ISO 3166 code (lower case) of the country whose book site lists the event.';
COMMENT ON COLUMN analytics.tournaments.site_country IS
    'ISO 3166 code (lower case) of the country whose book site lists the tournament.';
COMMENT ON COLUMN analytics.scrape_runs.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the run read.';
COMMENT ON COLUMN analytics.odds_captures.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the capture read.';
COMMENT ON COLUMN analytics.unmapped_markets.site_country IS
    'ISO 3166 code (lower case) of the country whose book site offered the market.';
COMMENT ON COLUMN analytics.scrape_metrics.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the run read.';
COMMENT ON COLUMN analytics.quarantined_rows.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row came from.';
