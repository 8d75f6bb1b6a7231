-- Packed event details (issue 10: the raw archive no larger than the history it backs). At real depth an
-- event detail's delta is a few hundred bytes, and a row of core.raw_archive cost about 350 more (tuple
-- header, ids as text, two 16-byte hashes, three timestamps, two index entries). A flush now writes its event
-- details of one UTC day, every book's, as ONE row of core.archive_packs: the frames concatenated in one body
-- (stored out of line: a pack's row, its TOAST value and its pages' slack are paid once for a flush's
-- bodies) and what each entry needs beside its frame in arrays (a few bytes each), its event (and so its
-- book) an integer key of core.archive_events. Catalogue and list pages, and rows written before this migration, stay in
-- core.raw_archive: the readers read both (nothing is rewritten).
-- No percent signs in this file: yoyo passes statements to the driver with an empty parameter map.
-- depends: 0020_slim_archive_rows

CREATE TABLE IF NOT EXISTS core.archive_events (
    event_key    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    book         text NOT NULL CHECK (book IN ('betpawa', 'sportybet', 'bet9ja')),
    event_id     text NOT NULL,
    sr_id        bigint CHECK (sr_id > 0),
    kickoff_date date,
    CONSTRAINT archive_events_labels_key UNIQUE NULLS NOT DISTINCT (book, event_id, sr_id, kickoff_date)
);
CREATE INDEX IF NOT EXISTS archive_events_kickoff_idx ON core.archive_events (kickoff_date);

COMMENT ON TABLE core.archive_events IS
    'The events archived event details are labelled with, one row per (book, event id, SR id, kick-off '
    'date) as labelled at capture time; core.archive_packs names them by event_key';
COMMENT ON COLUMN core.archive_events.event_key IS 'the key core.archive_packs.event_keys holds';
COMMENT ON COLUMN core.archive_events.book IS 'the book whose event detail it is (the entry''s book)';
COMMENT ON COLUMN core.archive_events.event_id IS 'the book''s own event id';
COMMENT ON COLUMN core.archive_events.sr_id IS 'the SportRadar id the capture asked for (NULL: none)';
COMMENT ON COLUMN core.archive_events.kickoff_date IS 'the UTC kick-off date the capture was for (readers select by it)';

CREATE TABLE IF NOT EXISTS core.archive_packs (
    start_at     timestamptz NOT NULL,
    batch_id     text NOT NULL CHECK (batch_id <> ''),
    event_keys   integer[] NOT NULL,
    at_us        integer[] NOT NULL,
    chain_pos    smallint[] NOT NULL,
    statuses     smallint[] NOT NULL,
    ends         integer[] NOT NULL,
    dict_ids     integer[] NOT NULL,
    urls         text[] NOT NULL,
    raw_hashes   bytea NOT NULL,
    base_hashes  bytea NOT NULL,
    body         bytea NOT NULL,
    CONSTRAINT archive_packs_shape CHECK (
        cardinality(event_keys) > 0
        AND cardinality(at_us) = cardinality(event_keys)
        AND cardinality(chain_pos) = cardinality(event_keys)
        AND cardinality(statuses) = cardinality(event_keys)
        AND cardinality(ends) = cardinality(event_keys)
        AND cardinality(dict_ids) = cardinality(event_keys)
        AND cardinality(urls) = cardinality(event_keys)
        AND octet_length(raw_hashes) = 8 * cardinality(event_keys)
        AND octet_length(base_hashes) = 4 * cardinality(event_keys)
    )
) PARTITION BY RANGE (start_at);
-- The frames are already compressed: out of line, uncompressed, so a reader fetches one entry's slice alone.
ALTER TABLE core.archive_packs ALTER COLUMN body SET STORAGE EXTERNAL;
-- Finds the packs holding an event (the writer's next base, a chain): one posting per entry, a few bytes.
-- No pending list (fastupdate): a flush inserts one row, and its pages would stay allocated once merged.
CREATE INDEX IF NOT EXISTS archive_packs_events_idx ON core.archive_packs USING gin (event_keys)
    WITH (fastupdate = off);

COMMENT ON TABLE core.archive_packs IS
    'Archived event details, one row per (flush, UTC day): entry i is event event_keys[i] captured '
    'at start_at + at_us[i] microseconds, its frame the bytes of body from ends[i-1] (0 for the first) to ends[i]';
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
    'the entries'' frames, concatenated: keyframes zstd (level 8, the book''s dictionary), deltas zstd '
    'without magic, checksum or content size against the base body as a raw-content dictionary (empty: '
    'the same bytes as the base)';
