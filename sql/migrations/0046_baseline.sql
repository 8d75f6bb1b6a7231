-- The warehouse's schema as the 41 migrations in replaced/ (0001_core to 0046_run_records_per_country)
-- left it, in one step, for a fresh warehouse. A warehouse that applied some of them applies the rest
-- from replaced/ and is then marked at this baseline (warehouse/schema_migrations.py; docs/operations.md).
-- Written from pg_dump --schema-only of a warehouse those migrations made, grouped by table; the
-- tests in palimpsest_pipeline_tests/warehouse/test_migrate_baseline.py hold the two schemas equal.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- replaces: 0001_core 0002_analytics_tables 0003_analytics_views 0004_odds_core 0005_odds_analytics
-- replaces: 0007_observability 0008_coverage_history 0009_crosswalk 0010_keyed_outcomes 0012_odds_freshness
-- replaces: 0014_composed_outcomes 0015_quarantined_rows 0016_catalogue_freshness 0017_compact_history
-- replaces: 0018_delta_archive 0019_quarantine_number_kinds 0020_slim_archive_rows 0021_archive_packs
-- replaces: 0022_current_without_rewrites 0023_archive_compaction 0024_withdrawal_misses
-- replaces: 0025_drop_archive_compaction 0026_suspect_markets 0027_listing_lead_time 0030_alerts
-- replaces: 0031_live_coverage 0032_price_leadership 0033_key_health 0034_event_rosters 0035_listing_age_unknown
-- replaces: 0036_long_catalogue 0037_long_comparison 0038_books_as_data 0039_wide_views_three_books
-- replaces: 0040_alert_subjects_per_country 0041_book_history_codes 0042_site_country_core
-- replaces: 0043_alert_subjects_every_rule_per_country 0044_live_books_as_data 0045_outcome_prices_open_only
-- replaces: 0046_run_records_per_country

CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS analytics;

-- core.archive_dictionaries -------------------------------------------------------------------------------------
CREATE TABLE core.archive_dictionaries (
    dict_id integer NOT NULL,
    book text NOT NULL,
    kind text NOT NULL,
    trained_at timestamp with time zone DEFAULT now() NOT NULL,
    samples integer NOT NULL,
    dict bytea NOT NULL,
    dict_bytes integer NOT NULL,
    CONSTRAINT archive_dictionaries_dict_bytes_check CHECK ((dict_bytes > 0)),
    CONSTRAINT archive_dictionaries_kind_check CHECK ((kind = ANY (ARRAY['catalogue'::text, 'list'::text, 'event'::text]))),
    CONSTRAINT archive_dictionaries_samples_check CHECK ((samples > 0))
);
ALTER TABLE core.archive_dictionaries ALTER COLUMN dict_id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME core.archive_dictionaries_dict_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
ALTER TABLE core.archive_dictionaries
    ADD CONSTRAINT archive_dictionaries_pkey PRIMARY KEY (dict_id);
CREATE INDEX archive_dictionaries_book_kind_idx ON core.archive_dictionaries USING btree (book, kind, dict_id DESC);

-- core.archive_events -------------------------------------------------------------------------------------------
CREATE TABLE core.archive_events (
    event_key integer NOT NULL,
    book text NOT NULL,
    event_id text NOT NULL,
    sr_id bigint,
    kickoff_date date,
    site_country text NOT NULL,
    CONSTRAINT archive_events_sr_id_check CHECK ((sr_id > 0))
);
ALTER TABLE core.archive_events ALTER COLUMN event_key ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME core.archive_events_event_key_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
ALTER TABLE core.archive_events
    ADD CONSTRAINT archive_events_labels_key UNIQUE NULLS NOT DISTINCT (site_country, book, event_id, sr_id, kickoff_date);
ALTER TABLE core.archive_events
    ADD CONSTRAINT archive_events_pkey PRIMARY KEY (event_key);
CREATE INDEX archive_events_kickoff_idx ON core.archive_events USING btree (kickoff_date);
COMMENT ON TABLE core.archive_events IS
    'The events archived event details are labelled with, one row per (book, event id, SR id, kick-off date) as '
    'labelled at capture time; core.archive_packs names them by event_key';
COMMENT ON COLUMN core.archive_events.event_key IS 'the key core.archive_packs.event_keys holds';
COMMENT ON COLUMN core.archive_events.book IS 'the book whose event detail it is (the entry''s book)';
COMMENT ON COLUMN core.archive_events.event_id IS 'the book''s own event id';
COMMENT ON COLUMN core.archive_events.sr_id IS 'the SportRadar id the capture asked for (NULL: none)';
COMMENT ON COLUMN core.archive_events.kickoff_date IS
    'the UTC kick-off date the capture was for (readers select by it)';
COMMENT ON COLUMN core.archive_events.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- core.archive_packs --------------------------------------------------------------------------------------------
CREATE TABLE core.archive_packs (
    start_at timestamp with time zone NOT NULL,
    batch_id text NOT NULL,
    event_keys integer[] NOT NULL,
    at_us integer[] NOT NULL,
    chain_pos smallint[] NOT NULL,
    statuses smallint[] NOT NULL,
    ends integer[] NOT NULL,
    dict_ids integer[] NOT NULL,
    urls text[] NOT NULL,
    raw_hashes bytea NOT NULL,
    base_hashes bytea NOT NULL,
    body bytea NOT NULL,
    CONSTRAINT archive_packs_batch_id_check CHECK ((batch_id <> ''::text)),
    CONSTRAINT archive_packs_shape CHECK (((cardinality(event_keys) > 0) AND (cardinality(at_us) = cardinality(event_keys)) AND (cardinality(chain_pos) = cardinality(event_keys)) AND (cardinality(statuses) = cardinality(event_keys)) AND (cardinality(ends) = cardinality(event_keys)) AND (cardinality(dict_ids) = cardinality(event_keys)) AND (cardinality(urls) = cardinality(event_keys)) AND (octet_length(raw_hashes) = (8 * cardinality(event_keys))) AND (octet_length(base_hashes) = (4 * cardinality(event_keys)))))
)
PARTITION BY RANGE (start_at);
ALTER TABLE core.archive_packs ALTER COLUMN body SET STORAGE EXTERNAL;
CREATE INDEX archive_packs_events_idx ON core.archive_packs USING gin (event_keys) WITH (fastupdate=off);
COMMENT ON TABLE core.archive_packs IS
    'Archived event details, one row per (flush, UTC day): entry i is event event_keys[i] captured at start_at + '
    'at_us[i] microseconds, its frame the bytes of body from ends[i-1] (0 for the first) to ends[i]';
COMMENT ON COLUMN core.archive_packs.start_at IS 'the earliest capture of the pack (partition key: UTC day)';
COMMENT ON COLUMN core.archive_packs.batch_id IS 'the scrape batch (Dagster run) that archived the pack';
COMMENT ON COLUMN core.archive_packs.event_keys IS 'per entry: its event (core.archive_events.event_key)';
COMMENT ON COLUMN core.archive_packs.at_us IS
    'per entry: capture time, microseconds after start_at (a pack spans at most 35 minutes)';
COMMENT ON COLUMN core.archive_packs.chain_pos IS
    'per entry: 0 for a keyframe, else a delta whose base is the entry of the same event and day at chain '
    'position one less whose raw hash starts with its base_hashes bytes';
COMMENT ON COLUMN core.archive_packs.statuses IS 'per entry: the HTTP status, NULL for 200 (nearly all)';
COMMENT ON COLUMN core.archive_packs.ends IS 'per entry: where its frame ends in body (bytes)';
COMMENT ON COLUMN core.archive_packs.dict_ids IS
    'per entry: a keyframe''s core.archive_dictionaries id (NULL: plain zstd, and on every delta)';
COMMENT ON COLUMN core.archive_packs.urls IS
    'per entry: the URL asked; NULL on a delta asked at its base''s URL (resolved along the chain)';
COMMENT ON COLUMN core.archive_packs.raw_hashes IS
    'per entry, 8 bytes: BLAKE2b-64 of the body as received; every read checks the decoded bytes against it';
COMMENT ON COLUMN core.archive_packs.base_hashes IS
    'per entry, 4 bytes: the first bytes of its base''s raw hash (zeros on a keyframe)';
COMMENT ON COLUMN core.archive_packs.body IS
    'the entries'' frames, concatenated: keyframes zstd (level 8, the book''s dictionary), deltas zstd without '
    'magic, checksum or content size against the base body as a raw-content dictionary (empty: the same bytes as '
    'the base)';

-- core.book_runs ------------------------------------------------------------------------------------------------
CREATE TABLE core.book_runs (
    batch_id text NOT NULL,
    book text NOT NULL,
    status text NOT NULL,
    complete boolean NOT NULL,
    tournaments integer DEFAULT 0 NOT NULL,
    events integer DEFAULT 0 NOT NULL,
    requests integer DEFAULT 0 NOT NULL,
    errors jsonb DEFAULT '{}'::jsonb NOT NULL,
    error_messages jsonb DEFAULT '[]'::jsonb NOT NULL,
    started_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone NOT NULL,
    duration_s double precision GENERATED ALWAYS AS ((EXTRACT(epoch FROM (finished_at - started_at)))::double precision) STORED,
    site_country text NOT NULL,
    CONSTRAINT book_runs_check CHECK ((finished_at >= started_at)),
    CONSTRAINT book_runs_error_messages_check CHECK ((jsonb_typeof(error_messages) = 'array'::text)),
    CONSTRAINT book_runs_errors_check CHECK ((jsonb_typeof(errors) = 'object'::text)),
    CONSTRAINT book_runs_events_check CHECK ((events >= 0)),
    CONSTRAINT book_runs_requests_check CHECK ((requests >= 0)),
    CONSTRAINT book_runs_status_check CHECK ((status = ANY (ARRAY['ok'::text, 'partial'::text, 'failed'::text]))),
    CONSTRAINT book_runs_tournaments_check CHECK ((tournaments >= 0))
);
ALTER TABLE core.book_runs
    ADD CONSTRAINT book_runs_pkey PRIMARY KEY (batch_id, site_country, book);
COMMENT ON COLUMN core.book_runs.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- core.books ----------------------------------------------------------------------------------------------------
CREATE TABLE core.books (
    book text NOT NULL,
    history_code smallint NOT NULL,
    CONSTRAINT books_book_check CHECK ((book ~ '^[a-z][a-z0-9_]*$'::text)),
    CONSTRAINT books_history_code_check CHECK ((history_code > 0))
);
CREATE SEQUENCE core.books_history_code_seq
    AS smallint
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE core.books_history_code_seq OWNED BY core.books.history_code;
ALTER TABLE core.books ALTER COLUMN history_code SET DEFAULT nextval('core.books_history_code_seq'::regclass);
ALTER TABLE core.books
    ADD CONSTRAINT books_history_code_key UNIQUE (history_code);
ALTER TABLE core.books
    ADD CONSTRAINT books_pkey PRIMARY KEY (book);
COMMENT ON TABLE core.books IS
    'Every book the pipeline knows (palimpsest_pipeline.records.Book, added by each migrate): the columns naming '
    'a book refer to it.';
COMMENT ON COLUMN core.books.book IS 'The book''s code, as every table writes it (betpawa, sportybet, ...).';
COMMENT ON COLUMN core.books.history_code IS
    'The book''s code in the compact odds history (core.odds_changes.book); never reused nor changed.';
-- The books known when the baseline was made, with the compact history's codes they took; migrate() adds
-- the later ones, each with the next code from the sequence.
INSERT INTO core.books (book, history_code)
VALUES ('betpawa', 1), ('sportybet', 2), ('bet9ja', 3), ('betway', 4), ('msport', 5);
-- PERFORM, not SELECT: a statement returning rows has yoyo print them on the command's standard output
DO $$ BEGIN
    PERFORM setval('core.books_history_code_seq', 5);
END $$;

-- core.event_rosters --------------------------------------------------------------------------------------------
CREATE TABLE core.event_rosters (
    sr_id bigint NOT NULL,
    book text NOT NULL,
    player_sr_id bigint NOT NULL,
    name text NOT NULL,
    team text NOT NULL,
    first_seen_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT event_rosters_book_check CHECK ((book <> ''::text)),
    CONSTRAINT event_rosters_check CHECK ((last_seen_at >= first_seen_at)),
    CONSTRAINT event_rosters_name_check CHECK ((name <> ''::text)),
    CONSTRAINT event_rosters_player_sr_id_check CHECK ((player_sr_id > 0)),
    CONSTRAINT event_rosters_sr_id_check CHECK ((sr_id > 0))
);
ALTER TABLE core.event_rosters
    ADD CONSTRAINT event_rosters_pkey PRIMARY KEY (sr_id, book, site_country, player_sr_id, name, team);
CREATE INDEX event_rosters_last_seen ON core.event_rosters USING btree (last_seen_at);
COMMENT ON TABLE core.event_rosters IS
    'Players a book listed with their SportRadar ids for an event, one row per (event, book, player, name as '
    'written, team as written); what name-keyed player prices of other books are resolved against.';
COMMENT ON COLUMN core.event_rosters.sr_id IS 'The event''s SportRadar match id.';
COMMENT ON COLUMN core.event_rosters.book IS 'The book whose answer listed the player with its id.';
COMMENT ON COLUMN core.event_rosters.player_sr_id IS 'The player''s SportRadar id (sr:player:<id>).';
COMMENT ON COLUMN core.event_rosters.name IS 'The player''s name as the book wrote it.';
COMMENT ON COLUMN core.event_rosters.team IS 'The team as the book wrote it beside the name; empty when none.';
COMMENT ON COLUMN core.event_rosters.first_seen_at IS 'Capture time of the first stored answer listing it.';
COMMENT ON COLUMN core.event_rosters.last_seen_at IS 'Capture time of the latest stored answer listing it.';
COMMENT ON COLUMN core.event_rosters.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- core.events ---------------------------------------------------------------------------------------------------
CREATE TABLE core.events (
    book text NOT NULL,
    event_id text NOT NULL,
    sr_id bigint,
    home text NOT NULL,
    away text NOT NULL,
    kickoff timestamp with time zone NOT NULL,
    kickoff_date date GENERATED ALWAYS AS (((kickoff AT TIME ZONE 'UTC'::text))::date) STORED,
    tournament_id text NOT NULL,
    tournament_name text NOT NULL,
    country text,
    sport text NOT NULL,
    first_seen_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    deleted_at timestamp with time zone,
    last_batch_id text,
    genius_id bigint,
    country_id text,
    missed_scrapes smallint DEFAULT 0 NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT events_check CHECK ((last_seen_at >= first_seen_at)),
    CONSTRAINT events_event_id_check CHECK ((event_id <> ''::text)),
    CONSTRAINT events_genius_id_check CHECK ((genius_id > 0)),
    CONSTRAINT events_sr_id_check CHECK ((sr_id > 0))
);
ALTER TABLE core.events
    ADD CONSTRAINT events_pkey PRIMARY KEY (site_country, book, event_id);
CREATE INDEX events_genius_id_idx ON core.events USING btree (genius_id) WHERE (genius_id IS NOT NULL);
CREATE INDEX events_kickoff_date_book_idx ON core.events USING btree (kickoff_date, site_country, book);
CREATE UNIQUE INDEX events_live_sr_id_per_book_uidx ON core.events USING btree (site_country, book, sr_id) WHERE ((sr_id IS NOT NULL) AND (deleted_at IS NULL));
CREATE INDEX events_sr_id_idx ON core.events USING btree (sr_id) WHERE (sr_id IS NOT NULL);
COMMENT ON COLUMN core.events.missed_scrapes IS
    'Consecutive complete, plausible catalogue scrapes of the book that did not list this live event; it is '
    'withdrawn (deleted_at) when this reaches PALIMPSEST_WITHDRAW_AFTER_MISSES (default 2).';
COMMENT ON COLUMN core.events.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- core.market_keys ----------------------------------------------------------------------------------------------
CREATE TABLE core.market_keys (
    key_id integer NOT NULL,
    market integer NOT NULL,
    outcome integer NOT NULL,
    specifier text NOT NULL
);
ALTER TABLE core.market_keys ALTER COLUMN key_id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME core.market_keys_key_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
ALTER TABLE core.market_keys
    ADD CONSTRAINT market_keys_market_specifier_outcome_key UNIQUE (market, specifier, outcome);
ALTER TABLE core.market_keys
    ADD CONSTRAINT market_keys_pkey PRIMARY KEY (key_id);
COMMENT ON TABLE core.market_keys IS
    'Dimension of canonical outcome keys (UOF market, normalised specifier, outcome): core.odds_changes stores '
    'key_id instead of the three columns. Rows are only ever added.';

-- core.market_suspects ------------------------------------------------------------------------------------------
CREATE TABLE core.market_suspects (
    sr_id bigint NOT NULL,
    book text NOT NULL,
    market integer NOT NULL,
    specifier text NOT NULL,
    reason text NOT NULL,
    detail text NOT NULL,
    captured_at timestamp with time zone NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT market_suspects_book_check CHECK ((book <> ''::text)),
    CONSTRAINT market_suspects_reason_check CHECK ((reason = ANY (ARRAY['overround'::text, 'ladder'::text, 'identity'::text, 'units'::text]))),
    CONSTRAINT market_suspects_sr_id_check CHECK ((sr_id > 0))
);
ALTER TABLE core.market_suspects
    ADD CONSTRAINT market_suspects_pkey PRIMARY KEY (sr_id, book, site_country, market, specifier);
COMMENT ON COLUMN core.market_suspects.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- core.odds_captures --------------------------------------------------------------------------------------------
CREATE TABLE core.odds_captures (
    sr_id bigint NOT NULL,
    book text NOT NULL,
    captured_at timestamp with time zone NOT NULL,
    batch_id text NOT NULL,
    status text NOT NULL,
    reason text,
    sent_at timestamp with time zone,
    received_at timestamp with time zone,
    open_outcomes integer,
    mapped_outcomes integer,
    native_outcomes integer,
    composed_outcomes integer,
    canonical_outcomes integer,
    set_aside_outcomes integer,
    suspect_outcomes integer,
    new_fields text[],
    site_country text NOT NULL,
    CONSTRAINT odds_captures_batch_id_check CHECK ((batch_id <> ''::text)),
    CONSTRAINT odds_captures_canonical_outcomes_check CHECK ((canonical_outcomes >= 0)),
    CONSTRAINT odds_captures_check CHECK (((mapped_outcomes IS NULL) OR (open_outcomes IS NULL) OR (mapped_outcomes <= open_outcomes))),
    CONSTRAINT odds_captures_check1 CHECK (((received_at IS NULL) OR (sent_at IS NULL) OR (received_at >= sent_at))),
    CONSTRAINT odds_captures_composed_outcomes_check CHECK ((composed_outcomes >= 0)),
    CONSTRAINT odds_captures_mapped_outcomes_check CHECK ((mapped_outcomes >= 0)),
    CONSTRAINT odds_captures_native_outcomes_check CHECK ((native_outcomes >= 0)),
    CONSTRAINT odds_captures_native_within_keyed CHECK (((native_outcomes IS NULL) OR (mapped_outcomes IS NULL) OR (native_outcomes <= mapped_outcomes))),
    CONSTRAINT odds_captures_open_outcomes_check CHECK ((open_outcomes >= 0)),
    CONSTRAINT odds_captures_set_aside_outcomes_check CHECK ((set_aside_outcomes >= 0)),
    CONSTRAINT odds_captures_sr_id_check CHECK ((sr_id > 0)),
    CONSTRAINT odds_captures_status_check CHECK ((status = ANY (ARRAY['ok'::text, 'not_listed'::text, 'failed'::text, 'gone'::text]))),
    CONSTRAINT odds_captures_suspect_outcomes_check CHECK ((suspect_outcomes >= 0))
);
ALTER TABLE core.odds_captures
    ADD CONSTRAINT odds_captures_pkey PRIMARY KEY (sr_id, book, site_country, captured_at);
CREATE INDEX odds_captures_batch_idx ON core.odds_captures USING btree (batch_id);
CREATE INDEX odds_captures_captured_at_idx ON core.odds_captures USING btree (captured_at);
COMMENT ON COLUMN core.odds_captures.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- core.odds_changes ---------------------------------------------------------------------------------------------
CREATE TABLE core.odds_changes (
    captured_at timestamp with time zone NOT NULL,
    sr_id bigint NOT NULL,
    book smallint NOT NULL,
    key_ids integer[] NOT NULL,
    codes integer[] NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT odds_changes_check CHECK (((cardinality(key_ids) = cardinality(codes)) AND (cardinality(key_ids) > 0))),
    CONSTRAINT odds_changes_sr_id_check CHECK ((sr_id > 0))
)
PARTITION BY RANGE (captured_at);
ALTER TABLE core.odds_changes
    ADD CONSTRAINT odds_changes_pkey PRIMARY KEY (sr_id, book, site_country, captured_at);
COMMENT ON TABLE core.odds_changes IS
    'Change-only odds history, one row per event, book and capture that changed something: key_ids[i] '
    '(core.market_keys) changed to codes[i] (see 0017_compact_history.sql). Read it through core.odds_history.';
COMMENT ON COLUMN core.odds_changes.book IS 'The book, by its code (core.books.history_code).';
COMMENT ON COLUMN core.odds_changes.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- core.odds_confirmed -------------------------------------------------------------------------------------------
CREATE TABLE core.odds_confirmed (
    sr_id bigint NOT NULL,
    book text NOT NULL,
    captured_at timestamp with time zone NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT odds_confirmed_sr_id_check CHECK ((sr_id > 0))
);
ALTER TABLE core.odds_confirmed
    ADD CONSTRAINT odds_confirmed_pkey PRIMARY KEY (sr_id, book, site_country);
COMMENT ON TABLE core.odds_confirmed IS
    'The newest stored successful capture of each (event, book): the capture that last confirmed every open or '
    'suspended price of core.odds_current_prices for that pair. Moves only forward.';
COMMENT ON COLUMN core.odds_confirmed.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- core.odds_current_prices --------------------------------------------------------------------------------------
CREATE TABLE core.odds_current_prices (
    sr_id bigint NOT NULL,
    changed_at timestamp with time zone NOT NULL,
    price double precision,
    market integer NOT NULL,
    outcome integer NOT NULL,
    book text NOT NULL,
    specifier text NOT NULL,
    state text NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT odds_current_check CHECK (((state <> 'closed'::text) OR (price IS NULL))),
    CONSTRAINT odds_current_price_check CHECK ((price > (1)::double precision)),
    CONSTRAINT odds_current_sr_id_check CHECK ((sr_id > 0)),
    CONSTRAINT odds_current_state_check CHECK ((state = ANY (ARRAY['open'::text, 'suspended'::text, 'closed'::text])))
)
WITH (fillfactor='90');
ALTER TABLE core.odds_current_prices
    ADD CONSTRAINT odds_current_pkey PRIMARY KEY (sr_id, book, site_country, market, specifier, outcome);
COMMENT ON TABLE core.odds_current_prices IS
    'One row per outcome ever seen on a book: its latest price and state and when they last changed; written '
    'only when they change (a closed outcome keeps its row). Read it through core.odds_current.';
