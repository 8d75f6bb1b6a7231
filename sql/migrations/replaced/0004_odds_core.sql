-- Odds storage and the raw-response archive (pipeline-internal, schema core).
--
-- Sizes drive the design: a day of captures is millions of prices but only a few percent of them change, so
-- prices are kept as change-only history + one current row per outcome; raw bodies are 0.1-2 MB each, kept
-- zstd-compressed (with per-book dictionaries) for a bounded number of days so a past partition can be
-- re-derived without asking the books again.
--
-- The day partitions of the partitioned tables are created on demand by the writers
-- (palimpsest_pipeline/warehouse/partitions.py), named <table>_pYYYYMMDD, bounds [day 00:00Z, next day 00:00Z).
-- No default partition: a row outside every partition is a writer bug and must fail loudly, and a default
-- partition would have to be scanned each time a new day is attached.
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0001_core

-- ------------------------------------------------------------------------------------------ raw archive

-- Dictionaries shrink small, similarly shaped JSON bodies by a further ~30-60 percent; a body compressed with
-- one can only be read back with it, so a dictionary row lives as long as any body references it.
CREATE TABLE IF NOT EXISTS core.archive_dictionaries (
    dict_id     integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    book        text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    kind        text NOT NULL CHECK (kind IN ('catalogue', 'list', 'event')),
    trained_at  timestamptz NOT NULL DEFAULT now(),
    samples     integer NOT NULL CHECK (samples > 0),
    dict        bytea NOT NULL,
    dict_bytes  integer NOT NULL CHECK (dict_bytes > 0)
);
CREATE INDEX IF NOT EXISTS archive_dictionaries_book_kind_idx
    ON core.archive_dictionaries (book, kind, dict_id DESC);

CREATE TABLE IF NOT EXISTS core.raw_archive (
    captured_at  timestamptz NOT NULL,
    sr_id        bigint CHECK (sr_id > 0),
    raw_bytes    integer NOT NULL CHECK (raw_bytes >= 0),
    dict_id      integer,  -- core.archive_dictionaries; null = plain zstd (no FK: partitions are dropped whole)
    status       smallint NOT NULL CHECK (status BETWEEN 100 AND 599),
    kickoff_date date,
    batch_id     text NOT NULL CHECK (batch_id <> ''),
    book         text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    kind         text NOT NULL CHECK (kind IN ('catalogue', 'list', 'event')),
    url          text NOT NULL,
    event_id     text,
    body         bytea NOT NULL
) PARTITION BY RANGE (captured_at);
-- The body is already compressed: skip TOAST's own pglz attempt (EXTERNAL = out of line, uncompressed).
ALTER TABLE core.raw_archive ALTER COLUMN body SET STORAGE EXTERNAL;
CREATE INDEX IF NOT EXISTS raw_archive_event_kickoff_idx
    ON core.raw_archive (kickoff_date, captured_at) WHERE kind = 'event';
CREATE INDEX IF NOT EXISTS raw_archive_batch_idx ON core.raw_archive (batch_id, kind);

-- ----------------------------------------------------------------------------------------------- odds

-- Column order puts the 8-byte columns first: no alignment padding, a few bytes less per row.
CREATE TABLE IF NOT EXISTS core.odds_history (
    captured_at timestamptz NOT NULL,
    sr_id       bigint NOT NULL CHECK (sr_id > 0),
    price       double precision CHECK (price > 1),
    market      integer NOT NULL,
    outcome     integer NOT NULL,
    book        text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    specifier   text NOT NULL,
    state       text NOT NULL CHECK (state IN ('open', 'suspended', 'closed')),
    CHECK (state <> 'closed' OR price IS NULL),
    PRIMARY KEY (sr_id, book, market, specifier, outcome, captured_at)
) PARTITION BY RANGE (captured_at);

-- One row per outcome ever seen; a closed outcome keeps its row (state 'closed') so a re-opening is seen as a
-- change. captured_at moves on every capture that confirms the price, hence the room left for HOT updates.
CREATE TABLE IF NOT EXISTS core.odds_current (
    sr_id       bigint NOT NULL CHECK (sr_id > 0),
    captured_at timestamptz NOT NULL,
    changed_at  timestamptz NOT NULL,
    price       double precision CHECK (price > 1),
    market      integer NOT NULL,
    outcome     integer NOT NULL,
    book        text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    specifier   text NOT NULL,
    state       text NOT NULL CHECK (state IN ('open', 'suspended', 'closed')),
    CHECK (state <> 'closed' OR price IS NULL),
    CHECK (changed_at <= captured_at),
    PRIMARY KEY (sr_id, book, market, specifier, outcome)
) WITH (fillfactor = 70);

CREATE TABLE IF NOT EXISTS core.odds_captures (
    sr_id           bigint NOT NULL CHECK (sr_id > 0),
    book            text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    captured_at     timestamptz NOT NULL,
    batch_id        text NOT NULL CHECK (batch_id <> ''),
    status          text NOT NULL CHECK (status IN ('ok', 'not_listed', 'failed', 'gone')),
    reason          text,
    sent_at         timestamptz,
    received_at     timestamptz,
    open_outcomes   integer CHECK (open_outcomes >= 0),
    mapped_outcomes integer CHECK (mapped_outcomes >= 0),
    PRIMARY KEY (sr_id, book, captured_at),
    CHECK (mapped_outcomes IS NULL OR open_outcomes IS NULL OR mapped_outcomes <= open_outcomes),
    CHECK (received_at IS NULL OR sent_at IS NULL OR received_at >= sent_at)
);
CREATE INDEX IF NOT EXISTS odds_captures_batch_idx ON core.odds_captures (batch_id);
CREATE INDEX IF NOT EXISTS odds_captures_captured_at_idx ON core.odds_captures (captured_at);

CREATE TABLE IF NOT EXISTS core.unmapped_markets (
    batch_id    text NOT NULL CHECK (batch_id <> ''),
    book        text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    market_key  text NOT NULL,
    outcomes    integer NOT NULL CHECK (outcomes > 0),
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (batch_id, book, market_key)
);
