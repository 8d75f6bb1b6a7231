-- Core schema: what the pipeline records about its scrapes, and the books' catalogues.
-- Pipeline-internal: analysts read it through the analytics views (0003), never directly.
-- Written to be re-runnable (IF NOT EXISTS): yoyo commits a migration before it marks it applied.

CREATE SCHEMA IF NOT EXISTS core;
CREATE SCHEMA IF NOT EXISTS analytics;

CREATE TABLE IF NOT EXISTS core.scrape_batches (
    batch_id        text PRIMARY KEY CHECK (batch_id <> ''),
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    status          text NOT NULL DEFAULT 'running'
                    CHECK (status IN ('running', 'ok', 'partial', 'failed')),
    trigger         text NOT NULL DEFAULT 'manual',
    partition_start date,
    partition_end   date,
    CHECK (finished_at IS NULL OR finished_at >= started_at),
    CHECK (partition_end IS NULL OR partition_start IS NULL OR partition_end >= partition_start)
);

CREATE TABLE IF NOT EXISTS core.book_runs (
    batch_id       text NOT NULL REFERENCES core.scrape_batches (batch_id) ON DELETE CASCADE,
    book           text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    status         text NOT NULL CHECK (status IN ('ok', 'partial', 'failed')),
    complete       boolean NOT NULL,
    tournaments    integer NOT NULL DEFAULT 0 CHECK (tournaments >= 0),
    events         integer NOT NULL DEFAULT 0 CHECK (events >= 0),
    requests       integer NOT NULL DEFAULT 0 CHECK (requests >= 0),
    errors         jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(errors) = 'object'),
    error_messages jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(error_messages) = 'array'),
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz NOT NULL,
    duration_s     double precision GENERATED ALWAYS AS
                   (EXTRACT(EPOCH FROM (finished_at - started_at))::double precision) STORED,
    PRIMARY KEY (batch_id, book),
    CHECK (finished_at >= started_at)
);

CREATE TABLE IF NOT EXISTS core.quarantine (
    id          bigserial PRIMARY KEY,
    batch_id    text REFERENCES core.scrape_batches (batch_id) ON DELETE CASCADE,
    book        text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    url         text NOT NULL,
    reason      text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    body        bytea NOT NULL,
    body_bytes  integer NOT NULL CHECK (body_bytes >= 0)
);
CREATE INDEX IF NOT EXISTS quarantine_batch_idx ON core.quarantine (batch_id);
CREATE INDEX IF NOT EXISTS quarantine_received_idx ON core.quarantine (received_at);

CREATE TABLE IF NOT EXISTS core.tournaments (
    book          text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    tournament_id text NOT NULL CHECK (tournament_id <> ''),
    name          text NOT NULL,
    country       text,
    sport         text NOT NULL,
    event_count   integer CHECK (event_count >= 0),
    first_seen_at timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    deleted_at    timestamptz,
    PRIMARY KEY (book, tournament_id),
    CHECK (last_seen_at >= first_seen_at)
);

CREATE TABLE IF NOT EXISTS core.events (
    book            text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    event_id        text NOT NULL CHECK (event_id <> ''),
    sr_id           bigint CHECK (sr_id > 0),
    home            text NOT NULL,
    away            text NOT NULL,
    kickoff         timestamptz NOT NULL,
    kickoff_date    date GENERATED ALWAYS AS ((kickoff AT TIME ZONE 'UTC')::date) STORED,
    tournament_id   text NOT NULL,
    tournament_name text NOT NULL,
    country         text,
    sport           text NOT NULL,
    first_seen_at   timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    deleted_at      timestamptz,
    last_batch_id   text REFERENCES core.scrape_batches (batch_id) ON DELETE SET NULL,
    PRIMARY KEY (book, event_id),
    CHECK (last_seen_at >= first_seen_at)
);
CREATE INDEX IF NOT EXISTS events_kickoff_date_book_idx ON core.events (kickoff_date, book);
-- A SportRadar id names one match: a book may list it under at most one live event. When a book re-lists a
-- match under a new event id, the store soft-deletes the old event before inserting the new one.
CREATE UNIQUE INDEX IF NOT EXISTS events_live_sr_id_per_book_uidx ON core.events (book, sr_id)
    WHERE sr_id IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX IF NOT EXISTS events_sr_id_idx ON core.events (sr_id) WHERE sr_id IS NOT NULL;