COMMENT ON COLUMN core.odds_current_prices.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- core.payload_fields -------------------------------------------------------------------------------------------
CREATE TABLE core.payload_fields (
    book text NOT NULL,
    path text NOT NULL,
    first_seen_at timestamp with time zone NOT NULL,
    first_sr_id bigint,
    site_country text NOT NULL,
    CONSTRAINT payload_fields_book_check CHECK ((book <> ''::text)),
    CONSTRAINT payload_fields_path_check CHECK ((path <> ''::text))
);
ALTER TABLE core.payload_fields
    ADD CONSTRAINT payload_fields_pkey PRIMARY KEY (book, site_country, path);
COMMENT ON COLUMN core.payload_fields.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- core.quarantine -----------------------------------------------------------------------------------------------
CREATE TABLE core.quarantine (
    id bigint NOT NULL,
    batch_id text,
    book text NOT NULL,
    url text NOT NULL,
    reason text NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    body bytea NOT NULL,
    body_bytes integer NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT quarantine_body_bytes_check CHECK ((body_bytes >= 0))
);
CREATE SEQUENCE core.quarantine_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE core.quarantine_id_seq OWNED BY core.quarantine.id;
ALTER TABLE core.quarantine ALTER COLUMN id SET DEFAULT nextval('core.quarantine_id_seq'::regclass);
ALTER TABLE core.quarantine
    ADD CONSTRAINT quarantine_pkey PRIMARY KEY (id);
CREATE INDEX quarantine_batch_idx ON core.quarantine USING btree (batch_id);
CREATE INDEX quarantine_received_idx ON core.quarantine USING btree (received_at);
COMMENT ON COLUMN core.quarantine.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- core.quarantined_rows -----------------------------------------------------------------------------------------
CREATE TABLE core.quarantined_rows (
    id bigint NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    batch_id text NOT NULL,
    stage text NOT NULL,
    book text NOT NULL,
    kind text NOT NULL,
    sr_id bigint,
    event_id text,
    item_key text NOT NULL,
    reason text NOT NULL,
    excerpt text NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT quarantined_rows_stage_check CHECK ((stage = ANY (ARRAY['catalogue'::text, 'odds'::text])))
);
CREATE SEQUENCE core.quarantined_rows_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;
ALTER SEQUENCE core.quarantined_rows_id_seq OWNED BY core.quarantined_rows.id;
ALTER TABLE core.quarantined_rows ALTER COLUMN id SET DEFAULT nextval('core.quarantined_rows_id_seq'::regclass);
ALTER TABLE core.quarantined_rows
    ADD CONSTRAINT quarantined_rows_item_key UNIQUE NULLS NOT DISTINCT (batch_id, site_country, stage, book, kind, sr_id, event_id, item_key);
ALTER TABLE core.quarantined_rows
    ADD CONSTRAINT quarantined_rows_pkey PRIMARY KEY (id);
CREATE INDEX quarantined_rows_recorded_idx ON core.quarantined_rows USING btree (recorded_at);
COMMENT ON COLUMN core.quarantined_rows.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- core.raw_archive ----------------------------------------------------------------------------------------------
CREATE TABLE core.raw_archive (
    captured_at timestamp with time zone NOT NULL,
    sr_id bigint,
    raw_bytes integer NOT NULL,
    dict_id integer,
    status smallint NOT NULL,
    kickoff_date date,
    batch_id text NOT NULL,
    book text NOT NULL,
    kind text NOT NULL,
    url text,
    event_id text,
    body bytea NOT NULL,
    raw_hash bytea,
    base_at timestamp with time zone,
    base_hash bytea,
    key_at timestamp with time zone,
    chain_pos smallint,
    site_country text NOT NULL,
    CONSTRAINT raw_archive_batch_id_check CHECK ((batch_id <> ''::text)),
    CONSTRAINT raw_archive_delta_shape CHECK ((((base_at IS NULL) = (base_hash IS NULL)) AND ((base_at IS NULL) OR ((dict_id IS NULL) AND (kind = 'event'::text) AND (event_id IS NOT NULL) AND (raw_hash IS NOT NULL) AND (base_at <= captured_at) AND (key_at <= base_at) AND (chain_pos > 0))) AND ((chain_pos IS NULL) OR (chain_pos >= 0)))),
    CONSTRAINT raw_archive_kind_check CHECK ((kind = ANY (ARRAY['catalogue'::text, 'list'::text, 'event'::text]))),
    CONSTRAINT raw_archive_raw_bytes_check CHECK ((raw_bytes >= 0)),
    CONSTRAINT raw_archive_sr_id_check CHECK ((sr_id > 0)),
    CONSTRAINT raw_archive_status_check CHECK (((status >= 100) AND (status <= 599))),
    CONSTRAINT raw_archive_url_shape CHECK (((url IS NOT NULL) OR (base_at IS NOT NULL)))
)
PARTITION BY RANGE (captured_at);
ALTER TABLE core.raw_archive ALTER COLUMN body SET STORAGE EXTERNAL;
CREATE INDEX raw_archive_event_chain_idx ON core.raw_archive USING btree (site_country, event_id, captured_at) WHERE (kind = 'event'::text);
CREATE INDEX raw_archive_event_kickoff_idx ON core.raw_archive USING btree (kickoff_date, captured_at) WHERE (kind = 'event'::text);
CREATE INDEX raw_archive_listing_batch_idx ON core.raw_archive USING btree (batch_id, kind) WHERE (kind <> 'event'::text);
COMMENT ON COLUMN core.raw_archive.url IS
    'the URL asked; NULL on a delta row asked at the same URL as its base (the readers resolve it along the '
    'chain)';
COMMENT ON COLUMN core.raw_archive.raw_hash IS
    'BLAKE2b-128 of the body as received; every read checks the decoded bytes against it (NULL: older rows)';
COMMENT ON COLUMN core.raw_archive.base_at IS
    'delta rows: captured_at of the body this one is compressed against (same book, event and UTC day); NULL: '
    'keyframe';
COMMENT ON COLUMN core.raw_archive.base_hash IS
    'delta rows: raw_hash of the base body, so the base is identified exactly even when two writers archived the '
    'event';
COMMENT ON COLUMN core.raw_archive.key_at IS
    'captured_at of the keyframe that starts this row''s chain (its own for a keyframe)';
COMMENT ON COLUMN core.raw_archive.chain_pos IS
    'position in its chain: 0 for a keyframe, the base''s plus one for a delta (bounded by the writer''s chain '
    'length)';
COMMENT ON COLUMN core.raw_archive.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- core.run_failures ---------------------------------------------------------------------------------------------
CREATE TABLE core.run_failures (
    run_id text NOT NULL,
    job_name text NOT NULL,
    failed_at timestamp with time zone NOT NULL,
    error_message text NOT NULL,
    step_keys text[] DEFAULT '{}'::text[] NOT NULL,
    step_errors jsonb DEFAULT '{}'::jsonb NOT NULL,
    partition_start text,
    partition_end text,
    partition_key text,
    trigger text DEFAULT 'manual'::text NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT run_failures_run_id_check CHECK ((run_id <> ''::text)),
    CONSTRAINT run_failures_step_errors_check CHECK ((jsonb_typeof(step_errors) = 'object'::text))
);
ALTER TABLE core.run_failures
    ADD CONSTRAINT run_failures_pkey PRIMARY KEY (run_id);
CREATE INDEX run_failures_failed_at_idx ON core.run_failures USING btree (failed_at);

-- core.scrape_batches -------------------------------------------------------------------------------------------
CREATE TABLE core.scrape_batches (
    batch_id text NOT NULL,
    started_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    status text DEFAULT 'running'::text NOT NULL,
    trigger text DEFAULT 'manual'::text NOT NULL,
    partition_start date,
    partition_end date,
    site_country text NOT NULL,
    CONSTRAINT scrape_batches_batch_id_check CHECK ((batch_id <> ''::text)),
    CONSTRAINT scrape_batches_check CHECK (((finished_at IS NULL) OR (finished_at >= started_at))),
    CONSTRAINT scrape_batches_check1 CHECK (((partition_end IS NULL) OR (partition_start IS NULL) OR (partition_end >= partition_start))),
    CONSTRAINT scrape_batches_status_check CHECK ((status = ANY (ARRAY['running'::text, 'ok'::text, 'partial'::text, 'failed'::text])))
);
ALTER TABLE core.scrape_batches
    ADD CONSTRAINT scrape_batches_pkey PRIMARY KEY (batch_id, site_country);
COMMENT ON COLUMN core.scrape_batches.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- core.scrape_metrics -------------------------------------------------------------------------------------------
CREATE TABLE core.scrape_metrics (
    run_id text NOT NULL,
    book text NOT NULL,
    kind text NOT NULL,
    status text NOT NULL,
    started_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone NOT NULL,
    requests integer NOT NULL,
    attempts integer NOT NULL,
    failed_requests integer NOT NULL,
    throttled integer NOT NULL,
    errors jsonb DEFAULT '{}'::jsonb NOT NULL,
    latency_p50_ms double precision,
    latency_p95_ms double precision,
    latency_p99_ms double precision,
    bytes_received bigint,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT scrape_metrics_attempts_check CHECK ((attempts >= 0)),
    CONSTRAINT scrape_metrics_bytes_received_check CHECK ((bytes_received >= 0)),
    CONSTRAINT scrape_metrics_check CHECK ((finished_at >= started_at)),
    CONSTRAINT scrape_metrics_errors_check CHECK ((jsonb_typeof(errors) = 'object'::text)),
    CONSTRAINT scrape_metrics_failed_requests_check CHECK ((failed_requests >= 0)),
    CONSTRAINT scrape_metrics_kind_check CHECK ((kind = ANY (ARRAY['catalogue'::text, 'odds'::text]))),
    CONSTRAINT scrape_metrics_latency_p50_ms_check CHECK ((latency_p50_ms >= (0)::double precision)),
    CONSTRAINT scrape_metrics_latency_p95_ms_check CHECK ((latency_p95_ms >= (0)::double precision)),
    CONSTRAINT scrape_metrics_latency_p99_ms_check CHECK ((latency_p99_ms >= (0)::double precision)),
    CONSTRAINT scrape_metrics_requests_check CHECK ((requests >= 0)),
    CONSTRAINT scrape_metrics_run_id_check CHECK ((run_id <> ''::text)),
    CONSTRAINT scrape_metrics_status_check CHECK ((status = ANY (ARRAY['ok'::text, 'partial'::text, 'failed'::text]))),
    CONSTRAINT scrape_metrics_throttled_check CHECK ((throttled >= 0))
);
ALTER TABLE core.scrape_metrics
    ADD CONSTRAINT scrape_metrics_pkey PRIMARY KEY (run_id, site_country, book, kind);
CREATE INDEX scrape_metrics_started_idx ON core.scrape_metrics USING btree (started_at);
COMMENT ON COLUMN core.scrape_metrics.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- core.tournaments ----------------------------------------------------------------------------------------------
CREATE TABLE core.tournaments (
    book text NOT NULL,
    tournament_id text NOT NULL,
    name text NOT NULL,
    country text,
    sport text NOT NULL,
    event_count integer,
    first_seen_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    deleted_at timestamp with time zone,
    country_id text,
    site_country text NOT NULL,
    CONSTRAINT tournaments_check CHECK ((last_seen_at >= first_seen_at)),
    CONSTRAINT tournaments_event_count_check CHECK ((event_count >= 0)),
    CONSTRAINT tournaments_tournament_id_check CHECK ((tournament_id <> ''::text))
);
ALTER TABLE core.tournaments
    ADD CONSTRAINT tournaments_pkey PRIMARY KEY (site_country, book, tournament_id);
COMMENT ON COLUMN core.tournaments.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- core.unmapped_markets -----------------------------------------------------------------------------------------
CREATE TABLE core.unmapped_markets (
    batch_id text NOT NULL,
    book text NOT NULL,
    market_key text NOT NULL,
    outcomes integer NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT unmapped_markets_batch_id_check CHECK ((batch_id <> ''::text)),
    CONSTRAINT unmapped_markets_outcomes_check CHECK ((outcomes > 0))
);
ALTER TABLE core.unmapped_markets
    ADD CONSTRAINT unmapped_markets_pkey PRIMARY KEY (batch_id, site_country, book, market_key);
COMMENT ON COLUMN core.unmapped_markets.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- analytics.alert_conditions ------------------------------------------------------------------------------------
CREATE TABLE analytics.alert_conditions (
    rule text NOT NULL,
    subject text NOT NULL,
    first_seen_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    title text NOT NULL,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    CONSTRAINT alert_conditions_check CHECK ((last_seen_at >= first_seen_at)),
    CONSTRAINT alert_conditions_rule_check CHECK ((rule <> ''::text)),
    CONSTRAINT alert_conditions_subject_check CHECK ((subject <> ''::text))
);
ALTER TABLE analytics.alert_conditions
    ADD CONSTRAINT alert_conditions_pkey PRIMARY KEY (rule, subject);
COMMENT ON TABLE analytics.alert_conditions IS
    'What each alert rule sees true right now, one row per (rule, subject), kept while the condition holds and '
    'deleted when it clears. first_seen_at is how long it has held: a rule with a hold (price out of line for '
    'more than Y minutes) alerts only once it has held that long.';
COMMENT ON COLUMN analytics.alert_conditions.rule IS
    'The rule: live_gap, list_soon, price_out_of_line, feed_stale or keys_drift (a book''s keyed share down, or '
    'its suspect share up, against its own last seven days on the same site: analytics.key_health).';
COMMENT ON COLUMN analytics.alert_conditions.subject IS
    'What the condition is about, always in one site country: <site country>:<SportRadar match id> for live_gap, '
    'list_soon and price_out_of_line (one alert per match and site country, its outcomes out of line in details; '
    'a match without an SR id is named by its match key), <site country>:<book> for feed_stale and keys_drift '
    '(one alert per book edition).';
COMMENT ON COLUMN analytics.alert_conditions.first_seen_at IS 'When the rules first saw it true, this time.';
COMMENT ON COLUMN analytics.alert_conditions.last_seen_at IS 'The last evaluation that saw it true.';
COMMENT ON COLUMN analytics.alert_conditions.title IS 'One line saying what is wrong, as an alert would.';
COMMENT ON COLUMN analytics.alert_conditions.details IS 'The figures behind it (prices, books, hours), JSON.';

-- analytics.alert_deliveries ------------------------------------------------------------------------------------
CREATE TABLE analytics.alert_deliveries (
    alert_id bigint NOT NULL,
    receiver text NOT NULL,
    status text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    last_attempt_at timestamp with time zone,
    next_attempt_at timestamp with time zone,
    sent_at timestamp with time zone,
    last_error text,
    CONSTRAINT alert_deliveries_attempts_check CHECK ((attempts >= 0)),
    CONSTRAINT alert_deliveries_check CHECK (((status = 'sent'::text) = (sent_at IS NOT NULL))),
    CONSTRAINT alert_deliveries_check1 CHECK (((status = 'sent'::text) OR (next_attempt_at IS NOT NULL))),
    CONSTRAINT alert_deliveries_receiver_check CHECK ((receiver <> ''::text)),
    CONSTRAINT alert_deliveries_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'sent'::text, 'failed'::text])))
);
ALTER TABLE analytics.alert_deliveries
    ADD CONSTRAINT alert_deliveries_pkey PRIMARY KEY (alert_id, receiver);
CREATE INDEX alert_deliveries_due_idx ON analytics.alert_deliveries USING btree (next_attempt_at) WHERE (status <> 'sent'::text);
COMMENT ON TABLE analytics.alert_deliveries IS
    'Each alert''s delivery to each receiver of PALIMPSEST_ALERT_URLS: attempts, the last error, and when the '
    'next attempt is due (exponential backoff). A receiver that is down delays its alerts, never loses them.';
COMMENT ON COLUMN analytics.alert_deliveries.alert_id IS 'The alert (analytics.alerts).';
COMMENT ON COLUMN analytics.alert_deliveries.receiver IS
    'The receiver''s label: its scheme and place in PALIMPSEST_ALERT_URLS (json#1, slack#2); never its URL.';
COMMENT ON COLUMN analytics.alert_deliveries.status IS
    'pending (not tried yet), sent or failed (will be retried).';
COMMENT ON COLUMN analytics.alert_deliveries.attempts IS 'Delivery attempts so far.';
COMMENT ON COLUMN analytics.alert_deliveries.last_attempt_at IS 'When the last attempt was made.';
COMMENT ON COLUMN analytics.alert_deliveries.next_attempt_at IS 'When the next attempt is due (NULL once sent).';
COMMENT ON COLUMN analytics.alert_deliveries.sent_at IS 'When the receiver took it.';
COMMENT ON COLUMN analytics.alert_deliveries.last_error IS
    'Why the last attempt failed, as the notifier said it.';

-- analytics.alerts ----------------------------------------------------------------------------------------------
CREATE TABLE analytics.alerts (
    alert_id bigint NOT NULL,
    rule text NOT NULL,
    subject text NOT NULL,
    status text NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    details jsonb DEFAULT '{}'::jsonb NOT NULL,
    condition_since timestamp with time zone NOT NULL,
    raised_at timestamp with time zone NOT NULL,
    cleared_at timestamp with time zone,
    sent_at timestamp with time zone,
    suppressed_by bigint,
    CONSTRAINT alerts_check CHECK (((status = 'suppressed'::text) = (suppressed_by IS NOT NULL))),
    CONSTRAINT alerts_check1 CHECK (((status = 'sent'::text) = (sent_at IS NOT NULL))),
    CONSTRAINT alerts_rule_check CHECK ((rule <> ''::text)),
    CONSTRAINT alerts_status_check CHECK ((status = ANY (ARRAY['pending'::text, 'sent'::text, 'failed'::text, 'suppressed'::text]))),
    CONSTRAINT alerts_subject_check CHECK ((subject <> ''::text))
);
ALTER TABLE analytics.alerts ALTER COLUMN alert_id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME analytics.alerts_alert_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
ALTER TABLE analytics.alerts
    ADD CONSTRAINT alerts_pkey PRIMARY KEY (alert_id);
CREATE INDEX alerts_rule_subject_idx ON analytics.alerts USING btree (rule, subject, raised_at DESC);
COMMENT ON TABLE analytics.alerts IS
    'Every alert the rules raised: one per (rule, subject) until the condition clears or the cooldown '
    '(PALIMPSEST_ALERT_COOLDOWN_MINUTES) passes. status: pending (not yet delivered everywhere), sent (every '
    'receiver has it), failed (a receiver refused it; retried with backoff until it takes it), suppressed '
    '(raised again within the cooldown of an earlier alert: recorded, not sent).';
COMMENT ON COLUMN analytics.alerts.alert_id IS 'Alert number.';
COMMENT ON COLUMN analytics.alerts.rule IS 'The rule that raised it (see analytics.alert_conditions.rule).';
COMMENT ON COLUMN analytics.alerts.subject IS 'What it is about (see analytics.alert_conditions.subject).';
COMMENT ON COLUMN analytics.alerts.status IS 'pending, sent, failed or suppressed (see the table comment).';
COMMENT ON COLUMN analytics.alerts.title IS 'The notification''s title.';
COMMENT ON COLUMN analytics.alerts.body IS 'The notification''s text.';
COMMENT ON COLUMN analytics.alerts.details IS 'The figures behind it when raised, JSON.';
COMMENT ON COLUMN analytics.alerts.condition_since IS 'When the condition began to hold.';
COMMENT ON COLUMN analytics.alerts.raised_at IS 'When the rules raised the alert.';
COMMENT ON COLUMN analytics.alerts.cleared_at IS
    'When the condition was first seen gone after it (NULL: still holds).';
COMMENT ON COLUMN analytics.alerts.sent_at IS 'When the last receiver took it (status sent).';
COMMENT ON COLUMN analytics.alerts.suppressed_by IS
    'For a suppressed alert: the earlier alert whose cooldown held it back.';

-- analytics.catalogue_changes -----------------------------------------------------------------------------------
CREATE TABLE analytics.catalogue_changes (
    changed_at timestamp with time zone NOT NULL,
    book text NOT NULL,
    event_id text NOT NULL,
    change text NOT NULL,
    sr_id bigint,
    kickoff timestamp with time zone NOT NULL,
    previous_kickoff timestamp with time zone,
    sport text NOT NULL,
    country text,
    tournament text NOT NULL,
    home text NOT NULL,
    away text NOT NULL,
    batch_id text,
    site_country text NOT NULL,
    CONSTRAINT catalogue_changes_change_check CHECK ((change = ANY (ARRAY['added'::text, 'withdrawn'::text, 'moved'::text]))),
    CONSTRAINT catalogue_changes_check CHECK (((change = 'moved'::text) = (previous_kickoff IS NOT NULL))),
    CONSTRAINT catalogue_changes_event_id_check CHECK ((event_id <> ''::text)),
    CONSTRAINT catalogue_changes_sr_id_check CHECK ((sr_id > 0))
);
ALTER TABLE analytics.catalogue_changes
    ADD CONSTRAINT catalogue_changes_pkey PRIMARY KEY (site_country, book, event_id, changed_at, change);
CREATE INDEX catalogue_changes_changed_at_idx ON analytics.catalogue_changes USING btree (changed_at);
COMMENT ON TABLE analytics.catalogue_changes IS
    'Every change a catalogue run made to a book''s live events: added (listed for the first time, or again '
    'after a withdrawal), withdrawn (missed by enough complete, plausible scrapes, or re-listed under another '
    'id) and moved (kick-off changed). Written with the catalogue, in its transaction; a suspect or failed '
    'scrape changes nothing and records nothing.';
COMMENT ON COLUMN analytics.catalogue_changes.changed_at IS 'The catalogue scrape''s instant (UTC).';
COMMENT ON COLUMN analytics.catalogue_changes.book IS 'The book: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.catalogue_changes.event_id IS 'The book''s own event id.';
COMMENT ON COLUMN analytics.catalogue_changes.change IS 'added, withdrawn or moved.';
COMMENT ON COLUMN analytics.catalogue_changes.sr_id IS 'SportRadar match id, when the book gives it.';
COMMENT ON COLUMN analytics.catalogue_changes.kickoff IS 'Kick-off (UTC) after the change.';
COMMENT ON COLUMN analytics.catalogue_changes.previous_kickoff IS 'For moved: the kick-off before the change.';
COMMENT ON COLUMN analytics.catalogue_changes.sport IS 'Sport, as the project names it.';
COMMENT ON COLUMN analytics.catalogue_changes.country IS 'Country (or region) as the book names it.';
COMMENT ON COLUMN analytics.catalogue_changes.tournament IS 'Tournament as the book names it.';
COMMENT ON COLUMN analytics.catalogue_changes.home IS 'Home team as the book spells it.';
COMMENT ON COLUMN analytics.catalogue_changes.away IS 'Away team as the book spells it.';
COMMENT ON COLUMN analytics.catalogue_changes.batch_id IS 'The catalogue run (Dagster run id) that made it.';
COMMENT ON COLUMN analytics.catalogue_changes.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- analytics.country_crosswalk -----------------------------------------------------------------------------------
CREATE TABLE analytics.country_crosswalk (
    book text NOT NULL,
    sport text NOT NULL,
    country text,
    sr_category_id text,
    canonical_country text,
    country_iso text,
    tournaments bigint NOT NULL,
    agreeing bigint NOT NULL,
    agreement_share double precision,
    computed_at timestamp with time zone DEFAULT now() NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT country_crosswalk_agreement_share_check CHECK (((agreement_share >= (0)::double precision) AND (agreement_share <= (1)::double precision))),
    CONSTRAINT country_crosswalk_check CHECK (((agreeing >= 0) AND (agreeing <= tournaments))),
    CONSTRAINT country_crosswalk_tournaments_check CHECK ((tournaments >= 0))
);
ALTER TABLE analytics.country_crosswalk
    ADD CONSTRAINT country_crosswalk_book_sport_country_key UNIQUE NULLS NOT DISTINCT (site_country, book, sport, country);
