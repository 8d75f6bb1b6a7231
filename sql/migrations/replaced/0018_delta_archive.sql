-- Delta archive: an event detail may be stored as a zstd delta against the previous body of the same
-- (book, event) in the same UTC day. Each row records the checksum of its raw bytes; a delta records the
-- identity of its base (capture time and checksum) and both record where their chain starts.
-- Rows written before this migration have NULL in every new column: keyframes, not checksummed.
-- depends: 0017_compact_history

ALTER TABLE core.raw_archive
    ADD COLUMN IF NOT EXISTS raw_hash  bytea,
    ADD COLUMN IF NOT EXISTS base_at   timestamptz,
    ADD COLUMN IF NOT EXISTS base_hash bytea,
    ADD COLUMN IF NOT EXISTS key_at    timestamptz,
    ADD COLUMN IF NOT EXISTS chain_pos smallint;

ALTER TABLE core.raw_archive
    ADD CONSTRAINT raw_archive_delta_shape CHECK (
        (base_at IS NULL) = (base_hash IS NULL)
        AND (base_at IS NULL OR (dict_id IS NULL AND kind = 'event' AND event_id IS NOT NULL
                                 AND raw_hash IS NOT NULL AND base_at <= captured_at
                                 AND key_at <= base_at AND chain_pos > 0))
        AND (chain_pos IS NULL OR chain_pos >= 0)
    );

-- Finds a (book, event)'s newest body of a day (the writer's next base) and a chain's rows (readers).
CREATE INDEX IF NOT EXISTS raw_archive_event_chain_idx
    ON core.raw_archive (book, event_id, captured_at) WHERE kind = 'event';

COMMENT ON COLUMN core.raw_archive.raw_hash IS
    'BLAKE2b-128 of the body as received; every read checks the decoded bytes against it (NULL: older rows)';
COMMENT ON COLUMN core.raw_archive.base_at IS
    'delta rows: captured_at of the body this one is compressed against (same book, event and UTC day); NULL: keyframe';
COMMENT ON COLUMN core.raw_archive.base_hash IS
    'delta rows: raw_hash of the base body, so the base is identified exactly even when two writers archived the event';
COMMENT ON COLUMN core.raw_archive.key_at IS
    'captured_at of the keyframe that starts this row''s chain (its own for a keyframe)';
COMMENT ON COLUMN core.raw_archive.chain_pos IS
    'position in its chain: 0 for a keyframe, the base''s plus one for a delta (bounded by the writer''s chain length)';