COMMENT ON TABLE analytics.country_crosswalk IS
    'Every country of every book placed on a SportRadar category: the category most of its placed tournaments '
    'belong to. Books spell countries differently (South Korea, Korea Republic, Republic of Korea).';
COMMENT ON COLUMN analytics.country_crosswalk.book IS 'Book: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.country_crosswalk.sport IS 'Canonical sport key (categories are per sport).';
COMMENT ON COLUMN analytics.country_crosswalk.country IS
    'Country as the book spells it; null when it gives none.';
COMMENT ON COLUMN analytics.country_crosswalk.sr_category_id IS
    'SportRadar category it is placed on, sr:category:N; null when none of its tournaments is placed.';
COMMENT ON COLUMN analytics.country_crosswalk.canonical_country IS
    'SportRadar''s (SportyBet''s) name of that category.';
COMMENT ON COLUMN analytics.country_crosswalk.country_iso IS
    'ISO 3166 code of the category; null when none exists.';
COMMENT ON COLUMN analytics.country_crosswalk.tournaments IS 'Placed tournaments of the book in this country.';
COMMENT ON COLUMN analytics.country_crosswalk.agreeing IS 'Of those, tournaments in the chosen category.';
COMMENT ON COLUMN analytics.country_crosswalk.agreement_share IS
    'agreeing / tournaments; null when no tournament is placed.';
COMMENT ON COLUMN analytics.country_crosswalk.computed_at IS 'When the pipeline computed this row (UTC).';
COMMENT ON COLUMN analytics.country_crosswalk.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- analytics.coverage --------------------------------------------------------------------------------------------
CREATE TABLE analytics.coverage (
    kickoff_date date NOT NULL,
    site_country text NOT NULL,
    level text NOT NULL,
    sport text,
    sr_category_id text,
    country text,
    tournament_key text,
    book text NOT NULL,
    events bigint NOT NULL,
    not_on_betpawa bigint NOT NULL,
    betpawa_not_on_it bigint NOT NULL,
    only_on_it bigint NOT NULL,
    catalogue_at timestamp with time zone,
    catalogue_stale boolean,
    book_tournament_id text,
    book_tournament_name text,
    computed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT coverage_betpawa_not_on_it_check CHECK ((betpawa_not_on_it >= 0)),
    CONSTRAINT coverage_check CHECK (((not_on_betpawa >= 0) AND (not_on_betpawa <= events))),
    CONSTRAINT coverage_check1 CHECK (((only_on_it >= 0) AND (only_on_it <= events))),
    CONSTRAINT coverage_check2 CHECK (((level = 'overall'::text) OR ((catalogue_at IS NULL) AND (catalogue_stale IS NULL)))),
    CONSTRAINT coverage_check3 CHECK (((level = 'tournament'::text) OR ((book_tournament_id IS NULL) AND (book_tournament_name IS NULL)))),
    CONSTRAINT coverage_check4 CHECK (((sport IS NULL) = (level = 'overall'::text))),
    CONSTRAINT coverage_check5 CHECK (((tournament_key IS NOT NULL) = (level = 'tournament'::text))),
    CONSTRAINT coverage_check6 CHECK (((level = ANY (ARRAY['country'::text, 'tournament'::text])) OR ((sr_category_id IS NULL) AND (country IS NULL)))),
    CONSTRAINT coverage_events_check CHECK ((events >= 0)),
    CONSTRAINT coverage_level_check CHECK ((level = ANY (ARRAY['overall'::text, 'sport'::text, 'country'::text, 'tournament'::text]))),
    CONSTRAINT coverage_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text))
);
ALTER TABLE analytics.coverage
    ADD CONSTRAINT coverage_key UNIQUE NULLS NOT DISTINCT (kickoff_date, site_country, level, sport, sr_category_id, country, tournament_key, book);
CREATE INDEX coverage_tournament_idx ON analytics.coverage USING btree (kickoff_date, site_country, tournament_key, book) WHERE (level = 'tournament'::text);
COMMENT ON TABLE analytics.coverage IS
    'Per-book coverage figures of each group of analytics.coverage_groups (same key columns, plus book): one row '
    'per group and book read on the site country, BetPawa included, a book listing none of the group''s matches '
    'with zeros.';
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
COMMENT ON COLUMN analytics.coverage.tournament_key IS
    'Canonical tournament key at level tournament; null at the others.';
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

-- analytics.coverage_groups -------------------------------------------------------------------------------------
CREATE TABLE analytics.coverage_groups (
    kickoff_date date NOT NULL,
    site_country text NOT NULL,
    level text NOT NULL,
    sport text,
    sr_category_id text,
    country text,
    tournament_key text,
    tournament text,
    placed boolean,
    sr_tournament_id text,
    country_iso text,
    total bigint NOT NULL,
    matched bigint NOT NULL,
    betpawa_only bigint NOT NULL,
    competitor_only bigint NOT NULL,
    several_competitors_only bigint NOT NULL,
    on_every_book bigint NOT NULL,
    without_sr_id bigint NOT NULL,
    linked_by_genius bigint NOT NULL,
    match_rate double precision,
    betpawa_coverage double precision,
    computed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT coverage_groups_betpawa_coverage_check CHECK (((betpawa_coverage >= (0)::double precision) AND (betpawa_coverage <= (1)::double precision))),
    CONSTRAINT coverage_groups_betpawa_only_check CHECK ((betpawa_only >= 0)),
    CONSTRAINT coverage_groups_check CHECK ((((matched + betpawa_only) + competitor_only) = total)),
    CONSTRAINT coverage_groups_check1 CHECK (((placed IS NOT NULL) = (level = 'tournament'::text))),
    CONSTRAINT coverage_groups_check2 CHECK (((placed IS NULL) OR (placed = (sr_tournament_id IS NOT NULL)))),
    CONSTRAINT coverage_groups_check3 CHECK (((sport IS NULL) = (level = 'overall'::text))),
    CONSTRAINT coverage_groups_check4 CHECK (((tournament_key IS NOT NULL) = (level = 'tournament'::text))),
    CONSTRAINT coverage_groups_check5 CHECK (((level = ANY (ARRAY['country'::text, 'tournament'::text])) OR ((sr_category_id IS NULL) AND (country IS NULL)))),
    CONSTRAINT coverage_groups_competitor_only_check CHECK ((competitor_only >= 0)),
    CONSTRAINT coverage_groups_level_check CHECK ((level = ANY (ARRAY['overall'::text, 'sport'::text, 'country'::text, 'tournament'::text]))),
    CONSTRAINT coverage_groups_linked_by_genius_check CHECK ((linked_by_genius >= 0)),
    CONSTRAINT coverage_groups_match_rate_check CHECK (((match_rate >= (0)::double precision) AND (match_rate <= (1)::double precision))),
    CONSTRAINT coverage_groups_matched_check CHECK ((matched >= 0)),
    CONSTRAINT coverage_groups_on_every_book_check CHECK ((on_every_book >= 0)),
    CONSTRAINT coverage_groups_several_competitors_only_check CHECK ((several_competitors_only >= 0)),
    CONSTRAINT coverage_groups_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text)),
    CONSTRAINT coverage_groups_total_check CHECK ((total >= 0)),
    CONSTRAINT coverage_groups_without_sr_id_check CHECK ((without_sr_id >= 0))
);
ALTER TABLE analytics.coverage_groups
    ADD CONSTRAINT coverage_groups_key UNIQUE NULLS NOT DISTINCT (kickoff_date, site_country, level, sport, sr_category_id, country, tournament_key);
CREATE UNIQUE INDEX coverage_groups_tournament_key ON analytics.coverage_groups USING btree (kickoff_date, site_country, sport, tournament_key) WHERE (level = 'tournament'::text);
COMMENT ON TABLE analytics.coverage_groups IS
    'Coverage of BetPawa against the books competing with it on one country''s sites, per kick-off date (UTC), '
    'site country and group: all sports together (level overall), per sport, per sport and canonical country '
    '(SportRadar category), per sport and canonical tournament. Counts are of matches (rows of '
    'analytics.matches), each counted once however many books list it. The per-book figures of each group are in '
    'analytics.coverage.';
COMMENT ON COLUMN analytics.coverage_groups.kickoff_date IS
    'Kick-off date (UTC) of the matches counted; with site_country, the partition key.';
COMMENT ON COLUMN analytics.coverage_groups.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites the matches were read from.';
COMMENT ON COLUMN analytics.coverage_groups.level IS
    'The grouping: overall (one row per date), sport, country (sport and canonical country) or tournament (sport '
    'and canonical tournament).';
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
COMMENT ON COLUMN analytics.coverage_groups.total IS
    'Matches in the group: matched + betpawa_only + competitor_only.';
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
    'matched / (matched + competitor_only): the fraction of the matches competitors list that BetPawa lists too; '
    'null when the denominator is 0.';
COMMENT ON COLUMN analytics.coverage_groups.computed_at IS 'When the pipeline computed this row (UTC).';

-- analytics.coverage_history ------------------------------------------------------------------------------------
CREATE TABLE analytics.coverage_history (
    computed_at timestamp with time zone NOT NULL,
    kickoff_date date NOT NULL,
    total bigint NOT NULL,
    matched bigint NOT NULL,
    betpawa_only bigint NOT NULL,
    competitor_only bigint NOT NULL,
    match_rate double precision,
    betpawa_coverage double precision,
    site_country text NOT NULL,
    CONSTRAINT coverage_history_betpawa_coverage_check CHECK (((betpawa_coverage >= (0)::double precision) AND (betpawa_coverage <= (1)::double precision))),
    CONSTRAINT coverage_history_betpawa_only_check CHECK ((betpawa_only >= 0)),
    CONSTRAINT coverage_history_check CHECK ((((matched + betpawa_only) + competitor_only) = total)),
    CONSTRAINT coverage_history_competitor_only_check CHECK ((competitor_only >= 0)),
    CONSTRAINT coverage_history_match_rate_check CHECK (((match_rate >= (0)::double precision) AND (match_rate <= (1)::double precision))),
    CONSTRAINT coverage_history_matched_check CHECK ((matched >= 0)),
    CONSTRAINT coverage_history_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text)),
    CONSTRAINT coverage_history_total_check CHECK ((total >= 0))
);
ALTER TABLE analytics.coverage_history
    ADD CONSTRAINT coverage_history_pkey PRIMARY KEY (computed_at, site_country, kickoff_date);
CREATE INDEX coverage_history_kickoff_idx ON analytics.coverage_history USING btree (kickoff_date);
COMMENT ON TABLE analytics.coverage_history IS
    'Every computation of the overall coverage, per kick-off date: how match rate and BetPawa coverage move over '
    'time (analytics.coverage_overall holds only the latest computation).';
COMMENT ON COLUMN analytics.coverage_history.computed_at IS 'When this coverage was computed (the run''s clock).';
COMMENT ON COLUMN analytics.coverage_history.kickoff_date IS 'UTC kick-off date the row counts events of.';
COMMENT ON COLUMN analytics.coverage_history.total IS 'Distinct events on any book that day.';
COMMENT ON COLUMN analytics.coverage_history.matched IS 'Events on BetPawa and at least one competitor.';
COMMENT ON COLUMN analytics.coverage_history.betpawa_only IS 'Events on BetPawa only.';
COMMENT ON COLUMN analytics.coverage_history.competitor_only IS 'Events on a competitor but not on BetPawa.';
COMMENT ON COLUMN analytics.coverage_history.match_rate IS 'matched / total.';
COMMENT ON COLUMN analytics.coverage_history.betpawa_coverage IS 'matched / (matched + competitor_only).';
COMMENT ON COLUMN analytics.coverage_history.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites the matches were read from.';

-- analytics.key_health ------------------------------------------------------------------------------------------
CREATE TABLE analytics.key_health (
    book text NOT NULL,
    hour timestamp with time zone NOT NULL,
    captures integer NOT NULL,
    open_outcomes bigint NOT NULL,
    keyed_outcomes bigint NOT NULL,
    set_aside_outcomes bigint NOT NULL,
    suspect_outcomes bigint NOT NULL,
    keyed_share double precision,
    set_aside_share double precision,
    suspect_share double precision,
    new_fields text[] DEFAULT '{}'::text[] NOT NULL,
    computed_at timestamp with time zone DEFAULT now() NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT key_health_captures_check CHECK ((captures >= 0)),
    CONSTRAINT key_health_hour_check CHECK ((hour = (date_trunc('hour'::text, (hour AT TIME ZONE 'UTC'::text)) AT TIME ZONE 'UTC'::text))),
    CONSTRAINT key_health_keyed_outcomes_check CHECK ((keyed_outcomes >= 0)),
    CONSTRAINT key_health_open_outcomes_check CHECK ((open_outcomes >= 0)),
    CONSTRAINT key_health_set_aside_outcomes_check CHECK ((set_aside_outcomes >= 0)),
    CONSTRAINT key_health_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text)),
    CONSTRAINT key_health_suspect_outcomes_check CHECK ((suspect_outcomes >= 0))
);
ALTER TABLE analytics.key_health
    ADD CONSTRAINT key_health_pkey PRIMARY KEY (site_country, book, hour);
COMMENT ON TABLE analytics.key_health IS
    'Per site country, book and UTC hour: how well the book''s answers on that country''s site keyed (its '
    'successful captures of that hour, from analytics.odds_captures), recomputed whole for an hour each time a '
    'capture of it is stored. The keys_drift alert compares each hour with the same country''s book''s own last '
    'seven days.';
COMMENT ON COLUMN analytics.key_health.book IS 'The book.';
COMMENT ON COLUMN analytics.key_health.hour IS 'Start of the UTC hour of the captures (their send time).';
COMMENT ON COLUMN analytics.key_health.captures IS 'Successful captures (status ok) of the book in the hour.';
COMMENT ON COLUMN analytics.key_health.open_outcomes IS 'Open outcomes in those answers, keyed or not.';
COMMENT ON COLUMN analytics.key_health.keyed_outcomes IS 'Of them, those that reached a canonical key.';
COMMENT ON COLUMN analytics.key_health.set_aside_outcomes IS
    'Outcomes or markets set aside with a reason (analytics.quarantined_rows says why).';
COMMENT ON COLUMN analytics.key_health.suspect_outcomes IS
    'Keyed outcomes in markets the single-book checks found impossible (analytics.suspect_markets).';
COMMENT ON COLUMN analytics.key_health.keyed_share IS
    'keyed_outcomes / open_outcomes; null when nothing was open.';
COMMENT ON COLUMN analytics.key_health.set_aside_share IS
    'set_aside_outcomes / open_outcomes; null when nothing was open.';
COMMENT ON COLUMN analytics.key_health.suspect_share IS
    'suspect_outcomes / keyed_outcomes; null when nothing was keyed.';
COMMENT ON COLUMN analytics.key_health.new_fields IS
    'Payload fields the book showed for the first time in this hour (JSON paths, list positions as []).';
COMMENT ON COLUMN analytics.key_health.computed_at IS 'When the hour was last recomputed.';
COMMENT ON COLUMN analytics.key_health.site_country IS
    'ISO 3166 code (lower case) of the country whose site of the book was captured.';

-- analytics.listing_lead_time -----------------------------------------------------------------------------------
CREATE TABLE analytics.listing_lead_time (
    kickoff_date date NOT NULL,
    sport text NOT NULL,
    country text NOT NULL,
    tournament text NOT NULL,
    book text NOT NULL,
    events integer NOT NULL,
    events_measured integer NOT NULL,
    median_lead_hours double precision,
    betpawa_lag_events integer NOT NULL,
    betpawa_lag_hours double precision,
    computed_at timestamp with time zone NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT listing_lead_time_betpawa_lag_events_check CHECK ((betpawa_lag_events >= 0)),
    CONSTRAINT listing_lead_time_check CHECK (((events_measured >= 0) AND (events_measured <= events))),
    CONSTRAINT listing_lead_time_check1 CHECK (((median_lead_hours IS NULL) = (events_measured = 0))),
    CONSTRAINT listing_lead_time_check2 CHECK (((betpawa_lag_hours IS NULL) = (betpawa_lag_events = 0))),
    CONSTRAINT listing_lead_time_events_check CHECK ((events >= 0)),
    CONSTRAINT listing_lead_time_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text))
);
ALTER TABLE analytics.listing_lead_time
    ADD CONSTRAINT listing_lead_time_pkey PRIMARY KEY (kickoff_date, site_country, sport, country, tournament, book);
COMMENT ON TABLE analytics.listing_lead_time IS
    'Per kick-off date, tournament (canonical names, as in analytics.matched_events) and book: how long before '
    'kick-off the book lists its matches, and how long after the first competitor BetPawa lists the same match. '
    'A listing is timed by the catalogue scrape that first saw it, so figures are within one catalogue cadence '
    'of the truth; matches a book already listed at the first scrape of their kick-off date in this warehouse '
    '(the book''s earliest first_seen_at among its events of that date in core.events: a catalogue run stores '
    'only the events of its dates) are counted but not timed (when they appeared is unknown).';
COMMENT ON COLUMN analytics.listing_lead_time.kickoff_date IS 'Kick-off date (UTC): the partition key.';
COMMENT ON COLUMN analytics.listing_lead_time.sport IS 'Sport.';
COMMENT ON COLUMN analytics.listing_lead_time.country IS
    'Canonical country of the tournament ('''' when unknown).';
COMMENT ON COLUMN analytics.listing_lead_time.tournament IS 'Canonical tournament name ('''' when unplaced).';
COMMENT ON COLUMN analytics.listing_lead_time.book IS 'The book.';
COMMENT ON COLUMN analytics.listing_lead_time.events IS 'Live matches of the tournament and date the book lists.';
COMMENT ON COLUMN analytics.listing_lead_time.events_measured IS
    'Of those, the ones first seen after the book''s first scrape of their kick-off date in this warehouse '
    '(their listing is timed).';
COMMENT ON COLUMN analytics.listing_lead_time.median_lead_hours IS
    'Median hours from the book''s first listing to kick-off over the measured matches.';
COMMENT ON COLUMN analytics.listing_lead_time.betpawa_lag_events IS
    'Measured matches listed by BetPawa and by a measured competitor (the lag''s sample; on every book row).';
COMMENT ON COLUMN analytics.listing_lead_time.betpawa_lag_hours IS
    'Median hours BetPawa listed those matches after the first competitor did (negative: before).';
COMMENT ON COLUMN analytics.listing_lead_time.computed_at IS 'When the figures were computed.';
COMMENT ON COLUMN analytics.listing_lead_time.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites the listings were read from.';

-- analytics.live_coverage ---------------------------------------------------------------------------------------
CREATE TABLE analytics.live_coverage (
    gap_id bigint NOT NULL,
    sr_id bigint NOT NULL,
    side text NOT NULL,
    sport text NOT NULL,
    country text,
    tournament text NOT NULL,
    home text NOT NULL,
    away text NOT NULL,
    live_on text[] NOT NULL,
    missing_on text[] NOT NULL,
    since timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    closed_at timestamp with time zone,
    site_country text NOT NULL,
    CONSTRAINT live_coverage_check CHECK ((last_seen_at >= since)),
    CONSTRAINT live_coverage_check1 CHECK (((closed_at IS NULL) OR (closed_at >= last_seen_at))),
    CONSTRAINT live_coverage_live_on_check CHECK ((cardinality(live_on) > 0)),
    CONSTRAINT live_coverage_missing_on_check CHECK ((cardinality(missing_on) > 0)),
    CONSTRAINT live_coverage_side_check CHECK ((side = ANY (ARRAY['betpawa_missing'::text, 'competitor_missing'::text]))),
    CONSTRAINT live_coverage_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text)),
    CONSTRAINT live_coverage_sr_id_check CHECK ((sr_id > 0))
);
ALTER TABLE analytics.live_coverage ALTER COLUMN gap_id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME analytics.live_coverage_gap_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);
ALTER TABLE analytics.live_coverage
    ADD CONSTRAINT live_coverage_pkey PRIMARY KEY (gap_id);
CREATE UNIQUE INDEX live_coverage_open_idx ON analytics.live_coverage USING btree (site_country, sr_id, side) WHERE (closed_at IS NULL);
CREATE INDEX live_coverage_since_idx ON analytics.live_coverage USING btree (since);
COMMENT ON TABLE analytics.live_coverage IS
    'Live gaps: one row per episode of a match live on some books and not on others, as the live watcher saw it '
    '(a poll of the three books'' live lists every 30 s). Updated in place while the episode lasts; closed '
    '(closed_at) when it ends: BetPawa goes live, the competitors catch up, or the match leaves every list. Open '
    'gaps now: closed_at IS NULL. A book whose poll failed changes nothing (its last known state holds).';
COMMENT ON COLUMN analytics.live_coverage.gap_id IS 'The episode''s own number.';
COMMENT ON COLUMN analytics.live_coverage.sr_id IS 'SportRadar match id (how the books'' live rows are linked).';
COMMENT ON COLUMN analytics.live_coverage.side IS
    'betpawa_missing: live on a competitor, not on BetPawa (what to put live); competitor_missing: live on '
    'BetPawa and not on at least one competitor (the reverse).';
COMMENT ON COLUMN analytics.live_coverage.sport IS 'Canonical sport key (football, basketball, tennis).';
COMMENT ON COLUMN analytics.live_coverage.country IS
    'Country or region as the first book showing it live names it.';
COMMENT ON COLUMN analytics.live_coverage.tournament IS
    'Tournament as the first book showing it live names it (BetPawa, then SportyBet, then Bet9ja).';
COMMENT ON COLUMN analytics.live_coverage.home IS 'Home team or player, as the tournament.';
COMMENT ON COLUMN analytics.live_coverage.away IS 'Away team or player, as the tournament.';
COMMENT ON COLUMN analytics.live_coverage.live_on IS 'Books showing the match live at the latest poll.';
COMMENT ON COLUMN analytics.live_coverage.missing_on IS
    'Books not showing it live at the latest poll (always betpawa for side betpawa_missing).';
COMMENT ON COLUMN analytics.live_coverage.since IS 'The poll that first saw this episode (UTC).';
COMMENT ON COLUMN analytics.live_coverage.last_seen_at IS 'The latest poll that saw it still open (UTC).';
COMMENT ON COLUMN analytics.live_coverage.closed_at IS
    'The poll that saw it end (UTC); NULL while the gap is open.';
COMMENT ON COLUMN analytics.live_coverage.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites'' live lists showed the gap: each country''s '
    'live lists are watched, and their gaps kept, apart.';

-- analytics.live_suspension -------------------------------------------------------------------------------------
CREATE TABLE analytics.live_suspension (
    polled_at timestamp with time zone NOT NULL,
    book text NOT NULL,
    status text NOT NULL,
    live_events integer,
    markets integer,
    suspended integer,
    suspended_share double precision,
    error text,
    bad_rows integer DEFAULT 0 NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT live_suspension_bad_rows_check CHECK ((bad_rows >= 0)),
    CONSTRAINT live_suspension_check CHECK (((suspended >= 0) AND (suspended <= markets))),
    CONSTRAINT live_suspension_check1 CHECK (((status = 'ok'::text) = (live_events IS NOT NULL))),
    CONSTRAINT live_suspension_live_events_check CHECK ((live_events >= 0)),
    CONSTRAINT live_suspension_markets_check CHECK ((markets >= 0)),
    CONSTRAINT live_suspension_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text)),
    CONSTRAINT live_suspension_status_check CHECK ((status = ANY (ARRAY['ok'::text, 'failed'::text, 'implausible'::text]))),
    CONSTRAINT live_suspension_suspended_share_check CHECK (((suspended_share >= (0)::double precision) AND (suspended_share <= (1)::double precision)))
);
ALTER TABLE analytics.live_suspension
    ADD CONSTRAINT live_suspension_pkey PRIMARY KEY (polled_at, site_country, book);
COMMENT ON TABLE analytics.live_suspension IS
    'Every live poll, per book: how many matches its live list showed, how many live market lines they carried '
    'and the share suspended (no outcome available). A failed or implausible answer (an empty list just after a '
    'full one) is a row with its status and error and no counts: it changed nothing.';
COMMENT ON COLUMN analytics.live_suspension.polled_at IS 'When the poll asked the scraped books (UTC).';
COMMENT ON COLUMN analytics.live_suspension.book IS 'The book polled (core.books).';
COMMENT ON COLUMN analytics.live_suspension.status IS
    'ok; failed (no readable answer); implausible (an empty list right after a non-empty one: ignored).';
COMMENT ON COLUMN analytics.live_suspension.live_events IS 'Matches on the book''s live list (NULL unless ok).';
COMMENT ON COLUMN analytics.live_suspension.markets IS 'Live market lines those rows carried.';
COMMENT ON COLUMN analytics.live_suspension.suspended IS 'Of those, lines with no outcome available.';
COMMENT ON COLUMN analytics.live_suspension.suspended_share IS 'suspended / markets (NULL when no markets).';
COMMENT ON COLUMN analytics.live_suspension.error IS 'Why the answer was not used (failed, implausible).';
COMMENT ON COLUMN analytics.live_suspension.bad_rows IS
    'Rows of the answer that could not be read (the book changed a field?): each cost only itself.';
COMMENT ON COLUMN analytics.live_suspension.site_country IS
    'ISO 3166 code (lower case) of the country whose site of the book was polled.';

-- analytics.market_availability ---------------------------------------------------------------------------------
CREATE TABLE analytics.market_availability (
    kickoff_date date NOT NULL,
    sr_id bigint NOT NULL,
    market integer NOT NULL,
    specifier text NOT NULL,
    book text NOT NULL,
    availability text NOT NULL,
    computed_at timestamp with time zone DEFAULT now() NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT market_availability_availability_check CHECK ((availability = ANY (ARRAY['offered'::text, 'suspended'::text, 'not_offered'::text]))),
    CONSTRAINT market_availability_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text)),
    CONSTRAINT market_availability_sr_id_check CHECK ((sr_id > 0))
);
ALTER TABLE analytics.market_availability
    ADD CONSTRAINT market_availability_pkey PRIMARY KEY (kickoff_date, site_country, sr_id, market, specifier, book);
COMMENT ON TABLE analytics.market_availability IS
    'Per match, market, line and book listing the match: whether the book offers the market (an open price), has '
    'it suspended, or does not offer it. Recomputed per kick-off date.';
COMMENT ON COLUMN analytics.market_availability.kickoff_date IS
    'Kick-off date (UTC) of the match; the partition key of the comparison tables.';
COMMENT ON COLUMN analytics.market_availability.sr_id IS
    'SportRadar match id: the key shared by the three books.';
COMMENT ON COLUMN analytics.market_availability.market IS
    'Canonical market id (SportRadar UOF), e.g. 1 = 1X2, 18 = total goals.';
COMMENT ON COLUMN analytics.market_availability.specifier IS
    'Normalised market line, e.g. total=2.5 or hcp=-0.5; empty when the market has none.';
COMMENT ON COLUMN analytics.market_availability.book IS 'Book: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.market_availability.availability IS
    'offered = at least one open price; suspended = the market is shown but nothing is open; not_offered = the '
    'book lists the match but not this market.';
COMMENT ON COLUMN analytics.market_availability.computed_at IS 'When the pipeline computed this row (UTC).';
COMMENT ON COLUMN analytics.market_availability.site_country IS
    'ISO code (lower case) of the country whose sites the row was read from (ng, gh); the tournament''s country '
    'is another thing.';

-- analytics.market_margins --------------------------------------------------------------------------------------
CREATE TABLE analytics.market_margins (
    kickoff_date date NOT NULL,
    sr_id bigint NOT NULL,
    market integer NOT NULL,
    specifier text NOT NULL,
    book text NOT NULL,
    outcomes_expected integer,
    outcomes_open integer NOT NULL,
    margin double precision,
    complete boolean GENERATED ALWAYS AS ((margin IS NOT NULL)) STORED,
    reason text,
    computed_at timestamp with time zone DEFAULT now() NOT NULL,
    captured_at timestamp with time zone,
    stale boolean DEFAULT false NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT market_margins_check CHECK (((margin IS NULL) <> (reason IS NULL))),
    CONSTRAINT market_margins_outcomes_expected_check CHECK ((outcomes_expected >= 0)),
    CONSTRAINT market_margins_outcomes_open_check CHECK ((outcomes_open >= 0)),
    CONSTRAINT market_margins_reason_check CHECK ((reason = ANY (ARRAY['unknown_market'::text, 'not_complete'::text, 'unknown_outcome'::text, 'missing_outcome'::text, 'not_all_open'::text]))),
    CONSTRAINT market_margins_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text)),
    CONSTRAINT market_margins_sr_id_check CHECK ((sr_id > 0))
);
ALTER TABLE analytics.market_margins
    ADD CONSTRAINT market_margins_pkey PRIMARY KEY (kickoff_date, site_country, sr_id, market, specifier, book);
COMMENT ON TABLE analytics.market_margins IS
    'Each book''s margin (overround) per match, market and line, when it prices the whole complete market; '
    'otherwise margin is null and reason says why. Recomputed per kick-off date.';
COMMENT ON COLUMN analytics.market_margins.kickoff_date IS
    'Kick-off date (UTC) of the match; the partition key of the comparison tables.';
COMMENT ON COLUMN analytics.market_margins.sr_id IS 'SportRadar match id: the key shared by the three books.';
COMMENT ON COLUMN analytics.market_margins.market IS
    'Canonical market id (SportRadar UOF), e.g. 1 = 1X2, 18 = total goals.';
COMMENT ON COLUMN analytics.market_margins.specifier IS
    'Normalised market line, e.g. total=2.5 or hcp=-0.5; empty when the market has none.';
COMMENT ON COLUMN analytics.market_margins.book IS 'Book: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.market_margins.outcomes_expected IS
    'Outcomes the canonical market has; null for an unknown market.';
COMMENT ON COLUMN analytics.market_margins.outcomes_open IS 'Outcomes the book has open with a price.';
COMMENT ON COLUMN analytics.market_margins.margin IS
    'sum(1 / price) - 1 over the market''s outcomes (0.05 = 5 percent overround); null when not computable (see '
    'reason).';
COMMENT ON COLUMN analytics.market_margins.complete IS
    'Whether the book prices the whole complete market, i.e. margin is not null.';
COMMENT ON COLUMN analytics.market_margins.reason IS
    'Why margin is null: unknown_market, not_complete (outcomes not exhaustive), unknown_outcome, '
    'missing_outcome or not_all_open; null when margin is set.';
COMMENT ON COLUMN analytics.market_margins.computed_at IS 'When the pipeline computed this row (UTC).';
COMMENT ON COLUMN analytics.market_margins.captured_at IS
    'The oldest capture time among this book''s prices of the market.';
COMMENT ON COLUMN analytics.market_margins.stale IS
    'True when an open price of this market is stale; such a margin is not used for the consensus.';
COMMENT ON COLUMN analytics.market_margins.site_country IS
    'ISO code (lower case) of the country whose sites the row was read from (ng, gh); the tournament''s country '
    'is another thing.';

-- analytics.match_listings --------------------------------------------------------------------------------------
CREATE TABLE analytics.match_listings (
    kickoff_date date NOT NULL,
    site_country text NOT NULL,
    match_key text NOT NULL,
    book text NOT NULL,
    event_id text NOT NULL,
    tournament_id text,
    computed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT match_listings_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text))
);
ALTER TABLE analytics.match_listings
    ADD CONSTRAINT match_listings_kickoff_date_site_country_book_event_id_key UNIQUE (kickoff_date, site_country, book, event_id);
ALTER TABLE analytics.match_listings
    ADD CONSTRAINT match_listings_pkey PRIMARY KEY (kickoff_date, site_country, match_key, book);
COMMENT ON TABLE analytics.match_listings IS
    'One row per match of analytics.matches and book listing it on that site country: the book''s own event and '
    'tournament ids. A book absent here does not list the match.';
COMMENT ON COLUMN analytics.match_listings.kickoff_date IS
    'Kick-off date (UTC) of the match in analytics.matches.';
COMMENT ON COLUMN analytics.match_listings.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites the listing was read from.';
COMMENT ON COLUMN analytics.match_listings.match_key IS 'The match''s key in analytics.matches.';
COMMENT ON COLUMN analytics.match_listings.book IS 'The book listing the match, e.g. betpawa, sportybet, bet9ja.';
COMMENT ON COLUMN analytics.match_listings.event_id IS 'The book''s own event id of the match.';
COMMENT ON COLUMN analytics.match_listings.tournament_id IS 'The book''s own tournament id of the match.';
COMMENT ON COLUMN analytics.match_listings.computed_at IS 'When the pipeline computed this row (UTC).';

-- analytics.matches ---------------------------------------------------------------------------------------------
CREATE TABLE analytics.matches (
    kickoff_date date NOT NULL,
    site_country text NOT NULL,
    match_key text NOT NULL,
    sr_id bigint,
    kickoff timestamp with time zone NOT NULL,
    sport text NOT NULL,
    country text,
    tournament text,
    home text NOT NULL,
    away text NOT NULL,
    name_source text NOT NULL,
    book_count smallint NOT NULL,
    status text NOT NULL,
    genius_id bigint,
    linked_by text,
    tournament_key text,
    sr_tournament_id text,
    canonical_tournament text,
    sr_category_id text,
    canonical_country text,
    country_iso text,
    computed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT matches_book_count_check CHECK ((book_count >= 1)),
    CONSTRAINT matches_check CHECK (((linked_by IS NULL) = (book_count = 1))),
    CONSTRAINT matches_genius_id_check CHECK ((genius_id > 0)),
    CONSTRAINT matches_linked_by_check CHECK ((linked_by = ANY (ARRAY['sportradar'::text, 'genius'::text]))),
    CONSTRAINT matches_match_key_check CHECK ((match_key ~ '^(sr:[0-9]+|gs:[0-9]+|[a-z0-9_]+:.+)$'::text)),
    CONSTRAINT matches_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text)),
    CONSTRAINT matches_sr_id_check CHECK ((sr_id > 0)),
    CONSTRAINT matches_status_check CHECK ((status = ANY (ARRAY['matched'::text, 'betpawa_only'::text, 'competitor_only'::text])))
);
ALTER TABLE analytics.matches
    ADD CONSTRAINT matches_pkey PRIMARY KEY (kickoff_date, site_country, match_key);
CREATE INDEX matches_sr_id_idx ON analytics.matches USING btree (sr_id) WHERE (sr_id IS NOT NULL);
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
COMMENT ON COLUMN analytics.matches.sr_id IS
    'SportRadar match id; null when no listing of the match carries one.';
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
COMMENT ON COLUMN analytics.matches.book_count IS
    'How many books list the match (rows of analytics.match_listings).';
COMMENT ON COLUMN analytics.matches.status IS
    'matched (BetPawa and a competitor list it), betpawa_only, or competitor_only (the coverage gap).';
COMMENT ON COLUMN analytics.matches.genius_id IS 'Genius Sports match id, when a listing carries one.';
COMMENT ON COLUMN analytics.matches.linked_by IS
    'How the books'' listings were linked: sportradar, or genius (a listing lacked the SportRadar id); null when '
    'one book lists the match.';
COMMENT ON COLUMN analytics.matches.tournament_key IS
    'Canonical tournament key: the SportRadar tournament id when the match is placed, else <name source>:<its '
    'tournament id>.';
COMMENT ON COLUMN analytics.matches.sr_tournament_id IS
    'SportRadar tournament id the match is placed on (see analytics.tournament_crosswalk); null when unplaced.';
COMMENT ON COLUMN analytics.matches.canonical_tournament IS
    'Tournament name of the canonical tournament (the name source''s own name when unplaced).';
COMMENT ON COLUMN analytics.matches.sr_category_id IS
    'SportRadar category (country or region) of the canonical tournament; null when unknown.';
COMMENT ON COLUMN analytics.matches.canonical_country IS
    'Country or region of the canonical tournament (the name source''s own when unplaced).';
COMMENT ON COLUMN analytics.matches.country_iso IS
    'ISO 3166 code of the canonical country; null when none exists.';
COMMENT ON COLUMN analytics.matches.computed_at IS 'When the pipeline computed this row (UTC).';

-- analytics.outcome_comparison ----------------------------------------------------------------------------------
CREATE TABLE analytics.outcome_comparison (
    kickoff_date date NOT NULL,
    site_country text NOT NULL,
    sr_id bigint NOT NULL,
    market integer NOT NULL,
    specifier text NOT NULL,
    outcome integer NOT NULL,
    market_name text,
    outcome_name text,
    best_price double precision,
    best_book text,
    best_books text[],
    betpawa_gap double precision,
    betpawa_rank smallint,
    books_offering smallint NOT NULL,
    fair_price double precision,
    fair_books smallint NOT NULL,
    computed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT outcome_comparison_best_price_check CHECK ((best_price > (1)::double precision)),
    CONSTRAINT outcome_comparison_betpawa_gap_check CHECK ((betpawa_gap <= (0)::double precision)),
    CONSTRAINT outcome_comparison_betpawa_rank_check CHECK ((betpawa_rank >= 1)),
    CONSTRAINT outcome_comparison_books_offering_check CHECK ((books_offering >= 0)),
    CONSTRAINT outcome_comparison_check CHECK (((best_price IS NULL) = (books_offering = 0))),
    CONSTRAINT outcome_comparison_check1 CHECK (((best_price IS NULL) = (best_book IS NULL))),
    CONSTRAINT outcome_comparison_check2 CHECK (((best_books IS NULL) OR (best_book = best_books[1]))),
    CONSTRAINT outcome_comparison_fair_books_check CHECK ((fair_books >= 0)),
    CONSTRAINT outcome_comparison_fair_price_check CHECK ((fair_price > (1)::double precision)),
    CONSTRAINT outcome_comparison_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text)),
    CONSTRAINT outcome_comparison_sr_id_check CHECK ((sr_id > 0))
);
ALTER TABLE analytics.outcome_comparison
    ADD CONSTRAINT outcome_comparison_pkey PRIMARY KEY (kickoff_date, site_country, sr_id, market, specifier, outcome);
CREATE INDEX outcome_comparison_sr_id_idx ON analytics.outcome_comparison USING btree (sr_id);
COMMENT ON TABLE analytics.outcome_comparison IS
    'One row per match, market, line, outcome and site country any book prices: the best open price, the book(s) '
    'offering it, BetPawa''s gap and rank, and a consensus fair price. Each book''s price is in '
    'analytics.outcome_prices. Recomputed per kick-off date from the current odds; only open prices count, and a '
    'stale or suspect price takes no part.';
COMMENT ON COLUMN analytics.outcome_comparison.kickoff_date IS
    'Kick-off date (UTC) of the match; the partition key of the comparison tables.';
COMMENT ON COLUMN analytics.outcome_comparison.site_country IS
    'ISO code (lower case) of the country whose sites the row was read from (ng, gh); the tournament''s country '
    'is another thing.';
COMMENT ON COLUMN analytics.outcome_comparison.sr_id IS 'SportRadar match id: the key shared by the books.';
COMMENT ON COLUMN analytics.outcome_comparison.market IS
    'Canonical market id (SportRadar UOF), e.g. 1 = 1X2, 18 = total goals.';
COMMENT ON COLUMN analytics.outcome_comparison.specifier IS
    'Normalised market line, e.g. total=2.5 or hcp=-0.5; empty when the market has none.';
COMMENT ON COLUMN analytics.outcome_comparison.outcome IS
    'Canonical outcome id (SportRadar UOF), e.g. 1 home, 2 draw, 3 away, 12 over, 13 under.';
COMMENT ON COLUMN analytics.outcome_comparison.market_name IS
    'Readable market name from the canonical vocabulary; null for an unknown market.';
COMMENT ON COLUMN analytics.outcome_comparison.outcome_name IS
    'Readable outcome name from the canonical vocabulary; null when not described.';
COMMENT ON COLUMN analytics.outcome_comparison.best_price IS
    'Highest fresh, unsuspected open price among the books; null when there is none.';
COMMENT ON COLUMN analytics.outcome_comparison.best_book IS
    'Book with the best price; on a tie BetPawa, then the books in the registry''s order.';
COMMENT ON COLUMN analytics.outcome_comparison.best_books IS
    'Every book offering the best price, best_book first; null when there is none.';
COMMENT ON COLUMN analytics.outcome_comparison.betpawa_gap IS
    'BetPawa''s price / best_price - 1: 0 when BetPawa is best, negative when beaten (-0.05 = 5 percent worse); '
    'null when BetPawa has no fresh open price.';
COMMENT ON COLUMN analytics.outcome_comparison.betpawa_rank IS
    'Rank of BetPawa''s price among the fresh open prices (1 = best, ties share a rank); null when BetPawa has '
    'no fresh open price.';
COMMENT ON COLUMN analytics.outcome_comparison.books_offering IS
    'How many books have a fresh, unsuspected open price for the outcome.';
COMMENT ON COLUMN analytics.outcome_comparison.fair_price IS
    'Consensus fair odds: margin removed by the power method per book, probabilities averaged over the books '
    'pricing the whole market; null when none does.';
COMMENT ON COLUMN analytics.outcome_comparison.fair_books IS 'How many books the fair price rests on.';
COMMENT ON COLUMN analytics.outcome_comparison.computed_at IS 'When the pipeline computed this row (UTC).';

-- analytics.outcome_prices --------------------------------------------------------------------------------------
CREATE TABLE analytics.outcome_prices (
    kickoff_date date NOT NULL,
    site_country text NOT NULL,
    sr_id bigint NOT NULL,
    market integer NOT NULL,
    specifier text NOT NULL,
    outcome integer NOT NULL,
    book text NOT NULL,
    price double precision NOT NULL,
    captured_at timestamp with time zone,
    stale boolean,
    suspect boolean,
    computed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT outcome_prices_price_check CHECK ((price > (1)::double precision)),
    CONSTRAINT outcome_prices_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text)),
    CONSTRAINT outcome_prices_sr_id_check CHECK ((sr_id > 0))
);
ALTER TABLE analytics.outcome_prices
    ADD CONSTRAINT outcome_prices_pkey PRIMARY KEY (kickoff_date, site_country, sr_id, market, specifier, outcome, book);
CREATE INDEX outcome_prices_sr_id_idx ON analytics.outcome_prices USING btree (sr_id);
COMMENT ON TABLE analytics.outcome_prices IS
    'One row per match, market, line, outcome, site country and book with an open price on it: the price, when '
    'it was captured, and whether it is stale or its market suspect. A book with no row lacks the outcome or has '
    'it suspended (analytics.market_availability says which, per market). The comparison itself is in '
    'analytics.outcome_comparison.';
COMMENT ON COLUMN analytics.outcome_prices.kickoff_date IS
    'Kick-off date (UTC) of the match; the partition key of the comparison tables.';
COMMENT ON COLUMN analytics.outcome_prices.site_country IS
    'ISO code (lower case) of the country whose sites the row was read from (ng, gh); the tournament''s country '
    'is another thing.';
COMMENT ON COLUMN analytics.outcome_prices.sr_id IS 'SportRadar match id: the key shared by the books.';
COMMENT ON COLUMN analytics.outcome_prices.market IS
    'Canonical market id (SportRadar UOF), e.g. 1 = 1X2, 18 = total goals.';
COMMENT ON COLUMN analytics.outcome_prices.specifier IS
    'Normalised market line, e.g. total=2.5 or hcp=-0.5; empty when the market has none.';
COMMENT ON COLUMN analytics.outcome_prices.outcome IS
    'Canonical outcome id (SportRadar UOF), e.g. 1 home, 2 draw, 3 away, 12 over, 13 under.';
COMMENT ON COLUMN analytics.outcome_prices.book IS
    'The book (betpawa, sportybet, bet9ja, ...): one row per book.';
COMMENT ON COLUMN analytics.outcome_prices.price IS 'The book''s open decimal price.';
COMMENT ON COLUMN analytics.outcome_prices.captured_at IS
    'When the book last confirmed its price (null when it has no open price).';
COMMENT ON COLUMN analytics.outcome_prices.stale IS
    'True when the price is stale: older than its freshness bound or older than a failed capture. A stale price '
    'is shown but takes no part in the comparison.';
COMMENT ON COLUMN analytics.outcome_prices.suspect IS
    'True when the book''s market is in analytics.suspect_markets: its price is shown but takes no part in the '
    'comparison.';
COMMENT ON COLUMN analytics.outcome_prices.computed_at IS 'When the pipeline computed this row (UTC).';

-- analytics.price_leadership ------------------------------------------------------------------------------------
CREATE TABLE analytics.price_leadership (
    kickoff_date date NOT NULL,
    sport text NOT NULL,
    country text NOT NULL,
    tournament text NOT NULL,
    market integer NOT NULL,
    market_name text,
    book text NOT NULL,
    moves integer NOT NULL,
    moves_led integer NOT NULL,
    led_moves_followed integer NOT NULL,
    moves_followed integer NOT NULL,
    moves_late integer NOT NULL,
    median_follow_lag_minutes double precision,
    moves_missed integer NOT NULL,
    window_minutes double precision NOT NULL,
    computed_at timestamp with time zone NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT price_leadership_check CHECK (((moves_led >= 0) AND (moves_led <= moves))),
    CONSTRAINT price_leadership_check1 CHECK (((led_moves_followed >= 0) AND (led_moves_followed <= moves_led))),
    CONSTRAINT price_leadership_check2 CHECK ((((moves_led + moves_followed) + moves_late) = moves)),
    CONSTRAINT price_leadership_check3 CHECK (((median_follow_lag_minutes IS NULL) = (moves_followed = 0))),
    CONSTRAINT price_leadership_median_follow_lag_minutes_check CHECK ((median_follow_lag_minutes >= (0)::double precision)),
    CONSTRAINT price_leadership_moves_check CHECK ((moves >= 0)),
    CONSTRAINT price_leadership_moves_followed_check CHECK ((moves_followed >= 0)),
    CONSTRAINT price_leadership_moves_late_check CHECK ((moves_late >= 0)),
    CONSTRAINT price_leadership_moves_missed_check CHECK ((moves_missed >= 0)),
    CONSTRAINT price_leadership_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text)),
    CONSTRAINT price_leadership_window_minutes_check CHECK ((window_minutes > (0)::double precision))
);
ALTER TABLE analytics.price_leadership
    ADD CONSTRAINT price_leadership_pkey PRIMARY KEY (kickoff_date, site_country, sport, country, tournament, market, book);
COMMENT ON TABLE analytics.price_leadership IS
    'Who moves first, per kick-off date, tournament (canonical, as in analytics.matched_events), main market and '
    'book. A move is a change of an outcome''s open price between two captures of the book, timed at the capture '
    'that first shows it; the first book to show a move leads it, another book moving the same outcome the same '
    'way within window_minutes follows it (lag = the difference of the capture times, so within one capture '
    'cadence of the truth). Two books whose captures cannot order their moves both lead.';
COMMENT ON COLUMN analytics.price_leadership.kickoff_date IS 'Kick-off date (UTC): the partition key.';
COMMENT ON COLUMN analytics.price_leadership.sport IS 'Sport.';
COMMENT ON COLUMN analytics.price_leadership.country IS 'Canonical country ('''' when unknown).';
COMMENT ON COLUMN analytics.price_leadership.tournament IS 'Canonical tournament ('''' when unplaced).';
COMMENT ON COLUMN analytics.price_leadership.market IS 'Canonical (SportRadar UOF) main market id.';
COMMENT ON COLUMN analytics.price_leadership.market_name IS 'The market''s canonical name (1X2, Total goals...).';
COMMENT ON COLUMN analytics.price_leadership.book IS 'The book (one row per book).';
COMMENT ON COLUMN analytics.price_leadership.moves IS
    'Price moves the book made on this market''s outcomes, less those within twice the window of the match''s '
    'first capture that copy no move seen (they may copy one made before it: not judged).';
COMMENT ON COLUMN analytics.price_leadership.moves_led IS
    'Of those, the moves no other book had made the same way within the window before (it moved first).';
COMMENT ON COLUMN analytics.price_leadership.led_moves_followed IS
    'Of the moves led, those at least one other book followed within the window.';
COMMENT ON COLUMN analytics.price_leadership.moves_followed IS
    'Of the moves, those copying another book''s earlier move the same way within the window.';
COMMENT ON COLUMN analytics.price_leadership.moves_late IS
    'Of the moves, those copying another book''s move the same way older than the window (up to twice it): '
    'followed, but too late to count; neither led nor followed.';
COMMENT ON COLUMN analytics.price_leadership.median_follow_lag_minutes IS
    'Median minutes between the leader''s move and this book''s following move (NULL when it followed none).';
COMMENT ON COLUMN analytics.price_leadership.moves_missed IS
    'Other books'' led moves on outcomes this book offered that it did not follow within the window, although '
    'captured past it (moves whose window had not ended at its last capture are not counted).';
COMMENT ON COLUMN analytics.price_leadership.window_minutes IS
    'The follow window (PALIMPSEST_LEADERSHIP_WINDOW_MINUTES) the figures were computed with.';
COMMENT ON COLUMN analytics.price_leadership.computed_at IS 'When the figures were computed.';
COMMENT ON COLUMN analytics.price_leadership.site_country IS
    'ISO code (lower case) of the country whose sites the row was read from (ng, gh); the tournament''s country '
    'is another thing.';

-- analytics.stale_outcome_prices --------------------------------------------------------------------------------
CREATE TABLE analytics.stale_outcome_prices (
    kickoff_date date NOT NULL,
    site_country text NOT NULL,
    sr_id bigint NOT NULL,
    market integer NOT NULL,
    specifier text NOT NULL,
    outcome integer NOT NULL,
    book text NOT NULL,
    price_then double precision,
    price double precision,
    computed_at timestamp with time zone NOT NULL,
    CONSTRAINT stale_outcome_prices_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text)),
    CONSTRAINT stale_outcome_prices_sr_id_check CHECK ((sr_id > 0))
);
ALTER TABLE analytics.stale_outcome_prices
    ADD CONSTRAINT stale_outcome_prices_pkey PRIMARY KEY (kickoff_date, site_country, sr_id, market, specifier, outcome, book);
COMMENT ON TABLE analytics.stale_outcome_prices IS
    'Per outcome of analytics.stale_outcomes, each competitor that moved: its price at betpawa_since and now.';
COMMENT ON COLUMN analytics.stale_outcome_prices.kickoff_date IS
    'Kick-off date (UTC) of the match; the partition key of the comparison tables.';
COMMENT ON COLUMN analytics.stale_outcome_prices.site_country IS
    'ISO code (lower case) of the country whose sites the row was read from (ng, gh); the tournament''s country '
    'is another thing.';
COMMENT ON COLUMN analytics.stale_outcome_prices.sr_id IS 'SportRadar match id: the key shared by the books.';
COMMENT ON COLUMN analytics.stale_outcome_prices.market IS
    'Canonical market id (SportRadar UOF), e.g. 1 = 1X2, 18 = total goals.';
COMMENT ON COLUMN analytics.stale_outcome_prices.specifier IS
    'Normalised market line, e.g. total=2.5 or hcp=-0.5; empty when the market has none.';
COMMENT ON COLUMN analytics.stale_outcome_prices.outcome IS
    'Canonical outcome id (SportRadar UOF), e.g. 1 home, 2 draw, 3 away, 12 over, 13 under.';
COMMENT ON COLUMN analytics.stale_outcome_prices.book IS 'The competitor (one row per competitor that moved).';
COMMENT ON COLUMN analytics.stale_outcome_prices.price_then IS 'The competitor''s price at betpawa_since.';
COMMENT ON COLUMN analytics.stale_outcome_prices.price IS 'The competitor''s price now (it moved that way).';
COMMENT ON COLUMN analytics.stale_outcome_prices.computed_at IS 'When the pipeline computed this row (UTC).';

-- analytics.stale_outcomes --------------------------------------------------------------------------------------
CREATE TABLE analytics.stale_outcomes (
    kickoff_date date NOT NULL,
    site_country text NOT NULL,
    sr_id bigint NOT NULL,
    sport text NOT NULL,
    country text NOT NULL,
    tournament text NOT NULL,
    market integer NOT NULL,
    market_name text,
    specifier text NOT NULL,
    outcome integer NOT NULL,
    price_betpawa double precision NOT NULL,
    betpawa_since timestamp with time zone NOT NULL,
    direction text NOT NULL,
    moved_books text[] NOT NULL,
    first_moved_at timestamp with time zone NOT NULL,
    computed_at timestamp with time zone NOT NULL,
    CONSTRAINT stale_outcomes_check CHECK ((first_moved_at > betpawa_since)),
    CONSTRAINT stale_outcomes_direction_check CHECK ((direction = ANY (ARRAY['up'::text, 'down'::text]))),
    CONSTRAINT stale_outcomes_moved_books_check CHECK ((cardinality(moved_books) >= 2)),
    CONSTRAINT stale_outcomes_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text)),
    CONSTRAINT stale_outcomes_sr_id_check CHECK ((sr_id > 0))
);
ALTER TABLE analytics.stale_outcomes
    ADD CONSTRAINT stale_outcomes_pkey PRIMARY KEY (kickoff_date, site_country, sr_id, market, specifier, outcome);
COMMENT ON TABLE analytics.stale_outcomes IS
    'Main-market outcomes whose BetPawa price has not changed since betpawa_since while two or more competitors '
    'moved theirs the same way since then (each compared with its own price at that instant), as of the last '
    'captures before computed_at: BetPawa prices the market has left behind. The competitors'' prices are in '
    'analytics.stale_outcome_prices.';
COMMENT ON COLUMN analytics.stale_outcomes.kickoff_date IS
    'Kick-off date (UTC) of the match; the partition key of the comparison tables.';
COMMENT ON COLUMN analytics.stale_outcomes.site_country IS
    'ISO code (lower case) of the country whose sites the row was read from (ng, gh); the tournament''s country '
    'is another thing.';
COMMENT ON COLUMN analytics.stale_outcomes.sr_id IS 'SportRadar match id: the key shared by the books.';
COMMENT ON COLUMN analytics.stale_outcomes.sport IS 'Sport.';
COMMENT ON COLUMN analytics.stale_outcomes.country IS 'Canonical country ('''' when unknown).';
COMMENT ON COLUMN analytics.stale_outcomes.tournament IS 'Canonical tournament ('''' when unplaced).';
COMMENT ON COLUMN analytics.stale_outcomes.market IS
    'Canonical market id (SportRadar UOF), e.g. 1 = 1X2, 18 = total goals.';
COMMENT ON COLUMN analytics.stale_outcomes.market_name IS
    'Readable market name from the canonical vocabulary; null for an unknown market.';
COMMENT ON COLUMN analytics.stale_outcomes.specifier IS
    'Normalised market line, e.g. total=2.5 or hcp=-0.5; empty when the market has none.';
COMMENT ON COLUMN analytics.stale_outcomes.outcome IS
    'Canonical outcome id (SportRadar UOF), e.g. 1 home, 2 draw, 3 away, 12 over, 13 under.';
COMMENT ON COLUMN analytics.stale_outcomes.price_betpawa IS 'BetPawa''s current (unchanged) price.';
COMMENT ON COLUMN analytics.stale_outcomes.betpawa_since IS 'The capture at which BetPawa last changed it.';
COMMENT ON COLUMN analytics.stale_outcomes.direction IS 'How the competitors moved: up (longer odds) or down.';
COMMENT ON COLUMN analytics.stale_outcomes.moved_books IS 'The competitors that moved that way since.';
COMMENT ON COLUMN analytics.stale_outcomes.first_moved_at IS
    'The earliest of those competitors'' latest price changes (when the newest prices were first seen).';
COMMENT ON COLUMN analytics.stale_outcomes.computed_at IS 'When the pipeline computed this row (UTC).';

-- analytics.suspect_markets -------------------------------------------------------------------------------------
CREATE TABLE analytics.suspect_markets (
    kickoff_date date NOT NULL,
    sr_id bigint NOT NULL,
    market integer NOT NULL,
    specifier text NOT NULL,
    book text NOT NULL,
    reason text NOT NULL,
    implied_sum double precision,
    outcomes_compared integer NOT NULL,
    outcomes_disagreeing integer NOT NULL,
    computed_at timestamp with time zone DEFAULT now() NOT NULL,
    detail text,
    site_country text NOT NULL,
    CONSTRAINT suspect_markets_outcomes_compared_check CHECK ((outcomes_compared >= 0)),
    CONSTRAINT suspect_markets_outcomes_disagreeing_check CHECK ((outcomes_disagreeing >= 0)),
    CONSTRAINT suspect_markets_overround_sum CHECK (((reason <> 'overround'::text) OR (implied_sum IS NOT NULL))),
    CONSTRAINT suspect_markets_reason_check CHECK ((reason = ANY (ARRAY['overround'::text, 'ladder'::text, 'identity'::text, 'units'::text, 'disagrees'::text]))),
    CONSTRAINT suspect_markets_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text)),
    CONSTRAINT suspect_markets_sr_id_check CHECK ((sr_id > 0))
);
ALTER TABLE analytics.suspect_markets
    ADD CONSTRAINT suspect_markets_pkey PRIMARY KEY (kickoff_date, site_country, sr_id, market, specifier, book);
COMMENT ON TABLE analytics.suspect_markets IS
    'Per match, market, line and book: a market whose prices cannot be true, probably keyed wrong. It stays in '
    'analytics.odds_comparison (suspect_<book>) but takes no part in best price, rank, gap or consensus. '
    'Recomputed per kick-off date with the comparison.';
COMMENT ON COLUMN analytics.suspect_markets.kickoff_date IS
    'Kick-off date (UTC) of the match; the partition key of the comparison tables.';
COMMENT ON COLUMN analytics.suspect_markets.sr_id IS 'SportRadar match id.';
COMMENT ON COLUMN analytics.suspect_markets.market IS 'Canonical market id (UOF, or a canonical extension).';
COMMENT ON COLUMN analytics.suspect_markets.specifier IS
    'Normalised specifier of the market line (sorted key=value pairs, empty when none).';
COMMENT ON COLUMN analytics.suspect_markets.book IS 'The book whose market is suspect.';
COMMENT ON COLUMN analytics.suspect_markets.reason IS
    'Why the market cannot be true. From the book''s own prices alone: overround (its implied probabilities sum '
    'to an overround no real market of its bet type has), ladder (its lines are not monotone: an over more '
    'likely than a lower over, a handicap less likely as it grows), identity (the same bet under two names '
    'priced apart: Asian handicap -0.5 home and the home win), units (a line outside the bounds the book''s own '
    '1X2 or correct score put on it, as a line read in the wrong unit is). From other books: disagrees (some of '
    'its outcomes far from every other book''s price).';
COMMENT ON COLUMN analytics.suspect_markets.implied_sum IS
    'Sum of 1/price over the market''s outcomes (1 + margin); always set when reason is overround.';
COMMENT ON COLUMN analytics.suspect_markets.outcomes_compared IS
    'The book''s fresh open outcomes of this market that another book also prices.';
COMMENT ON COLUMN analytics.suspect_markets.outcomes_disagreeing IS
    'Of those, the outcomes whose implied probability is more than 1.5 times and 0.05 away from every other '
    'book''s.';
COMMENT ON COLUMN analytics.suspect_markets.computed_at IS 'When the comparison that found it ran.';
COMMENT ON COLUMN analytics.suspect_markets.detail IS
    'What failed, with the prices that show it (for a single-book reason); null for disagrees.';
COMMENT ON COLUMN analytics.suspect_markets.site_country IS
    'ISO code (lower case) of the country whose sites the row was read from (ng, gh); the tournament''s country '
    'is another thing.';

-- analytics.to_list_now -----------------------------------------------------------------------------------------
CREATE TABLE analytics.to_list_now (
    kickoff_date date NOT NULL,
    sr_id bigint,
    match_key text NOT NULL,
    sport text NOT NULL,
    country text,
    tournament text,
    home text NOT NULL,
    away text NOT NULL,
    kickoff timestamp with time zone NOT NULL,
    hours_to_kickoff double precision NOT NULL,
    listed_by text[] NOT NULL,
    first_listed_at timestamp with time zone NOT NULL,
    hours_listed_by_competitor double precision,
    computed_at timestamp with time zone NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT to_list_now_listed_by_check CHECK ((cardinality(listed_by) > 0)),
    CONSTRAINT to_list_now_site_country_check CHECK ((site_country ~ '^[a-z]{2}$'::text)),
    CONSTRAINT to_list_now_sr_id_check CHECK ((sr_id > 0))
);
ALTER TABLE analytics.to_list_now
    ADD CONSTRAINT to_list_now_pkey PRIMARY KEY (kickoff_date, site_country, match_key);
COMMENT ON TABLE analytics.to_list_now IS
    'Matches a competitor lists and BetPawa does not, still to kick off, as of computed_at: what to list now, '
    'with how long the competitors have had them. Recomputed per kick-off date with the coverage tables.';
COMMENT ON COLUMN analytics.to_list_now.kickoff_date IS 'Kick-off date (UTC): the partition key.';
COMMENT ON COLUMN analytics.to_list_now.sr_id IS 'SportRadar match id (NULL when no competitor gives one).';
COMMENT ON COLUMN analytics.to_list_now.match_key IS 'The match''s key in analytics.matched_events.';
COMMENT ON COLUMN analytics.to_list_now.sport IS 'Sport.';
COMMENT ON COLUMN analytics.to_list_now.country IS 'Canonical country.';
COMMENT ON COLUMN analytics.to_list_now.tournament IS 'Canonical tournament.';
COMMENT ON COLUMN analytics.to_list_now.home IS 'Home team.';
COMMENT ON COLUMN analytics.to_list_now.away IS 'Away team.';
COMMENT ON COLUMN analytics.to_list_now.kickoff IS 'Kick-off (UTC).';
COMMENT ON COLUMN analytics.to_list_now.hours_to_kickoff IS 'Hours from computed_at to kick-off.';
COMMENT ON COLUMN analytics.to_list_now.listed_by IS
    'The competitors listing it, in the order they were first seen listing it.';
COMMENT ON COLUMN analytics.to_list_now.first_listed_at IS
    'When the first of them was first seen listing it (for an untimed listing: the first scrape of its kick-off '
    'date, after the listing itself).';
COMMENT ON COLUMN analytics.to_list_now.hours_listed_by_competitor IS
    'Hours from first_listed_at to computed_at; NULL (unknown) when a competitor listing it already did at the '
    'first scrape of its kick-off date in this warehouse (its earliest first_seen_at among the book''s events of '
    'that date in core.events), so it may have listed it for any time before.';
COMMENT ON COLUMN analytics.to_list_now.computed_at IS 'When the list was computed.';
COMMENT ON COLUMN analytics.to_list_now.site_country IS
    'ISO 3166 code (lower case) of the country whose book sites the listings were read from.';

-- analytics.tournament_crosswalk --------------------------------------------------------------------------------
CREATE TABLE analytics.tournament_crosswalk (
    book text NOT NULL,
    tournament_id text NOT NULL,
    sport text NOT NULL,
    tournament_name text NOT NULL,
    country text,
    country_id text,
    placement text NOT NULL,
    sr_tournament_id text,
    events bigint NOT NULL,
    votes bigint NOT NULL,
    agreeing bigint NOT NULL,
    agreement_share double precision,
    candidates bigint NOT NULL,
    conflict boolean NOT NULL,
    tied boolean NOT NULL,
    votes_by_tournament text,
    canonical_tournament text,
    sr_category_id text,
    canonical_country text,
    country_iso text,
    placed_at timestamp with time zone,
    computed_at timestamp with time zone DEFAULT now() NOT NULL,
    site_country text NOT NULL,
    CONSTRAINT tournament_crosswalk_agreement_share_check CHECK (((agreement_share >= (0)::double precision) AND (agreement_share <= (1)::double precision))),
    CONSTRAINT tournament_crosswalk_candidates_check CHECK ((candidates >= 0)),
    CONSTRAINT tournament_crosswalk_check CHECK (((agreeing >= 0) AND (agreeing <= votes))),
    CONSTRAINT tournament_crosswalk_check1 CHECK (((placement = 'unplaced'::text) = (sr_tournament_id IS NULL))),
    CONSTRAINT tournament_crosswalk_check2 CHECK ((conflict = (candidates > 1))),
    CONSTRAINT tournament_crosswalk_events_check CHECK ((events >= 0)),
    CONSTRAINT tournament_crosswalk_placement_check CHECK ((placement = ANY (ARRAY['sportradar'::text, 'voted'::text, 'carried'::text, 'unplaced'::text]))),
    CONSTRAINT tournament_crosswalk_sr_tournament_id_check CHECK ((sr_tournament_id ~ '^sr:(simple_)?tournament:[0-9]+$'::text)),
    CONSTRAINT tournament_crosswalk_votes_check CHECK ((votes >= 0))
);
ALTER TABLE analytics.tournament_crosswalk
    ADD CONSTRAINT tournament_crosswalk_pkey PRIMARY KEY (site_country, book, tournament_id);
CREATE INDEX tournament_crosswalk_sr_idx ON analytics.tournament_crosswalk USING btree (sr_tournament_id);
COMMENT ON TABLE analytics.tournament_crosswalk IS
    'Every tournament of every book placed on one canonical tournament, keyed by the SportRadar tournament id. '
    'SportyBet gives the id itself; a BetPawa competition or Bet9ja group takes the id most of its events '
    'matched to SportyBet events carry (majority vote). A tournament keeps its last placement while no event '
    'gives evidence (placement carried); one no event ever linked to SportyBet stays unplaced.';
COMMENT ON COLUMN analytics.tournament_crosswalk.book IS
    'Book listing the tournament: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.tournament_crosswalk.tournament_id IS
    'The book''s own tournament id (competition, group).';
COMMENT ON COLUMN analytics.tournament_crosswalk.sport IS 'Canonical sport key: football, basketball or tennis.';
COMMENT ON COLUMN analytics.tournament_crosswalk.tournament_name IS 'Tournament name as the book spells it.';
COMMENT ON COLUMN analytics.tournament_crosswalk.country IS
    'Country as the book spells it; null when it gives none.';
COMMENT ON COLUMN analytics.tournament_crosswalk.country_id IS
    'The book''s own id of that country; null when none.';
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
COMMENT ON COLUMN analytics.tournament_crosswalk.placed_at IS
    'When the current placement was last voted or given.';
COMMENT ON COLUMN analytics.tournament_crosswalk.computed_at IS
    'When the pipeline last recomputed this row (UTC).';
COMMENT ON COLUMN analytics.tournament_crosswalk.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row was read from: ng, gh, ...';

-- Views ---------------------------------------------------------------------------------------------------------

CREATE VIEW core.ng_three_book_matches AS
 SELECT m.kickoff_date,
    m.match_key,
    m.sr_id,
    m.sport,
    m.sr_category_id,
    m.canonical_country,
    m.tournament_key,
    m.linked_by,
    bool_or((l.book = 'betpawa'::text)) AS on_betpawa,
    bool_or((l.book = 'sportybet'::text)) AS on_sportybet,
    bool_or((l.book = 'bet9ja'::text)) AS on_bet9ja,
    count(*) AS listed
   FROM (analytics.matches m
     JOIN analytics.match_listings l ON (((l.kickoff_date = m.kickoff_date) AND (l.site_country = m.site_country) AND (l.match_key = m.match_key))))
  WHERE ((m.site_country = 'ng'::text) AND (l.book = ANY (ARRAY['betpawa'::text, 'sportybet'::text, 'bet9ja'::text])))
  GROUP BY m.kickoff_date, m.match_key, m.sr_id, m.sport, m.sr_category_id, m.canonical_country, m.tournament_key, m.linked_by;
COMMENT ON VIEW core.ng_three_book_matches IS
    'Nigeria''s matches listed by BetPawa, SportyBet or Bet9ja, with which of the three list each (listed: how '
    'many): what the wide analytics views count (0039_wide_views_three_books.sql).';

CREATE VIEW analytics.coverage_by_country AS
 SELECT g.kickoff_date,
    g.sport,
    g.country,
    t.total,
    t.matched,
    t.betpawa_only,
    t.competitor_only,
    t.only_sportybet,
    t.only_bet9ja,
    t.sportybet_and_bet9ja_only,
    t.on_all_three,
    b.betpawa_events,
    b.sportybet_events,
    b.bet9ja_events,
    b.sportybet_not_betpawa,
    b.bet9ja_not_betpawa,
    b.betpawa_not_sportybet,
    b.betpawa_not_bet9ja,
    t.without_sr_id,
    t.match_rate,
    t.betpawa_coverage,
    g.computed_at,
    t.linked_by_genius,
    g.sr_category_id,
    g.country_iso
   FROM ((analytics.coverage_groups g
     CROSS JOIN LATERAL ( SELECT count(*) AS total,
            count(*) FILTER (WHERE (x.on_betpawa AND (x.listed > 1))) AS matched,
            count(*) FILTER (WHERE (x.on_betpawa AND (x.listed = 1))) AS betpawa_only,
            count(*) FILTER (WHERE (NOT x.on_betpawa)) AS competitor_only,
            count(*) FILTER (WHERE (x.on_sportybet AND (x.listed = 1))) AS only_sportybet,
            count(*) FILTER (WHERE (x.on_bet9ja AND (x.listed = 1))) AS only_bet9ja,
            count(*) FILTER (WHERE ((NOT x.on_betpawa) AND (x.listed = 2))) AS sportybet_and_bet9ja_only,
            count(*) FILTER (WHERE (x.listed = 3)) AS on_all_three,
            count(*) FILTER (WHERE (x.sr_id IS NULL)) AS without_sr_id,
            count(*) FILTER (WHERE (x.linked_by = 'genius'::text)) AS linked_by_genius,
            ((count(*) FILTER (WHERE (x.on_betpawa AND (x.listed > 1))))::double precision / (NULLIF(count(*), 0))::double precision) AS match_rate,
            ((count(*) FILTER (WHERE (x.on_betpawa AND (x.listed > 1))))::double precision / (NULLIF(count(*) FILTER (WHERE ((x.listed > 1) OR (NOT x.on_betpawa))), 0))::double precision) AS betpawa_coverage
           FROM core.ng_three_book_matches x
          WHERE ((x.kickoff_date = g.kickoff_date) AND (x.sport = g.sport) AND (NOT (x.sr_category_id IS DISTINCT FROM g.sr_category_id)) AND (NOT (x.canonical_country IS DISTINCT FROM g.country)))) t)
     CROSS JOIN LATERAL ( SELECT COALESCE(max(c.events) FILTER (WHERE (c.book = 'betpawa'::text)), (0)::bigint) AS betpawa_events,
            COALESCE(max(c.events) FILTER (WHERE (c.book = 'sportybet'::text)), (0)::bigint) AS sportybet_events,
            COALESCE(max(c.events) FILTER (WHERE (c.book = 'bet9ja'::text)), (0)::bigint) AS bet9ja_events,
            COALESCE(max(c.not_on_betpawa) FILTER (WHERE (c.book = 'sportybet'::text)), (0)::bigint) AS sportybet_not_betpawa,
            COALESCE(max(c.not_on_betpawa) FILTER (WHERE (c.book = 'bet9ja'::text)), (0)::bigint) AS bet9ja_not_betpawa,
            COALESCE(max(c.betpawa_not_on_it) FILTER (WHERE (c.book = 'sportybet'::text)), (0)::bigint) AS betpawa_not_sportybet,
            COALESCE(max(c.betpawa_not_on_it) FILTER (WHERE (c.book = 'bet9ja'::text)), (0)::bigint) AS betpawa_not_bet9ja
           FROM analytics.coverage c
          WHERE ((c.kickoff_date = g.kickoff_date) AND (c.site_country = g.site_country) AND (c.level = g.level) AND (c.sport = g.sport) AND (NOT (c.sr_category_id IS DISTINCT FROM g.sr_category_id)) AND (NOT (c.country IS DISTINCT FROM g.country)))) b)
  WHERE ((g.site_country = 'ng'::text) AND (g.level = 'country'::text) AND (t.total > 0));
COMMENT ON VIEW analytics.coverage_by_country IS
    'Coverage of BetPawa against SportyBet and Bet9ja per sport and canonical country (SportRadar category), per '
    'kick-off date (UTC). Counts are of matches (rows of analytics.matched_events), each counted once. A view: '
    'Nigeria''s site (site_country ng) only, with its three books as columns, pivoted from '
    'analytics.coverage_groups and analytics.coverage; other countries and books are read there.';
COMMENT ON COLUMN analytics.coverage_by_country.kickoff_date IS
    'Kick-off date (UTC) of the matches counted; the partition key.';
COMMENT ON COLUMN analytics.coverage_by_country.sport IS 'Canonical sport key: football, basketball or tennis.';
COMMENT ON COLUMN analytics.coverage_by_country.country IS
    'Canonical country: SportRadar''s name of the category; the name source''s own spelling when no category is '
    'known; null (one group) when no book gives one.';
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
COMMENT ON COLUMN analytics.coverage_by_country.bet9ja_not_betpawa IS
    'Matches Bet9ja lists that BetPawa does not.';
COMMENT ON COLUMN analytics.coverage_by_country.betpawa_not_sportybet IS
    'Matches BetPawa lists that SportyBet does not.';
COMMENT ON COLUMN analytics.coverage_by_country.betpawa_not_bet9ja IS
    'Matches BetPawa lists that Bet9ja does not.';
COMMENT ON COLUMN analytics.coverage_by_country.without_sr_id IS
    'Matches without a SportRadar id: they cannot be matched across books and count as single-book matches.';
COMMENT ON COLUMN analytics.coverage_by_country.match_rate IS
    'matched / total, a fraction between 0 and 1; null when total is 0.';
COMMENT ON COLUMN analytics.coverage_by_country.betpawa_coverage IS
    'matched / (matched + competitor_only): the fraction of the matches competitors list that BetPawa lists too; '
    'null when the denominator is 0.';
COMMENT ON COLUMN analytics.coverage_by_country.computed_at IS 'When the pipeline computed this row (UTC).';
COMMENT ON COLUMN analytics.coverage_by_country.linked_by_genius IS
    'Matches whose books were linked through the Genius Sports id only (a book lacked the SportRadar id).';
COMMENT ON COLUMN analytics.coverage_by_country.sr_category_id IS
    'Canonical country: SportRadar category id (sr:category:N); null when unknown.';
COMMENT ON COLUMN analytics.coverage_by_country.country_iso IS
    'ISO 3166 code of the canonical country (alpha-2 or e.g. GB-ENG); null when none exists.';

CREATE VIEW analytics.coverage_by_sport AS
 SELECT g.kickoff_date,
    g.sport,
    t.total,
    t.matched,
    t.betpawa_only,
    t.competitor_only,
    t.only_sportybet,
    t.only_bet9ja,
    t.sportybet_and_bet9ja_only,
    t.on_all_three,
    b.betpawa_events,
    b.sportybet_events,
    b.bet9ja_events,
    b.sportybet_not_betpawa,
    b.bet9ja_not_betpawa,
    b.betpawa_not_sportybet,
    b.betpawa_not_bet9ja,
    t.without_sr_id,
    t.match_rate,
    t.betpawa_coverage,
    g.computed_at,
    t.linked_by_genius
   FROM ((analytics.coverage_groups g
     CROSS JOIN LATERAL ( SELECT count(*) AS total,
            count(*) FILTER (WHERE (x.on_betpawa AND (x.listed > 1))) AS matched,
            count(*) FILTER (WHERE (x.on_betpawa AND (x.listed = 1))) AS betpawa_only,
            count(*) FILTER (WHERE (NOT x.on_betpawa)) AS competitor_only,
            count(*) FILTER (WHERE (x.on_sportybet AND (x.listed = 1))) AS only_sportybet,
            count(*) FILTER (WHERE (x.on_bet9ja AND (x.listed = 1))) AS only_bet9ja,
            count(*) FILTER (WHERE ((NOT x.on_betpawa) AND (x.listed = 2))) AS sportybet_and_bet9ja_only,
            count(*) FILTER (WHERE (x.listed = 3)) AS on_all_three,
            count(*) FILTER (WHERE (x.sr_id IS NULL)) AS without_sr_id,
            count(*) FILTER (WHERE (x.linked_by = 'genius'::text)) AS linked_by_genius,
            ((count(*) FILTER (WHERE (x.on_betpawa AND (x.listed > 1))))::double precision / (NULLIF(count(*), 0))::double precision) AS match_rate,
            ((count(*) FILTER (WHERE (x.on_betpawa AND (x.listed > 1))))::double precision / (NULLIF(count(*) FILTER (WHERE ((x.listed > 1) OR (NOT x.on_betpawa))), 0))::double precision) AS betpawa_coverage
           FROM core.ng_three_book_matches x
          WHERE ((x.kickoff_date = g.kickoff_date) AND (x.sport = g.sport))) t)
     CROSS JOIN LATERAL ( SELECT COALESCE(max(c.events) FILTER (WHERE (c.book = 'betpawa'::text)), (0)::bigint) AS betpawa_events,
            COALESCE(max(c.events) FILTER (WHERE (c.book = 'sportybet'::text)), (0)::bigint) AS sportybet_events,
            COALESCE(max(c.events) FILTER (WHERE (c.book = 'bet9ja'::text)), (0)::bigint) AS bet9ja_events,
            COALESCE(max(c.not_on_betpawa) FILTER (WHERE (c.book = 'sportybet'::text)), (0)::bigint) AS sportybet_not_betpawa,
            COALESCE(max(c.not_on_betpawa) FILTER (WHERE (c.book = 'bet9ja'::text)), (0)::bigint) AS bet9ja_not_betpawa,
            COALESCE(max(c.betpawa_not_on_it) FILTER (WHERE (c.book = 'sportybet'::text)), (0)::bigint) AS betpawa_not_sportybet,
            COALESCE(max(c.betpawa_not_on_it) FILTER (WHERE (c.book = 'bet9ja'::text)), (0)::bigint) AS betpawa_not_bet9ja
           FROM analytics.coverage c
          WHERE ((c.kickoff_date = g.kickoff_date) AND (c.site_country = g.site_country) AND (c.level = g.level) AND (c.sport = g.sport))) b)
  WHERE ((g.site_country = 'ng'::text) AND (g.level = 'sport'::text) AND (t.total > 0));
COMMENT ON VIEW analytics.coverage_by_sport IS
    'Coverage of BetPawa against SportyBet and Bet9ja per sport, per kick-off date (UTC). Counts are of matches '
    '(rows of analytics.matched_events), each counted once however many books list it. A view: Nigeria''s site '
    '(site_country ng) only, with its three books as columns, pivoted from analytics.coverage_groups and '
    'analytics.coverage; other countries and books are read there.';
COMMENT ON COLUMN analytics.coverage_by_sport.kickoff_date IS
    'Kick-off date (UTC) of the matches counted; the partition key.';
COMMENT ON COLUMN analytics.coverage_by_sport.sport IS 'Canonical sport key: football, basketball or tennis.';
COMMENT ON COLUMN analytics.coverage_by_sport.total IS
    'Matches in the group: matched + betpawa_only + competitor_only.';
COMMENT ON COLUMN analytics.coverage_by_sport.matched IS
    'Matches listed by BetPawa and by at least one competitor (SportyBet or Bet9ja).';
COMMENT ON COLUMN analytics.coverage_by_sport.betpawa_only IS
    'Matches listed by BetPawa and by neither competitor.';
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
    'Matches without a SportRadar id: they cannot be matched across books and count as single-book matches.';
COMMENT ON COLUMN analytics.coverage_by_sport.match_rate IS
    'matched / total, a fraction between 0 and 1; null when total is 0.';
COMMENT ON COLUMN analytics.coverage_by_sport.betpawa_coverage IS
    'matched / (matched + competitor_only): the fraction of the matches competitors list that BetPawa lists too; '
    'null when the denominator is 0.';
COMMENT ON COLUMN analytics.coverage_by_sport.computed_at IS 'When the pipeline computed this row (UTC).';
COMMENT ON COLUMN analytics.coverage_by_sport.linked_by_genius IS
    'Matches whose books were linked through the Genius Sports id only (a book lacked the SportRadar id).';

CREATE VIEW analytics.coverage_by_tournament AS
 SELECT g.kickoff_date,
    g.sport,
    g.country,
    g.tournament,
    t.total,
    t.matched,
    t.betpawa_only,
    t.competitor_only,
    t.only_sportybet,
    t.only_bet9ja,
    t.sportybet_and_bet9ja_only,
    t.on_all_three,
    b.betpawa_events,
    b.sportybet_events,
    b.bet9ja_events,
    b.sportybet_not_betpawa,
    b.bet9ja_not_betpawa,
    b.betpawa_not_sportybet,
    b.betpawa_not_bet9ja,
    t.without_sr_id,
    t.match_rate,
    t.betpawa_coverage,
    g.computed_at,
    t.linked_by_genius,
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
   FROM ((analytics.coverage_groups g
     CROSS JOIN LATERAL ( SELECT count(*) AS total,
            count(*) FILTER (WHERE (x.on_betpawa AND (x.listed > 1))) AS matched,
            count(*) FILTER (WHERE (x.on_betpawa AND (x.listed = 1))) AS betpawa_only,
            count(*) FILTER (WHERE (NOT x.on_betpawa)) AS competitor_only,
            count(*) FILTER (WHERE (x.on_sportybet AND (x.listed = 1))) AS only_sportybet,
            count(*) FILTER (WHERE (x.on_bet9ja AND (x.listed = 1))) AS only_bet9ja,
            count(*) FILTER (WHERE ((NOT x.on_betpawa) AND (x.listed = 2))) AS sportybet_and_bet9ja_only,
            count(*) FILTER (WHERE (x.listed = 3)) AS on_all_three,
            count(*) FILTER (WHERE (x.sr_id IS NULL)) AS without_sr_id,
            count(*) FILTER (WHERE (x.linked_by = 'genius'::text)) AS linked_by_genius,
            ((count(*) FILTER (WHERE (x.on_betpawa AND (x.listed > 1))))::double precision / (NULLIF(count(*), 0))::double precision) AS match_rate,
            ((count(*) FILTER (WHERE (x.on_betpawa AND (x.listed > 1))))::double precision / (NULLIF(count(*) FILTER (WHERE ((x.listed > 1) OR (NOT x.on_betpawa))), 0))::double precision) AS betpawa_coverage
           FROM core.ng_three_book_matches x
          WHERE ((x.kickoff_date = g.kickoff_date) AND (x.sport = g.sport) AND (x.tournament_key = g.tournament_key))) t)
     CROSS JOIN LATERAL ( SELECT COALESCE(max(c.events) FILTER (WHERE (c.book = 'betpawa'::text)), (0)::bigint) AS betpawa_events,
            COALESCE(max(c.events) FILTER (WHERE (c.book = 'sportybet'::text)), (0)::bigint) AS sportybet_events,
            COALESCE(max(c.events) FILTER (WHERE (c.book = 'bet9ja'::text)), (0)::bigint) AS bet9ja_events,
            COALESCE(max(c.not_on_betpawa) FILTER (WHERE (c.book = 'sportybet'::text)), (0)::bigint) AS sportybet_not_betpawa,
            COALESCE(max(c.not_on_betpawa) FILTER (WHERE (c.book = 'bet9ja'::text)), (0)::bigint) AS bet9ja_not_betpawa,
            COALESCE(max(c.betpawa_not_on_it) FILTER (WHERE (c.book = 'sportybet'::text)), (0)::bigint) AS betpawa_not_sportybet,
            COALESCE(max(c.betpawa_not_on_it) FILTER (WHERE (c.book = 'bet9ja'::text)), (0)::bigint) AS betpawa_not_bet9ja,
            max(c.book_tournament_id) FILTER (WHERE (c.book = 'betpawa'::text)) AS betpawa_tournament_id,
            max(c.book_tournament_name) FILTER (WHERE (c.book = 'betpawa'::text)) AS betpawa_tournament_name,
            max(c.book_tournament_id) FILTER (WHERE (c.book = 'sportybet'::text)) AS sportybet_tournament_id,
            max(c.book_tournament_name) FILTER (WHERE (c.book = 'sportybet'::text)) AS sportybet_tournament_name,
            max(c.book_tournament_id) FILTER (WHERE (c.book = 'bet9ja'::text)) AS bet9ja_tournament_id,
            max(c.book_tournament_name) FILTER (WHERE (c.book = 'bet9ja'::text)) AS bet9ja_tournament_name
           FROM analytics.coverage c
          WHERE ((c.kickoff_date = g.kickoff_date) AND (c.site_country = g.site_country) AND (c.level = g.level) AND (c.sport = g.sport) AND (c.tournament_key = g.tournament_key))) b)
  WHERE ((g.site_country = 'ng'::text) AND (g.level = 'tournament'::text) AND (t.total > 0));
COMMENT ON VIEW analytics.coverage_by_tournament IS
    'Coverage of BetPawa against SportyBet and Bet9ja per sport and canonical tournament (SportRadar tournament '
    'id, see analytics.tournament_crosswalk), per kick-off date (UTC); a tournament the crosswalk cannot place '
    'keeps its own row (placed = false). Counts are of matches (rows of analytics.matched_events). A view: '
    'Nigeria''s site (site_country ng) only, with its three books as columns, pivoted from '
    'analytics.coverage_groups and analytics.coverage; other countries and books are read there.';
COMMENT ON COLUMN analytics.coverage_by_tournament.kickoff_date IS
    'Kick-off date (UTC) of the matches counted; the partition key.';
COMMENT ON COLUMN analytics.coverage_by_tournament.sport IS
    'Canonical sport key: football, basketball or tennis.';
COMMENT ON COLUMN analytics.coverage_by_tournament.country IS
    'Canonical country: SportRadar''s name of the category; the name source''s own spelling when no category is '
    'known; null (one group) when no book gives one.';
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
    'Matches without a SportRadar id: they cannot be matched across books and count as single-book matches.';
COMMENT ON COLUMN analytics.coverage_by_tournament.match_rate IS
    'matched / total, a fraction between 0 and 1; null when total is 0.';
COMMENT ON COLUMN analytics.coverage_by_tournament.betpawa_coverage IS
    'matched / (matched + competitor_only): the fraction of the matches competitors list that BetPawa lists too; '
    'null when the denominator is 0.';
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
    'BetPawa''s competition id for this tournament (the one with most agreeing votes in the crosswalk); null '
    'when BetPawa has none.';
COMMENT ON COLUMN analytics.coverage_by_tournament.betpawa_tournament_name IS 'BetPawa''s name for it.';
COMMENT ON COLUMN analytics.coverage_by_tournament.sportybet_tournament_id IS
    'SportyBet''s tournament id for it (the SR id itself when placed).';
COMMENT ON COLUMN analytics.coverage_by_tournament.sportybet_tournament_name IS 'SportyBet''s name for it.';
COMMENT ON COLUMN analytics.coverage_by_tournament.bet9ja_tournament_id IS
    'Bet9ja''s group id for this tournament (most agreeing votes); null when none.';
COMMENT ON COLUMN analytics.coverage_by_tournament.bet9ja_tournament_name IS 'Bet9ja''s name for it.';

CREATE VIEW analytics.coverage_overall AS
 SELECT g.kickoff_date,
    t.total,
    t.matched,
    t.betpawa_only,
    t.competitor_only,
    t.only_sportybet,
    t.only_bet9ja,
    t.sportybet_and_bet9ja_only,
    t.on_all_three,
    b.betpawa_events,
    b.sportybet_events,
    b.bet9ja_events,
    b.sportybet_not_betpawa,
    b.bet9ja_not_betpawa,
    b.betpawa_not_sportybet,
    b.betpawa_not_bet9ja,
    t.without_sr_id,
    t.match_rate,
    t.betpawa_coverage,
    g.computed_at,
    t.linked_by_genius,
    b.catalogue_at_betpawa,
    b.catalogue_stale_betpawa,
    b.catalogue_at_sportybet,
    b.catalogue_stale_sportybet,
    b.catalogue_at_bet9ja,
    b.catalogue_stale_bet9ja
   FROM ((analytics.coverage_groups g
     CROSS JOIN LATERAL ( SELECT count(*) AS total,
            count(*) FILTER (WHERE (x.on_betpawa AND (x.listed > 1))) AS matched,
            count(*) FILTER (WHERE (x.on_betpawa AND (x.listed = 1))) AS betpawa_only,
            count(*) FILTER (WHERE (NOT x.on_betpawa)) AS competitor_only,
            count(*) FILTER (WHERE (x.on_sportybet AND (x.listed = 1))) AS only_sportybet,
            count(*) FILTER (WHERE (x.on_bet9ja AND (x.listed = 1))) AS only_bet9ja,
            count(*) FILTER (WHERE ((NOT x.on_betpawa) AND (x.listed = 2))) AS sportybet_and_bet9ja_only,
            count(*) FILTER (WHERE (x.listed = 3)) AS on_all_three,
            count(*) FILTER (WHERE (x.sr_id IS NULL)) AS without_sr_id,
            count(*) FILTER (WHERE (x.linked_by = 'genius'::text)) AS linked_by_genius,
            ((count(*) FILTER (WHERE (x.on_betpawa AND (x.listed > 1))))::double precision / (NULLIF(count(*), 0))::double precision) AS match_rate,
            ((count(*) FILTER (WHERE (x.on_betpawa AND (x.listed > 1))))::double precision / (NULLIF(count(*) FILTER (WHERE ((x.listed > 1) OR (NOT x.on_betpawa))), 0))::double precision) AS betpawa_coverage
           FROM core.ng_three_book_matches x
          WHERE (x.kickoff_date = g.kickoff_date)) t)
     CROSS JOIN LATERAL ( SELECT COALESCE(max(c.events) FILTER (WHERE (c.book = 'betpawa'::text)), (0)::bigint) AS betpawa_events,
            COALESCE(max(c.events) FILTER (WHERE (c.book = 'sportybet'::text)), (0)::bigint) AS sportybet_events,
            COALESCE(max(c.events) FILTER (WHERE (c.book = 'bet9ja'::text)), (0)::bigint) AS bet9ja_events,
            COALESCE(max(c.not_on_betpawa) FILTER (WHERE (c.book = 'sportybet'::text)), (0)::bigint) AS sportybet_not_betpawa,
            COALESCE(max(c.not_on_betpawa) FILTER (WHERE (c.book = 'bet9ja'::text)), (0)::bigint) AS bet9ja_not_betpawa,
            COALESCE(max(c.betpawa_not_on_it) FILTER (WHERE (c.book = 'sportybet'::text)), (0)::bigint) AS betpawa_not_sportybet,
            COALESCE(max(c.betpawa_not_on_it) FILTER (WHERE (c.book = 'bet9ja'::text)), (0)::bigint) AS betpawa_not_bet9ja,
            max(c.catalogue_at) FILTER (WHERE (c.book = 'betpawa'::text)) AS catalogue_at_betpawa,
            bool_or(c.catalogue_stale) FILTER (WHERE (c.book = 'betpawa'::text)) AS catalogue_stale_betpawa,
            max(c.catalogue_at) FILTER (WHERE (c.book = 'sportybet'::text)) AS catalogue_at_sportybet,
            bool_or(c.catalogue_stale) FILTER (WHERE (c.book = 'sportybet'::text)) AS catalogue_stale_sportybet,
            max(c.catalogue_at) FILTER (WHERE (c.book = 'bet9ja'::text)) AS catalogue_at_bet9ja,
            bool_or(c.catalogue_stale) FILTER (WHERE (c.book = 'bet9ja'::text)) AS catalogue_stale_bet9ja
           FROM analytics.coverage c
          WHERE ((c.kickoff_date = g.kickoff_date) AND (c.site_country = g.site_country) AND (c.level = g.level))) b)
  WHERE ((g.site_country = 'ng'::text) AND (g.level = 'overall'::text) AND (t.total > 0));
COMMENT ON VIEW analytics.coverage_overall IS
    'Coverage of BetPawa against SportyBet and Bet9ja all sports together, per kick-off date (UTC). Counts are '
    'of matches (rows of analytics.matched_events), each counted once however many books list it. A view: '
    'Nigeria''s site (site_country ng) only, with its three books as columns, pivoted from '
    'analytics.coverage_groups and analytics.coverage; other countries and books are read there.';
COMMENT ON COLUMN analytics.coverage_overall.kickoff_date IS
    'Kick-off date (UTC) of the matches counted; the partition key.';
COMMENT ON COLUMN analytics.coverage_overall.total IS
    'Matches in the group: matched + betpawa_only + competitor_only.';
COMMENT ON COLUMN analytics.coverage_overall.matched IS
    'Matches listed by BetPawa and by at least one competitor (SportyBet or Bet9ja).';
COMMENT ON COLUMN analytics.coverage_overall.betpawa_only IS
    'Matches listed by BetPawa and by neither competitor.';
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
    'Matches without a SportRadar id: they cannot be matched across books and count as single-book matches.';
COMMENT ON COLUMN analytics.coverage_overall.match_rate IS
    'matched / total, a fraction between 0 and 1; null when total is 0.';
COMMENT ON COLUMN analytics.coverage_overall.betpawa_coverage IS
    'matched / (matched + competitor_only): the fraction of the matches competitors list that BetPawa lists too; '
    'null when the denominator is 0.';
COMMENT ON COLUMN analytics.coverage_overall.computed_at IS 'When the pipeline computed this row (UTC).';
COMMENT ON COLUMN analytics.coverage_overall.linked_by_genius IS
    'Matches whose books were linked through the Genius Sports id only (a book lacked the SportRadar id).';
COMMENT ON COLUMN analytics.coverage_overall.catalogue_at_betpawa IS
    'When the BetPawa catalogue this row was computed from was last refreshed (its last successful scrape).';
COMMENT ON COLUMN analytics.coverage_overall.catalogue_stale_betpawa IS
    'The BetPawa catalogue was stale: older than twice the catalogue cadence, or its scrape failed in this run.';
COMMENT ON COLUMN analytics.coverage_overall.catalogue_at_sportybet IS
    'When the SportyBet catalogue this row was computed from was last refreshed (its last successful scrape).';
COMMENT ON COLUMN analytics.coverage_overall.catalogue_stale_sportybet IS
    'The SportyBet catalogue was stale: older than twice the catalogue cadence, or its scrape failed in this run.';
COMMENT ON COLUMN analytics.coverage_overall.catalogue_at_bet9ja IS
    'When the Bet9ja catalogue this row was computed from was last refreshed (its last successful scrape).';
COMMENT ON COLUMN analytics.coverage_overall.catalogue_stale_bet9ja IS
    'The Bet9ja catalogue was stale: older than twice the catalogue cadence, or its scrape failed in this run.';

CREATE VIEW analytics.events AS
 SELECT book,
    event_id,
    sr_id,
    home,
    away,
    kickoff,
    kickoff_date,
    tournament_id,
    tournament_name,
    country,
    sport,
    first_seen_at,
    last_seen_at,
    last_batch_id,
    genius_id,
    country_id,
    site_country
   FROM core.events
  WHERE (deleted_at IS NULL);
COMMENT ON VIEW analytics.events IS
    'Upcoming events each book currently lists (live rows of the catalogue; withdrawn events are excluded).';
COMMENT ON COLUMN analytics.events.book IS 'Book listing the event: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.events.event_id IS 'The book''s own event id, as the book uses it in requests.';
COMMENT ON COLUMN analytics.events.sr_id IS 'SportRadar match id the book gives; null when it gives none.';
COMMENT ON COLUMN analytics.events.home IS 'Home team or player as the book spells it.';
COMMENT ON COLUMN analytics.events.away IS 'Away team or player as the book spells it.';
COMMENT ON COLUMN analytics.events.kickoff IS 'Scheduled kick-off (timestamptz, shown in UTC).';
COMMENT ON COLUMN analytics.events.kickoff_date IS 'Kick-off date in UTC (derived from kickoff).';
COMMENT ON COLUMN analytics.events.tournament_id IS 'The book''s own tournament id.';
COMMENT ON COLUMN analytics.events.tournament_name IS 'Tournament name as the book gives it.';
COMMENT ON COLUMN analytics.events.country IS 'Country or region as the book names it; null when it gives none.';
COMMENT ON COLUMN analytics.events.sport IS 'Canonical sport key: football, basketball or tennis.';
COMMENT ON COLUMN analytics.events.first_seen_at IS 'When a scrape first saw the event listed (UTC).';
COMMENT ON COLUMN analytics.events.last_seen_at IS 'When a scrape last saw the event listed (UTC).';
COMMENT ON COLUMN analytics.events.last_batch_id IS
    'Scrape batch (Dagster run id) that last stored the event; see analytics.scrape_runs.';
COMMENT ON COLUMN analytics.events.genius_id IS
    'Genius Sports event id the book gives (BetPawa GENIUSSPORTS widget; SportyBet eventSource BET_GENIUS, seven '
    'leading 1s stripped); null when it gives none. Links a match where a book lacks the SR id.';
COMMENT ON COLUMN analytics.events.country_id IS
    'The book''s own id of the country (SportyBet sr:category:N, BetPawa region id, Bet9ja SG id); null when '
    'none.';
COMMENT ON COLUMN analytics.events.site_country IS
    'ISO 3166 code (lower case) of the country whose book site lists the event.';

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
    (betpawa.event_id IS NOT NULL) AS on_betpawa,
    (sportybet.event_id IS NOT NULL) AS on_sportybet,
    (bet9ja.event_id IS NOT NULL) AS on_bet9ja,
    (t.listed)::smallint AS book_count,
        CASE
            WHEN (NOT t.on_betpawa) THEN 'competitor_only'::text
            WHEN (t.listed = 1) THEN 'betpawa_only'::text
            ELSE 'matched'::text
        END AS status,
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
   FROM ((((analytics.matches m
     JOIN core.ng_three_book_matches t ON (((t.kickoff_date = m.kickoff_date) AND (t.match_key = m.match_key))))
     LEFT JOIN analytics.match_listings betpawa ON (((betpawa.kickoff_date = m.kickoff_date) AND (betpawa.site_country = m.site_country) AND (betpawa.match_key = m.match_key) AND (betpawa.book = 'betpawa'::text))))
     LEFT JOIN analytics.match_listings sportybet ON (((sportybet.kickoff_date = m.kickoff_date) AND (sportybet.site_country = m.site_country) AND (sportybet.match_key = m.match_key) AND (sportybet.book = 'sportybet'::text))))
     LEFT JOIN analytics.match_listings bet9ja ON (((bet9ja.kickoff_date = m.kickoff_date) AND (bet9ja.site_country = m.site_country) AND (bet9ja.match_key = m.match_key) AND (bet9ja.book = 'bet9ja'::text))))
  WHERE (m.site_country = 'ng'::text);
COMMENT ON VIEW analytics.matched_events IS
    'One row per match and kick-off date across BetPawa, SportyBet and Bet9ja. Events sharing a SportRadar id '
    'are one match; an event without one stands alone. Recomputed per kick-off date from the live catalogues. A '
    'view: Nigeria''s site (site_country ng) only, with its three books as columns, pivoted from '
    'analytics.matches and analytics.match_listings; other countries and books are read there.';
COMMENT ON COLUMN analytics.matched_events.kickoff_date IS
    'Kick-off date (UTC) of the match, taken from the book whose names are shown (name_source).';
COMMENT ON COLUMN analytics.matched_events.match_key IS
    'Stable key of the match: sr:<SportRadar id>, gs:<Genius Sports id> when only a Genius id links its books, '
    'or <book>:<event id> for an event nothing links.';
COMMENT ON COLUMN analytics.matched_events.sr_id IS
    'SportRadar match id any listing book gives (a book linked through the Genius id may lack it); null when '
    'none does.';
COMMENT ON COLUMN analytics.matched_events.kickoff IS
    'Kick-off time (timestamptz, shown in UTC) from name_source.';
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
    'matched (BetPawa and SportyBet or Bet9ja), betpawa_only, or competitor_only (SportyBet or Bet9ja, not '
    'BetPawa), counting these three books only.';
COMMENT ON COLUMN analytics.matched_events.computed_at IS 'When the pipeline computed this row (UTC).';
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
COMMENT ON COLUMN analytics.matched_events.country_iso IS
    'ISO 3166 code of the canonical country; null when none exists.';

CREATE VIEW analytics.odds_captures AS
 SELECT sr_id,
    book,
    captured_at,
    batch_id,
    status,
    reason,
    sent_at,
    received_at,
    open_outcomes,
    mapped_outcomes,
        CASE
            WHEN (open_outcomes > 0) THEN ((mapped_outcomes)::double precision / (open_outcomes)::double precision)
            ELSE NULL::double precision
        END AS mapping_rate,
    ((EXTRACT(epoch FROM (received_at - sent_at)))::double precision * (1000)::double precision) AS latency_ms,
    native_outcomes,
    (((mapped_outcomes - COALESCE(native_outcomes, 0)) - COALESCE(composed_outcomes, 0)) - COALESCE(canonical_outcomes, 0)) AS uof_outcomes,
    composed_outcomes,
    canonical_outcomes,
    set_aside_outcomes,
    suspect_outcomes,
    new_fields,
    site_country
   FROM core.odds_captures;
COMMENT ON VIEW analytics.odds_captures IS
    'One row per match, book and capture: whether the book''s event detail was read, and how much of it could be '
    'mapped to the canonical vocabulary.';
COMMENT ON COLUMN analytics.odds_captures.sr_id IS 'SportRadar match id: the key shared by the three books.';
COMMENT ON COLUMN analytics.odds_captures.book IS 'Book: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.odds_captures.captured_at IS
    'When the price was captured: the moment the request was sent (UTC).';
COMMENT ON COLUMN analytics.odds_captures.batch_id IS 'Scrape batch (Dagster run id) that made the capture.';
COMMENT ON COLUMN analytics.odds_captures.status IS
    'ok = prices read; not_listed = the book does not list the match (nothing requested); failed = the request '
    'or its parsing failed (see reason); gone = the book answered that the event no longer exists.';
COMMENT ON COLUMN analytics.odds_captures.reason IS 'Why a capture failed; null otherwise.';
COMMENT ON COLUMN analytics.odds_captures.sent_at IS
    'When the event request was sent (UTC); null when nothing was sent.';
COMMENT ON COLUMN analytics.odds_captures.received_at IS
    'When the answer was received (UTC); null when none came.';
COMMENT ON COLUMN analytics.odds_captures.open_outcomes IS 'Open outcomes in the book''s answer, mapped or not.';
COMMENT ON COLUMN analytics.odds_captures.mapped_outcomes IS 'Open outcomes that reached a canonical market key.';
COMMENT ON COLUMN analytics.odds_captures.mapping_rate IS
    'mapped_outcomes / open_outcomes; null when nothing was open.';
COMMENT ON COLUMN analytics.odds_captures.latency_ms IS 'received_at - sent_at in milliseconds.';
COMMENT ON COLUMN analytics.odds_captures.native_outcomes IS
    'Of mapped_outcomes, those keyed under a book-native market (SportyBet''s own families, ids from 60000), not '
    'a SportRadar UOF market: they compare with nothing on another book unless its table maps them.';
COMMENT ON COLUMN analytics.odds_captures.uof_outcomes IS
    'Of mapped_outcomes, those keyed under a SportRadar UOF market itself (neither book-native, a combination '
    'nor one of the grammar''s canonical keys).';
COMMENT ON COLUMN analytics.odds_captures.composed_outcomes IS
    'Of mapped_outcomes, those keyed as a combination of UOF outcomes (market 2000001 all-of, 2000002 any-of, '
    'legs in the specifier): comparable with any book selling the same combination.';
COMMENT ON COLUMN analytics.odds_captures.canonical_outcomes IS
    'Of mapped_outcomes, those keyed by the market grammar under a canonical key of its own because UOF has no '
    'such market (markets/grammar/canonical.py); null for captures stored before it was counted.';
COMMENT ON COLUMN analytics.odds_captures.set_aside_outcomes IS
    'Outcomes or markets of the answer set aside with a reason (an unreadable value, a line whose places in the '
    'payload do not agree); the reasons are in analytics.quarantined_rows. Null before it was counted.';
COMMENT ON COLUMN analytics.odds_captures.suspect_outcomes IS
    'Of mapped_outcomes, those in a market the single-book checks find impossible (core.market_suspects): kept, '
    'and left out of best price, rank and gap. Null before it was counted.';
COMMENT ON COLUMN analytics.odds_captures.new_fields IS
    'Payload fields (JSON paths, list positions as []) this capture showed for the first time on this book; '
    'empty when none, null when not looked at.';
COMMENT ON COLUMN analytics.odds_captures.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the capture read.';

CREATE VIEW analytics.odds_comparison AS
 SELECT c.kickoff_date,
    c.sr_id,
    c.market,
    c.specifier,
    c.outcome,
    c.market_name,
    c.outcome_name,
    bp.price AS price_betpawa,
    sb.price AS price_sportybet,
    b9.price AS price_bet9ja,
    f.prices[1] AS best_price,
    f.books[1] AS best_book,
    ((f.betpawa / f.prices[1]) - (1.0)::double precision) AS betpawa_gap,
        CASE
            WHEN (f.betpawa IS NOT NULL) THEN (( SELECT (1 + count(DISTINCT p.p))
               FROM unnest(f.prices) p(p)
              WHERE (p.p > f.betpawa)))::smallint
            ELSE NULL::smallint
        END AS betpawa_rank,
    (COALESCE(cardinality(f.prices), 0))::smallint AS books_offering,
    c.fair_price,
    c.fair_books,
    c.computed_at,
    bp.captured_at AS captured_at_betpawa,
    sb.captured_at AS captured_at_sportybet,
    b9.captured_at AS captured_at_bet9ja,
    bp.stale AS stale_betpawa,
    sb.stale AS stale_sportybet,
    b9.stale AS stale_bet9ja,
    bp.suspect AS suspect_betpawa,
    sb.suspect AS suspect_sportybet,
    b9.suspect AS suspect_bet9ja
   FROM ((((analytics.outcome_comparison c
     LEFT JOIN analytics.outcome_prices bp ON (((bp.kickoff_date = c.kickoff_date) AND (bp.site_country = c.site_country) AND (bp.sr_id = c.sr_id) AND (bp.market = c.market) AND (bp.specifier = c.specifier) AND (bp.outcome = c.outcome) AND (bp.book = 'betpawa'::text))))
     LEFT JOIN analytics.outcome_prices sb ON (((sb.kickoff_date = c.kickoff_date) AND (sb.site_country = c.site_country) AND (sb.sr_id = c.sr_id) AND (sb.market = c.market) AND (sb.specifier = c.specifier) AND (sb.outcome = c.outcome) AND (sb.book = 'sportybet'::text))))
     LEFT JOIN analytics.outcome_prices b9 ON (((b9.kickoff_date = c.kickoff_date) AND (b9.site_country = c.site_country) AND (b9.sr_id = c.sr_id) AND (b9.market = c.market) AND (b9.specifier = c.specifier) AND (b9.outcome = c.outcome) AND (b9.book = 'bet9ja'::text))))
     CROSS JOIN LATERAL ( SELECT array_agg(v.price ORDER BY v.price DESC, v.place) AS prices,
            array_agg(v.book ORDER BY v.price DESC, v.place) AS books,
            max(v.price) FILTER (WHERE (v.book = 'betpawa'::text)) AS betpawa
           FROM ( VALUES (1,'betpawa'::text,bp.price,bp.stale,bp.suspect), (2,'sportybet'::text,sb.price,sb.stale,sb.suspect), (3,'bet9ja'::text,b9.price,b9.stale,b9.suspect)) v(place, book, price, stale, suspect)
          WHERE ((v.price IS NOT NULL) AND (NOT COALESCE(v.stale, false)) AND (NOT COALESCE(v.suspect, false)))) f)
  WHERE ((c.site_country = 'ng'::text) AND ((bp.book IS NOT NULL) OR (sb.book IS NOT NULL) OR (b9.book IS NOT NULL)));
COMMENT ON VIEW analytics.odds_comparison IS
    'Nigeria''s comparison side by side (BetPawa, SportyBet, Bet9ja): analytics.outcome_comparison with each '
    'book''s row of analytics.outcome_prices as columns. Only open prices count: a suspended outcome has no '
    'price here.';
COMMENT ON COLUMN analytics.odds_comparison.kickoff_date IS
    'Kick-off date (UTC) of the match; the partition key of the comparison tables.';
COMMENT ON COLUMN analytics.odds_comparison.sr_id IS 'SportRadar match id: the key shared by the three books.';
COMMENT ON COLUMN analytics.odds_comparison.market IS
    'Canonical market id (SportRadar UOF), e.g. 1 = 1X2, 18 = total goals.';
COMMENT ON COLUMN analytics.odds_comparison.specifier IS
    'Normalised market line, e.g. total=2.5 or hcp=-0.5; empty when the market has none.';
COMMENT ON COLUMN analytics.odds_comparison.outcome IS
    'Canonical outcome id (SportRadar UOF), e.g. 1 home, 2 draw, 3 away, 12 over, 13 under.';
COMMENT ON COLUMN analytics.odds_comparison.market_name IS
    'Readable market name from the canonical vocabulary; null for an unknown market.';
COMMENT ON COLUMN analytics.odds_comparison.outcome_name IS
    'Readable outcome name from the canonical vocabulary; null when not described.';
COMMENT ON COLUMN analytics.odds_comparison.price_betpawa IS
    'BetPawa''s open price; null when it lacks the outcome or has it suspended.';
COMMENT ON COLUMN analytics.odds_comparison.price_sportybet IS
    'SportyBet''s open price; null when it lacks the outcome or has it suspended.';
COMMENT ON COLUMN analytics.odds_comparison.price_bet9ja IS
    'Bet9ja''s open price; null when it lacks the outcome or has it suspended.';
COMMENT ON COLUMN analytics.odds_comparison.best_price IS
    'Highest open price among the books; null when no book has an open price.';
COMMENT ON COLUMN analytics.odds_comparison.best_book IS
    'Book with the best price; on a tie BetPawa, then SportyBet, then Bet9ja.';
COMMENT ON COLUMN analytics.odds_comparison.betpawa_gap IS
    'price_betpawa / best_price - 1: 0 when BetPawa is best, negative when beaten (-0.05 = 5 percent worse); '
    'null when BetPawa has no open price.';
COMMENT ON COLUMN analytics.odds_comparison.betpawa_rank IS
    'Rank of BetPawa''s price among the open prices (1 = best, ties share a rank); null when BetPawa has no open '
    'price.';
COMMENT ON COLUMN analytics.odds_comparison.books_offering IS
    'How many books have an open price for the outcome.';
COMMENT ON COLUMN analytics.odds_comparison.fair_price IS
    'Consensus fair odds: margin removed by the power method per book, probabilities averaged over the books '
    'pricing the whole market (every book read in Nigeria, not only the three here); null when none does.';
COMMENT ON COLUMN analytics.odds_comparison.fair_books IS
    'How many books the fair price rests on (every book read in Nigeria, not only the three here).';
COMMENT ON COLUMN analytics.odds_comparison.computed_at IS 'When the pipeline computed this row (UTC).';
COMMENT ON COLUMN analytics.odds_comparison.captured_at_betpawa IS
    'When BetPawa last confirmed price_betpawa (null when it has no open price for this outcome).';
COMMENT ON COLUMN analytics.odds_comparison.captured_at_sportybet IS
    'When SportyBet last confirmed price_sportybet (null when it has no open price for this outcome).';
COMMENT ON COLUMN analytics.odds_comparison.captured_at_bet9ja IS
    'When Bet9ja last confirmed price_bet9ja (null when it has no open price for this outcome).';
COMMENT ON COLUMN analytics.odds_comparison.stale_betpawa IS
    'True when price_betpawa is stale: older than its freshness bound or older than a failed capture. A stale '
    'price is shown but takes no part in best_price, betpawa_rank, betpawa_gap or fair_price.';
COMMENT ON COLUMN analytics.odds_comparison.stale_sportybet IS
    'True when price_sportybet is stale (see stale_betpawa); it then takes no part in the comparison.';
COMMENT ON COLUMN analytics.odds_comparison.stale_bet9ja IS
    'True when price_bet9ja is stale (see stale_betpawa); it then takes no part in the comparison.';
COMMENT ON COLUMN analytics.odds_comparison.suspect_betpawa IS
    'True when BetPawa''s market is in analytics.suspect_markets: its price is shown but takes no part in '
    'best_price, betpawa_rank, betpawa_gap or fair_price.';
COMMENT ON COLUMN analytics.odds_comparison.suspect_sportybet IS
    'True when SportyBet''s market is in analytics.suspect_markets (see suspect_betpawa).';
COMMENT ON COLUMN analytics.odds_comparison.suspect_bet9ja IS
    'True when Bet9ja''s market is in analytics.suspect_markets (see suspect_betpawa).';

CREATE VIEW core.odds_current AS
 SELECT p.sr_id,
        CASE
            WHEN (p.state = 'closed'::text) THEN p.changed_at
            ELSE GREATEST(c.captured_at, p.changed_at)
        END AS captured_at,
    p.changed_at,
    p.price,
    p.market,
    p.outcome,
    p.book,
    p.specifier,
    p.state,
    p.site_country
   FROM (core.odds_current_prices p
     LEFT JOIN core.odds_confirmed c USING (sr_id, book, site_country));
COMMENT ON VIEW core.odds_current IS
    'Latest price and state of every outcome ever seen, with captured_at = the last capture that confirmed it '
    '(for a closed outcome, the capture that closed it).';
COMMENT ON COLUMN core.odds_current.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the price was read from.';

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
   FROM (core.odds_current o
     LEFT JOIN LATERAL ( SELECT me.kickoff_date,
            me.kickoff,
            me.sport,
            me.country,
            me.tournament,
            me.home,
            me.away
           FROM analytics.matches me
          WHERE ((me.sr_id = o.sr_id) AND (me.site_country = 'ng'::text))
          ORDER BY me.computed_at DESC, me.kickoff_date DESC
         LIMIT 1) m ON (true))
  WHERE (o.state <> 'closed'::text);
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
COMMENT ON COLUMN analytics.odds_current.state IS 'open = can be bet on; suspended = shown but not bettable.';
COMMENT ON COLUMN analytics.odds_current.captured_at IS
    'When the price was last confirmed: the moment the request of the book''s latest successful capture of the '
    'match was sent (UTC).';
COMMENT ON COLUMN analytics.odds_current.changed_at IS
    'When the price or state last changed (UTC); captured_at - changed_at is how long it has held.';

CREATE VIEW core.odds_history AS
 SELECT c.captured_at,
    c.sr_id,
        CASE
            WHEN (u.code > 0) THEN ((u.code)::double precision / (1000)::double precision)
            WHEN (u.code < '-1'::integer) THEN ((- (u.code)::double precision) / (1000)::double precision)
            ELSE NULL::double precision
        END AS price,
    k.market,
    k.outcome,
    b.book,
    k.specifier,
        CASE
            WHEN (u.code > 0) THEN 'open'::text
            WHEN (u.code = 0) THEN 'closed'::text
            ELSE 'suspended'::text
        END AS state,
    c.site_country
   FROM (((core.odds_changes c
     JOIN core.books b ON ((b.history_code = c.book)))
     CROSS JOIN LATERAL UNNEST(c.key_ids, c.codes) u(key_id, code))
     JOIN core.market_keys k ON ((k.key_id = u.key_id)));
COMMENT ON VIEW core.odds_history IS
    'core.odds_changes decoded: one row per price change, in the columns of the former table.';
COMMENT ON COLUMN core.odds_history.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the change was read from.';

CREATE VIEW analytics.odds_history AS
 SELECT sr_id,
    book,
    market,
    specifier,
    outcome,
    price,
    state,
    captured_at,
    site_country
   FROM core.odds_history;
COMMENT ON VIEW analytics.odds_history IS
    'Price changes: one row each time an outcome''s price or state changed (opened, moved, suspended, closed). '
    'The price at any moment is the latest row at or before it; nothing is written while it holds.';
COMMENT ON COLUMN analytics.odds_history.sr_id IS 'SportRadar match id: the key shared by the books.';
COMMENT ON COLUMN analytics.odds_history.book IS 'The bookmaker (core.books): betpawa, sportybet, bet9ja, ...';
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
COMMENT ON COLUMN analytics.odds_history.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the change was read from.';

CREATE VIEW analytics.quarantined_rows AS
 SELECT recorded_at,
    batch_id,
    stage,
    book,
    kind,
    sr_id,
    event_id,
    reason,
    excerpt,
    site_country
   FROM core.quarantined_rows;
COMMENT ON VIEW analytics.quarantined_rows IS
    'Values a scrape could not store as they were, one row each: stage (catalogue or odds), book, kind '
    '(nul_removed: the row was kept without its NUL; bad_number: the tournament was kept without its event '
    'count; bad_id, too_long, conflicting_duplicate, sr_id_listed_twice, bad_price, bad_state, bad_specifier: '
    'the row or event was set aside), the reason naming what and where, and an excerpt.';
COMMENT ON COLUMN analytics.quarantined_rows.recorded_at IS 'When the item was set aside.';
COMMENT ON COLUMN analytics.quarantined_rows.batch_id IS 'The run (Dagster run id) whose scrape met the value.';
COMMENT ON COLUMN analytics.quarantined_rows.stage IS 'catalogue (a listing) or odds (a price row).';
COMMENT ON COLUMN analytics.quarantined_rows.book IS 'The book that sent the value.';
COMMENT ON COLUMN analytics.quarantined_rows.kind IS
    'nul_removed (kept, NUL removed), bad_number (tournament kept without its event count); set aside: bad_id '
    '(an id over its length, with control characters, or a number past its column), too_long, '
    'conflicting_duplicate, sr_id_listed_twice, bad_price, bad_state, bad_specifier.';
COMMENT ON COLUMN analytics.quarantined_rows.sr_id IS 'The SportRadar match id, when known.';
COMMENT ON COLUMN analytics.quarantined_rows.event_id IS 'The book''s event (or tournament) id, when known.';
COMMENT ON COLUMN analytics.quarantined_rows.reason IS 'What was wrong and where, in words.';
COMMENT ON COLUMN analytics.quarantined_rows.excerpt IS
    'The offending value, at most 200 characters, control characters escaped.';
COMMENT ON COLUMN analytics.quarantined_rows.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the row came from.';

CREATE VIEW analytics.run_failures AS
 SELECT run_id,
    job_name,
    failed_at,
    error_message,
    step_keys,
    step_errors,
    partition_start,
    partition_end,
    partition_key,
    trigger
   FROM core.run_failures;
COMMENT ON VIEW analytics.run_failures IS 'Failed Dagster runs, recorded by the run-failure sensor.';
COMMENT ON COLUMN analytics.run_failures.run_id IS 'Dagster run id.';
COMMENT ON COLUMN analytics.run_failures.job_name IS
    'Job the run executed (palimpsest_comparison, capture_odds, ...).';
COMMENT ON COLUMN analytics.run_failures.failed_at IS 'When Dagster recorded the run failure (UTC).';
COMMENT ON COLUMN analytics.run_failures.error_message IS 'Dagster''s run failure message.';
COMMENT ON COLUMN analytics.run_failures.step_keys IS
    'Steps (ops) that failed; empty when the run failed outside a step.';
COMMENT ON COLUMN analytics.run_failures.step_errors IS
    'Each failed step''s error message, as a JSON object by step key.';
COMMENT ON COLUMN analytics.run_failures.partition_start IS
    'First kick-off date of the run''s range (range runs).';
COMMENT ON COLUMN analytics.run_failures.partition_end IS 'Last kick-off date of the run''s range (range runs).';
COMMENT ON COLUMN analytics.run_failures.partition_key IS
    'The run''s single partition key (single-partition runs).';
COMMENT ON COLUMN analytics.run_failures.trigger IS
    'What started the run: manual, schedule:<name>, sensor:<name> or backfill:<id>.';

CREATE VIEW analytics.scrape_metrics AS
 SELECT run_id,
    book,
    kind,
    status,
    started_at,
    finished_at,
    (EXTRACT(epoch FROM (finished_at - started_at)))::double precision AS duration_s,
    requests,
    attempts,
    failed_requests,
    throttled,
    errors,
        CASE
            WHEN (attempts > 0) THEN (((attempts - requests))::double precision / (attempts)::double precision)
            ELSE NULL::double precision
        END AS retry_share,
        CASE
            WHEN (requests > 0) THEN ((failed_requests)::double precision / (requests)::double precision)
            ELSE NULL::double precision
        END AS failure_rate,
        CASE
            WHEN (attempts > 0) THEN ((throttled)::double precision / (attempts)::double precision)
            ELSE NULL::double precision
        END AS throttle_rate,
    latency_p50_ms,
    latency_p95_ms,
    latency_p99_ms,
    bytes_received,
    site_country
   FROM core.scrape_metrics;
COMMENT ON VIEW analytics.scrape_metrics IS
    'One row per Dagster run, site country, book and kind of scrape: requests, errors by kind, throttling, '
    'latency, bytes.';
COMMENT ON COLUMN analytics.scrape_metrics.run_id IS 'Dagster run id (the batch id of the stored data).';
COMMENT ON COLUMN analytics.scrape_metrics.book IS 'Book scraped: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.scrape_metrics.kind IS
    'catalogue = tournament and event lists; odds = event detail requests of an odds capture.';
COMMENT ON COLUMN analytics.scrape_metrics.status IS
    'ok = nothing failed; partial = some requests failed; failed = the book gave nothing usable.';
COMMENT ON COLUMN analytics.scrape_metrics.started_at IS 'When the book''s scrape started (UTC).';
COMMENT ON COLUMN analytics.scrape_metrics.finished_at IS 'When the book''s scrape finished (UTC).';
COMMENT ON COLUMN analytics.scrape_metrics.duration_s IS 'finished_at - started_at, in seconds.';
COMMENT ON COLUMN analytics.scrape_metrics.requests IS
    'Logical requests (one per URL asked for, retries not counted).';
COMMENT ON COLUMN analytics.scrape_metrics.attempts IS 'HTTP attempts, retries included.';
COMMENT ON COLUMN analytics.scrape_metrics.failed_requests IS 'Logical requests that failed after every retry.';
COMMENT ON COLUMN analytics.scrape_metrics.throttled IS
    'Attempts the book answered with throttling (429 or its envelope).';
COMMENT ON COLUMN analytics.scrape_metrics.errors IS
    'Failed attempts by kind, as a JSON object (status_503, timeout, dropped, not_json, parse_..., ...).';
COMMENT ON COLUMN analytics.scrape_metrics.retry_share IS
    'Share of attempts that were retries; null without attempts.';
COMMENT ON COLUMN analytics.scrape_metrics.failure_rate IS 'failed_requests / requests; null without requests.';
COMMENT ON COLUMN analytics.scrape_metrics.throttle_rate IS 'throttled / attempts; null without attempts.';
COMMENT ON COLUMN analytics.scrape_metrics.latency_p50_ms IS 'Median attempt latency in milliseconds.';
COMMENT ON COLUMN analytics.scrape_metrics.latency_p95_ms IS '95th percentile attempt latency in milliseconds.';
COMMENT ON COLUMN analytics.scrape_metrics.latency_p99_ms IS
    '99th percentile attempt latency in milliseconds; null where the scrape does not measure it.';
COMMENT ON COLUMN analytics.scrape_metrics.bytes_received IS
    'Response bytes received; null where the scrape does not measure it.';
COMMENT ON COLUMN analytics.scrape_metrics.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the run read.';

CREATE VIEW analytics.scrape_runs AS
 SELECT r.batch_id,
    b.trigger,
    b.status AS batch_status,
    b.partition_start,
    b.partition_end,
    r.book,
    r.status,
    r.complete,
    r.tournaments,
    r.events,
    r.requests,
    r.errors,
    r.error_messages,
    r.started_at,
    r.finished_at,
    r.duration_s,
    r.site_country
   FROM (core.book_runs r
     JOIN core.scrape_batches b USING (batch_id, site_country));
COMMENT ON VIEW analytics.scrape_runs IS
    'One row per book, site country and scrape batch: how each book''s catalogue scrape of one country''s site '
    'went (a batch that read several countries has a row per country and book).';
COMMENT ON COLUMN analytics.scrape_runs.batch_id IS
    'Scrape batch id: the Dagster run id (or a uuid outside Dagster).';
COMMENT ON COLUMN analytics.scrape_runs.trigger IS
    'What started the batch: manual, schedule:<name>, sensor:<name> or backfill:<id>.';
COMMENT ON COLUMN analytics.scrape_runs.batch_status IS
    'Status of the batch in this site country: running, ok (every book ok), partial or failed (every book '
    'failed).';
COMMENT ON COLUMN analytics.scrape_runs.partition_start IS 'First kick-off date the batch covered.';
COMMENT ON COLUMN analytics.scrape_runs.partition_end IS 'Last kick-off date the batch covered (inclusive).';
COMMENT ON COLUMN analytics.scrape_runs.book IS 'Book scraped: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.scrape_runs.status IS
    'ok = everything read; partial = some requests failed; failed = the book gave nothing usable.';
COMMENT ON COLUMN analytics.scrape_runs.complete IS
    'Whether every page of every list was read; only then are unlisted events marked withdrawn.';
COMMENT ON COLUMN analytics.scrape_runs.tournaments IS 'Tournaments the scrape found.';
COMMENT ON COLUMN analytics.scrape_runs.events IS 'Events the scrape found (after de-duplication).';
COMMENT ON COLUMN analytics.scrape_runs.requests IS 'HTTP requests made, retries included.';
COMMENT ON COLUMN analytics.scrape_runs.errors IS
    'Errors by kind, a JSON object such as {"http_429": 3, "timeout": 1}.';
COMMENT ON COLUMN analytics.scrape_runs.error_messages IS 'The first error messages, a JSON array of strings.';
COMMENT ON COLUMN analytics.scrape_runs.started_at IS 'When the book''s scrape started (UTC).';
COMMENT ON COLUMN analytics.scrape_runs.finished_at IS 'When the book''s scrape finished (UTC).';
COMMENT ON COLUMN analytics.scrape_runs.duration_s IS 'finished_at - started_at, in seconds.';
COMMENT ON COLUMN analytics.scrape_runs.site_country IS
    'ISO 3166 code (lower case) of the country whose book site the run read.';

CREATE VIEW analytics.stale_vs_market AS
 SELECT s.kickoff_date,
    s.sr_id,
    s.sport,
    s.country,
    s.tournament,
    s.market,
    s.market_name,
    s.specifier,
    s.outcome,
    s.price_betpawa,
    s.betpawa_since,
    s.direction,
    ARRAY( SELECT b.b
           FROM unnest(s.moved_books) b(b)
          WHERE (b.b = ANY (ARRAY['sportybet'::text, 'bet9ja'::text]))
          ORDER BY b.b) AS moved_books,
    s.first_moved_at,
    sb.price_then AS sportybet_price_then,
    sb.price AS sportybet_price,
    b9.price_then AS bet9ja_price_then,
    b9.price AS bet9ja_price,
    s.computed_at
   FROM ((analytics.stale_outcomes s
     LEFT JOIN analytics.stale_outcome_prices sb ON (((sb.kickoff_date = s.kickoff_date) AND (sb.site_country = s.site_country) AND (sb.sr_id = s.sr_id) AND (sb.market = s.market) AND (sb.specifier = s.specifier) AND (sb.outcome = s.outcome) AND (sb.book = 'sportybet'::text))))
     LEFT JOIN analytics.stale_outcome_prices b9 ON (((b9.kickoff_date = s.kickoff_date) AND (b9.site_country = s.site_country) AND (b9.sr_id = s.sr_id) AND (b9.market = s.market) AND (b9.specifier = s.specifier) AND (b9.outcome = s.outcome) AND (b9.book = 'bet9ja'::text))))
  WHERE ((s.site_country = 'ng'::text) AND (s.moved_books @> ARRAY['sportybet'::text, 'bet9ja'::text]));
COMMENT ON VIEW analytics.stale_vs_market IS
    'Nigeria''s BetPawa prices left behind by the market (analytics.stale_outcomes), with SportyBet''s and '
    'Bet9ja''s prices then and now (analytics.stale_outcome_prices) as columns.';
COMMENT ON COLUMN analytics.stale_vs_market.kickoff_date IS 'Kick-off date (UTC): the partition key.';
COMMENT ON COLUMN analytics.stale_vs_market.sr_id IS 'SportRadar match id.';
COMMENT ON COLUMN analytics.stale_vs_market.sport IS 'Sport.';
COMMENT ON COLUMN analytics.stale_vs_market.country IS 'Canonical country ('''' when unknown).';
COMMENT ON COLUMN analytics.stale_vs_market.tournament IS 'Canonical tournament ('''' when unplaced).';
COMMENT ON COLUMN analytics.stale_vs_market.market IS 'Canonical (SportRadar UOF) main market id.';
COMMENT ON COLUMN analytics.stale_vs_market.market_name IS 'The market''s canonical name.';
COMMENT ON COLUMN analytics.stale_vs_market.specifier IS
    'Normalised specifier (total=2.5, hcp=-1; empty if none).';
COMMENT ON COLUMN analytics.stale_vs_market.outcome IS 'Canonical (UOF) outcome id.';
COMMENT ON COLUMN analytics.stale_vs_market.price_betpawa IS 'BetPawa''s current (unchanged) price.';
COMMENT ON COLUMN analytics.stale_vs_market.betpawa_since IS 'The capture at which BetPawa last changed it.';
COMMENT ON COLUMN analytics.stale_vs_market.direction IS 'How the competitors moved: up (longer odds) or down.';
COMMENT ON COLUMN analytics.stale_vs_market.moved_books IS 'The competitors that moved that way since.';
COMMENT ON COLUMN analytics.stale_vs_market.first_moved_at IS
    'When the first competitor moved (any book read in Nigeria, MSport and Betway included).';
COMMENT ON COLUMN analytics.stale_vs_market.sportybet_price_then IS 'SportyBet''s price at betpawa_since.';
COMMENT ON COLUMN analytics.stale_vs_market.sportybet_price IS 'SportyBet''s price now (when it moved that way).';
COMMENT ON COLUMN analytics.stale_vs_market.bet9ja_price_then IS 'Bet9ja''s price at betpawa_since.';
COMMENT ON COLUMN analytics.stale_vs_market.bet9ja_price IS 'Bet9ja''s price now (when it moved that way).';
COMMENT ON COLUMN analytics.stale_vs_market.computed_at IS 'When the list was computed.';

CREATE VIEW analytics.tournaments AS
 SELECT book,
    tournament_id,
    name,
    country,
    sport,
    event_count,
    first_seen_at,
    last_seen_at,
    country_id,
    site_country
   FROM core.tournaments
  WHERE (deleted_at IS NULL);
COMMENT ON VIEW analytics.tournaments IS 'Tournaments each book currently lists (withdrawn ones excluded).';
COMMENT ON COLUMN analytics.tournaments.book IS 'Book listing the tournament: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.tournaments.tournament_id IS 'The book''s own tournament id.';
COMMENT ON COLUMN analytics.tournaments.name IS 'Tournament name as the book gives it.';
COMMENT ON COLUMN analytics.tournaments.country IS
    'Country or region as the book names it; null when it gives none.';
COMMENT ON COLUMN analytics.tournaments.sport IS 'Canonical sport key: football, basketball or tennis.';
COMMENT ON COLUMN analytics.tournaments.event_count IS
    'Upcoming events the book''s own catalogue claims for the tournament; null when it does not say.';
COMMENT ON COLUMN analytics.tournaments.first_seen_at IS 'When a scrape first saw the tournament (UTC).';
COMMENT ON COLUMN analytics.tournaments.last_seen_at IS 'When a scrape last saw the tournament (UTC).';
COMMENT ON COLUMN analytics.tournaments.country_id IS
    'The book''s own id of the country (SportyBet sr:category:N, BetPawa region id, Bet9ja SG id); null when '
    'none.';
COMMENT ON COLUMN analytics.tournaments.site_country IS
    'ISO 3166 code (lower case) of the country whose book site lists the tournament.';

CREATE VIEW analytics.unmapped_markets AS
 SELECT batch_id,
    book,
    market_key,
    outcomes,
    recorded_at,
    site_country
   FROM core.unmapped_markets;
COMMENT ON VIEW analytics.unmapped_markets IS
    'Book markets the pipeline could not map to the canonical vocabulary, with how many open outcomes they '
    'carried, per scrape batch: nothing is dropped silently.';
COMMENT ON COLUMN analytics.unmapped_markets.batch_id IS 'Scrape batch (Dagster run id) that made the capture.';
COMMENT ON COLUMN analytics.unmapped_markets.book IS 'Book: betpawa, sportybet or bet9ja.';
COMMENT ON COLUMN analytics.unmapped_markets.market_key IS 'The book''s own market key that could not be mapped.';
COMMENT ON COLUMN analytics.unmapped_markets.outcomes IS
    'Open outcomes of that market the batch saw, summed over its events.';
COMMENT ON COLUMN analytics.unmapped_markets.recorded_at IS 'When the pipeline recorded the row (UTC).';
COMMENT ON COLUMN analytics.unmapped_markets.site_country IS
    'ISO 3166 code (lower case) of the country whose book site offered the market.';

-- Foreign keys --------------------------------------------------------------------------------------------------
ALTER TABLE analytics.alert_deliveries
    ADD CONSTRAINT alert_deliveries_alert_id_fkey FOREIGN KEY (alert_id) REFERENCES analytics.alerts(alert_id) ON DELETE CASCADE;
ALTER TABLE analytics.alerts
    ADD CONSTRAINT alerts_suppressed_by_fkey FOREIGN KEY (suppressed_by) REFERENCES analytics.alerts(alert_id);
ALTER TABLE analytics.catalogue_changes
    ADD CONSTRAINT catalogue_changes_book_known FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE analytics.country_crosswalk
    ADD CONSTRAINT country_crosswalk_book_known FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE analytics.coverage
    ADD CONSTRAINT coverage_book_fkey FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE analytics.listing_lead_time
    ADD CONSTRAINT listing_lead_time_book_known FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE analytics.live_suspension
    ADD CONSTRAINT live_suspension_book_known FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE analytics.match_listings
    ADD CONSTRAINT match_listings_book_fkey FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE analytics.match_listings
    ADD CONSTRAINT match_listings_kickoff_date_site_country_match_key_fkey FOREIGN KEY (kickoff_date, site_country, match_key) REFERENCES analytics.matches(kickoff_date, site_country, match_key) ON DELETE CASCADE;
ALTER TABLE analytics.matches
    ADD CONSTRAINT matches_name_source_fkey FOREIGN KEY (name_source) REFERENCES core.books(book);
ALTER TABLE analytics.tournament_crosswalk
    ADD CONSTRAINT tournament_crosswalk_book_known FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE core.archive_dictionaries
    ADD CONSTRAINT archive_dictionaries_book_known FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE core.archive_events
    ADD CONSTRAINT archive_events_book_known FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE core.book_runs
    ADD CONSTRAINT book_runs_batch_fkey FOREIGN KEY (batch_id, site_country) REFERENCES core.scrape_batches(batch_id, site_country) ON DELETE CASCADE;
ALTER TABLE core.book_runs
    ADD CONSTRAINT book_runs_book_known FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE core.events
    ADD CONSTRAINT events_book_known FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE core.events
    ADD CONSTRAINT events_last_batch_fkey FOREIGN KEY (last_batch_id, site_country) REFERENCES core.scrape_batches(batch_id, site_country) ON DELETE SET NULL (last_batch_id);
ALTER TABLE core.odds_captures
    ADD CONSTRAINT odds_captures_book_known FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE core.odds_changes
    ADD CONSTRAINT odds_changes_book_known FOREIGN KEY (book) REFERENCES core.books(history_code);
ALTER TABLE core.odds_confirmed
    ADD CONSTRAINT odds_confirmed_book_known FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE core.odds_current_prices
    ADD CONSTRAINT odds_current_book_known FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE core.quarantine
    ADD CONSTRAINT quarantine_batch_fkey FOREIGN KEY (batch_id, site_country) REFERENCES core.scrape_batches(batch_id, site_country) ON DELETE CASCADE;
ALTER TABLE core.quarantine
    ADD CONSTRAINT quarantine_book_known FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE core.quarantined_rows
    ADD CONSTRAINT quarantined_rows_book_known FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE core.raw_archive
    ADD CONSTRAINT raw_archive_book_known FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE core.scrape_metrics
    ADD CONSTRAINT scrape_metrics_book_known FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE core.tournaments
    ADD CONSTRAINT tournaments_book_known FOREIGN KEY (book) REFERENCES core.books(book);
ALTER TABLE core.unmapped_markets
    ADD CONSTRAINT unmapped_markets_book_known FOREIGN KEY (book) REFERENCES core.books(book);
